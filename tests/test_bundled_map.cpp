// The bundled map (seed/): loads cleanly through the importer, matches its
// files, names a source for every fact, and holds what the transcript names.
#include "importer/csv.hpp"
#include "importer/importer.hpp"
#include "seed/bundled.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace govmap;

namespace {

/// Data rows of seed/NAME.csv as read from the source tree (not the copy
/// compiled into govmap), counted with a CSV reader.
std::size_t rows_in(const std::string& name)
{
    std::ifstream in(std::string(GOVMAP_SOURCE_DIR) + "/seed/" + name + ".csv");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();  // the reader keeps a view of it
    importer::CsvReader reader(text);
    std::size_t n = 0;
    while (reader.next())
        ++n;
    REQUIRE(n > 1);
    return n - 1;
}

struct Seeded {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    importer::Report report;
    Seeded()
    {
        std::vector<importer::InputFile> files;
        for (const auto& f : seed::bundled_files())
            files.push_back({f.name, f.text, {}, {}});
        importer::Options o;
        o.contributor = "govmap-seed";
        o.check_duplicates = false;  // as govmap seed: the bundled map is curated
        report = importer::import(conn, files, o);
    }
    std::string q(const std::string& sql) { return test::scalar(conn, sql); }
};

}  // namespace

TEST_CASE("The bundled map loads without a problem and its counts equal its files' rows")
{
    Seeded s;
    for (const auto& p : s.report.problems)
        UNSCOPED_INFO(p.where << ": " << p.message);
    REQUIRE(s.report.problems.empty());
    CHECK(s.q("SELECT count(*) FROM mechanism") == std::to_string(rows_in("mechanisms")));
    CHECK(s.q("SELECT count(*) FROM mechanism_relation") == std::to_string(rows_in("relations")));
    CHECK(s.q("SELECT count(*) FROM mechanism_area") == std::to_string(rows_in("mechanism_areas")));
    CHECK(s.q("SELECT count(*) FROM mechanism_stakeholder") == std::to_string(rows_in("stakeholders")));
    CHECK(s.q("SELECT count(*) FROM mechanism_region") == std::to_string(rows_in("regions")));
    CHECK(s.q("SELECT count(*) FROM issue_area") == std::to_string(rows_in("areas")));
    CHECK(s.q("SELECT count(*) FROM source WHERE contributed_by = 'govmap-seed'") ==
          std::to_string(rows_in("sources")));
}

TEST_CASE("The taxonomy has the 7 clusters and 40 issues of CRP.2 and 24 areas between them")
{
    Seeded s;
    REQUIRE(s.report.problems.empty());
    CHECK(s.q("SELECT count(*) FROM issue_area WHERE level = 'cluster'") == "7");
    CHECK(s.q("SELECT count(*) FROM issue_area WHERE level = 'area'") == "24");
    CHECK(s.q("SELECT count(*) FROM issue_area WHERE level = 'issue'") == "40");
    // Every area belongs to a cluster and every issue to an area (the schema's tree rule), and
    // every area has at least one issue.
    CHECK(s.q("SELECT count(*) FROM issue_area a WHERE level = 'area' "
              "AND NOT EXISTS (SELECT 1 FROM issue_area i WHERE i.parent_id = a.id)") == "0");
    // The 24-area level says that it is a reconstruction, in its description and its source.
    CHECK(s.q("SELECT count(*) FROM issue_area a JOIN source s ON s.id = a.source_id WHERE a.level = 'area' "
              "AND a.description LIKE '%reconstruction%' AND s.title LIKE '%reconstruction%'") == "24");
}

TEST_CASE("Every mechanism and every link names a source")
{
    Seeded s;
    REQUIRE(s.report.problems.empty());
    for (const char* t : {"mechanism", "mechanism_relation", "mechanism_area", "mechanism_stakeholder",
                          "mechanism_region", "issue_area"}) {
        INFO(t);
        CHECK(s.q(std::string("SELECT count(*) FROM ") + t + " WHERE source_id IS NULL") == "0");
    }
    CHECK(s.q("SELECT count(*) FROM mechanism") != "0");
    CHECK(std::stoi(s.q("SELECT count(*) FROM mechanism")) >= 80);
}

