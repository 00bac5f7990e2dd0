// Map v2's rules on small maps whose answers are derived by hand: the
// participation rule for "multistakeholder", data gaps versus coverage gaps,
// the map as of a year, observatories, and govmap check.
#include "analysis/gaps.hpp"
#include "graph/linkage.hpp"
#include "importer/importer.hpp"
#include "queries/check.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

using namespace govmap;

namespace {

using V = std::vector<std::string>;

struct Map {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    explicit Map(std::vector<importer::InputFile> files)
    {
        importer::Options o;
        o.contributor = "test";
        auto r = importer::import(conn, files, o);
        for (const auto& p : r.problems)
            UNSCOPED_INFO(p.where << ": " << p.message);
        REQUIRE(r.problems.empty());
    }
    analysis::GapReport gaps(analysis::GapOptions o = {}) { return analysis::analyse(conn, o); }
};

const analysis::Finding* find(const analysis::GapReport& r, const std::string& kind, const std::string& node)
{
    for (const auto& f : r.findings)
        if (f.kind == kind && f.node.value_or("(map)") == node)
            return &f;
    return nullptr;
}

const analysis::NodeCoverage& node(const analysis::GapReport& r, const std::string& code)
{
    auto it = std::find_if(r.nodes.begin(), r.nodes.end(), [&](const auto& n) { return n.code == code; });
    REQUIRE(it != r.nodes.end());
    return *it;
}

const char* const taxonomy = "code,name,level,parent\nc,Cluster,cluster,\nc.x,X,area,c\n"
                             "c.a,Issue A,issue,c.x\nc.b,Issue B,issue,c.x\nc.c,Issue C,issue,c.x\n"
                             "c.d,Issue D,issue,c.x\nc.e,Issue E,issue,c.x\n";

// Participation, by hand:
//   open     open_participation true                            -> multistakeholder
//   two      governments and private sector decide              -> multistakeholder
//   govigo   governments and an IGO decide (one group)          -> not
//   consult  governments decide, civil society is consulted     -> not
//   unknown  no participation data                              -> unknown
//   treaty   an instrument with no rows, convened_by two        -> inherits: multistakeholder
//   lonely   an instrument with no rows and no adopting body    -> unknown
// Issues: a = govigo + consult (coverage gap), b = govigo + unknown (data
// gap), c = open, d = treaty, e = two + unknown (no gap: one is known to be).
Map participation_map()
{
    return Map({{"areas.csv", taxonomy, {}, {}},
                {"mechanisms.csv",
                 "slug,name,kind,scope,model,open_participation\n"
                 "open,Open,forum,global,multistakeholder,true\n"
                 "two,Two,organisation,global,intergovernmental,\n"
                 "govigo,GovIgo,organisation,global,intergovernmental,\n"
                 "consult,Consult,organisation,global,intergovernmental,\n"
                 "unknown,Unknown,organisation,global,intergovernmental,\n"
                 "treaty,Treaty,instrument,global,intergovernmental,\n"
                 "lonely,Lonely,instrument,global,intergovernmental,\n",
                 {},
                 {}},
                {"stakeholders.csv",
                 "mechanism,group,role\n"
                 "two,governments,member\ntwo,private_sector,member\n"
                 "govigo,governments,member\ngovigo,intergovernmental_organisations,member\n"
                 "consult,governments,member\nconsult,civil_society,consulted\n",
                 {},
                 {}},
                {"relations.csv", "from,kind,to\ntreaty,convened_by,two\n", {}, {}},
                {"mechanism_areas.csv",
                 "mechanism,area\ngovigo,c.a\nconsult,c.a\ngovigo,c.b\nunknown,c.b\nopen,c.c\ntreaty,c.d\ntwo,c.e\n"
                 "unknown,c.e\nlonely,c.e\n",
                 {},
                 {}}});
}

}  // namespace

TEST_CASE("Multistakeholder is derived from participation: open, or two groups deciding, IGOs counted with governments")
{
    auto m = participation_map();
    auto tx = m.conn.begin();
    auto r = tx.exec("SELECT x.slug, p.multistakeholder::text AS ms, p.known::text AS known, "
                     "p.inherited::text AS inherited, p.deciding_groups::text AS groups "
                     "FROM participation() p JOIN mechanism x ON x.id = p.mechanism_id ORDER BY x.slug");
    std::map<std::string, std::string> got;
    for (std::size_t i = 0; i < r.size(); ++i)
        got[r.text(i, "slug")] =
            r.text(i, "ms") + "/" + r.text(i, "known") + "/" + r.text(i, "inherited") + "/" + r.text(i, "groups");
    CHECK(got == std::map<std::string, std::string>{{"consult", "false/true/false/1"},
                                                    {"govigo", "false/true/false/1"},
                                                    {"lonely", "false/false/false/0"},
                                                    {"open", "true/true/false/0"},
                                                    {"treaty", "true/true/true/2"},
                                                    {"two", "true/true/false/2"},
                                                    {"unknown", "false/false/false/0"}});
}

