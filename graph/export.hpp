#pragma once
// Exports of the map (or a filtered part of it) for the tools people use:
// GraphML (Gephi, yEd, Cytoscape desktop), GEXF 1.3 (Gephi), Graphviz DOT,
// Cytoscape.js JSON, and CSV node and edge lists (Gephi, Kumu). Nodes and
// edges are streamed from PostgreSQL (COPY) to the output as they arrive.
#include "schema/db.hpp"

#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>

namespace govmap::graph {

enum class ExportFormat { graphml, gexf, dot, cytoscape, csv };

struct ExportOptions {
    std::optional<std::string> under;  ///< a taxonomy node: its subtree, and the mechanisms that cover it
    std::set<std::string> scopes;      ///< mechanisms of these scopes only
    std::set<std::string> models;      ///< mechanisms of these governance models only
    std::optional<std::string> region; ///< mechanisms operating in this region or inside it
    std::set<std::string> kinds;       ///< node kinds: mechanism, area, stakeholder, region (empty: all)
    std::set<std::string> relations;   ///< edge kinds (empty: all)
    bool include_proposed = false;
    bool with_gaps = false;            ///< coverage counts, gap flags, betweenness
};

/// A filter names something that does not exist (exit code 2 in the CLI).
class ExportError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

struct ExportCounts {
    std::size_t nodes = 0, edges = 0;
};

/// Writes the export to `out`. For CSV, `out` receives nodes.csv and
/// `edges_out` edges.csv.
ExportCounts export_graph(db::Connection& conn, const ExportOptions& options, ExportFormat format, std::ostream& out,
                          std::ostream* edges_out = nullptr);

/// Node kinds and edge kinds that filters accept.
const std::set<std::string>& node_kinds();
const std::set<std::string>& edge_kinds();

} // namespace govmap::graph