TEST_CASE("Every mechanism the transcript names or alludes to is in the map")
{
    Seeded s;
    REQUIRE(s.report.problems.empty());
    for (const char* slug : {"cstd",
                             "wgec",
                             "wgec-correspondence-group",
                             "ecosoc",
                             "unga",
                             "igf",
                             "africa-igf",
                             "eurodig",
                             "netmundial",
                             "netmundial-initiative",
                             "icann",
                             "icann-gac",
                             "iana-functions",
                             "interpol",
                             "hrc",
                             "foc",
                             "wipo",
                             "wto",
                             "apnic",
                             "afrinic",
                             "arin",
                             "lacnic",
                             "ripe-ncc",
                             "nro",
                             "ietf",
                             "isoc",
                             "hmrc",
                             "itu",
                             "unesco",
                             "oecd",
                             "budapest-convention",
                             "apec-cbpr",
                             "w3c",
                             "unodc-ieg-cybercrime",
                             "internet-jurisdiction",
                             "un-gge"}) {
        INFO(slug);
        CHECK(s.q(std::string("SELECT count(*) FROM mechanism WHERE slug = '") + slug + "'") == "1");
    }
    CHECK(s.q("SELECT centrality || '/' || scope FROM mechanism WHERE slug = 'interpol'") == "adjacent/global");
    CHECK(s.q("SELECT centrality || '/' || scope FROM mechanism WHERE slug = 'hmrc'") == "adjacent/national");
    CHECK(s.q("SELECT kind || '/' || status FROM mechanism WHERE slug = 'netmundial'") == "event/one_off");
    // Interpol is an adjacent mechanism under cybercrime.
    CHECK(s.q("SELECT count(*) FROM mechanism_area ma JOIN mechanism m ON m.id = ma.mechanism_id "
              "JOIN issue_area a ON a.id = ma.area_id WHERE m.slug = 'interpol' AND a.code = 'security.cybercrime'") ==
          "1");
    // The transcript itself is a source.
    CHECK(s.q("SELECT published::text FROM source WHERE key = 'igf2014-ws139-transcript'") == "2014-09-03");
    // The WGEC sits in the UN chain: working group -> CSTD -> ECOSOC -> General Assembly.
    CHECK(s.q("WITH RECURSIVE up(id, path) AS (SELECT id, slug FROM mechanism WHERE slug = 'wgec-correspondence-group' "
              "UNION SELECT r.to_id, up.path || '>' || m.slug FROM up JOIN mechanism_relation r ON r.from_id = up.id "
              "AND r.kind IN ('part_of', 'reports_to') JOIN mechanism m ON m.id = r.to_id) "
              "SELECT max(path) FROM up") == "wgec-correspondence-group>wgec>cstd>ecosoc>unga");
}

TEST_CASE("govmap seed is idempotent")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    test::RunOptions env{{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}};
    auto first = test::run_govmap({"seed"}, env);
    INFO(first.all());
    REQUIRE(first.code == 0);
    auto before = test::fingerprint(conn);
    auto second = test::run_govmap({"seed", "--format", "json"}, env);
    REQUIRE(second.code == 0);
    auto summary = nlohmann::json::parse(second.out);
    REQUIRE(summary["counts"].size() == importer::record_type_names().size());
    for (const auto& [type, c] : summary["counts"].items()) {
        INFO(type);
        CHECK(c["inserted"] == 0);
        CHECK(c["updated"] == 0);
    }
    CHECK(summary["counts"]["mechanisms"]["unchanged"] == rows_in("mechanisms"));
    CHECK(test::fingerprint(conn) == before);
}

TEST_CASE("Map v2: every mechanism is dated, sourced and has participation, and govmap check finds nothing missing")
{
    Seeded s;
    REQUIRE(s.report.problems.empty());
    CHECK(std::stoi(s.q("SELECT count(*) FROM mechanism")) >= 300);
    CHECK(s.q("SELECT count(*) FROM mechanism WHERE founded IS NULL") == "0");
    CHECK(s.q("SELECT count(*) FROM mechanism WHERE status <> 'active' AND ended IS NULL") == "0");
    CHECK(s.q("SELECT count(*) FROM participation() WHERE NOT known") == "0");
    CHECK(s.q("SELECT count(*) FROM map_info WHERE key IN ('data_version', 'data_date')") == "2");
    test::RunOptions env{{{"GOVMAP_DB", s.tdb.conninfo()}}, {}, {}};
    auto out = test::run_govmap({"check", "--format", "json"}, env);
    INFO(out.all());
    CHECK(out.code == 0);
    auto report = nlohmann::json::parse(out.out);
    CHECK(report["complete"] == true);
    CHECK(report["mechanisms"].get<int>() >= 300);
}

TEST_CASE("Map v2 has no blanket links, and every CRP.2 issue has a primary mechanism or a sourced gap note")
{
    Seeded s;
    REQUIRE(s.report.problems.empty());
    // No mechanism is linked to all 40 issues (v1's IGF and regional IGFs were).
    CHECK(s.q("SELECT count(*) FROM (SELECT mechanism_id FROM mechanism_area GROUP BY mechanism_id "
              "HAVING count(*) >= 40) x") == "0");
    auto uncovered = s.q("SELECT coalesce(string_agg(a.code, ', ' ORDER BY a.code), '') FROM issue_area a "
                         "WHERE a.level = 'issue' AND NOT EXISTS (SELECT 1 FROM mechanism_area ma "
                         "JOIN mechanism m ON m.id = ma.mechanism_id WHERE ma.area_id = a.id "
                         "AND ma.strength = 'primary' AND m.kind <> 'observatory') "
                         "AND (a.note IS NULL OR a.note NOT LIKE '%http%')");
    INFO("issues with neither a primary mechanism nor a gap note citing a source: " << uncovered);
    CHECK(uncovered.empty());
}