TEST_CASE("no_multistakeholder is a coverage gap when participation is known and a data gap when it is not")
{
    auto m = participation_map();
    auto r = m.gaps();
    REQUIRE(find(r, "no_multistakeholder", "c.a") != nullptr);
    CHECK(find(r, "no_multistakeholder", "c.a")->basis == "coverage");
    REQUIRE(find(r, "no_multistakeholder", "c.b") != nullptr);
    CHECK(find(r, "no_multistakeholder", "c.b")->basis == "data");
    CHECK(find(r, "no_multistakeholder", "c.b")->detail.find("not recorded for 1 of 2") != std::string::npos);
    CHECK(find(r, "no_multistakeholder", "c.c") == nullptr);
    CHECK(find(r, "no_multistakeholder", "c.d") == nullptr);              // inherited from the adopting body
    CHECK(find(r, "no_multistakeholder", "c.e") == nullptr);              // one covering mechanism is known to be
    CHECK(node(r, "c.e").counts.at("unknown").at("participation") == 2);  // unknown and lonely
    // stakeholder_missing rests on missing data where a covering mechanism's
    // participation is unknown (b, e); the treaty on d involves what its
    // adopting body involves (governments, private sector).
    for (const auto& f : r.findings)
        if (f.kind == "stakeholder_missing" && f.node) {
            INFO(f.detail);
            CHECK(f.basis ==
                  (*f.node == "c.b" || *f.node == "c.e" || *f.node == "c.x" || *f.node == "c" ? "data" : "coverage"));
        }
    CHECK(node(r, "c.d").counts.at("stakeholder").at("private_sector") == 1);
}

namespace {

// Time, by hand. Mechanisms: old 1990-2010 and new 2012- on issue a; gdc 2024-
// on issue b; wg 2013-2014 on issue b; fn (the function) operated_by old until
// 2011, by new from 2012; both on issue c through fn.
//   as of 2005: a = {old}, b = {}, c = {fn}; fn - old linked
//   as of 2011: a = {} (old ended 2010, new not yet), b = {}
//   as of 2014: a = {new}, b = {wg}; fn - new linked
//   as of 2026: a = {new}, b = {gdc}
Map time_map()
{
    return Map({{"areas.csv", taxonomy, {}, {}},
                {"mechanisms.csv",
                 "slug,name,kind,scope,model,status,founded,ended\n"
                 "old,Old,organisation,global,intergovernmental,concluded,1990,2010\n"
                 "new,New,organisation,global,intergovernmental,active,2012,\n"
                 "gdc,GDC,instrument,global,intergovernmental,active,2024,\n"
                 "wg,WG,process,global,intergovernmental,concluded,2013,2014\n"
                 "fn,Function,process,global,intergovernmental,active,1988,\n",
                 {},
                 {}},
                {"relations.csv",
                 "from,kind,to,valid_from,valid_to\nfn,operated_by,old,,2011\nfn,operated_by,new,2012,\n",
                 {},
                 {}},
                {"mechanism_areas.csv", "mechanism,area\nold,c.a\nnew,c.a\ngdc,c.b\nwg,c.b\nfn,c.c\n", {}, {}}});
}

V covering(const analysis::GapReport& r, const std::string& code) { return node(r, code).covering; }

}  // namespace

TEST_CASE("The option --as-of shows the map as it stood during that year: mechanisms by their years, links by theirs")
{
    auto m = time_map();
    auto at = [&](int year) {
        analysis::GapOptions o;
        o.as_of = year;
        return m.gaps(o);
    };
    CHECK(covering(at(2005), "c.a") == V{"old"});
    CHECK(covering(at(2005), "c.b").empty());
    CHECK(covering(at(2011), "c.a").empty());
    CHECK(find(at(2011), "uncovered", "c.a") != nullptr);
    CHECK(covering(at(2014), "c.a") == V{"new"});
    CHECK(covering(at(2014), "c.b") == V{"wg"});
    CHECK(covering(at(2026), "c.b") == V{"gdc"});
    // All time: every mechanism ever.
    CHECK(covering(m.gaps(), "c.a") == V{"new", "old"});

    // The linkage graph: who operates the function depends on the year.
    auto links_at = [&](std::optional<int> year) {
        auto g = graph::load_linkage(m.conn, {false, false, year, false});
        V pairs;
        for (auto [a, b] : g.links)  // a link has no direction: name its ends in order
            pairs.push_back(std::min(g.slug[a], g.slug[b]) + "-" + std::max(g.slug[a], g.slug[b]));
        std::sort(pairs.begin(), pairs.end());
        return pairs;
    };
    CHECK(links_at(2005) == V{"fn-old"});
    CHECK(links_at(2014) == V{"fn-new"});
    CHECK(links_at(std::nullopt) == V{"fn-new", "fn-old"});
}

