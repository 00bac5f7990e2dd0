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
    bool quoted = false;       // inside a quoted field
    bool was_quoted = false;   // the current field was quoted (closing quote seen)
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

std::string csv_field(const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::size_t utf8_length(std::string_view text)
{
    std::size_t n = 0;
    for (unsigned char c : text)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::string utf8_shorten(const std::string& text, std::size_t width)
{
    if (utf8_length(text) <= width)
        return text;
    std::string out;
    std::size_t chars = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++chars > width - 1)
            break;
        out += c;
    }
    return out + "…";
}

bool valid_utf8(std::string_view s)
{
    std::size_t i = 0, n = s.size();
    while (i < n) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned cp;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > n)
            return false;
        for (std::size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        static const unsigned min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

} // namespace govmap::importer
