// Staging, checking and merging: every record reaches PostgreSQL by COPY into
// a temporary table; checks and merges are a fixed number of set-based
// statements, whatever the number of rows.
#include "importer/batch.hpp"
#include "schema/copy_text.hpp"
#include "text/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

namespace govmap::importer {

namespace {

std::string stage_table(const std::string& type) { return "stage_" + type; }

/// The staging tables of a session: a text column per field, an id column
/// per reference, the record's position and what it asks (upsert or delete).
/// Created once; emptied whenever records are staged again (a preview applies
/// one proposal after another). They outlive the staging transaction, so that
/// a retried merge does not read the files again.
void create_stage(db::Transaction& tx)
{
    if (tx.exec("SELECT to_regclass('pg_temp.stage_mechanisms') IS NOT NULL AS present").text(0, "present") == "t") {
        std::string all;
        for (const auto& type : record_types())
            all += (all.empty() ? "" : ", ") + stage_table(type.name);
        tx.exec("TRUNCATE " + all);
        return;
    }
    for (const auto& type : record_types()) {
        std::string columns =
            "file text, loc text, ord bigint, derived boolean, present text[], op text NOT NULL DEFAULT 'upsert'";
        for (const auto& f : type.fields) {
            columns += ", " + tx.quote_name(f.name) + " text";
            // References are resolved to ids once, set-wise, before merging.
            if (f.check == Check::reference)
                columns += ", " + tx.quote_name(f.name + "_ref") + " bigint";
        }
        tx.exec(fmt::format("CREATE TEMP TABLE {} ({})", stage_table(type.name), columns));
    }
    // The keys other records are checked against and resolved by.
    tx.exec("CREATE INDEX ON stage_mechanisms (slug)");
    tx.exec("CREATE INDEX ON stage_areas (code)");
    tx.exec("CREATE INDEX ON stage_sources (key)");
    tx.exec("CREATE INDEX ON stage_sources (url)");
}

void analyse_stage(db::Transaction& tx)
{
    std::string all;
    for (const auto& type : record_types())
        all += (all.empty() ? "" : ", ") + stage_table(type.name);
    tx.exec("ANALYZE " + all);
}

/// Takes records from the readers and COPYs them into the staging tables in
/// chunks: memory holds at most a chunk per record type, whatever the input size.
class Stager {
public:
    Stager(db::Transaction& tx, bool remove) : tx_(tx), op_(remove ? "delete" : "upsert") { create_stage(tx); }

    void add(const RecordType& type, Row&& row)
    {
        std::string present = "{";
        for (std::size_t i = 0; i < type.fields.size(); ++i)
            if (row.present[i])
                present += (present.size() > 1 ? "," : "") + type.fields[i].name;
        std::vector<db::Value> line{std::move(row.file),
                                    std::move(row.loc),
                                    std::to_string(++ord_[type.name]),
                                    std::string(row.derived ? "t" : "f"),
                                    present + "}",
                                    op_};
        for (auto& v : row.values)
            line.push_back(std::move(v));
        // Kept encoded: a chunk's memory is its bytes on the wire.
        auto& chunk = chunks_[type.name];
        chunk.push_back(db::encode_copy_line(line));
        bytes_ += chunk.back().size() + sizeof(std::string);
        if (bytes_ > chunk_bytes)
            flush();
    }

