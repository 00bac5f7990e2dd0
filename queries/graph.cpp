#include "queries/graph.hpp"

#include "text/text.hpp"
#include "vocab/vocabulary.hpp"

#include <fmt/format.h>

namespace govmap::queries {

namespace {

std::set<std::string> all_of(std::string_view enumeration)
{
    const auto& values = vocab::get(enumeration).values;
    return {values.begin(), values.end()};
}

void check_vocabulary(const std::set<std::string>& given, std::string_view enumeration, const char* what)
{
    const auto& e = vocab::get(enumeration);
    for (const auto& g : given)
        if (!e.contains(g))
            throw UnknownName("unknown " + std::string(what) + " '" + g +
                              "' (expected one of: " + text::join(e.values) + ")");
}

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
void select_nodes(db::Transaction& tx, const GraphFilter& o)
{
    tx.exec(R"(CREATE TEMP TABLE export_node (
                 id bigint PRIMARY KEY, node_id text NOT NULL, rank int NOT NULL,
                 cluster text, cluster_label text, weight bigint NOT NULL DEFAULT 0) ON COMMIT DROP)");
    tx.exec("CREATE TEMP TABLE export_edge_kind (kind text PRIMARY KEY) ON COMMIT DROP");
    const std::set<std::string> kinds = o.kinds.empty() ? all_of(vocab::node_kind) : o.kinds;
    db::Value under = o.under ? db::Value(*o.under) : db::Value{};
    db::Value proposed = std::string(o.include_proposed ? "true" : "false");
    db::Value scopes = o.scopes.empty() ? db::Value{} : db::Value(array_literal(o.scopes));
    db::Value models = o.models.empty() ? db::Value{} : db::Value(array_literal(o.models));
    db::Value region = o.region ? db::Value(*o.region) : db::Value{};
    db::Value as_of = o.as_of ? db::Value(std::to_string(*o.as_of)) : db::Value{};
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
    // Needed for mechanism nodes, and for the stakeholder groups and regions
    // that a mechanism filter narrows; an areas-only selection skips it.
    bool need_mechanisms =
        kinds.count("mechanism") || (mechanism_filter && (kinds.count("stakeholder") || kinds.count("region")));
    if (need_mechanisms)
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
                 SELECT cm.mechanism_id FROM covering_mechanisms($1::boolean, false, false, $6::smallint, true) cm
                   JOIN issue_area u ON u.id = cm.area_id WHERE u.code = $5))
           AND existed_in(m.founded, m.ended, $6::smallint))",
                {proposed, scopes, models, region, under, as_of});
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
    for (const Linked& l :
         {Linked{"stakeholder", "stakeholder_group", 2, "mechanism_stakeholder", "stakeholder_group_id"},
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
}

/// Drawing sizes: how many mechanisms cover an area; how many links other nodes have.
void weigh_nodes(db::Transaction& tx, const GraphFilter& o)
{
    const std::set<std::string> kinds = o.kinds.empty() ? all_of(vocab::node_kind) : o.kinds;
    db::Value proposed = std::string(o.include_proposed ? "true" : "false");
    db::Value as_of = o.as_of ? db::Value(std::to_string(*o.as_of)) : db::Value{};
    if (kinds.count("area"))
        tx.exec(R"(
        UPDATE export_node x SET weight = c.n
          FROM (SELECT area_id, count(*) AS n FROM covering_mechanisms($1::boolean, false, false, $2::smallint)
                 GROUP BY area_id) c
         WHERE x.rank = 0 AND c.area_id = x.id)",
                {proposed, as_of});
    if (kinds.count("mechanism") || kinds.count("stakeholder") || kinds.count("region"))
        tx.exec(R"(
        UPDATE export_node x SET weight = d.n
          FROM (SELECT id, count(*) AS n
                  FROM (SELECT source AS id FROM graph_edge WHERE source IN (SELECT id FROM export_node WHERE rank > 0)
                        UNION ALL
                        SELECT target FROM graph_edge WHERE target IN (SELECT id FROM export_node WHERE rank > 0)) e
                 GROUP BY id) d
         WHERE x.rank > 0 AND d.id = x.id)");
    const std::set<std::string> relations = o.relations.empty() ? all_of(vocab::edge_kind) : o.relations;
    tx.exec("INSERT INTO export_edge_kind SELECT unnest($1::text[])", {array_literal(relations)});
    tx.exec("ANALYZE export_node");
}

}  // namespace

