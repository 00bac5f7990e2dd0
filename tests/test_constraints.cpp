// Each constraint of schema v1 rejects what it should, inside the database.
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>

using namespace govmap;

namespace {

struct Map {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();

    void sql(const std::string& text, const db::Params& params = {})
    {
        conn.in_transaction([&](db::Transaction& tx) { tx.exec(text, params); });
    }
    std::string value(const std::string& text, const db::Params& params = {})
    {
        auto tx = conn.begin();
        auto r = tx.exec(text, params);
        return r.rows.at(0).at(0).value_or("NULL");
    }
    /// The SQLSTATE the statement fails with, or "" if it succeeds.
    std::string failure(const std::string& text, const db::Params& params = {})
    {
        try {
            sql(text, params);
            return "";
        } catch (const db::Error& e) {
            last_message = e.what();
            return e.sqlstate();
        }
    }
    void mechanisms(std::initializer_list<const char*> slugs)
    {
        for (const char* s : slugs)
            sql("INSERT INTO mechanism (slug, name, kind, scope, model) "
                "VALUES ($1, $1, 'organisation', 'global', 'multistakeholder')",
                {std::string(s)});
    }
    std::string relate(const char* from, const char* kind, const char* to)
    {
        return failure("INSERT INTO mechanism_relation (from_id, to_id, kind) "
                       "SELECT f.id, t.id, $2::relation_kind FROM mechanism f, mechanism t "
                       "WHERE f.slug = $1 AND t.slug = $3",
                       {std::string(from), std::string(kind), std::string(to)});
    }
    std::string last_message;
};

const char* const check_violation = "23514";
const char* const unique_violation = "23505";
const char* const foreign_key_violation = "23503";
const char* const invalid_enum_value = "22P02";

}  // namespace

TEST_CASE("A mechanism cannot be part of itself (cycle of length 1)")
{
    Map m;
    m.mechanisms({"a"});
    CHECK(m.relate("a", "part_of", "a") == check_violation);
    CHECK(m.last_message.find("mechanism_relation_no_self_loop") != std::string::npos);
}

TEST_CASE("part_of cycles of length 2 and 3 are rejected by the database")
{
    Map m;
    m.mechanisms({"a", "b", "c"});
    REQUIRE(m.relate("a", "part_of", "b").empty());
    CHECK(m.relate("b", "part_of", "a") == check_violation);
    CHECK(m.last_message.find("cycle: b -> a -> b") != std::string::npos);

    REQUIRE(m.relate("b", "part_of", "c").empty());
    CHECK(m.relate("c", "part_of", "a") == check_violation);
    CHECK(m.last_message.find("cycle: c -> a -> b -> c") != std::string::npos);
    CHECK(m.value("SELECT count(*) FROM mechanism_relation") == "2");
}

TEST_CASE("part_of and reports_to together must stay acyclic, other relations may loop")
{
    Map m;
    m.mechanisms({"wg", "commission", "council"});
    REQUIRE(m.relate("wg", "part_of", "commission").empty());
    REQUIRE(m.relate("commission", "reports_to", "council").empty());
    CHECK(m.relate("council", "reports_to", "wg") == check_violation);
    CHECK(m.relate("council", "part_of", "wg") == check_violation);
    // Linkages are not nesting: mutual cooperation and feedback loops are normal.
    CHECK(m.relate("council", "feeds_into", "wg").empty());
    CHECK(m.relate("wg", "cooperates_with", "council").empty());
    CHECK(m.relate("council", "cooperates_with", "wg").empty());
}

TEST_CASE("A cycle inserted in one bulk statement is caught, and an update cannot close one either")
{
    Map m;
    m.mechanisms({"a", "b", "c", "d"});
    CHECK(m.failure("INSERT INTO mechanism_relation (from_id, to_id, kind) "
                    "SELECT f.id, t.id, 'part_of' FROM (VALUES ('a','b'), ('b','c'), ('c','a')) v(f, t) "
                    "JOIN mechanism f ON f.slug = v.f JOIN mechanism t ON t.slug = v.t") == check_violation);
    CHECK(m.value("SELECT count(*) FROM mechanism_relation") == "0");

    REQUIRE(m.relate("a", "part_of", "b").empty());
    REQUIRE(m.relate("b", "cooperates_with", "a").empty());
    CHECK(m.failure("UPDATE mechanism_relation SET kind = 'part_of' WHERE kind = 'cooperates_with'") ==
          check_violation);
}

