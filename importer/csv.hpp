#pragma once
// RFC 4180 CSV reading: quoted fields may hold commas, quotes ("") and line
// breaks; LF or CRLF; an optional UTF-8 byte-order mark. Debian ships no CSV
// library. Writing a field is text::csv_field.
//
// Records are read one at a time from a stream, so a file of any size is read
// in the memory of its longest record; a record longer than the limit is an
// error (a quote never closed would otherwise swallow the rest of the file).
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace govmap::importer {

/// The longest record (with its line breaks) a file may hold.
constexpr std::size_t max_record_bytes = 1 << 20;

struct CsvRecord {
    std::size_t line;  ///< line on which the record starts (1-based)
    std::vector<std::string> fields;
};

class CsvError : public std::runtime_error {
public:
    CsvError(std::size_t line, const std::string& message) : std::runtime_error(message), line(line) {}
    std::size_t line;
};

class CsvReader {
public:
    /// Reads from `in`, which must outlive the reader.
    explicit CsvReader(std::streambuf& in, std::size_t max_bytes = max_record_bytes);
    /// Reads from text held in memory (not copied: it must outlive the reader).
    explicit CsvReader(std::string_view text, std::size_t max_bytes = max_record_bytes);
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    /// The next record, or nullopt at the end. Throws CsvError on a quote
    /// that is never closed, text after a closing quote or a record over the limit.
    std::optional<CsvRecord> next();

private:
    std::unique_ptr<std::streambuf> owned_;
    std::streambuf* in_;
    std::size_t max_bytes_;
    std::size_t line_ = 1;
    std::string pending_;  ///< bytes read ahead to look for a byte-order mark
};

/// A read-only stream buffer over text held elsewhere.
class ViewBuffer : public std::streambuf {
public:
    explicit ViewBuffer(std::string_view text);
};

}  // namespace govmap::importer
