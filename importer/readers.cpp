// Reading CSV (one layout per record type, or the working group's spreadsheet
// layout) and JSON into records, with every problem located.
#include "importer/batch.hpp"
#include "importer/csv.hpp"
#include "text/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace govmap::importer {

using text::valid_utf8;

namespace {

std::string lower(std::string s)
{
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// "Source URL" -> "source_url": headers as people type them.
std::string column_name(const std::string& raw)
{
    std::string out;
    for (char c : lower(trim(raw)))
        out += (c == ' ' || c == '-') ? '_' : c;
    return out;
}

/// Checks the values of one record and appends it to the batch. `counted`:
/// whether it is a record of the input (not one derived from a sheet row).
void accept(Batch& batch, const RecordType& type, const std::string& file, const std::string& loc,
            const std::map<std::string, std::string>& given, const std::set<std::string>& columns, bool counted = true)
{
    Row row{file, loc, {}, {}};
    for (const auto& f : type.fields) {
        row.present.push_back(columns.count(f.name) > 0);
        auto it = given.find(f.name);
        std::string value = it == given.end() ? std::string{} : trim(it->second);
        bool is_key = std::find(type.key.begin(), type.key.end(), f.name) != type.key.end();
        if (value.empty()) {
            // A required field may be left out of a row that changes an existing
            // record (checked against the map later), but never given empty.
            if (f.required && (columns.count(f.name) || is_key))
                batch.problem(file, loc, f.name, "missing required field");
            row.values.emplace_back();
            continue;
        }
        if (auto message = check_value(f, value)) {
            batch.problem(file, loc, f.name, *message);
            // Text PostgreSQL cannot hold is not staged at all (the row is
            // refused anyway); other invalid values are, for the later checks.
            if (value.find('\0') != std::string::npos || !text::valid_utf8(value)) {
                row.values.emplace_back();
                continue;
            }
        }
        row.values.emplace_back(std::move(value));
    }
    batch.rows[type.name].push_back(std::move(row));
    batch.records += counted;
}

// ---------------------------------------------------------------- limits

/// Unknown columns named one by one before the rest are counted.
constexpr std::size_t max_listed_columns = 20;
/// A document is an object of arrays of objects: 3 levels; a little room beyond.
constexpr int max_json_depth = 8;

// ---------------------------------------------------------------- JSON

void read_json(Batch& batch, const InputFile& in)
{
    nlohmann::json doc;
    // Duplicate member names would silently keep the last value, and deep
    // nesting has no meaning here: both are refused while parsing.
    std::vector<std::set<std::string>> members;
    std::string refused;
    auto check = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using E = nlohmann::json::parse_event_t;
        if (event == E::object_start || event == E::array_start) {
            if (depth >= max_json_depth && refused.empty())
                refused = fmt::format("nested deeper than {} levels", max_json_depth);
            if (event == E::object_start)
                members.emplace_back();
        } else if (event == E::object_end && !members.empty()) {
            members.pop_back();
        } else if (event == E::key && !members.empty()) {
            auto name = parsed.get<std::string>();
            if (!members.back().insert(name).second && refused.empty())
                refused = "member '" + name + "' appears twice in one object";
        }
        return true;
    };
    try {
        doc = nlohmann::json::parse(in.text, check);
    } catch (const nlohmann::json::exception& e) {  // parse errors, and numbers out of range (1e999)
        batch.problem(in.name, "", "", std::string("invalid JSON: ") + e.what());
        return;
    }
    if (!refused.empty()) {
        batch.problem(in.name, "", "", "invalid JSON: " + refused);
        return;
    }
    if (!doc.is_object()) {
        batch.problem(in.name, "/", "", "the document must be an object with an array per record type");
        return;
    }
    std::size_t before = batch.records;
    for (const auto& [name, array] : doc.items()) {
        std::string pointer = "/" + name;
        if (name == "$schema")
            continue;
        const RecordType* type = find_type(name);
        if (!type) {
            batch.problem(
                in.name, pointer, "", "unknown record type (expected one of: " + [] {
                    std::string all;
                    for (const auto& t : record_types())
                        all += (all.empty() ? "" : ", ") + t.name;
                    return all;
                }() + ")");
            continue;
        }
        if (!array.is_array()) {
            batch.problem(in.name, pointer, "", "must be an array");
            continue;
        }
        for (std::size_t i = 0; i < array.size(); ++i) {
            std::string loc = pointer + "/" + std::to_string(i);
            const auto& obj = array[i];
            if (!obj.is_object()) {
                batch.problem(in.name, loc, "", "must be an object");
                continue;
            }
            std::map<std::string, std::string> given;
            std::set<std::string> columns;
            for (const auto& [key, value] : obj.items()) {
                if (!type->index(key)) {
                    batch.problem(in.name, loc, key, "unknown field (expected one of: " + type->field_names() + ")");
                    continue;
                }
                columns.insert(key);
                if (value.is_string())
                    given[key] = value.get<std::string>();
                else if (value.is_number_integer())
                    given[key] = std::to_string(value.get<long long>());
                else if (value.is_boolean())
                    given[key] = value.get<bool>() ? "true" : "false";
                else if (!value.is_null())
                    batch.problem(in.name, loc, key, "must be a string, a whole number or true/false");
            }
            accept(batch, *type, in.name, loc, given, columns);
        }
    }
    if (batch.records == before && batch.problems.empty())
        batch.problem(in.name, "", "", "no records in the file");
}

// ---------------------------------------------------------------- CSV

/// The spreadsheet layout: one row per mechanism x area, as a working group keeps it.
const std::vector<std::string> sheet_columns{
    "area",       "mechanism", "acronym", "scope", "model",  "centrality", "strength", "region",     "url",
    "source_url", "notes",     "slug",    "kind",  "status", "founded",    "ended",    "description"};
const std::set<std::string> sheet_mechanism_attributes{"acronym", "scope",  "model",   "centrality", "url",
                                                       "kind",    "status", "founded", "ended",      "description"};

/// Which layout a CSV file holds: by its name, else by its header.
std::optional<std::string> layout_of(const InputFile& in, const std::vector<std::string>& header)
{
    if (in.type)
        return in.type;
    if (in.format && *in.format == "spreadsheet")
        return std::string("spreadsheet");
    std::string stem = lower(std::filesystem::path(in.name).stem().string());
    std::vector<std::string> names;
    for (const auto& t : record_types())
        names.push_back(t.name);
    // mechanism_areas before areas: "x_mechanism_areas" must not read as "areas".
    std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const auto& n : names) {
        if (stem == n)
            return n;
        if (stem.size() > n.size() && stem.compare(stem.size() - n.size(), n.size(), n) == 0 &&
            std::string("-_.").find(stem[stem.size() - n.size() - 1]) != std::string::npos)
            return n;
    }
    std::set<std::string> cols(header.begin(), header.end());
    std::vector<std::string> fits;
    for (const auto& t : record_types()) {
        bool ok = std::all_of(cols.begin(), cols.end(), [&](const std::string& c) { return t.index(c).has_value(); });
        for (const auto& k : t.key)  // a file of changes may give only the key and what changes
            ok = ok && cols.count(k);
        if (ok)
            fits.push_back(t.name);
    }
    bool sheet = cols.count("area") && cols.count("mechanism") &&
                 std::all_of(cols.begin(), cols.end(),
                             [](const std::string& c) {
                                 return std::find(sheet_columns.begin(), sheet_columns.end(), c) != sheet_columns.end();
                             }) &&
                 std::any_of(cols.begin(), cols.end(), [](const std::string& c) {
                     return sheet_mechanism_attributes.count(c) || c == "source_url" || c == "notes" || c == "region";
                 });
    if (fits.size() == 1 && !sheet)
        return fits.front();
    if (fits.empty() && sheet)
        return std::string("spreadsheet");
    return std::nullopt;
}

