#include "importer/csv.hpp"

#include <fmt/format.h>

namespace govmap::importer {

namespace {
constexpr int eof = std::char_traits<char>::eof();
}

ViewBuffer::ViewBuffer(std::string_view text)
{
    // The get area is only read through: the const_cast never leads to a write.
    char* p = const_cast<char*>(text.data());
    setg(p, p, p + text.size());
}

CsvReader::CsvReader(std::streambuf& in, std::size_t max_bytes) : in_(&in), max_bytes_(max_bytes)
{
    // A byte-order mark is skipped; bytes that only start like one are kept.
    if (in_->sgetc() == 0xEF) {
        while (pending_.size() < 3 && in_->sgetc() != eof)
            pending_ += static_cast<char>(in_->sbumpc());
        if (pending_ == "\xEF\xBB\xBF")
            pending_.clear();
    }
}

CsvReader::CsvReader(std::string_view text, std::size_t max_bytes)
    : owned_(std::make_unique<ViewBuffer>(text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text)),
      in_(owned_.get()), max_bytes_(max_bytes)
{
}

CsvReader::~CsvReader() = default;

std::optional<CsvRecord> CsvReader::next()
{
    auto get = [&]() -> int {
        if (!pending_.empty()) {
            int c = static_cast<unsigned char>(pending_.front());
            pending_.erase(0, 1);
            return c;
        }
        return in_->sbumpc();
    };
    auto peek = [&]() -> int { return pending_.empty() ? in_->sgetc() : static_cast<unsigned char>(pending_.front()); };
    // A trailing line break at the end of the file ends the last record; it
    // does not start an empty one.
    if (peek() == eof)
        return std::nullopt;
    CsvRecord record{line_, {}};
    std::string field;
    bool quoted = false;      // inside a quoted field
    bool was_quoted = false;  // the current field was quoted (closing quote seen)
    std::size_t bytes = 0;
    while (true) {
        int ci = get();
        if (ci == eof) {
            if (quoted)
                throw CsvError(record.line, "a quoted field is never closed");
            record.fields.push_back(std::move(field));
            return record;
        }
        if (++bytes > max_bytes_)
            throw CsvError(record.line,
                           fmt::format("a record longer than {} MiB (is a quote never closed?)", max_bytes_ >> 20));
        char c = static_cast<char>(ci);
        if (quoted) {
            if (c == '"') {
                if (peek() == '"') {
                    field += '"';
                    get();
                } else {
                    quoted = false;
                    was_quoted = true;
                }
            } else {
                if (c == '\n')
                    ++line_;
                field += c;
            }
            continue;
        }
        if (c == ',') {
            record.fields.push_back(std::move(field));
            field.clear();
            was_quoted = false;
        } else if (c == '\n' || (c == '\r' && (peek() == '\n' || peek() == eof))) {
            if (c == '\r' && peek() == '\n')
                get();
            ++line_;
            record.fields.push_back(std::move(field));
            return record;
        } else if (c == '"' && field.empty() && !was_quoted) {
            quoted = true;
        } else if (was_quoted) {
            throw CsvError(line_, "text after the closing quote of a field");
        } else {
            field += c;
        }
    }
}

}  // namespace govmap::importer
