#pragma once
// Pictures of the map for a report: a view of it laid out in-process by
// Graphviz (cgraph + gvc) and rendered as SVG, PNG or PDF that fits a page,
// with a title, a legend and the report's colours and counting.
#include "analysis/gaps.hpp"
#include "queries/graph.hpp"
#include "schema/db.hpp"

#include <cstddef>
#include <string>

namespace govmap::picture {

enum class View {
    mechanisms,  ///< the linkage network: mechanisms and the relations between them (sfdp)
    areas,       ///< the taxonomy, each node coloured by its coverage (dot)
    bipartite,   ///< areas x mechanisms: which mechanism addresses which area (sfdp)
    nesting,     ///< the part_of / reports_to tree (dot)
};

enum class Format { svg, png, pdf };
enum class Paper { a4, letter };

struct DrawOptions {
    View view = View::mechanisms;
    /// Which part of the map; kinds and relations are the view's own and must
    /// be left empty.
    queries::GraphFilter filter;
    /// How areas are counted (uncovered, thin) and mechanisms sized
    /// (betweenness), as `govmap gaps` counts; include_proposed and as_of
    /// come from the filter.
    analysis::GapOptions gaps;
    Paper paper = Paper::a4;
    bool edge_labels = false;
    /// More nodes than this are refused: no page holds them legibly.
    std::size_t max_nodes = 1500;
};

struct Picture {
    std::string data;  ///< the file's bytes
    std::size_t nodes = 0, edges = 0;
    /// Nodes of the view with no edge in it, left out (the title says how many).
    std::size_t isolated = 0;
    double scale = 1;                    ///< how much the layout was shrunk to fit the page
    double smallest_font = 0;            ///< the smallest node label on the page, in points
    double width_pt = 0, height_pt = 0;  ///< the drawing's size on the page
};

/// The picture cannot be made: nothing Graphviz could lay out, or too many
/// nodes for a page (the message says which filter helps).
class DrawError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Draws the view of the map as `tx` sees it (a transaction that may write
/// temporary tables). `report`, when given, must be the gap analysis of that
/// same transaction with the same counting options; otherwise it is run here.
/// The same map and options always give the same bytes (SVG and PDF).
/// Throws queries::UnknownName for a filter naming nothing.
Picture draw(db::Transaction& tx, const DrawOptions& options, Format format,
             const analysis::GapReport* report = nullptr);

/// The SVG element of an SVG picture, for embedding in HTML (no XML
/// declaration or doctype).
std::string inline_svg(const std::string& svg);

}  // namespace govmap::picture
