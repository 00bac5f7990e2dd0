#include "vocab/vocabulary.hpp"

#include <algorithm>
#include <stdexcept>

namespace govmap::vocab {

namespace {

std::vector<Enumeration> make()
{
    const std::vector<std::string> relations{"part_of",     "reports_to",   "feeds_into", "cooperates_with",
                                             "convened_by", "succeeded_by", "operated_by"};
    std::vector<std::string> edges = relations;
    edges.insert(edges.begin(), "addresses");
    edges.insert(edges.end(), {"involves", "operates_in", "within"});
    return {
        {"review_status", true, {"proposed", "accepted", "rejected"}},
        {"proposal_status", true, {"open", "accepted", "rejected", "withdrawn"}},
        {"area_level", true, {"cluster", "area", "issue"}},
        {"mechanism_kind", true, {"organisation", "forum", "process", "event", "instrument", "network", "observatory"}},
        {"mechanism_scope", true, {"global", "regional", "national"}},
        {"governance_model",
         true,
         {"intergovernmental", "multistakeholder", "private_sector", "technical_community", "civil_society"}},
        {"centrality", true, {"core", "adjacent"}},
        {"mechanism_status", true, {"active", "concluded", "one_off", "withdrawn"}},
        {"area_strength", true, {"primary", "secondary"}},
        {"relation_kind", true, relations},
        {"stakeholder_role", true, {"member", "observer", "consulted", "open_participation"}},
        {"principle",
         true,
         {"openness", "transparency", "inclusiveness", "accountability", "consensus", "predictability"}},
        {"observation_value", true, {"yes", "partly", "no"}},
        {"criterion_rating", true, {"met", "partly", "not_met", "disputed", "unknown"}},
        {"node_kind", false, {"area", "mechanism", "stakeholder", "region"}},
        {"edge_kind", false, edges},
    };
}

}  // namespace

bool Enumeration::contains(std::string_view value) const
{
    return std::find(values.begin(), values.end(), value) != values.end();
}

std::string Enumeration::listed() const
{
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + values[i];
    return out;
}

const std::vector<Enumeration>& enumerations()
{
    static const std::vector<Enumeration> all = make();
    return all;
}

const Enumeration& get(std::string_view name)
{
    for (const auto& e : enumerations())
        if (e.name == name)
            return e;
    throw std::out_of_range("no enumeration named " + std::string(name));
}

}  // namespace govmap::vocab
