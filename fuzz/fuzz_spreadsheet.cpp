// The working group's spreadsheet layout (one row per mechanism x area).
#include "fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    govmap::fuzz::read("sheet.csv", data, size, std::string("spreadsheet"));
    return 0;
}
