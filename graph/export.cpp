#include "graph/export.hpp"

#include "graph/export_writers.hpp"
#include "graph/gaps.hpp"
#include "graph/linkage.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <unordered_map>

namespace govmap::graph {

namespace {

const std::vector<Attr> base_node_attrs{
    {"kind", AttrType::string},       {"key", AttrType::string},    {"label", AttrType::string},
    {"level", AttrType::string},      {"scope", AttrType::string},  {"model", AttrType::string},
    {"centrality", AttrType::string}, {"status", AttrType::string}, {"founded", AttrType::integer},
    {"url", AttrType::string},        {"description", AttrType::string}, {"review_status", AttrType::string},
};
const std::vector<Attr> gap_node_attrs{
    {"mechanisms", AttrType::integer},          {"scope_global", AttrType::integer},
    {"scope_regional", AttrType::integer},      {"scope_national", AttrType::integer},
    {"model_multistakeholder", AttrType::integer}, {"model_intergovernmental", AttrType::integer},
    {"centrality_core", AttrType::integer},     {"centrality_adjacent", AttrType::integer},
    {"gaps", AttrType::string},                 {"gap_severity", AttrType::string},
    {"betweenness", AttrType::real},            {"articulation_point", AttrType::boolean},
};
const std::vector<Attr> edge_attrs{
    {"kind", AttrType::string},
    {"strength", AttrType::string},
    {"role", AttrType::string},
    {"source_url", AttrType::string},
    {"review_status", AttrType::string},
};

std::string array_literal(const std::set<std::string>& items)
{
    // Items are checked against fixed vocabularies before they get here.
    std::string out = "{";
    for (const auto& i : items)
        out += (out.size() > 1 ? "," : "") + i;
    return out + "}";
}

/// Fills the temporary table export_node with the selected nodes, using
/// parameters for every value that comes from the user.
void select_nodes(db::Transaction& tx, const ExportOptions& o)
{
    tx.exec(R"(CREATE TEMP TABLE export_node (
                 id bigint PRIMARY KEY, node_id text NOT NULL, rank int NOT NULL,
                 cluster text, cluster_label text, weight bigint NOT NULL DEFAULT 0) ON COMMIT DROP)");
    tx.exec("CREATE TEMP TABLE export_edge_kind (kind text PRIMARY KEY) ON COMMIT DROP");
    const std::set<std::string>& kinds = o.kinds.empty() ? node_kinds() : o.kinds;
    db::Value under = o.under ? db::Value(*o.under) : db::Value{};
    db::Value proposed = std::string(o.include_proposed ? "true" : "false");
    db::Value scopes = o.scopes.empty() ? db::Value{} : db::Value(array_literal(o.scopes));
    db::Value models = o.models.empty() ? db::Value{} : db::Value(array_literal(o.models));
    db::Value region = o.region ? db::Value(*o.region) : db::Value{};
    bool mechanism_filter = o.under || !o.scopes.empty() || !o.models.empty() || o.region;

