#include "output/mechanism.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace govmap::output {

namespace {

nlohmann::json rows(const db::Result& r)
{
    auto a = nlohmann::json::array();
    for (const auto& row : r.rows) {
        nlohmann::json o;
        for (std::size_t c = 0; c < r.columns.size(); ++c)
            o[r.columns[c]] = row[c] ? nlohmann::json(*row[c]) : nlohmann::json(nullptr);
        a.push_back(o);
    }
    return a;
}

std::string json(const queries::MechanismDetail& d)
{
    nlohmann::json out = rows(d.mechanism)[0];
    out.erase("id");
    out["areas"] = rows(d.areas);
    out["relations"] = rows(d.relations);
    out["stakeholders"] = rows(d.stakeholders);
    out["regions"] = rows(d.regions);
    out["assessments"] = rows(d.assessments);
    out["sources"] = rows(d.sources);
    return out.dump(2) + "\n";
}

template <typename Line>
void section(std::string& out, const char* title, const db::Result& r, Line&& line)
{
    if (r.empty())
        return;
    out += fmt::format("\n{}:\n", title);
    for (std::size_t i = 0; i < r.size(); ++i)
        out += fmt::format("  {}\n", line(i));
}

std::string text(const queries::MechanismDetail& d)
{
    std::string out;
    auto v = [&](const char* col) { return d.mechanism.at(0, col).value_or(""); };
    out += fmt::format("{}{}\n", v("name"), v("acronym").empty() ? "" : " (" + v("acronym") + ")");
    for (const char* f :
         {"slug", "kind", "scope", "model", "centrality", "status", "founded", "ended", "url", "source"})
        if (!v(f).empty())
            out += fmt::format("  {:<12}{}\n", std::string(f) + ":", v(f));
    out += fmt::format("  {:<12}{} (by {}, {}, version {})\n", "review:", v("review"), v("contributed_by"),
                       v("updated"), v("version"));
    if (!v("description").empty())
        out += fmt::format("  {:<12}{}\n", "about:", v("description"));
    const auto& areas = d.areas;
    section(out, "Areas", areas, [&](std::size_t i) {
        return fmt::format("{:<10} {} ({}, {}){}", areas.text(i, "strength"), areas.text(i, "code"),
                           areas.text(i, "name"), areas.text(i, "level"),
                           areas.at(i, "note") ? " - " + *areas.at(i, "note") : "");
    });
    const auto& relations = d.relations;
    section(out, "Relations", relations, [&](std::size_t i) {
        bool outgoing = relations.text(i, "direction") == "out";
        return fmt::format("{} {} {} ({})", outgoing ? "this" : relations.text(i, "slug"), relations.text(i, "kind"),
                           outgoing ? relations.text(i, "slug") : "this", relations.text(i, "name"));
    });
    const auto& groups = d.stakeholders;
    section(out, "Stakeholder groups", groups,
            [&](std::size_t i) { return fmt::format("{:<32} {}", groups.text(i, "name"), groups.text(i, "role")); });
    section(out, "Regions", d.regions, [&](std::size_t i) { return d.regions.text(i, "name"); });
    const auto& assessments = d.assessments;
    section(out, "Assessments", assessments, [&](std::size_t i) {
        return fmt::format("{:<16} {}/3 {}", assessments.text(i, "principle"), assessments.text(i, "score"),
                           assessments.at(i, "evidence").value_or(""));
    });
    const auto& sources = d.sources;
    section(out, "Sources", sources, [&](std::size_t i) {
        return fmt::format("[{}] {}{}", sources.text(i, "key"), sources.text(i, "title"),
                           sources.at(i, "url") ? " <" + *sources.at(i, "url") + ">" : "");
    });
    return out;
}

}  // namespace

std::string render_mechanism(const queries::MechanismDetail& detail, MechanismFormat format)
{
    return format == MechanismFormat::json ? json(detail) : text(detail);
}

}  // namespace govmap::output
