// govmap search: mechanisms found by what people remember of them, on a small
// map whose ranking is clear by hand.
#include "importer/importer.hpp"
#include "queries/search.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>

using namespace govmap;

namespace {

struct Map {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    Map()
    {
        importer::Options o;
        o.contributor = "test";
        auto r = importer::import(
            conn,
            {{"mechanisms.csv",
              "slug,name,acronym,kind,scope,model,url,description\n"
              "igf,Internet Governance Forum,IGF,forum,global,multistakeholder,https://www.intgovforum.org/,"
              "A forum for dialogue on Internet public policy\n"
              "icann,Internet Corporation for Assigned Names and Numbers,ICANN,organisation,global,"
              "multistakeholder,https://www.icann.org/,Coordinates the domain name system\n"
              "icc,International Chamber of Commerce,ICC,organisation,global,private_sector,https://iccwbo.org/,"
              "The world business organisation\n",
              {},
              {}}},
            o);
        REQUIRE(r.problems.empty());
    }
    std::vector<std::string> find(const std::string& text)
    {
        auto tx = conn.begin();
        auto r = queries::search_mechanisms(tx, text, 10, 0.2);
        std::vector<std::string> slugs;
        for (std::size_t i = 0; i < r.size(); ++i)
            slugs.push_back(r.text(i, "slug"));
        return slugs;
    }
};

}  // namespace

TEST_CASE("Search ranks by name, acronym, description and URL, and forgives a misspelling")
{
    Map m;
    REQUIRE_FALSE(m.find("Internet Governance Forum").empty());
    CHECK(m.find("Internet Governance Forum").front() == "igf");
    CHECK(m.find("Internet Governence Forum").front() == "igf");  // misspelt
    CHECK(m.find("ICANN").front() == "icann");
    CHECK(m.find("icc").front() == "icc");
    CHECK(m.find("domain name system").front() == "icann");  // from the description
    CHECK(m.find("iccwbo.org").front() == "icc");            // from the URL
    CHECK(m.find("zzzz qqqq").empty());
}

TEST_CASE("govmap search prints a table, or JSON, and refuses invalid UTF-8")
{
    Map m;
    test::RunOptions env{{{"GOVMAP_DB", m.tdb.conninfo()}}, {}, {}};
    auto out = test::run_govmap({"search", "Governance", "--format", "json"}, env);
    INFO(out.all());
    REQUIRE(out.code == 0);
    CHECK(out.out.find("\"slug\": \"igf\"") != std::string::npos);
    auto bad = test::run_govmap({"search", "\xff"}, env);
    CHECK(bad.code == 2);
}