    if (kinds.count("area"))
        tx.exec(R"(
            INSERT INTO export_node (id, node_id, rank, cluster, cluster_label)
            SELECT a.id, 'area:' || a.code, 0, cl.code, cl.name
              FROM issue_area a
              JOIN issue_area_closure c ON c.descendant_id = a.id
              JOIN issue_area cl ON cl.id = c.ancestor_id AND cl.level = 'cluster'
             WHERE review_counts(a.review_status, $1::boolean)
               AND ($2::text IS NULL OR a.id IN (SELECT x.descendant_id FROM issue_area_closure x
                                                   JOIN issue_area u ON u.id = x.ancestor_id WHERE u.code = $2)))",
                {proposed, under});
    // Mechanisms: those of the chosen scopes and models, operating in the
    // region, and covering the --under node (or something below it).
    tx.exec("CREATE TEMP TABLE export_mechanism (id bigint PRIMARY KEY) ON COMMIT DROP");
    tx.exec(R"(
        INSERT INTO export_mechanism
        SELECT m.id FROM mechanism m
         WHERE review_counts(m.review_status, $1::boolean)
           AND ($2::text[] IS NULL OR m.scope::text = ANY ($2::text[]))
           AND ($3::text[] IS NULL OR m.model::text = ANY ($3::text[]))
           AND ($4::text IS NULL OR EXISTS (
                 SELECT 1 FROM mechanism_region mr
                   JOIN region_closure rc ON rc.descendant_id = mr.region_id
                   JOIN region r ON r.id = rc.ancestor_id
                  WHERE mr.mechanism_id = m.id AND r.code = $4
                    AND review_counts(mr.review_status, $1::boolean)))
           AND ($5::text IS NULL OR m.id IN (
                 SELECT cm.mechanism_id FROM covering_mechanisms($1::boolean) cm
                   JOIN issue_area u ON u.id = cm.area_id WHERE u.code = $5)))",
            {proposed, scopes, models, region, under});
    if (kinds.count("mechanism"))
        tx.exec("INSERT INTO export_node (id, node_id, rank) "
                "SELECT m.id, 'mechanism:' || m.slug, 1 FROM mechanism m JOIN export_mechanism x ON x.id = m.id");
    // Stakeholder groups and regions: all of them, or with a mechanism filter
    // only those linked to a selected mechanism.
    db::Value filtered = std::string(mechanism_filter ? "true" : "false");
    struct Linked {
        const char* kind;
        const char* table;
        int rank;
        const char* link_table;
        const char* link_column;
    };
    for (const Linked& l : {Linked{"stakeholder", "stakeholder_group", 2, "mechanism_stakeholder", "stakeholder_group_id"},
                            Linked{"region", "region", 3, "mechanism_region", "region_id"}}) {
        if (!kinds.count(l.kind))
            continue;
        // Table and column names are the fixed ones above, never user input.
        tx.exec(fmt::format(R"(
            INSERT INTO export_node (id, node_id, rank)
            SELECT n.id, '{0}:' || n.code, {2} FROM {1} n
             WHERE review_counts(n.review_status, $1::boolean)
               AND (NOT $2::boolean OR EXISTS (SELECT 1 FROM {3} l JOIN export_mechanism x
                                                 ON x.id = l.mechanism_id WHERE l.{4} = n.id)))",
                            l.kind, l.table, l.rank, l.link_table, l.link_column),
                {proposed, filtered});
    }
    // Drawing size: how many mechanisms cover an area; how many links other nodes have.
    tx.exec(R"(
        UPDATE export_node x SET weight = c.n
          FROM (SELECT area_id, count(*) AS n FROM covering_mechanisms($1::boolean) GROUP BY area_id) c
         WHERE x.rank = 0 AND c.area_id = x.id)",
            {proposed});
    tx.exec(R"(
        UPDATE export_node x SET weight = d.n
          FROM (SELECT id, count(*) AS n FROM (SELECT source AS id FROM graph_edge UNION ALL
                                               SELECT target FROM graph_edge) e GROUP BY id) d
         WHERE x.rank > 0 AND d.id = x.id)");
    const std::set<std::string>& relations = o.relations.empty() ? edge_kinds() : o.relations;
    tx.exec("INSERT INTO export_edge_kind SELECT unnest($1::text[])", {array_literal(relations)});
    tx.exec("ANALYZE export_node");
}

/// Per node: coverage counts and gap flags (areas), betweenness and
/// articulation points (mechanisms).
struct GapAttributes {
    std::unordered_map<std::string, std::vector<db::Value>> by_node;
};

GapAttributes gap_attributes(db::Connection& conn, const ExportOptions& o)
{
    GapAttributes out;
    GapOptions g;
    g.include_proposed = o.include_proposed;
    GapReport report = analyse(conn, g);
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
        auto c = [&](const char* dim, const char* v) -> db::Value {
            auto d = n.counts.find(dim);
            long x = 0;
            if (d != n.counts.end())
                if (auto it = d->second.find(v); it != d->second.end())
                    x = it->second;
            return std::to_string(x);
        };
        std::string gaps, severity;
        if (auto f = flags.find(n.code); f != flags.end()) {
            for (const auto& k : f->second.first)
                gaps += (gaps.empty() ? "" : ",") + k;
            severity = severity_names[f->second.second];
        }
        out.by_node["area:" + n.code] = {std::to_string(n.mechanisms), c("scope", "global"), c("scope", "regional"),
                                         c("scope", "national"), c("model", "multistakeholder"),
                                         c("model", "intergovernmental"), c("centrality", "core"),
                                         c("centrality", "adjacent"), gaps, severity, std::nullopt, std::nullopt};
    }
    Linkage linkage = load_linkage(conn, {o.include_proposed, false});
    auto centrality = betweenness(linkage);
    BlockCutTree tree(linkage);
    for (std::size_t v = 0; v < linkage.size(); ++v) {
        std::vector<db::Value> values(gap_node_attrs.size());
        values[10] = fmt::format("{:.17g}", centrality[v]);
        values[11] = std::string(tree.is_articulation_point(v) ? "true" : "false");
        out.by_node["mechanism:" + linkage.slug[v]] = std::move(values);
    }
    return out;
}

} // namespace

const std::set<std::string>& node_kinds()
{
    static const std::set<std::string> k{"area", "mechanism", "stakeholder", "region"};
    return k;
}

const std::set<std::string>& edge_kinds()
{
    static const std::set<std::string> k{"addresses",       "part_of",    "reports_to",  "feeds_into",
                                         "cooperates_with", "convened_by", "succeeded_by", "involves",
                                         "operates_in",     "within"};
    return k;
}

