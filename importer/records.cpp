#include "importer/records.hpp"

#include "text/text.hpp"
#include "vocab/vocabulary.hpp"

#include <algorithm>
#include <ctime>
#include <regex>

namespace govmap::importer {

using text::join;
using text::utf8_length;
using text::valid_utf8;

namespace {

const std::vector<std::string>& allowed(std::string_view enumeration) { return vocab::get(enumeration).values; }

std::vector<RecordType> make_types()
{
    using C = Check;
    const Field source{"source", false, C::reference, 2048};
    const Field valid_from{"valid_from", false, C::year, 4};  // the years a link held, inclusive
    const Field valid_to{"valid_to", false, C::year, 4};
    return {
        {"sources",
         "source",
         {{"key", true, C::key, 100},
          {"title", true, C::text, 500},
          {"url", false, C::url, 2048},
          {"published", false, C::date, 10},
          {"publisher", false, C::text, 300}},
         {"key"}},
        {"map_info", "map fact", {{"key", true, C::key, 100}, {"value", true, C::text, 300}}, {"key"}},
        {"areas",
         "area",
         {{"code", true, C::key, 100},
          {"name", true, C::text, 300},
          {"level", true, C::enumeration, 20, allowed(vocab::area_level)},
          {"parent", false, C::reference, 300},
          {"description", false, C::text, 20000},
          {"note", false, C::text, 2000},
          source},
         {"code"}},
        {"mechanisms",
         "mechanism",
         {{"slug", true, C::slug, 100},
          {"name", true, C::text, 300},
          {"acronym", false, C::text, 40},
          {"kind", true, C::enumeration, 20, allowed(vocab::mechanism_kind)},
          {"scope", true, C::enumeration, 20, allowed(vocab::mechanism_scope)},
          {"model", true, C::enumeration, 30, allowed(vocab::governance_model)},
          {"centrality", false, C::enumeration, 20, allowed(vocab::centrality)},
          {"status", false, C::enumeration, 20, allowed(vocab::mechanism_status)},
          {"founded", false, C::year, 4},
          {"ended", false, C::year, 4},
          {"url", false, C::url, 2048},
          {"description", false, C::text, 20000},
          {"open_participation", false, C::boolean, 5},
          {"authority", false, C::text, 300},
          {"note", false, C::text, 2000},
          source},
         {"slug"}},
        {"mechanism_areas",
         "mechanism area",
         {{"mechanism", true, C::reference, 100},
          {"area", true, C::reference, 300},
          {"strength", false, C::enumeration, 20, allowed(vocab::area_strength)},
          {"note", false, C::text, 2000},
          valid_from,
          valid_to,
          source},
         {"mechanism", "area"}},
        {"relations",
         "relation",
         {{"from", true, C::reference, 100},
          {"kind", true, C::enumeration, 20, allowed(vocab::relation_kind)},
          {"to", true, C::reference, 100},
          {"note", false, C::text, 2000},
          valid_from,
          valid_to,
          source},
         {"from", "kind", "to"}},
        {"stakeholders",
         "stakeholder",
         {{"mechanism", true, C::reference, 100},
          {"group", true, C::reference, 300},
          {"role", false, C::enumeration, 30, allowed(vocab::stakeholder_role)},
          {"note", false, C::text, 2000},
          valid_from,
          valid_to,
          source},
         {"mechanism", "group"}},
        {"regions",
         "region",
         {{"mechanism", true, C::reference, 100},
          {"region", true, C::reference, 300},
          {"note", false, C::text, 2000},
          valid_from,
          valid_to,
          source},
         {"mechanism", "region"}},
        {"assessments",
         "assessment",
         {{"mechanism", true, C::reference, 100},
          {"principle", true, C::enumeration, 20, allowed(vocab::principle)},
          {"score", true, C::score, 1},
          {"evidence", false, C::text, 20000},
          source},
         {"mechanism", "principle"}},
        {"frameworks",
         "framework",
         {{"key", true, C::key, 100}, {"name", true, C::text, 300}, {"description", false, C::text, 20000}, source},
         {"key"}},
        {"criteria",
         "criterion",
         {{"key", true, C::key, 100},
          {"framework", true, C::reference, 100},
          {"name", true, C::text, 300},
          {"description", false, C::text, 20000},
          source},
         {"key"}},
        {"indicators",
         "indicator",
         {{"key", true, C::key, 100}, {"text", true, C::text, 500}, {"description", false, C::text, 20000}, source},
         {"key"}},
        {"criterion_indicators",
         "criterion indicator",
         {{"criterion", true, C::reference, 100}, {"indicator", true, C::reference, 100}, source},
         {"criterion", "indicator"}},
        {"assessors",
         "assessor",
         {{"key", true, C::key, 100},
          {"name", true, C::text, 300},
          {"url", false, C::url, 2048},
          {"description", false, C::text, 20000},
          source},
         {"key"}},
        {"observations",
         "observation",
         {{"mechanism", true, C::reference, 100},
          {"indicator", true, C::reference, 100},
          {"assessor", true, C::reference, 100},
          {"value", true, C::enumeration, 10, allowed(vocab::observation_value)},
          {"evidence", false, C::text, 2000},
          source,
          {"observer", false, C::text, 200},
          {"observed", false, C::date, 10},
          valid_from,
          valid_to},
         {"mechanism", "indicator", "assessor"}},
    };
}

int current_year()
{
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return tm.tm_year + 1900;
}

bool real_date(const std::string& v)
{
    static const std::regex form("^([0-9]{4})-([0-9]{2})-([0-9]{2})$");
    std::smatch m;
    if (!std::regex_match(v, m, form))
        return false;
    int y = std::stoi(m[1]), mo = std::stoi(m[2]), d = std::stoi(m[3]);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || mo < 1 || mo > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[mo - 1] + (mo == 2 && leap ? 1 : 0);
}

}  // namespace

const std::vector<RecordType>& record_types()
{
    static const std::vector<RecordType> types = make_types();
    return types;
}

const RecordType* find_type(std::string_view name)
{
    for (const auto& t : record_types())
        if (t.name == name)
            return &t;
    return nullptr;
}

std::optional<std::size_t> RecordType::index(std::string_view field) const
{
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == field)
            return i;
    return std::nullopt;
}

