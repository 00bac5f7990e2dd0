#include "analysis/gaps.hpp"

#include "analysis/coverage.hpp"

#include "evaluation/evaluation.hpp"
#include "graph/linkage.hpp"
#include "queries/catalogue.hpp"
#include "text/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <regex>
#include <stdexcept>
#include <unordered_map>

namespace govmap::analysis {

namespace {

using graph::BlockCutTree;
using graph::Linkage;
using text::count_of;
using text::join;

const std::vector<std::string> kinds{
    "uncovered",     "thin",           "no_global",           "no_multistakeholder",
    "adjacent_only", "region_missing", "stakeholder_missing", "single_point_of_failure",
    "fragmented",    "deep_nesting",   "low_assessment",      "criterion_unmet"};

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

/// The nodes in scope, in tree order, with their counts (analysis/coverage.hpp).
/// Moves the mechanisms' descriptions out of `cov` into the report.
void load_nodes(db::Transaction& tx, const GapOptions& o, Coverage& cov, GapReport& r)
{
    if (o.under && tx.exec("SELECT 1 FROM issue_area WHERE code = $1", {*o.under}).empty())
        throw std::invalid_argument("unknown taxonomy code '" + *o.under + "' (see `govmap list areas`)");
    auto rows = tx.exec(R"(
        WITH in_scope AS (
            SELECT c.descendant_id AS id FROM issue_area_closure c JOIN issue_area a ON a.id = c.ancestor_id
             WHERE $2::text IS NULL OR a.code = $2)
        SELECT a.id, a.code, a.name, a.level::text AS level, p.code AS parent_code, a.note,
               (SELECT string_agg(x.code, '/' ORDER BY c.depth DESC) FROM issue_area_closure c
                  JOIN issue_area x ON x.id = c.ancestor_id WHERE c.descendant_id = a.id) AS path
          FROM coverage_nodes($1::boolean) a LEFT JOIN issue_area p ON p.id = a.parent_id
         WHERE a.id IN (SELECT id FROM in_scope) AND ($3::text IS NULL OR a.level::text = $3)
         ORDER BY path)",
                        {o.include_proposed ? "true" : "false", o.under ? db::Value(*o.under) : db::Value{},
                         o.level ? db::Value(*o.level) : db::Value{}});
    static const AreaCoverage nothing;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        NodeCoverage n;
        n.id = std::stoll(rows.text(i, "id"));
        n.code = rows.text(i, "code");
        n.name = rows.text(i, "name");
        n.level = rows.text(i, "level");
        n.parent = rows.at(i, "parent_code");
        n.note = rows.at(i, "note");
        auto it = cov.areas.find(n.id);
        const AreaCoverage& a = it == cov.areas.end() ? nothing : it->second;
        n.mechanisms = static_cast<long>(a.mechanisms.size());
        // Every value coverage() has a column for reads 0 when nothing counts.
        for (const char* v : {"global", "regional", "national"})
            n.counts["scope"][v] = 0;
        for (const char* v :
             {"intergovernmental", "multistakeholder", "private_sector", "technical_community", "civil_society"})
            n.counts["model"][v] = 0;
        for (const char* v : {"core", "adjacent"})
            n.counts["centrality"][v] = 0;
        n.counts["participation"]["multistakeholder"] = 0;
        for (const char* v : {"participation", "regions", "founded"})
            n.counts["unknown"][v] = 0;
        auto add = [&](const char* dim, const std::string& value) {
            if (auto d = n.counts[dim].find(value); d != n.counts[dim].end())
                ++d->second;
        };
        for (std::uint32_t m : a.mechanisms) {
            const CountedMechanism& c = cov.mechanisms[m];
            add("scope", c.info.scope);
            add("model", c.info.model);
            add("centrality", c.info.centrality);
            n.counts["participation"]["multistakeholder"] += c.multistakeholder;
            n.counts["unknown"]["participation"] += c.participation_unknown;
            n.counts["unknown"]["regions"] += c.regions_unknown;
            n.counts["unknown"]["founded"] += c.founded_unknown;
            n.covering.push_back(c.info.slug);
        }
        std::sort(n.covering.begin(), n.covering.end());
        for (const auto& [code, count] : a.by_region)
            n.counts["region"][code] = count;
        for (const auto& [code, count] : a.by_group)
            n.counts["stakeholder"][code] = count;
        r.nodes.push_back(std::move(n));
    }
    for (auto& m : cov.mechanisms) {
        std::string slug = m.info.slug;
        r.mechanisms.emplace(std::move(slug), std::move(m.info));
    }
}