ExportCounts export_graph(db::Connection& conn, const ExportOptions& o, ExportFormat format, std::ostream& out,
                          std::ostream* edges_out)
{
    auto check = [](const std::set<std::string>& given, const std::set<std::string>& allowed, const char* what) {
        for (const auto& g : given)
            if (!allowed.count(g)) {
                std::string all;
                for (const auto& a : allowed)
                    all += (all.empty() ? "" : ", ") + a;
                throw ExportError("unknown " + std::string(what) + " '" + g + "' (expected one of: " + all + ")");
            }
    };
    check(o.kinds, node_kinds(), "node kind");
    check(o.relations, edge_kinds(), "edge kind");
    check(o.scopes, {"global", "regional", "national"}, "scope");
    check(o.models, {"intergovernmental", "multistakeholder", "private_sector", "technical_community", "civil_society"},
          "model");

    GapAttributes gaps;
    if (o.with_gaps)
        gaps = gap_attributes(conn, o);
    std::vector<Attr> node_attrs = base_node_attrs;
    if (o.with_gaps)
        node_attrs.insert(node_attrs.end(), gap_node_attrs.begin(), gap_node_attrs.end());

    std::unique_ptr<Writer> writer;
    switch (format) {
    case ExportFormat::graphml: writer = graphml_writer(out); break;
    case ExportFormat::gexf: writer = gexf_writer(out); break;
    case ExportFormat::dot: writer = dot_writer(out); break;
    case ExportFormat::cytoscape: writer = cytoscape_writer(out); break;
    case ExportFormat::csv:
        if (!edges_out)
            throw ExportError("the CSV export needs a stream for edges.csv");
        writer = csv_writer(out, *edges_out);
        break;
    }

    ExportCounts counts;
    auto tx = conn.begin(db::Isolation::serializable);
    if (o.under && tx.exec("SELECT 1 FROM issue_area WHERE code = $1", {*o.under}).empty())
        throw ExportError("unknown taxonomy code '" + *o.under + "' (see `govmap list areas`)");
    if (o.region && tx.exec("SELECT 1 FROM region WHERE code = $1", {*o.region}).empty())
        throw ExportError("unknown region '" + *o.region + "' (a region code such as western-africa)");
    select_nodes(tx, o);
    writer->begin(node_attrs, edge_attrs);
    // Keys are compared byte by byte so that every server orders them alike.
    tx.copy_out(R"(
        SELECT x.node_id, n.kind, n.key, n.label, n.level, n.scope, n.model, n.centrality, n.status,
               n.founded, n.url, n.description, n.review_status, x.cluster, x.cluster_label, x.weight
          FROM export_node x JOIN graph_node n ON n.id = x.id
         ORDER BY x.rank, x.cluster COLLATE "C" NULLS FIRST, n.key COLLATE "C")",
                [&](const std::vector<db::Value>& row) {
                    NodeRecord n;
                    n.id = *row[0];
                    n.kind = *row[1];
                    n.label = *row[3];
                    n.level = row[4];
                    n.cluster = row[13];
                    n.cluster_label = row[14].value_or("");
                    n.size = 4 + 4 * std::sqrt(static_cast<double>(std::stoll(*row[15])));
                    n.values.assign(row.begin() + 1, row.begin() + 13);
                    if (o.with_gaps) {
                        auto it = gaps.by_node.find(n.id);
                        if (it != gaps.by_node.end()) {
                            n.values.insert(n.values.end(), it->second.begin(), it->second.end());
                            n.gap = n.kind == "area" && it->second[0] == std::string("0");
                        } else {
                            n.values.resize(node_attrs.size());
                        }
                    }
                    writer->node(n);
                    ++counts.nodes;
                });
    writer->begin_edges();
    std::string statuses = o.include_proposed ? "('accepted', 'proposed')" : "('accepted')";
    tx.copy_out(R"(
        SELECT e.kind, a.node_id, b.node_id, e.strength, e.role, e.source_url, e.review_status
          FROM graph_edge e
          JOIN export_node a ON a.id = e.source
          JOIN export_node b ON b.id = e.target
         WHERE e.kind IN (SELECT kind FROM export_edge_kind) AND e.review_status IN )" +
                    statuses + R"(
         ORDER BY e.kind COLLATE "C", a.node_id COLLATE "C", b.node_id COLLATE "C")",
                [&](const std::vector<db::Value>& row) {
                    EdgeRecord e;
                    e.kind = *row[0];
                    e.source = *row[1];
                    e.target = *row[2];
                    e.id = e.kind + ":" + e.source + ":" + e.target;
                    e.values = {row[0], row[3], row[4], row[5], row[6]};
                    writer->edge(e);
                    ++counts.edges;
                });
    writer->end();
    tx.commit();
    return counts;
}

} // namespace govmap::graph
