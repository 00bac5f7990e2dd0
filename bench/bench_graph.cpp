// The linkage graph's analytics against pgRouting on the same edges, in one
// process: govmap loads the graph (one COPY) and runs connected components and
// articulation points in Boost.Graph; pgRouting runs pgr_connectedComponents
// and pgr_articulationPoints over a table of exactly those edges. Prints one
// JSON line with the times (median of three) and whether the results agree;
// exits 1 when they do not.
// Usage: govmap_bench_graph CONNINFO   (the database holds a map; pgRouting
// must be installable there: CREATE EXTENSION needs a superuser)
#include "graph/linkage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <vector>

using namespace govmap;

namespace {

double median3(const std::function<void()>& run)
{
    std::vector<double> t;
    for (int i = 0; i < 3; ++i) {
        auto start = std::chrono::steady_clock::now();
        run();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(t.begin(), t.end());
    return t[1];
}

/// A partition as a set of sorted groups, whatever the groups' numbers.
using Partition = std::set<std::vector<std::int64_t>>;

Partition partition(const std::map<std::int64_t, std::int64_t>& group_of)
{
    std::map<std::int64_t, std::vector<std::int64_t>> groups;
    for (const auto& [node, group] : group_of)
        groups[group].push_back(node);
    Partition out;
    for (auto& [group, nodes] : groups) {
        std::sort(nodes.begin(), nodes.end());
        out.insert(nodes);
    }
    return out;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        fmt::print(stderr, "usage: govmap_bench_graph CONNINFO\n");
        return 2;
    }
    db::Connection conn(argv[1]);
    conn.begin(db::Isolation::autocommit).exec("CREATE EXTENSION IF NOT EXISTS pgrouting CASCADE");

    graph::Linkage g;
    std::vector<std::size_t> component;
    std::set<std::int64_t> cut;
    double load = median3([&] { g = graph::load_linkage(conn, {}); });
    double components = median3([&] { component = graph::connected_components(g); });
    double articulation = median3([&] {
        graph::BlockCutTree tree(g);
        cut.clear();
        for (std::size_t v = 0; v < g.size(); ++v)
            if (tree.is_articulation_point(v))
                cut.insert(g.id[v]);
    });

    // pgRouting sees the same edges: one row per linked pair, undirected.
    auto tx = conn.begin();
    tx.exec("CREATE TEMP TABLE bench_links (id bigint, source bigint, target bigint, cost float8, "
            "reverse_cost float8)");
    {
        auto w = tx.copy_in("bench_links", {"id", "source", "target", "cost", "reverse_cost"});
        std::int64_t id = 0;
        for (const auto& [a, b] : g.links)
            w.write({std::to_string(++id), std::to_string(g.id[a]), std::to_string(g.id[b]), std::string("1"),
                     std::string("1")});
        w.finish();
    }
    tx.exec("ANALYZE bench_links");
    const std::string edges = "SELECT id, source, target, cost, reverse_cost FROM bench_links";
    db::Result pgr_components, pgr_cut;
    double pgr_cc =
        median3([&] { pgr_components = tx.exec("SELECT component, node FROM pgr_connectedComponents($1)", {edges}); });
    double pgr_ap = median3([&] { pgr_cut = tx.exec("SELECT node FROM pgr_articulationPoints($1)", {edges}); });

    // pgRouting knows only nodes with an edge: compare on those.
    std::vector<bool> linked(g.size());
    for (const auto& [a, b] : g.links)
        linked[a] = linked[b] = true;
    std::map<std::int64_t, std::int64_t> ours, theirs;
    for (std::size_t v = 0; v < g.size(); ++v)
        if (linked[v])
            ours[g.id[v]] = static_cast<std::int64_t>(component[v]);
    for (std::size_t i = 0; i < pgr_components.size(); ++i)
        theirs[std::stoll(pgr_components.text(i, "node"))] = std::stoll(pgr_components.text(i, "component"));
    std::set<std::int64_t> their_cut;
    for (std::size_t i = 0; i < pgr_cut.size(); ++i)
        their_cut.insert(std::stoll(pgr_cut.text(i, "node")));
    bool same_components = partition(ours) == partition(theirs);
    bool same_cut = cut == their_cut;
    fmt::print("{{\"vertices\": {}, \"edges\": {}, \"components\": {}, \"articulation_points\": {}, "
               "\"load_s\": {:.4f}, \"components_s\": {:.4f}, \"articulation_s\": {:.4f}, "
               "\"pgr_components_s\": {:.4f}, \"pgr_articulation_s\": {:.4f}, "
               "\"same_components\": {}, \"same_articulation_points\": {}}}\n",
               g.size(), g.links.size(), partition(ours).size(), cut.size(), load, components, articulation, pgr_cc,
               pgr_ap, same_components, same_cut);
    return same_components && same_cut ? 0 : 1;
}