void load_dimensions(db::Transaction& tx, const GapOptions& o, GapReport& r)
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
    /// `detail` is the finding as a sentence of its own; `reason` the phrase
    /// it contributes to its concern ("{}" for the joined `subjects`).
    void add(const std::string& kind, const std::optional<std::string>& node, const std::string& severity,
             const std::string& concern, std::string detail, std::string reason, std::vector<std::string> subjects = {},
             std::vector<std::string> mechanisms = {}, bool data_gap = false)
    {
        if (!wanted(kind))
            return;
        Finding f{kind,
                  node,
                  severity,
                  data_gap ? "data" : "coverage",
                  std::move(detail),
                  std::move(mechanisms),
                  concern,
                  std::move(reason),
                  std::move(subjects)};
        out_.push_back(std::move(f));
    }

private:
    const GapOptions& o_;
    std::vector<Finding>& out_;
};

/// "Internet Governance Forum (IGF)" for a slug; the slug if the mechanism is unknown.
std::string display(const GapReport& r, const std::string& slug)
{
    auto it = r.mechanisms.find(slug);
    return it == r.mechanisms.end() ? slug : it->second.display();
}

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
            f.add("uncovered", n.code, "high", "coverage", fmt::format("No mechanism addresses {}.", n.name),
                  "no mechanism addresses it");
            continue;
        }
        if (n.mechanisms == 1)
            f.add("single_point_of_failure", n.code, "high", "coverage",
                  fmt::format("{} depends on a single mechanism: {}.", n.name, display(r, n.covering.front())),
                  "1 mechanism (single point of failure): {}", {display(r, n.covering.front())}, n.covering);
        if (n.mechanisms < o.min_mechanisms)
            f.add("thin", n.code, "medium", "coverage",
                  fmt::format("Only {} {} {} (fewer than {}).", count_of(n.mechanisms, "mechanism", "mechanisms"),
                              n.mechanisms == 1 ? "addresses" : "address", n.name, o.min_mechanisms),
                  // One mechanism is said by single_point_of_failure already.
                  n.mechanisms == 1 ? ""
                                    : fmt::format("only {} (fewer than {})",
                                                  count_of(n.mechanisms, "mechanism", "mechanisms"), o.min_mechanisms),
                  {}, n.covering);
        if (count("scope", "global") == 0) {
            long regional = count("scope", "regional"), national = count("scope", "national");
            std::string only = regional == 0   ? "national only"
                               : national == 0 ? "regional only"
                                               : fmt::format("regional or national only ({} regional, {} national)",
                                                             regional, national);
            f.add("no_global", n.code, "medium", "coverage",
                  fmt::format("{} is addressed only by regional or national mechanisms ({} regional, {} national).",
                              n.name, regional, national),
                  only, {}, n.covering);
        }
        // Participation decides (migration 0007's participation()); mechanisms
        // whose participation is not recorded make the finding a data gap.
        long unknown_participation = count("unknown", "participation");
        if (count("participation", "multistakeholder") == 0) {
            if (unknown_participation == 0)
                f.add("no_multistakeholder", n.code, "medium", "coverage",
                      n.mechanisms == 1
                          ? fmt::format("The one mechanism addressing {} is not open to all and has fewer than two "
                                        "stakeholder groups in its decisions.",
                                        n.name)
                          : fmt::format("None of the {} mechanisms addressing {} is open to all or has two or more "
                                        "stakeholder groups in its decisions.",
                                        n.mechanisms, n.name),
                      std::string(n.mechanisms == 1 ? "not" : "none") +
                          " multistakeholder (open to all, or two or more stakeholder groups deciding)",
                      {}, n.covering);
            else
                f.add("no_multistakeholder", n.code, "medium", "coverage",
                      fmt::format("No mechanism addressing {} is known to be multistakeholder: participation is not "
                                  "recorded for {} of {}.",
                                  n.name, unknown_participation, n.mechanisms),
                      fmt::format("none known to be multistakeholder (participation not recorded for {} of {})",
                                  unknown_participation, n.mechanisms),
                      {}, n.covering, true);
        }
        if (count("centrality", "core") == 0)
            f.add(
                "adjacent_only", n.code, "medium", "coverage",
                fmt::format("Every mechanism addressing {} has its central role outside Internet governance.", n.name),
                "adjacent bodies only (central role outside Internet governance)", {}, n.covering);
        if (o.by_region)
            for (const auto& region : r.regions)
                if (count("region", region) == 0) {
                    auto depth = region_depth.at(region);
                    f.add("region_missing", n.code, depth <= 1 ? "medium" : "low", "regions",
                          fmt::format("No mechanism addresses {} in {}{}.", n.name, names.regions.at(region),
                                      o.strict_regions ? " (global mechanisms not counted)" : ""),
                          std::string("no mechanism in {}") + (o.strict_regions ? " (global ones not counted)" : ""),
                          {names.regions.at(region)}, {}, count("unknown", "regions") > 0);
                }
        for (const auto& group : r.stakeholder_groups)
            if (count("stakeholder", group) == 0)
                f.add("stakeholder_missing", n.code, "low", "participation",
                      fmt::format("No mechanism addressing {} involves {}.", n.name, names.groups.at(group)),
                      unknown_participation > 0 ? "no covering mechanism is known to involve {}"
                                                : "no covering mechanism involves {}",
                      {names.groups.at(group)}, n.covering, unknown_participation > 0);
    }
    for (const auto& [code, principle, assessed, best] : assessments) {
        const std::string& wanted = code;  // a lambda may not capture a structured binding before C++20
        auto node =
            std::find_if(r.nodes.begin(), r.nodes.end(), [&](const NodeCoverage& n) { return n.code == wanted; });
        if (node == r.nodes.end() || best > 1)
            continue;
        f.add("low_assessment", code, "medium", "assessment",
              fmt::format("Every assessed mechanism addressing {} scores {} or less on {} ({} assessed).", node->name,
                          best, principle, assessed),
              fmt::format("every assessed mechanism scores {} or less on {}", best, principle), {}, node->covering);
    }
}

