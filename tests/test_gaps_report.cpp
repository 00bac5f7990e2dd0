// govmap gaps on the bundled map, in every format, read back by real parsers:
// a JSON Schema validator, xmllint, a CSV reader; and properties that must
// hold for the real data (not a frozen copy of the output).
#include "importer/csv.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace govmap;

namespace {

struct Bundled {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    test::RunOptions env{{{"GOVMAP_DB", tdb.conninfo()}, {"NO_COLOR", std::nullopt}}, {}, {}};
    Bundled() { REQUIRE(test::run_govmap({"seed", "-q"}, env).code == 0); }
    test::Output gaps(std::vector<std::string> args)
    {
        args.insert(args.begin(), "gaps");
        auto out = test::run_govmap(args, env);
        INFO(out.err);
        REQUIRE(out.code == 0);
        return out;
    }
};

std::string read(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A JSON Schema validator: the image's python3 or Debian's python3-jsonschema.
std::string schema_validator()
{
    for (const char* py : {"python3", "/usr/bin/python3"})
        if (std::system((std::string(py) + " -c 'import jsonschema' 2>/dev/null").c_str()) == 0)
            return py;
    return {};
}

}  // namespace

TEST_CASE("The JSON report follows docs/gaps.schema.json")
{
    Bundled b;
    test::TempDir dir;
    auto path = dir.write("gaps.json", b.gaps({"--format", "json", "--by-region"}).out);
    // Then and now against a year and against the map as recorded today.
    auto by_year = dir.write("year.json", b.gaps({"--format", "json", "--compare", "2014"}).out);
    auto by_date = dir.write(
        "date.json", b.gaps({"--format", "json", "--compare", test::scalar(b.conn, "SELECT current_date::text")}).out);
    auto py = schema_validator();
    if (test::require_or_skip(!py.empty(), "schema validation needs Python's jsonschema (python3-jsonschema)")) {
        for (const auto& p : {path, by_year, by_date}) {
            std::string cmd = py +
                              " -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
                              "json.load(open(sys.argv[2])))' " +
                              p + " " + GOVMAP_SOURCE_DIR + "/docs/gaps.schema.json";
            INFO(p);
            CHECK(std::system(cmd.c_str()) == 0);
        }
    }
    CHECK(nlohmann::json::parse(read(by_year))["comparison"]["year"] == 2014);
    CHECK(nlohmann::json::parse(read(by_date))["comparison"]["recorded"].get<std::string>().substr(11) == "23:59:59Z");
    auto report = nlohmann::json::parse(read(path));
    CHECK(report["filters"]["by_region"] == true);
    CHECK(report["nodes"].size() == std::stoul(test::scalar(b.conn, "SELECT count(*) FROM issue_area")));
}

TEST_CASE("The bundled map's report shows every cluster and Interpol as an adjacent mechanism on cybercrime")
{
    Bundled b;
    auto report = nlohmann::json::parse(b.gaps({"--format", "json"}).out);
    std::set<std::string> clusters;
    for (const auto& n : report["nodes"])
        if (n["level"] == "cluster")
            clusters.insert(n["code"].get<std::string>());
    CHECK(clusters.size() ==
          std::stoul(test::scalar(b.conn, "SELECT count(*) FROM issue_area WHERE level = 'cluster'")));
    auto cybercrime = std::find_if(report["nodes"].begin(), report["nodes"].end(),
                                   [](const nlohmann::json& n) { return n["code"] == "security.cybercrime"; });
    REQUIRE(cybercrime != report["nodes"].end());
    auto covering = (*cybercrime)["covering"].get<std::vector<std::string>>();
    CHECK(std::find(covering.begin(), covering.end(), "interpol") != covering.end());
    CHECK((*cybercrime)["centrality"]["adjacent"].get<int>() >= 1);
    // Every finding names a node of the report or is map-wide, and the map's
    // best-linked coordination bodies show up as brokers.
    std::set<std::string> codes;
    for (const auto& n : report["nodes"])
        codes.insert(n["code"].get<std::string>());
    for (const auto& f : report["findings"])
        if (!f["node"].is_null())
            CHECK(codes.count(f["node"].get<std::string>()) == 1);
    REQUIRE_FALSE(report["brokers"].empty());
    // With primary links only, areas that only dialogue forums discuss become uncovered.
    auto primary = nlohmann::json::parse(b.gaps({"--format", "json", "--primary-only", "--kinds", "uncovered"}).out);
    std::set<std::string> uncovered;
    for (const auto& f : primary["findings"])
        uncovered.insert(f["node"].get<std::string>());
    // Convergence has only secondary links in the bundled map (and a sourced gap note).
    CHECK(uncovered.count("infrastructure.convergence") == 1);
    CHECK(uncovered.count("security.cybercrime") == 0);
}

TEST_CASE("The HTML report is well-formed XHTML with one heat-map cell per row and column, and fetches nothing")
{
    Bundled b;
    test::TempDir dir;
    auto path = (dir.path() / "gaps.html").string();
    auto out = b.gaps({"--format", "html", "--out", path, "--level", "area"});
    std::string html = read(path);
    if (test::have_client("xmllint", "command -v xmllint", "libxml2-utils"))
        CHECK(std::system(("xmllint --noout " + path).c_str()) == 0);
    std::regex cell(R"re(<rect class="cell" data-row="([^"]+)" data-col="([^"]+)")re");
    std::set<std::string> rows, cols;
    std::size_t cells = 0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), cell); it != std::sregex_iterator(); ++it) {
        rows.insert((*it)[1]);
        cols.insert((*it)[2]);
        ++cells;
    }
    CHECK(rows.size() == 24);
    // Total, multistakeholder, 3 scopes, the formal intergovernmental model, 2
    // centralities, and each stakeholder group.
    auto groups = std::stoul(test::scalar(b.conn, "SELECT count(*) FROM stakeholder_group"));
    CHECK(cols.size() == 8 + groups);
    CHECK(cells == rows.size() * cols.size());
    // Red only where a zero is a gap: never on the regional, national, formal-model or centrality columns.
    std::regex red_cell(
        R"re(data-col="(scope:regional|scope:national|model:[a-z_]+|centrality:[a-z]+)"[^>]*fill="#d7301f")re");
    CHECK_FALSE(std::regex_search(html, red_cell));
    // Each row links to the node's details in the same file.
    CHECK(html.find("<a href=\"#node-economic.taxation-area\">") != std::string::npos);
    CHECK(html.find("id=\"node-economic.taxation-area\"") != std::string::npos);
    // Zero cells stand out, and a legend explains the colours.
    CHECK(html.find("fill=\"#d7301f\"") != std::string::npos);
    CHECK(html.find("class=\"legend\"") != std::string::npos);
    // Opens offline: no scripts, style sheets, images or frames from anywhere.
    for (const char* tag : {"<script", "<link", "<img", "<iframe", "@import", "url("})
        CHECK(html.find(tag) == std::string::npos);
    // The drill-down lists each node's mechanisms with their sources.
    CHECK(html.find("id=\"node-security.cybercrime-area\"") != std::string::npos);
    CHECK(html.find("International Criminal Police Organization (INTERPOL)") != std::string::npos);
}

