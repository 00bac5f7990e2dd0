// Gap findings on small maps whose right answers are derived by hand in the
// comments next to each map.
#include "analysis/gaps.hpp"
#include "importer/importer.hpp"
#include "review/review.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace govmap;

namespace {

// One cluster c, areas a1 (issues i1, i2), a2 (issues i3, i4), a3 (no issue);
// issue i5 under a1 for the linkage graph.
//
//   mechanism  scope     model              centrality  regions         addresses
//   g1         global    multistakeholder   core        -               i1
//   r1         regional  intergovernmental  core        europe          i1
//   n1         national  intergovernmental  adjacent    western-europe  i4
//   x1         global    intergovernmental  adjacent    -               i2 (secondary)
//   n2         national  intergovernmental  adjacent    -               i2
//   a,b,c,d,e  global    multistakeholder   core        -               i5
//   hub        global    multistakeholder   core        -               nothing
//   d1..d4     global    intergovernmental  core        -               nothing
//
// Relations: a - hub - b, c - d (cooperates_with); d1 part_of d2 part_of d3 part_of d4.
// Stakeholders: g1 involves civil_society, r1, x1, n1, n2 involve governments.
// Open participation: g1, a, b, c, d, e and hub (so they are multistakeholder
// by the participation rule; the others have one group deciding).
// Assessments: g1 openness 1, r1 openness 0, g1 transparency 3.
const char* const areas_csv = "code,name,level,parent\n"
                              "c,Cluster,cluster,\n"
                              "c.a1-area,Area one,area,c\n"
                              "c.a2-area,Area two,area,c\n"
                              "c.a3-area,Area three,area,c\n"
                              "c.i1,Issue one,issue,c.a1-area\n"
                              "c.i2,Issue two,issue,c.a1-area\n"
                              "c.i3,Issue three,issue,c.a2-area\n"
                              "c.i4,Issue four,issue,c.a2-area\n"
                              "c.i5,Issue five,issue,c.a1-area\n";
const char* const mechanisms_csv = "slug,name,kind,scope,model,centrality,open_participation\n"
                                   "g1,G1,forum,global,multistakeholder,core,true\n"
                                   "r1,R1,organisation,regional,intergovernmental,core,\n"
                                   "n1,N1,organisation,national,intergovernmental,adjacent,\n"
                                   "x1,X1,organisation,global,intergovernmental,adjacent,\n"
                                   "n2,N2,organisation,national,intergovernmental,adjacent,\n"
                                   "a,A,forum,global,multistakeholder,core,yes\n"
                                   "b,B,forum,global,multistakeholder,core,yes\n"
                                   "c,C,forum,global,multistakeholder,core,yes\n"
                                   "d,D,forum,global,multistakeholder,core,yes\n"
                                   "e,E,forum,global,multistakeholder,core,yes\n"
                                   "hub,Hub,forum,global,multistakeholder,core,1\n"
                                   "d1,D1,process,global,intergovernmental,core,\n"
                                   "d2,D2,process,global,intergovernmental,core,\n"
                                   "d3,D3,organisation,global,intergovernmental,core,\n"
                                   "d4,D4,organisation,global,intergovernmental,core,\n";
const char* const links_csv = "mechanism,area,strength\n"
                              "g1,c.i1,primary\nr1,c.i1,primary\nn1,c.i4,primary\nx1,c.i2,secondary\nn2,c.i2,primary\n"
                              "a,c.i5,primary\nb,c.i5,primary\nc,c.i5,primary\nd,c.i5,primary\ne,c.i5,primary\n";
const char* const relations_csv = "from,kind,to\n"
                                  "a,cooperates_with,hub\nhub,cooperates_with,b\nc,cooperates_with,d\n"
                                  "d1,part_of,d2\nd2,part_of,d3\nd3,reports_to,d4\n";
const char* const regions_csv = "mechanism,region\nr1,europe\nn1,western-europe\n";
const char* const stakeholders_csv =
    "mechanism,group\ng1,civil_society\nr1,governments\nx1,governments\nn1,governments\nn2,governments\n";
const char* const assessments_csv = "mechanism,principle,score\ng1,openness,1\nr1,openness,0\ng1,transparency,3\n";

struct Map {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    Map()
    {
        importer::Options o;
        o.contributor = "test";
        auto r = importer::import(conn,
                                  {{"areas.csv", areas_csv, {}, {}},
                                   {"mechanisms.csv", mechanisms_csv, {}, {}},
                                   {"mechanism_areas.csv", links_csv, {}, {}},
                                   {"relations.csv", relations_csv, {}, {}},
                                   {"regions.csv", regions_csv, {}, {}},
                                   {"stakeholders.csv", stakeholders_csv, {}, {}},
                                   {"assessments.csv", assessments_csv, {}, {}}},
                                  o);
        for (const auto& p : r.problems)
            UNSCOPED_INFO(p.where << ": " << p.message);
        REQUIRE(r.problems.empty());
    }
    analysis::GapReport gaps(analysis::GapOptions o = {}) { return analysis::analyse(conn, o); }
};

const analysis::NodeCoverage& node(const analysis::GapReport& r, const std::string& code)
{
    auto it = std::find_if(r.nodes.begin(), r.nodes.end(), [&](const auto& n) { return n.code == code; });
    REQUIRE(it != r.nodes.end());
    return *it;
}

/// "kind@node" for every finding of these kinds, sorted.
std::vector<std::string> found(const analysis::GapReport& r, std::set<std::string> kinds)
{
    std::vector<std::string> out;
    for (const auto& f : r.findings)
        if (kinds.count(f.kind))
            out.push_back(f.kind + "@" + f.node.value_or("(map)"));
    std::sort(out.begin(), out.end());
    return out;
}

const analysis::Finding* find(const analysis::GapReport& r, const std::string& kind, const std::string& node)
{
    for (const auto& f : r.findings)
        if (f.kind == kind && f.node.value_or("(map)") == node)
            return &f;
    return nullptr;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("Coverage rolls up from issues to areas and the cluster, counting each mechanism once")
{
    Map m;
    auto r = m.gaps();
    CHECK(node(r, "c.i1").mechanisms == 2);
    CHECK(node(r, "c.i2").mechanisms == 2);
    CHECK(node(r, "c.i3").mechanisms == 0);
    // a1 = i1 + i2 + i5: g1, r1, x1, n2, a, b, c, d, e.
    CHECK(node(r, "c.a1-area").mechanisms == 9);
    CHECK(node(r, "c.a1-area").counts.at("scope").at("national") == 1);
    CHECK(node(r, "c.a1-area").counts.at("centrality").at("adjacent") == 2);
    CHECK(node(r, "c.a2-area").mechanisms == 1);
    // The cluster: a1's nine plus n1.
    CHECK(node(r, "c").mechanisms == 10);
    CHECK(node(r, "c").covering == V{"a", "b", "c", "d", "e", "g1", "n1", "n2", "r1", "x1"});
}

TEST_CASE("uncovered, thin, no_global, no_multistakeholder and adjacent_only follow the counts")
{
    Map m;
    auto r = m.gaps();
    // i3 and a3 have no mechanism; nothing else is reported for them.
    CHECK(found(r, {"uncovered"}) == V{"uncovered@c.a3-area", "uncovered@c.i3"});
    CHECK(find(r, "thin", "c.i3") == nullptr);
    CHECK(find(r, "uncovered", "c.i3")->severity == "high");
    // Only i4 and a2 (n1 alone) have fewer than 2.
    CHECK(found(r, {"thin"}) == V{"thin@c.a2-area", "thin@c.i4"});
    // i4/a2: n1 is national. i2: x1 is global, so not no_global.
    CHECK(found(r, {"no_global"}) == V{"no_global@c.a2-area", "no_global@c.i4"});
    // i2 (x1, n2) and i4/a2 (n1) have no multistakeholder mechanism; all three are adjacent-only.
    CHECK(found(r, {"no_multistakeholder"}) ==
          V{"no_multistakeholder@c.a2-area", "no_multistakeholder@c.i2", "no_multistakeholder@c.i4"});
    CHECK(found(r, {"adjacent_only"}) == V{"adjacent_only@c.a2-area", "adjacent_only@c.i2", "adjacent_only@c.i4"});
    CHECK(find(r, "adjacent_only", "c.i2")->mechanisms == V{"n2", "x1"});
}

TEST_CASE("The thin threshold follows --min-mechanisms")
{
    Map m;
    analysis::GapOptions o;
    o.min_mechanisms = 3;
    // Now i1 (2) and i2 (2) are thin too; a1 (9), c (10) and i5 (5) are not.
    CHECK(found(m.gaps(o), {"thin"}) == V{"thin@c.a2-area", "thin@c.i1", "thin@c.i2", "thin@c.i4"});
}

TEST_CASE("Only primary links count with --primary-only")
{
    Map m;
    analysis::GapOptions o;
    o.primary_only = true;
    auto r = m.gaps(o);
    // x1 addresses i2 only secondarily.
    CHECK(node(r, "c.i2").covering == V{"n2"});
    CHECK(find(r, "no_global", "c.i2") != nullptr);
}

TEST_CASE("A global mechanism counts for every region unless --strict-regions")
{
    Map m;
    analysis::GapOptions o;
    o.by_region = true;
    auto r = m.gaps(o);
    // i1 has g1 (global): no region is missing.
    for (const auto& f : r.findings)
        CHECK_FALSE((f.kind == "region_missing" && f.node == std::string("c.i1")));
    // i4 has only n1, explicitly in western-europe: that region is covered,
    // its parent europe is not, nor any other region.
    CHECK(node(r, "c.i4").counts.at("region").at("western-europe") == 1);
    CHECK(node(r, "c.i4").counts.at("region").at("europe") == 0);
    auto region_missing_i4 = std::count_if(r.findings.begin(), r.findings.end(), [](const auto& f) {
        return f.kind == "region_missing" && f.node == std::string("c.i4");
    });
    CHECK(region_missing_i4 == static_cast<long>(r.regions.size()) - 1);

    o.strict_regions = true;
    r = m.gaps(o);
    // Strict: g1 no longer counts; r1 covers europe and its four sub-regions.
    const auto& i1 = node(r, "c.i1");
    CHECK(i1.counts.at("region").at("europe") == 1);
    CHECK(i1.counts.at("region").at("western-europe") == 1);
    CHECK(i1.counts.at("region").at("africa") == 0);
    auto missing_i1 = std::count_if(r.findings.begin(), r.findings.end(), [](const auto& f) {
        return f.kind == "region_missing" && f.node == std::string("c.i1");
    });
    CHECK(missing_i1 == static_cast<long>(r.regions.size()) - 5);
    // A continent is medium, a sub-region low.
    bool africa_medium = false, western_africa_low = false;
    for (const auto& f : r.findings)
        if (f.kind == "region_missing" && f.node == std::string("c.i1")) {
            africa_medium |= f.detail.find("in Africa") != std::string::npos && f.severity == "medium";
            western_africa_low |= f.detail.find("in Western Africa") != std::string::npos && f.severity == "low";
        }
    CHECK(africa_medium);
    CHECK(western_africa_low);
}

TEST_CASE("region_missing is reported only with --by-region")
{
    Map m;
    CHECK(found(m.gaps(), {"region_missing"}).empty());
}

TEST_CASE("stakeholder_missing names each group no covering mechanism involves")
{
    Map m;
    auto r = m.gaps();
    // i1: g1 involves civil society, r1 governments; four groups are missing.
    std::vector<std::string> missing;
    for (const auto& f : r.findings)
        if (f.kind == "stakeholder_missing" && f.node == std::string("c.i1")) {
            auto said = f.detail.substr(f.detail.rfind("involves ") + 9);
            missing.push_back(said.substr(0, said.size() - 1));  // without the full stop
        }
    std::sort(missing.begin(), missing.end());
    CHECK(missing ==
          V{"Academia", "Intergovernmental and international organisations", "Private sector", "Technical community"});
}

TEST_CASE("A node served by one mechanism, or linked through one articulation point, has a single point of failure")
{
    Map m;
    auto r = m.gaps();
    // Exactly one mechanism: i4 and a2 (n1), high.
    auto spof_i4 = find(r, "single_point_of_failure", "c.i4");
    REQUIRE(spof_i4);
    CHECK(spof_i4->severity == "high");
    CHECK(spof_i4->mechanisms == V{"n1"});
    // i5 is covered by a, b, c, d, e; a and b are linked only through hub, which
    // does not address i5 itself: removing hub disconnects them.
    auto spof_i5 = find(r, "single_point_of_failure", "c.i5");
    REQUIRE(spof_i5);
    CHECK(spof_i5->severity == "medium");
    CHECK(spof_i5->mechanisms == V{"hub"});
    // Only hub: the c - d link has no articulation point, and e is alone.
    CHECK(std::count_if(r.findings.begin(), r.findings.end(), [](const auto& f) {
              return f.kind == "single_point_of_failure" && f.node == std::string("c.i5");
          }) == 1);
}

TEST_CASE("Mechanisms on one node in separate components are fragmented, with the components listed")
{
    Map m;
    auto r = m.gaps();
    auto f = find(r, "fragmented", "c.i5");
    REQUIRE(f);
    // {a, hub, b}, {c, d}, {e}: three groups of covering mechanisms.
    CHECK(f->detail.find("fall into 3 groups") != std::string::npos);
    // The largest group is counted; the others are named.
    CHECK(f->detail.find("a main group of 2 mechanisms") != std::string::npos);
    CHECK(f->detail.find("(E)") != std::string::npos);
    CHECK((f->detail.find("(A and B)") != std::string::npos) != (f->detail.find("(C and D)") != std::string::npos));
    // i1 (g1, r1) is fragmented too (no relation between them); i4 has one mechanism.
    CHECK(find(r, "fragmented", "c.i1") != nullptr);
    CHECK(find(r, "fragmented", "c.i4") == nullptr);
}

TEST_CASE("deep_nesting flags mechanisms the given number of part_of/reports_to levels down")
{
    Map m;
    auto r = m.gaps();
    // d1 -> d2 -> d3 -> d4: d1 is 3 levels down, d2 only 2.
    REQUIRE(found(r, {"deep_nesting"}) == V{"deep_nesting@(map)"});
    auto f = find(r, "deep_nesting", "(map)");
    CHECK(f->mechanisms == V{"d1"});
    CHECK(f->detail == "D1 is 3 levels down part_of/reports_to chains (D2 > D3 > D4).");
    analysis::GapOptions o;
    o.max_depth = 2;
    CHECK(found(m.gaps(o), {"deep_nesting"}).size() == 2);
    o.max_depth = 4;
    CHECK(found(m.gaps(o), {"deep_nesting"}).empty());
}

TEST_CASE("low_assessment fires when every assessed mechanism on a node scores 1 or less on a principle")
{
    Map m;
    auto r = m.gaps();
    // i1: g1 (1) and r1 (0) on openness; transparency has g1 at 3.
    auto f = find(r, "low_assessment", "c.i1");
    REQUIRE(f);
    CHECK(f->detail.find("openness") != std::string::npos);
    CHECK(f->detail.find("(2 assessed)") != std::string::npos);
    CHECK(std::count_if(r.findings.begin(), r.findings.end(),
                        [](const auto& x) { return x.kind == "low_assessment"; }) >= 1);
    for (const auto& x : r.findings)
        CHECK_FALSE((x.kind == "low_assessment" && x.detail.find("transparency") != std::string::npos));
}

TEST_CASE("Brokers are ranked by betweenness: hub lies on the only a-b path")
{
    Map m;
    auto r = m.gaps();
    REQUIRE_FALSE(r.brokers.empty());
    auto n = std::stod(test::scalar(m.conn, "SELECT count(*) FROM mechanism"));
    // hub is on the one shortest path of 1 of the (n-1)(n-2)/2 pairs; d2 and
    // d3 each lie on the paths of two pairs in the d1-d2-d3-d4 chain.
    std::map<std::string, double> b;
    for (const auto& x : r.brokers)
        b[x.slug] = x.betweenness;
    CHECK(b.at("hub") == Approx(1.0 / ((n - 1) * (n - 2) / 2)));
    CHECK(b.at("d2") == Approx(2.0 / ((n - 1) * (n - 2) / 2)));
    CHECK(b.count("a") == 0);
}

TEST_CASE("Proposed rows are left out by default and counted with --include-proposed")
{
    Map m;
    importer::Options o;
    o.contributor = "test";
    o.status = "proposed";
    auto imp = importer::import(
        m.conn,
        {{"mechanisms.csv", "slug,name,kind,scope,model\np1,P1,forum,global,multistakeholder\n", {}, {}},
         {"mechanism_areas.csv", "mechanism,area\np1,c.a3-area\n", {}, {}}},
        o);
    REQUIRE(imp.problems.empty());
    CHECK(find(m.gaps(), "uncovered", "c.a3-area") != nullptr);
    REQUIRE(imp.proposal);
    analysis::GapOptions g;
    g.include_proposed = true;
    CHECK_THROWS_AS(m.gaps(g), std::invalid_argument);  // proposals are applied only through review::open_map
    auto tx = review::open_map(m.conn, true);
    auto r = analysis::analyse(tx, g);
    CHECK(find(r, "uncovered", "c.a3-area") == nullptr);
    CHECK(node(r, "c.a3-area").covering == V{"p1"});
}

TEST_CASE("The options --level, --under and --kinds narrow the report")
{
    Map m;
    analysis::GapOptions o;
    o.under = "c.a2-area";
    auto r = m.gaps(o);
    V codes;
    for (const auto& n : r.nodes)
        codes.push_back(n.code);
    CHECK(codes == V{"c.a2-area", "c.i3", "c.i4"});
    o = {};
    o.level = "area";
    r = m.gaps(o);
    for (const auto& n : r.nodes)
        CHECK(n.level == "area");
    CHECK(r.nodes.size() == 3);
    o = {};
    o.kinds = {"uncovered"};
    r = m.gaps(o);
    CHECK(found(r, {"uncovered"}).size() == r.findings.size());
    CHECK(r.findings.size() == 2);
    o.kinds = {"no_such_kind"};
    CHECK_THROWS_AS(m.gaps(o), std::invalid_argument);
}

TEST_CASE("govmap gaps refuses unknown codes and kinds with exit code 2")
{
    Map m;
    test::RunOptions env{{{"GOVMAP_DB", m.tdb.conninfo()}}, {}, {}};
    auto out = test::run_govmap({"gaps", "--under", "nowhere"}, env);
    CHECK(out.code == 2);
    CHECK(out.err.find("unknown taxonomy code 'nowhere'") != std::string::npos);
    out = test::run_govmap({"gaps", "--kinds", "uncovered,bogus"}, env);
    CHECK(out.code == 2);
    CHECK(out.err.find("unknown finding kind 'bogus'") != std::string::npos);
    out = test::run_govmap({"gaps", "--kinds", "uncovered"}, env);
    CHECK(out.code == 0);
    CHECK(out.out.find("c.a3-area") != std::string::npos);
}

TEST_CASE("A node's findings merge into one finding per concern, with its reasons in a sentence")
{
    Map m;
    auto r = m.gaps();
    // a2 = n1 alone: national, adjacent, only governments deciding.
    const analysis::Concern* a2 = nullptr;
    for (const auto& c : r.concerns)
        if (c.node == std::string("c.a2-area") && c.concern == "coverage")
            a2 = &c;
    REQUIRE(a2 != nullptr);
    CHECK(a2->severity == "high");
    CHECK(a2->basis == "coverage");
    CHECK(a2->kinds == V{"single_point_of_failure", "thin", "no_global", "no_multistakeholder", "adjacent_only"});
    CHECK(a2->detail == "Area two: 1 mechanism (single point of failure): N1; national only; not multistakeholder "
                        "(open to all, or two or more stakeholder groups deciding); adjacent bodies only (central "
                        "role outside Internet governance).");
    // One stakeholder concern per node, its groups joined.
    std::size_t i1_participation = 0;
    for (const auto& c : r.concerns)
        if (c.node == std::string("c.i1") && c.concern == "participation") {
            ++i1_participation;
            CHECK(c.detail == "Issue one: no covering mechanism involves Private sector, Technical community, "
                              "Academia or Intergovernmental and international organisations.");
        }
    CHECK(i1_participation == 1);
    // Every raw finding belongs to exactly one concern.
    std::size_t kinds = 0;
    for (const auto& c : r.concerns)
        kinds += c.kinds.size();
    CHECK(kinds <= r.findings.size());
    CHECK(r.concerns.size() < r.findings.size());
}

TEST_CASE("Then and now lists, per node, the mechanisms added and the findings that appeared or were resolved")
{
    // p1 joins c.a3-area (uncovered before) in 2020: as of 2026 compared with 2010, a3 gains p1 and its
    // "uncovered" finding is resolved.
    Map m;
    importer::Options o;
    o.contributor = "test";
    auto imp = importer::import(m.conn,
                                {{"mechanisms.csv",
                                  "slug,name,kind,scope,model,founded\np1,P1,forum,global,"
                                  "multistakeholder,2020\n",
                                  {},
                                  {}},
                                 {"mechanism_areas.csv", "mechanism,area\np1,c.a3-area\n", {}, {}}},
                                o);
    REQUIRE(imp.problems.empty());
    analysis::GapOptions g;
    g.as_of = 2026;
    g.compare = 2010;
    auto r = m.gaps(g);
    REQUIRE(r.comparison);
    CHECK(r.comparison->year == 2010);
    const analysis::NodeChange* a3 = nullptr;
    for (const auto& n : r.comparison->nodes)
        if (n.code == "c.a3-area")
            a3 = &n;
    REQUIRE(a3 != nullptr);
    CHECK(a3->added == V{"P1"});
    CHECK(a3->ended.empty());
    REQUIRE(a3->resolved.size() == 1);
    CHECK(a3->resolved[0] == "Area three: no mechanism addresses it.");
    // p1 alone now: a single point of failure appeared.
    REQUIRE_FALSE(a3->appeared.empty());
    CHECK(a3->appeared[0].find("1 mechanism (single point of failure): P1") != std::string::npos);
    // A node nothing happened to is not listed.
    for (const auto& n : r.comparison->nodes)
        CHECK(n.code != "c.i3");
}

TEST_CASE("Then and now over a recorded date rebuilds the map from history and leaves it as it is")
{
    // After the map was recorded at `moment`, p1 began to address c.a3-area and x1 was removed.
    // Then: a3 uncovered, c.i2 covered by n2 and x1. Now: a3 covered by p1 (its "uncovered" resolved),
    // c.i2 by n2 alone (x1 ended).
    Map m;
    auto moment = test::scalar(m.conn, R"(SELECT to_char((date_trunc('second', clock_timestamp()) + interval '1 second')
                                                         AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))");
    test::scalar(m.conn, "SELECT pg_sleep(1.2)::text");
    importer::Options o;
    o.contributor = "test";
    auto added = importer::import(
        m.conn,
        {{"mechanisms.csv", "slug,name,kind,scope,model\np1,P1,forum,global,multistakeholder\n", {}, {}},
         {"mechanism_areas.csv", "mechanism,area\np1,c.a3-area\n", {}, {}}},
        o);
    REQUIRE(added.problems.empty());
    o.remove = true;
    auto removed = importer::import(m.conn, {{"mechanisms.csv", "slug\nx1\n", {}, {}}}, o);
    REQUIRE(removed.problems.empty());
    REQUIRE(removed.counts.at("mechanisms").removed == 1);

    CHECK(analysis::recorded_moment(m.conn, moment) == moment);
    auto then = analysis::analyse_recorded(m.conn, {}, moment);
    CHECK(node(then, "c.a3-area").covering.empty());
    CHECK(node(then, "c.i2").covering == V{"n2", "x1"});
    CHECK(find(then, "uncovered", "c.a3-area") != nullptr);

    auto now = m.gaps();
    CHECK(node(now, "c.a3-area").covering == V{"p1"});
    CHECK(node(now, "c.i2").covering == V{"n2"});
    auto c = analysis::compare(then, now, std::nullopt, moment);
    std::map<std::string, analysis::NodeChange> by_code;
    for (const auto& n : c.nodes)
        by_code[n.code] = n;
    REQUIRE(by_code.count("c.a3-area"));
    CHECK(by_code["c.a3-area"].added == V{"P1"});
    CHECK(by_code["c.a3-area"].resolved == V{"Area three: no mechanism addresses it."});
    REQUIRE(by_code.count("c.i2"));
    CHECK(by_code["c.i2"].ended == V{"X1"});
    CHECK_FALSE(by_code.count("c.i3"));

    // Rebuilding the past changed nothing that stays.
    CHECK(test::scalar(m.conn, "SELECT string_agg(slug, ',' ORDER BY slug) FROM mechanism WHERE slug IN "
                               "('p1', 'x1')") == "p1");
    // Nor can anyone commit it: the rebuilt map is a preview.
    {
        auto tx = m.conn.begin();
        tx.exec("SELECT rewind_map($1::timestamptz)", {moment});
        CHECK(tx.exec("SELECT count(*) AS n FROM mechanism WHERE slug = 'x1'").text(0, "n") == "1");
        try {
            tx.commit();
            FAIL("a rebuilt map was committed");
        } catch (const db::Error& e) {
            CHECK(e.sqlstate() == "42501");
        }
    }
    CHECK(test::scalar(m.conn, "SELECT count(*) FROM mechanism WHERE slug = 'x1'") == "0");
    // Before history began there is nothing to rebuild from.
    CHECK_THROWS_WITH(analysis::analyse_recorded(m.conn, {}, "2001-01-01T00:00:00Z"),
                      Catch::Contains("history begins at"));
    CHECK_THROWS_AS(analysis::recorded_moment(m.conn, "last tuesday"), std::invalid_argument);

    // Through the command: JSON names the recorded moment; a bad one is a usage error.
    auto out = test::run_govmap({"gaps", "--as-of", "all", "--compare", moment, "--format", "json"},
                                {{{"GOVMAP_DB", m.tdb.conninfo()}}, {}, {}});
    INFO(out.all());
    REQUIRE(out.code == 0);
    auto j = nlohmann::json::parse(out.out);
    CHECK(j["comparison"]["recorded"] == moment);
    CHECK(j["comparison"]["year"].is_null());
    auto bad = test::run_govmap({"gaps", "--compare", "2026-02-30"}, {{{"GOVMAP_DB", m.tdb.conninfo()}}, {}, {}});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--compare") != std::string::npos);
}