/// Deterministic key for a source known only by its URL (spreadsheet layout).
std::string source_key_for(const std::string& url)
{
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : url)
        h = (h ^ c) * 1099511628211ull;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(h & 0xffffffffu));
    std::string rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
    std::string slug = slugify(rest, 60);
    return "url-" + (slug.empty() ? std::string() : slug + "-") + hex;
}

struct SheetMechanism {
    std::string loc;                                                   ///< first line
    std::map<std::string, std::pair<std::string, std::string>> attrs;  ///< field -> (value, line)
};

void read_spreadsheet(Batch& batch, const InputFile& in, const std::vector<std::string>& header,
                      std::vector<CsvRecord>& records)
{
    const RecordType& mechanisms = *find_type("mechanisms");
    std::set<std::string> cols(header.begin(), header.end());
    std::map<std::string, SheetMechanism> by_slug;
    std::vector<std::string> order;
    std::set<std::pair<std::string, std::string>> seen_regions;
    std::set<std::string> seen_sources;
    for (auto& rec : records) {
        std::string loc = std::to_string(rec.line);
        std::map<std::string, std::string> v;
        for (std::size_t i = 0; i < header.size(); ++i)
            v[header[i]] = trim(rec.fields[i]);
        if (v["mechanism"].empty()) {
            batch.problem(in.name, loc, "mechanism", "missing required field");
            continue;
        }
        std::string slug =
            !v["slug"].empty() ? v["slug"] : slugify(!v["acronym"].empty() ? v["acronym"] : v["mechanism"]);
        if (slug.empty()) {
            batch.problem(in.name, loc, "mechanism", "cannot derive a slug from this name; add a 'slug' column");
            continue;
        }
        auto inserted = by_slug.try_emplace(slug, SheetMechanism{loc, {}});
        auto it = inserted.first;
        if (inserted.second)
            order.push_back(slug);
        auto agree = [&](const std::string& field, const std::string& value) {
            if (value.empty())
                return;
            auto prev = it->second.attrs.find(field);
            if (prev == it->second.attrs.end())
                it->second.attrs[field] = {value, loc};
            else if (prev->second.first != value)
                batch.problem(in.name, loc, field == "name" ? "mechanism" : field,
                              "'" + value + "' disagrees with '" + prev->second.first + "' on line " +
                                  prev->second.second + " for the same mechanism (" + slug + ")");
        };
        agree("name", v["mechanism"]);
        for (const auto& a : sheet_mechanism_attributes)
            agree(a, v[a]);
        agree("source", v["source_url"]);

        std::string source = v["source_url"];
        if (!source.empty() && seen_sources.insert(source).second) {
            Row src{in.name, loc, {}, {}, true};
            // The address is the title too, shortened to what a title may hold.
            std::string title = text::utf8_length(source) > 500 ? text::utf8_shorten(source, 500) : source;
            src.values = {source_key_for(source), title, source, std::nullopt, std::nullopt};
            src.present = {true, true, true, false, false};
            std::string url = source;
            const RecordType& sources = *find_type("sources");
            if (auto m = check_value(sources.fields[*sources.index("url")], url))
                batch.problem(in.name, loc, "source_url", *m);
            batch.rows["sources"].push_back(std::move(src));
        }
        std::map<std::string, std::string> link{{"mechanism", slug},
                                                {"area", v["area"]},
                                                {"strength", v["strength"]},
                                                {"note", v["notes"]},
                                                {"source", source}};
        std::set<std::string> link_cols{"mechanism", "area"};
        if (cols.count("strength"))
            link_cols.insert("strength");
        if (cols.count("notes"))
            link_cols.insert("note");
        if (cols.count("source_url"))
            link_cols.insert("source");
        // Report problems under the sheet's own column names.
        std::size_t first_problem = batch.problems.size();
        accept(batch, *find_type("mechanism_areas"), in.name, loc, link, link_cols, false);
        for (std::size_t p = first_problem; p < batch.problems.size(); ++p) {
            auto& w = batch.problems[p].where;
            if (w.size() > 5 && w.compare(w.size() - 5, 5, ":note") == 0)
                w.replace(w.size() - 4, 4, "notes");
            else if (w.size() > 7 && w.compare(w.size() - 7, 7, ":source") == 0)
                w += "_url";
        }

        std::string regions = v["region"];
        std::replace(regions.begin(), regions.end(), ',', ';');
        std::istringstream parts(regions);
        for (std::string r; std::getline(parts, r, ';');) {
            r = trim(r);
            if (r.empty() || !seen_regions.insert({slug, lower(r)}).second)
                continue;
            std::map<std::string, std::string> reg{{"mechanism", slug}, {"region", r}, {"source", source}};
            std::set<std::string> reg_cols{"mechanism", "region"};
            if (cols.count("source_url"))
                reg_cols.insert("source");
            accept(batch, *find_type("regions"), in.name, loc, reg, reg_cols, false);
        }
        ++batch.records;  // one record per sheet row
    }
    for (const auto& slug : order) {
        const auto& m = by_slug[slug];
        Row row{in.name, m.loc, {}, {}, false};
        for (const auto& f : mechanisms.fields) {
            std::string value;
            bool present = false;
            if (f.name == "slug") {
                value = slug;
                present = true;
            } else if (auto a = m.attrs.find(f.name); a != m.attrs.end()) {
                value = a->second.first;
                present = true;
                std::string column = f.name == "name" ? "mechanism" : f.name == "source" ? "source_url" : f.name;
                if (auto message = check_value(f, value))
                    batch.problem(in.name, a->second.second, column, *message);
            }
            row.present.push_back(present);
            row.values.push_back(present ? db::Value(value) : db::Value{});
        }
        std::size_t slug_field = *mechanisms.index("slug");
        if (auto message = check_value(mechanisms.fields[slug_field], row.values[slug_field].value()))
            batch.problem(in.name, m.loc, "slug", *message);
        batch.rows["mechanisms"].push_back(std::move(row));
    }
}

