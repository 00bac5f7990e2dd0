#include "output/writers.hpp"

#include "text/text.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace govmap::output {

using text::csv_field;
using text::xml_escape;

namespace {

/// Colours by kind (and by taxonomy level), mechanisms by participation,
/// shared by every format.
const char* colour_of(const NodeRecord& n)
{
    if (n.gap)
        return "#d62728";
    if (n.kind == "area")
        return n.level == std::string("cluster") ? "#1f4e79" : n.level == std::string("area") ? "#2e75b6" : "#9dc3e6";
    if (n.kind == "mechanism") {
        for (const auto& [participation, colour] : participation_palette())
            if (participation == n.participation)
                return colour.c_str();
        return "#ed7d31";
    }
    if (n.kind == "stakeholder")
        return "#70ad47";
    return "#7f6aa8";
}

int channel(const char* hex, std::size_t i) { return std::stoi(std::string(hex + 1 + 2 * i, 2), nullptr, 16); }

const char* graphml_type(AttrType t)
{
    switch (t) {
    case AttrType::integer: return "int";
    case AttrType::real: return "double";
    case AttrType::boolean: return "boolean";
    default: return "string";
    }
}

// ------------------------------------------------------------------ GraphML

class GraphML : public Writer {
public:
    explicit GraphML(std::ostream& out) : out_(out) {}
    void begin(const std::string& about, const std::vector<Attr>& node_attrs,
               const std::vector<Attr>& edge_attrs) override
    {
        node_attrs_ = node_attrs;
        edge_attrs_ = edge_attrs;
        out_ << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
                "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
                "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
        for (std::size_t i = 0; i < node_attrs.size(); ++i)
            fmt::print(out_, "  <key id=\"n{}\" for=\"node\" attr.name=\"{}\" attr.type=\"{}\"/>\n", i,
                       node_attrs[i].name, graphml_type(node_attrs[i].type));
        fmt::print(out_, "  <key id=\"n_colour\" for=\"node\" attr.name=\"colour\" attr.type=\"string\"/>\n");
        for (std::size_t i = 0; i < edge_attrs.size(); ++i)
            fmt::print(out_, "  <key id=\"e{}\" for=\"edge\" attr.name=\"{}\" attr.type=\"{}\"/>\n", i,
                       edge_attrs[i].name, graphml_type(edge_attrs[i].type));
        fmt::print(out_,
                   "  <key id=\"g_description\" for=\"graph\" attr.name=\"description\" attr.type=\"string\"/>\n");
        fmt::print(out_,
                   "  <graph id=\"govmap\" edgedefault=\"directed\">\n    <data key=\"g_description\">{}</data>\n",
                   xml_escape(about, false));
    }
    void node(const NodeRecord& n) override
    {
        fmt::print(out_, "    <node id=\"{}\">\n", xml_escape(n.id, true));
        for (std::size_t i = 0; i < n.values.size(); ++i)
            if (n.values[i])
                fmt::print(out_, "      <data key=\"n{}\">{}</data>\n", i, xml_escape(*n.values[i], false));
        fmt::print(out_, "      <data key=\"n_colour\">{}</data>\n    </node>\n", colour_of(n));
    }
    void edge(const EdgeRecord& e) override
    {
        fmt::print(out_, "    <edge id=\"{}\" source=\"{}\" target=\"{}\">\n", xml_escape(e.id, true),
                   xml_escape(e.source, true), xml_escape(e.target, true));
        for (std::size_t i = 0; i < e.values.size(); ++i)
            if (e.values[i])
                fmt::print(out_, "      <data key=\"e{}\">{}</data>\n", i, xml_escape(*e.values[i], false));
        out_ << "    </edge>\n";
    }
    void end() override { out_ << "  </graph>\n</graphml>\n"; }

private:
    std::ostream& out_;
    std::vector<Attr> node_attrs_, edge_attrs_;
};

// ------------------------------------------------------------------ GEXF 1.3

const char* gexf_type(AttrType t)
{
    switch (t) {
    case AttrType::integer: return "integer";
    case AttrType::real: return "double";
    case AttrType::boolean: return "boolean";
    default: return "string";
    }
}

class Gexf : public Writer {
public:
    explicit Gexf(std::ostream& out) : out_(out) {}
    void begin(const std::string& about, const std::vector<Attr>& node_attrs,
               const std::vector<Attr>& edge_attrs) override
    {
        // No modification date: the same map must give the same bytes.
        out_ << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n"
                "  <meta>\n    <creator>govmap</creator>\n"
                "    <description>Internet-governance mechanisms, the issue areas they address, and their links. "
             << xml_escape(about, false)
             << "</description>\n  </meta>\n"
                "  <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"integer\">\n"
                "    <attributes class=\"node\">\n";
        // Attribute ids are the names: graphology keys values by id, Gephi and networkx by title.
        node_attrs_ = node_attrs;
        edge_attrs_ = edge_attrs;
        for (const auto& a : node_attrs)
            fmt::print(out_, "      <attribute id=\"{0}\" title=\"{0}\" type=\"{1}\"/>\n", a.name, gexf_type(a.type));
        out_ << "    </attributes>\n    <attributes class=\"edge\">\n";
        for (const auto& a : edge_attrs)
            fmt::print(out_, "      <attribute id=\"{0}\" title=\"{0}\" type=\"{1}\"/>\n", a.name, gexf_type(a.type));
        out_ << "    </attributes>\n    <nodes>\n";
    }
    void node(const NodeRecord& n) override
    {
        const char* c = colour_of(n);
        // The years a mechanism existed, for Gephi's timeline: an open end
        // while it lasts (node attributes rather than spells, which networkx
        // cannot read without an end).
        std::string years;
        if (n.start)
            years += " start=\"" + xml_escape(*n.start, true) + "\"";
        if (n.end)
            years += " end=\"" + xml_escape(*n.end, true) + "\"";
        fmt::print(out_, "      <node id=\"{}\" label=\"{}\"{}>\n        <attvalues>\n", xml_escape(n.id, true),
                   xml_escape(n.label, true), years);
        for (std::size_t i = 0; i < n.values.size(); ++i)
            if (n.values[i])
                fmt::print(out_, "          <attvalue for=\"{}\" value=\"{}\"/>\n", node_attrs_[i].name,
                           xml_escape(*n.values[i], true));
        out_ << "        </attvalues>\n";
        // color and size belong to the GEXF 1.3 namespace in its published schema.
        fmt::print(out_,
                   "        <color r=\"{}\" g=\"{}\" b=\"{}\"/>\n"
                   "        <size value=\"{:.2f}\"/>\n      </node>\n",
                   channel(c, 0), channel(c, 1), channel(c, 2), n.size);
    }
    void begin_edges() override { out_ << "    </nodes>\n    <edges>\n"; }
    void edge(const EdgeRecord& e) override
    {
        fmt::print(out_, "      <edge id=\"{}\" source=\"{}\" target=\"{}\" label=\"{}\">\n        <attvalues>\n",
                   xml_escape(e.id, true), xml_escape(e.source, true), xml_escape(e.target, true),
                   xml_escape(e.kind, true));
        for (std::size_t i = 0; i < e.values.size(); ++i)
            if (e.values[i])
                fmt::print(out_, "          <attvalue for=\"{}\" value=\"{}\"/>\n", edge_attrs_[i].name,
                           xml_escape(*e.values[i], true));
        out_ << "        </attvalues>\n      </edge>\n";
    }
    void end() override { out_ << "    </edges>\n  </graph>\n</gexf>\n"; }

private:
    std::ostream& out_;
    std::vector<Attr> node_attrs_, edge_attrs_;
};

// ------------------------------------------------------------------ DOT

/// A DOT double-quoted string. Graphviz keeps \\ and turns \" into a quote;
/// in labels \n is a line break, so a newline is written that way.
std::string dot(const std::string& text)
{
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\n': out += "\\n"; break;
        case '\r': break;
        default:
            if (c >= 0x20 || c == '\t')
                out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

const char* shape_of(const NodeRecord& n)
{
    if (n.kind == "area")
        return n.level == std::string("cluster") ? "folder" : n.level == std::string("area") ? "box" : "note";
    if (n.kind == "mechanism")
        return "ellipse";
    if (n.kind == "stakeholder")
        return "hexagon";
    return "diamond";
}

class Dot : public Writer {
public:
    explicit Dot(std::ostream& out) : out_(out) {}
    void begin(const std::string& about, const std::vector<Attr>& node_attrs,
               const std::vector<Attr>& edge_attrs) override
    {
        node_attrs_ = node_attrs;
        edge_attrs_ = edge_attrs;
        out_ << "digraph govmap {\n"
                "  graph [rankdir=LR, overlap=false, fontname=\"Helvetica\", charset=\"UTF-8\", comment="
             << dot(about)
             << "];\n"
                "  node [style=filled, fontname=\"Helvetica\", fontsize=10];\n"
                "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#666666\"];\n";
    }
    void node(const NodeRecord& n) override
    {
        if (n.cluster != open_) {
            if (open_)
                out_ << "  }\n";
            open_ = n.cluster;
            if (open_)
                fmt::print(out_, "  subgraph {} {{\n    label={};\n    style=rounded;\n    color=\"#1f4e79\";\n",
                           dot("cluster_" + *open_), dot(n.cluster_label));
        }
        std::string attrs = fmt::format("label={}, shape={}, fillcolor=\"{}\", class={}", dot(n.label), shape_of(n),
                                        colour_of(n), dot(n.kind));
        for (std::size_t i = 0; i < n.values.size(); ++i)
            if (n.values[i] && node_attrs_[i].name != "label")
                attrs += fmt::format(", {}={}", dot_name(node_attrs_[i].name), dot(*n.values[i]));
        fmt::print(out_, "{}{} [{}];\n", open_ ? "    " : "  ", dot(n.id), attrs);
    }
    void begin_edges() override
    {
        if (open_)
            out_ << "  }\n";
        open_.reset();
    }
    void edge(const EdgeRecord& e) override
    {
        std::string attrs = fmt::format("label={}", dot(e.kind));
        for (std::size_t i = 0; i < e.values.size(); ++i)
            if (e.values[i])
                attrs += fmt::format(", {}={}", dot_name(edge_attrs_[i].name), dot(*e.values[i]));
        if (e.kind == "within")
            attrs += ", style=dotted";
        fmt::print(out_, "  {} -> {} [{}];\n", dot(e.source), dot(e.target), attrs);
    }
    void end() override
    {
        // A legend for the mechanisms' colours: nodes of the kind "legend".
        out_ << "  subgraph cluster_legend {\n    label=\"Mechanisms by participation\";\n    style=rounded;\n";
        for (const auto& [participation, colour] : participation_palette())
            fmt::print(out_, "    {} [label={}, shape=ellipse, fillcolor=\"{}\", class=\"legend\"];\n",
                       dot("legend:" + participation), dot(participation), colour);
        out_ << "  }\n}\n";
    }

private:
    /// Graphviz gives some attribute names a meaning; ours get a prefix there.
    static std::string dot_name(const std::string& name)
    {
        static const std::set<std::string> reserved{"label", "weight", "style", "color", "shape",
                                                    "url",   "href",   "class", "id",    "comment"};
        return reserved.count(name) ? "govmap_" + name : name;
    }
    std::ostream& out_;
    std::vector<Attr> node_attrs_, edge_attrs_;
    std::optional<std::string> open_;
};

// ------------------------------------------------------------------ Cytoscape.js

nlohmann::json typed(const db::Value& v, AttrType t)
{
    if (!v)
        return nullptr;
    switch (t) {
    case AttrType::integer: return std::stoll(*v);
    case AttrType::real: return std::stod(*v);
    case AttrType::boolean: return *v == "true";
    default: return *v;
    }
}

class Cytoscape : public Writer {
public:
    explicit Cytoscape(std::ostream& out) : out_(out) {}
    void begin(const std::string& about, const std::vector<Attr>& node_attrs,
               const std::vector<Attr>& edge_attrs) override
    {
        node_attrs_ = node_attrs;
        edge_attrs_ = edge_attrs;
        out_ << "{\n  \"format_version\": \"1.0\",\n  \"generated_by\": \"govmap\",\n"
                "  \"data\": {\"name\": \"govmap\", \"description\": "
             << nlohmann::json(about).dump() << "},\n  \"elements\": {\n    \"nodes\": [";
    }
    void node(const NodeRecord& n) override
    {
        nlohmann::ordered_json data;
        data["id"] = n.id;
        for (std::size_t i = 0; i < n.values.size(); ++i)
            data[node_attrs_[i].name] = typed(n.values[i], node_attrs_[i].type);
        data["colour"] = colour_of(n);
        data["size"] = n.size;
        if (n.cluster)
            data["cluster"] = *n.cluster;
        nlohmann::ordered_json element;
        element["data"] = std::move(data);
        element["classes"] = n.level ? n.kind + " " + *n.level : n.kind;
        out_ << (first_ ? "\n      " : ",\n      ") << element.dump();
        first_ = false;
    }
    void begin_edges() override
    {
        out_ << "\n    ],\n    \"edges\": [";
        first_ = true;
    }
    void edge(const EdgeRecord& e) override
    {
        nlohmann::ordered_json data;
        data["id"] = e.id;
        data["source"] = e.source;
        data["target"] = e.target;
        for (std::size_t i = 0; i < e.values.size(); ++i)
            data[edge_attrs_[i].name] = typed(e.values[i], edge_attrs_[i].type);
        nlohmann::ordered_json element;
        element["data"] = std::move(data);
        element["classes"] = e.kind;
        out_ << (first_ ? "\n      " : ",\n      ") << element.dump();
        first_ = false;
    }
    void end() override { out_ << "\n    ]\n  }\n}\n"; }

private:
    std::ostream& out_;
    std::vector<Attr> node_attrs_, edge_attrs_;
    bool first_ = true;
};

// ------------------------------------------------------------------ CSV

/// "source_url" -> "Source URL": the headers Gephi's and Kumu's importers show.
std::string header(const std::string& name)
{
    static const std::map<std::string, std::string> fixed{{"url", "URL"}, {"source_url", "Source URL"}};
    if (auto it = fixed.find(name); it != fixed.end())
        return it->second;
    std::string out;
    bool up = true;
    for (char c : name) {
        if (c == '_') {
            out += ' ';
            up = true;
            continue;
        }
        out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        up = false;
    }
    return out;
}

class Csv : public Writer {
public:
    Csv(std::ostream& nodes, std::ostream& edges) : nodes_(nodes), edges_(edges) {}
    // Gephi's node and edge tables have no place for the map's description.
    void begin(const std::string& /*about*/, const std::vector<Attr>& node_attrs,
               const std::vector<Attr>& edge_attrs) override
    {
        label_index_ = node_attrs.size();
        nodes_ << "Id,Label";
        for (std::size_t i = 0; i < node_attrs.size(); ++i) {
            if (node_attrs[i].name == "label") {
                label_index_ = i;
                continue;
            }
            nodes_ << "," << csv_field(header(node_attrs[i].name));
        }
        nodes_ << ",Colour,Size\r\n";
        edges_ << "Source,Target,Type,Id,Label";
        for (const auto& a : edge_attrs)
            edges_ << "," << csv_field(header(a.name));
        edges_ << "\r\n";
    }
    void node(const NodeRecord& n) override
    {
        nodes_ << csv_field(n.id) << "," << csv_field(n.label);
        for (std::size_t i = 0; i < n.values.size(); ++i)
            if (i != label_index_)
                nodes_ << "," << csv_field(n.values[i].value_or(""));
        nodes_ << "," << colour_of(n) << "," << fmt::format("{:.2f}", n.size) << "\r\n";
    }
    void edge(const EdgeRecord& e) override
    {
        edges_ << csv_field(e.source) << "," << csv_field(e.target) << ",Directed," << csv_field(e.id) << ","
               << csv_field(e.kind);
        for (const auto& v : e.values)
            edges_ << "," << csv_field(v.value_or(""));
        edges_ << "\r\n";
    }
    void end() override {}

private:
    std::ostream& nodes_;
    std::ostream& edges_;
    std::size_t label_index_ = 0;
};

// ------------------------------------------------------------------ Kumu

/// Kumu cannot select from its search results an element whose id holds '_'
/// or '.' (docs.kumu.io, "How do I avoid duplicating data?"): those become
/// '+' and '~', which no govmap key holds, so ids stay unique and stable.
std::string kumu_id(const std::string& id)
{
    std::string out = id;
    for (auto& c : out)
        c = c == '.' ? '~' : c == '_' ? '+' : c;
    return out;
}

std::string kumu_type(const NodeRecord& n)
{
    if (n.kind == "mechanism")
        return "Mechanism";
    if (n.kind == "stakeholder")
        return "Stakeholder group";
    if (n.kind == "region")
        return "Region";
    if (n.level == std::string("cluster"))
        return "Cluster";
    return n.level == std::string("issue") ? "Issue" : "Area";
}

/// What an element is tagged with: the cluster of an area; a mechanism's
/// scope, participation and status.
std::vector<std::string> kumu_tags(const NodeRecord& n, const std::vector<Attr>& attrs)
{
    std::vector<std::string> tags;
    if (n.kind == "area" && !n.cluster_label.empty() && n.level != std::string("cluster"))
        tags.push_back(n.cluster_label);
    if (n.kind == "mechanism") {
        for (std::size_t i = 0; i < attrs.size(); ++i)
            if ((attrs[i].name == "scope" || attrs[i].name == "status") && n.values[i])
                tags.push_back(*n.values[i]);
        if (!n.participation.empty())
            tags.push_back(n.participation);
    }
    return tags;
}

/// The description, and the source the record comes from on a line of its own.
std::string kumu_description(const NodeRecord& n, const std::vector<Attr>& attrs)
{
    std::string description, source;
    for (std::size_t i = 0; i < attrs.size(); ++i) {
        if (attrs[i].name == "description")
            description = n.values[i].value_or("");
        if (attrs[i].name == "source")
            source = n.values[i].value_or("");
    }
    if (!source.empty())
        description += (description.empty() ? "" : "\n\n") + std::string("Source: ") + source;
    return description;
}

std::string kumu_connection_type(const std::string& kind)
{
    std::string out = kind;
    std::replace(out.begin(), out.end(), '_', ' ');
    return out;
}

/// cooperates_with has no direction; every other relation points from the first to the second.
const char* kumu_direction(const std::string& kind) { return kind == "cooperates_with" ? "undirected" : "directed"; }

/// Fields every element or connection has in its own column or key.
bool kumu_builtin(const std::string& name) { return name == "label" || name == "description" || name == "kind"; }

/// Kumu's JSON import (a "blueprint"): {"elements": [...], "connections": [...]}.
class KumuBlueprint : public Writer {
public:
    explicit KumuBlueprint(std::ostream& out) : out_(out) {}
    void begin(const std::string& about, const std::vector<Attr>& node_attrs,
               const std::vector<Attr>& edge_attrs) override
    {
        node_attrs_ = node_attrs;
        edge_attrs_ = edge_attrs;
        // Kumu keeps unknown top-level keys out of the map; the description is for people reading the file.
        out_ << "{\n  \"description\": " << nlohmann::json(about).dump() << ",\n  \"elements\": [";
    }
    void node(const NodeRecord& n) override
    {
        nlohmann::ordered_json e;
        e["id"] = kumu_id(n.id);
        e["label"] = n.label;
        e["type"] = kumu_type(n);
        if (auto d = kumu_description(n, node_attrs_); !d.empty())
            e["description"] = d;
        e["tags"] = kumu_tags(n, node_attrs_);
        for (std::size_t i = 0; i < node_attrs_.size(); ++i)
            if (!kumu_builtin(node_attrs_[i].name) && n.values[i])
                e[header(node_attrs_[i].name)] = typed(n.values[i], node_attrs_[i].type);
        e["Colour"] = colour_of(n);
        e["govmap id"] = n.id;
        out_ << (first_ ? "\n    " : ",\n    ") << e.dump();
        first_ = false;
    }
    void begin_edges() override
    {
        out_ << "\n  ],\n  \"connections\": [";
        first_ = true;
    }
    void edge(const EdgeRecord& e) override
    {
        nlohmann::ordered_json c;
        c["id"] = kumu_id(e.id);
        c["from"] = kumu_id(e.source);
        c["to"] = kumu_id(e.target);
        c["type"] = kumu_connection_type(e.kind);
        c["direction"] = kumu_direction(e.kind);
        for (std::size_t i = 0; i < edge_attrs_.size(); ++i)
            if (edge_attrs_[i].name != "kind" && e.values[i])
                c[header(edge_attrs_[i].name)] = typed(e.values[i], edge_attrs_[i].type);
        out_ << (first_ ? "\n    " : ",\n    ") << c.dump();
        first_ = false;
    }
    void end() override { out_ << "\n  ]\n}\n"; }

private:
    std::ostream& out_;
    std::vector<Attr> node_attrs_, edge_attrs_;
    bool first_ = true;
};

/// Kumu's spreadsheet import: elements.csv begins ID,Label,Type,Description,Tags;
/// connections.csv begins From,To,Type,Direction. Several values in one cell
/// are joined with '|'.
class KumuCsv : public Writer {
public:
    KumuCsv(std::ostream& elements, std::ostream& connections) : elements_(elements), connections_(connections) {}
    void begin(const std::string& /*about*/, const std::vector<Attr>& node_attrs,
               const std::vector<Attr>& edge_attrs) override
    {
        node_attrs_ = node_attrs;
        edge_attrs_ = edge_attrs;
        elements_ << "ID,Label,Type,Description,Tags";
        for (const auto& a : node_attrs)
            if (!kumu_builtin(a.name))
                elements_ << "," << csv_field(header(a.name));
        elements_ << ",Colour,govmap id\r\n";
        connections_ << "From,To,Type,Direction";
        for (const auto& a : edge_attrs)
            if (a.name != "kind")
                connections_ << "," << csv_field(header(a.name));
        connections_ << ",govmap id\r\n";
    }
    void node(const NodeRecord& n) override
    {
        std::string description = kumu_description(n, node_attrs_), tags;
        for (const auto& t : kumu_tags(n, node_attrs_))
            tags += (tags.empty() ? "" : "|") + t;
        elements_ << csv_field(kumu_id(n.id)) << "," << csv_field(n.label) << "," << csv_field(kumu_type(n)) << ","
                  << csv_field(description) << "," << csv_field(tags);
        for (std::size_t i = 0; i < node_attrs_.size(); ++i)
            if (!kumu_builtin(node_attrs_[i].name))
                elements_ << "," << csv_field(n.values[i].value_or(""));
        elements_ << "," << colour_of(n) << "," << csv_field(n.id) << "\r\n";
    }
    void edge(const EdgeRecord& e) override
    {
        connections_ << csv_field(kumu_id(e.source)) << "," << csv_field(kumu_id(e.target)) << ","
                     << csv_field(kumu_connection_type(e.kind)) << "," << kumu_direction(e.kind);
        for (std::size_t i = 0; i < edge_attrs_.size(); ++i)
            if (edge_attrs_[i].name != "kind")
                connections_ << "," << csv_field(e.values[i].value_or(""));
        connections_ << "," << csv_field(e.id) << "\r\n";
    }
    void end() override {}

private:
    std::ostream& elements_;
    std::ostream& connections_;
    std::vector<Attr> node_attrs_, edge_attrs_;
};

}  // namespace

const std::vector<std::pair<std::string, std::string>>& participation_palette()
{
    static const std::vector<std::pair<std::string, std::string>> palette{{"multistakeholder", "#2ca02c"},
                                                                          {"intergovernmental", "#ed7d31"},
                                                                          {"single group", "#bcbd22"},
                                                                          {"unknown", "#a0a0a0"}};
    return palette;
}

std::unique_ptr<Writer> graphml_writer(std::ostream& out) { return std::make_unique<GraphML>(out); }
std::unique_ptr<Writer> gexf_writer(std::ostream& out) { return std::make_unique<Gexf>(out); }
std::unique_ptr<Writer> dot_writer(std::ostream& out) { return std::make_unique<Dot>(out); }
std::unique_ptr<Writer> cytoscape_writer(std::ostream& out) { return std::make_unique<Cytoscape>(out); }
std::unique_ptr<Writer> kumu_writer(std::ostream& out) { return std::make_unique<KumuBlueprint>(out); }
std::unique_ptr<Writer> kumu_csv_writer(std::ostream& elements, std::ostream& connections)
{
    return std::make_unique<KumuCsv>(elements, connections);
}
std::unique_ptr<Writer> csv_writer(std::ostream& nodes, std::ostream& edges)
{
    return std::make_unique<Csv>(nodes, edges);
}

}  // namespace govmap::output