TEST_CASE("Observatories are on the map but count as coverage and in the linkage graph only when asked")
{
    Map m({{"areas.csv", taxonomy, {}, {}},
           {"mechanisms.csv",
            "slug,name,kind,scope,model\nbody,Body,organisation,global,intergovernmental\n"
            "watch,Watch,observatory,global,multistakeholder\nhub,Hub,organisation,global,intergovernmental\n",
            {},
            {}},
           {"relations.csv", "from,kind,to\nbody,cooperates_with,watch\nwatch,cooperates_with,hub\n", {}, {}},
           {"mechanism_areas.csv", "mechanism,area\nbody,c.a\nwatch,c.a\nwatch,c.b\n", {}, {}}});
    auto r = m.gaps();
    CHECK(covering(r, "c.a") == V{"body"});
    CHECK(find(r, "uncovered", "c.b") != nullptr);
    // Without the observatory, body and hub are unlinked: no broker at all.
    CHECK(r.brokers.empty());
    analysis::GapOptions o;
    o.with_observatories = true;
    auto w = m.gaps(o);
    CHECK(covering(w, "c.a") == V{"body", "watch"});
    REQUIRE(w.brokers.size() == 1);
    CHECK(w.brokers[0].slug == "watch");
}

TEST_CASE("A missing region on a regional mechanism makes region findings data gaps")
{
    Map m({{"areas.csv", taxonomy, {}, {}},
           {"mechanisms.csv",
            "slug,name,kind,scope,model\nr1,R1,organisation,regional,intergovernmental\n"
            "r2,R2,organisation,regional,intergovernmental\n",
            {},
            {}},
           {"regions.csv", "mechanism,region\nr1,europe\n", {}, {}},
           {"mechanism_areas.csv", "mechanism,area\nr1,c.a\nr2,c.b\n", {}, {}}});
    analysis::GapOptions o;
    o.by_region = true;
    auto r = m.gaps(o);
    bool a_seen = false, b_seen = false;
    for (const auto& f : r.findings) {
        if (f.kind != "region_missing" || !f.node)
            continue;
        if (*f.node == "c.a") {
            a_seen = true;
            CHECK(f.basis == "coverage");  // r1's region is known: Africa really lacks one
        }
        if (*f.node == "c.b") {
            b_seen = true;
            CHECK(f.basis == "data");  // r2 names no region
        }
    }
    CHECK(a_seen);
    CHECK(b_seen);
}

TEST_CASE("govmap check lists exactly what each mechanism lacks")
{
    // full: everything; bare: no year, no participation, no source, no area;
    // reg: regional without a region; done: concluded without an end year;
    // watch: an observatory needs no area link.
    Map m({{"sources.csv", "key,title\ns,Source\n", {}, {}},
           {"areas.csv", taxonomy, {}, {}},
           {"mechanisms.csv",
            "slug,name,kind,scope,model,status,founded,open_participation,source\n"
            "full,Full,forum,global,multistakeholder,active,2000,true,s\n"
            "bare,Bare,forum,global,multistakeholder,active,,,\n"
            "reg,Reg,forum,regional,multistakeholder,active,2001,true,s\n"
            "done,Done,process,global,multistakeholder,concluded,2002,true,s\n"
            "watch,Watch,observatory,global,multistakeholder,active,2003,true,s\n",
            {},
            {}},
           {"mechanism_areas.csv", "mechanism,area,source\nfull,c.a,s\nreg,c.a,s\ndone,c.a,\n", {}, {}}});
    auto tx = m.conn.begin();
    auto r = queries::missing_data(tx, false);
    V got;
    for (std::size_t i = 0; i < r.size(); ++i)
        got.push_back(r.text(i, "slug") + ":" + r.text(i, "item"));
    CHECK(got == V{"bare:founded", "bare:participation", "bare:source", "bare:areas", "done:ended", "done:link_source",
                   "reg:regions"});
}