/// criterion_unmet: a covered node none of whose mechanisms is rated met on a
/// criterion. A data gap when some covering mechanism's rating is unknown or
/// disputed (evidence could settle it), else a coverage gap.
void evaluation_findings(GapReport& r, const evaluation::Ratings& ratings, Findings& f)
{
    for (const auto& n : r.nodes) {
        if (n.covering.empty())
            continue;
        for (const auto& c : ratings.framework.criteria) {
            bool met = false, unsettled = false;
            for (const auto& slug : n.covering) {
                std::string rating = "unknown";
                if (auto m = ratings.by_mechanism.find(slug); m != ratings.by_mechanism.end())
                    if (auto it = m->second.find(c.key); it != m->second.end())
                        rating = it->second;
                met = met || rating == "met";
                unsettled = unsettled || rating == "unknown" || rating == "disputed";
            }
            if (met)
                continue;
            f.add("criterion_unmet", n.code, "low", "assessment",
                  fmt::format("No mechanism addressing {} is {} met on {} ({}).", n.name,
                              unsettled ? "known to be rated" : "rated", c.name, ratings.framework.name),
                  unsettled ? "no covering mechanism is known to meet {}" : "no covering mechanism meets {}", {c.name},
                  n.covering, unsettled);
        }
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
            f.add("single_point_of_failure", n.code, "medium", "linkage",
                  fmt::format("Removing {} would disconnect the mechanisms that address {}.", display(r, g.slug[cut]),
                              n.name),
                  "removing {} would disconnect its mechanisms", {display(r, g.slug[cut])}, {g.slug[cut]});
        std::map<std::size_t, std::vector<std::string>> groups;
        for (std::size_t v : members)
            groups[component[v]].push_back(g.slug[v]);
        if (groups.size() > 1) {
            // The largest group is counted; the others, cut off from it, are named
            // (in part, for a huge map).
            std::vector<std::vector<std::string>> sorted;
            for (auto& [c, slugs] : groups)
                sorted.push_back(slugs);
            std::stable_sort(sorted.begin(), sorted.end(),
                             [](const auto& a, const auto& b) { return a.size() > b.size(); });
            std::vector<std::string> described{fmt::format(
                "a main group of {}", count_of(static_cast<long>(sorted.front().size()), "mechanism", "mechanisms"))};
            for (std::size_t k = 1; k < sorted.size() && k <= 8; ++k) {
                std::vector<std::string> shown;
                for (std::size_t i = 0; i < std::min<std::size_t>(sorted[k].size(), 6); ++i)
                    shown.push_back(display(r, sorted[k][i]));
                if (sorted[k].size() > shown.size())
                    shown.push_back(fmt::format("{} more", sorted[k].size() - shown.size()));
                described.push_back("(" + text::join_words(shown, "and") + ")");
            }
            if (sorted.size() > 9)
                described.push_back(fmt::format("{} more groups", sorted.size() - 9));
            std::string groups_text =
                fmt::format("{} groups with no link between them: {}", groups.size(), join(described, "; "));
            f.add("fragmented", n.code, "low", "linkage",
                  fmt::format("The {} mechanisms addressing {} fall into {}.", members.size(), n.name, groups_text),
                  fmt::format("its {} mechanisms fall into {}", members.size(), groups_text), {}, n.covering);
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
            chain.push_back(display(r, g.slug[at]));
        }
        std::string said = fmt::format("{} is {} levels down part_of/reports_to chains ({})", display(r, g.slug[v]),
                                       depth[v], join(chain, " > "));
        f.add("deep_nesting", std::nullopt, "low", "nesting", said + ".", said, {}, {g.slug[v]});
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
        // With --under, the brokers among the mechanisms that address what lies under it.
        if (o.under && !in_scope.count(g.slug[v]))
            continue;
        r.brokers.push_back({g.slug[v], centrality[v]});
    }
}

