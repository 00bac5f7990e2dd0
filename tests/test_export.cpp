// Exports read back by the real clients of each format: xmllint against the
// published schemas, networkx, graphology, Graphviz, dotparser, headless
// Cytoscape.js and Python's csv module.
#include "importer/importer.hpp"
#include "output/export.hpp"
#include "review/review.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace govmap;
using nlohmann::json;

namespace {

const std::string clients = std::string(GOVMAP_SOURCE_DIR) + "/tests/clients/";
const std::string xsd = std::string(GOVMAP_SOURCE_DIR) + "/tests/xsd/";

struct Shell {
    int code;
    std::string out;
};

Shell shell(const std::string& command)
{
    Shell r{-1, {}};
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    if (!p)
        return r;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
        r.out.append(buf, n);
    int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

/// A JSON Schema validator: the image's python3 or Debian's python3-jsonschema.
std::string schema_validator()
{
    for (const char* py : {"python3", "/usr/bin/python3"})
        if (std::system((std::string(py) + " -c 'import jsonschema' 2>/dev/null").c_str()) == 0)
            return py;
    return {};
}

bool have_networkx()
{
    return test::have_client("networkx 3", "python3 -c 'import networkx; assert int(networkx.__version__[0]) >= 3'",
                             "python3-networkx is 2.8; the image's python3 has 3.x");
}
bool have_node_clients()
{
    return test::have_client("the npm clients",
                             "test -d " + std::string(GOVMAP_SOURCE_DIR) +
                                 "/tests/node_modules/cytoscape && command -v node",
                             "npm ci in tests/");
}

/// Runs a client script and parses what it printed.
json read_with(const std::string& runner, const std::string& format, const std::string& path,
               const std::vector<std::string>& ids = {})
{
    std::string cmd = runner + " " + format + " '" + path + "'";
    for (const auto& id : ids)
        cmd += " '" + id + "'";
    auto r = shell(cmd);
    INFO(cmd << "\n" << r.out);
    REQUIRE(r.code == 0);
    return json::parse(r.out);
}
json python(const std::string& f, const std::string& p, const std::vector<std::string>& ids = {})
{
    return read_with("python3 " + clients + "read_graph.py", f, p, ids);
}
json javascript(const std::string& f, const std::string& p, const std::vector<std::string>& ids = {})
{
    return read_with("node " + clients + "read_graph.js", f, p, ids);
}

std::string read(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Db {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    test::TempDir dir;
    test::RunOptions env{{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}};

    /// govmap export to a file in the temporary directory; returns its path.
    std::string exported(const std::string& format, std::vector<std::string> extra = {}, const std::string& name = "")
    {
        std::string path = (dir.path() / (name.empty() ? "map." + format : name)).string();
        std::vector<std::string> args{"export", "--format", format, "--out", path};
        // The counts below are of every row, so every year unless a test asks for one.
        if (std::find(extra.begin(), extra.end(), "--as-of") == extra.end())
            extra.insert(extra.end(), {"--as-of", "all"});
        args.insert(args.end(), extra.begin(), extra.end());
        auto out = test::run_govmap(args, env);
        INFO(out.err);
        REQUIRE(out.code == 0);
        return path;
    }
    long nodes()
    {
        return std::stol(test::scalar(conn, "SELECT count(*) FROM graph_node WHERE review_status = 'accepted'"));
    }
    long edges()
    {
        return std::stol(test::scalar(conn, "SELECT count(*) FROM graph_edge e JOIN graph_node s ON s.id = e.source "
                                            "JOIN graph_node t ON t.id = e.target WHERE e.review_status = 'accepted' "
                                            "AND s.review_status = 'accepted' AND t.review_status = 'accepted'"));
    }
};

struct Bundled : Db {
    Bundled() { REQUIRE(test::run_govmap({"seed", "-q"}, env).code == 0); }
};

// A map whose names and values are as hostile as we could make them.
const std::string hostile_name = "Hostile <&>\"' name\nsecond line\twith tab \\ backslash -- ]]> \xF0\x9F\x8C\x8D "
                                 "\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A \x01"
                                 "end";
const std::string long_description = std::string(10000 - 12, 'x') + " <&>\"' ]]> \\";

struct Hostile : Db {
    Hostile()
    {
        auto quote = [](const std::string& s) {
            std::string out = "\"";
            for (char c : s)
                out += c == '"' ? std::string("\"\"") : std::string(1, c);
            return out + "\"";
        };
        importer::Options o;
        o.contributor = "test";
        auto r =
            importer::import(conn,
                             {{"areas.csv",
                               "code,name,level,parent\nc," + quote("Cluster " + hostile_name) +
                                   ",cluster,\n"
                                   "c.a-area,Area,area,c\n",
                               {},
                               {}},
                              {"mechanisms.csv",
                               "slug,name,kind,scope,model,description,url\n"
                               "hostile," +
                                   quote(hostile_name) + ",forum,global,multistakeholder," + quote(long_description) +
                                   ",https://example.org/a?b=1&c=<2>\n"
                                   "plain,Plain,forum,regional,intergovernmental,,\n",
                               {},
                               {}},
                              {"relations.csv", "from,kind,to\nhostile,feeds_into,plain\n", {}, {}},
                              {"mechanism_areas.csv", "mechanism,area\nhostile,c.a-area\n", {}, {}}},
                             o);
        for (const auto& p : r.problems)
            UNSCOPED_INFO(p.where << ": " << p.message);
        REQUIRE(r.problems.empty());
    }
    /// What an XML client should read: everything but the control character.
    static std::string in_xml(const std::string& s)
    {
        std::string out;
        for (char c : s)
            if (c != '\x01')
                out += c;
        return out;
    }
};

/// A DOT label as Graphviz reads it: \\ is a backslash, \n a line break.
std::string dot_label(const std::string& raw)
{
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size() && (raw[i + 1] == '\\' || raw[i + 1] == 'n')) {
            out += raw[i + 1] == 'n' ? '\n' : '\\';
            ++i;
        } else {
            out += raw[i];
        }
    }
    return out;
}

}  // namespace

