// CSV in every record type's layout: the first byte picks the file name.
#include "fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto& types = govmap::importer::record_types();
    if (size == 0)
        return 0;
    govmap::fuzz::read(types[data[0] % types.size()].name + ".csv", data + 1, size - 1);
    return 0;
}