TEST_CASE("Duplicate natural keys are rejected")
{
    Map m;
    m.mechanisms({"icann"});
    CHECK(m.failure("INSERT INTO mechanism (slug, name, kind, scope, model) "
                    "VALUES ('icann', 'Another', 'organisation', 'global', 'multistakeholder')") == unique_violation);
    CHECK(m.failure("INSERT INTO issue_area (code, name, level) VALUES ('security', 'S', 'cluster'), "
                    "('security', 'S again', 'cluster')") == unique_violation);
    CHECK(m.failure("INSERT INTO region (code, name) VALUES ('world', 'Another world')") == unique_violation);
}

TEST_CASE("Enumerated columns reject values outside their enum")
{
    Map m;
    CHECK(m.failure("INSERT INTO mechanism (slug, name, kind, scope, model) "
                    "VALUES ('x', 'X', 'organisation', 'planetary', 'multistakeholder')") == invalid_enum_value);
    CHECK(m.last_message.find("mechanism_scope") != std::string::npos);
    m.mechanisms({"x"});
    CHECK(m.failure("UPDATE mechanism SET centrality = 'peripheral'") == invalid_enum_value);
    CHECK(m.failure("INSERT INTO assessment (mechanism_id, principle, score) "
                    "SELECT id, 'openness', 4 FROM mechanism") == check_violation);
}

TEST_CASE("Foreign keys reject dangling references")
{
    Map m;
    CHECK(m.failure("INSERT INTO mechanism_area (mechanism_id, area_id) VALUES (999999, 999998)") ==
          foreign_key_violation);
    CHECK(m.failure("INSERT INTO mechanism (slug, name, kind, scope, model, source_id) "
                    "VALUES ('x', 'X', 'forum', 'global', 'multistakeholder', 424242)") == foreign_key_violation);
}

TEST_CASE("A source that is still cited cannot be deleted, while deleting a mechanism removes its edges")
{
    Map m;
    m.sql("INSERT INTO source (key, title) VALUES ('s', 'Evidence')");
    m.sql("INSERT INTO mechanism (slug, name, kind, scope, model, source_id) "
          "SELECT 'x', 'X', 'forum', 'global', 'multistakeholder', id FROM source WHERE key = 's'");
    m.sql("INSERT INTO mechanism_region (mechanism_id, region_id) "
          "SELECT m.id, r.id FROM mechanism m, region r WHERE r.code = 'africa'");
    CHECK(m.failure("DELETE FROM source WHERE key = 's'") == foreign_key_violation);
    m.sql("DELETE FROM mechanism");
    CHECK(m.value("SELECT count(*) FROM mechanism_region") == "0");
}

TEST_CASE("The taxonomy is a strict cluster, area, issue tree")
{
    Map m;
    m.sql("INSERT INTO issue_area (code, name, level) VALUES ('security', 'Security', 'cluster')");
    CHECK(m.failure("INSERT INTO issue_area (code, name, level) VALUES ('orphan', 'Orphan', 'area')") ==
          check_violation);
    CHECK(
        m.failure("INSERT INTO issue_area (code, name, level, parent_id) "
                  "SELECT 'security.cybercrime', 'Cybercrime', 'issue', id FROM issue_area WHERE code = 'security'") ==
        check_violation);
    CHECK(m.last_message.find("at level issue but its parent is at level cluster") != std::string::npos);
    m.sql("INSERT INTO issue_area (code, name, level, parent_id) "
          "SELECT 'security.cybercrime-area', 'Cybercrime', 'area', id FROM issue_area WHERE code = 'security'");
    CHECK(m.failure("UPDATE issue_area SET level = 'area', parent_id = (SELECT id FROM issue_area WHERE code = "
                    "'security.cybercrime-area') WHERE code = 'security'") == check_violation);
}