/// One Concern per node, concern and basis: the findings' reasons in kind
/// order, repeated reasons of one kind joined ("removing A, B or C ...").
std::vector<Concern> merge(const GapReport& r)
{
    std::map<std::string, std::size_t> node_rank;
    std::map<std::string, std::string> node_name;
    for (std::size_t i = 0; i < r.nodes.size(); ++i) {
        node_rank[r.nodes[i].code] = i + 1;
        node_name[r.nodes[i].code] = r.nodes[i].name;
    }
    const auto& concerns = concern_kinds();
    auto concern_rank = [&](const std::string& c) {
        return std::find(concerns.begin(), concerns.end(), c) - concerns.begin();
    };
    using Key = std::tuple<std::size_t, long, int>;  // node, concern, basis
    std::map<Key, std::vector<const Finding*>> groups;
    for (const auto& f : r.findings)
        groups[{f.node ? node_rank[*f.node] : 0, concern_rank(f.concern), f.basis == "data"}].push_back(&f);
    std::vector<Concern> out;
    for (const auto& [key, fs] : groups) {
        Concern c;
        c.node = fs.front()->node;
        c.node_name = c.node ? node_name[*c.node] : "The map";
        c.concern = fs.front()->concern;
        c.basis = fs.front()->basis;
        c.severity = "low";
        std::set<std::string> mechanisms;
        // Reasons in kind order; one reason per distinct template, its subjects joined.
        std::vector<const Finding*> ordered = fs;
        // How many mechanisms comes first: "1 mechanism (single point of failure): X; national only".
        auto rank = [](const Finding* f) {
            return f->concern == "coverage" && f->kind == "single_point_of_failure" ? -1 : kind_rank(f->kind);
        };
        std::stable_sort(ordered.begin(), ordered.end(),
                         [&](const Finding* a, const Finding* b) { return rank(a) < rank(b); });
        std::vector<std::pair<std::string, std::vector<std::string>>> reasons;
        // Where each template first appears: map-wide groups hold a finding
        // per mechanism, and a search of `reasons` for each made them quadratic.
        std::unordered_map<std::string, std::size_t> first_reason;
        for (const Finding* f : ordered) {
            if (severity_rank(f->severity) < severity_rank(c.severity))
                c.severity = f->severity;
            if (std::find(c.kinds.begin(), c.kinds.end(), f->kind) == c.kinds.end())
                c.kinds.push_back(f->kind);
            mechanisms.insert(f->mechanisms.begin(), f->mechanisms.end());
            if (f->reason.empty())
                continue;
            auto [first, fresh] = first_reason.try_emplace(f->reason, reasons.size());
            if (fresh || f->subjects.empty()) {
                reasons.push_back({f->reason, f->subjects});
            } else {
                auto& subjects = reasons[first->second].second;
                subjects.insert(subjects.end(), f->subjects.begin(), f->subjects.end());
            }
        }
        for (const auto& [templ, subjects] : reasons) {
            std::string reason = templ;
            if (auto at = reason.find("{}"); at != std::string::npos) {
                // Long lists are named in part: the mechanisms are listed with the finding.
                std::vector<std::string> named = subjects;
                if (named.size() > 6) {
                    named.resize(5);
                    named.push_back(fmt::format("{} others", subjects.size() - 5));
                }
                reason.replace(at, 2, text::join_words(named));
            }
            c.reasons.push_back(reason);
        }
        c.mechanisms.assign(mechanisms.begin(), mechanisms.end());
        c.detail = c.node_name + ": " + join(c.reasons, "; ") + ".";
        out.push_back(std::move(c));
    }
    std::stable_sort(out.begin(), out.end(), [&](const Concern& a, const Concern& b) {
        if (severity_rank(a.severity) != severity_rank(b.severity))
            return severity_rank(a.severity) < severity_rank(b.severity);
        return (a.basis == "data") < (b.basis == "data");
    });
    return out;
}

}  // namespace

