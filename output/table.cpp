#include "output/table.hpp"

#include "text/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace govmap::output {

using text::csv_field;

/// Keeps only `keep` columns (the table view of a wider result).
db::Result narrow(const db::Result& r, const std::vector<std::string>& keep)
{
    db::Result out;
    std::vector<std::size_t> idx;
    for (const auto& k : keep)
        for (std::size_t c = 0; c < r.columns.size(); ++c)
            if (r.columns[c] == k) {
                idx.push_back(c);
                out.columns.push_back(k);
            }
    for (const auto& row : r.rows) {
        std::vector<db::Value> cells;
        for (auto c : idx)
            cells.push_back(row[c]);
        out.rows.push_back(std::move(cells));
    }
    return out;
}

Format parse_format(const std::string& name)
{
    if (name == "json")
        return Format::json;
    if (name == "csv")
        return Format::csv;
    return Format::table;
}

std::string result_json(const db::Result& r)
{
    auto rows = nlohmann::json::array();
    for (const auto& row : r.rows) {
        nlohmann::json obj = nlohmann::json::object();
        for (std::size_t c = 0; c < r.columns.size(); ++c)
            obj[r.columns[c]] = row[c] ? nlohmann::json(*row[c]) : nlohmann::json(nullptr);
        rows.push_back(std::move(obj));
    }
    return rows.dump(2) + "\n";
}

void print_result(const db::Result& r, Format format, const std::string& shrink, std::size_t width)
{
    if (format == Format::json) {
        fmt::print("{}", result_json(r));
        return;
    }
    if (format == Format::csv) {
        for (std::size_t c = 0; c < r.columns.size(); ++c)
            fmt::print("{}{}", c ? "," : "", csv_field(r.columns[c]));
        fmt::print("\r\n");
        for (const auto& row : r.rows) {
            for (std::size_t c = 0; c < row.size(); ++c)
                fmt::print("{}{}", c ? "," : "", csv_field(row[c].value_or("")));
            fmt::print("\r\n");
        }
        return;
    }
    std::vector<std::size_t> w(r.columns.size());
    for (std::size_t c = 0; c < r.columns.size(); ++c) {
        w[c] = text::utf8_length(r.columns[c]);
        for (const auto& row : r.rows)
            w[c] = std::max(w[c], text::utf8_length(row[c].value_or("")));
    }
    auto it = std::find(r.columns.begin(), r.columns.end(), shrink);
    if (it != r.columns.end()) {
        std::size_t total = 0;
        for (auto x : w)
            total += x + 2;
        std::size_t s = static_cast<std::size_t>(it - r.columns.begin());
        if (total > width && w[s] > 12)
            w[s] = std::max<std::size_t>(12, w[s] - std::min(w[s] - 12, total - width));
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            std::string cell = text::utf8_shorten(cells[c], w[c]);
            out += cell;
            if (c + 1 < cells.size())
                out += std::string(w[c] - text::utf8_length(cell) + 2, ' ');
        }
        fmt::print("{}\n", out);
    };
    line(r.columns);
    std::vector<std::string> rule;
    for (auto x : w)
        rule.push_back(std::string(x, '-'));
    line(rule);
    for (const auto& row : r.rows) {
        std::vector<std::string> cells;
        for (const auto& v : row)
            cells.push_back(v.value_or(""));
        line(cells);
    }
}

}  // namespace govmap::output
