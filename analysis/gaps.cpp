#include "analysis/gaps.hpp"

#include "graph/linkage.hpp"
#include "queries/catalogue.hpp"
#include "text/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <stdexcept>
#include <unordered_map>

namespace govmap::analysis {

namespace {

using graph::BlockCutTree;
using graph::Linkage;
using text::join;

const std::vector<std::string> kinds{
    "uncovered",     "thin",           "no_global",           "no_multistakeholder",
    "adjacent_only", "region_missing", "stakeholder_missing", "single_point_of_failure",
    "fragmented",    "deep_nesting",   "low_assessment"};

int severity_rank(const std::string& s) { return s == "high" ? 0 : s == "medium" ? 1 : 2; }

int kind_rank(const std::string& k)
{
    return static_cast<int>(std::find(kinds.begin(), kinds.end(), k) - kinds.begin());
}

std::string now_utc()
{
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/// $1 include_proposed, $2 active_only, $3 primary_only, $4 as_of, $5 with_observatories:
/// the switches every coverage function takes, in that order (migration 0007).
db::Params switches(const GapOptions& o)
{
    return {o.include_proposed ? "true" : "false", o.active_only ? "true" : "false", o.primary_only ? "true" : "false",
            o.as_of ? db::Value(std::to_string(*o.as_of)) : db::Value{}, o.with_observatories ? "true" : "false"};
}

/// The switches as the arguments of a coverage function.
constexpr const char* counted = "$1::boolean, $2::boolean, $3::boolean, $4::smallint, $5::boolean";

/// The nodes in scope, in tree order, with their counts by scope, model and centrality.
void load_nodes(db::Transaction& tx, const GapOptions& o, GapReport& r)
{
    if (o.under && tx.exec("SELECT 1 FROM issue_area WHERE code = $1", {*o.under}).empty())
        throw std::invalid_argument("unknown taxonomy code '" + *o.under + "' (see `govmap list areas`)");
    db::Params p = switches(o);
    p.push_back(o.under ? db::Value(*o.under) : db::Value{});
    p.push_back(o.level ? db::Value(*o.level) : db::Value{});  // $6 under, $7 level
    auto rows = tx.exec(R"(
        WITH in_scope AS (
            SELECT c.descendant_id AS id FROM issue_area_closure c JOIN issue_area a ON a.id = c.ancestor_id
             WHERE $6::text IS NULL OR a.code = $6)
        SELECT cv.*, (SELECT x.note FROM issue_area x WHERE x.id = cv.area_id) AS note,
               (SELECT string_agg(x.code, '/' ORDER BY c.depth DESC) FROM issue_area_closure c
                  JOIN issue_area x ON x.id = c.ancestor_id WHERE c.descendant_id = cv.area_id) AS path
          FROM coverage()" + std::string(counted) +
                            R"() cv
         WHERE cv.area_id IN (SELECT id FROM in_scope) AND ($7::text IS NULL OR cv.level = $7)
         ORDER BY path)",
                        p);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        NodeCoverage n;
        n.id = std::stoll(rows.text(i, "area_id"));
        n.code = rows.text(i, "code");
        n.name = rows.text(i, "name");
        n.level = rows.text(i, "level");
        n.parent = rows.at(i, "parent_code");
        n.mechanisms = std::stol(rows.text(i, "mechanisms"));
        n.note = rows.at(i, "note");
        for (const auto& column : rows.columns) {
            auto dot = column.find('_');
            std::string dim = column.substr(0, dot), value = column.substr(dot + 1);
            if (value == "unknown")  // participation_unknown -> unknown/participation
                n.counts["unknown"][dim] = std::stol(rows.text(i, column));
            else if (dim == "scope" || dim == "model" || dim == "centrality" || dim == "participation")
                n.counts[dim][value] = std::stol(rows.text(i, column));
        }
        r.nodes.push_back(std::move(n));
    }
}

void load_dimensions(db::Transaction& tx, const GapOptions& o, GapReport& r,
                     std::unordered_map<std::int64_t, NodeCoverage*>& by_id)
{
    auto regions = tx.exec(R"(
        SELECT r.code, (SELECT max(depth) FROM region_closure c WHERE c.descendant_id = r.id) AS depth,
               (SELECT string_agg(x.code, '/' ORDER BY c.depth DESC) FROM region_closure c
                  JOIN region x ON x.id = c.ancestor_id WHERE c.descendant_id = r.id) AS path
          FROM region r WHERE review_counts(r.review_status, $1::boolean) ORDER BY path)",
                           {switches(o)[0]});
    for (std::size_t i = 0; i < regions.size(); ++i) {
        r.regions.push_back(regions.text(i, "code"));
        if (regions.text(i, "depth") == "1")
            r.heat_regions.push_back(regions.text(i, "code"));
    }
    if (r.heat_regions.empty())
        r.heat_regions = r.regions;
    auto groups =
        tx.exec("SELECT code FROM stakeholder_group WHERE review_counts(review_status, $1::boolean) ORDER BY id",
                {switches(o)[0]});
    for (std::size_t i = 0; i < groups.size(); ++i)
        r.stakeholder_groups.push_back(groups.text(i, "code"));

