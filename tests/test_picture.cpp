// govmap draw and gaps --with-picture: pictures read back as a checker of a
// printed figure would (tests/clients/read_picture.py parses the SVG with
// xml.etree and decodes the PNG), PDFs with poppler. The bundled map's
// pictures are kept as artefacts.
#include "importer/importer.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace govmap;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string reader = "python3 " + std::string(GOVMAP_SOURCE_DIR) + "/tests/clients/read_picture.py";

std::string shell(const std::string& command, int* code = nullptr)
{
    std::string out;
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    if (!p)
        return out;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
        out.append(buf, n);
    int status = pclose(p);
    if (code)
        *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

json read_picture(const std::string& kind, const std::string& path)
{
    int code = 0;
    auto out = shell(reader + " " + kind + " '" + path + "'", &code);
    INFO(out);
    REQUIRE(code == 0);
    return json::parse(out);
}

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::set<std::string> ids(const json& items)
{
    std::set<std::string> out;
    for (const auto& i : items)
        out.insert(i["id"].get<std::string>());
    return out;
}

std::multiset<std::string> edge_kinds(const json& picture)
{
    std::multiset<std::string> out;
    for (const auto& e : picture["edges"])
        out.insert(e["class"].at(0).get<std::string>());
    return out;
}

const json& node(const json& picture, const std::string& id)
{
    for (const auto& n : picture["nodes"])
        if (n["id"] == id)
            return n;
    FAIL("no node " << id);
    throw std::logic_error("unreachable");
}

std::string title(const json& picture)
{
    std::string all;
    for (const auto& line : picture["title"])
        all += line.get<std::string>() + "\n";
    return all;
}

struct Db {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    test::TempDir dir;
    test::RunOptions env{{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}};

    /// govmap draw to a file in the temporary directory; returns its path.
    std::string draw(const std::string& name, std::vector<std::string> extra = {})
    {
        std::string path = (dir.path() / name).string();
        std::vector<std::string> args{"draw", "--out", path};
        args.insert(args.end(), extra.begin(), extra.end());
        auto out = test::run_govmap(args, env);
        INFO(out.err);
        REQUIRE(out.code == 0);
        return path;
    }
};

/// c (cluster) > a1 > i1; c > a2 > i2; c > a3 (nothing under it, no mechanism).
/// g1 global multistakeholder (2010) addresses i1 and i2; r1 regional
/// intergovernmental (2016) addresses i1 and is part of g1; n1 national (2015)
/// addresses i2 and cooperates with r1; lone (2000) addresses i2, nothing else.
struct Small : Db {
    Small()
    {
        importer::Options o;
        o.contributor = "test";
        auto r = importer::import(
            conn,
            {{"areas.csv",
              "code,name,level,parent\nc,C,cluster,\nc.a1,Area one,area,c\nc.a2,Area two,area,c\n"
              "c.a3,Area three,area,c\nc.i1,Issue one,issue,c.a1\nc.i2,Issue two,issue,c.a2\n",
              {},
              {}},
             {"mechanisms.csv",
              "slug,name,acronym,kind,scope,model,founded\n"
              "g1,Global One,G1,forum,global,multistakeholder,2010\n"
              "r1,Regional One,,forum,regional,intergovernmental,2016\n"
              "n1,National One,N1,forum,national,intergovernmental,2015\n"
              "lone,Lone \\N <&> Forum,,forum,national,intergovernmental,2000\n",
              {},
              {}},
             {"mechanism_areas.csv", "mechanism,area\ng1,c.i1\ng1,c.i2\nr1,c.i1\nn1,c.i2\nlone,c.i2\n", {}, {}},
             {"relations.csv", "from,kind,to\nr1,part_of,g1\nn1,cooperates_with,r1\n", {}, {}},
             {"stakeholders.csv", "mechanism,group\ng1,civil_society\ng1,governments\nr1,governments\n", {}, {}}},
            o);
        for (const auto& p : r.problems)
            UNSCOPED_INFO(p.where << ": " << p.message);
        REQUIRE(r.problems.empty());
    }
};

}  // namespace

