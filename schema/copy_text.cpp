#include "schema/copy_text.hpp"

namespace govmap::db {

std::string encode_copy_line(const std::vector<Value>& row)
{
    std::string out;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i)
            out += '\t';
        if (!row[i]) {
            out += "\\N";
            continue;
        }
        for (char c : *row[i]) {
            switch (c) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
            }
        }
    }
    return out;
}

namespace {
int octal(char c) { return c >= '0' && c <= '7' ? c - '0' : -1; }
int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
}  // namespace

std::vector<Value> decode_copy_line(const std::string& line)
{
    std::vector<Value> fields;
    std::string field;
    bool is_null = false;
    const std::size_t n = line.size();
    for (std::size_t i = 0; i <= n; ++i) {
        if (i == n || line[i] == '\t') {
            fields.push_back(is_null ? Value{} : Value{field});
            field.clear();
            is_null = false;
            continue;
        }
        char c = line[i];
        if (c != '\\' || i + 1 >= n) {
            field += c;
            continue;
        }
        char e = line[++i];
        switch (e) {
        case 'N': is_null = true; break;
        case 'b': field += '\b'; break;
        case 'f': field += '\f'; break;
        case 'n': field += '\n'; break;
        case 'r': field += '\r'; break;
        case 't': field += '\t'; break;
        case 'v': field += '\v'; break;
        case 'x': {
            int v = 0, digits = 0;
            while (digits < 2 && i + 1 < n && hex(line[i + 1]) >= 0)
                v = v * 16 + hex(line[++i]), ++digits;
            field += static_cast<char>(v);
            break;
        }
        default:
            if (octal(e) >= 0) {
                int v = octal(e), digits = 1;
                while (digits < 3 && i + 1 < n && octal(line[i + 1]) >= 0)
                    v = v * 8 + octal(line[++i]), ++digits;
                field += static_cast<char>(v);
            } else {
                field += e;
            }
        }
    }
    return fields;
}

}  // namespace govmap::db