TEST_CASE("GraphML passes the published schema and networkx and graphology read it with typed attributes")
{
    Bundled b;
    auto path = b.exported("graphml");
    if (test::have_client("xmllint", "command -v xmllint", "libxml2-utils"))
        CHECK(shell("xmllint --noout --schema " + xsd + "graphml/graphml.xsd " + path).code == 0);
    if (have_networkx()) {
        auto g = python("graphml", path, {"mechanism:igf", "mechanism:interpol", "area:security"});
        CHECK(g["nodes"] == b.nodes());
        CHECK(g["edges"] == b.edges());
        CHECK(g["attrs"]["mechanism:igf"]["founded"] == 2006);
        CHECK(g["types"]["mechanism:igf"]["founded"] == "int");
        CHECK(g["attrs"]["mechanism:interpol"]["centrality"] == "adjacent");
        CHECK(g["attrs"]["area:security"]["label"] == "Security");
    }
    if (have_node_clients()) {
        auto g = javascript("graphml", path, {"mechanism:igf"});
        CHECK(g["nodes"] == b.nodes());
        CHECK(g["edges"] == b.edges());
        CHECK(g["attrs"]["mechanism:igf"]["scope"] == "global");
    }
}

TEST_CASE("GEXF 1.3 passes the published schema and networkx and graphology-gexf read it with colours and sizes")
{
    Bundled b;
    auto path = b.exported("gexf");
    if (test::have_client("xmllint", "command -v xmllint", "libxml2-utils"))
        CHECK(shell("xmllint --noout --schema " + xsd + "gexf13/gexf.xsd " + path).code == 0);
    if (have_networkx()) {
        auto g = python("gexf", path, {"mechanism:igf", "mechanism:hmrc"});
        CHECK(g["nodes"] == b.nodes());
        CHECK(g["edges"] == b.edges());
        CHECK(g["attrs"]["mechanism:igf"]["founded"] == 2006);
        CHECK(g["attrs"]["mechanism:hmrc"]["scope"] == "national");
        // Gephi's timeline: the years a mechanism existed, as networkx reads them.
        CHECK(g["attrs"]["mechanism:igf"]["start"] == 2006);
        CHECK(g["attrs"]["mechanism:igf"].count("end") == 0);
        CHECK(g["attrs"]["mechanism:hmrc"]["start"] == 2005);
    }
    if (have_node_clients()) {
        auto g = javascript("gexf", path, {"mechanism:igf", "area:security"});
        CHECK(g["nodes"] == b.nodes());
        CHECK(g["edges"] == b.edges());
        CHECK(g["attrs"]["mechanism:igf"]["model"] == "multistakeholder");
        // Mechanisms are coloured by participation: the IGF is multistakeholder (green).
        CHECK(g["attrs"]["mechanism:igf"]["color"].get<std::string>().rfind("rgb(44,160,44", 0) == 0);
        // Covered areas are drawn larger than mechanisms with few links.
        CHECK(g["attrs"]["area:security"]["size"].get<double>() > 4.0);
    }
}

