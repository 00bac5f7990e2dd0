// Reading CSV (one layout per record type, or the working group's spreadsheet
// layout) and JSON into records, with every problem located.
#include "importer/batch.hpp"
#include "importer/csv.hpp"
#include "text/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <istream>
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
    batch.emit(type, std::move(row));
    batch.records += counted;
}

// ---------------------------------------------------------------- limits

/// Unknown columns named one by one before the rest are counted.
constexpr std::size_t max_listed_columns = 20;
/// A document is an object of arrays of objects: 3 levels; a little room beyond.
constexpr int max_json_depth = 8;
/// Members of one JSON object (a record has a few dozen fields at most).
constexpr std::size_t max_json_members = 1000;

// ---------------------------------------------------------------- JSON

/// Hands bytes from `source` to the JSON parser and stops (reports the end of
/// input) once one value runs longer than max_record_bytes since the last
/// `mark()`: the parser would otherwise hold a string of any length.
class TokenLimit : public std::streambuf {
public:
    explicit TokenLimit(std::streambuf& source) : source_(source) {}
    void mark() { mark_ = consumed(); }
    bool exceeded() const { return exceeded_; }
    bool saw_content() const { return content_; }

protected:
    int_type underflow() override
    {
        if (gptr() < egptr())
            return traits_type::to_int_type(*gptr());
        if (consumed() - mark_ > max_record_bytes) {
            exceeded_ = true;
            return traits_type::eof();
        }
        total_ += static_cast<std::size_t>(egptr() - eback());
        auto n = source_.sgetn(buffer_, sizeof buffer_);
        if (n <= 0) {
            setg(buffer_, buffer_, buffer_);
            return traits_type::eof();
        }
        for (std::streamsize i = 0; i < n && !content_; ++i)
            content_ = !std::isspace(static_cast<unsigned char>(buffer_[i])) &&
                       std::string_view("\xEF\xBB\xBF").find(buffer_[i]) == std::string_view::npos;
        setg(buffer_, buffer_, buffer_ + n);
        return traits_type::to_int_type(*gptr());
    }

private:
    std::size_t consumed() const { return total_ + static_cast<std::size_t>(gptr() - eback()); }
    std::streambuf& source_;
    char buffer_[1 << 16];
    std::size_t total_ = 0, mark_ = 0;
    bool exceeded_ = false, content_ = false;
};

/// Reads a document `{"mechanisms": [{...}, ...], ...}` one record at a time
/// (nlohmann's SAX interface): memory holds one record, never the document.
class JsonRecords : public nlohmann::json_sax<nlohmann::json> {
public:
    JsonRecords(Batch& batch, const std::string& file, TokenLimit& limit) : batch_(batch), file_(file), limit_(limit) {}
    /// Set when the document itself is refused (reported as one problem).
    std::string refused;
    bool stopped = false;

    bool null() override { return scalar(std::nullopt, true); }
    bool boolean(bool v) override { return scalar(std::string(v ? "true" : "false"), true); }
    bool number_integer(number_integer_t v) override { return scalar(std::to_string(v), true); }
    bool number_unsigned(number_unsigned_t v) override { return scalar(std::to_string(v), true); }
    bool number_float(number_float_t, const string_t&) override { return scalar(std::nullopt, false); }
    bool string(string_t& v) override { return scalar(std::move(v), true); }
    bool binary(binary_t&) override { return scalar(std::nullopt, false); }

