// Evaluation on small maps whose ratings are derived by hand from the rule
// (migration 0012): met when every observed indicator is yes, not met when
// every one is no, partly otherwise, disputed when assessors disagree on all
// that were observed, unknown when none was.
#include "analysis/gaps.hpp"
#include "evaluation/evaluation.hpp"
#include "importer/importer.hpp"
#include "review/review.hpp"
#include "seed/bundled.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace govmap;

namespace {

// Framework f: criterion f.c1 (indicators i1, i2), f.c2 (i3), f.c3 (i4, i5), f.c4 (i6).
// Assessors a and b. Area x.one is addressed by m1 only; area x.two by m1 and m2.
//
//   mechanism  observations                                  expected (every assessor)
//   m1         i1 yes, i2 yes, i3 no, i4 yes, i5 no (a)      c1 met 2/2, c2 not_met, c3 partly, c4 unknown
//   m2         i1 yes (a)                                    c1 met 1/2, others unknown
//   m3         i3 yes (a), i3 no (b); i1 yes (a), i2 partly (b)  c2 disputed, c1 partly
//   m4         none                                          unknown everywhere
//   m5         i6 yes (a), held 2015-2018                    c4 met in 2016, unknown in 2014 and 2020
const char* const sources_csv = "key,title,url\ns1,Source one,https://example.org/one\n";
const char* const mechanisms_csv = "slug,name,kind,scope,model\n"
                                   "m1,Mechanism One,forum,global,multistakeholder\n"
                                   "m2,Mechanism Two,forum,global,multistakeholder\n"
                                   "m3,Mechanism Three,forum,global,multistakeholder\n"
                                   "m4,Mechanism Four,forum,global,multistakeholder\n"
                                   "m5,Mechanism Five,forum,global,multistakeholder\n";
const char* const areas_csv = "code,name,level,parent\nx,Cluster X,cluster,\nx.one,Area one,area,x\n"
                              "x.two,Area two,area,x\n";
const char* const links_csv = "mechanism,area\nm1,x.one\nm1,x.two\nm2,x.two\n";
const char* const frameworks_csv = "key,name,source\nf,Framework F,s1\n";
const char* const criteria_csv = "key,framework,name\nf.c1,f,Criterion one\nf.c2,f,Criterion two\n"
                                 "f.c3,f,Criterion three\nf.c4,f,Criterion four\n";
const char* const indicators_csv = "key,text\ni1,Indicator one\ni2,Indicator two\ni3,Indicator three\n"
                                   "i4,Indicator four\ni5,Indicator five\ni6,Indicator six\n";
const char* const criterion_indicators_csv = "criterion,indicator\nf.c1,i1\nf.c1,i2\nf.c2,i3\nf.c3,i4\nf.c3,i5\n"
                                             "f.c4,i6\n";
const char* const assessors_csv = "key,name\na,Assessor A\nb,Assessor B\n";
const char* const observations_csv = "mechanism,indicator,assessor,value,evidence,source,valid_from,valid_to\n"
                                     "m1,i1,a,yes,seen,s1,,\nm1,i2,a,yes,seen,s1,,\nm1,i3,a,no,seen,s1,,\n"
                                     "m1,i4,a,yes,seen,s1,,\nm1,i5,a,no,seen,s1,,\n"
                                     "m2,i1,a,yes,seen,s1,,\n"
                                     "m3,i3,a,yes,seen,s1,,\nm3,i3,b,no,seen,s1,,\n"
                                     "m3,i1,a,yes,seen,s1,,\nm3,i2,b,partly,seen,s1,,\n"
                                     "m5,i6,a,yes,seen,s1,2015,2018\n";

struct Map {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    Map()
    {
        importer::Options o;
        o.contributor = "test";
        auto r = importer::import(conn,
                                  {{"sources.csv", sources_csv, {}, {}},
                                   {"mechanisms.csv", mechanisms_csv, {}, {}},
                                   {"areas.csv", areas_csv, {}, {}},
                                   {"mechanism_areas.csv", links_csv, {}, {}},
                                   {"frameworks.csv", frameworks_csv, {}, {}},
                                   {"criteria.csv", criteria_csv, {}, {}},
                                   {"indicators.csv", indicators_csv, {}, {}},
                                   {"criterion_indicators.csv", criterion_indicators_csv, {}, {}},
                                   {"assessors.csv", assessors_csv, {}, {}},
                                   {"observations.csv", observations_csv, {}, {}}},
                                  o);
        for (const auto& p : r.problems)
            UNSCOPED_INFO(p.where << ": " << p.message);
        REQUIRE(r.problems.empty());
    }
    evaluation::Evaluation evaluate(evaluation::Options o = {})
    {
        auto tx = conn.begin(db::Isolation::snapshot);
        auto e = evaluation::evaluate(tx, o);
        tx.commit();
        return e;
    }
    test::Output govmap(const std::vector<std::string>& args) const
    {
        return test::run_govmap(args, {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
    }
};

const evaluation::CriterionResult& rating(const evaluation::Evaluation& e, const std::string& slug,
                                          const std::string& criterion)
{
    for (const auto& m : e.mechanisms)
        if (m.slug == slug)
            for (const auto& c : m.criteria)
                if (c.key == criterion)
                    return c;
    FAIL("no rating for " << slug << " on " << criterion);
    throw std::logic_error("unreachable");
}

using V = std::vector<std::string>;

std::string read_file(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> slugs(const evaluation::Evaluation& e)
{
    V out;
    for (const auto& m : e.mechanisms)
        out.push_back(m.slug);
    return out;
}

}  // namespace

TEST_CASE("The rating rule: all yes, mixed, all no, nothing observed")
{
    Map m;
    auto e = m.evaluate();
    CHECK(e.framework.key == "f");
    // Every observed mechanism, by name; m4 has no observation.
    CHECK(slugs(e) == V{"m5", "m1", "m3", "m2"});
    CHECK(rating(e, "m1", "f.c1").rating == "met");
    CHECK(rating(e, "m1", "f.c1").counts.yes == 2);
    CHECK(rating(e, "m1", "f.c2").rating == "not_met");
    CHECK(rating(e, "m1", "f.c3").rating == "partly");
    CHECK(rating(e, "m1", "f.c4").rating == "unknown");
    CHECK(rating(e, "m1", "f.c4").counts.unknown == 1);
    // One indicator of two observed: met on what is known, and the counts say so.
    CHECK(rating(e, "m2", "f.c1").rating == "met");
    CHECK(rating(e, "m2", "f.c1").counts.observed() == 1);
    CHECK(rating(e, "m2", "f.c1").counts.unknown == 1);
    CHECK(rating(e, "m2", "f.c2").rating == "unknown");
    // Named, a mechanism with no observation is unknown on everything, never "not met".
    auto named = m.evaluate({std::nullopt, std::nullopt, std::nullopt, {"m4"}, std::nullopt});
    REQUIRE(slugs(named) == V{"m4"});
    for (const auto& c : named.mechanisms[0].criteria)
        CHECK(c.rating == "unknown");
}

TEST_CASE("Contradicting assessors make an indicator disputed, and one assessor alone settles it")
{
    Map m;
    auto e = m.evaluate();
    CHECK(rating(e, "m3", "f.c2").rating == "disputed");
    CHECK(rating(e, "m3", "f.c2").counts.disputed == 1);
    // yes (a) and partly (b) on two different indicators: no dispute, partly.
    CHECK(rating(e, "m3", "f.c1").rating == "partly");
    REQUIRE(e.disagreements.size() == 1);
    CHECK(e.disagreements[0].mechanism == "m3");
    CHECK(e.disagreements[0].indicator == "i3");
    CHECK(e.disagreements[0].values == std::map<std::string, std::string>{{"a", "yes"}, {"b", "no"}});

    auto by_a = m.evaluate({std::nullopt, std::string("a"), std::nullopt, {}, std::nullopt});
    CHECK(rating(by_a, "m3", "f.c2").rating == "met");
    CHECK(rating(by_a, "m3", "f.c1").rating == "met");  // b's partly is not a's
    auto by_b = m.evaluate({std::nullopt, std::string("b"), std::nullopt, {}, std::nullopt});
    CHECK(rating(by_b, "m3", "f.c2").rating == "not_met");
    CHECK(slugs(by_b) == V{"m3"});
}

TEST_CASE("Observations count only in the years they held with --as-of")
{
    Map m;
    auto at = [&](int year) {
        return rating(m.evaluate({std::nullopt, std::nullopt, year, {"m5"}, std::nullopt}), "m5", "f.c4").rating;
    };
    CHECK(at(2014) == "unknown");
    CHECK(at(2016) == "met");
    CHECK(at(2018) == "met");
    CHECK(at(2020) == "unknown");
    CHECK(rating(m.evaluate(), "m5", "f.c4").rating == "met");  // any time
}

TEST_CASE("Rating under a node takes the mechanisms addressing it, and unknown names are refused")
{
    Map m;
    CHECK(slugs(m.evaluate({std::nullopt, std::nullopt, std::nullopt, {}, std::string("x.two")})) == V{"m1", "m2"});
    CHECK_THROWS_WITH(m.evaluate({std::string("g"), std::nullopt, std::nullopt, {}, std::nullopt}),
                      Catch::Contains("unknown framework 'g'"));
    CHECK_THROWS_WITH(m.evaluate({std::nullopt, std::nullopt, std::nullopt, {"m9"}, std::nullopt}),
                      Catch::Contains("unknown mechanism 'm9'"));
    auto out = m.govmap({"evaluate", "--assessor", "c"});
    CHECK(out.code == 2);
    CHECK(out.err.find("unknown assessor 'c'") != std::string::npos);
}

TEST_CASE("The gap report's criterion_unmet is a coverage gap when ratings are settled, a data gap when not")
{
    // x.one (m1 only): c1 met -> nothing; c2 not_met and c3 partly -> coverage; c4 unknown -> data.
    // x.two (m1, m2): c1 met -> nothing; c2 (m1 not_met, m2 unknown) -> data; c3 (partly, unknown) -> data;
    // c4 unknown -> data.
    Map m;
    analysis::GapOptions o;
    o.framework = "f";
    o.kinds = {"criterion_unmet"};
    auto r = analysis::analyse(m.conn, o);
    std::set<std::string> found;
    for (const auto& f : r.findings)
        found.insert(f.node.value_or("") + " " + f.subjects.at(0) + " " + f.basis);
    CHECK(found == std::set<std::string>{"x.one Criterion two coverage", "x.one Criterion three coverage",
                                         "x.one Criterion four data", "x.two Criterion two data",
                                         "x.two Criterion three data", "x.two Criterion four data",
                                         // the cluster rolls up both areas' mechanisms
                                         "x Criterion two data", "x Criterion three data", "x Criterion four data"});
    // Without --framework there are none.
    o.framework.reset();
    CHECK(analysis::analyse(m.conn, o).findings.empty());
}

TEST_CASE("A contributed observation is a proposal: counted only with --include-proposed until accepted")
{
    Map m;
    importer::Options o;
    o.contributor = "someone";
    o.status = "proposed";
    auto r = importer::import(
        m.conn, {{"observations.csv", "mechanism,indicator,assessor,value,source\nm2,i3,b,yes,s1\n", {}, {}}}, o);
    REQUIRE(r.problems.empty());
    REQUIRE(r.proposal);
    CHECK(rating(m.evaluate(), "m2", "f.c2").rating == "unknown");
    {
        auto tx = review::open_map(m.conn, true);
        CHECK(rating(evaluation::evaluate(tx, {}), "m2", "f.c2").rating == "met");
    }
    auto out = m.govmap({"review", "accept", std::to_string(*r.proposal)});
    INFO(out.all());
    REQUIRE(out.code == 0);
    CHECK(rating(m.evaluate(), "m2", "f.c2").rating == "met");
    CHECK(test::scalar(m.conn, "SELECT count(*) FROM history WHERE table_name = 'observation' AND proposal_id = $1",
                       {std::to_string(*r.proposal)}) == "1");
}

TEST_CASE("Bad observations are refused with file, line and field, and the map is left as it was")
{
    Map m;
    auto before = test::scalar(m.conn, "SELECT count(*) FROM observation");
    importer::Options o;
    o.contributor = "test";
    auto r = importer::import(
        m.conn,
        {{"observations.csv", "mechanism,indicator,assessor,value\nm1,i6,a,maybe\nm1,i9,a,yes\nm1,i6,z,yes\n", {}, {}}},
        o);
    std::vector<std::string> problems;
    for (const auto& p : r.problems)
        problems.push_back(p.where + ": " + p.message);
    INFO(Catch::Detail::stringify(problems));
    REQUIRE(problems.size() == 3);
    CHECK_THAT(problems[0],
               Catch::StartsWith("observations.csv:2:value") && Catch::Contains("is not one of: yes, partly, no"));
    CHECK_THAT(problems[1], Catch::StartsWith("observations.csv:3:indicator") && Catch::Contains("unknown indicator"));
    CHECK_THAT(problems[2], Catch::StartsWith("observations.csv:4:assessor") && Catch::Contains("unknown assessor"));
    CHECK(test::scalar(m.conn, "SELECT count(*) FROM observation") == before);
}

TEST_CASE("Exports carry ratings as node attributes that networkx reads")
{
    Map m;
    test::TempDir dir;
    auto path = (dir.path() / "map.graphml").string();
    auto out = m.govmap({"export", "--format", "graphml", "--framework", "f", "--out", path});
    INFO(out.all());
    REQUIRE(out.code == 0);
    bool networkx = std::system("python3 -c 'import networkx' 2>/dev/null") == 0;
    if (!test::require_or_skip(networkx, "reading GraphML needs Python's networkx"))
        return;
    std::string cmd = "python3 -c 'import networkx as nx, sys; g = nx.read_graphml(sys.argv[1]); "
                      "n = g.nodes[\"mechanism:m1\"]; "
                      "assert (n[\"rating_c1\"], n[\"rating_c2\"], n[\"rating_c3\"], n[\"rating_c4\"]) == "
                      "(\"met\", \"not_met\", \"partly\", \"unknown\"), n; "
                      "assert g.nodes[\"mechanism:m4\"][\"rating_c1\"] == \"unknown\"; "
                      "assert \"rating_c1\" not in g.nodes[\"area:x.one\"]' " +
                      path;
    CHECK(std::system(cmd.c_str()) == 0);
}

TEST_CASE("The bundled map rates the IGF on each of the twelve items of its mandate")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    std::vector<importer::InputFile> files;
    for (const auto& f : seed::bundled_files())
        files.push_back({f.name, f.text, std::nullopt, std::nullopt});
    importer::Options o;
    o.contributor = "govmap-seed";
    o.check_duplicates = false;
    REQUIRE(importer::import(conn, files, o).problems.empty());
    auto out = test::run_govmap({"evaluate", "igf", "--framework", "tunis-72", "--format", "json"},
                                {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
    INFO(out.err);
    REQUIRE(out.code == 0);
    auto j = nlohmann::json::parse(out.out);
    REQUIRE(j["mechanisms"].size() == 1);
    const auto& criteria = j["mechanisms"][0]["criteria"];
    REQUIRE(criteria.size() == 12);
    std::string letters;
    for (const auto& c : criteria) {
        letters += c["key"].get<std::string>().substr(std::string("tunis-72.").size());
        CHECK_THAT(c["rating"].get<std::string>(), Catch::Equals("met") || Catch::Equals("partly") ||
                                                       Catch::Equals("not_met") || Catch::Equals("disputed") ||
                                                       Catch::Equals("unknown"));
        // Every rating other than unknown rests on an observation with a source.
        if (c["rating"] != "unknown")
            for (const auto& i : c["indicators"])
                for (const auto& obs : i["observations"])
                    CHECK(obs["source"]["url"].is_string());
    }
    CHECK(letters == "abcdefghijkl");
    // The text report names every item too.
    auto text =
        test::run_govmap({"evaluate", "igf", "--framework", "tunis-72"}, {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
    for (char c = 'a'; c <= 'l'; ++c)
        CHECK(text.out.find(std::string("(") + c + ")") != std::string::npos);
}

TEST_CASE("evaluate writes text, Markdown, JSON, CSV and HTML that their readers accept")
{
    Map m;
    test::TempDir dir;
    for (const std::string format : {"text", "markdown", "json", "csv", "html"}) {
        auto path = (dir.path() / ("e." + format)).string();
        auto out = m.govmap({"evaluate", "--format", format, "--out", path});
        INFO(format << ": " << out.all());
        REQUIRE(out.code == 0);
    }
    auto j = nlohmann::json::parse(read_file(dir.path() / "e.json"));
    CHECK(j["mechanisms"].size() == 4);
    CHECK(j["disagreements"].size() == 1);
    // CSV: one row per mechanism and criterion (4 x 4), read by Python's csv module.
    std::string csv_check =
        "python3 -c 'import csv, sys; rows = list(csv.DictReader(open(sys.argv[1], newline=\"\"))); "
        "assert len(rows) == 16, len(rows); "
        "assert {r[\"rating\"] for r in rows if r[\"mechanism\"] == \"m1\"} == "
        "{\"met\", \"not_met\", \"partly\", \"unknown\"}' " +
        (dir.path() / "e.csv").string();
    CHECK(std::system(csv_check.c_str()) == 0);
    // HTML: Python's parser sees the matrix with a row per mechanism.
    std::string html_check = "python3 -c 'import sys; from html.parser import HTMLParser\n"
                             "class P(HTMLParser):\n"
                             "    rows = 0\n"
                             "    def handle_starttag(self, tag, attrs):\n"
                             "        if tag == \"tr\": P.rows += 1\n"
                             "P().feed(open(sys.argv[1]).read()); assert P.rows == 5, P.rows' " +
                             (dir.path() / "e.html").string();
    CHECK(std::system(html_check.c_str()) == 0);
    auto md = read_file(dir.path() / "e.markdown");
    CHECK(md.find("| Mechanism | Criterion one | Criterion two | Criterion three | Criterion four |") !=
          std::string::npos);
    CHECK(md.find("| Mechanism One | met 2/2 | not met 1/1 | partly 2/2 | unknown |") != std::string::npos);
}

TEST_CASE("govmap check lists an observation without a source")
{
    Map m;
    CHECK(m.govmap({"check", "--format", "csv"}).out.find("observation_source") == std::string::npos);
    importer::Options o;
    o.contributor = "test";
    REQUIRE(
        importer::import(m.conn, {{"observations.csv", "mechanism,indicator,assessor,value\nm4,i1,a,yes\n", {}, {}}}, o)
            .problems.empty());
    auto out = m.govmap({"check", "--format", "csv"});
    CHECK(out.code == 5);
    CHECK(out.out.find("observation_source") != std::string::npos);
    CHECK(out.out.find("i1 by a") != std::string::npos);
}
