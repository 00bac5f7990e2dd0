#include "importer/csv.hpp"

namespace govmap::importer {

CsvReader::CsvReader(std::string_view text) : text_(text)
{
    if (text_.substr(0, 3) == "\xEF\xBB\xBF")
        pos_ = 3;
}

std::optional<CsvRecord> CsvReader::next()
{
    // A trailing line break at the end of the file ends the last record; it
    // does not start an empty one.
    if (pos_ >= text_.size())
        return std::nullopt;
    CsvRecord record{line_, {}};
    std::string field;
    bool quoted = false;      // inside a quoted field
    bool was_quoted = false;  // the current field was quoted (closing quote seen)
    while (true) {
        if (pos_ >= text_.size()) {
            if (quoted)
                throw CsvError(record.line, "a quoted field is never closed");
            record.fields.push_back(std::move(field));
            return record;
        }
        char c = text_[pos_++];
        if (quoted) {
            if (c == '"') {
                if (pos_ < text_.size() && text_[pos_] == '"') {
                    field += '"';
                    ++pos_;
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
        } else if (c == '\n' || (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ||
                   (c == '\r' && pos_ >= text_.size())) {
            if (c == '\r' && pos_ < text_.size())
                ++pos_;
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
