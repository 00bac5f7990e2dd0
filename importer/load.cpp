// Staging, checking and merging: every record reaches PostgreSQL by COPY into
// a temporary table; checks and merges are a fixed number of set-based
// statements, whatever the number of rows.
#include "importer/batch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace govmap::importer {

namespace {

std::string stage_table(const std::string& type) { return "stage_" + type; }

/// Key fields as one string, for finding duplicates within the files.
std::string key_of(const RecordType& type, const Row& row)
{
    std::string key;
    for (const auto& k : type.key) {
        const auto& v = row.values[*type.index(k)];
        key += v ? *v : std::string();
        key += '\x1f';
    }
    return key;
}

void check_rows(Batch& batch)
{
    for (const auto& type : record_types()) {
        auto it = batch.rows.find(type.name);
        if (it == batch.rows.end())
            continue;
        auto& rows = it->second;
        std::map<std::string, std::string> first;  // key -> where it first appears
        // Sources known only by their URL (spreadsheet layout): one per URL,
        // and none where a file gives that source in full.
        std::set<std::string> source_urls;
        if (auto url = type.index("url"); url && type.name == "sources")
            for (const auto& row : rows)
                if (!row.derived && row.values[*url])
                    source_urls.insert(*row.values[*url]);
        std::vector<Row> kept;
        for (auto& row : rows) {
            if (row.derived) {
                if (!source_urls.insert(*row.values[*type.index("url")]).second)
                    continue;
                kept.push_back(std::move(row));
                continue;
            }
            auto [prev, fresh] = first.emplace(key_of(type, row), Batch::where(row.file, row.loc));
            if (!fresh) {
                std::string names;
                for (const auto& k : type.key)
                    names += (names.empty() ? "" : ", ") + row.values[*type.index(k)].value_or("");
                batch.problem(row.file, row.loc, type.key.front(),
                              "duplicate " + type.singular + " '" + names + "' (first at " + prev->second + ")");
            }
            kept.push_back(std::move(row));
        }
        rows = std::move(kept);
    }
    // Rules within one record that the database would otherwise reject without a location.
    const RecordType& a = *find_type("areas");
    for (const auto& row : batch.rows["areas"]) {
        const auto& level = row.values[*a.index("level")];
        const auto& parent = row.values[*a.index("parent")];
        if (level == std::string("cluster") && parent)
            batch.problem(row.file, row.loc, "parent", "a cluster has no parent");
        else if (level && *level != "cluster" && !parent)
            batch.problem(row.file, row.loc, "parent", "missing: an area belongs to a cluster and an issue to an area");
    }
    const RecordType& m = *find_type("mechanisms");
    for (const auto& row : batch.rows["mechanisms"]) {
        const auto& founded = row.values[*m.index("founded")];
        const auto& ended = row.values[*m.index("ended")];
        const auto& status = row.values[*m.index("status")];
        if (founded && ended && std::atoi(ended->c_str()) < std::atoi(founded->c_str()))
            batch.problem(row.file, row.loc, "ended",
                          "ended (" + *ended + ") before it was founded (" + *founded + ")");
        if (ended && row.present[*m.index("status")] && (!status || *status == "active"))
            batch.problem(row.file, row.loc, "ended",
                          "an active mechanism has no end year (status concluded, one_off or withdrawn)");
    }
    const RecordType& r = *find_type("relations");
    for (const auto& row : batch.rows["relations"]) {
        const auto& from = row.values[*r.index("from")];
        if (from && from == row.values[*r.index("to")])
            batch.problem(row.file, row.loc, "to", "a mechanism cannot be related to itself");
    }
}

void stage(db::Transaction& tx, const Batch& batch)
{
    for (const auto& type : record_types()) {
        std::string columns = "file text, loc text, derived boolean, present text[]";
        std::vector<std::string> names{"file", "loc", "derived", "present"};
        for (const auto& f : type.fields) {
            columns += ", " + tx.quote_name(f.name) + " text";
            names.push_back(f.name);
            // References are resolved to ids once, set-wise, before merging.
            if (f.check == Check::reference)
                columns += ", " + tx.quote_name(f.name + "_ref") + " bigint";
        }
        tx.exec(fmt::format("CREATE TEMP TABLE {} ({}) ON COMMIT DROP", stage_table(type.name), columns));
        auto it = batch.rows.find(type.name);
        if (it == batch.rows.end() || it->second.empty())
            continue;
        auto writer = tx.copy_in(stage_table(type.name), names);
        std::vector<db::Value> line;
        for (const auto& row : it->second) {
            std::string present = "{";
            for (std::size_t i = 0; i < type.fields.size(); ++i)
                if (row.present[i])
                    present += (present.size() > 1 ? "," : "") + type.fields[i].name;
            line.assign({row.file, row.loc, row.derived ? "t" : "f", present + "}"});
            line.insert(line.end(), row.values.begin(), row.values.end());
            writer.write(line);
        }
        writer.finish();
    }
    // The keys other records are checked against and resolved by.
    tx.exec("CREATE INDEX ON stage_mechanisms (slug)");
    tx.exec("CREATE INDEX ON stage_areas (code)");
    tx.exec("CREATE INDEX ON stage_sources (key)");
    tx.exec("CREATE INDEX ON stage_sources (url)");
    std::string all;
    for (const auto& type : record_types())
        all += (all.empty() ? "" : ", ") + stage_table(type.name);
    tx.exec("ANALYZE " + all);
}

// ------------------------------------------------------------------ checks

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
};