    void flush()
    {
        for (auto& [name, lines] : chunks_) {
            if (lines.empty())
                continue;
            const RecordType& type = *find_type(name);
            std::vector<std::string> names{"file", "loc", "ord", "derived", "present", "op"};
            for (const auto& f : type.fields)
                names.push_back(f.name);
            auto writer = tx_.copy_in(stage_table(type.name), names);
            for (const auto& line : lines)
                writer.write_encoded(line);
            writer.finish();
            lines.clear();
            lines.shrink_to_fit();
        }
        bytes_ = 0;
    }

private:
    /// Rows buffered before they are sent (all types together).
    static constexpr std::size_t chunk_bytes = 8 << 20;
    db::Transaction& tx_;
    std::string op_;
    std::map<std::string, std::vector<std::string>> chunks_;
    std::map<std::string, std::size_t> ord_;
    std::size_t bytes_ = 0;
};

/// Sources known only by their URL (spreadsheet layout): one per URL, and
/// none where a file gives that source in full.
void drop_derived_duplicates(db::Transaction& tx)
{
    tx.exec(R"(
        DELETE FROM stage_sources d
         WHERE d.derived
           AND (EXISTS (SELECT 1 FROM stage_sources n WHERE NOT n.derived AND n.url = d.url)
                OR EXISTS (SELECT 1 FROM stage_sources e WHERE e.derived AND e.url = d.url AND e.ord < d.ord)))");
}

/// Stages the records of a stored proposal, set-based in the server.
void stage_proposal(db::Transaction& tx, long proposal)
{
    create_stage(tx);
    for (const auto& type : record_types()) {
        std::string columns, values;
        for (const auto& f : type.fields) {
            columns += ", " + tx.quote_name(f.name);
            values += fmt::format(", pr.fields->>'{}'", f.name);  // field names are program text
        }
        tx.exec(fmt::format("INSERT INTO {} (file, loc, ord, derived, present, op{}) "
                            "SELECT 'proposal ' || pr.proposal_id, 'record ' || pr.seq, pr.seq, false, "
                            "ARRAY(SELECT jsonb_object_keys(pr.fields)), "
                            "CASE pr.op WHEN 'delete' THEN 'delete' ELSE 'upsert' END{} "
                            "FROM proposal_record pr WHERE pr.proposal_id = $1 AND pr.type = $2 ORDER BY pr.seq",
                            stage_table(type.name), columns, values),
                {std::to_string(proposal), type.name});
    }
    analyse_stage(tx);
}

// ------------------------------------------------------------------ checks

/// The table of a target known by its key alone (the evaluation's records), or null.
const char* keyed_table(const std::string& target)
{
    static const std::map<std::string, const char*> tables{
        {"framework", "framework"}, {"criterion", "criterion"}, {"indicator", "indicator"}, {"assessor", "assessor"}};
    auto it = tables.find(target);
    return it == tables.end() ? nullptr : it->second;
}

/// The record type (staging table suffix) of such a target.
std::string staged_name(const std::string& target) { return target == "criterion" ? "criteria" : target + "s"; }

/// SQL that is true when `v` names no existing or staged record of `target`:
/// a conjunction of NOT EXISTS, each of which PostgreSQL plans as an anti-join.
std::string unknown(const std::string& target, const std::string& v)
{
    std::vector<std::string> lookups;
    if (target == "mechanism")
        lookups = {"stage_mechanisms x WHERE x.slug = {0}", "mechanism x WHERE x.slug = {0}"};
    else if (target == "area")
        lookups = {"stage_areas x WHERE x.code = {0}", "stage_areas x WHERE lower(x.name) = lower({0})",
                   "issue_area x WHERE x.code = {0}", "issue_area x WHERE lower(x.name) = lower({0})"};
    else if (target == "area code")
        lookups = {"stage_areas x WHERE x.code = {0}", "issue_area x WHERE x.code = {0}"};
    else if (target == "source")
        lookups = {"stage_sources x WHERE x.key = {0}", "stage_sources x WHERE x.url = {0}",
                   "source x WHERE x.key = {0}", "source x WHERE x.url = {0}"};
    else if (const char* t = keyed_table(target))
        lookups = {fmt::format("stage_{} x WHERE x.key = {{0}}", staged_name(target)),
                   std::string(t) + " x WHERE x.key = {0}"};
    else if (target == "region")
        lookups = {"region x WHERE x.code = {0}", "region x WHERE x.m49 = {0}",
                   "region x WHERE lower(x.name) = lower({0})"};
    else
        lookups = {"stakeholder_group x WHERE x.code = {0}", "stakeholder_group x WHERE lower(x.name) = lower({0})"};
    std::string sql;
    for (const auto& l : lookups)
        sql += (sql.empty() ? "" : " AND ") + fmt::format("NOT EXISTS (SELECT 1 FROM " + l + ")", v);
    return "(" + sql + ")";
}

struct Reference {
    const char* type;
    const char* field;
    const char* target;
};

const Reference references[] = {
    {"areas", "parent", "area code"},
    {"mechanism_areas", "mechanism", "mechanism"},
    {"mechanism_areas", "area", "area"},
    {"relations", "from", "mechanism"},
    {"relations", "to", "mechanism"},
    {"stakeholders", "mechanism", "mechanism"},
    {"stakeholders", "group", "stakeholder group"},
    {"regions", "mechanism", "mechanism"},
    {"regions", "region", "region"},
    {"assessments", "mechanism", "mechanism"},
    {"criteria", "framework", "framework"},
    {"criterion_indicators", "criterion", "criterion"},
    {"criterion_indicators", "indicator", "indicator"},
    {"observations", "mechanism", "mechanism"},
    {"observations", "indicator", "indicator"},
    {"observations", "assessor", "assessor"},
};

bool has_default(const std::string& type, const std::string& field);

/// SQL over a staged row `s` that is true when it names a record the map holds.
const std::pair<const char*, const char*> existing_record[] = {
    {"sources", "EXISTS (SELECT 1 FROM source x WHERE x.key = s.key)"},
    {"map_info", "EXISTS (SELECT 1 FROM map_info x WHERE x.key = s.key)"},
    {"areas", "EXISTS (SELECT 1 FROM issue_area x WHERE x.code = s.code)"},
    {"mechanisms", "EXISTS (SELECT 1 FROM mechanism x WHERE x.slug = s.slug)"},
    {"assessments", "EXISTS (SELECT 1 FROM assessment x JOIN mechanism m ON m.id = x.mechanism_id "
                    "WHERE m.slug = s.mechanism AND x.principle::text = s.principle)"},
    {"frameworks", "EXISTS (SELECT 1 FROM framework x WHERE x.key = s.key)"},
    {"criteria", "EXISTS (SELECT 1 FROM criterion x WHERE x.key = s.key)"},
    {"indicators", "EXISTS (SELECT 1 FROM indicator x WHERE x.key = s.key)"},
    {"assessors", "EXISTS (SELECT 1 FROM assessor x WHERE x.key = s.key)"},
    {"observations", "EXISTS (SELECT 1 FROM observation x JOIN mechanism m ON m.id = x.mechanism_id "
                     "JOIN indicator i ON i.id = x.indicator_id JOIN assessor a ON a.id = x.assessor_id "
                     "WHERE m.slug = s.mechanism AND i.key = s.indicator AND a.key = s.assessor)"},
};

void add_problems(Batch& batch, db::Transaction& tx, const std::string& sql, const db::Params& params = {})
{
    // Beyond the problems kept, one more row tells that there are more.
    auto r = tx.exec(fmt::format("SELECT * FROM ({}) problems LIMIT {}", sql, max_problems + 1), params);
    for (std::size_t i = 0; i < r.size(); ++i)
        batch.problem(r.text(i, "file"), r.text(i, "loc"), r.text(i, "field"), r.text(i, "message"));
}

/// part_of and reports_to must stay acyclic together with what the database
/// holds. Linear in the edges: the mechanisms reachable from the new edges'
/// targets (a new cycle lies among them), Kahn's algorithm over them, and
/// only if something is left, a search per new edge for the cycle it closes.
void check_nesting(Batch& batch, db::Transaction& tx)
{
    // The graph lives as integers: slugs once each in `id`, edges in one
    // array, and the staged rows by their position (`ord`) only; the few that
    // close a cycle are read back for their file and line. Holding the staged
    // rows' text took 350 MB at a million mechanisms.
    std::unordered_map<std::string, int> id;
    auto node = [&](const std::string& slug) { return id.emplace(slug, static_cast<int>(id.size())).first->second; };
    std::vector<std::pair<int, int>> edges;
    struct NewEdge {
        int from, to;
        std::int64_t ord;
    };
    std::vector<NewEdge> added;
    tx.copy_out(R"(SELECT ord, "from", "to" FROM stage_relations
                    WHERE kind IN ('part_of', 'reports_to') AND op = 'upsert' AND "from" IS NOT NULL AND "to" IS NOT NULL
                      AND "from" <> "to"
                    ORDER BY file, loc)",
                [&](const std::vector<db::Value>& row) {
                    int f = node(*row[1]), t = node(*row[2]);
                    added.push_back({f, t, std::stoll(*row[0])});
                });
    if (added.empty())
        return;
    tx.copy_out("SELECT a.slug, b.slug FROM mechanism_relation r JOIN mechanism a ON a.id = r.from_id "
                "JOIN mechanism b ON b.id = r.to_id WHERE r.kind IN ('part_of', 'reports_to')",
                [&](const std::vector<db::Value>& row) { edges.emplace_back(node(*row[0]), node(*row[1])); });
    for (const auto& e : added)
        edges.emplace_back(e.from, e.to);
    // Compressed adjacency: the targets of u are target[first[u] .. first[u + 1]).
    const std::size_t n = id.size();
    std::vector<std::size_t> first(n + 1, 0);
    for (const auto& [u, v] : edges)
        ++first[static_cast<std::size_t>(u) + 1];
    for (std::size_t u = 0; u < n; ++u)
        first[u + 1] += first[u];
    std::vector<int> target(edges.size());
    {
        std::vector<std::size_t> at(first.begin(), first.end() - 1);
        for (const auto& [u, v] : edges)
            target[at[static_cast<std::size_t>(u)]++] = v;
    }
    std::vector<std::pair<int, int>>().swap(edges);
    auto out = [&](int u) {
        return std::make_pair(target.begin() + static_cast<std::ptrdiff_t>(first[static_cast<std::size_t>(u)]),
                              target.begin() + static_cast<std::ptrdiff_t>(first[static_cast<std::size_t>(u) + 1]));
    };

