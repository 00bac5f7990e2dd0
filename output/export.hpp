#pragma once
// Exports of the map (or a filtered part of it) for the tools people use:
// GraphML (Gephi, yEd, Cytoscape desktop), GEXF 1.3 (Gephi), Graphviz DOT,
// Cytoscape.js JSON, and CSV node and edge lists (Gephi). Nodes and edges are
// streamed from PostgreSQL (queries/graph.hpp) to a writer (output/writers.hpp)
// as they arrive.
#include "analysis/gaps.hpp"
#include "queries/graph.hpp"
#include "schema/db.hpp"

#include <ostream>
#include <stdexcept>

namespace govmap::output {

enum class ExportFormat { graphml, gexf, dot, cytoscape, csv, kumu, kumu_csv };

struct ExportOptions {
    queries::GraphFilter filter;
    bool with_gaps = false;  ///< coverage counts, gap flags, betweenness
    /// With gaps: the counting options of `govmap gaps` (primary_only,
    /// active_only, with_observatories, thresholds); include_proposed and
    /// as_of always come from the filter, so that the numbers agree with the nodes.
    analysis::GapOptions gaps;
    /// Mechanisms' ratings on this evaluation framework's criteria, as
    /// attributes rating_<criterion> (the criterion key after the framework's).
    std::optional<std::string> framework;
    std::optional<std::string> assessor;
    /// Refuse (TooManyNodes, before writing anything) a selection of more
    /// nodes than this; 0: no limit.
    std::size_t max_nodes = 0;
};

/// The selection holds more nodes than ExportOptions::max_nodes.
class TooManyNodes : public std::runtime_error {
public:
    TooManyNodes(long long nodes, long long mechanisms, std::size_t limit);
    long long nodes, mechanisms;
    std::size_t limit;
};

struct ExportCounts {
    std::size_t nodes = 0, edges = 0;
};

/// Writes the export to `out` (CSV: nodes.csv to `out`, edges.csv to
/// `edges_out`), reading the map in one snapshot: with gaps, the analysis and
/// the export see the same rows. Throws queries::UnknownName for a filter
/// that names nothing, std::invalid_argument for a missing `edges_out`.
ExportCounts export_graph(db::Connection& conn, const ExportOptions& options, ExportFormat format, std::ostream& out,
                          std::ostream* edges_out = nullptr);

/// The same inside the caller's transaction; `gaps` (with_gaps only) must be
/// the analysis of that same transaction.
ExportCounts export_graph(db::Transaction& tx, const ExportOptions& options, const analysis::GapReport* gaps,
                          ExportFormat format, std::ostream& out, std::ostream* edges_out = nullptr);

}  // namespace govmap::output
