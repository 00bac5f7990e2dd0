// The Boost.Graph analytics on a generated random map, checked against
// independent computations: pgRouting in the same database, networkx, and a
// brute-force search for articulation points that separate a set of mechanisms.
#include "graph/linkage.hpp"
#include "importer/importer.hpp"
#include "tests/support/files.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>

using namespace govmap;

namespace {

/// 2 000 mechanisms and about 2 600 relations: a large component with many
/// articulation points, small trees and isolated mechanisms. part_of edges
/// only point from a higher to a lower number, so they cannot form a cycle.
struct RandomMap {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    graph::Linkage g;
    static constexpr int n = 2000;

    RandomMap()
    {
        std::mt19937 rng(20141003);
        std::string mechanisms = "slug,name,kind,scope,model\n";
        for (int i = 0; i < n; ++i)
            mechanisms += "m" + std::to_string(i) + ",M " + std::to_string(i) + ",forum,global,multistakeholder\n";
        std::string relations = "from,kind,to\n";
        std::set<std::pair<int, int>> pairs;
        std::uniform_int_distribution<int> pick(0, n - 1);
        while (pairs.size() < 2600) {
            int a = pick(rng), b = pick(rng);
            // Mostly near neighbours, so that the graph is sparse and tree-like in places.
            if (a == b || (std::abs(a - b) > 40 && pick(rng) % 4 != 0))
                continue;
            if (!pairs.insert({std::min(a, b), std::max(a, b)}).second)
                continue;
            const char* kind = pick(rng) % 5 == 0 ? "part_of" : "cooperates_with";
            int from = std::max(a, b), to = std::min(a, b);
            relations += "m" + std::to_string(from) + "," + kind + ",m" + std::to_string(to) + "\n";
        }
        importer::Options o;
        o.contributor = "generator";
        auto r =
            importer::import(conn, {{"mechanisms.csv", mechanisms, {}, {}}, {"relations.csv", relations, {}, {}}}, o);
        REQUIRE(r.problems.empty());
        g = graph::load_linkage(conn, {});
        REQUIRE(g.size() == static_cast<std::size_t>(n));
    }

    bool pgrouting()
    {
        try {
            conn.in_transaction(
                [](db::Transaction& tx) { tx.exec("CREATE EXTENSION IF NOT EXISTS pgrouting CASCADE"); });
            return true;
        } catch (const db::Error& e) {
            return test::require_or_skip(false, std::string("pgRouting is not available (postgresql-15-pgrouting): ") +
                                                    e.what());
        }
    }
};

const char* const edges_sql = "'SELECT id, from_id AS source, to_id AS target, 1.0::float8 AS cost, "
                              "1.0::float8 AS reverse_cost FROM mechanism_relation'";

}  // namespace

TEST_CASE("Connected components agree with pgRouting's pgr_connectedComponents")
{
    RandomMap m;
    if (!m.pgrouting())
        return;
    auto ours = graph::connected_components(m.g);
    auto tx = m.conn.begin();
    auto theirs = tx.exec(std::string("SELECT node, component FROM pgr_connectedComponents(") + edges_sql + ")");
    REQUIRE(theirs.size() > 100);
    // The same partition: a one-to-one correspondence between component labels.
    std::map<std::size_t, std::string> ours_to_theirs;
    std::map<std::string, std::size_t> theirs_to_ours;
    for (std::size_t i = 0; i < theirs.size(); ++i) {
        std::size_t v = m.g.vertex.at(std::stoll(theirs.text(i, "node")));
        const std::string& label = theirs.text(i, "component");
        auto [a, fresh_a] = ours_to_theirs.emplace(ours[v], label);
        auto [b, fresh_b] = theirs_to_ours.emplace(label, ours[v]);
        CHECK(a->second == label);
        CHECK(b->second == ours[v]);
    }
    // pgRouting sees only mechanisms with a relation; the rest are alone in ours.
    std::map<std::size_t, int> size;
    for (auto c : ours)
        ++size[c];
    std::size_t singletons = 0;
    for (const auto& [c, s] : size)
        singletons += s == 1;
    CHECK(ours_to_theirs.size() + singletons == size.size());
}

TEST_CASE("Articulation points agree with pgRouting's pgr_articulationPoints")
{
    RandomMap m;
    if (!m.pgrouting())
        return;
    graph::BlockCutTree tree(m.g);
    std::set<std::int64_t> ours;
    for (std::size_t v = 0; v < m.g.size(); ++v)
        if (tree.is_articulation_point(v))
            ours.insert(m.g.id[v]);
    auto tx = m.conn.begin();
    auto rows = tx.exec(std::string("SELECT node FROM pgr_articulationPoints(") + edges_sql + ")");
    std::set<std::int64_t> theirs;
    for (std::size_t i = 0; i < rows.size(); ++i)
        theirs.insert(std::stoll(rows.text(i, "node")));
    INFO(ours.size() << " articulation points here, " << theirs.size() << " in pgRouting");
    CHECK(ours.size() > 50);
    CHECK(ours == theirs);
}

