#include "cli/changes.hpp"

#include "importer/records.hpp"
#include "text/text.hpp"

#include <fmt/format.h>

namespace govmap::cli {

namespace {

std::string quoted(const db::Value& v)
{
    if (!v)
        return "(none)";
    return "\"" + text::utf8_shorten(*v, 200) + "\"";
}

}  // namespace

std::string render_field(const importer::FieldChange& f, const std::string& op)
{
    if (op == "insert")
        return fmt::format("{}: {}", f.field, quoted(f.after));
    if (op == "delete")
        return fmt::format("{}: {}", f.field, quoted(f.before));
    return fmt::format("{}: {} -> {}", f.field, quoted(f.before), quoted(f.after));
}

nlohmann::json field_json(const importer::FieldChange& f)
{
    return {{"field", f.field},
            {"before", f.before ? nlohmann::json(*f.before) : nlohmann::json()},
            {"after", f.after ? nlohmann::json(*f.after) : nlohmann::json()}};
}

std::string render_changes(const std::vector<importer::RecordChange>& changes, bool include_unchanged)
{
    std::string out;
    for (const auto& c : changes) {
        if (c.op == "unchanged" && !include_unchanged)
            continue;
        const auto* type = importer::find_type(c.type);
        out += fmt::format("{} {} {} ({})\n", c.op, type ? type->singular : c.type, c.key, c.location);
        for (const auto& f : c.fields)
            out += "    " + render_field(f, c.op) + "\n";
    }
    return out;
}

nlohmann::json changes_json(const std::vector<importer::RecordChange>& changes)
{
    auto out = nlohmann::json::array();
    for (const auto& c : changes) {
        nlohmann::json j{{"type", c.type}, {"key", c.key}, {"op", c.op}, {"location", c.location}};
        j["base_version"] = c.base_version ? nlohmann::json(*c.base_version) : nlohmann::json();
        j["fields"] = nlohmann::json::array();
        for (const auto& f : c.fields)
            j["fields"].push_back(field_json(f));
        out.push_back(j);
    }
    return out;
}

}  // namespace govmap::cli
