// Every validation rule of `govmap import`: the message names file, line and
// field, the exit code is 3, and the database is exactly as it was.
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>

using namespace govmap;

namespace {

const char* const base_sources = "key,title,url\ns1,Source one,https://example.org/one\n";
const char* const base_areas = "code,name,level,parent,source\n"
                               "security,Security,cluster,,s1\n"
                               "security.cybercrime-area,Cybercrime,area,security,s1\n"
                               "security.cybercrime,Cybercrime,issue,security.cybercrime-area,s1\n";
const char* const base_mechanisms = "slug,name,kind,scope,model,source\n"
                                    "budapest,Budapest Convention,instrument,regional,intergovernmental,s1\n"
                                    "t-cy,Cybercrime Convention Committee,forum,regional,intergovernmental,s1\n";
const char* const base_relations = "from,kind,to,source\nt-cy,part_of,budapest,s1\n";

struct Fixture {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    test::TempDir dir;

    Fixture()
    {
        auto out = import({dir.write("sources.csv", base_sources), dir.write("areas.csv", base_areas),
                           dir.write("mechanisms.csv", base_mechanisms), dir.write("relations.csv", base_relations)});
        INFO(out.all());
        REQUIRE(out.code == 0);
    }
    test::Output import(std::vector<std::string> args)
    {
        args.insert(args.begin(), "import");
        return test::run_govmap(args, {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
    }
    /// Imports `files` (name -> content) and checks that they are rejected
    /// with every expected "FILE:LINE:FIELD: message" and nothing changes.
    test::Output rejected(const std::vector<std::pair<std::string, std::string>>& files,
                          const std::vector<std::string>& expected)
    {
        std::vector<std::string> args;
        for (const auto& [name, text] : files)
            args.push_back(dir.write(name, text));
        std::string before = test::fingerprint(conn);
        auto out = import(args);
        INFO(out.err);
        CHECK(out.code == 3);
        for (const auto& e : expected)
            CHECK(out.err.find(dir.path().string() + "/" + e) != std::string::npos);
        CHECK(out.err.find("nothing was imported") != std::string::npos);
        CHECK(test::fingerprint(conn) == before);
        return out;
    }
};

const std::string mech_header = "slug,name,kind,scope,model\n";

}  // namespace

TEST_CASE("A missing required field is reported with its file, line and field")
{
    Fixture f;
    f.rejected(
        {{"mechanisms.csv", mech_header + "ok,Fine,forum,global,multistakeholder\nx,,forum,global,multistakeholder\n"}},
        {"mechanisms.csv:3:name: missing required field"});
}

TEST_CASE("An unknown column is reported on line 1 and a column a new record needs on its line")
{
    Fixture f;
    // Without a model column a row may only change an existing mechanism; x is new.
    f.rejected({{"mechanisms.csv", "slug,name,kind,scope,colour\nx,X,forum,global,blue\n"}},
               {"mechanisms.csv:1:colour: unknown column (expected: slug, name,",
                "mechanisms.csv:2:model: missing: required for a new mechanism"});
    f.rejected({{"mechanisms.csv", "name,kind\nX,forum\n"}}, {"mechanisms.csv:1:slug: missing required column"});
}

TEST_CASE("A bad enum value is reported with the allowed values")
{
    Fixture f;
    f.rejected({{"mechanisms.csv", mech_header + "x,X,forum,planetary,multistakeholder\n"}},
               {"mechanisms.csv:2:scope: 'planetary' is not one of: global, regional, national"});
}

TEST_CASE("Common spellings of an enumeration are accepted and a misspelling gets a suggestion")
{
    Fixture f;
    auto out = f.import({f.dir.write("mechanisms.csv", mech_header + "ms1,MS one,forum,Global,multi-stakeholder\n"
                                                                     "ms2,MS two,Forum,global,Multi stakeholder\n"
                                                                     "tc1,TC one,forum,global,Technical-Community\n")});
    INFO(out.all());
    REQUIRE(out.code == 0);
    CHECK(test::scalar(f.conn, "SELECT string_agg(slug || '=' || model || '/' || kind || '/' || scope, ' ' ORDER BY "
                               "slug) FROM mechanism WHERE slug IN ('ms1', 'ms2', 'tc1')") ==
          "ms1=multistakeholder/forum/global ms2=multistakeholder/forum/global "
          "tc1=technical_community/forum/global");
    f.rejected({{"mechanisms.csv", mech_header + "x,X,forum,global,mulitstakeholder\n"}},
               {"mechanisms.csv:2:model: 'mulitstakeholder' is not one of: intergovernmental, multistakeholder, "
                "private_sector, technical_community, civil_society (did you mean 'multistakeholder'?)"});
    // Nothing near enough: no suggestion.
    auto far = f.rejected({{"mechanisms.csv", mech_header + "x,X,forum,planetary,multistakeholder\n"}}, {});
    CHECK(far.err.find("did you mean") == std::string::npos);
}

TEST_CASE("Invalid UTF-8 is reported for the field that holds it")
{
    Fixture f;
    f.rejected({{"mechanisms.csv", mech_header + "x,Bad \xff\xfe name,forum,global,multistakeholder\n"}},
               {"mechanisms.csv:2:name: invalid UTF-8"});
}

TEST_CASE("A malformed URL is rejected")
{
    Fixture f;
    f.rejected({{"sources.csv", "key,title,url\nbad,Bad,htp:/broken\nspace,Space,https://exa mple.org/\n"}},
               {"sources.csv:2:url: 'htp:/broken' is not a valid URL", "sources.csv:3:url: 'https://exa mple.org/'"});
}

TEST_CASE("Impossible years are rejected, and an end before the founding")
{
    Fixture f;
    f.rejected({{"mechanisms.csv", "slug,name,kind,scope,model,status,founded,ended\n"
                                   "a,A,forum,global,multistakeholder,active,2999,\n"
                                   "b,B,forum,global,multistakeholder,active,1500,\n"
                                   "c,C,forum,global,multistakeholder,concluded,2010,2005\n"
                                   "d,D,forum,global,multistakeholder,active,2010,2012\n"}},
               {"mechanisms.csv:2:founded: impossible year 2999", "mechanisms.csv:3:founded: impossible year 1500",
                "mechanisms.csv:4:ended: ended (2005) before it was founded (2010)",
                "mechanisms.csv:5:ended: an active mechanism has no end year"});
}

TEST_CASE("References to unknown areas, mechanisms, regions, groups and sources are rejected")
{
    Fixture f;
    f.rejected({{"mechanism_areas.csv", "mechanism,area\nbudapest,nowhere\nghost,security.cybercrime\n"},
                {"relations.csv", "from,kind,to\nghost,feeds_into,budapest\n"},
                {"regions.csv", "mechanism,region\nbudapest,atlantis\n"},
                {"stakeholders.csv", "mechanism,group\nbudapest,martians\n"},
                {"mechanisms.csv", mech_header.substr(0, mech_header.size() - 1) +
                                       ",source\nx,X,forum,global,multistakeholder,nosuch\n"}},
               {"mechanism_areas.csv:2:area: unknown area 'nowhere' (in neither these files nor the database)",
                "mechanism_areas.csv:3:mechanism: unknown mechanism 'ghost'",
                "relations.csv:2:from: unknown mechanism 'ghost'", "regions.csv:2:region: unknown region 'atlantis'",
                "stakeholders.csv:2:group: unknown stakeholder group 'martians'",
                "mechanisms.csv:2:source: unknown source 'nosuch'"});
}

TEST_CASE("References may point at records in the same set of files or in the database")
{
    Fixture f;
    test::TempDir d;
    auto out = f.import({d.write("mechanisms.csv", mech_header + "newbie,Newbie,forum,global,multistakeholder\n"),
                         d.write("relations.csv", "from,kind,to\nnewbie,feeds_into,budapest\n"),
                         d.write("regions.csv", "mechanism,region\nnewbie,Western Africa\nnewbie,150\n")});
    INFO(out.all());
    CHECK(out.code == 0);
    CHECK(test::scalar(f.conn, "SELECT string_agg(r.code, ',' ORDER BY r.code) FROM mechanism_region mr "
                               "JOIN region r ON r.id = mr.region_id") == "europe,western-africa");
}

TEST_CASE("A duplicate key within the files names both places")
{
    Fixture f;
    f.rejected(
        {{"mechanisms.csv", mech_header + "x,X,forum,global,multistakeholder\nx,Again,forum,global,multistakeholder\n"},
         {"more_mechanisms.csv", mech_header + "x,Third,forum,global,multistakeholder\n"}},
        {"mechanisms.csv:3:slug: duplicate mechanism 'x' (first at ",
         "more_mechanisms.csv:2:slug: duplicate mechanism 'x' (first at "});
}

TEST_CASE("A relation that would close a part_of cycle with what the database holds is rejected")
{
    Fixture f;
    f.rejected({{"relations.csv", "from,kind,to\nbudapest,reports_to,t-cy\n"}},
               {"relations.csv:2:to: this relation would make 'budapest' nested inside itself"});
}

TEST_CASE("A part_of cycle among the files' own relations names each of its rows, and only those")
{
    Fixture f;
    auto out =
        f.rejected({{"mechanisms.csv", mech_header + "ring-a,Ring A,forum,global,multistakeholder\n"
                                                     "ring-b,Ring B,forum,global,multistakeholder\n"
                                                     "ring-c,Ring C,forum,global,multistakeholder\n"},
                    {"relations.csv", "from,kind,to\nring-a,part_of,ring-b\nring-a,cooperates_with,t-cy\n"
                                      "ring-b,part_of,ring-c\nt-cy,reports_to,ring-a\nring-c,reports_to,ring-a\n"}},
                   {"relations.csv:2:to: this relation would make 'ring-a' nested inside itself",
                    "relations.csv:4:to: this relation would make 'ring-b' nested inside itself",
                    "relations.csv:6:to: this relation would make 'ring-c' nested inside itself"});
    // Line 5 nests t-cy under the ring without closing a cycle; line 3 is no nesting.
    CHECK(out.err.find("relations.csv:5:") == std::string::npos);
    CHECK(out.err.find("relations.csv:3:") == std::string::npos);
}

TEST_CASE("Over-long fields are rejected with the limit")
{
    Fixture f;
    f.rejected({{"mechanisms.csv", mech_header + "x," + std::string(301, 'n') + ",forum,global,multistakeholder\n"}},
               {"mechanisms.csv:2:name: too long: 301 characters, at most 300"});
}

TEST_CASE("An empty file and a file with only a header are rejected")
{
    Fixture f;
    f.rejected({{"mechanisms.csv", ""}, {"relations.csv", "from,kind,to\n"}},
               {"mechanisms.csv: empty file", "relations.csv:1: no data rows (the file has only a header)"});
}

TEST_CASE("A broken quote in a CSV file is reported with its line")
{
    Fixture f;
    f.rejected({{"mechanisms.csv",
                 mech_header + "x,X,forum,global,multistakeholder\ny,\"open,forum,global,multistakeholder\n"}},
               {"mechanisms.csv:3: a quoted field is never closed"});
}

TEST_CASE("An area under a parent of the wrong level is rejected")
{
    Fixture f;
    f.rejected({{"areas.csv", "code,name,level,parent\nsecurity.spam,Spam,issue,security\nlonely,Lonely,area,\n"}},
               {"areas.csv:2:parent: parent 'security' is a cluster, but an issue belongs to an area",
                "areas.csv:3:parent: missing: an area belongs to a cluster and an issue to an area"});
}

TEST_CASE("JSON problems are located by JSON pointer")
{
    Fixture f;
    f.rejected({{"map.json", R"({"mechanisms": [
                    {"slug": "ok", "name": "OK", "kind": "forum", "scope": "global", "model": "multistakeholder"},
                    {"slug": "x", "name": "X", "kind": "forum", "scope": "moon", "model": "multistakeholder", "colour": "red"},
                    {"slug": "y", "name": "Y", "kind": "forum", "scope": "global", "model": "multistakeholder", "founded": 1700}],
                  "planets": []})"}},
               {"map.json:/mechanisms/1/scope: 'moon' is not one of: global, regional, national",
                "map.json:/mechanisms/1/colour: unknown field", "map.json:/mechanisms/2/founded: impossible year 1700",
                "map.json:/planets: unknown record type"});
    f.rejected({{"broken.json", "{\"mechanisms\": [}"}}, {"broken.json: invalid JSON"});
}

TEST_CASE("In the spreadsheet layout, disagreeing attributes of one mechanism name both lines")
{
    Fixture f;
    f.rejected({{"sheet.csv", "area,mechanism,acronym,scope,model\n"
                              "Cybercrime,Interpol,INTERPOL,global,intergovernmental\n"
                              "security.cybercrime-area,Interpol,INTERPOL,regional,intergovernmental\n"}},
               {"sheet.csv:3:scope: 'regional' disagrees with 'global' on line 2 for the same mechanism (interpol)"});
}

TEST_CASE("Several errors in one file are all reported")
{
    Fixture f;
    auto out = f.rejected(
        {{"mechanisms.csv", mech_header + "Bad Slug,X,forum,global,multistakeholder\n"
                                          "b,,gathering,global,multistakeholder\n"
                                          "c,C,forum,global,anarchy\n"}},
        {"mechanisms.csv:2:slug: 'Bad Slug' is not a valid slug", "mechanisms.csv:3:name: missing required field",
         "mechanisms.csv:3:kind: 'gathering' is not one of", "mechanisms.csv:4:model: 'anarchy' is not one of"});
    CHECK(out.err.find("4 problems found") != std::string::npos);
}

TEST_CASE("The JSON summary lists every problem for scripts")
{
    Fixture f;
    auto path = f.dir.write("mechanisms.csv", mech_header + "x,X,forum,moon,multistakeholder\n");
    auto out = f.import({"--format", "json", path});
    CHECK(out.code == 3);
    CHECK(out.out.find("\"ok\": false") != std::string::npos);
    CHECK(out.out.find("mechanisms.csv:2:scope") != std::string::npos);
}

TEST_CASE("Trailing unnamed columns from a spreadsheet program are ignored while they stay empty")
{
    Fixture f;
    auto ok = f.dir.write("mechanisms.csv", "slug,name,kind,scope,model,,\nx,X,forum,global,multistakeholder,,\n");
    auto out = f.import({ok});
    INFO(out.all());
    CHECK(out.code == 0);
    CHECK(test::scalar(f.conn, "SELECT name FROM mechanism WHERE slug = 'x'") == "X");
    f.rejected({{"mechanisms.csv", "slug,name,kind,scope,model,\ny,Y,forum,global,multistakeholder,stray\n"}},
               {"mechanisms.csv:2:column 6: a value in a column that has no name in the header"});
}

TEST_CASE("A probable duplicate is refused with both records named, unless allowed")
{
    Fixture f;
    auto first = f.import({f.dir.write("known.csv", "slug,name,acronym,kind,scope,model,url\n"
                                                    "igf,Internet Governance Forum,IGF,forum,global,multistakeholder,"
                                                    "https://www.intgovforum.org/\n"
                                                    "icann,Internet Corporation for Assigned Names and Numbers,ICANN,"
                                                    "organisation,global,multistakeholder,https://www.icann.org/\n")});
    INFO(first.all());
    REQUIRE(first.code == 0);
    const std::string header = "slug,name,acronym,kind,scope,model,url\n";
    // The same name without its acronym.
    f.rejected({{"mechanisms.csv", header + "internet-governance-forum,Internet Governance Forum,,forum,global,"
                                            "multistakeholder,\n"}},
               {"mechanisms.csv:2:name: probable duplicate of 'igf' (Internet Governance Forum, IGF): the same name, "
                "name similarity 1.00; if it is another mechanism, import it with --allow-duplicate "
                "internet-governance-forum"});
    // A name whose initials are another's acronym, and the same address.
    f.rejected({{"mechanisms.csv", header + "corp,Internet Corporation for Assigned Names and Numbers,,organisation,"
                                            "global,multistakeholder,\n"
                                            "web,ICANN web,,organisation,global,multistakeholder,http://icann.org\n"}},
               {"mechanisms.csv:2:name: probable duplicate of 'icann'", "mechanisms.csv:3:name: probable duplicate "
                                                                        "of 'icann'"});
    // The same mechanism twice in one file: reported once, on the later slug.
    auto twice = f.rejected({{"mechanisms.csv", header + "gfce,Global Forum on Cyber Expertise,,forum,global,"
                                                         "multistakeholder,https://thegfce.org/\n"
                                                         "gfce-2,Global Forum on Cyber Expertise,,forum,global,"
                                                         "multistakeholder,https://thegfce.org/\n"}},
                            {"mechanisms.csv:3:name: probable duplicate of 'gfce'"});
    CHECK(twice.err.find("mechanisms.csv:2:name") == std::string::npos);
    // Clearly different names pass: ICC beside ICANN.
    auto icc = f.import({f.dir.write("icc.csv", header + "icc,International Chamber of Commerce,ICC,organisation,"
                                                         "global,private_sector,https://iccwbo.org/\n")});
    INFO(icc.all());
    CHECK(icc.code == 0);
    // And a real duplicate passes when the contributor says it is another mechanism.
    auto allowed = f.import({f.dir.write("again.csv", header + "internet-governance-forum,Internet Governance Forum,,"
                                                               "forum,global,multistakeholder,\n"),
                             "--allow-duplicate", "internet-governance-forum"});
    INFO(allowed.all());
    CHECK(allowed.code == 0);
}

TEST_CASE("Similar names are probable duplicates but a name a whole word apart is not")
{
    Fixture f;
    const std::string header = "slug,name,acronym,kind,scope,model,url\n";
    auto first =
        f.import({f.dir.write("known.csv", header + "igf,Internet Governance Forum,IGF,forum,global,"
                                                    "multistakeholder,https://www.intgovforum.org/\n"
                                                    "gfce,Global Forum on Cyber Expertise,,forum,global,"
                                                    "multistakeholder,\n"
                                                    "itu,International Telecommunication Union,ITU,organisation,"
                                                    "global,intergovernmental,\n")});
    INFO(first.all());
    REQUIRE(first.code == 0);
    // Accents, punctuation, a small word and word order do not make another name.
    f.rejected({{"mechanisms.csv", header + "gfce-2,Globál Forum for Cyber-Expertise,,forum,global,multistakeholder,\n"
                                            "igf-2,\"Forum, Internet Governance\",,forum,global,multistakeholder,\n"}},
               {"mechanisms.csv:2:name: probable duplicate of 'gfce' (Global Forum on Cyber Expertise): the same "
                "name, name similarity 1.00",
                "mechanisms.csv:3:name: probable duplicate of 'igf' (Internet Governance Forum, IGF): the same name"});
    // Nor do a typo or a plural: one edit in 28 characters.
    f.rejected(
        {{"mechanisms.csv", header + "gfce-4,Global Forum on Cyber Expertize,,forum,global,multistakeholder,\n"
                                     "gfce-5,Global Forums on Cyber Expertise,,forum,global,multistakeholder,\n"}},
        {"mechanisms.csv:2:name: probable duplicate of 'gfce' (Global Forum on Cyber Expertise): a similar name",
         "mechanisms.csv:3:name: probable duplicate of 'gfce' (Global Forum on Cyber Expertise): a similar "
         "name"});
    // An acronym for a name, either way round.
    f.rejected({{"mechanisms.csv", header + "igf-5,IGF,,forum,global,multistakeholder,\n"
                                            "gfce-3,The Cyber Capacity Forum,GFCE,forum,global,multistakeholder,\n"}},
               {"mechanisms.csv:2:name: probable duplicate of 'igf' (Internet Governance Forum, IGF): a name that "
                "is its acronym",
                "mechanisms.csv:3:name: probable duplicate of 'gfce' (Global Forum on Cyber Expertise): an acronym "
                "that is the initials of its name"});
    // A whole word apart is another mechanism: a national IGF, another UN body, ICC beside ICANN.
    auto different =
        f.import({f.dir.write("different.csv", header + "uk-igf,UK Internet Governance Forum,UKIGF,forum,national,"
                                                        "multistakeholder,\n"
                                                        "arab-igf,Arab Internet Governance Forum,,forum,regional,"
                                                        "multistakeholder,\n"
                                                        "itc,International Trade Centre,ITC,organisation,global,"
                                                        "intergovernmental,\n"
                                                        "icc,International Chamber of Commerce,ICC,organisation,global,"
                                                        "private_sector,\n")});
    INFO(different.all());
    CHECK(different.code == 0);
}