TEST_CASE("Betweenness centrality agrees with networkx")
{
    RandomMap m;
    test::TempDir dir;
    std::string nodes, edges;
    for (std::size_t v = 0; v < m.g.size(); ++v)
        nodes += m.g.slug[v] + "\n";
    for (const auto& [a, b] : m.g.links)
        edges += m.g.slug[a] + " " + m.g.slug[b] + "\n";
    auto node_file = dir.write("nodes.txt", nodes);
    auto edge_file = dir.write("edges.txt", edges);
    auto out_file = (dir.path() / "networkx.json").string();
    std::string script = "import json, sys, networkx as nx\n"
                         "g = nx.Graph()\n"
                         "g.add_nodes_from(open(sys.argv[1]).read().split())\n"
                         "g.add_edges_from(line.split() for line in open(sys.argv[2]) if line.strip())\n"
                         "json.dump(nx.betweenness_centrality(g), open(sys.argv[3], 'w'))\n";
    auto script_file = dir.write("bc.py", script);
    int rc = -1;
    for (const char* py : {"python3", "/usr/bin/python3"}) {
        rc = std::system((std::string(py) + " -c 'import networkx' 2>/dev/null && " + py + " " + script_file + " " +
                          node_file + " " + edge_file + " " + out_file)
                             .c_str());
        if (rc == 0)
            break;
    }
    if (!test::require_or_skip(rc == 0, "networkx is not available (python3-networkx)"))
        return;
    auto theirs = nlohmann::json::parse(std::ifstream(out_file));
    auto ours = graph::betweenness(m.g);
    REQUIRE(theirs.size() == m.g.size());
    double largest = 0;
    for (std::size_t v = 0; v < m.g.size(); ++v) {
        double expected = theirs.at(m.g.slug[v]).get<double>();
        largest = std::max(largest, expected);
        INFO(m.g.slug[v]);
        CHECK(ours[v] == Approx(expected).margin(1e-12).epsilon(1e-9));
    }
    CHECK(largest > 0.01);
}

TEST_CASE("The articulation points that separate a set of mechanisms match a brute-force search")
{
    RandomMap m;
    graph::BlockCutTree tree(m.g);
    std::vector<std::vector<std::size_t>> adj(m.g.size());
    for (const auto& [a, b] : m.g.links) {
        adj[a].push_back(b);
        adj[b].push_back(a);
    }
    // Components of the graph without `removed` (none = the whole graph).
    auto components_without = [&](std::size_t removed) {
        std::vector<int> comp(m.g.size(), -1);
        int next = 0;
        for (std::size_t s = 0; s < m.g.size(); ++s) {
            if (s == removed || comp[s] >= 0)
                continue;
            std::vector<std::size_t> stack{s};
            comp[s] = next;
            while (!stack.empty()) {
                auto v = stack.back();
                stack.pop_back();
                for (auto w : adj[v])
                    if (w != removed && comp[w] < 0) {
                        comp[w] = next;
                        stack.push_back(w);
                    }
            }
            ++next;
        }
        return comp;
    };
    auto whole = components_without(static_cast<std::size_t>(-1));
    std::vector<std::size_t> cut_vertices;
    for (std::size_t v = 0; v < m.g.size(); ++v)
        if (tree.is_articulation_point(v))
            cut_vertices.push_back(v);
    std::vector<std::vector<int>> without;
    for (auto c : cut_vertices)
        without.push_back(components_without(c));

    std::mt19937 rng(7);
    std::uniform_int_distribution<std::size_t> pick(0, m.g.size() - 1);
    int sets_with_a_separator = 0;
    for (int trial = 0; trial < 30; ++trial) {
        // Members drawn near one another, so that they often share a component.
        std::size_t centre = pick(rng);
        std::set<std::size_t> members;
        while (members.size() < 6)
            members.insert(std::min(m.g.size() - 1, centre + pick(rng) % 60));
        std::vector<std::size_t> list(members.begin(), members.end());
        auto fast = tree.separating(list);
        std::vector<std::size_t> brute;
        for (std::size_t i = 0; i < cut_vertices.size(); ++i) {
            std::size_t a = cut_vertices[i];
            // a separates the members if two of them (other than a) were connected
            // before and are not after a is removed.
            bool splits = false;
            for (auto u : list)
                for (auto v : list)
                    if (u != a && v != a && u < v && whole[u] == whole[v] && without[i][u] != without[i][v])
                        splits = true;
            if (splits)
                brute.push_back(a);
        }
        INFO("trial " << trial);
        CHECK(fast == brute);
        sets_with_a_separator += !brute.empty();
    }
    CHECK(sets_with_a_separator > 5);
}
