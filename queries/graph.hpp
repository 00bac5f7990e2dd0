#pragma once
// The map as a graph of nodes and edges (the graph_node / graph_edge views),
// filtered as `govmap export` filters it, streamed row by row with COPY.
#include "schema/db.hpp"

#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

namespace govmap::queries {

/// A filter or key names something the map does not have, or a value outside
/// the vocabulary (the CLI's usage error).
class UnknownName : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

struct GraphFilter {
    std::optional<std::string> under;   ///< a taxonomy node: its subtree, and the mechanisms that cover it
    std::set<std::string> scopes;       ///< mechanisms of these scopes only
    std::set<std::string> models;       ///< mechanisms of these governance models only
    std::optional<std::string> region;  ///< mechanisms operating in this region or inside it
    std::set<std::string> kinds;        ///< node kinds (vocab node_kind; empty: all)
    std::set<std::string> relations;    ///< edge kinds (vocab edge_kind; empty: all)
    bool include_proposed = false;
    std::optional<int> as_of;  ///< the map as it stood during this year (mechanisms and edges); none: all time
};

/// One row of graph_node as selected, with its drawing group and weight.
struct GraphNode {
    std::string id;  ///< kind:key, stable across databases
    std::string kind, key, label;
    db::Value level, scope, model, centrality, status, founded, url, description, review_status;
    db::Value ended;
    /// Mechanisms: multistakeholder, intergovernmental, single group or
    /// unknown (participation() of migration 0007, as of the filter's year).
    db::Value participation;
    db::Value source;   ///< mechanisms and areas: their source's URL, else its title
    db::Value acronym;  ///< mechanisms: their acronym, when they have one
    db::Value cluster;  ///< areas: the taxonomy cluster they belong to
    std::string cluster_label;
    long long weight = 0;  ///< areas: covering mechanisms; others: degree
};

struct GraphEdge {
    std::string id, kind, source, target;  ///< source and target are node ids
    db::Value strength, role, source_url, review_status;
};

struct GraphVisitor {
    /// Optional: told how many nodes (and how many of them mechanisms) the
    /// filter selected, before the first node. It may throw to stop before
    /// anything is streamed.
    std::function<void(long long nodes, long long mechanisms)> selected;
    std::function<void(const GraphNode&)> node;
    std::function<void()> edges_begin;  ///< after the last node, before the first edge
    std::function<void(const GraphEdge&)> edge;
};

/// Throws UnknownName when the filter names a taxonomy node, region or
/// vocabulary value the map does not have.
void check_filter(db::Transaction& tx, const GraphFilter& filter);

/// Checks the filter (UnknownName), selects its nodes into temporary tables
/// of `tx` (which must allow writes to temporary tables) and streams the
/// nodes, then the edges between them, in an order that is the same on every
/// server for the same map.
void read_graph(db::Transaction& tx, const GraphFilter& filter, const GraphVisitor& visit);

}  // namespace govmap::queries
