#pragma once
// RFC 4180 CSV, read and written, and the UTF-8 checks that go with it: quoted fields may hold commas, quotes ("") and line breaks;
// LF or CRLF; an optional UTF-8 byte-order mark. Debian ships no CSV library.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace govmap::importer {

struct CsvRecord {
    std::size_t line;                 ///< line on which the record starts (1-based)
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

/// One field written per RFC 4180: quoted (with quotes doubled) when it holds
/// a comma, a quote or a line break.
std::string csv_field(const std::string& text);

/// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool valid_utf8(std::string_view text);

/// Characters (code points) in UTF-8 text, as PostgreSQL counts them.
std::size_t utf8_length(std::string_view text);

/// At most `width` characters of UTF-8 text, ending with an ellipsis when cut.
std::string utf8_shorten(const std::string& text, std::size_t width);

} // namespace govmap::importer