    std::vector<char> reach(n, 0);
    std::vector<int> stack;
    for (const auto& e : added)
        if (!reach[e.to]) {
            reach[e.to] = 1;
            stack.push_back(e.to);
        }
    std::size_t reached = stack.size();
    while (!stack.empty()) {
        int u = stack.back();
        stack.pop_back();
        for (auto [v, end] = out(u); v != end; ++v)
            if (!reach[*v]) {
                reach[*v] = 1;
                ++reached;
                stack.push_back(*v);
            }
    }
    std::vector<int> indeg(n, 0);
    for (std::size_t u = 0; u < n; ++u)
        if (reach[u])
            for (auto [v, end] = out(static_cast<int>(u)); v != end; ++v)
                ++indeg[*v];
    for (std::size_t u = 0; u < n; ++u)
        if (reach[u] && indeg[u] == 0)
            stack.push_back(static_cast<int>(u));
    std::size_t peeled = 0;
    while (!stack.empty()) {
        int u = stack.back();
        stack.pop_back();
        ++peeled;
        for (auto [v, end] = out(u); v != end; ++v)
            if (--indeg[*v] == 0)
                stack.push_back(*v);
    }
    if (peeled == reached)
        return;
    auto left = [&](int u) { return reach[u] && indeg[u] > 0; };
    std::vector<std::int64_t> closing;
    for (const auto& e : added) {
        if (!left(e.from) || !left(e.to))
            continue;
        // Does the new edge close a cycle: is its source reachable from its target?
        std::vector<char> seen(n, 0);
        std::vector<int> todo{e.to};
        seen[e.to] = 1;
        bool closes = false;
        while (!todo.empty() && !closes) {
            int u = todo.back();
            todo.pop_back();
            for (auto [v, end] = out(u); v != end; ++v)
                if (left(*v) && !seen[*v]) {
                    closes = closes || *v == e.from;
                    seen[*v] = 1;
                    todo.push_back(*v);
                }
        }
        if (closes)
            closing.push_back(e.ord);
    }
    std::string ords = "{";
    for (auto o : closing)
        ords += (ords.size() > 1 ? "," : "") + std::to_string(o);
    auto rows = tx.exec(R"(SELECT file, loc, "from" FROM stage_relations s
                            JOIN unnest($1::bigint[]) WITH ORDINALITY AS c(ord, n) ON c.ord = s.ord ORDER BY c.n)",
                        {ords + "}"});
    for (std::size_t i = 0; i < rows.size(); ++i)
        batch.problem(rows.text(i, "file"), rows.text(i, "loc"), "to",
                      "this relation would make '" + rows.text(i, "from") +
                          "' nested inside itself (a part_of/reports_to cycle)");
}

/// A record given twice in the files (by its key): reported at each later copy.
void check_duplicate_keys(Batch& batch, db::Transaction& tx)
{
    for (const auto& type : record_types()) {
        std::string keys, names;
        for (const auto& k : type.key) {
            keys += (keys.empty() ? "" : ", ") + tx.quote_name(k);
            names += (names.empty() ? "" : " || ', ' || ") + fmt::format("coalesce(s.{}, '')", tx.quote_name(k));
        }
        add_problems(batch, tx,
                     fmt::format("SELECT s.file, s.loc, $1::text AS field, "
                                 "'duplicate ' || $2 || ' ''' || {0} || ''' (first at ' || s.first_file || ':' || "
                                 "s.first_loc || ')' AS message "
                                 "FROM (SELECT x.*, first_value(x.file) OVER w AS first_file, "
                                 "first_value(x.loc) OVER w AS first_loc, row_number() OVER w AS n "
                                 "FROM {1} x WHERE NOT x.derived WINDOW w AS (PARTITION BY {2} ORDER BY x.ord)) s "
                                 "WHERE s.n > 1 ORDER BY s.ord",
                                 names, stage_table(type.name), keys),
                     {type.key.front(), type.singular});
    }
}