std::string RecordType::field_names() const
{
    std::vector<std::string> names;
    for (const auto& f : fields)
        names.push_back(f.name);
    return join(names);
}

std::string trim(std::string_view text)
{
    const char* blanks = " \t\r\n\v\f";
    auto b = text.find_first_not_of(blanks);
    if (b == std::string_view::npos)
        return {};
    auto e = text.find_last_not_of(blanks);
    return std::string(text.substr(b, e - b + 1));
}

std::string slugify(std::string_view text, std::size_t max_length)
{
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) && c < 0x80)
            out += static_cast<char>(std::tolower(c));
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    if (out.size() > max_length) {
        out.resize(max_length);
        while (!out.empty() && out.back() == '-')
            out.pop_back();
    }
    return out;
}

std::optional<std::string> check_value(const Field& f, std::string& v)
{
    if (!valid_utf8(v))
        return std::string("invalid UTF-8");
    // PostgreSQL text cannot hold NUL: say so here, with the location.
    if (v.find('\0') != std::string::npos)
        return std::string("contains a NUL character (\\0 or \\u0000), which text cannot hold");
    if (utf8_length(v) > f.max_length)
        return "too long: " + std::to_string(utf8_length(v)) + " characters, at most " + std::to_string(f.max_length);
    static const std::regex key_form("^[a-z0-9]+([._-][a-z0-9]+)*$");
    static const std::regex slug_form("^[a-z0-9]+(-[a-z0-9]+)*$");
    static const std::regex url_form("^https?://[^\\s/?#]+[^\\s]*$", std::regex::icase);
    static const std::regex year_form("^[0-9]{4}$");
    switch (f.check) {
    case Check::text:
    case Check::reference: return std::nullopt;
    case Check::key:
        if (!std::regex_match(v, key_form))
            return "'" + v + "' is not a valid key (lowercase letters and digits, joined by '.', '_' or '-')";
        return std::nullopt;
    case Check::slug:
        if (!std::regex_match(v, slug_form))
            return "'" + v + "' is not a valid slug (lowercase letters and digits joined by '-', e.g. " +
                   (slugify(v).empty() ? std::string("my-mechanism") : slugify(v)) + ")";
        return std::nullopt;
    case Check::enumeration: {
        std::string lower;
        for (unsigned char c : v)
            lower += static_cast<char>(std::tolower(c));
        for (auto& ch : lower)
            if (ch == ' ' || ch == '-')
                ch = '_';
        // Common spellings: "Multi-stakeholder", "multi stakeholder" and
        // "multistakeholder" name the same value.
        auto squeezed = [](std::string s) {
            s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
            return s;
        };
        for (const auto& a : f.allowed)
            if (a == lower || squeezed(a) == squeezed(lower)) {
                v = a;
                return std::nullopt;
            }
        std::string message = "'" + v + "' is not one of: " + join(f.allowed);
        if (auto close = text::closest(lower, f.allowed))
            message += " (did you mean '" + *close + "'?)";
        return message;
    }
    case Check::url:
        if (!std::regex_match(v, url_form))
            return "'" + v + "' is not a valid URL (http:// or https:// and a host, no spaces)";
        return std::nullopt;
    case Check::year: {
        if (!std::regex_match(v, year_form))
            return "'" + v + "' is not a year";
        int y = std::stoi(v);
        if (y < 1800 || y > current_year())
            return "impossible year " + v + " (expected 1800 to " + std::to_string(current_year()) + ")";
        return std::nullopt;
    }
    case Check::date:
        if (!real_date(v))
            return "'" + v + "' is not a date in the form YYYY-MM-DD";
        return std::nullopt;
    case Check::boolean: {
        std::string lower;
        for (unsigned char c : v)
            lower += static_cast<char>(std::tolower(c));
        if (lower == "true" || lower == "yes" || lower == "1")
            v = "true";
        else if (lower == "false" || lower == "no" || lower == "0")
            v = "false";
        else
            return "'" + v + "' is not true or false (also yes/no, 1/0)";
        return std::nullopt;
    }
    case Check::score:
        if (v.size() != 1 || v[0] < '0' || v[0] > '3')
            return "'" + v + "' is not a score from 0 to 3";
        return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace govmap::importer
