// govmap list areas|mechanisms|sources and govmap show MECHANISM.
#include "cli/commands.hpp"
#include "cli/table.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace govmap::cli {

namespace {

// The subtree of $1 (every node when $1 is NULL), as a CTE named `subtree`.
const char* const subtree_cte = R"(
    WITH subtree(id) AS (
        SELECT c.descendant_id FROM issue_area_closure c JOIN issue_area a ON a.id = c.ancestor_id
         WHERE $1::text IS NULL OR a.code = $1))";

const char* const areas_sql = R"(
    SELECT a.code, a.name, a.level::text AS level, p.code AS parent,
           (SELECT count(DISTINCT ma.mechanism_id)
              FROM issue_area_closure c JOIN mechanism_area ma ON ma.area_id = c.descendant_id
             WHERE c.ancestor_id = a.id AND ma.review_status <> 'rejected')::text AS mechanisms,
           a.review_status::text AS review
      FROM issue_area a LEFT JOIN issue_area p ON p.id = a.parent_id
     WHERE a.id IN (SELECT id FROM subtree)
     ORDER BY a.code)";

const char* const mechanisms_sql = R"(
    SELECT m.slug, m.name, m.acronym, m.kind::text AS kind, m.scope::text AS scope, m.model::text AS model,
           m.centrality::text AS centrality, m.status::text AS status, m.founded::text AS founded,
           m.ended::text AS ended, m.url, s.key AS source, m.review_status::text AS review
      FROM mechanism m LEFT JOIN source s ON s.id = m.source_id
     WHERE $1::text IS NULL
        OR EXISTS (SELECT 1 FROM mechanism_area ma WHERE ma.mechanism_id = m.id
                      AND ma.area_id IN (SELECT id FROM subtree) AND ma.review_status <> 'rejected')
     ORDER BY m.slug)";

const char* const sources_sql = R"(
    SELECT s.key, s.title, s.url, s.published::text AS published, s.publisher,
           ((SELECT count(*) FROM mechanism WHERE source_id = s.id)
            + (SELECT count(*) FROM mechanism_area WHERE source_id = s.id)
            + (SELECT count(*) FROM mechanism_relation WHERE source_id = s.id)
            + (SELECT count(*) FROM mechanism_stakeholder WHERE source_id = s.id)
            + (SELECT count(*) FROM mechanism_region WHERE source_id = s.id)
            + (SELECT count(*) FROM issue_area WHERE source_id = s.id))::text AS cited,
           s.review_status::text AS review
      FROM source s
     WHERE $1::text IS NULL
        OR s.id IN (SELECT m.source_id FROM mechanism m JOIN mechanism_area ma ON ma.mechanism_id = m.id
                     WHERE ma.area_id IN (SELECT id FROM subtree)
                    UNION
                    SELECT ma.source_id FROM mechanism_area ma WHERE ma.area_id IN (SELECT id FROM subtree))
     ORDER BY s.key)";

/// Keeps only `keep` columns (the table view of a wider result).
db::Result narrow(const db::Result& r, const std::vector<std::string>& keep)
{
    db::Result out;
    std::vector<std::size_t> idx;
    for (const auto& k : keep)
        for (std::size_t c = 0; c < r.columns.size(); ++c)
            if (r.columns[c] == k) {
                idx.push_back(c);
                out.columns.push_back(k);
            }
    for (const auto& row : r.rows) {
        std::vector<db::Value> cells;
        for (auto c : idx)
            cells.push_back(row[c]);
        out.rows.push_back(std::move(cells));
    }
    return out;
}

void require_area(db::Transaction& tx, const db::Value& area)
{
    if (area && tx.exec("SELECT 1 FROM issue_area WHERE code = $1", {area}).empty())
        throw Failure(exit_invalid_input, "unknown area code '" + *area + "' (see `govmap list areas`)");
}