    db::Params p = switches(o);
    p.push_back(o.strict_regions ? "true" : "false");  // $6
    auto by_region = tx.exec("SELECT area_id, region_code, mechanisms "
                             "FROM coverage_by_region($1::boolean, $2::boolean, $6::boolean, $3::boolean, "
                             "$4::smallint, $5::boolean)",
                             p);
    for (std::size_t i = 0; i < by_region.size(); ++i)
        if (auto it = by_id.find(std::stoll(by_region.text(i, "area_id"))); it != by_id.end())
            it->second->counts["region"][by_region.text(i, "region_code")] = std::stol(by_region.text(i, "mechanisms"));
    auto by_group =
        tx.exec("SELECT area_id, group_code, mechanisms FROM coverage_by_stakeholder(" + std::string(counted) + ")",
                switches(o));
    for (std::size_t i = 0; i < by_group.size(); ++i)
        if (auto it = by_id.find(std::stoll(by_group.text(i, "area_id"))); it != by_id.end())
            it->second->counts["stakeholder"][by_group.text(i, "group_code")] =
                std::stol(by_group.text(i, "mechanisms"));

    auto covering = tx.exec(R"(
        SELECT cm.area_id, m.slug FROM covering_mechanisms()" +
                                std::string(counted) + R"() cm
          JOIN mechanism m ON m.id = cm.mechanism_id ORDER BY m.slug)",
                            switches(o));
    for (std::size_t i = 0; i < covering.size(); ++i)
        if (auto it = by_id.find(std::stoll(covering.text(i, "area_id"))); it != by_id.end())
            it->second->covering.push_back(covering.text(i, "slug"));

    auto info = tx.exec(R"(
        SELECT m.slug, m.name, m.scope::text AS scope, m.model::text AS model, m.centrality::text AS centrality,
               m.status::text AS status, s.title, s.url
          FROM mechanism m LEFT JOIN source s ON s.id = m.source_id
         WHERE m.id IN (SELECT mechanism_id FROM covering_mechanisms()" +
                            std::string(counted) + R"()))",
                        switches(o));
    for (std::size_t i = 0; i < info.size(); ++i)
        r.mechanisms[info.text(i, "slug")] = MechanismInfo{
            info.text(i, "slug"),       info.text(i, "name"),   info.text(i, "scope"), info.text(i, "model"),
            info.text(i, "centrality"), info.text(i, "status"), info.at(i, "title"),   info.at(i, "url")};
}

struct NameLookup {
    std::map<std::string, std::string> regions, groups;
};

