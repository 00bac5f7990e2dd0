#pragma once
// RFC 4180 CSV reading: quoted fields may hold commas, quotes ("") and line
// breaks; LF or CRLF; an optional UTF-8 byte-order mark. Debian ships no CSV
// library. Writing a field is text::csv_field.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace govmap::importer {

struct CsvRecord {
    std::size_t line;  ///< line on which the record starts (1-based)
    std::vector<std::string> fields;
};

class CsvError : public std::runtime_error {
public:
    CsvError(std::size_t line, const std::string& message) : std::runtime_error(message), line(line) {}
    std::size_t line;
};

/// Reads records one at a time from text held in memory.
class CsvReader {
public:
    explicit CsvReader(std::string_view text);
    /// The next record, or nullopt at the end. Throws CsvError on a quote
    /// that is never closed or text after a closing quote.
    std::optional<CsvRecord> next();

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

}  // namespace govmap::importer
