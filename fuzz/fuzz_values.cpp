// Every field validator (keys, slugs, enumerations, URLs, years, dates,
// scores, booleans, lengths, UTF-8) on arbitrary bytes.
#include "importer/records.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    for (const auto& type : govmap::importer::record_types())
        for (const auto& field : type.fields) {
            std::string value(reinterpret_cast<const char*>(data), size);
            (void)govmap::importer::check_value(field, value);
        }
    (void)govmap::importer::slugify(std::string(reinterpret_cast<const char*>(data), size));
    return 0;
}
