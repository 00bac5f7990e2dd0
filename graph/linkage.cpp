#include "graph/linkage.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/biconnected_components.hpp>
#include <boost/graph/connected_components.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <tuple>

namespace govmap::graph {

namespace {

using Undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

Undirected to_boost(const Linkage& g)
{
    Undirected u(g.size());
    for (const auto& [a, b] : g.links)
        boost::add_edge(a, b, u);
    return u;
}

/// The condition that selects counted mechanisms of alias `m` (migration
/// 0007's mechanism_counts). COPY takes no parameters: the text is built from
/// booleans only, and the year comes from the setting govmap.as_of.
std::string counted(const char* m, const LoadOptions& o)
{
    auto flag = [](bool b) { return b ? "true" : "false"; };
    return fmt::format("mechanism_counts({0}.review_status, {0}.kind, {0}.status, {0}.founded, {0}.ended, {1}, {2}, "
                       "as_of_setting(), {3})",
                       m, flag(o.include_proposed), flag(o.active_only), flag(o.with_observatories));
}

}  // namespace

Linkage load_linkage(db::Transaction& tx, const LoadOptions& options)
{
    Linkage g;
    tx.exec("SELECT set_config('govmap.as_of', $1, true)",
            {options.as_of ? std::to_string(*options.as_of) : std::string()});
    tx.copy_out("SELECT m.id, m.slug FROM mechanism m WHERE " + counted("m", options) + " ORDER BY m.id",
                [&](const std::vector<db::Value>& row) {
                    const auto& [id, slug] = std::tie(*row.at(0), *row.at(1));
                    g.vertex.emplace(std::stoll(id), g.id.size());
                    g.id.push_back(std::stoll(id));
                    g.slug.push_back(slug);
                });
    std::string statuses = options.include_proposed ? "('accepted', 'proposed')" : "('accepted')";
    // Relations whose ends are not both counted are dropped here, by looking
    // the ends up among the vertices just read, rather than by joining the
    // mechanisms twice more in the server; order and duplicates are settled
    // by sorting the pairs, so the graph is the same whatever order the
    // server sends.
    tx.copy_out("SELECT r.from_id, r.to_id, r.kind IN ('part_of', 'reports_to') FROM mechanism_relation r "
                "WHERE r.review_status IN " +
                    statuses + " AND held_in(r.valid_from, r.valid_to, as_of_setting())",
                [&](const std::vector<db::Value>& row) {
                    auto from = g.vertex.find(std::stoll(*row.at(0)));
                    auto to = g.vertex.find(std::stoll(*row.at(1)));
                    if (from == g.vertex.end() || to == g.vertex.end())
                        return;
                    std::size_t a = from->second, b = to->second;
                    if (*row.at(2) == "t")
                        g.nesting.emplace_back(a, b);
                    g.links.emplace_back(std::min(a, b), std::max(a, b));
                });
    std::sort(g.nesting.begin(), g.nesting.end());
    g.nesting.erase(std::unique(g.nesting.begin(), g.nesting.end()), g.nesting.end());
    std::sort(g.links.begin(), g.links.end());
    g.links.erase(std::unique(g.links.begin(), g.links.end()), g.links.end());
    return g;
}

Linkage load_linkage(db::Connection& conn, const LoadOptions& options)
{
    auto tx = conn.begin(db::Isolation::snapshot);
    Linkage g = load_linkage(tx, options);
    tx.commit();
    return g;
}

std::vector<std::size_t> connected_components(const Linkage& g)
{
    Undirected u = to_boost(g);
    std::vector<std::size_t> component(g.size());
    boost::connected_components(u, component.data());
    return component;
}

std::size_t betweenness_sources(const Linkage& g)
{
    if (g.size() <= exact_betweenness_limit)
        return g.size();
    std::size_t affordable = betweenness_budget / (g.size() + g.links.size());
    return std::min(g.size(), std::clamp(affordable, betweenness_min_samples, betweenness_samples));
}

namespace {

/// The undirected linkage as compressed adjacency (offsets into one array):
/// the breadth-first searches below walk it hundreds of times.
struct Adjacency {
    std::vector<std::uint32_t> offset, target;
    explicit Adjacency(const Linkage& g) : offset(g.size() + 1, 0), target(2 * g.links.size())
    {
        for (const auto& [a, b] : g.links) {
            ++offset[a + 1];
            ++offset[b + 1];
        }
        for (std::size_t v = 0; v < g.size(); ++v)
            offset[v + 1] += offset[v];
        std::vector<std::uint32_t> at(offset.begin(), offset.end() - 1);
        for (const auto& [a, b] : g.links) {
            target[at[a]++] = static_cast<std::uint32_t>(b);
            target[at[b]++] = static_cast<std::uint32_t>(a);
        }
    }
};

/// Brandes' accumulation (unweighted) of the dependencies of `sources`
/// into `total`.
void accumulate(const Adjacency& adj, const std::vector<std::size_t>& sources, std::vector<double>& total)
{
    const std::size_t n = adj.offset.size() - 1;
    std::vector<double> sigma(n), delta(n);
    std::vector<std::int32_t> dist(n, -1);
    std::vector<std::uint32_t> order;
    order.reserve(n);
    for (std::size_t s : sources) {
        order.clear();
        dist[s] = 0;
        sigma[s] = 1;
        order.push_back(static_cast<std::uint32_t>(s));
        for (std::size_t i = 0; i < order.size(); ++i) {
            std::uint32_t v = order[i];
            for (std::uint32_t e = adj.offset[v]; e < adj.offset[v + 1]; ++e) {
                std::uint32_t w = adj.target[e];
                if (dist[w] < 0) {
                    dist[w] = dist[v] + 1;
                    sigma[w] = 0;
                    order.push_back(w);
                }
                if (dist[w] == dist[v] + 1)
                    sigma[w] += sigma[v];
            }
        }
        for (std::uint32_t v : order)
            delta[v] = 0;
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            std::uint32_t w = *it;
            for (std::uint32_t e = adj.offset[w]; e < adj.offset[w + 1]; ++e) {
                std::uint32_t v = adj.target[e];
                if (dist[v] == dist[w] - 1)
                    delta[v] += sigma[v] / sigma[w] * (1 + delta[w]);
            }
            if (w != s)
                total[w] += delta[w];
        }
        for (std::uint32_t v : order)
            dist[v] = -1;
    }
}

/// Sum of the dependencies of the given source vertices. The sources are cut
/// into a fixed number of slices whose sums are added in slice order, so the
/// result is the same bits whatever the number of threads that run them.
std::vector<double> sampled_dependencies(const Linkage& g, const std::vector<std::size_t>& sources)
{
    const Adjacency adj(g);
    constexpr std::size_t slices = 8;
    std::vector<std::vector<double>> partial(slices, std::vector<double>(g.size(), 0.0));
    auto run_slice = [&](std::size_t k) {
        std::vector<std::size_t> mine;
        for (std::size_t i = k; i < sources.size(); i += slices)
            mine.push_back(sources[i]);
        accumulate(adj, mine, partial[k]);
    };
    // Small graphs are not worth a thread.
    std::size_t threads =
        g.links.size() * sources.size() < 10000000
            ? 1
            : std::max<std::size_t>(1, std::min<std::size_t>(slices, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    std::atomic<std::size_t> next{0};
    for (std::size_t t = 1; t < threads; ++t)
        pool.emplace_back([&] {
            for (std::size_t k; (k = next++) < slices;)
                run_slice(k);
        });
    for (std::size_t k; (k = next++) < slices;)
        run_slice(k);
    for (auto& t : pool)
        t.join();
    std::vector<double> total(g.size(), 0.0);
    for (const auto& p : partial)
        for (std::size_t v = 0; v < g.size(); ++v)
            total[v] += p[v];
    return total;
}

}  // namespace

std::vector<double> sampled_betweenness(const Linkage& g, const std::vector<std::size_t>& sources)
{
    double n = static_cast<double>(g.size());
    auto centrality = sampled_dependencies(g, sources);
    // Each source's dependencies count ordered pairs (s, t): scale to all
    // sources, halve for unordered pairs, then normalise.
    for (auto& c : centrality)
        c = n > 2 && !sources.empty() ? c * n / static_cast<double>(sources.size()) / ((n - 1) * (n - 2)) : 0;
    return centrality;
}

std::vector<double> betweenness(const Linkage& g, std::size_t sources)
{
    double n = static_cast<double>(g.size());
    if (sources == 0)
        sources = betweenness_sources(g);
    if (sources < g.size()) {
        std::vector<std::size_t> all(g.size());
        for (std::size_t v = 0; v < g.size(); ++v)
            all[v] = v;
        std::mt19937 rng(20141003);  // fixed: the same map gives the same estimate
        std::shuffle(all.begin(), all.end(), rng);
        all.resize(sources);
        std::sort(all.begin(), all.end());
        return sampled_betweenness(g, all);
    }
    Undirected u = to_boost(g);
    std::vector<double> centrality(g.size(), 0.0);
    boost::brandes_betweenness_centrality(u, boost::centrality_map(boost::make_iterator_property_map(
                                                 centrality.begin(), boost::get(boost::vertex_index, u))));
    // On an undirected graph Boost sums over unordered pairs; networkx
    // normalises by the number of pairs that exclude v, (n-1)(n-2)/2.
    if (n > 2)
        for (auto& c : centrality)
            c /= (n - 1) * (n - 2) / 2;
    return centrality;
}

std::vector<int> nesting_depth(const Linkage& g)
{
    std::vector<std::vector<std::size_t>> parents(g.size());
    for (const auto& [child, parent] : g.nesting)
        parents[child].push_back(parent);
    // Longest path upwards in a DAG (the database forbids cycles), computed
    // iteratively so that a very deep chain cannot overflow the stack.
    std::vector<int> depth(g.size(), -1);
    std::vector<std::pair<std::size_t, std::size_t>> stack;
    for (std::size_t start = 0; start < g.size(); ++start) {
        if (depth[start] >= 0)
            continue;
        stack.push_back({start, 0});
        while (!stack.empty()) {
            auto& [v, next] = stack.back();
            if (next < parents[v].size()) {
                std::size_t p = parents[v][next++];
                if (depth[p] < 0)
                    stack.push_back({p, 0});
                continue;
            }
            int d = 0;
            for (std::size_t p : parents[v])
                d = std::max(d, depth[p] + 1);
            depth[v] = d;
            stack.pop_back();
        }
    }
    return depth;
}

BlockCutTree::BlockCutTree(const Linkage& g) : cut_node_(g.size(), none), block_of_(g.size(), none)
{
    using Indexed = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                          boost::property<boost::edge_index_t, std::size_t>>;
    Indexed u(g.size());
    for (std::size_t i = 0; i < g.links.size(); ++i)
        boost::add_edge(g.links[i].first, g.links[i].second, i, u);
    std::vector<std::size_t> edge_block(g.links.size());
    auto component_map = boost::make_iterator_property_map(edge_block.begin(), boost::get(boost::edge_index, u));
    std::size_t blocks = boost::biconnected_components(u, component_map);

    // Which blocks each vertex belongs to.
    std::vector<std::set<std::size_t>> vertex_blocks(g.size());
    for (std::size_t i = 0; i < g.links.size(); ++i) {
        vertex_blocks[g.links[i].first].insert(edge_block[i]);
        vertex_blocks[g.links[i].second].insert(edge_block[i]);
    }
    adjacent_.resize(blocks);
    cut_vertex_of_.assign(blocks, none);
    for (std::size_t v = 0; v < g.size(); ++v) {
        if (vertex_blocks[v].size() == 1)
            block_of_[v] = *vertex_blocks[v].begin();
        if (vertex_blocks[v].size() < 2)
            continue;
        std::size_t node = adjacent_.size();
        cut_node_[v] = node;
        adjacent_.emplace_back();
        cut_vertex_of_.push_back(v);
        for (std::size_t b : vertex_blocks[v]) {
            adjacent_[node].push_back(b);
            adjacent_[b].push_back(node);
        }
    }
    // Root every tree component and keep its nodes parents-first.
    parent_.assign(adjacent_.size(), none);
    component_.assign(adjacent_.size(), none);
    for (std::size_t root = 0; root < adjacent_.size(); ++root) {
        if (component_[root] != none)
            continue;
        std::size_t c = order_.size();
        order_.emplace_back();
        auto& order = order_.back();
        component_[root] = c;
        order.push_back(root);
        for (std::size_t i = 0; i < order.size(); ++i)
            for (std::size_t next : adjacent_[order[i]])
                if (component_[next] == none) {
                    component_[next] = c;
                    parent_[next] = order[i];
                    order.push_back(next);
                }
    }
}

std::size_t BlockCutTree::tree_node_of(std::size_t vertex) const
{
    return cut_node_[vertex] != none ? cut_node_[vertex] : block_of_[vertex];
}

std::vector<std::size_t> BlockCutTree::separating(const std::vector<std::size_t>& members) const
{
    // Members per tree node; members that are cut vertices sit on their own node.
    std::map<std::size_t, std::vector<std::size_t>> by_component;  // component -> tree nodes of members
    for (std::size_t v : members) {
        std::size_t node = tree_node_of(v);
        if (node != none)
            by_component[component_[node]].push_back(node);
    }
    std::vector<std::size_t> result;
    std::vector<std::size_t> here(adjacent_.size(), 0), below(adjacent_.size(), 0);
    for (const auto& [c, nodes] : by_component) {
        if (nodes.size() < 2)
            continue;
        const auto& order = order_[c];
        for (std::size_t n : order)
            here[n] = below[n] = 0;
        for (std::size_t n : nodes)
            ++here[n];
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            below[*it] += here[*it];
            if (parent_[*it] != none)
                below[parent_[*it]] += below[*it];
        }
        std::size_t total = below[order.front()];
        for (std::size_t n : order) {
            if (cut_vertex_of_[n] == none)
                continue;
            // Removing this mechanism leaves these groups of the other members.
            int groups = 0;
            for (std::size_t next : adjacent_[n])
                if (next != parent_[n] && below[next] > 0)
                    ++groups;
            if (total - below[n] > 0)
                ++groups;
            if (groups >= 2)
                result.push_back(cut_vertex_of_[n]);
        }
    }
    std::sort(result.begin(), result.end());
    return result;
}

}  // namespace govmap::graph
