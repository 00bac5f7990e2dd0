#pragma once
// The export formats, each a writer fed one node or edge at a time.
#include "schema/db.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace govmap::output {

enum class AttrType { string, integer, real, boolean };

struct Attr {
    std::string name;
    AttrType type;
};

struct NodeRecord {
    std::string id;    ///< kind:key, stable across databases
    std::string kind;  ///< area, mechanism, stakeholder, region
    std::string label;
    std::optional<std::string> level;    ///< areas: cluster, area, issue
    std::optional<std::string> cluster;  ///< areas: the taxonomy cluster they belong to
    std::string cluster_label;
    double size = 1;   ///< drawing size, from coverage or degree
    bool gap = false;  ///< with gaps: an uncovered node
    /// Mechanisms: multistakeholder, intergovernmental, single group or unknown
    /// (docs/export.md's palette); empty for other nodes.
    std::string participation;
    std::optional<std::string> start, end;  ///< mechanisms: founding and end years
    std::vector<db::Value> values;          ///< by node attribute
};

struct EdgeRecord {
    std::string id, source, target, kind;
    std::vector<db::Value> values;  ///< by edge attribute
};

class Writer {
public:
    virtual ~Writer() = default;
    /// `about` describes the map (data version, as-of year) in a sentence;
    /// formats with a place for it carry it.
    virtual void begin(const std::string& about, const std::vector<Attr>& node_attrs,
                       const std::vector<Attr>& edge_attrs) = 0;
    virtual void node(const NodeRecord& n) = 0;
    virtual void begin_edges() {}
    virtual void edge(const EdgeRecord& e) = 0;
    virtual void end() = 0;
};

std::unique_ptr<Writer> graphml_writer(std::ostream& out);
std::unique_ptr<Writer> gexf_writer(std::ostream& out);
std::unique_ptr<Writer> dot_writer(std::ostream& out);
std::unique_ptr<Writer> cytoscape_writer(std::ostream& out);
std::unique_ptr<Writer> csv_writer(std::ostream& nodes, std::ostream& edges);
/// Kumu: a JSON blueprint, or its spreadsheet import (elements.csv, connections.csv).
std::unique_ptr<Writer> kumu_writer(std::ostream& out);
std::unique_ptr<Writer> kumu_csv_writer(std::ostream& elements, std::ostream& connections);

/// The mechanisms' colours by participation, as every format draws them.
const std::vector<std::pair<std::string, std::string>>& participation_palette();

}  // namespace govmap::output