NameLookup names(db::Transaction& tx)
{
    NameLookup n;
    auto r = tx.exec("SELECT code, name FROM region");
    for (std::size_t i = 0; i < r.size(); ++i)
        n.regions[r.text(i, "code")] = r.text(i, "name");
    auto g = tx.exec("SELECT code, name FROM stakeholder_group");
    for (std::size_t i = 0; i < g.size(); ++i)
        n.groups[g.text(i, "code")] = g.text(i, "name");
    return n;
}

class Findings {
public:
    Findings(const GapOptions& o, std::vector<Finding>& out) : o_(o), out_(out) {}
    bool wanted(const std::string& kind) const { return o_.kinds.empty() || o_.kinds.count(kind); }
    void add(const std::string& kind, const std::optional<std::string>& node, const std::string& severity,
             std::string detail, std::vector<std::string> mechanisms = {}, bool data_gap = false)
    {
        if (wanted(kind))
            out_.push_back(
                {kind, node, severity, data_gap ? "data" : "coverage", std::move(detail), std::move(mechanisms)});
    }

private:
    const GapOptions& o_;
    std::vector<Finding>& out_;
};

void coverage_findings(const GapReport& r, const GapOptions& o, const NameLookup& names,
                       const std::map<std::string, int>& region_depth, Findings& f,
                       std::vector<std::tuple<std::string, std::string, long, int>>& assessments)
{
    for (const auto& n : r.nodes) {
        const auto& c = n.counts;
        auto count = [&](const char* dim, const std::string& value) {
            auto d = c.find(dim);
            if (d == c.end())
                return 0L;
            auto v = d->second.find(value);
            return v == d->second.end() ? 0L : v->second;
        };
        if (n.mechanisms == 0) {
            f.add("uncovered", n.code, "high", fmt::format("no mechanism addresses {}", n.name));
            continue;
        }
        if (n.mechanisms < o.min_mechanisms)
            f.add("thin", n.code, "medium",
                  fmt::format("only {} address {} (fewer than {})",
                              text::count_of(n.mechanisms, "mechanism", "mechanisms"), n.name, o.min_mechanisms),
                  n.covering);
        if (count("scope", "global") == 0)
            f.add("no_global", n.code, "medium",
                  fmt::format("{} is addressed only by regional or national mechanisms ({} regional, {} national)",
                              n.name, count("scope", "regional"), count("scope", "national")),
                  n.covering);
        // Participation decides (migration 0007's participation()); mechanisms
        // whose participation is not recorded make the finding a data gap.
        long unknown_participation = count("unknown", "participation");
        if (count("participation", "multistakeholder") == 0)
            f.add("no_multistakeholder", n.code, "medium",
                  unknown_participation == 0
                      ? fmt::format("none of the {} addressing {} is open to all or has two or more stakeholder "
                                    "groups in its decisions",
                                    text::count_of(n.mechanisms, "mechanism", "mechanisms"), n.name)
                      : fmt::format("no mechanism addressing {} is known to be multistakeholder: participation is "
                                    "not recorded for {} of {}",
                                    n.name, unknown_participation, n.mechanisms),
                  n.covering, unknown_participation > 0);
        if (count("centrality", "core") == 0)
            f.add("adjacent_only", n.code, "medium",
                  fmt::format("every mechanism addressing {} has its central role outside Internet governance", n.name),
                  n.covering);
        if (o.by_region)
            for (const auto& region : r.regions)
                if (count("region", region) == 0) {
                    auto depth = region_depth.at(region);
                    f.add("region_missing", n.code, depth <= 1 ? "medium" : "low",
                          fmt::format("no mechanism addresses {} in {}{}", n.name, names.regions.at(region),
                                      o.strict_regions ? " (global mechanisms not counted)" : ""),
                          {}, count("unknown", "regions") > 0);
                }
        for (const auto& group : r.stakeholder_groups)
            if (count("stakeholder", group) == 0)
                f.add("stakeholder_missing", n.code, "low",
                      fmt::format("no mechanism addressing {} involves {}", n.name, names.groups.at(group)), n.covering,
                      unknown_participation > 0);
        if (n.mechanisms == 1)
            f.add("single_point_of_failure", n.code, "high",
                  fmt::format("{} depends on a single mechanism: {}", n.name, n.covering.front()), n.covering);
    }
    for (const auto& [code, principle, assessed, best] : assessments) {
        const std::string& wanted = code;  // a lambda may not capture a structured binding before C++20
        auto node =
            std::find_if(r.nodes.begin(), r.nodes.end(), [&](const NodeCoverage& n) { return n.code == wanted; });
        if (node == r.nodes.end() || best > 1)
            continue;
        f.add("low_assessment", code, "medium",
              fmt::format("every assessed mechanism addressing {} scores {} or less on {} ({} assessed)", node->name,
                          best, principle, assessed),
              node->covering);
    }
}