TEST_CASE("The picture checker finds overlapping labels when there are some")
{
    // Two nodes drawn 10 pt apart with 40 pt wide boxes: they overlap.
    test::TempDir dir;
    auto path = dir.write("overlap.svg", R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt">
<g id="graph0" class="graph" transform="scale(1 1)">
<g id="a" class="node mechanism"><path fill="#2ca02c" d="M0,0 L40,0 L40,-12 L0,-12 Z"/>
<text x="20" y="-3" font-size="8.0">AAAA</text></g>
<g id="b" class="node mechanism"><path fill="#2ca02c" d="M10,0 L50,0 L50,-12 L10,-12 Z"/>
<text x="30" y="-3" font-size="8.0">BBBB</text></g>
</g></svg>)svg");
    auto p = read_picture("svg", path);
    REQUIRE(p["nodes"].size() == 2);
    REQUIRE(p["overlaps"].size() == 1);
    CHECK(p["overlaps"][0]["share"].get<double>() > 0.5);
}

TEST_CASE("draw: each view has the nodes and edges derived by hand, with the report's colours")
{
    Small s;
    SECTION("mechanisms: the linkage network, the unlinked mechanism left out with a note")
    {
        auto p = read_picture("svg", s.draw("m.svg", {"--as-of", "all"}));
        CHECK(ids(p["nodes"]) == std::set<std::string>{"mechanism:g1", "mechanism:n1", "mechanism:r1"});
        CHECK(edge_kinds(p) == std::multiset<std::string>{"cooperates_with", "part_of"});
        CHECK(title(p).find("Not drawn: 1 mechanism with no relation") != std::string::npos);
        // Acronyms where there are any, names otherwise; colours by participation.
        CHECK(node(p, "mechanism:g1")["text"] == "G1");
        CHECK(node(p, "mechanism:r1")["text"] == "Regional One");
        CHECK(node(p, "mechanism:g1")["fill"] == "#2ca02c");  // two groups: multistakeholder
        CHECK(node(p, "mechanism:r1")["fill"] == "#ed7d31");  // intergovernmental
    }
    SECTION("mechanisms as of 2014: n1 (2015) and r1 (2016) are not there yet")
    {
        auto p = read_picture("svg", s.draw("m2014.svg", {"--as-of", "2014"}));
        CHECK(p["nodes"].empty());
        CHECK(p["edges"].empty());
        CHECK(title(p).find("as of 2014") != std::string::npos);
        CHECK(title(p).find("Not drawn: 2 mechanisms") != std::string::npos);  // g1 and lone
    }
    SECTION("a filter: global and regional mechanisms only")
    {
        auto p = read_picture("svg", s.draw("m-scope.svg", {"--as-of", "all", "--scope", "global,regional"}));
        CHECK(ids(p["nodes"]) == std::set<std::string>{"mechanism:g1", "mechanism:r1"});
        CHECK(edge_kinds(p) == std::multiset<std::string>{"part_of"});
    }
    SECTION("bipartite: links to issues drawn to the broad area above them, an uncovered area kept in red")
    {
        auto p = read_picture("svg", s.draw("b.svg", {"--view", "bipartite", "--as-of", "all"}));
        CHECK(ids(p["nodes"]) == std::set<std::string>{"area:c.a1", "area:c.a2", "area:c.a3", "mechanism:g1",
                                                       "mechanism:lone", "mechanism:n1", "mechanism:r1"});
        // g1-a1, g1-a2, r1-a1, n1-a2, lone-a2.
        CHECK(p["edges"].size() == 5);
        CHECK(edge_kinds(p).count("addresses") == 5);
        CHECK(node(p, "area:c.a3")["fill"] == "#d7301f");
        CHECK(node(p, "area:c.a3")["text"] == "Area three (0)");
        CHECK(node(p, "area:c.a2")["text"] == "Area two (3)");
        // A name Graphviz would read as an escape (\N) stays as written.
        CHECK(node(p, "mechanism:lone")["text"] == "Lone \\N <&> Forum");
    }
    SECTION("areas: the taxonomy, thin and uncovered nodes coloured as the report counts them")
    {
        auto p = read_picture("svg", s.draw("a.svg", {"--view", "areas", "--as-of", "all", "--min-mechanisms", "3"}));
        CHECK(ids(p["nodes"]) ==
              std::set<std::string>{"area:c", "area:c.a1", "area:c.a2", "area:c.a3", "area:c.i1", "area:c.i2"});
        CHECK(edge_kinds(p) == std::multiset<std::string>{"within", "within", "within", "within", "within"});
        CHECK(node(p, "area:c.a3")["fill"] == "#d7301f");  // 0: uncovered
        CHECK(node(p, "area:c.a1")["fill"] == "#fdae61");  // g1, r1: fewer than 3
        CHECK(node(p, "area:c.i1")["fill"] == "#fdae61");
        CHECK(node(p, "area:c.a2")["fill"] == "#c6dbef");  // g1, n1, lone
        CHECK(node(p, "area:c")["text"] == "C (4)");
    }
    SECTION("nesting: part_of and reports_to only")
    {
        auto p = read_picture("svg", s.draw("n.svg", {"--view", "nesting", "--as-of", "all"}));
        CHECK(ids(p["nodes"]) == std::set<std::string>{"mechanism:g1", "mechanism:r1"});
        CHECK(edge_kinds(p) == std::multiset<std::string>{"part_of"});
        CHECK(title(p).find("Not drawn: 2 mechanisms") != std::string::npos);
    }
    SECTION("edge labels on request")
    {
        auto p = read_picture("svg", s.draw("l.svg", {"--as-of", "all", "--edge-labels"}));
        CHECK(slurp((s.dir.path() / "l.svg").string()).find(">part of</text>") != std::string::npos);
        CHECK(p["edges"].size() == 2);
    }
}

