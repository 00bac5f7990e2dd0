// govmap synth: deterministic synthetic maps that the importer accepts as
// they are, with the shape docs/benchmarks.md promises, checked in SQL after
// a real import.
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace govmap;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> import_args(const fs::path& dir)
{
    std::vector<std::string> args{"import", "-q"};
    for (const char* f : {"sources.csv", "map_info.csv", "areas.csv", "mechanisms.csv", "relations.csv",
                          "mechanism_areas.csv", "stakeholders.csv", "regions.csv"})
        args.push_back((dir / f).string());
    return args;
}

}  // namespace

TEST_CASE("synth writes the same files for the same seed and other files for another")
{
    test::TempDir dir;
    auto synth = [&](const std::string& name, const std::string& seed) {
        auto out =
            test::run_govmap({"synth", "--mechanisms", "3000", "--seed", seed, "--out", (dir.path() / name).string()});
        INFO(out.err);
        REQUIRE(out.code == 0);
        return dir.path() / name;
    };
    auto a = synth("a", "7"), b = synth("b", "7"), c = synth("c", "8");
    for (const char* f : {"mechanisms.csv", "relations.csv", "mechanism_areas.csv", "stakeholders.csv"}) {
        INFO(f);
        CHECK(slurp(a / f) == slurp(b / f));
        CHECK(slurp(a / f) != slurp(c / f));
    }
    auto bad = test::run_govmap(
        {"synth", "--mechanisms", "10", "--relations", "1000", "--out", (dir.path() / "bad").string()});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("1000 relations do not fit 10 mechanisms") != std::string::npos);
}

TEST_CASE("A synthetic map imports as it is and has the promised shape")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    test::TempDir dir;
    test::RunOptions env{{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}};
    auto out = test::run_govmap({"synth", "--mechanisms", "4000", "--seed", "3", "--out", dir.path().string()});
    REQUIRE(out.code == 0);
    out = test::run_govmap(import_args(dir.path()), env);
    INFO(out.err);
    REQUIRE(out.code == 0);
    auto q = [&](const std::string& sql) { return test::scalar(conn, sql); };
    // Three levels: 7 clusters, 70 areas, 1 400 issues.
    CHECK(q("SELECT string_agg(level || ':' || n, ' ' ORDER BY level) FROM "
            "(SELECT level::text, count(*) n FROM issue_area GROUP BY level) x") == "area:70 cluster:7 issue:1400");
    CHECK(q("SELECT count(*) FROM mechanism") == "4000");
    CHECK(q("SELECT count(*) FROM mechanism_relation") == "10000");
    CHECK(q("SELECT count(*) FROM mechanism_area") == "10000");
    // Every mechanism addresses something; one issue in 20 nothing at all (and
    // a few more of the thin tail get nothing by chance).
    CHECK(q("SELECT count(*) FROM mechanism m WHERE NOT EXISTS "
            "(SELECT 1 FROM mechanism_area a WHERE a.mechanism_id = m.id)") == "0");
    CHECK(std::stoi(q("SELECT count(*) FROM issue_area i WHERE level = 'issue' AND NOT EXISTS "
                      "(SELECT 1 FROM mechanism_area a WHERE a.area_id = i.id)")) >= 70);
    // A power law: the most crowded issue holds far more than the median one.
    CHECK(std::stod(q("WITH c AS (SELECT count(*) n FROM mechanism_area GROUP BY area_id) "
                      "SELECT max(n) / percentile_cont(0.5) WITHIN GROUP (ORDER BY n) FROM c")) > 20);
    // part_of/reports_to trees, at most 6 deep, each mechanism nested once.
    CHECK(q("SELECT max(n) FROM (SELECT count(*) n FROM mechanism_relation "
            "WHERE kind IN ('part_of', 'reports_to') GROUP BY from_id) x") == "1");
    int depth = std::stoi(q("WITH RECURSIVE up(id, depth) AS (SELECT id, 0 FROM mechanism UNION ALL "
                            "SELECT r.from_id, u.depth + 1 FROM up u JOIN mechanism_relation r ON r.to_id = u.id "
                            "AND r.kind IN ('part_of', 'reports_to')) SELECT max(depth) FROM up"));
    CHECK(depth <= 6);
    CHECK(depth >= 3);
    // Regional skew: more regional bodies in Europe than in Oceania.
    CHECK(std::stoi(q("SELECT count(*) FROM mechanism_region mr JOIN region r ON r.id = mr.region_id "
                      "WHERE r.code LIKE '%europe%'")) >
          3 * std::stoi(q("SELECT count(*) FROM mechanism_region mr JOIN region r ON r.id = mr.region_id "
                          "WHERE r.code IN ('oceania', 'melanesia', 'polynesia', 'micronesia', "
                          "'australia-and-new-zealand')")));
    // Clusters joined by a few bridges: some relations cross clusters, most do not.
    auto crossing = std::stod(q(R"(
        WITH home AS (
            SELECT DISTINCT ON (ma.mechanism_id) ma.mechanism_id, split_part(a.code, '.', 1) AS cluster
              FROM mechanism_area ma JOIN issue_area a ON a.id = ma.area_id
             ORDER BY ma.mechanism_id, ma.id)
        SELECT avg(CASE WHEN f.cluster <> t.cluster THEN 1.0 ELSE 0 END)
          FROM mechanism_relation r JOIN home f ON f.mechanism_id = r.from_id JOIN home t ON t.mechanism_id = r.to_id
         WHERE r.kind = 'cooperates_with')"));
    CHECK(crossing > 0);
    CHECK(crossing < 0.1);
    // The bulk import left statistics the planner can use.
    CHECK(q("SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('mechanism', 'mechanism_area', "
            "'mechanism_relation') AND last_analyze IS NOT NULL") == "3");
    // The report runs on it and finds every issue that no mechanism counted
    // today addresses (concluded ones ended by 2025; observatories do not count).
    out = test::run_govmap({"gaps", "--format", "json", "--level", "issue", "--kinds", "uncovered"}, env);
    REQUIRE(out.code == 0);
    auto report = nlohmann::json::parse(out.out);
    std::size_t uncovered = 0;
    for (const auto& f : report["findings"])
        for (const auto& k : f["kinds"])
            uncovered += k == "uncovered";
    CHECK(uncovered == std::stoul(q("SELECT count(*) FROM issue_area i WHERE level = 'issue' AND NOT EXISTS "
                                    "(SELECT 1 FROM mechanism_area a JOIN mechanism m ON m.id = a.mechanism_id "
                                    "WHERE a.area_id = i.id AND m.status = 'active' AND m.kind <> 'observatory')")));
}