TEST_CASE("DOT renders with Graphviz, one node group per node, clusters per taxonomy cluster, and dotparser reads it")
{
    Bundled b;
    auto path = b.exported("dot");
    if (test::have_client("Graphviz", "command -v dot", "graphviz")) {
        auto svg = shell("dot -Tsvg " + path);
        REQUIRE(svg.code == 0);
        std::size_t groups = 0, clusters = 0;
        for (std::size_t p = 0; (p = svg.out.find("<g id=\"node", p)) != std::string::npos; ++p)
            ++groups;
        for (std::size_t p = 0; (p = svg.out.find("<g id=\"clust", p)) != std::string::npos; ++p)
            ++clusters;
        // One group per node plus the legend's 4 entries; one cluster per taxonomy cluster plus the legend.
        CHECK(groups == static_cast<std::size_t>(b.nodes()) + 4);
        CHECK(clusters ==
              std::stoul(test::scalar(b.conn, "SELECT count(*) FROM issue_area WHERE level = 'cluster'")) + 1);
        CHECK(svg.out.find("Mechanisms by participation") != std::string::npos);
    }
    if (have_node_clients()) {
        auto g = javascript("dot", path, {"mechanism:interpol"});
        CHECK(g["nodes"] == b.nodes() + 4);
        CHECK(g["edges"] == b.edges());
        CHECK(g["attrs"]["mechanism:interpol"]["centrality"] == "adjacent");
        CHECK(g["attrs"]["mechanism:interpol"]["shape"] == "ellipse");
    }
}

TEST_CASE("Cytoscape.js loads the JSON headless with the right counts, typed data and classes")
{
    Bundled b;
    auto path = b.exported("cytoscape");
    if (!have_node_clients())
        return;
    auto g = javascript("cytoscape", path, {"mechanism:igf", "area:security.cybercrime"});
    CHECK(g["nodes"] == b.nodes());
    CHECK(g["edges"] == b.edges());
    CHECK(g["attrs"]["mechanism:igf"]["founded"] == 2006);
    CHECK(g["attrs"]["mechanism:igf"]["classes"] == json::array({"mechanism"}));
    CHECK(g["attrs"]["area:security.cybercrime"]["classes"] == json::array({"area", "issue"}));
}