void show(const Context& ctx, const std::string& key, Format format)
{
    auto conn = ctx.connect();
    auto tx = conn.begin();
    auto m = tx.exec(R"(
        SELECT m.id::text AS id, m.slug, m.name, m.acronym, m.kind::text AS kind, m.scope::text AS scope,
               m.model::text AS model, m.centrality::text AS centrality, m.status::text AS status,
               m.founded::text AS founded, m.ended::text AS ended, m.url, m.description,
               m.review_status::text AS review, m.contributed_by, m.version::text AS version,
               to_char(m.updated_at, 'YYYY-MM-DD') AS updated, s.key AS source
          FROM mechanism m LEFT JOIN source s ON s.id = m.source_id
         WHERE m.slug = $1 OR lower(m.acronym) = lower($1) OR lower(m.name) = lower($1)
         ORDER BY (m.slug = $1) DESC LIMIT 1)",
                     {key});
    if (m.empty())
        throw Failure(exit_invalid_input, "no mechanism '" + key + "' (see `govmap list mechanisms`)");
    db::Value id = m.at(0, "id");
    auto areas = tx.exec(R"(
        SELECT ma.strength::text AS strength, a.code, a.name, a.level::text AS level, s.key AS source, ma.note
          FROM mechanism_area ma JOIN issue_area a ON a.id = ma.area_id LEFT JOIN source s ON s.id = ma.source_id
         WHERE ma.mechanism_id = $1::bigint ORDER BY ma.strength, a.code)",
                         {id});
    auto relations = tx.exec(R"(
        SELECT 'out' AS direction, r.kind::text AS kind, o.slug, o.name, s.key AS source
          FROM mechanism_relation r JOIN mechanism o ON o.id = r.to_id LEFT JOIN source s ON s.id = r.source_id
         WHERE r.from_id = $1::bigint
        UNION ALL
        SELECT 'in', r.kind::text, o.slug, o.name, s.key
          FROM mechanism_relation r JOIN mechanism o ON o.id = r.from_id LEFT JOIN source s ON s.id = r.source_id
         WHERE r.to_id = $1::bigint
         ORDER BY 1 DESC, 2, 3)",
                             {id});
    auto groups = tx.exec(R"(
        SELECT g.code, g.name, ms.role::text AS role FROM mechanism_stakeholder ms
          JOIN stakeholder_group g ON g.id = ms.stakeholder_group_id
         WHERE ms.mechanism_id = $1::bigint ORDER BY g.code)",
                          {id});
    auto regions = tx.exec(R"(
        SELECT r.code, r.name FROM mechanism_region mr JOIN region r ON r.id = mr.region_id
         WHERE mr.mechanism_id = $1::bigint ORDER BY r.code)",
                           {id});
    auto assessments = tx.exec(R"(
        SELECT a.principle::text AS principle, a.score::text AS score, a.evidence, s.key AS source
          FROM assessment a LEFT JOIN source s ON s.id = a.source_id
         WHERE a.mechanism_id = $1::bigint ORDER BY a.principle)",
                               {id});
    auto sources = tx.exec(R"(
        SELECT DISTINCT s.key, s.title, s.url FROM source s
         WHERE s.id IN (SELECT source_id FROM mechanism WHERE id = $1::bigint
                        UNION SELECT source_id FROM mechanism_area WHERE mechanism_id = $1::bigint
                        UNION SELECT source_id FROM mechanism_relation WHERE $1::bigint IN (from_id, to_id)
                        UNION SELECT source_id FROM mechanism_stakeholder WHERE mechanism_id = $1::bigint
                        UNION SELECT source_id FROM mechanism_region WHERE mechanism_id = $1::bigint
                        UNION SELECT source_id FROM assessment WHERE mechanism_id = $1::bigint)
         ORDER BY s.key)",
                           {id});

    if (format == Format::json) {
        auto rows = [](const db::Result& r) {
            auto a = nlohmann::json::array();
            for (const auto& row : r.rows) {
                nlohmann::json o;
                for (std::size_t c = 0; c < r.columns.size(); ++c)
                    o[r.columns[c]] = row[c] ? nlohmann::json(*row[c]) : nlohmann::json(nullptr);
                a.push_back(o);
            }
            return a;
        };
        nlohmann::json out = rows(m)[0];
        out.erase("id");
        out["areas"] = rows(areas);
        out["relations"] = rows(relations);
        out["stakeholders"] = rows(groups);
        out["regions"] = rows(regions);
        out["assessments"] = rows(assessments);
        out["sources"] = rows(sources);
        fmt::print("{}\n", out.dump(2));
        return;
    }
    auto v = [&](const char* col) { return m.at(0, col).value_or(""); };
    fmt::print("{}{}\n", v("name"), v("acronym").empty() ? "" : " (" + v("acronym") + ")");
    for (const char* f : {"slug", "kind", "scope", "model", "centrality", "status", "founded", "ended", "url", "source"})
        if (!v(f).empty())
            fmt::print("  {:<12}{}\n", std::string(f) + ":", v(f));
    fmt::print("  {:<12}{} (by {}, {}, version {})\n", "review:", v("review"), v("contributed_by"), v("updated"),
               v("version"));
    if (!v("description").empty())
        fmt::print("  {:<12}{}\n", "about:", v("description"));
    auto section = [](const char* title, const db::Result& r, auto&& line) {
        if (r.empty())
            return;
        fmt::print("\n{}:\n", title);
        for (std::size_t i = 0; i < r.size(); ++i)
            fmt::print("  {}\n", line(i));
    };
    section("Areas", areas, [&](std::size_t i) {
        return fmt::format("{:<10} {} ({}, {}){}", areas.text(i, "strength"), areas.text(i, "code"),
                           areas.text(i, "name"), areas.text(i, "level"),
                           areas.at(i, "note") ? " - " + *areas.at(i, "note") : "");
    });
    section("Relations", relations, [&](std::size_t i) {
        bool out = relations.text(i, "direction") == "out";
        return fmt::format("{} {} {} ({})", out ? "this" : relations.text(i, "slug"), relations.text(i, "kind"),
                           out ? relations.text(i, "slug") : "this", relations.text(i, "name"));
    });
    section("Stakeholder groups", groups, [&](std::size_t i) {
        return fmt::format("{:<32} {}", groups.text(i, "name"), groups.text(i, "role"));
    });
    section("Regions", regions, [&](std::size_t i) { return regions.text(i, "name"); });
    section("Assessments", assessments, [&](std::size_t i) {
        return fmt::format("{:<16} {}/3 {}", assessments.text(i, "principle"), assessments.text(i, "score"),
                           assessments.at(i, "evidence").value_or(""));
    });
    section("Sources", sources, [&](std::size_t i) {
        return fmt::format("[{}] {}{}", sources.text(i, "key"), sources.text(i, "title"),
                           sources.at(i, "url") ? " <" + *sources.at(i, "url") + ">" : "");
    });
}

} // namespace