    bool start_object(std::size_t) override { return open(true); }
    bool start_array(std::size_t) override { return open(false); }
    bool end_array() override { return close(); }
    bool end_object() override
    {
        if (frames_.back().role == Role::record)
            finish_record();
        return close();
    }
    bool key(string_t& name) override
    {
        limit_.mark();
        Frame& f = frames_.back();
        if (!f.members.insert(name).second)
            return refuse("member '" + name + "' appears twice in one object");
        if (f.members.size() > max_json_members)
            return refuse(fmt::format("an object with more than {} members", max_json_members));
        f.key = std::move(name);
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override
    {
        if (limit_.exceeded())
            refused = fmt::format("a value longer than {} MiB", max_record_bytes >> 20);
        else if (!limit_.saw_content())
            refused = "empty file";
        else
            refused = std::string("invalid JSON: ") + e.what();
        stopped = true;
        return false;
    }

private:
    enum class Role { document, type_array, record, skipped };
    struct Frame {
        Role role;
        bool object;
        std::string pointer;  ///< JSON pointer of this container
        std::set<std::string> members;
        std::string key;        ///< the member whose value comes next
        std::size_t index = 0;  ///< elements seen (arrays)
        const RecordType* type = nullptr;
    };

    bool refuse(const std::string& why)
    {
        refused = "invalid JSON: " + why;
        stopped = true;
        return false;
    }

    /// The role a value takes where it appears, and its pointer.
    std::pair<Role, std::string> place(bool container, bool object, bool& ok)
    {
        ok = true;
        if (frames_.empty()) {
            if (!object) {
                batch_.problem(file_, "/", "", "the document must be an object with an array per record type");
                ok = false;
            }
            return {Role::document, ""};
        }
        Frame& parent = frames_.back();
        if (parent.role == Role::skipped)
            return {Role::skipped, parent.pointer};
        std::string pointer = parent.pointer + "/" + (parent.object ? parent.key : std::to_string(parent.index++));
        if (parent.role == Role::document) {
            if (parent.key == "$schema")
                return {Role::skipped, pointer};
            const RecordType* type = find_type(parent.key);
            if (!type) {
                std::string all;
                for (const auto& t : record_types())
                    all += (all.empty() ? "" : ", ") + t.name;
                batch_.problem(file_, pointer, "", "unknown record type (expected one of: " + all + ")");
            } else if (!container || object) {
                batch_.problem(file_, pointer, "", "must be an array");
            } else {
                next_type_ = type;
                return {Role::type_array, pointer};
            }
            return {Role::skipped, pointer};
        }
        if (parent.role == Role::type_array) {
            if (object)
                return {Role::record, pointer};
            batch_.problem(file_, pointer, "", "must be an object");
            return {Role::skipped, pointer};
        }
        // A field of a record.
        const Frame& record = parent;
        if (!record.type->index(record.key)) {
            batch_.problem(file_, record.pointer, record.key,
                           "unknown field (expected one of: " + record.type->field_names() + ")");
            ok = false;
        } else {
            columns_.insert(record.key);
            if (container) {
                batch_.problem(file_, record.pointer, record.key, "must be a string, a whole number or true/false");
                ok = false;
            }
        }
        return {Role::skipped, pointer};
    }

    bool open(bool object)
    {
        limit_.mark();
        if (frames_.size() >= static_cast<std::size_t>(max_json_depth))
            return refuse(fmt::format("nested deeper than {} levels", max_json_depth));
        bool ok = true;
        auto [role, pointer] = place(true, object, ok);
        if (frames_.empty() && !ok) {
            stopped = true;
            return false;
        }
        Frame f{role, object, pointer, {}, {}, 0, nullptr};
        if (role == Role::type_array)
            f.type = next_type_;
        if (role == Role::record) {
            f.type = frames_.back().type;
            given_.clear();
            columns_.clear();
        }
        frames_.push_back(std::move(f));
        return true;
    }

    bool close()
    {
        limit_.mark();
        frames_.pop_back();
        return true;
    }

    bool scalar(std::optional<std::string> value, bool allowed)
    {
        limit_.mark();
        if (frames_.empty()) {
            batch_.problem(file_, "/", "", "the document must be an object with an array per record type");
            stopped = true;
            return false;
        }
        if (frames_.back().role != Role::record) {
            bool ok = true;
            place(false, false, ok);
            return true;
        }
        const Frame& record = frames_.back();
        if (!record.type->index(record.key)) {
            batch_.problem(file_, record.pointer, record.key,
                           "unknown field (expected one of: " + record.type->field_names() + ")");
            return true;
        }
        columns_.insert(record.key);
        if (!allowed)
            batch_.problem(file_, record.pointer, record.key, "must be a string, a whole number or true/false");
        else if (value)
            given_[record.key] = std::move(*value);
        return true;
    }

    void finish_record()
    {
        const Frame& record = frames_.back();
        accept(batch_, *record.type, file_, record.pointer, given_, columns_);
        given_.clear();
        columns_.clear();
    }

    Batch& batch_;
    const std::string& file_;
    TokenLimit& limit_;
    std::vector<Frame> frames_;
    const RecordType* next_type_ = nullptr;
    std::map<std::string, std::string> given_;  ///< the current record's values
    std::set<std::string> columns_;             ///< and the fields it names
};

void read_json(Batch& batch, const std::string& name, std::streambuf& in)
{
    TokenLimit limit(in);
    std::istream stream(&limit);
    std::size_t before = batch.records, problems = batch.problem_count();
    JsonRecords records(batch, name, limit);
    nlohmann::json::sax_parse(stream, &records);
    if (!records.refused.empty()) {
        batch.problem(name, "", "", records.refused);
        return;
    }
    if (records.stopped)
        return;
    if (batch.records == before && batch.problem_count() == problems)
        batch.problem(name, "", "", "no records in the file");
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

/// The spreadsheet layout, row by row. Links, regions and sources are handed
/// on at once; a mechanism's attributes are gathered over its rows (they must
/// agree) and handed on at the end: memory grows with the mechanisms, not the rows.
class SheetReader {
public:
    SheetReader(Batch& batch, const std::string& file, const std::vector<std::string>& header)
        : batch_(batch), file_(file), header_(header), cols_(header.begin(), header.end())
    {
    }

    void row(const CsvRecord& rec)
    {
        std::string loc = std::to_string(rec.line);
        std::map<std::string, std::string> v;
        for (std::size_t i = 0; i < header_.size(); ++i)
            v[header_[i]] = trim(rec.fields[i]);
        if (v["mechanism"].empty()) {
            batch_.problem(file_, loc, "mechanism", "missing required field");
            return;
        }
        std::string slug =
            !v["slug"].empty() ? v["slug"] : slugify(!v["acronym"].empty() ? v["acronym"] : v["mechanism"]);
        if (slug.empty()) {
            batch_.problem(file_, loc, "mechanism", "cannot derive a slug from this name; add a 'slug' column");
            return;
        }
        auto inserted = by_slug_.try_emplace(slug, SheetMechanism{loc, {}});
        auto it = inserted.first;
        if (inserted.second)
            order_.push_back(slug);
        auto agree = [&](const std::string& field, const std::string& value) {
            if (value.empty())
                return;
            auto prev = it->second.attrs.find(field);
            if (prev == it->second.attrs.end())
                it->second.attrs[field] = {value, loc};
            else if (prev->second.first != value)
                batch_.problem(file_, loc, field == "name" ? "mechanism" : field,
                               "'" + value + "' disagrees with '" + prev->second.first + "' on line " +
                                   prev->second.second + " for the same mechanism (" + slug + ")");
        };
        agree("name", v["mechanism"]);
        for (const auto& a : sheet_mechanism_attributes)
            agree(a, v[a]);
        agree("source", v["source_url"]);

        std::string source = v["source_url"];
        if (!source.empty() && seen_sources_.insert(source).second) {
            Row src{file_, loc, {}, {}, true};
            // The address is the title too, shortened to what a title may hold.
            std::string title = text::utf8_length(source) > 500 ? text::utf8_shorten(source, 500) : source;
            src.values = {source_key_for(source), title, source, std::nullopt, std::nullopt};
            src.present = {true, true, true, false, false};
            std::string url = source;
            const RecordType& sources = *find_type("sources");
            if (auto m = check_value(sources.fields[*sources.index("url")], url))
                batch_.problem(file_, loc, "source_url", *m);
            batch_.emit(sources, std::move(src));
        }
        std::map<std::string, std::string> link{{"mechanism", slug},
                                                {"area", v["area"]},
                                                {"strength", v["strength"]},
                                                {"note", v["notes"]},
                                                {"source", source}};
        std::set<std::string> link_cols{"mechanism", "area"};
        if (cols_.count("strength"))
            link_cols.insert("strength");
        if (cols_.count("notes"))
            link_cols.insert("note");
        if (cols_.count("source_url"))
            link_cols.insert("source");
        // Report problems under the sheet's own column names.
        std::size_t first_problem = batch_.problems.size();
        accept(batch_, *find_type("mechanism_areas"), file_, loc, link, link_cols, false);
        for (std::size_t p = first_problem; p < batch_.problems.size(); ++p) {
            auto& w = batch_.problems[p].where;
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
            if (r.empty() || !seen_regions_.insert({slug, lower(r)}).second)
                continue;
            std::map<std::string, std::string> reg{{"mechanism", slug}, {"region", r}, {"source", source}};
            std::set<std::string> reg_cols{"mechanism", "region"};
            if (cols_.count("source_url"))
                reg_cols.insert("source");
            accept(batch_, *find_type("regions"), file_, loc, reg, reg_cols, false);
        }
        ++batch_.records;  // one record per sheet row
    }

    void finish()
    {
        const RecordType& mechanisms = *find_type("mechanisms");
        for (const auto& slug : order_) {
            const auto& m = by_slug_[slug];
            Row row{file_, m.loc, {}, {}, false};
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
                        batch_.problem(file_, a->second.second, column, *message);
                }
                row.present.push_back(present);
                row.values.push_back(present ? db::Value(value) : db::Value{});
            }
            std::size_t slug_field = *mechanisms.index("slug");
            if (auto message = check_value(mechanisms.fields[slug_field], row.values[slug_field].value()))
                batch_.problem(file_, m.loc, "slug", *message);
            batch_.emit(mechanisms, std::move(row));
        }
    }

private:
    Batch& batch_;
    const std::string& file_;
    const std::vector<std::string>& header_;
    std::set<std::string> cols_;
    std::map<std::string, SheetMechanism> by_slug_;
    std::vector<std::string> order_;
    std::set<std::pair<std::string, std::string>> seen_regions_;
    std::set<std::string> seen_sources_;
};