TEST_CASE("Years, URLs and slugs are checked")
{
    Map m;
    auto insert = [&](const char* slug, const char* founded, const char* ended, const char* status, const char* url) {
        return m.failure("INSERT INTO mechanism (slug, name, kind, scope, model, founded, ended, status, url) "
                         "VALUES ($1, 'X', 'forum', 'global', 'multistakeholder', $2, $3, $4, $5)",
                         {std::string(slug), founded ? db::Value(founded) : db::Value{},
                          ended ? db::Value(ended) : db::Value{}, std::string(status),
                          url ? db::Value(url) : db::Value{}});
    };
    CHECK(insert("ok", "2006", nullptr, "active", "https://www.intgovforum.org/").empty());
    CHECK(insert("ended-before-founded", "2010", "2005", "concluded", nullptr) == check_violation);
    CHECK(insert("active-but-ended", "2010", "2012", "active", nullptr) == check_violation);
    CHECK(insert("too-old", "1066", nullptr, "active", nullptr) == check_violation);
    CHECK(insert("bad-url", nullptr, nullptr, "active", "ftp://example.org") == check_violation);
    CHECK(insert("Bad Slug", nullptr, nullptr, "active", nullptr) == check_violation);
}

TEST_CASE("A real change bumps a row's version and an empty update does not")
{
    Map m;
    m.mechanisms({"x"});
    CHECK(m.value("SELECT version FROM mechanism") == "1");
    m.sql("UPDATE mechanism SET name = name");
    CHECK(m.value("SELECT version FROM mechanism") == "1");
    m.sql("UPDATE mechanism SET name = 'Renamed'");
    CHECK(m.value("SELECT version FROM mechanism") == "2");
    CHECK(m.value("SELECT updated_at > created_at FROM mechanism") == "t");
}

TEST_CASE("graph_node and graph_edge present every node and edge with unique integer ids")
{
    Map m;
    m.sql("INSERT INTO issue_area (code, name, level) VALUES ('security', 'Security', 'cluster')");
    m.sql("INSERT INTO issue_area (code, name, level, parent_id) "
          "SELECT 'security.cybercrime-area', 'Cybercrime', 'area', id FROM issue_area WHERE code = 'security'");
    m.mechanisms({"interpol", "budapest-convention"});
    m.sql("INSERT INTO mechanism_area (mechanism_id, area_id, strength) "
          "SELECT m.id, a.id, 'primary' FROM mechanism m, issue_area a WHERE a.level = 'area'");
    m.relate("interpol", "cooperates_with", "budapest-convention");
    m.sql("INSERT INTO mechanism_stakeholder (mechanism_id, stakeholder_group_id, role) "
          "SELECT m.id, g.id, 'member' FROM mechanism m, stakeholder_group g "
          "WHERE m.slug = 'interpol' AND g.code = 'governments'");

    // 2 areas + 2 mechanisms + 6 stakeholder groups + 30 M49 regions.
    CHECK(m.value("SELECT count(*) FROM graph_node") == "40");
    CHECK(m.value("SELECT count(DISTINCT id) FROM graph_node") == "40");
    // 2 addresses + 1 cooperates_with + 1 involves + 1 area 'within' + 29 region 'within'.
    CHECK(m.value("SELECT count(*) FROM graph_edge") == "34");
    CHECK(m.value("SELECT count(DISTINCT id) FROM graph_edge") == "34");
    CHECK(m.value("SELECT count(*) FROM graph_edge e LEFT JOIN graph_node s ON s.id = e.source "
                  "LEFT JOIN graph_node t ON t.id = e.target WHERE s.id IS NULL OR t.id IS NULL") == "0");
    CHECK(m.value("SELECT kind FROM graph_edge WHERE source = (SELECT id FROM mechanism WHERE slug = 'interpol') "
                  "AND target = (SELECT id FROM stakeholder_group WHERE code = 'governments')") == "involves");
}