void read_csv(Batch& batch, const InputFile& in)
{
    CsvReader reader(in.text);
    std::vector<CsvRecord> records;
    try {
        while (auto rec = reader.next()) {
            bool blank = std::all_of(rec->fields.begin(), rec->fields.end(),
                                     [](const std::string& f) { return trim(f).empty(); });
            if (!blank || records.empty())
                records.push_back(std::move(*rec));
        }
    } catch (const CsvError& e) {
        batch.problem(in.name, std::to_string(e.line), "", e.what());
        return;
    }
    if (records.empty() ||
        (records.size() == 1 && records[0].fields.size() == 1 && trim(records[0].fields[0]).empty())) {
        batch.problem(in.name, "", "", "empty file");
        return;
    }
    std::vector<std::string> header;
    std::set<std::string> seen;
    for (const auto& raw : records[0].fields) {
        std::string c = column_name(raw);
        if (!valid_utf8(raw)) {
            batch.problem(in.name, "1", "", "invalid UTF-8 in the header");
            return;
        }
        if (!c.empty() && !seen.insert(c).second)
            batch.problem(in.name, "1", c, "duplicate column");
        header.push_back(c);
    }
    records.erase(records.begin());
    // Spreadsheet programs write trailing unnamed columns; they are fine while
    // they stay empty.
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (!header[i].empty())
            continue;
        auto used = std::find_if(records.begin(), records.end(),
                                 [&](const CsvRecord& r) { return i < r.fields.size() && !trim(r.fields[i]).empty(); });
        if (used != records.end())
            batch.problem(in.name, std::to_string(used->line), "column " + std::to_string(i + 1),
                          "a value in a column that has no name in the header");
    }
    auto layout = layout_of(in, header);
    if (!layout) {
        std::string types;
        for (const auto& t : record_types())
            types += (types.empty() ? "" : ", ") + t.name;
        batch.problem(in.name, "1", "",
                      "cannot tell which records this file holds: name it after its type (" + types +
                          ", e.g. mechanisms.csv), use the spreadsheet layout's columns, or pass --type");
        return;
    }
    const RecordType* type = *layout == "spreadsheet" ? nullptr : find_type(*layout);
    if (*layout != "spreadsheet" && !type) {
        batch.problem(in.name, "", "", "unknown record type '" + *layout + "'");
        return;
    }
    std::size_t unknown_columns = 0;
    for (const auto& c : header) {
        bool known = type ? type->index(c).has_value()
                          : std::find(sheet_columns.begin(), sheet_columns.end(), c) != sheet_columns.end();
        // Name the first few; a header of thousands of columns gets one line for the rest.
        if (!c.empty() && !known && ++unknown_columns > max_listed_columns)
            continue;
        if (!c.empty() && !known) {
            std::string expected;
            if (type)
                expected = type->field_names();
            else
                for (const auto& s : sheet_columns)
                    expected += (expected.empty() ? "" : ", ") + s;
            batch.problem(in.name, "1", c, "unknown column (expected: " + expected + ")");
        }
    }
    if (unknown_columns > max_listed_columns)
        batch.problem(in.name, "1", "",
                      fmt::format("and {} more unknown columns", unknown_columns - max_listed_columns));
    std::vector<std::string> required;
    if (type) {
        // Only the key: a row that changes an existing record names just the
        // columns it changes; what a new record lacks is checked against the map.
        required = type->key;
    } else {
        required = {"area", "mechanism"};
    }
    for (const auto& r : required)
        if (!seen.count(r))
            batch.problem(in.name, "1", r, "missing required column");
    if (records.empty()) {
        batch.problem(in.name, "1", "", "no data rows (the file has only a header)");
        return;
    }
    std::vector<CsvRecord> good;
    for (auto& rec : records) {
        std::string loc = std::to_string(rec.line);
        if (rec.fields.size() != header.size()) {
            batch.problem(in.name, loc, "",
                          std::to_string(rec.fields.size()) + " fields, but the header has " +
                              std::to_string(header.size()));
            continue;
        }
        bool utf8_ok = true;
        for (std::size_t i = 0; i < header.size(); ++i)
            if (!valid_utf8(rec.fields[i])) {
                batch.problem(in.name, loc, header[i], "invalid UTF-8");
                utf8_ok = false;
            }
        if (utf8_ok)
            good.push_back(std::move(rec));
    }
    if (!type) {
        read_spreadsheet(batch, in, header, good);
        return;
    }
    std::set<std::string> columns(header.begin(), header.end());
    for (const auto& rec : good) {
        std::map<std::string, std::string> given;
        for (std::size_t i = 0; i < header.size(); ++i)
            given[header[i]] = rec.fields[i];
        accept(batch, *type, in.name, std::to_string(rec.line), given, columns);
    }
}

}  // namespace

std::string Batch::where(const std::string& file, const std::string& loc, const std::string& field)
{
    if (!loc.empty() && loc[0] == '/')
        return file + ":" + loc + (field.empty() ? "" : "/" + field);
    std::string out = file;
    if (!loc.empty())
        out += ":" + loc;
    if (!field.empty())
        out += ":" + field;
    return out;
}

InputFile read_input(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(path + ": cannot open file");
    std::ostringstream text;
    text << in.rdbuf();
    return InputFile{path, text.str(), std::nullopt, std::nullopt};
}

void read_into(Batch& batch, const InputFile& in)
{
    std::string format = in.format.value_or("");
    if (format.empty()) {
        std::string ext = lower(std::filesystem::path(in.name).extension().string());
        format = ext == ".json" ? "json" : ext == ".csv" ? "csv" : "";
    }
    if (trim(in.text).empty() || trim(in.text) == "\xEF\xBB\xBF") {
        batch.problem(in.name, "", "", "empty file");
        return;
    }
    if (format == "json")
        read_json(batch, in);
    else if (format == "csv" || format == "spreadsheet")
        read_csv(batch, in);
    else
        batch.problem(in.name, "", "", "unknown file format: name it .csv or .json, or pass --input-format");
}

}  // namespace govmap::importer