void add_problems(Batch& batch, db::Transaction& tx, const std::string& sql, const db::Params& params = {})
{
    auto r = tx.exec(sql, params);
    for (std::size_t i = 0; i < r.size(); ++i)
        batch.problem(r.text(i, "file"), r.text(i, "loc"), r.text(i, "field"), r.text(i, "message"));
}

void check_in_database(Batch& batch, db::Transaction& tx, const Options& options)
{
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
            batch.problems.push_back({"--source", "unknown source '" + *options.default_source + "'"});
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
    // A spreadsheet may leave out what a new mechanism must have.
    for (const char* field : {"scope", "model"})
        add_problems(batch, tx,
                     fmt::format("SELECT file, loc, '{0}' AS field, 'missing: required for a new mechanism' AS message "
                                 "FROM stage_mechanisms s WHERE s.{0} IS NULL AND NOT '{0}' = ANY (s.present) "
                                 "AND NOT EXISTS (SELECT 1 FROM mechanism m WHERE m.slug = s.slug) ORDER BY file, loc",
                                 field));
    add_problems(batch, tx, R"(
        SELECT s.file, s.loc, 'url' AS field,
               'URL ''' || s.url || ''' already belongs to source ''' || x.key || '''' AS message
          FROM stage_sources s JOIN source x ON x.url = s.url AND x.key <> s.key
         WHERE NOT s.derived ORDER BY s.file, s.loc)");
    if (options.check_duplicates) {
        std::string allowed = "{";
        for (const auto& s : options.allow_duplicates)
            allowed += (allowed.size() > 1 ? "," : "") + s;  // slugs: checked by the caller, no quoting needed
        add_problems(batch, tx, R"(
            WITH new_rows AS (
                SELECT s.file, s.loc, s.slug, s.name, s.acronym, s.url FROM stage_mechanisms s
                 WHERE s.name IS NOT NULL AND NOT (s.slug = ANY ($1::text[]))
                   AND NOT EXISTS (SELECT 1 FROM mechanism m WHERE m.slug = s.slug)),
            keys AS (
                SELECT n.*, 'the same name' AS why, 'name' AS kind, name_key(n.name) AS k FROM new_rows n
                UNION ALL
                SELECT n.*, 'the same acronym', 'acronym', lower(n.acronym) FROM new_rows n WHERE n.acronym IS NOT NULL
                UNION ALL
                SELECT n.*, 'a name whose initials are its acronym', 'acronym', name_initials(n.name) FROM new_rows n
                 WHERE n.acronym IS NULL AND length(name_initials(n.name)) >= 3
                UNION ALL
                SELECT n.*, 'the same address', 'url', url_key(n.url) FROM new_rows n WHERE n.url IS NOT NULL),
            others AS (
                SELECT m.slug, m.name, m.acronym, false AS staged, 'name' AS kind, name_key(m.name) AS k
                  FROM mechanism m WHERE m.review_status <> 'rejected'
                UNION ALL
                SELECT m.slug, m.name, m.acronym, false, 'acronym', lower(m.acronym)
                  FROM mechanism m WHERE m.acronym IS NOT NULL AND m.review_status <> 'rejected'
                UNION ALL
                SELECT m.slug, m.name, m.acronym, false, 'url', url_key(m.url)
                  FROM mechanism m WHERE m.url IS NOT NULL AND m.review_status <> 'rejected'
                UNION ALL
                SELECT x.slug, x.name, x.acronym, true, 'name', name_key(x.name) FROM stage_mechanisms x
                 WHERE x.name IS NOT NULL
                UNION ALL
                SELECT x.slug, x.name, x.acronym, true, 'acronym', lower(x.acronym) FROM stage_mechanisms x
                 WHERE x.acronym IS NOT NULL
                UNION ALL
                SELECT x.slug, x.name, x.acronym, true, 'url', url_key(x.url) FROM stage_mechanisms x
                 WHERE x.url IS NOT NULL)
            SELECT DISTINCT ON (k.file, k.loc, o.slug) k.file, k.loc, 'name' AS field,
                   'probable duplicate of ''' || o.slug || ''' (' || o.name || coalesce(', ' || o.acronym, '') ||
                   '): ' || k.why || ', name similarity ' ||
                   to_char(similarity(lower(k.name), lower(o.name)), 'FM0.00') ||
                   '; if it is another mechanism, import it with --allow-duplicate ' || k.slug AS message
              FROM keys k JOIN others o ON o.kind = k.kind AND o.k = k.k AND o.slug <> k.slug
             -- Two new rows of one batch: reported once, on the later slug.
             WHERE NOT (o.staged AND o.slug > k.slug AND NOT EXISTS (SELECT 1 FROM mechanism m WHERE m.slug = o.slug))
             ORDER BY k.file, k.loc, o.slug)",
                     {allowed + "}"});
    }
    // part_of and reports_to must stay acyclic together with what the database holds.
    add_problems(batch, tx, R"(
        WITH RECURSIVE edges(f, t) AS (
            SELECT a.slug, b.slug FROM mechanism_relation r
              JOIN mechanism a ON a.id = r.from_id JOIN mechanism b ON b.id = r.to_id
             WHERE r.kind IN ('part_of', 'reports_to')
            UNION
            SELECT s."from", s."to" FROM stage_relations s WHERE s.kind IN ('part_of', 'reports_to')),
        walk(file, loc, start, node) AS (
            SELECT s.file, s.loc, s."from", s."to" FROM stage_relations s
             WHERE s.kind IN ('part_of', 'reports_to') AND s."from" <> s."to"
            UNION
            SELECT w.file, w.loc, w.start, e.t FROM walk w JOIN edges e ON e.f = w.node WHERE w.node <> w.start)
        SELECT DISTINCT file, loc, 'to' AS field,
               'this ' || 'relation would make ''' || start || ''' nested inside itself (a part_of/reports_to cycle)'
               AS message
          FROM walk WHERE node = start ORDER BY file, loc)");
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
    std::string filter = "true";
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
         "s.level = $3"},
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
    };
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
            SELECT {key_exprs}{picks}
              FROM {stage} s LEFT JOIN {table} t ON {join}
             WHERE {filter}),
        merged AS (
            INSERT INTO {table} AS t ({keys}{cols}, contributed_by, review_status)
            SELECT {keys}{cols}, $1, $2::review_status FROM input
            ON CONFLICT ({keys}) DO UPDATE
               SET {sets}contributed_by = EXCLUDED.contributed_by, review_status = EXCLUDED.review_status
             WHERE (ROW({old_vals}, NULL)) IS DISTINCT FROM (ROW({new_vals}, NULL))
            RETURNING (xmax = 0) AS inserted)
        SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
          FROM merged)",
                       fmt::arg("key_exprs", key_exprs), fmt::arg("picks", picks),
                       fmt::arg("stage", stage_table(m.type)), fmt::arg("table", m.table), fmt::arg("join", join),
                       fmt::arg("filter", m.filter), fmt::arg("keys", keys), fmt::arg("cols", cols),
                       fmt::arg("sets", sets), fmt::arg("old_vals", old_vals), fmt::arg("new_vals", new_vals));
}

void merge(db::Transaction& tx, const Batch& batch, const Options& options, std::map<std::string, Counts>& counts)
{
    db::Params params{options.contributor, options.status};
    for (const auto& spec : merge_specs()) {
        auto it = batch.rows.find(spec.type);
        std::size_t staged = it == batch.rows.end() ? 0 : it->second.size();
        Counts& c = counts[spec.type];
        if (spec.type == "areas") {
            // Once the sources are in, the source for rows that name none.
            tx.exec("CREATE TEMP TABLE default_source ON COMMIT DROP AS SELECT id FROM source WHERE false");
            if (options.default_source)
                tx.exec("INSERT INTO default_source SELECT coalesce((SELECT id FROM source WHERE key = $1), "
                        "(SELECT id FROM source WHERE url = $1))",
                        {*options.default_source});
        }
        if (staged == 0)
            continue;
        if (spec.type != "sources" && find_type(spec.type)->index("source"))
            resolve(tx, spec.type, "source", "source");
        for (const auto& ref : references)
            if (ref.type == spec.type && std::string(ref.field) != "parent")
                resolve(tx, spec.type, ref.field, ref.target);
        auto run = [&](const db::Params& p) {
            auto r = tx.exec(merge_sql(spec), p);
            c.inserted += std::stoul(r.text(0, "inserted"));
            c.updated += std::stoul(r.text(0, "updated"));
        };
        if (spec.type == "areas") {
            // Level by level, so that a parent exists (and resolves) before its children.
            for (const char* level : {"cluster", "area", "issue"}) {
                resolve(tx, "areas", "parent", "area code");
                db::Params p = params;
                p.push_back(std::string(level));
                run(p);
            }
        } else {
            run(params);
        }
        c.unchanged = staged - c.inserted - c.updated;
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

Report import(db::Connection& conn, const std::vector<InputFile>& files, const Options& options)
{
    auto say = [&](const std::string& what) {
        if (options.progress)
            options.progress(what);
    };
    Batch batch;
    for (const auto& f : files) {
        say("reading " + f.name);
        read_into(batch, f);
    }
    check_rows(batch);

    Report report;
    report.rows = batch.records;
    report.dry_run = options.dry_run;
    // Checks against the database run even when the files already have
    // problems, so that one run reports every problem.
    auto tx = conn.begin();
    say(fmt::format("staging {} records", batch.records));
    stage(tx, batch);
    say("checking references and cycles");
    check_in_database(batch, tx, options);
    if (!batch.problems.empty()) {
        tx.abort();
        report.problems = std::move(batch.problems);
        return report;
    }
    say("merging");
    merge(tx, batch, options, report.counts);
    if (options.dry_run)
        tx.abort();
    else
        tx.commit();
    return report;
}

}  // namespace govmap::importer