TEST_CASE("Map v2 in time: as of 2014 the WGEC counts and the Global Digital Compact does not, and IANA's operator "
          "changes in 2016")
{
    Seeded s;
    REQUIRE(s.report.problems.empty());
    auto covers = [&](const std::string& slug, int year) {
        return s.q("SELECT count(*) FROM mechanism m WHERE m.slug = '" + slug +
                   "' AND mechanism_counts(m.review_status, m.kind, m.status, m.founded, m.ended, false, false, " +
                   std::to_string(year) + "::smallint, false)");
    };
    CHECK(covers("wgec", 2014) == "1");
    CHECK(covers("gdc", 2014) == "0");
    CHECK(covers("gdc", 2025) == "1");
    CHECK(covers("un-gge", 2026) == "0");
    auto operator_in = [&](int year) {
        return s.q("SELECT string_agg(o.slug, ',' ORDER BY o.slug) FROM mechanism_relation r "
                   "JOIN mechanism f ON f.id = r.from_id JOIN mechanism o ON o.id = r.to_id "
                   "WHERE f.slug = 'iana-functions' AND r.kind = 'operated_by' AND held_in(r.valid_from, r.valid_to, " +
                   std::to_string(year) + "::smallint)");
    };
    CHECK(operator_in(2015) == "icann");
    CHECK(operator_in(2017) == "pti");
    // The corrections of map v2.
    CHECK(s.q("SELECT status || ' ' || ended FROM mechanism WHERE slug = 'un-gge'") == "concluded 2021");
    CHECK(s.q("SELECT ended FROM mechanism WHERE slug = 'netmundial-initiative'") == "2016");
    CHECK(s.q("SELECT count(*) FROM mechanism_relation r JOIN mechanism f ON f.id = r.from_id "
              "JOIN mechanism t ON t.id = r.to_id WHERE t.slug = 'nro' AND r.kind = 'part_of' "
              "AND f.slug IN ('afrinic', 'apnic', 'arin', 'lacnic', 'ripe-ncc')") == "5");
    CHECK(s.q("SELECT count(*) FROM mechanism_stakeholder ms JOIN mechanism m ON m.id = ms.mechanism_id "
              "WHERE m.slug = 'itu-cwg-internet' AND ms.role = 'observer'") == "0");
    CHECK(s.q("SELECT kind FROM mechanism WHERE slug = 'netmundial-solutions-map'") == "observatory");
}

TEST_CASE("History recorded in bulk names every row as history_key names it, on insert, update and delete")
{
    // The history trigger names rows by joins (migration 0016); history_key is
    // the definition. Seeding inserts into every map table; an edit updates
    // and a removal deletes a mechanism with its links.
    Seeded s;
    REQUIRE(s.report.problems.empty());
    test::RunOptions env{{{"GOVMAP_DB", s.tdb.conninfo()}}, {}, {}};
    REQUIRE(test::run_govmap({"edit", "igf", "--set", "description=Edited for the test", "--accept"}, env).code == 0);
    REQUIRE(test::run_govmap({"link", "igf", "feeds_into", "icann", "--accept"}, env).code == 0);
    REQUIRE(test::run_govmap({"remove", "igf", "--reason", "a test of history", "--accept"}, env).code == 0);
    CHECK(std::stoi(s.q("SELECT count(DISTINCT table_name) FROM history")) >= 8);
    CHECK(s.q("SELECT string_agg(DISTINCT operation, ',' ORDER BY operation) FROM history") == "delete,insert,update");
    CHECK(std::stoi(s.q("SELECT count(*) FROM history WHERE table_name IN ('mechanism_area', 'mechanism_relation', "
                        "'mechanism_stakeholder', 'mechanism_region') AND row_key LIKE '% %'")) > 1000);
    // Wherever history_key can still name a row (its referents exist), the
    // recorded key is the same; the removed mechanism's rows were named
    // while it existed.
    CHECK(s.q("SELECT count(*) FROM history WHERE history_key(table_name, coalesce(after, before)) IS NOT NULL "
              "AND row_key IS DISTINCT FROM history_key(table_name, coalesce(after, before))") == "0");
    CHECK(std::stoi(s.q("SELECT count(*) FROM history WHERE history_key(table_name, coalesce(after, before)) IS NOT "
                        "NULL")) > 2000);
    CHECK(std::stoi(s.q("SELECT count(*) FROM history WHERE row_key LIKE 'igf %'")) > 10);
    CHECK(s.q("SELECT row_key FROM history WHERE table_name = 'mechanism' AND operation = 'delete'") == "igf");
}
