#include "output/export.hpp"

#include "evaluation/evaluation.hpp"

#include "analysis/gaps.hpp"
#include "output/writers.hpp"
#include "queries/catalogue.hpp"
#include "vocab/vocabulary.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <memory>
#include <unordered_map>

namespace govmap::output {

namespace {

/// A node attribute and how to read it from a node.
struct NodeAttr {
    Attr attr;
    db::Value (*get)(const queries::GraphNode&);
};

db::Value some(const std::string& s) { return s; }

const std::vector<NodeAttr> base_node_attrs{
    {{"kind", AttrType::string}, [](const queries::GraphNode& n) { return some(n.kind); }},
    {{"key", AttrType::string}, [](const queries::GraphNode& n) { return some(n.key); }},
    {{"label", AttrType::string}, [](const queries::GraphNode& n) { return some(n.label); }},
    {{"level", AttrType::string}, [](const queries::GraphNode& n) { return n.level; }},
    {{"scope", AttrType::string}, [](const queries::GraphNode& n) { return n.scope; }},
    {{"model", AttrType::string}, [](const queries::GraphNode& n) { return n.model; }},
    {{"centrality", AttrType::string}, [](const queries::GraphNode& n) { return n.centrality; }},
    {{"status", AttrType::string}, [](const queries::GraphNode& n) { return n.status; }},
    {{"founded", AttrType::integer}, [](const queries::GraphNode& n) { return n.founded; }},
    {{"url", AttrType::string}, [](const queries::GraphNode& n) { return n.url; }},
    {{"description", AttrType::string}, [](const queries::GraphNode& n) { return n.description; }},
    {{"review_status", AttrType::string}, [](const queries::GraphNode& n) { return n.review_status; }},
    {{"ended", AttrType::integer}, [](const queries::GraphNode& n) { return n.ended; }},
    {{"participation", AttrType::string}, [](const queries::GraphNode& n) { return n.participation; }},
    {{"source", AttrType::string}, [](const queries::GraphNode& n) { return n.source; }},
};

const std::vector<Attr> edge_attrs{
    {"kind", AttrType::string},       {"strength", AttrType::string},      {"role", AttrType::string},
    {"source_url", AttrType::string}, {"review_status", AttrType::string},
};

/// With gaps, areas carry their coverage counts by these dimension values
/// (each checked against the vocabulary) and mechanisms their analytics.
struct GapColumn {
    std::string dimension, value;
};

std::vector<GapColumn> gap_count_columns()
{
    std::vector<GapColumn> out;
    for (const auto& v : vocab::get(vocab::mechanism_scope).values)
        out.push_back({"scope", v});
    // The two models a gap report turns on; the others are in the report's CSV.
    for (const char* v : {"multistakeholder", "intergovernmental"}) {
        if (!vocab::get(vocab::governance_model).contains(v))
            throw std::logic_error(std::string("model not in the vocabulary: ") + v);
        out.push_back({"model", v});
    }
    for (const auto& v : vocab::get(vocab::centrality).values)
        out.push_back({"centrality", v});
    return out;
}

std::vector<Attr> gap_attrs(const std::vector<GapColumn>& counts)
{
    std::vector<Attr> out{{"mechanisms", AttrType::integer}};
    for (const auto& c : counts)
        out.push_back({c.dimension + "_" + c.value, AttrType::integer});
    out.insert(out.end(), {{"gaps", AttrType::string},
                           {"gap_severity", AttrType::string},
                           {"betweenness", AttrType::real},
                           {"articulation_point", AttrType::boolean}});
    return out;
}

/// The gap attributes of every area and mechanism node, by node id, in the
/// order of gap_attrs().
std::unordered_map<std::string, std::vector<db::Value>> gap_values(const analysis::GapReport& report,
                                                                   const std::vector<GapColumn>& columns)
{
    std::unordered_map<std::string, std::vector<db::Value>> out;
    std::size_t width = gap_attrs(columns).size();
    std::map<std::string, std::pair<std::set<std::string>, int>> flags;  // code -> kinds, best severity rank
    for (const auto& f : report.findings) {
        if (!f.node)
            continue;
        auto& [kinds, severity] = flags.try_emplace(*f.node, std::set<std::string>{}, 3).first->second;
        kinds.insert(f.kind);
        severity = std::min(severity, f.severity == "high" ? 0 : f.severity == "medium" ? 1 : 2);
    }
    const char* severity_names[] = {"high", "medium", "low", ""};
    for (const auto& n : report.nodes) {
        std::vector<db::Value> values{std::to_string(n.mechanisms)};
        for (const auto& c : columns) {
            long x = 0;
            if (auto d = n.counts.find(c.dimension); d != n.counts.end())
                if (auto it = d->second.find(c.value); it != d->second.end())
                    x = it->second;
            values.push_back(std::to_string(x));
        }
        std::string gaps, severity;
        if (auto f = flags.find(n.code); f != flags.end()) {
            for (const auto& k : f->second.first)
                gaps += (gaps.empty() ? "" : ",") + k;
            severity = severity_names[f->second.second];
        }
        values.push_back(gaps);
        values.push_back(severity);
        values.resize(width);  // no betweenness or articulation for areas
        out["area:" + n.code] = std::move(values);
    }
    for (const auto& [slug, m] : report.metrics) {
        std::vector<db::Value> values(width);
        values[width - 2] = fmt::format("{:.17g}", m.betweenness);
        values[width - 1] = std::string(m.articulation_point ? "true" : "false");
        out["mechanism:" + slug] = std::move(values);
    }
    return out;
}

std::unique_ptr<Writer> writer_for(ExportFormat format, std::ostream& out, std::ostream* edges_out)
{
    switch (format) {
    case ExportFormat::graphml: return graphml_writer(out);
    case ExportFormat::gexf: return gexf_writer(out);
    case ExportFormat::dot: return dot_writer(out);
    case ExportFormat::cytoscape: return cytoscape_writer(out);
    case ExportFormat::csv:
        if (!edges_out)
            throw std::invalid_argument("the CSV export needs a stream for edges.csv");
        return csv_writer(out, *edges_out);
    case ExportFormat::kumu: return kumu_writer(out);
    case ExportFormat::kumu_csv:
        if (!edges_out)
            throw std::invalid_argument("the Kumu spreadsheet export needs a stream for connections.csv");
        return kumu_csv_writer(out, *edges_out);
    }
    throw std::invalid_argument("unknown export format");
}

}  // namespace

ExportCounts export_graph(db::Connection& conn, const ExportOptions& options, ExportFormat format, std::ostream& out,
                          std::ostream* edges_out)
{
    if (options.filter.include_proposed)
        throw std::invalid_argument("include_proposed needs the open proposals applied: use review::open_map");
    // Temporary tables hold the selection: a writable snapshot.
    auto tx = conn.begin(db::Isolation::repeatable_read);
    std::optional<analysis::GapReport> gaps;
    if (options.with_gaps) {
        analysis::GapOptions g = options.gaps;
        g.include_proposed = options.filter.include_proposed;
        g.as_of = options.filter.as_of;
        gaps = analysis::analyse(tx, g);
    }
    auto counts = export_graph(tx, options, gaps ? &*gaps : nullptr, format, out, edges_out);
    tx.commit();
    return counts;
}

ExportCounts export_graph(db::Transaction& tx, const ExportOptions& options, const analysis::GapReport* gaps,
                          ExportFormat format, std::ostream& out, std::ostream* edges_out)
{
    auto writer = writer_for(format, out, edges_out);
    auto columns = gap_count_columns();
    std::vector<Attr> node_attrs;
    for (const auto& a : base_node_attrs)
        node_attrs.push_back(a.attr);
    std::unordered_map<std::string, std::vector<db::Value>> extra;
    if (options.with_gaps) {
        if (!gaps)
            throw std::invalid_argument("an export with gaps needs the gap analysis of its transaction");
        auto more = gap_attrs(columns);
        node_attrs.insert(node_attrs.end(), more.begin(), more.end());
        extra = gap_values(*gaps, columns);
    }

    std::unordered_map<std::string, std::vector<db::Value>> rating_values;
    std::size_t rating_width = 0;
    if (options.framework) {
        auto key = evaluation::framework_key(tx, options.framework);
        if (options.assessor && tx.exec("SELECT 1 FROM assessor WHERE key = $1", {*options.assessor}).empty())
            throw std::invalid_argument("unknown assessor '" + *options.assessor + "'");
        auto ratings = evaluation::ratings(tx, *key, options.assessor, options.filter.as_of);
        for (const auto& c : ratings.framework.criteria) {
            std::string name = c.key.substr(c.key.rfind(*key + ".", 0) == 0 ? key->size() + 1 : 0);
            std::replace_if(
                name.begin(), name.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
            node_attrs.push_back({"rating_" + name, AttrType::string});
        }
        rating_width = ratings.framework.criteria.size();
        std::vector<db::Value> unknown(rating_width, std::string("unknown"));
        // Every mechanism node gets a value: no observation is "unknown".
        rating_values[""] = unknown;
        for (const auto& [slug, by_criterion] : ratings.by_mechanism) {
            auto values = unknown;
            for (std::size_t i = 0; i < rating_width; ++i)
                if (auto it = by_criterion.find(ratings.framework.criteria[i].key); it != by_criterion.end())
                    values[i] = it->second;
            rating_values["mechanism:" + slug] = std::move(values);
        }
    }

    ExportCounts counts;
    std::string about = queries::map_info(tx, options.filter.include_proposed).describe() +
                        (options.filter.as_of ? fmt::format(", as of {}.", *options.filter.as_of) : ", all years.");
    bool begun = false;
    auto begin = [&] {
        if (!begun)
            writer->begin(about, node_attrs, edge_attrs);
        begun = true;
    };
    queries::GraphVisitor visit;
    if (options.max_nodes)
        visit.selected = [&](long long nodes, long long mechanisms) {
            if (nodes > static_cast<long long>(options.max_nodes))
                throw TooManyNodes(nodes, mechanisms, options.max_nodes);
        };
    visit.node = [&](const queries::GraphNode& row) {
        begin();
        NodeRecord n;
        n.id = row.id;
        n.kind = row.kind;
        n.label = row.label;
        n.level = row.level;
        n.cluster = row.cluster;
        n.cluster_label = row.cluster_label;
        n.size = 4 + 4 * std::sqrt(static_cast<double>(row.weight));
        n.participation = row.participation.value_or("");
        n.start = row.founded;
        n.end = row.ended;
        for (const auto& a : base_node_attrs)
            n.values.push_back(a.get(row));
        if (options.with_gaps) {
            if (auto it = extra.find(n.id); it != extra.end()) {
                n.values.insert(n.values.end(), it->second.begin(), it->second.end());
                n.gap = n.kind == "area" && it->second.front() == std::string("0");
            } else {
                n.values.resize(node_attrs.size() - rating_width);
            }
        }
        if (rating_width) {
            const auto& values = n.kind == "mechanism"
                                     ? (rating_values.count(n.id) ? rating_values.at(n.id) : rating_values.at(""))
                                     : std::vector<db::Value>(rating_width);
            n.values.insert(n.values.end(), values.begin(), values.end());
        }
        writer->node(n);
        ++counts.nodes;
    };
    visit.edges_begin = [&] {
        begin();
        writer->begin_edges();
    };
    visit.edge = [&](const queries::GraphEdge& row) {
        EdgeRecord e;
        e.id = row.id;
        e.kind = row.kind;
        e.source = row.source;
        e.target = row.target;
        e.values = {row.kind, row.strength, row.role, row.source_url, row.review_status};
        writer->edge(e);
        ++counts.edges;
    };
    queries::read_graph(tx, options.filter, visit);
    writer->end();
    return counts;
}

TooManyNodes::TooManyNodes(long long nodes, long long mechanisms, std::size_t limit)
    : std::runtime_error(fmt::format("the selection holds {} nodes, more than the limit of {}", nodes, limit)),
      nodes(nodes), mechanisms(mechanisms), limit(limit)
{
}

}  // namespace govmap::output
