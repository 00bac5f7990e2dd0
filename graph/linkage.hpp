#pragma once
// The linkage graph: mechanisms and the relations between them, loaded from
// PostgreSQL in one pass (COPY), and the analytics that Boost.Graph runs on it.
#include "schema/db.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace govmap::graph {

struct LoadOptions {
    bool include_proposed = false;    ///< count proposed rows as well as accepted ones
    bool active_only = false;         ///< only mechanisms still active (at as_of, when given)
    std::optional<int> as_of;         ///< the map as it stood during this year (mechanisms and relations)
    bool with_observatories = false;  ///< observatories and mapping exercises are vertices too
};

struct Linkage {
    std::vector<std::int64_t> id;                          ///< vertex -> mechanism id
    std::vector<std::string> slug;                         ///< vertex -> mechanism slug
    std::unordered_map<std::int64_t, std::size_t> vertex;  ///< mechanism id -> vertex
    /// Undirected linkage: one edge per linked pair, whatever the relation kinds.
    std::vector<std::pair<std::size_t, std::size_t>> links;
    /// Directed nesting: child -> parent for part_of and reports_to.
    std::vector<std::pair<std::size_t, std::size_t>> nesting;

    std::size_t size() const { return id.size(); }
};

/// Loads every counted mechanism and relation with two COPY statements, in
/// the caller's transaction (and so in the caller's snapshot).
Linkage load_linkage(db::Transaction& tx, const LoadOptions& options);
/// The same in a snapshot of its own.
Linkage load_linkage(db::Connection& conn, const LoadOptions& options);

/// Component number of each vertex (components numbered from 0).
std::vector<std::size_t> connected_components(const Linkage& g);

/// Up to this many mechanisms betweenness is exact (Boost.Graph's Brandes,
/// O(V·E)); above it, it is estimated from `betweenness_samples` sources, or
/// fewer where each source's search (every vertex and link once) would take
/// the total past `betweenness_budget` visits -- but never fewer than
/// `betweenness_min_samples`. The budget keeps a million-mechanism report in
/// seconds; the JSON report says how many sources were used.
constexpr std::size_t exact_betweenness_limit = 4000;
constexpr std::size_t betweenness_samples = 256;
constexpr std::size_t betweenness_min_samples = 64;
constexpr std::size_t betweenness_budget = 100'000'000;

/// Betweenness centrality, normalised as networkx does for an undirected
/// graph: the sum over unordered pairs s, t of the share of shortest s-t paths
/// through v, divided by (n-1)(n-2)/2. With `sources` = 0 the choice above is
/// made; otherwise the dependencies of that many source vertices (a fixed
/// pseudo-random sample; all vertices when `sources` >= n) are summed and
/// scaled by n / sources, as in Brandes and Pich (2007).
std::vector<double> betweenness(const Linkage& g, std::size_t sources = 0);

/// The estimator itself: the dependencies of exactly these source vertices
/// (distinct, each < g.size()), scaled by n / |sources| and normalised as above.
/// With every vertex as a source it equals the exact values.
std::vector<double> sampled_betweenness(const Linkage& g, const std::vector<std::size_t>& sources);

/// How many source vertices betweenness() uses for this graph by default.
std::size_t betweenness_sources(const Linkage& g);

/// Length of the longest part_of/reports_to chain above each mechanism
/// (0 for a mechanism nested in nothing).
std::vector<int> nesting_depth(const Linkage& g);

/// The block-cut tree of the linkage graph (from its biconnected components):
/// tells which single mechanisms, if removed, would disconnect others.
class BlockCutTree {
public:
    explicit BlockCutTree(const Linkage& g);

    bool is_articulation_point(std::size_t vertex) const { return cut_node_[vertex] != none; }

    /// Articulation points whose removal splits `members` (vertices that
    /// are connected to each other) into two or more groups; each comes with
    /// the member vertices that stay on its sides.
    std::vector<std::size_t> separating(const std::vector<std::size_t>& members) const;

private:
    static constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::size_t tree_node_of(std::size_t vertex) const;
    std::vector<std::size_t> cut_node_;               ///< vertex -> tree node, or none
    std::vector<std::size_t> block_of_;               ///< non-cut vertex -> its block, or none
    std::vector<std::vector<std::size_t>> adjacent_;  ///< tree adjacency
    std::vector<std::size_t> parent_, component_;     ///< rooted per tree component
    std::vector<std::vector<std::size_t>> order_;     ///< per component, nodes parents-first
    std::vector<std::size_t> cut_vertex_of_;          ///< tree node -> vertex, or none for blocks
};

}  // namespace govmap::graph
