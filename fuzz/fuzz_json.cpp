// The JSON import document (one array per record type).
#include "fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    govmap::fuzz::read("map.json", data, size);
    return 0;
}