TEST_CASE("draw refuses what it cannot draw with a clear message and leaves no file")
{
    Small s;
    auto out = (s.dir.path() / "x.svg").string();
    auto r =
        test::run_govmap({"draw", "--out", out, "--view", "bipartite", "--as-of", "all", "--max-nodes", "3"}, s.env);
    CHECK(r.code == 1);
    CHECK(r.err.find("7 nodes to draw, more than a page holds legibly (at most 3)") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    r = test::run_govmap({"draw", "--out", out, "--under", "nowhere"}, s.env);
    CHECK(r.code == 2);
    CHECK(r.err.find("unknown taxonomy code 'nowhere'") != std::string::npos);
    r = test::run_govmap({"draw", "--out", (s.dir.path() / "x.txt").string()}, s.env);
    CHECK(r.code == 2);
    CHECK(r.err.find("name it .svg, .png or .pdf") != std::string::npos);
    r = test::run_govmap({"gaps", "--with-picture"}, s.env);
    CHECK(r.code == 2);
    CHECK(r.err.find("--with-picture needs --format html") != std::string::npos);
}

TEST_CASE("gaps --format html --with-picture embeds the network of the mechanisms covering the reported nodes")
{
    Small s;
    auto html = (s.dir.path() / "gaps.html").string();
    auto r = test::run_govmap(
        {"gaps", "--format", "html", "--with-picture", "--under", "c.a1", "--as-of", "all", "--out", html}, s.env);
    INFO(r.err);
    REQUIRE(r.code == 0);
    auto text = slurp(html);
    auto section = text.find("<section id=\"network\">");
    REQUIRE(section != std::string::npos);
    auto start = text.find("<svg", section), end = text.find("</svg>", section);
    REQUIRE(start != std::string::npos);
    REQUIRE(end != std::string::npos);
    auto svg = s.dir.write("embedded.svg", text.substr(start, end + 6 - start));
    auto p = read_picture("svg", svg);
    // Under a1: g1 and r1 cover it, and r1 is part of g1.
    CHECK(ids(p["nodes"]) == std::set<std::string>{"mechanism:g1", "mechanism:r1"});
    CHECK(edge_kinds(p) == std::multiset<std::string>{"part_of"});
    CHECK(title(p).find("under c.a1") != std::string::npos);
    // Without the flag the report has no picture.
    r = test::run_govmap({"gaps", "--format", "html", "--under", "c.a1", "--as-of", "all"}, s.env);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("<section id=\"network\">") == std::string::npos);
}