void add_list_commands(CLI::App& app, Context& ctx)
{
    static std::string what, area, format = "table";
    auto* list = app.add_subcommand("list", "List areas, mechanisms or sources");
    list->add_option("what", what, "areas, mechanisms or sources")
        ->required()
        ->check(CLI::IsMember({"areas", "mechanisms", "sources"}));
    list->add_option("--area", area, "Only this taxonomy node and what lies under it")->type_name("CODE");
    list->add_option("--format", format, "Output format")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    list->callback([&ctx] {
        ctx.action = [&ctx] {
            auto conn = ctx.connect();
            auto tx = conn.begin();
            db::Value code = area.empty() ? db::Value{} : db::Value(area);
            require_area(tx, code);
            const char* body = what == "areas" ? areas_sql : what == "mechanisms" ? mechanisms_sql : sources_sql;
            auto r = tx.exec(std::string(subtree_cte) + body, {code});
            Format f = parse_format(format);
            if (f == Format::table) {
                if (what == "areas")
                    r = narrow(r, {"code", "level", "mechanisms", "name"});
                else if (what == "mechanisms")
                    r = narrow(r, {"slug", "name", "scope", "model", "centrality"});
                else
                    r = narrow(r, {"key", "title", "cited"});
            }
            print_result(r, f, what == "sources" ? "title" : "name");
        };
    });

    static std::string key, show_format = "text";
    auto* cmd = app.add_subcommand("show", "Show one mechanism: attributes, areas, relations both ways, sources");
    cmd->add_option("mechanism", key, "Slug, acronym or name")->required();
    cmd->add_option("--format", show_format, "Output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    cmd->callback([&ctx] {
        ctx.action = [&ctx] { show(ctx, key, show_format == "json" ? Format::json : Format::table); };
    });
}

} // namespace govmap::cli