void check_in_database(Batch& batch, db::Transaction& tx, const Options& options)
{
    check_duplicate_keys(batch, tx);
    for (const auto& ref : references) {
        std::string v = "s." + tx.quote_name(ref.field);
        add_problems(batch, tx,
                     fmt::format("SELECT file, loc, $1::text AS field, "
                                 "'unknown ' || $2 || ' ''' || {0} || ''' (in neither these files nor the database)' "
                                 "AS message FROM {1} s WHERE {0} IS NOT NULL AND {2} ORDER BY file, loc",
                                 v, stage_table(ref.type), unknown(ref.target, v)),
                     {std::string(ref.field), std::string(ref.target)});
    }
    for (const auto& type : record_types()) {
        if (!type.index("source"))
            continue;
        add_problems(batch, tx,
                     fmt::format("SELECT file, loc, 'source' AS field, "
                                 "'unknown source ''' || s.source || ''' (give its key or URL, and add it to sources)' "
                                 "AS message FROM {0} s WHERE s.source IS NOT NULL AND {1} ORDER BY file, loc",
                                 stage_table(type.name), unknown("source", "s.source")));
    }
    if (options.default_source) {
        auto r = tx.exec("SELECT " + unknown("source", "$1::text") + " AS missing", {*options.default_source});
        if (r.text(0, "missing") == "t")
            batch.add({"--source", "unknown source '" + *options.default_source + "'"});
    }
    // An area's parent must sit one level up, whether in the files or the database.
    add_problems(batch, tx, R"(
        SELECT s.file, s.loc, 'parent' AS field,
               'parent ''' || s.parent || ''' is ' || CASE p.level WHEN 'cluster' THEN 'a ' ELSE 'an ' END ||
               p.level || ', but ' || CASE s.level WHEN 'area' THEN 'an area belongs to a cluster'
                                               ELSE 'an issue belongs to an area' END AS message
          FROM stage_areas s
          JOIN LATERAL (SELECT level FROM (SELECT x.level, 0 AS pri FROM stage_areas x WHERE x.code = s.parent
                                           UNION ALL
                                           SELECT x.level::text, 1 FROM issue_area x WHERE x.code = s.parent) c
                         ORDER BY pri LIMIT 1) p ON true
         WHERE s.level IN ('area', 'issue')
           AND p.level <> CASE s.level WHEN 'area' THEN 'cluster' ELSE 'area' END
         ORDER BY s.file, s.loc)");
    // A row may leave out what only a new record must have (it then changes an
    // existing one); a row that names no existing record must have it all.
    for (const auto& [type_name, exists] : existing_record) {
        const RecordType& type = *find_type(type_name);
        for (const auto& f : type.fields) {
            if (!f.required || std::find(type.key.begin(), type.key.end(), f.name) != type.key.end() ||
                has_default(type.name, f.name))
                continue;
            std::string extra = type.name == "sources" ? " AND s.url IS NULL AND NOT s.derived" : "";
            add_problems(
                batch, tx,
                fmt::format("SELECT file, loc, $1::text AS field, "
                            "'missing: required for a new ' || $2 AS message "
                            "FROM {0} s WHERE s.op = 'upsert' AND s.{1} IS NULL AND NOT $1 = ANY (s.present){2} "
                            "AND NOT {3} ORDER BY ord",
                            stage_table(type.name), tx.quote_name(f.name), extra, exists),
                {f.name, type.singular});
        }
    }
    add_problems(batch, tx, R"(
        SELECT s.file, s.loc, 'url' AS field,
               'URL ''' || s.url || ''' already belongs to source ''' || x.key || '''' AS message
          FROM stage_sources s JOIN source x ON x.url = s.url AND x.key <> s.key
         WHERE NOT s.derived ORDER BY s.file, s.loc)");
    std::string allowed = "{";
    for (const auto& s : options.allow_duplicates)
        allowed += (allowed.size() > 1 ? "," : "") + s;  // slugs: checked by the caller, no quoting needed
    // Only new mechanisms are checked; a re-import that adds none skips the
    // keys of every staged row.
    if (options.check_duplicates &&
        tx.exec("SELECT EXISTS (SELECT 1 FROM stage_mechanisms s WHERE s.name IS NOT NULL AND s.op = 'upsert' "
                "AND NOT (s.slug = ANY ($1::text[])) AND NOT EXISTS (SELECT 1 FROM mechanism m WHERE m.slug = s.slug)) "
                "AS any_new",
                {allowed + "}"})
                .text(0, "any_new") == "t") {
        // Candidates for a similar name come from the trigram index on
        // lower(name) (migration 0008); probably_same_name() (0011) decides.
        tx.exec("SET LOCAL pg_trgm.similarity_threshold = 0.5");
        // Each staged row's keys are computed once; stored mechanisms are
        // looked up by the same expressions through migration 0017's indexes.
        add_problems(batch, tx, R"(
            WITH staged AS MATERIALIZED (
                SELECT s.file, s.loc, s.slug, s.name, s.acronym, s.url, dup_name(s.name) AS dn,
                       name_initials(s.name) AS ni, lower(s.acronym) AS la, url_key(s.url) AS uk,
                       EXISTS (SELECT 1 FROM mechanism m WHERE m.slug = s.slug) AS stored
                  FROM stage_mechanisms s WHERE s.name IS NOT NULL AND s.op = 'upsert'),
            new_rows AS (
                SELECT * FROM staged s WHERE NOT s.stored AND NOT (s.slug = ANY ($1::text[]))),
            keys AS (
                SELECT n.file, n.loc, n.slug, n.name, 'the same name' AS why, 'name' AS kind, n.dn AS k FROM new_rows n
                UNION ALL
                SELECT n.file, n.loc, n.slug, n.name, 'the same acronym', 'acronym', n.la FROM new_rows n
                 WHERE n.acronym IS NOT NULL
                UNION ALL
                SELECT n.file, n.loc, n.slug, n.name, 'a name whose initials are its acronym', 'acronym', n.ni
                  FROM new_rows n WHERE n.acronym IS NULL AND length(n.ni) >= 3
                UNION ALL
                SELECT n.file, n.loc, n.slug, n.name, 'a name that is its acronym', 'acronym', lower(n.name)
                  FROM new_rows n WHERE n.name ~ '^[[:alnum:]-]{2,15}$'
                UNION ALL
                -- Four letters at least: three-letter initials meet too often.
                SELECT n.file, n.loc, n.slug, n.name, 'an acronym that is the initials of its name', 'initials', n.la
                  FROM new_rows n WHERE length(n.acronym) >= 4
                UNION ALL
                SELECT n.file, n.loc, n.slug, n.name, 'the same address', 'url', n.uk FROM new_rows n
                 WHERE n.url IS NOT NULL),
            proposed AS (
                SELECT p.id, r.fields->>'slug' AS slug, r.fields->>'name' AS name, r.fields->>'acronym' AS acronym,
                       r.fields->>'url' AS url, ', in open proposal ' || p.id AS origin
                  FROM proposal p JOIN proposal_record r ON r.proposal_id = p.id
                 WHERE p.status = 'open' AND p.id <> $2::bigint AND r.type = 'mechanisms' AND r.op = 'insert'),
            -- The batch itself and open proposals; stored mechanisms below.
            unstored AS (
                SELECT x.slug, x.name, x.acronym, x.url, true AS staged, x.stored, '' AS origin, x.dn, x.ni, x.la,
                       x.uk FROM staged x
                UNION ALL
                SELECT p.slug, p.name, p.acronym, p.url, false, false, p.origin, dup_name(p.name),
                       name_initials(p.name), lower(p.acronym), url_key(p.url) FROM proposed p WHERE p.name IS NOT NULL),
            others AS (
                SELECT c.*, 'name' AS kind, c.dn AS k FROM unstored c
                UNION ALL
                SELECT c.*, 'acronym', c.la FROM unstored c WHERE c.acronym IS NOT NULL
                UNION ALL
                SELECT c.*, 'initials', c.ni FROM unstored c WHERE length(c.ni) >= 4
                UNION ALL
                SELECT c.*, 'url', c.uk FROM unstored c WHERE c.url IS NOT NULL),
            found AS (
                SELECT k.file, k.loc, k.slug AS new_slug, k.name AS new_name, k.why, 1 AS rank,
                       o.slug, o.name, o.acronym, o.origin
                  FROM keys k JOIN others o ON o.kind = k.kind AND o.k = k.k AND o.slug <> k.slug
                 -- Two new rows of one batch: reported once, on the later slug.
                 WHERE NOT (o.staged AND o.slug > k.slug AND NOT o.stored)
                -- Stored mechanisms: a branch per kind of key, each spelling out
                -- its indexed expression so that the planner can use the index.
                UNION ALL
                SELECT k.file, k.loc, k.slug, k.name, k.why, 1, m.slug, m.name, m.acronym, ''
                  FROM keys k JOIN mechanism m ON dup_name(m.name) = k.k
                 WHERE k.kind = 'name' AND m.slug <> k.slug
                UNION ALL
                SELECT k.file, k.loc, k.slug, k.name, k.why, 1, m.slug, m.name, m.acronym, ''
                  FROM keys k JOIN mechanism m ON lower(m.acronym) = k.k
                 WHERE k.kind = 'acronym' AND m.slug <> k.slug
                UNION ALL
                SELECT k.file, k.loc, k.slug, k.name, k.why, 1, m.slug, m.name, m.acronym, ''
                  FROM keys k JOIN mechanism m ON name_initials(m.name) = k.k
                 WHERE k.kind = 'initials' AND m.slug <> k.slug
                UNION ALL
                SELECT k.file, k.loc, k.slug, k.name, k.why, 1, m.slug, m.name, m.acronym, ''
                  FROM keys k JOIN mechanism m ON url_key(m.url) = k.k
                 WHERE k.kind = 'url' AND m.slug <> k.slug
                UNION ALL
                SELECT n.file, n.loc, n.slug, n.name, 'a similar name', 2, m.slug, m.name, m.acronym, ''
                  FROM new_rows n JOIN mechanism m ON lower(m.name) % lower(n.name)
                 WHERE m.slug <> n.slug AND probably_same_name(n.name, m.name)
                UNION ALL
                SELECT n.file, n.loc, n.slug, n.name, 'a similar name', 2, p.slug, p.name, p.acronym, p.origin
                  FROM new_rows n JOIN proposed p ON p.slug <> n.slug AND probably_same_name(n.name, p.name))
            SELECT DISTINCT ON (f.file, f.loc, f.slug) f.file, f.loc, 'name' AS field,
                   'probable duplicate of ''' || f.slug || ''' (' || f.name || coalesce(', ' || f.acronym, '') ||
                   f.origin || '): ' || f.why || ', name similarity ' ||
                   to_char(similarity(dup_name(f.new_name), dup_name(f.name)), 'FM0.00') ||
                   '; if it is another mechanism, import it with --allow-duplicate ' || f.new_slug AS message
              FROM found f
             ORDER BY f.file, f.loc, f.slug, f.rank)",
                     {allowed + "}", std::to_string(options.applying_proposal)});
        tx.exec("RESET pg_trgm.similarity_threshold");
    }
    check_nesting(batch, tx);
}

// ------------------------------------------------------------------ merge

struct Column {
    std::string column;    ///< in the target table
    std::string field;     ///< staged field that feeds it ("" = always given)
    std::string value;     ///< SQL over the staged row `s`
    std::string fallback;  ///< SQL used when the value is absent or empty ("" = NULL)
};

struct MergeSpec {
    std::string type;
    std::string table;
    std::vector<std::pair<std::string, std::string>> keys;  ///< column, SQL over `s`
    std::vector<Column> columns;
    std::string filter = "true";  ///< over `s`; {level} stands for the level being merged
};

/// Each way a reference may name its target, tried in order: the id of the
/// first match goes into the staging table's <field>_ref column.
std::vector<std::string> lookups(const std::string& target)
{
    if (target == "mechanism")
        return {"SELECT slug AS k, id FROM mechanism"};
    if (target == "area")
        return {"SELECT code AS k, id FROM issue_area",
                "SELECT lower(name) AS k, min(id) AS id FROM issue_area GROUP BY lower(name)"};
    if (target == "area code")
        return {"SELECT code AS k, id FROM issue_area"};
    if (target == "region")
        return {"SELECT code AS k, id FROM region", "SELECT m49::text AS k, id FROM region WHERE m49 IS NOT NULL",
                "SELECT lower(name) AS k, min(id) AS id FROM region GROUP BY lower(name)"};
    if (target == "stakeholder group")
        return {"SELECT code AS k, id FROM stakeholder_group",
                "SELECT lower(name) AS k, min(id) AS id FROM stakeholder_group GROUP BY lower(name)"};
    if (const char* t = keyed_table(target))
        return {std::string("SELECT key AS k, id FROM ") + t};
    return {"SELECT key AS k, id FROM source", "SELECT url AS k, id FROM source WHERE url IS NOT NULL"};
}

/// Resolves one reference field of a staging table with hash joins, not a
/// lookup per row.
void resolve(db::Transaction& tx, const std::string& type, const std::string& field, const std::string& target)
{
    std::string f = tx.quote_name(field), ref = tx.quote_name(field + "_ref");
    for (const auto& lookup : lookups(target)) {
        bool by_name = lookup.rfind("SELECT lower(", 0) == 0;
        tx.exec(fmt::format("UPDATE {0} s SET {1} = t.id FROM ({2}) t WHERE s.{1} IS NULL AND s.{3} IS NOT NULL "
                            "AND t.k = {4}",
                            stage_table(type), ref, lookup, f, by_name ? "lower(s." + f + ")" : "s." + f));
    }
}

Column source_column() { return {"source_id", "source", "s.source_ref", "(SELECT id FROM default_source)"}; }

std::vector<MergeSpec> merge_specs()
{
    auto text = [](const char* f) { return Column{f, f, std::string("s.") + f, ""}; };
    auto cast = [](const char* column, const char* field, const char* type, const char* fallback = "") {
        return Column{column, field, fmt::format("s.\"{}\"::{}", field, type), fallback};
    };
    return {
        {"sources",
         "source",
         {{"key", "s.key"}},
         {{"title", "title", "s.title", "s.url"},
          text("url"),
          cast("published", "published", "date"),
          text("publisher")},
         "NOT (s.derived AND EXISTS (SELECT 1 FROM source x WHERE x.url = s.url AND x.key <> s.key))"},
        {"map_info", "map_info", {{"key", "s.key"}}, {text("value")}},
        {"areas",
         "issue_area",
         {{"code", "s.code"}},
         {text("name"),
          cast("level", "level", "area_level"),
          {"parent_id", "parent", "s.parent_ref", ""},
          text("description"),
          text("note"),
          source_column()},
         "coalesce(s.level, (SELECT x.level::text FROM issue_area x WHERE x.code = s.code)) = {level}"},
        {"mechanisms",
         "mechanism",
         {{"slug", "s.slug"}},
         {text("name"), text("acronym"), cast("kind", "kind", "mechanism_kind", "'organisation'::mechanism_kind"),
          cast("scope", "scope", "mechanism_scope"), cast("model", "model", "governance_model"),
          cast("centrality", "centrality", "centrality", "'core'::centrality"),
          cast("status", "status", "mechanism_status", "'active'::mechanism_status"),
          cast("founded", "founded", "smallint"), cast("ended", "ended", "smallint"), text("url"), text("description"),
          cast("open_participation", "open_participation", "boolean"), text("authority"), text("note"),
          source_column()}},
        {"mechanism_areas",
         "mechanism_area",
         {{"mechanism_id", "s.mechanism_ref"}, {"area_id", "s.area_ref"}},
         {cast("strength", "strength", "area_strength", "'primary'::area_strength"), text("note"),
          cast("valid_from", "valid_from", "smallint"), cast("valid_to", "valid_to", "smallint"), source_column()}},
        {"relations",
         "mechanism_relation",
         {{"from_id", "s.from_ref"}, {"to_id", "s.to_ref"}, {"kind", "s.kind::relation_kind"}},
         {text("note"), cast("valid_from", "valid_from", "smallint"), cast("valid_to", "valid_to", "smallint"),
          source_column()}},
        {"stakeholders",
         "mechanism_stakeholder",
         {{"mechanism_id", "s.mechanism_ref"}, {"stakeholder_group_id", "s.group_ref"}},
         {cast("role", "role", "stakeholder_role", "'member'::stakeholder_role"), text("note"),
          cast("valid_from", "valid_from", "smallint"), cast("valid_to", "valid_to", "smallint"), source_column()}},
        {"regions",
         "mechanism_region",
         {{"mechanism_id", "s.mechanism_ref"}, {"region_id", "s.region_ref"}},
         {text("note"), cast("valid_from", "valid_from", "smallint"), cast("valid_to", "valid_to", "smallint"),
          source_column()}},
        {"assessments",
         "assessment",
         {{"mechanism_id", "s.mechanism_ref"}, {"principle", "s.principle::principle"}},
         {cast("score", "score", "smallint"), text("evidence"), source_column()}},
        {"frameworks", "framework", {{"key", "s.key"}}, {text("name"), text("description"), source_column()}},
        {"criteria",
         "criterion",
         {{"key", "s.key"}},
         {{"framework_id", "framework", "s.framework_ref", ""}, text("name"), text("description"), source_column()}},
        {"indicators", "indicator", {{"key", "s.key"}}, {text("text"), text("description"), source_column()}},
        {"criterion_indicators",
         "criterion_indicator",
         {{"criterion_id", "s.criterion_ref"}, {"indicator_id", "s.indicator_ref"}},
         {source_column()}},
        {"assessors",
         "assessor",
         {{"key", "s.key"}},
         {text("name"), text("url"), text("description"), source_column()}},
        {"observations",
         "observation",
         {{"mechanism_id", "s.mechanism_ref"}, {"indicator_id", "s.indicator_ref"}, {"assessor_id", "s.assessor_ref"}},
         {cast("value", "value", "observation_value"), text("evidence"), text("observer"),
          cast("observed", "observed", "date"), cast("valid_from", "valid_from", "smallint"),
          cast("valid_to", "valid_to", "smallint"), source_column()}},
    };
}

/// Whether a new record may leave `field` out (the merge fills it in).
bool has_default(const std::string& type, const std::string& field)
{
    for (const auto& spec : merge_specs())
        if (spec.type == type)
            for (const auto& c : spec.columns)
                if (c.field == field && !c.fallback.empty() && c.fallback.rfind("s.", 0) != 0)
                    return true;
    return false;
}

/// INSERT ... ON CONFLICT DO UPDATE that touches only rows whose data changed.
std::string merge_sql(const MergeSpec& m)
{
    std::string keys, key_exprs, join, cols, picks, sets, old_vals, new_vals;
    for (const auto& [column, expr] : m.keys) {
        keys += (keys.empty() ? "" : ", ") + column;
        key_exprs += fmt::format("{}{} AS {}", key_exprs.empty() ? "" : ", ", expr, column);
        join += fmt::format("{}t.{} = {}", join.empty() ? "" : " AND ", column, expr);
    }
    for (const auto& c : m.columns) {
        std::string fallback = c.fallback.empty() ? "NULL" : c.fallback;
        std::string given = fmt::format("coalesce({}, {})", c.value, fallback);
        std::string kept = fmt::format("coalesce(t.{}, {})", c.column, fallback);
        picks +=
            fmt::format(", CASE WHEN '{}' = ANY (s.present) THEN {} ELSE {} END AS {}", c.field, given, kept, c.column);
        cols += ", " + c.column;
        sets += fmt::format("{} = EXCLUDED.{}, ", c.column, c.column);
        old_vals += (old_vals.empty() ? "" : ", ") + ("t." + c.column);
        new_vals += (new_vals.empty() ? "" : ", ") + ("EXCLUDED." + c.column);
    }
    return fmt::format(R"(
        WITH input AS (
            SELECT {key_exprs}{picks}, s.ord
              FROM {stage} s LEFT JOIN {table} t ON {join}
             WHERE {filter}),
        merged AS (
            -- In file order, so that new rows' ids (and the order of criteria,
            -- say) follow the order the contributor wrote them in.
            INSERT INTO {table} AS t ({keys}{cols}, contributed_by, review_status)
            SELECT {keys}{cols}, $1, $2::review_status FROM input ORDER BY ord
            ON CONFLICT ({keys}) DO UPDATE
               SET {sets}contributed_by = EXCLUDED.contributed_by, review_status = EXCLUDED.review_status
             WHERE (ROW({old_vals}, NULL)) IS DISTINCT FROM (ROW({new_vals}, NULL))
            RETURNING (xmax = 0) AS inserted)
        SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
          FROM merged)",
                       fmt::arg("key_exprs", key_exprs), fmt::arg("picks", picks),
                       fmt::arg("stage", stage_table(m.type)), fmt::arg("table", m.table), fmt::arg("join", join),
                       fmt::arg("filter", fmt::format(m.filter, fmt::arg("level", "$3")) + " AND s.op = 'upsert'"),
                       fmt::arg("keys", keys), fmt::arg("cols", cols), fmt::arg("sets", sets),
                       fmt::arg("old_vals", old_vals), fmt::arg("new_vals", new_vals));
}

/// The target a reference field names, as in `references` ("source" for sources).
std::string target_of(const std::string& type, const std::string& field)
{
    for (const auto& ref : references)
        if (ref.type == type && ref.field == field)
            return ref.target;
    return "source";
}

/// SQL for the canonical key of the record a resolved reference names.
std::string canonical(const std::string& type, const Field& f)
{
    std::string v = "s.\"" + f.name + "\"";
    if (f.check != Check::reference)
        return v;
    std::string ref = "s.\"" + f.name + "_ref\"";
    std::string target = target_of(type, f.name);
    std::string lookup = target == "mechanism"           ? "slug FROM mechanism"
                         : target.rfind("area", 0) == 0  ? "code FROM issue_area"
                         : target == "region"            ? "code FROM region"
                         : target == "stakeholder group" ? "code FROM stakeholder_group"
                         : keyed_table(target)           ? "key FROM " + std::string(keyed_table(target))
                                                         : "key FROM source";
    if (f.name == "source" && type != "sources")
        return fmt::format("coalesce((SELECT {} WHERE id = {}), {}, (SELECT key FROM source WHERE id = (SELECT id "
                           "FROM default_source)))",
                           lookup, ref, v);
    return fmt::format("coalesce((SELECT {} WHERE id = {}), {})", lookup, ref, v);
}

/// One row per staged record of `spec` (at level $1 for areas): the accepted
/// record it meets (as JSON in the import format's terms, with its version)
/// and what it gives (its key and the fields present, references canonical).
std::string diff_sql(const MergeSpec& spec, bool removals)
{
    const RecordType& type = *find_type(spec.type);
    std::string pairs, keys, join;
    for (const auto& f : type.fields)
        pairs += fmt::format("{}'{}', {}", pairs.empty() ? "" : ", ", f.name, canonical(type.name, f));
    for (const auto& k : type.key)
        keys += (keys.empty() ? "'" : ", '") + k + "'";
    for (const auto& [column, expr] : spec.keys)
        join += fmt::format("{}t.{} = {}", join.empty() ? "" : " AND ", column, expr);
    std::string record_join = spec.table == "map_info" ? "r.key = t.key" : "r.id = t.id";
    // A new record that names no source gets the import's default source (--source).
    std::string default_source = type.index("source") && spec.type != "sources"
                                     ? " OR (e.key = 'source' AND t.id IS NULL AND e.value <> 'null')"
                                     : "";
    return fmt::format(
        R"(
        SELECT s.file, s.loc, s.op, r.version::text AS version,
               (to_jsonb(r) - 'id' - 'version')::text AS before,
               (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(jsonb_build_object({pairs})) e
                 WHERE e.key = ANY (s.present) OR e.key IN ({keys}){default_source})::text AS after
          FROM {stage} s LEFT JOIN {table} t ON {join} LEFT JOIN record_{type} r ON {record_join}
         WHERE {filter}
         ORDER BY s.ord)",
        fmt::arg("pairs", pairs), fmt::arg("keys", keys), fmt::arg("stage", stage_table(spec.type)),
        fmt::arg("table", spec.table), fmt::arg("join", join), fmt::arg("type", spec.type),
        fmt::arg("record_join", record_join), fmt::arg("default_source", default_source),
        fmt::arg("filter", removals ? std::string("s.op = 'delete'")
                                    : fmt::format(spec.filter, fmt::arg("level", "$1")) + " AND s.op = 'upsert'"));
}

db::Value text_of(const nlohmann::json& j, const std::string& k)
{
    if (!j.is_object() || !j.contains(k) || j[k].is_null())
        return std::nullopt;
    return j[k].get<std::string>();
}

void collect_changes(db::Transaction& tx, const MergeSpec& spec, const db::Params& params, const RecordType& type,
                     std::vector<RecordChange>& out, bool removals = false)
{
    auto r = tx.exec(diff_sql(spec, removals), params);
    for (std::size_t i = 0; i < r.size(); ++i) {
        RecordChange c;
        c.type = type.name;
        c.location = Batch::where(r.text(i, "file"), r.text(i, "loc"));
        auto after = nlohmann::json::parse(r.at(i, "after").value_or("{}"));
        auto before = r.at(i, "before") ? nlohmann::json::parse(*r.at(i, "before")) : nlohmann::json();
        for (const auto& k : type.key)
            c.key += (c.key.empty() ? "" : " ") + text_of(after, k).value_or("");
        if (const auto& v = r.at(i, "version"))
            c.base_version = std::stoi(*v);
        c.after = after.dump();
        if (!before.is_null())
            c.before = before.dump();
        if (r.text(i, "op") == "delete") {
            c.op = "delete";
            for (const auto& f : type.fields)
                if (auto b = text_of(before, f.name))
                    c.fields.push_back({f.name, b, std::nullopt});
        } else if (before.is_null()) {
            c.op = "insert";
            for (const auto& f : type.fields)
                if (auto a = text_of(after, f.name))
                    c.fields.push_back({f.name, std::nullopt, a});
        } else {
            for (const auto& f : type.fields) {
                if (!after.contains(f.name))
                    continue;
                auto a = text_of(after, f.name), b = text_of(before, f.name);
                if (a != b)
                    c.fields.push_back({f.name, b, a});
            }
            c.op = c.fields.empty() ? "unchanged" : "update";
        }
        out.push_back(std::move(c));
    }
}

std::string key_join(const MergeSpec& m)
{
    std::string join;
    for (const auto& [column, expr] : m.keys)
        join += fmt::format("{}t.{} = {}", join.empty() ? "" : " AND ", column, expr);
    return join;
}

/// Removals that name nothing the map holds.
std::string missing_removals_sql(const MergeSpec& m)
{
    const RecordType& type = *find_type(m.type);
    std::string names;
    for (const auto& k : type.key)
        names += (names.empty() ? "" : " || ' ' || ") + ("coalesce(s.\"" + k + "\", '')");
    return fmt::format("SELECT s.file, s.loc, '{0}' AS field, 'no {1} ''' || {2} || ''' to remove' AS message "
                       "FROM {3} s WHERE s.op = 'delete' AND NOT EXISTS (SELECT 1 FROM {4} t WHERE {5}) ORDER BY s.ord",
                       type.key.front(), type.singular, names, stage_table(m.type), m.table, key_join(m));
}

std::string delete_sql(const MergeSpec& m)
{
    return fmt::format("WITH gone AS (DELETE FROM {} t USING {} s WHERE s.op = 'delete' AND {} RETURNING 1) "
                       "SELECT count(*) AS n FROM gone",
                       m.table, stage_table(m.type), key_join(m));
}

/// Rows and removals staged, by record type, in one statement.
std::map<std::string, std::pair<std::size_t, std::size_t>> staged_counts(db::Transaction& tx)
{
    std::string sql;
    for (const auto& type : record_types())
        sql += fmt::format("{}SELECT '{}' AS type, count(*) AS n, count(*) FILTER (WHERE op = 'delete') AS removals "
                           "FROM {}",
                           sql.empty() ? "" : " UNION ALL ", type.name, stage_table(type.name));
    std::map<std::string, std::pair<std::size_t, std::size_t>> counts;
    auto r = tx.exec(sql);
    for (std::size_t i = 0; i < r.size(); ++i)
        counts[r.text(i, "type")] = {std::stoul(r.text(i, "n")), std::stoul(r.text(i, "removals"))};
    return counts;
}

/// From this many staged rows a table's foreign keys may be suspended for its merge.
constexpr std::size_t bulk_rows = 20000;

struct ForeignKey {
    std::string name, definition;
};

/// The foreign keys of `spec.table` to drop before its merge and add back
/// after it, in the same transaction -- or none. A key checked row by row
/// costs a lookup (and a row lock) in the referenced table for every row
/// inserted; added back, PostgreSQL checks all rows with one join. That pays
/// when the merge inserts at least a fifth of the rows the table will hold,
/// as pg_restore's order does for a whole dump. Like pg_restore it holds the
/// tables involved exclusively until the import commits, so only an owner of
/// the table does it; anyone else gets the row-by-row checks.
std::vector<ForeignKey> suspendable_foreign_keys(db::Transaction& tx, const MergeSpec& spec, std::size_t staged)
{
    if (staged < bulk_rows)
        return {};
    auto sizes = tx.exec(fmt::format("SELECT (SELECT count(*) FROM {0} s WHERE s.op = 'upsert' AND NOT EXISTS "
                                     "(SELECT 1 FROM {1} t WHERE {2})) AS inserted, "
                                     "(SELECT count(*) FROM {1}) AS stored",
                                     stage_table(spec.type), spec.table, key_join(spec)));
    std::size_t inserted = std::stoul(sizes.text(0, "inserted")), stored = std::stoul(sizes.text(0, "stored"));
    if (inserted < bulk_rows || inserted * 5 < stored + inserted)
        return {};
    auto keys = tx.exec("SELECT c.conname, pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c "
                        "JOIN pg_class t ON t.oid = c.conrelid "
                        "WHERE c.conrelid = $1::regclass AND c.contype = 'f' AND pg_has_role(t.relowner, 'USAGE') "
                        "ORDER BY c.conname",
                        {spec.table});
    std::vector<ForeignKey> out;
    for (std::size_t i = 0; i < keys.size(); ++i)
        out.push_back({keys.text(i, "conname"), keys.text(i, "definition")});
    return out;
}

void merge(db::Transaction& tx, Batch& batch, const Options& options, Report& report)
{
    db::Params params{options.contributor, options.status};
    auto counts = staged_counts(tx);
    for (const auto& spec : merge_specs()) {
        const RecordType& type = *find_type(spec.type);
        auto [staged, removals] = counts[spec.type];
        Counts& c = report.counts[spec.type];
        if (spec.type == "areas") {
            // Once the sources are in, the source for rows that name none.
            tx.exec("DROP TABLE IF EXISTS pg_temp.default_source");
            tx.exec("CREATE TEMP TABLE default_source ON COMMIT DROP AS SELECT id FROM source WHERE false");
            if (options.default_source)
                tx.exec("INSERT INTO default_source SELECT coalesce((SELECT id FROM source WHERE key = $1), "
                        "(SELECT id FROM source WHERE url = $1))",
                        {*options.default_source});
        }
        if (staged == 0)
            continue;
        if (spec.type != "sources" && type.index("source"))
            resolve(tx, spec.type, "source", "source");
        for (const auto& ref : references)
            if (ref.type == spec.type && std::string(ref.field) != "parent")
                resolve(tx, spec.type, ref.field, ref.target);
        auto run = [&](const db::Params& p, const db::Params& level) {
            if (options.collect_changes)
                collect_changes(tx, spec, level, type, report.changes);
            auto r = tx.exec(merge_sql(spec), p);
            c.inserted += std::stoul(r.text(0, "inserted"));
            c.updated += std::stoul(r.text(0, "updated"));
        };
        if (removals > 0) {
            if (options.collect_changes)
                collect_changes(tx, spec, {}, type, report.changes, true);
            add_problems(batch, tx, missing_removals_sql(spec));
            c.removed += std::stoul(tx.exec(delete_sql(spec)).text(0, "n"));
        }
        if (spec.type == "areas") {
            // Level by level, so that a parent exists (and resolves) before its children.
            for (const char* level : {"cluster", "area", "issue"}) {
                resolve(tx, "areas", "parent", "area code");
                db::Params p = params;
                p.push_back(std::string(level));
                run(p, {std::string(level)});
            }
        } else {
            // Definitions come from the catalogue, not from input.
            auto keys = suspendable_foreign_keys(tx, spec, staged);
            for (const auto& k : keys)
                tx.exec(fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", spec.table, tx.quote_name(k.name)));
            run(params, {});
            for (const auto& k : keys)
                tx.exec(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}", spec.table, tx.quote_name(k.name),
                                    k.definition));
        }
        c.unchanged = staged - c.inserted - c.updated - c.removed;
    }
}

}  // namespace

std::vector<std::string> record_type_names()
{
    std::vector<std::string> names;
    for (const auto& t : record_types())
        names.push_back(t.name);
    return names;
}

namespace {

/// Every write to the map (an import, a proposal, an accept) takes this lock
/// first: duplicate checks and version checks then see each other's results.
const char* const write_lock = "7412093318274003";

std::string begin_writing(db::Transaction& tx, const std::string& contributor)
{
    tx.exec("SELECT set_config('govmap.actor', $1, true)", {contributor});
    tx.exec("SELECT pg_advisory_xact_lock($1::bigint)", {std::string(write_lock)});
    return tx.exec("SELECT actor() AS who").text(0, "who");
}

void store_proposal(db::Transaction& tx, Report& report, const Options& options)
{
    std::vector<const RecordChange*> real;
    for (const auto& c : report.changes)
        if (c.op != "unchanged")
            real.push_back(&c);
    if (real.empty())
        return;
    std::string allowed = "{";
    for (const auto& s : options.allow_duplicates)
        allowed += (allowed.size() > 1 ? "," : "") + s;
    std::string summary = options.summary;
    if (summary.empty())
        summary = text::count_of(static_cast<long>(real.size()), "change", "changes") + " from " +
                  real.front()->location.substr(0, real.front()->location.find(':'));
    auto r = tx.exec("INSERT INTO proposal (summary, allow_duplicates) VALUES ($1, $2::text[]) RETURNING id",
                     {text::utf8_shorten(summary, 2000), allowed + "}"});
    report.proposal = std::stol(r.text(0, "id"));
    // One INSERT of a JSON array, not COPY: COPY FROM does not work under row-level security.
    nlohmann::json rows = nlohmann::json::array();
    int seq = 0;
    for (const auto* c : real)
        rows.push_back({{"seq", ++seq},
                        {"type", c->type},
                        {"op", c->op},
                        {"location", c->location},
                        {"fields", nlohmann::json::parse(c->after)},
                        {"before", c->before ? nlohmann::json::parse(*c->before) : nlohmann::json()},
                        {"base_version", c->base_version ? nlohmann::json(*c->base_version) : nlohmann::json()}});
    tx.exec("INSERT INTO proposal_record (proposal_id, seq, type, op, location, fields, before, base_version) "
            "SELECT $1, r.seq, r.type, r.op, r.location, r.fields, r.before, r.base_version "
            "FROM jsonb_to_recordset($2::jsonb) AS r(seq integer, type text, op text, location text, fields jsonb, "
            "before jsonb, base_version integer)",
            {std::to_string(*report.proposal), rows.dump()});
}

}  // namespace

/// How many times an import is tried when the server reports a deadlock or a
/// serialization failure.
constexpr int max_attempts = 5;

Report import_staged(db::Connection& conn, Batch& batch, const Options& options);

/// After a bulk merge the planner's statistics describe the map before it:
/// a report run right after importing 10 000 mechanisms into an empty map
/// chose nested loops over every (node, region, mechanism) and ran for
/// minutes. Tables that took 1 000 changed rows or more are analysed at once
/// rather than when autovacuum gets to them. (Table names are the program's
/// own, from table_of; a role that does not own a table gets a warning from
/// the server, not an error.)
void refresh_statistics(db::Connection& conn, const Report& report)
{
    std::set<std::string> tables;
    for (const auto& [type, c] : report.counts)
        if (c.inserted + c.updated >= 1000)
            tables.insert(table_of(type));
    if (tables.empty())
        return;
    std::string list;
    for (const auto& t : tables)
        list += (list.empty() ? "" : ", ") + t;
    conn.begin(db::Isolation::autocommit).exec("ANALYZE " + list);
}

Report import(db::Connection& conn, const std::vector<InputFile>& files, const Options& options)
{
    auto say = [&](const std::string& what) {
        if (options.progress)
            options.progress(what);
    };
    // The files stream into the session's staging tables in a transaction of
    // their own, which changes nothing else: a retried merge starts from
    // them, and a FIFO or standard input is read once.
    Batch batch;
    {
        auto tx = conn.begin();
        Stager stager(tx, options.remove);
        batch.sink = [&](const RecordType& type, Row&& row) { stager.add(type, std::move(row)); };
        for (const auto& f : files) {
            say("reading " + f.name);
            read_into(batch, f);
        }
        stager.flush();
        drop_derived_duplicates(tx);
        analyse_stage(tx);
        tx.commit();
    }
    batch.sink = nullptr;

    // A deadlock or serialization failure (another writer touching the same
    // rows) is retried with backoff.
    const std::size_t file_problems = batch.problems.size(), file_omitted = batch.omitted_problems;
    for (int attempt = 1;; ++attempt) {
        try {
            return import_staged(conn, batch, options);
        } catch (const db::Error& e) {
            if (!e.retryable())
                throw;
            if (attempt >= max_attempts)
                throw db::Error(std::string(e.what()) + fmt::format(" (gave up after {} attempts)", attempt),
                                e.sqlstate());
            batch.problems.resize(file_problems);
            batch.omitted_problems = file_omitted;
            say(fmt::format("retrying after: {}", e.what()));
            std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
        }
    }
}

Report import_staged(db::Connection& conn, Batch& batch, const Options& options)
{
    auto say = [&](const std::string& what) {
        if (options.progress)
            options.progress(what);
    };
    Report report;
    report.rows = batch.records;
    report.dry_run = options.dry_run;
    bool propose = options.status == "proposed";
    // Checks against the database run even when the files already have
    // problems, so that one run reports every problem.
    auto tx = conn.begin();
    Options o = options;
    o.contributor = begin_writing(tx, options.contributor);
    o.collect_changes = options.collect_changes || options.dry_run || propose;
    say("checking references and cycles");
    check_in_database(batch, tx, o);
    auto refuse = [&] {
        tx.abort();
        report.problems = std::move(batch.problems);
        report.omitted_problems = batch.omitted_problems;
        report.changes.clear();
        return report;
    };
    if (batch.problem_count() > 0)
        return refuse();
    say("merging");
    if (propose) {
        // Merged only to compare with the map (and to resolve what the files
        // add), then undone: a proposal never touches accepted data.
        tx.exec("SAVEPOINT compare");
        merge(tx, batch, o, report);
        tx.exec("ROLLBACK TO SAVEPOINT compare");
        if (batch.problem_count() > 0)
            return refuse();
        store_proposal(tx, report, o);
    } else {
        merge(tx, batch, o, report);
        if (batch.problem_count() > 0)
            return refuse();
    }
    if (options.dry_run) {
        tx.abort();
        return report;
    }
    tx.commit();
    if (!propose)
        refresh_statistics(conn, report);
    return report;
}

Report apply_proposal(db::Transaction& tx, long proposal, const Options& options)
{
    Batch batch;
    Report report;
    stage_proposal(tx, proposal);
    Options o = options;
    o.applying_proposal = proposal;
    if (o.check_references) {
        check_in_database(batch, tx, o);
        if (batch.problem_count() > 0) {
            report.problems = std::move(batch.problems);
            report.omitted_problems = batch.omitted_problems;
            return report;
        }
    }
    merge(tx, batch, o, report);
    report.problems = std::move(batch.problems);
    report.omitted_problems = batch.omitted_problems;
    return report;
}

long write_lock_key() { return std::stol(write_lock); }

std::string table_of(const std::string& type)
{
    for (const auto& spec : merge_specs())
        if (spec.type == type)
            return spec.table;
    return {};
}

}  // namespace govmap::importer