TEST_CASE("The bundled map's pictures fit a page at a readable size, without overlapping labels, the same every time")
{
    Db d;
    REQUIRE(test::run_govmap({"seed", "-q"}, d.env).code == 0);
    fs::path artefacts = fs::path(GOVMAP_ARTEFACT_DIR) / "pictures";
    fs::create_directories(artefacts);
    for (const char* view : {"mechanisms", "areas", "bipartite", "nesting"}) {
        INFO("view " << view);
        auto path = d.draw(std::string(view) + ".svg", {"--view", view});
        auto p = read_picture("svg", path);
        fs::copy_file(path, artefacts / (std::string(view) + ".svg"), fs::copy_options::overwrite_existing);
        // A4 less half-inch margins, either way round.
        double w = p["width_pt"], h = p["height_pt"];
        bool portrait = w <= 523.5 && h <= 770.5, landscape = w <= 770.5 && h <= 523.5;
        CHECK((portrait || landscape));
        CHECK(p["nodes"].size() > 20);
        CHECK(p["edges"].size() > 20);
        double smallest = 100;
        for (const auto& n : p["nodes"])
            for (double size : n["font_sizes"])
                smallest = std::min(smallest, size * p["scale"].get<double>());
        CHECK(smallest >= 4.0);
        std::string worst;
        for (const auto& o : p["overlaps"])
            if (o["share"].get<double>() > 0.02)
                worst += o.dump() + "\n";
        INFO(worst);
        CHECK(worst.empty());
        // Deterministic: the same bytes again.
        auto again = d.draw(std::string(view) + "-again.svg", {"--view", view});
        CHECK(slurp(path) == slurp(again));
    }
    SECTION("PNG: a picture, not a blank page")
    {
        auto png = d.draw("mechanisms.png");
        fs::copy_file(png, artefacts / "mechanisms.png", fs::copy_options::overwrite_existing);
        auto p = read_picture("png", png);
        CHECK(p["width"].get<int>() > 800);
        CHECK(p["non_white"].get<double>() > 0.05);
        CHECK(p["colours"].get<int>() > 10);
        if (test::have_client("rsvg-convert", "command -v rsvg-convert", "librsvg2-bin")) {
            auto converted = (d.dir.path() / "converted.png").string();
            int code = 0;
            INFO(shell("rsvg-convert -o '" + converted + "' '" + (d.dir.path() / "mechanisms.svg").string() + "'",
                       &code));
            REQUIRE(code == 0);
            CHECK(read_picture("png", converted)["non_white"].get<double>() > 0.05);
        }
    }
    SECTION("PDF: one page within A4, with the title as text")
    {
        auto pdf = d.draw("nesting.pdf", {"--view", "nesting"});
        fs::copy_file(pdf, artefacts / "nesting.pdf", fs::copy_options::overwrite_existing);
        if (!test::have_client("poppler", "command -v pdfinfo", "poppler-utils"))
            return;
        auto info = shell("pdfinfo '" + pdf + "'");
        CHECK(info.find("Pages:           1") != std::string::npos);
        double w = 0, h = 0;
        auto at = info.find("Page size:");
        REQUIRE(at != std::string::npos);
        REQUIRE(std::sscanf(info.c_str() + at, "Page size: %lf x %lf", &w, &h) == 2);
        CHECK(std::max(w, h) <= 842);
        CHECK(std::min(w, h) <= 595);
        CHECK(shell("pdftotext '" + pdf + "' -").find("Which mechanism is part of or reports to which") !=
              std::string::npos);
    }
}