TEST_CASE("The CSV coverage matrix reads back with a row per node and a column per dimension value")
{
    Bundled b;
    auto csv = b.gaps({"--format", "csv"}).out;
    importer::CsvReader reader(csv);
    auto header = reader.next();
    REQUIRE(header);
    CHECK(header->fields[0] == "code");
    CHECK(std::find(header->fields.begin(), header->fields.end(), "scope.global") != header->fields.end());
    CHECK(std::find(header->fields.begin(), header->fields.end(), "region.western-africa") != header->fields.end());
    CHECK(std::find(header->fields.begin(), header->fields.end(), "stakeholder.civil_society") != header->fields.end());
    std::size_t rows = 0;
    while (auto rec = reader.next()) {
        ++rows;
        REQUIRE(rec->fields.size() == header->fields.size());
        for (std::size_t i = 4; i < rec->fields.size(); ++i)
            CHECK(std::all_of(rec->fields[i].begin(), rec->fields[i].end(), ::isdigit));
    }
    CHECK(rows == std::stoul(test::scalar(b.conn, "SELECT count(*) FROM issue_area")));
}

TEST_CASE("The text report fits 100 columns and has no colour when not on a terminal")
{
    Bundled b;
    auto text = b.gaps({"--by-region", "--level", "issue"}).out;
    CHECK(text.find("\033[") == std::string::npos);
    std::istringstream lines(text);
    std::size_t longest = 0, count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
        std::size_t w = 0;
        for (unsigned char c : line)
            w += (c & 0xC0) != 0x80;
        longest = std::max(longest, w);
    }
    CHECK(count > 40);
    CHECK(longest <= 100);
}

TEST_CASE("The Markdown report has the coverage table and a findings table per severity")
{
    Bundled b;
    auto md = b.gaps({"--format", "markdown", "--primary-only", "--level", "issue"}).out;
    CHECK(md.rfind("# Gap report", 0) == 0);
    CHECK(md.find("| Node | Name | Level | Mechanisms |") != std::string::npos);
    CHECK(md.find("### High severity") != std::string::npos);
    CHECK(md.find("| `infrastructure.convergence` | Convergence | issue | **0** |") != std::string::npos);
    CHECK(md.find("## What the sources say of gaps") != std::string::npos);
}
