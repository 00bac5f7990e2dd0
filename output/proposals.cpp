#include "output/proposals.hpp"

#include <nlohmann/json.hpp>

namespace govmap::output {

namespace {

nlohmann::json optional_json(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

nlohmann::json summary_json(const review::Proposal& p)
{
    return {{"id", p.id},
            {"summary", p.summary},
            {"author", p.author},
            {"created_at", p.created_at},
            {"status", p.status},
            {"decided_by", optional_json(p.decided_by)},
            {"decided_at", optional_json(p.decided_at)},
            {"note", optional_json(p.note)},
            {"records", p.records},
            {"changes", p.changes}};
}

}  // namespace

std::string proposals_json(const std::vector<review::Proposal>& proposals)
{
    auto out = nlohmann::json::array();
    for (const auto& p : proposals)
        out.push_back(summary_json(p));
    return out.dump(2) + "\n";
}

std::string proposal_json(const review::Detail& d)
{
    auto out = summary_json(d.proposal);
    out["records"] = nlohmann::json::array();
    for (const auto& r : d.records) {
        nlohmann::json j{{"seq", r.seq}, {"type", r.type},         {"op", r.op},
                         {"key", r.key}, {"location", r.location}, {"stale", r.stale()}};
        j["base_version"] = r.base_version ? nlohmann::json(*r.base_version) : nlohmann::json();
        j["current_version"] = r.current_version ? nlohmann::json(*r.current_version) : nlohmann::json();
        j["fields"] = nlohmann::json::array();
        for (const auto& f : r.fields)
            j["fields"].push_back(
                {{"field", f.field}, {"before", optional_json(f.before)}, {"after", optional_json(f.after)}});
        out["records"].push_back(j);
    }
    out["possible_duplicates"] = d.duplicates;
    out["sources"] = d.sources;
    return out.dump(2) + "\n";
}

}  // namespace govmap::output