void check_filter(db::Transaction& tx, const GraphFilter& o)
{
    check_vocabulary(o.kinds, vocab::node_kind, "node kind");
    check_vocabulary(o.relations, vocab::edge_kind, "edge kind");
    check_vocabulary(o.scopes, vocab::mechanism_scope, "scope");
    check_vocabulary(o.models, vocab::governance_model, "model");
    if (o.under && tx.exec("SELECT 1 FROM issue_area WHERE code = $1", {*o.under}).empty())
        throw UnknownName("unknown taxonomy code '" + *o.under + "' (see `govmap list areas`)");
    if (o.region && tx.exec("SELECT 1 FROM region WHERE code = $1", {*o.region}).empty())
        throw UnknownName("unknown region '" + *o.region + "' (a region code such as western-africa)");
}

void read_graph(db::Transaction& tx, const GraphFilter& o, const GraphVisitor& visit)
{
    check_filter(tx, o);
    // COPY takes no parameters: the edges' year comes from this setting.
    tx.exec("SELECT set_config('govmap.as_of', $1, true)", {o.as_of ? std::to_string(*o.as_of) : std::string()});
    select_nodes(tx, o);
    if (visit.selected) {
        auto n = tx.exec("SELECT count(*) AS n, count(*) FILTER (WHERE node_id LIKE 'mechanism:%') AS m "
                         "FROM export_node");
        visit.selected(std::stoll(n.text(0, "n")), std::stoll(n.text(0, "m")));
    }
    weigh_nodes(tx, o);
    // Keys are compared byte by byte so that every server orders them alike.
    tx.copy_out(R"(
        SELECT x.node_id, n.kind, n.key, n.label, n.level, n.scope, n.model, n.centrality, n.status,
               n.founded, n.url, n.description, n.review_status, x.cluster, x.cluster_label, x.weight, n.ended,
               CASE WHEN n.kind <> 'mechanism' THEN NULL
                    WHEN NOT p.known THEN 'unknown'
                    WHEN p.multistakeholder THEN 'multistakeholder'
                    WHEN n.model = 'intergovernmental' THEN 'intergovernmental'
                    ELSE 'single group' END,
               coalesce(ms.url, ms.title, s_area.url, s_area.title), ma.acronym
          FROM export_node x JOIN graph_node n ON n.id = x.id
          LEFT JOIN mechanism ma ON n.kind = 'mechanism' AND ma.slug = n.key
          -- The source a mechanism or an area is recorded from.
          LEFT JOIN (mechanism m JOIN source ms ON ms.id = m.source_id) ON n.kind = 'mechanism' AND m.slug = n.key
          LEFT JOIN (issue_area a JOIN source s_area ON s_area.id = a.source_id) ON n.kind = 'area' AND a.code = n.key
          LEFT JOIN participation()" +
                    std::string(o.include_proposed ? "true" : "false") + R"(, as_of_setting()) p
                 ON p.mechanism_id = x.id AND x.rank = 1
         ORDER BY x.rank, x.cluster COLLATE "C" NULLS FIRST, n.key COLLATE "C")",
                [&](const std::vector<db::Value>& row) {
                    std::size_t c = 0;
                    auto next = [&]() -> const db::Value& { return row.at(c++); };
                    GraphNode n;
                    n.id = *next();
                    n.kind = *next();
                    n.key = *next();
                    n.label = *next();
                    n.level = next();
                    n.scope = next();
                    n.model = next();
                    n.centrality = next();
                    n.status = next();
                    n.founded = next();
                    n.url = next();
                    n.description = next();
                    n.review_status = next();
                    n.cluster = next();
                    n.cluster_label = next().value_or("");
                    n.weight = std::stoll(*next());
                    n.ended = next();
                    n.participation = next();
                    n.source = next();
                    n.acronym = next();
                    visit.node(n);
                });
    visit.edges_begin();
    std::string statuses = o.include_proposed ? "('accepted', 'proposed')" : "('accepted')";
    tx.copy_out(R"(
        SELECT e.kind, a.node_id, b.node_id, e.strength, e.role, e.source_url, e.review_status
          FROM graph_edge e
          JOIN export_node a ON a.id = e.source
          JOIN export_node b ON b.id = e.target
         WHERE e.kind IN (SELECT kind FROM export_edge_kind) AND held_in(e.valid_from, e.valid_to, as_of_setting())
           AND e.review_status IN )" +
                    statuses + R"(
         ORDER BY e.kind COLLATE "C", a.node_id COLLATE "C", b.node_id COLLATE "C")",
                [&](const std::vector<db::Value>& row) {
                    GraphEdge e;
                    e.kind = *row.at(0);
                    e.source = *row.at(1);
                    e.target = *row.at(2);
                    e.id = e.kind + ":" + e.source + ":" + e.target;
                    e.strength = row.at(3);
                    e.role = row.at(4);
                    e.source_url = row.at(5);
                    e.review_status = row.at(6);
                    visit.edge(e);
                });
}

}  // namespace govmap::queries