/// A concern is its node, concern, basis and kinds: one that persists with
/// other numbers neither appeared nor was resolved.
Comparison compare(const GapReport& then, const GapReport& now, std::optional<int> year,
                   std::optional<std::string> recorded)
{
    Comparison c;
    c.year = year;
    c.recorded = std::move(recorded);
    auto concerns_of = [](const GapReport& r) {
        std::map<std::string, std::map<std::string, std::string>> by_node;
        for (const auto& x : r.concerns) {
            std::vector<std::string> kinds = x.kinds;
            std::sort(kinds.begin(), kinds.end());
            by_node[x.node.value_or("")][x.concern + "/" + x.basis + "/" + join(kinds, ",")] = x.detail;
        }
        return by_node;
    };
    auto then_concerns = concerns_of(then), now_concerns = concerns_of(now);
    std::map<std::string, const NodeCoverage*> then_nodes;
    for (const auto& n : then.nodes)
        then_nodes[n.code] = &n;
    for (const auto& n : now.nodes) {
        NodeChange change{n.code, n.name, {}, {}, {}, {}};
        std::set<std::string> before, after(n.covering.begin(), n.covering.end());
        if (auto it = then_nodes.find(n.code); it != then_nodes.end())
            before.insert(it->second->covering.begin(), it->second->covering.end());
        for (const auto& s : after)
            if (!before.count(s))
                change.added.push_back(display(now, s));
        for (const auto& s : before)
            if (!after.count(s))
                change.ended.push_back(display(then, s));
        auto& was = then_concerns[n.code];
        auto& is = now_concerns[n.code];
        for (const auto& [key, detail] : is)
            if (!was.count(key))
                change.appeared.push_back(detail);
        for (const auto& [key, detail] : was)
            if (!is.count(key))
                change.resolved.push_back(detail);
        if (!change.added.empty() || !change.ended.empty() || !change.appeared.empty() || !change.resolved.empty())
            c.nodes.push_back(std::move(change));
    }
    return c;
}

const std::vector<std::string>& finding_kinds() { return kinds; }

const std::vector<std::string>& concern_kinds()
{
    static const std::vector<std::string> all{"coverage", "linkage",    "participation",
                                              "regions",  "assessment", "nesting"};
    return all;
}

std::string MechanismInfo::display() const
{
    if (acronym.empty() || name.find(acronym) != std::string::npos)
        return name;
    return name + " (" + acronym + ")";
}

GapReport analyse(db::Connection& conn, const GapOptions& options)
{
    if (options.include_proposed)
        throw std::invalid_argument(
            "include_proposed needs the open proposals applied: analyse(review::open_map(...))");
    auto tx = conn.begin(db::Isolation::snapshot);
    GapReport r = analyse(tx, options);
    tx.commit();
    return r;
}

std::string Comparison::label() const
{
    if (year)
        return std::to_string(*year);
    return "the map as recorded on " + recorded.value_or("?");
}

