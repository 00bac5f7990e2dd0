// The documented templates import as documented, and the JSON template
// satisfies the published JSON Schema.
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace govmap;

namespace {
const std::string templates = std::string(GOVMAP_SOURCE_DIR) + "/docs/templates/";
test::RunOptions on(const test::TempDatabase& tdb) { return {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}}; }
}  // namespace

TEST_CASE("The CSV templates and the JSON template hold the same map")
{
    test::TempDatabase a, b;
    std::vector<std::string> csv{"import"};
    for (const char* t :
         {"sources", "areas", "mechanisms", "mechanism_areas", "relations", "stakeholders", "regions", "assessments"})
        csv.push_back(templates + t + ".csv");
    auto out = test::run_govmap(csv, on(a));
    INFO(out.all());
    REQUIRE(out.code == 0);
    out = test::run_govmap({"import", templates + "map.json"}, on(b));
    INFO(out.all());
    REQUIRE(out.code == 0);
    auto ca = a.connect(), cb = b.connect();
    CHECK(test::scalar(ca, "SELECT count(*) FROM assessment") == "1");
    // The CSV stakeholders template also names a group by its name ("Governments").
    CHECK(test::scalar(ca, "SELECT count(*) FROM mechanism_stakeholder") == "2");
    cb.in_transaction([](db::Transaction& tx) {
        tx.exec(
            "INSERT INTO mechanism_stakeholder (mechanism_id, stakeholder_group_id, role, source_id, review_status) "
            "SELECT m.id, g.id, 'open_participation', s.id, 'accepted' FROM mechanism m, stakeholder_group g, source s "
            "WHERE m.slug = 'wgec-cg' AND g.code = 'governments' AND s.key = 'wgec-cg-tor'");
    });
    CHECK(test::content(ca) == test::content(cb));
}

TEST_CASE("The spreadsheet template imports directly")
{
    test::TempDatabase tdb;
    auto out = test::run_govmap({"import", templates + "sources.csv", templates + "areas.csv"}, on(tdb));
    REQUIRE(out.code == 0);
    out = test::run_govmap({"import", templates + "spreadsheet.csv"}, on(tdb));
    INFO(out.all());
    REQUIRE(out.code == 0);
    auto conn = tdb.connect();
    CHECK(test::scalar(conn, "SELECT string_agg(slug, ',' ORDER BY slug) FROM mechanism") ==
          "council-of-europe-convention-on-cybercrime,interpol");
    CHECK(test::scalar(conn, "SELECT r.code FROM mechanism_region mr JOIN region r ON r.id = mr.region_id") ==
          "europe");
}

TEST_CASE("The JSON template satisfies docs/import.schema.json")
{
    // A real JSON Schema validator; the image's python3 or Debian's python3-jsonschema.
    std::string validator;
    for (const char* py : {"python3", "/usr/bin/python3"})
        if (std::system((std::string(py) + " -c 'import jsonschema' 2>/dev/null").c_str()) == 0) {
            validator = py;
            break;
        }
    if (!test::require_or_skip(!validator.empty(), "no Python jsonschema module (python3-jsonschema)"))
        return;
    std::string cmd = validator +
                      " -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
                      "json.load(open(sys.argv[2])))' " +
                      templates + "map.json " + GOVMAP_SOURCE_DIR + "/docs/import.schema.json";
    CHECK(std::system(cmd.c_str()) == 0);
    // And the schema is not vacuous: a wrong enum value fails it.
    test::TempDir dir;
    auto bad = dir.write(
        "bad.json",
        R"({"mechanisms": [{"slug": "x", "name": "X", "kind": "forum", "scope": "moon", "model": "multistakeholder"}]})");
    cmd = validator +
          " -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
          "json.load(open(sys.argv[2])))' 2>/dev/null " +
          bad + " " + GOVMAP_SOURCE_DIR + "/docs/import.schema.json";
    CHECK(std::system(cmd.c_str()) != 0);
}