void graph_findings(GapReport& r, const GapOptions& o, const Linkage& g, Findings& f)
{
    auto component = graph::connected_components(g);
    BlockCutTree tree(g);
    std::unordered_map<std::string, std::size_t> vertex_of;
    for (std::size_t v = 0; v < g.size(); ++v)
        vertex_of[g.slug[v]] = v;

    for (const auto& n : r.nodes) {
        if (n.covering.size() < 2)
            continue;
        std::vector<std::size_t> members;
        for (const auto& slug : n.covering)
            members.push_back(vertex_of.at(slug));
        // Articulation points whose removal cuts the covering mechanisms apart.
        for (std::size_t cut : tree.separating(members))
            f.add("single_point_of_failure", n.code, "medium",
                  fmt::format("removing {} would disconnect the mechanisms that address {}", g.slug[cut], n.name),
                  {g.slug[cut]});
        std::map<std::size_t, std::vector<std::string>> groups;
        for (std::size_t v : members)
            groups[component[v]].push_back(g.slug[v]);
        if (groups.size() > 1) {
            // Named in full for a working group's map; summarised for a huge one.
            std::vector<std::string> described;
            for (const auto& [c, slugs] : groups) {
                std::vector<std::string> shown(slugs.begin(), slugs.begin() + std::min<std::size_t>(slugs.size(), 6));
                if (slugs.size() > shown.size())
                    shown.push_back(fmt::format("and {} more", slugs.size() - shown.size()));
                described.push_back("{" + join(shown) + "}");
            }
            std::sort(described.begin(), described.end());
            if (described.size() > 8) {
                std::size_t rest = described.size() - 8;
                described.resize(8);
                described.push_back(fmt::format("and {} more groups", rest));
            }
            f.add("fragmented", n.code, "low",
                  fmt::format("the {} mechanisms addressing {} fall into {} groups with no link between them: {}",
                              members.size(), n.name, groups.size(), join(described, " ")),
                  n.covering);
        }
    }

    // Deeply nested mechanisms: hard for stakeholders to reach.
    auto depth = graph::nesting_depth(g);
    std::vector<std::vector<std::size_t>> parents(g.size());
    for (const auto& [child, parent] : g.nesting)
        parents[child].push_back(parent);
    std::set<std::string> in_scope;
    for (const auto& n : r.nodes)
        in_scope.insert(n.covering.begin(), n.covering.end());
    for (std::size_t v = 0; v < g.size(); ++v) {
        if (depth[v] < o.max_depth || (o.under && !in_scope.count(g.slug[v])))
            continue;
        std::vector<std::string> chain;
        for (std::size_t at = v; !parents[at].empty();) {
            at = *std::max_element(parents[at].begin(), parents[at].end(), [&](std::size_t a, std::size_t b) {
                return depth[a] < depth[b] || (depth[a] == depth[b] && g.slug[a] > g.slug[b]);
            });
            chain.push_back(g.slug[at]);
        }
        f.add("deep_nesting", std::nullopt, "low",
              fmt::format("{} is {} levels down part_of/reports_to chains: {} > {}", g.slug[v], depth[v], g.slug[v],
                          join(chain, " > ")),
              {g.slug[v]});
    }

    auto centrality = graph::betweenness(g);
    r.betweenness_sources = graph::betweenness_sources(g);
    r.mechanisms_in_graph = g.size();
    r.metrics.reserve(g.size());
    for (std::size_t v = 0; v < g.size(); ++v)
        r.metrics.emplace(g.slug[v], MechanismMetrics{centrality[v], tree.is_articulation_point(v)});
    std::vector<std::size_t> order(g.size());
    for (std::size_t v = 0; v < g.size(); ++v)
        order[v] = v;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return centrality[a] != centrality[b] ? centrality[a] > centrality[b] : g.slug[a] < g.slug[b];
    });
    for (std::size_t v : order) {
        if (r.brokers.size() >= o.brokers || centrality[v] <= 0)
            break;
        r.brokers.push_back({g.slug[v], centrality[v]});
    }
}

}  // namespace