std::string recorded_moment(db::Connection& conn, const std::string& when)
{
    static const std::regex date(R"(\d{4}-\d{2}-\d{2})");
    static const std::regex time(R"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)");
    bool is_date = std::regex_match(when, date);
    if (!is_date && !std::regex_match(when, time))
        throw std::invalid_argument("'" + when +
                                    "' is not a year (YYYY), a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM[:SS][Z])");
    try {
        auto tx = conn.begin(db::Isolation::snapshot);
        // A date is the whole of that day in UTC; a time without a zone is UTC too.
        auto r = tx.exec(R"(
            SELECT to_char(CASE WHEN $2 THEN ($1::text::date + 1)::timestamp - interval '1 microsecond'
                                ELSE $1::text::timestamptz AT TIME ZONE 'UTC' END,
                           'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS moment)",
                         {when, is_date ? "true" : "false"});
        auto moment = r.text(0, "moment");
        tx.commit();
        return moment;
    } catch (const db::Error& e) {
        throw std::invalid_argument("'" + when + "' is not a valid date or time: " + e.what());
    }
}

GapReport analyse_recorded(db::Connection& conn, const GapOptions& options, const std::string& moment)
{
    if (options.include_proposed)
        throw std::invalid_argument("the map as recorded in the past has no open proposals: "
                                    "analyse it without include_proposed");
    GapOptions o = options;
    o.compare.reset();
    o.compare_recorded.reset();
    auto tx = conn.begin(db::Isolation::repeatable_read);
    tx.exec("SET LOCAL timezone = 'UTC'");
    auto begins = tx.exec(R"(
        SELECT to_char(history_begins(), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS begins,
               $1::timestamptz < history_begins() AS too_early)",
                          {moment});
    if (begins.text(0, "too_early") == "t")
        throw std::invalid_argument("--compare: history begins at " + begins.text(0, "begins") +
                                    " (when this database was migrated to keep it): the map cannot be rebuilt as it "
                                    "was recorded at " +
                                    moment);
    tx.exec("SELECT rewind_map($1::timestamptz)", {moment});
    GapReport r = analyse(tx, o);
    tx.abort();
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
        Coverage cov = count_coverage(tx, o);
        load_nodes(tx, o, cov, r);
        load_dimensions(tx, o, r);
        // assessment_coverage's rows, in its order (area code, principle).
        for (const auto& n : r.nodes)
            for (const auto& [principle, counts] : cov.areas[n.id].assessed)
                assessments.emplace_back(n.code, principle, counts.first, counts.second);
        auto d = tx.exec(
            "SELECT r.code, max(c.depth) AS depth FROM region r JOIN region_closure c ON c.descendant_id = r.id "
            "GROUP BY r.code");
        for (std::size_t i = 0; i < d.size(); ++i)
            region_depth[d.text(i, "code")] = std::stoi(d.text(i, "depth"));
        lookup = names(tx);
        r.map = queries::map_info(tx, o.include_proposed);
        auto notes = tx.exec(R"(
            SELECT a.code, a.name, a.note,
                   (SELECT string_agg(x.code, '/' ORDER BY c.depth DESC) FROM issue_area_closure c
                      JOIN issue_area x ON x.id = c.ancestor_id WHERE c.descendant_id = a.id) AS path
              FROM issue_area a
             WHERE a.note IS NOT NULL AND a.id IN (
                   SELECT c.descendant_id FROM issue_area_closure c JOIN issue_area u ON u.id = c.ancestor_id
                    WHERE $1::text IS NULL OR u.code = $1)
             ORDER BY path)",
                             {o.under ? db::Value(*o.under) : db::Value{}});
        for (std::size_t i = 0; i < notes.size(); ++i)
            r.source_notes.push_back({notes.text(i, "code"), notes.text(i, "name"), notes.text(i, "note")});
        r.region_names = lookup.regions;
        r.group_names = lookup.groups;
    }
    Findings f(o, r.findings);
    coverage_findings(r, o, lookup, region_depth, f, assessments);
    graph_findings(r, o, graph::load_linkage(tx, {o.include_proposed, o.active_only, o.as_of, o.with_observatories}),
                   f);
    if (o.framework) {
        auto key = evaluation::framework_key(tx, o.framework);  // throws for an unknown framework
        if (o.assessor && tx.exec("SELECT 1 FROM assessor WHERE key = $1", {*o.assessor}).empty())
            throw std::invalid_argument("unknown assessor '" + *o.assessor + "'");
        evaluation_findings(r, evaluation::ratings(tx, *key, o.assessor, o.as_of), f);
    }
    std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
        if (severity_rank(a.severity) != severity_rank(b.severity))
            return severity_rank(a.severity) < severity_rank(b.severity);
        if (kind_rank(a.kind) != kind_rank(b.kind))
            return kind_rank(a.kind) < kind_rank(b.kind);
        return a.node.value_or("") < b.node.value_or("");
    });
    r.concerns = merge(r);
    if (o.compare) {
        GapOptions then_options = o;
        then_options.as_of = *o.compare;
        then_options.compare.reset();
        r.comparison = compare(analyse(tx, then_options), r, *o.compare, std::nullopt);
    }
    return r;
}

}  // namespace govmap::analysis