bool blank_record(const CsvRecord& rec)
{
    return std::all_of(rec.fields.begin(), rec.fields.end(), [](const std::string& f) { return trim(f).empty(); });
}

void read_csv(Batch& batch, const InputFile& in, std::streambuf& stream)
{
    CsvReader reader(stream);
    try {
        auto first = reader.next();
        if (!first || (first->fields.size() == 1 && trim(first->fields[0]).empty())) {
            // A file of blank lines is empty too.
            while (first && blank_record(*first))
                first = reader.next();
            if (!first) {
                batch.problem(in.name, "", "", "empty file");
                return;
            }
        }
        std::vector<std::string> header;
        std::set<std::string> seen;
        for (const auto& raw : first->fields) {
            std::string c = column_name(raw);
            if (!valid_utf8(raw)) {
                batch.problem(in.name, std::to_string(first->line), "", "invalid UTF-8 in the header");
                return;
            }
            if (!c.empty() && !seen.insert(c).second)
                batch.problem(in.name, std::to_string(first->line), c, "duplicate column");
            header.push_back(c);
        }
        const std::string header_line = std::to_string(first->line);
        auto layout = layout_of(in, header);
        if (!layout) {
            std::string types;
            for (const auto& t : record_types())
                types += (types.empty() ? "" : ", ") + t.name;
            batch.problem(in.name, header_line, "",
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
                batch.problem(in.name, header_line, c, "unknown column (expected: " + expected + ")");
            }
        }
        if (unknown_columns > max_listed_columns)
            batch.problem(in.name, header_line, "",
                          fmt::format("and {} more unknown columns", unknown_columns - max_listed_columns));
        // A file of a record type needs only the key: a row that changes an
        // existing record names just the columns it changes; what a new record
        // lacks is checked against the map.
        std::vector<std::string> required = type ? type->key : std::vector<std::string>{"area", "mechanism"};
        for (const auto& r : required)
            if (!seen.count(r))
                batch.problem(in.name, header_line, r, "missing required column");

        std::optional<SheetReader> sheet;
        if (!type)
            sheet.emplace(batch, in.name, header);
        const std::set<std::string> columns(header.begin(), header.end());
        // Spreadsheet programs write trailing unnamed columns; they are fine
        // while they stay empty (each such column is reported once).
        std::set<std::size_t> unnamed_reported;
        std::size_t data_rows = 0;
        while (auto rec = reader.next()) {
            if (blank_record(*rec))
                continue;
            ++data_rows;
            std::string loc = std::to_string(rec->line);
            for (std::size_t i = 0; i < header.size() && i < rec->fields.size(); ++i)
                if (header[i].empty() && !trim(rec->fields[i]).empty() && unnamed_reported.insert(i).second)
                    batch.problem(in.name, loc, "column " + std::to_string(i + 1),
                                  "a value in a column that has no name in the header");
            if (rec->fields.size() != header.size()) {
                batch.problem(in.name, loc, "",
                              std::to_string(rec->fields.size()) + " fields, but the header has " +
                                  std::to_string(header.size()));
                continue;
            }
            bool utf8_ok = true;
            for (std::size_t i = 0; i < header.size(); ++i)
                if (!valid_utf8(rec->fields[i])) {
                    batch.problem(in.name, loc, header[i], "invalid UTF-8");
                    utf8_ok = false;
                }
            if (!utf8_ok)
                continue;
            if (sheet) {
                sheet->row(*rec);
                continue;
            }
            std::map<std::string, std::string> given;
            for (std::size_t i = 0; i < header.size(); ++i)
                given[header[i]] = std::move(rec->fields[i]);
            accept(batch, *type, in.name, loc, given, columns);
        }
        if (data_rows == 0) {
            batch.problem(in.name, header_line, "", "no data rows (the file has only a header)");
            return;
        }
        if (sheet)
            sheet->finish();
    } catch (const CsvError& e) {
        batch.problem(in.name, std::to_string(e.line), "", e.what());
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

void Batch::emit(const RecordType& type, Row&& row)
{
    // Rules within one record that the database would otherwise reject without a location.
    auto value = [&](const char* field) -> const db::Value& { return row.values[*type.index(field)]; };
    if (type.name == "areas") {
        const auto& level = value("level");
        const auto& parent = value("parent");
        if (level == std::string("cluster") && parent)
            problem(row.file, row.loc, "parent", "a cluster has no parent");
        else if (level && *level != "cluster" && !parent)
            problem(row.file, row.loc, "parent", "missing: an area belongs to a cluster and an issue to an area");
    } else if (type.name == "mechanisms") {
        const auto& founded = value("founded");
        const auto& ended = value("ended");
        const auto& status = value("status");
        if (founded && ended && std::atoi(ended->c_str()) < std::atoi(founded->c_str()))
            problem(row.file, row.loc, "ended", "ended (" + *ended + ") before it was founded (" + *founded + ")");
        if (ended && row.present[*type.index("status")] && (!status || *status == "active"))
            problem(row.file, row.loc, "ended",
                    "an active mechanism has no end year (status concluded, one_off or withdrawn)");
    } else if (type.name == "relations") {
        const auto& from = value("from");
        if (from && from == value("to"))
            problem(row.file, row.loc, "to", "a mechanism cannot be related to itself");
    }
    if (sink)
        sink(type, std::move(row));
    else
        rows[type.name].push_back(std::move(row));
}

InputFile read_input(const std::string& path)
{
    // Checked without opening: opening a FIFO would wait for its writer, and
    // closing it again would lose what the writer sent.
    if (path != "-") {
        std::error_code ec;
        auto status = std::filesystem::status(path, ec);
        if (ec || !std::filesystem::exists(status))
            throw std::runtime_error(path + ": cannot open file (no such file)");
        if (std::filesystem::is_directory(status))
            throw std::runtime_error(path + ": cannot open file (it is a directory)");
        if (access(path.c_str(), R_OK) != 0)
            throw std::runtime_error(path + ": cannot open file (" + std::strerror(errno) + ")");
    }
    InputFile file{path == "-" ? std::string("standard input") : path, {}, std::nullopt, std::nullopt};
    file.path = path;
    return file;
}

void read_into(Batch& batch, const InputFile& in)
{
    std::string format = in.format.value_or("");
    if (format.empty()) {
        std::string ext = lower(std::filesystem::path(in.name).extension().string());
        format = ext == ".json" ? "json" : ext == ".csv" ? "csv" : "";
        if (format.empty() && in.type)
            format = "csv";
    }
    if (format != "json" && format != "csv" && format != "spreadsheet") {
        batch.problem(in.name, "", "", "unknown file format: name it .csv or .json, or pass --input-format");
        return;
    }
    // Files are read as a stream: a device or a FIFO too, in bounded memory.
    std::ifstream file;
    std::optional<ViewBuffer> text;
    std::streambuf* stream = nullptr;
    if (in.path == "-") {
        stream = std::cin.rdbuf();
    } else if (!in.path.empty()) {
        file.open(in.path, std::ios::binary);
        if (!file)
            throw std::runtime_error(in.path + ": cannot open file");
        stream = file.rdbuf();
    } else {
        stream = &text.emplace(in.text);
    }
    if (format == "json")
        read_json(batch, in.name, *stream);
    else
        read_csv(batch, in, *stream);
    if (file.is_open() && file.bad())
        throw std::runtime_error(in.path + ": read error");
}

}  // namespace govmap::importer