const std::vector<std::string>& finding_kinds() { return kinds; }

GapReport analyse(db::Connection& conn, const GapOptions& options)
{
    auto tx = conn.begin(db::Isolation::snapshot);
    GapReport r = analyse(tx, options);
    tx.commit();
    return r;
}

GapReport analyse(db::Transaction& tx, const GapOptions& options)
{
    GapOptions o = options;
    for (const auto& k : o.kinds)
        if (std::find(kinds.begin(), kinds.end(), k) == kinds.end())
            throw std::invalid_argument("unknown finding kind '" + k + "' (expected one of: " + join(kinds) + ")");
    if (o.kinds.count("region_missing"))
        o.by_region = true;
    if (o.level && *o.level != "cluster" && *o.level != "area" && *o.level != "issue")
        throw std::invalid_argument("unknown level '" + *o.level + "' (cluster, area or issue)");

    GapReport r;
    r.generated_at = now_utc();
    r.options = o;
    std::vector<std::tuple<std::string, std::string, long, int>> assessments;
    std::map<std::string, int> region_depth;
    NameLookup lookup;
    {
        load_nodes(tx, o, r);
        std::unordered_map<std::int64_t, NodeCoverage*> by_id;
        for (auto& n : r.nodes)
            by_id[n.id] = &n;
        load_dimensions(tx, o, r, by_id);
        auto a = tx.exec(R"(
            SELECT a.code, ac.principle, ac.assessed, ac.best_score
              FROM assessment_coverage()" +
                             std::string(counted) + R"() ac JOIN issue_area a ON a.id = ac.area_id
             ORDER BY a.code, ac.principle)",
                         switches(o));
        for (std::size_t i = 0; i < a.size(); ++i)
            assessments.emplace_back(a.text(i, "code"), a.text(i, "principle"), std::stol(a.text(i, "assessed")),
                                     std::stoi(a.text(i, "best_score")));
        auto d = tx.exec(
            "SELECT r.code, max(c.depth) AS depth FROM region r JOIN region_closure c ON c.descendant_id = r.id "
            "GROUP BY r.code");
        for (std::size_t i = 0; i < d.size(); ++i)
            region_depth[d.text(i, "code")] = std::stoi(d.text(i, "depth"));
        lookup = names(tx);
        r.map = queries::map_info(tx, o.include_proposed);
    }
    Findings f(o, r.findings);
    coverage_findings(r, o, lookup, region_depth, f, assessments);
    graph_findings(r, o, graph::load_linkage(tx, {o.include_proposed, o.active_only, o.as_of, o.with_observatories}),
                   f);
    std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
        if (severity_rank(a.severity) != severity_rank(b.severity))
            return severity_rank(a.severity) < severity_rank(b.severity);
        if (kind_rank(a.kind) != kind_rank(b.kind))
            return kind_rank(a.kind) < kind_rank(b.kind);
        return a.node.value_or("") < b.node.value_or("");
    });
    return r;
}

}  // namespace govmap::analysis