TEST_CASE("The CSV node and edge lists have the columns Gephi expects and read back")
{
    Bundled b;
    auto dir = (b.dir.path() / "csv").string();
    auto out = test::run_govmap({"export", "--format", "csv", "--out", dir, "--as-of", "all"}, b.env);
    REQUIRE(out.code == 0);
    if (!test::have_client("python3", "command -v python3", "python3"))
        return;
    auto g = python("csv", dir, {"mechanism:igf"});
    CHECK(g["nodes"] == b.nodes());
    CHECK(g["edges"] == b.edges());
    CHECK(g["dangling"] == 0);
    auto nc = g["node_columns"].get<std::vector<std::string>>();
    auto ec = g["edge_columns"].get<std::vector<std::string>>();
    CHECK(std::vector<std::string>(nc.begin(), nc.begin() + 2) == std::vector<std::string>{"Id", "Label"});
    CHECK(std::vector<std::string>(ec.begin(), ec.begin() + 3) == std::vector<std::string>{"Source", "Target", "Type"});
    CHECK(g["attrs"]["mechanism:igf"]["Founded"] == "2006");
    // Without a directory the CSV export is a usage error.
    CHECK(test::run_govmap({"export", "--format", "csv"}, b.env).code == 2);
}

TEST_CASE("Kumu gets a blueprint that follows its documented shape and a spreadsheet import it accepts")
{
    Hostile h;
    importer::Options o;
    o.contributor = "test";
    REQUIRE(importer::import(h.conn,
                             {{"sources.csv", "key,title,url\ns1,Source One,https://example.org/s1\n", {}, {}},
                              {"mechanisms.csv",
                               "slug,name,kind,scope,model,source\nsourced,Sourced Body,forum,regional,"
                               "intergovernmental,s1\n",
                               {},
                               {}}},
                             o)
                .problems.empty());
    auto blueprint = h.exported("kumu");
    auto dir = (h.dir.path() / "kumu").string();
    REQUIRE(test::run_govmap({"export", "--format", "kumu-csv", "--out", dir, "--as-of", "all"}, h.env).code == 0);
    CHECK(test::run_govmap({"export", "--format", "kumu-csv"}, h.env).code == 2);  // needs a directory
    if (!test::have_client("python3", "command -v python3", "python3"))
        return;
    // Referential integrity, unique ids across both lists, Kumu's id rule, and
    // what one element and one connection carry; then the same for the CSV pair.
    const std::string script = h.dir.write("kumu_check.py", R"(
import csv, json, sys
bp = json.load(open(sys.argv[1]))
elements = {e["id"]: e for e in bp["elements"]}
ids = [e["id"] for e in bp["elements"]] + [c["id"] for c in bp["connections"]]
out = {"elements": len(bp["elements"]), "connections": len(bp["connections"]),
       "unique": len(ids) == len(set(ids)), "no_bad_chars": not any("_" in i or "." in i for i in ids),
       "dangling": sum(1 for c in bp["connections"] if c["from"] not in elements or c["to"] not in elements),
       "hostile": elements.get("mechanism:hostile"), "sourced": elements.get("mechanism:sourced"),
       "link": [c for c in bp["connections"] if c["type"] == "feeds into"]}
with open(sys.argv[2] + "/elements.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
with open(sys.argv[2] + "/connections.csv", newline="", encoding="utf-8") as f:
    links = list(csv.reader(f))
ids = {r[0] for r in rows[1:]}
out["csv"] = {"element_header": rows[0][:5], "connection_header": links[0][:4], "elements": len(rows) - 1,
              "connections": len(links) - 1, "dangling": sum(1 for r in links[1:] if r[0] not in ids or r[1] not in ids),
              "hostile": next(r for r in rows[1:] if r[0] == "mechanism:hostile")}
print(json.dumps(out))
)");
    auto r = shell("python3 " + script + " " + blueprint + " " + dir);
    INFO(r.out);
    REQUIRE(r.code == 0);
    auto k = nlohmann::json::parse(r.out);
    CHECK(k["elements"] == h.nodes());
    CHECK(k["connections"] == h.edges());
    CHECK(k["unique"] == true);
    CHECK(k["no_bad_chars"] == true);
    CHECK(k["dangling"] == 0);
    CHECK(k["hostile"]["label"] == hostile_name);
    CHECK(k["hostile"]["type"] == "Mechanism");
    CHECK(k["hostile"]["description"] == long_description);
    // Its scope, its status (active unless said otherwise) and its participation
    // (unknown: the map names no stakeholder group for it).
    CHECK(k["hostile"]["tags"] == nlohmann::json::array({"global", "active", "unknown"}));
    CHECK(k["hostile"]["URL"] == "https://example.org/a?b=1&c=<2>");
    // A record's source closes its description.
    CHECK(k["sourced"]["description"] == "Source: https://example.org/s1");
    CHECK(k["sourced"]["Source"] == "https://example.org/s1");
    REQUIRE(k["link"].size() == 1);
    CHECK(k["link"][0]["from"] == "mechanism:hostile");
    CHECK(k["link"][0]["to"] == "mechanism:plain");
    CHECK(k["link"][0]["direction"] == "directed");
    auto c = k["csv"];
    CHECK(c["element_header"] == nlohmann::json::array({"ID", "Label", "Type", "Description", "Tags"}));
    CHECK(c["connection_header"] == nlohmann::json::array({"From", "To", "Type", "Direction"}));
    CHECK(c["elements"] == h.nodes());
    CHECK(c["connections"] == h.edges());
    CHECK(c["dangling"] == 0);
    CHECK(c["hostile"][1] == hostile_name);
    CHECK(c["hostile"][4] == "global|active|unknown");
    auto py = schema_validator();
    if (test::require_or_skip(!py.empty(), "schema validation needs Python's jsonschema (python3-jsonschema)")) {
        std::string cmd = py +
                          " -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
                          "json.load(open(sys.argv[2])))' " +
                          blueprint + " " + GOVMAP_SOURCE_DIR + "/docs/kumu-blueprint.schema.json";
        CHECK(shell(cmd).code == 0);
    }
}

TEST_CASE("Hostile names and values survive every format as each client reads them")
{
    Hostile h;
    const std::string id = "mechanism:hostile";
    const std::string xml_name = Hostile::in_xml(hostile_name);
    auto graphml = h.exported("graphml");
    auto gexf = h.exported("gexf");
    auto dot = h.exported("dot");
    auto cyto = h.exported("cytoscape");
    if (test::have_client("xmllint", "command -v xmllint", "libxml2-utils")) {
        CHECK(shell("xmllint --noout --schema " + xsd + "graphml/graphml.xsd " + graphml).code == 0);
        CHECK(shell("xmllint --noout --schema " + xsd + "gexf13/gexf.xsd " + gexf).code == 0);
    }
    if (have_networkx()) {
        auto g = python("graphml", graphml, {id, "area:c"});
        CHECK(g["attrs"][id]["label"] == xml_name);
        CHECK(g["attrs"][id]["description"] == long_description);
        CHECK(g["attrs"][id]["url"] == "https://example.org/a?b=1&c=<2>");
        CHECK(g["attrs"]["area:c"]["label"] == "Cluster " + xml_name);
        auto x = python("gexf", gexf, {id});
        CHECK(x["attrs"][id]["label"] == xml_name);
        CHECK(x["attrs"][id]["description"] == long_description);
    }
    if (have_node_clients()) {
        CHECK(javascript("gexf", gexf, {id})["attrs"][id]["label"] == xml_name);
        CHECK(javascript("graphml", graphml, {id})["attrs"][id]["label"] == xml_name);
        auto c = javascript("cytoscape", cyto, {id});
        CHECK(c["attrs"][id]["label"] == hostile_name);
        CHECK(c["attrs"][id]["description"] == long_description);
        auto d = javascript("dot", dot, {id, "area:c"});
        CHECK(d["nodes"] == h.nodes() + 4);  // and the legend's 4 entries
        CHECK(dot_label(d["attrs"][id]["label"].get<std::string>()) == xml_name);
    }
    if (test::have_client("Graphviz", "command -v dot", "graphviz")) {
        auto svg = shell("dot -Tsvg " + dot);
        CHECK(svg.code == 0);
        // Graphviz draws the emoji and the Arabic text as they are.
        CHECK(svg.out.find("\xF0\x9F\x8C\x8D") != std::string::npos);
        CHECK(svg.out.find("\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A") != std::string::npos);
    }
    auto dir = (h.dir.path() / "csv").string();
    REQUIRE(test::run_govmap({"export", "--format", "csv", "--out", dir}, h.env).code == 0);
    if (test::have_client("python3", "command -v python3", "python3")) {
        auto c = python("csv", dir, {id});
        CHECK(c["attrs"][id]["Label"] == hostile_name);
        CHECK(c["attrs"][id]["Description"] == long_description);
    }
}

TEST_CASE("The same map gives byte-identical files, exported twice or from another database")
{
    Bundled a, b;
    // Kumu matches re-imported elements by id: its ids must not move either.
    for (const char* f : {"graphml", "gexf", "dot", "cytoscape", "kumu"}) {
        INFO(f);
        auto first = read(a.exported(f, {}, std::string("one.") + f));
        auto second = read(a.exported(f, {}, std::string("two.") + f));
        auto elsewhere = read(b.exported(f, {}, std::string("other.") + f));
        CHECK(first.size() > 10000);
        CHECK(first == second);
        CHECK(first == elsewhere);
    }
}

TEST_CASE("Filters select the nodes and edges derived by hand")
{
    // c (cluster) > a1-area > i1; c > a2-area > i2.
    // g1 global/multistakeholder -> i1; r1 regional/intergovernmental in europe -> i1;
    // n1 national/intergovernmental in western-europe -> i2; p1 proposed -> i2.
    // r1 part_of g1; n1 cooperates_with r1; g1 involves civil society.
    Db d;
    importer::Options o;
    o.contributor = "test";
    auto r = importer::import(d.conn,
                              {{"areas.csv",
                                "code,name,level,parent\nc,C,cluster,\nc.a1-area,A1,area,c\nc.a2-area,A2,area,c\n"
                                "c.i1,I1,issue,c.a1-area\nc.i2,I2,issue,c.a2-area\n",
                                {},
                                {}},
                               {"mechanisms.csv",
                                "slug,name,kind,scope,model\ng1,G1,forum,global,multistakeholder\n"
                                "r1,R1,forum,regional,intergovernmental\nn1,N1,forum,national,intergovernmental\n",
                                {},
                                {}},
                               {"mechanism_areas.csv", "mechanism,area\ng1,c.i1\nr1,c.i1\nn1,c.i2\n", {}, {}},
                               {"relations.csv", "from,kind,to\nr1,part_of,g1\nn1,cooperates_with,r1\n", {}, {}},
                               {"regions.csv", "mechanism,region\nr1,europe\nn1,western-europe\n", {}, {}},
                               {"stakeholders.csv", "mechanism,group\ng1,civil_society\n", {}, {}}},
                              o);
    REQUIRE(r.problems.empty());
    o.status = "proposed";
    r = importer::import(
        d.conn,
        {{"mechanisms.csv", "slug,name,kind,scope,model\np1,P1,forum,global,multistakeholder\n", {}, {}},
         {"mechanism_areas.csv", "mechanism,area\np1,c.i2\n", {}, {}}},
        o);
    REQUIRE(r.problems.empty());
    auto count = [&](output::ExportOptions opts) {
        std::ostringstream sink;
        // The map as if the open proposal (p1) were accepted, when asked for.
        auto tx = review::open_map(d.conn, opts.filter.include_proposed, nullptr, true);
        return output::export_graph(tx, opts, nullptr, output::ExportFormat::graphml, sink);
    };
    auto check = [&](output::ExportOptions opts, std::size_t nodes, std::size_t edges) {
        auto c = count(opts);
        CHECK(c.nodes == nodes);
        CHECK(c.edges == edges);
    };
    // Everything: 5 areas, 3 mechanisms, 6 groups, 30 regions; 3 addresses, 2 relations,
    // 1 involves, 2 operates_in, 4 area 'within', 29 region 'within'.
    check({}, 44, 41);
    output::ExportOptions o1;
    o1.filter.kinds = {"mechanism"};
    SECTION("mechanisms only: the two relations") { check(o1, 3, 2); }
    output::ExportOptions o2;
    o2.filter.relations = {"part_of"};
    SECTION("one relation kind") { check(o2, 44, 1); }
    output::ExportOptions o3;
    o3.filter.scopes = {"regional", "national"};
    // 5 areas, r1, n1, europe, western-europe; 2 addresses, 1 cooperates_with,
    // 2 operates_in, 4 area 'within', western-europe within europe.
    SECTION("by scope") { check(o3, 9, 10); }
    output::ExportOptions o4;
    o4.filter.region = "europe";
    SECTION("by region: europe and inside it") { check(o4, 9, 10); }
    output::ExportOptions o5;
    o5.filter.under = "c.a2-area";
    // a2, i2, n1, western-europe; n1 addresses i2, i2 within a2, n1 operates_in western-europe.
    SECTION("under a taxonomy node") { check(o5, 4, 3); }
    output::ExportOptions o6;
    o6.filter.include_proposed = true;
    SECTION("with proposed rows") { check(o6, 45, 42); }
    output::ExportOptions o7;
    o7.filter.under = "nowhere";
    SECTION("an unknown code") { CHECK_THROWS_AS(count(o7), queries::UnknownName); }
}

TEST_CASE("The option --with-gaps adds coverage counts, gap flags and betweenness, and colours uncovered areas")
{
    Db d;
    importer::Options o;
    o.contributor = "test";
    auto r = importer::import(
        d.conn,
        {{"areas.csv", "code,name,level,parent\nc,C,cluster,\nc.a1-area,A1,area,c\nc.a2-area,A2,area,c\n", {}, {}},
         {"mechanisms.csv",
          "slug,name,kind,scope,model\na,A,forum,global,multistakeholder\n"
          "b,B,forum,global,multistakeholder\nc,Cee,forum,global,multistakeholder\n",
          {},
          {}},
         {"mechanism_areas.csv", "mechanism,area\na,c.a1-area\n", {}, {}},
         {"relations.csv", "from,kind,to\na,feeds_into,b\nb,feeds_into,c\n", {}, {}}},
        o);
    REQUIRE(r.problems.empty());
    auto path = d.exported("cytoscape", {"--with-gaps"});
    auto doc = json::parse(read(path));
    std::map<std::string, json> nodes;
    for (const auto& n : doc["elements"]["nodes"])
        nodes[n["data"]["id"].get<std::string>()] = n["data"];
    CHECK(nodes.at("area:c.a1-area")["mechanisms"] == 1);
    CHECK(nodes.at("area:c.a2-area")["mechanisms"] == 0);
    CHECK(nodes.at("area:c.a2-area")["gaps"] == "uncovered");
    CHECK(nodes.at("area:c.a2-area")["gap_severity"] == "high");
    CHECK(nodes.at("area:c.a2-area")["colour"] == "#d62728");
    // b lies on the only a-c path: 1 of the (3-1)(3-2)/2 = 1 pairs.
    CHECK(nodes.at("mechanism:b")["betweenness"].get<double>() == Approx(1.0));
    CHECK(nodes.at("mechanism:b")["articulation_point"] == true);
    CHECK(nodes.at("mechanism:a")["articulation_point"] == false);
}

TEST_CASE("Exporting a 200 000-node map streams: memory stays far below the size of the output")
{
    Db d;
    d.conn.in_transaction([](db::Transaction& tx) {
        tx.exec("INSERT INTO mechanism (slug, name, kind, scope, model, description, review_status) "
                "SELECT 'm-' || g, 'Mechanism ' || g, 'forum', 'global', 'multistakeholder', "
                "repeat('a description of some length ', 4), 'accepted' FROM generate_series(1, 200000) g");
        tx.exec("INSERT INTO mechanism_relation (from_id, to_id, kind, review_status) "
                "SELECT a.id, b.id, 'cooperates_with', 'accepted' FROM mechanism a JOIN mechanism b "
                "ON b.slug = 'm-' || (substr(a.slug, 3)::int + 1)");
    });
    // govmap export of this map and of an empty one: the difference in peak
    // memory is what the map's size costs. (Under AddressSanitizer freed
    // memory would sit in quarantine and count; the quarantine is turned off.)
    auto env = d.env;
    std::string asan = std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "";
    env.env["ASAN_OPTIONS"] = asan + (asan.empty() ? "" : ":") + "quarantine_size_mb=0";
    env.measure_memory = true;
    test::TempDatabase empty;
    auto empty_env = env;
    empty_env.env["GOVMAP_DB"] = empty.conninfo();
    auto small_path = (d.dir.path() / "empty.graphml").string();
    auto small = test::run_govmap({"export", "--format", "graphml", "--out", small_path}, empty_env);
    REQUIRE(small.code == 0);
    auto path = (d.dir.path() / "big.graphml").string();
    auto big = test::run_govmap({"export", "--format", "graphml", "--out", path}, env);
    INFO(big.all());
    REQUIRE(big.code == 0);
    auto grown_kb = big.max_rss_kib - small.max_rss_kib;
    auto size_kb = static_cast<long>(std::filesystem::file_size(path) / 1024);
    INFO("peak memory grew by " << grown_kb << " KiB for an output of " << size_kb << " KiB");
    auto said = big.err.find("exported ");
    REQUIRE(said != std::string::npos);
    CHECK(std::stol(big.err.substr(said + 9)) >= 200000);
    // Buffering the output would need at least its size; streaming needs a few
    // buffers. The bound is a quarter of the output and at most 32 MiB.
    CHECK(size_kb > 64 * 1024);
    CHECK(grown_kb < std::min(32L * 1024, size_kb / 4));
}

TEST_CASE("export --with-gaps and gaps agree on every node for the same counting options")
{
    Bundled b;
    for (std::vector<std::string> options : {std::vector<std::string>{"--as-of", "2014", "--primary-only"},
                                             std::vector<std::string>{"--as-of", "2026", "--active-only"}}) {
        INFO(options[1] << " " << options[2]);
        std::vector<std::string> gaps_args{"gaps", "--format", "json"};
        gaps_args.insert(gaps_args.end(), options.begin(), options.end());
        auto report = test::run_govmap(gaps_args, b.env);
        REQUIRE(report.code == 0);
        auto gaps = json::parse(report.out);
        std::vector<std::string> extra{"--with-gaps"};
        extra.insert(extra.end(), options.begin(), options.end());
        auto graph = json::parse(read(b.exported("cytoscape", extra, "agree.json")));
        std::map<std::string, json> exported;
        for (const auto& n : graph["elements"]["nodes"])
            exported[n["data"]["id"].get<std::string>()] = n["data"];
        // The finding kinds on each node, as the report lists them.
        std::map<std::string, std::set<std::string>> kinds;
        for (const auto& f : gaps["findings"])
            if (!f["node"].is_null())
                for (const auto& k : f["kinds"])
                    kinds[f["node"].get<std::string>()].insert(k.get<std::string>());
        std::size_t compared = 0;
        for (const auto& n : gaps["nodes"]) {
            auto id = "area:" + n["code"].get<std::string>();
            INFO(id);
            REQUIRE(exported.count(id) == 1);
            const auto& d = exported[id];
            CHECK(d["mechanisms"] == n["mechanisms"]);
            CHECK(d["scope_global"] == n["scope"].value("global", 0));
            CHECK(d["centrality_adjacent"] == n["centrality"].value("adjacent", 0));
            std::set<std::string> flagged;
            std::istringstream list(d["gaps"].is_null() ? std::string() : d["gaps"].get<std::string>());
            for (std::string k; std::getline(list, k, ',');)
                if (!k.empty())
                    flagged.insert(k);
            CHECK(flagged == kinds[n["code"].get<std::string>()]);
            ++compared;
        }
        CHECK(compared == gaps["nodes"].size());
        CHECK(compared > 60);
    }
}
