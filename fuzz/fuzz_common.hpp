#pragma once
// One input file through the importer's reader and row checks: what must
// never crash, hang or read out of bounds, whatever the bytes.
#include "importer/batch.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace govmap::fuzz {

inline void read(const std::string& name, const std::uint8_t* data, std::size_t size,
                 std::optional<std::string> format = std::nullopt)
{
    importer::Batch batch;
    importer::InputFile file{name, std::string(reinterpret_cast<const char*>(data), size), std::move(format),
                             std::nullopt};
    importer::read_into(batch, file);
}

}  // namespace govmap::fuzz
