// govmap serve against a real server on loopback and a real PostgreSQL: the
// API answers what the command line answers, on a small map whose answers
// are derived by hand; the security rules hold; logins over TLS act as the
// visitor's own database role.
#include "analysis/gaps.hpp"
#include "importer/importer.hpp"
#include "output/mechanism.hpp"
#include "output/report.hpp"
#include "queries/catalogue.hpp"
#include "schema/settings.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/tempdb.hpp"
#include "text/text.hpp"
#include "web/server.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <set>
#include <thread>

using namespace govmap;
using nlohmann::json;

namespace {

// Cluster c: area c.a1-area (issue c.i1), area c.a2-area (issue c.i2).
// Cluster d: area d.a3-area (issue d.i3).
//
//   mechanism  founded  addresses   scope
//   old1       2001     c.i1        global
//   new1       2016     c.i1        regional (europe)
//   d1         1999     d.i3        global
//
// By hand: c.i2 and c.a2-area have no mechanism (uncovered); as of 2014 new1
// did not exist; under d the graph holds d1 and neither old1 nor new1.
const char* const areas_csv = "code,name,level,parent\n"
                              "c,Cluster C,cluster,\n"
                              "c.a1-area,Area one,area,c\n"
                              "c.a2-area,Area two,area,c\n"
                              "c.i1,Issue one,issue,c.a1-area\n"
                              "c.i2,Issue two,issue,c.a2-area\n"
                              "d,Cluster D,cluster,\n"
                              "d.a3-area,Area three,area,d\n"
                              "d.i3,Issue three,issue,d.a3-area\n";
const char* const mechanisms_csv = "slug,name,kind,scope,model,centrality,founded\n"
                                   "old1,Old Forum,forum,global,multistakeholder,core,2001\n"
                                   "new1,New Forum,forum,regional,intergovernmental,core,2016\n"
                                   "d1,D Body,organisation,global,intergovernmental,core,1999\n";
const char* const links_csv = "mechanism,area,strength\nold1,c.i1,primary\nnew1,c.i1,primary\nd1,d.i3,primary\n";
const char* const regions_csv = "mechanism,region\nnew1,europe\n";

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
                                   {"links.csv", links_csv, {}, {}},
                                   {"regions.csv", regions_csv, {}, {}}},
                                  o);
        INFO(r.problems.size());
        REQUIRE(r.problems.empty());
    }
};

/// A real server on a free loopback port, serving until destroyed.
struct Running {
    web::Server server;
    int port = 0;
    std::thread thread;
    Running(const Map& map, web::Options o)
        : server(std::move(o), [conninfo = map.tdb.conninfo()](const std::optional<web::Login>& login) {
              return db::Connection(login ? db::with_login(conninfo, login->user, login->password) : conninfo);
          })
    {
        port = server.bind();
        thread = std::thread([this] { server.run(); });
    }
    ~Running()
    {
        server.stop();
        thread.join();
    }
    httplib::Client client() const
    {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(30, 0);
        return c;
    }
};

web::Options loopback()
{
    web::Options o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.actor = "tester";
    o.version = "test";
    o.rate = 0;
    return o;
}

json get_json(httplib::Client& c, const std::string& path, int status = 200)
{
    auto r = c.Get(path);
    REQUIRE(r);
    INFO(path << " -> " << r->status << " " << r->body);
    REQUIRE(r->status == status);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    return json::parse(r->body);
}

std::set<std::string> node_ids(const json& graph)
{
    std::set<std::string> ids;
    for (const auto& n : graph["elements"]["nodes"])
        ids.insert(n["data"]["id"].get<std::string>());
    return ids;
}

/// The report without the moment it was made.
json without_time(json report)
{
    report.erase("generated_at");
    return report;
}

}  // namespace

TEST_CASE("The API answers what the command line answers, on a map whose answers are known")
{
    Map m;
    Running s(m, loopback());
    auto c = s.client();

    auto info = get_json(c, "/api/v1/info");
    CHECK(info["mechanisms"] == 3);
    CHECK(info["first_year"] == 1999);
    CHECK(info["can_review"] == true);  // the owner, on loopback
    CHECK(info["user"] == "tester");

    // The gap report: the same JSON as output::render of the same analysis.
    auto api = get_json(c, "/api/v1/gaps?under=c&kinds=uncovered");
    analysis::GapOptions o;
    o.under = "c";
    o.kinds = {"uncovered"};
    o.as_of = text::parse_as_of("today");
    auto tx = m.conn.begin(db::Isolation::snapshot);
    auto direct = json::parse(output::render(analysis::analyse(tx, o), output::ReportFormat::json));
    CHECK(without_time(api) == without_time(direct));
    std::set<std::string> uncovered;
    for (const auto& f : api["findings"])
        for (const auto& kind : f["kinds"])
            if (kind == "uncovered")
                uncovered.insert(f["node"].get<std::string>());
    CHECK(uncovered == std::set<std::string>{"c.a2-area", "c.i2"});

    // list-limit cuts the lists, never the counts: c.i1 has 2 covering mechanisms.
    auto cut = get_json(c, "/api/v1/gaps?under=c&list-limit=1");
    auto full = get_json(c, "/api/v1/gaps?under=c");
    REQUIRE(cut["nodes"].size() == full["nodes"].size());
    bool seen_i1 = false;
    for (std::size_t i = 0; i < cut["nodes"].size(); ++i) {
        const auto& n = cut["nodes"][i];
        CHECK(n["covering"].size() <= 1);
        CHECK(n["mechanisms"] == full["nodes"][i]["mechanisms"]);
        if (n["code"] == "c.i1") {
            seen_i1 = true;
            CHECK(n["mechanisms"] == 2);
            CHECK(full["nodes"][i]["covering"].size() == 2);
        }
    }
    CHECK(seen_i1);
    CHECK(cut["summary"] == full["summary"]);
    CHECK(cut["findings"].size() == full["findings"].size());

    // One mechanism: govmap show --format json.
    auto detail = queries::find_mechanism(tx, "new1");
    REQUIRE(detail);
    CHECK(get_json(c, "/api/v1/mechanisms/new1") ==
          json::parse(output::render_mechanism(*detail, output::MechanismFormat::json)));
    get_json(c, "/api/v1/mechanisms/nothing-such", 404);

    // The graph, filtered by cluster and by year.
    auto graph = get_json(c, "/api/v1/graph?under=d");
    CHECK(graph["too_many"] == false);
    auto ids = node_ids(graph["graph"]);
    CHECK(ids.count("mechanism:d1"));
    CHECK_FALSE(ids.count("mechanism:old1"));
    CHECK_FALSE(ids.count("mechanism:new1"));
    ids = node_ids(get_json(c, "/api/v1/graph?as-of=2014")["graph"]);
    CHECK(ids.count("mechanism:old1"));
    CHECK_FALSE(ids.count("mechanism:new1"));
    ids = node_ids(get_json(c, "/api/v1/graph?scope=regional")["graph"]);
    CHECK(ids.count("mechanism:new1"));
    CHECK_FALSE(ids.count("mechanism:old1"));

    // Past max-nodes, only the taxonomy: 8 areas, no mechanism.
    graph = get_json(c, "/api/v1/graph?max-nodes=5");
    CHECK(graph["too_many"] == true);
    CHECK(graph["limit"] == 5);
    CHECK(graph["nodes"].get<long>() > 5);
    CHECK(graph["mechanisms"] == 3);
    ids = node_ids(graph["graph"]);
    CHECK(ids.size() == 8);
    for (const auto& id : ids)
        CHECK(id.rfind("area:", 0) == 0);

    // Search and the listings.
    auto found = get_json(c, "/api/v1/search?q=Old%20Forum");
    REQUIRE_FALSE(found.empty());
    CHECK(found[0]["slug"] == "old1");
    auto listed = get_json(c, "/api/v1/mechanisms?area=d");
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["slug"] == "d1");
    CHECK(get_json(c, "/api/v1/mechanisms?limit=2&offset=2").size() == 1);
    CHECK(get_json(c, "/api/v1/areas?area=d").size() == 3);
    // Regions with the mechanisms operating in them or inside them: new1 operates in europe.
    bool europe = false;
    for (const auto& r : get_json(c, "/api/v1/regions"))
        if (r["code"] == "europe") {
            europe = true;
            CHECK(r["mechanisms"] == "1");
        } else if (r["code"] == "world") {
            CHECK(r["mechanisms"] == "1");  // europe lies inside the world
        } else if (r["code"] == "africa") {
            CHECK(r["mechanisms"] == "0");
        }
    CHECK(europe);
}

TEST_CASE("An export streams the same file the command line writes")
{
    Map m;
    Running s(m, loopback());
    auto c = s.client();
    auto r = c.Get("/api/v1/export?format=graphml&under=c");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Transfer-Encoding") == "chunked");
    CHECK(r->get_header_value("Content-Disposition").find("govmap.graphml") != std::string::npos);
    auto cli = test::run_govmap({"export", "--format", "graphml", "--under", "c"},
                                {{{"GOVMAP_DB", m.tdb.conninfo()}}, {}, {}});
    REQUIRE(cli.code == 0);
    CHECK(r->body == cli.out);
    // A name the map lacks is refused before anything is streamed.
    r = c.Get("/api/v1/export?format=dot&under=nowhere");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(json::parse(r->body)["error"].get<std::string>().find("nowhere") != std::string::npos);
    r = c.Get("/api/v1/export?format=pdf");
    REQUIRE(r);
    CHECK(r->status == 400);
}

TEST_CASE("Requests are refused what they may not do, and input stays data")
{
    Map m;
    auto o = loopback();
    o.rate = 1;
    o.burst = 3;
    o.max_body = 1024;
    Running s(m, o);
    auto c = s.client();

    auto r = c.Get("/api/v1/info", {{"Origin", "https://elsewhere.example"}});
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Security-Policy").find("script-src 'self'") != std::string::npos);
    CHECK(r->get_header_value("Content-Security-Policy").find("unsafe") == std::string::npos);
    CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK_FALSE(r->has_header("Access-Control-Allow-Origin"));

    // Brotli (httplib's slowest setting, seconds on a big report) is never chosen; gzip is.
    c.set_decompress(false);
    r = c.Get("/assets/vendor/cytoscape.min.js", {{"Accept-Encoding", "br, gzip"}});
    REQUIRE(r);
    CHECK(r->get_header_value("Content-Encoding") == "gzip");
    CHECK(r->body.size() < 200000);  // 435 649 bytes plain

    // Another host name (DNS rebinding) is not answered.
    r = c.Get("/api/v1/info", {{"Host", "attacker.example"}});
    REQUIRE(r);
    CHECK(r->status == 421);

    // The third request of this burst is over the limit.
    r = c.Get("/api/v1/info");
    REQUIRE(r);
    CHECK(r->status == 429);
    CHECK(r->has_header("Retry-After"));
}

TEST_CASE("Bad parameters, injected SQL and oversized bodies get clear errors")
{
    Map m;
    auto o = loopback();
    o.max_body = 1024;
    Running s(m, o);
    auto c = s.client();
    CHECK(get_json(c, "/api/v1/areas?undr=c", 400)["error"].get<std::string>().find("undr") != std::string::npos);
    CHECK(get_json(c, "/api/v1/gaps?as-of=1066", 400)["error"].get<std::string>().find("1066") != std::string::npos);
    get_json(c, "/api/v1/gaps?by-region=maybe", 400);
    get_json(c, "/api/v1/graph?max-nodes=-1", 400);
    get_json(c, "/api/v1/graph?under=c'%20OR%201=1%20--", 400);
    get_json(c, "/api/v1/search?q=%27%3B%20DROP%20TABLE%20mechanism%3B%20--", 200);
    CHECK(test::scalar(m.conn, "SELECT count(*) FROM mechanism") == "3");

    // Changes need the JSON content type and the header a form cannot send.
    auto r = c.Post("/api/v1/proposals/1/reject", "note=x", "application/x-www-form-urlencoded");
    REQUIRE(r);
    CHECK(r->status == 403);
    httplib::Headers h{{"X-Requested-With", "govmap"}};
    r = c.Post("/api/v1/proposals/1/reject", h, std::string(4096, ' '), "application/json");
    REQUIRE(r);
    CHECK(r->status == 413);
    r = c.Delete("/api/v1/info");
    REQUIRE(r);
    CHECK(r->status == 405);
}

TEST_CASE("A reviewer decides proposals through the API, and a read-only server refuses")
{
    Map m;
    importer::Options p;
    p.status = "proposed";
    p.contributor = "alice";
    auto r = importer::import(
        m.conn,
        {{"mechanisms.csv",
          "slug,name,kind,scope,model,founded\nprop1,Proposed Forum,forum,global,multistakeholder,2010\n",
          {},
          {}}},
        p);
    REQUIRE(r.proposal);
    std::string id = std::to_string(*r.proposal);

    {
        auto o = loopback();
        o.read_only = true;
        Running s(m, o);
        auto c = s.client();
        CHECK(get_json(c, "/api/v1/info")["can_review"] == false);
        auto res =
            c.Post("/api/v1/proposals/" + id + "/accept", {{"X-Requested-With", "govmap"}}, "{}", "application/json");
        REQUIRE(res);
        CHECK(res->status == 403);
    }

    Running s(m, loopback());
    auto c = s.client();
    auto open = get_json(c, "/api/v1/proposals");
    REQUIRE(open.size() == 1);
    CHECK(open[0]["author"] == "alice");
    auto shown = get_json(c, "/api/v1/proposals/" + id);
    REQUIRE(shown["records"].size() == 1);
    bool name_shown = false;
    for (const auto& f : shown["records"][0]["fields"])
        name_shown = name_shown || (f["field"] == "name" && f["after"] == "Proposed Forum" && f["before"].is_null());
    CHECK(name_shown);
    CHECK(get_json(c, "/api/v1/mechanisms/prop1", 404).contains("error"));
    CHECK(get_json(c, "/api/v1/mechanisms/prop1?include-proposed=1")["name"] == "Proposed Forum");

    httplib::Headers h{{"X-Requested-With", "govmap"}};
    auto res = c.Post("/api/v1/proposals/" + id + "/reject", h, "{}", "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);  // a rejection needs a note
    res = c.Post("/api/v1/proposals/" + id + "/accept", h, R"({"note":"checked the source"})", "application/json");
    REQUIRE(res);
    INFO(res->body);
    CHECK(res->status == 200);
    CHECK(json::parse(res->body)["status"] == "accepted");
    CHECK(json::parse(res->body)["decided_by"] == "tester");
    CHECK(get_json(c, "/api/v1/mechanisms/prop1")["name"] == "Proposed Forum");
    res = c.Post("/api/v1/proposals/" + id + "/accept", h, "{}", "application/json");
    REQUIRE(res);
    CHECK(res->status == 409);  // no longer open
    CHECK(get_json(c, "/api/v1/proposals").empty());
}

TEST_CASE("Only loopback without --allow-remote, and remote visitors log in over TLS as their own role")
{
    Map m;
    {
        auto o = loopback();
        o.host = "0.0.0.0";
        CHECK_THROWS_AS(Running(m, o), web::StartError);
        o.allow_remote = true;
        CHECK_THROWS_AS(Running(m, o), web::StartError);  // no TLS
    }
    // A self-signed certificate, and two roles made by govmap user add.
    test::TempDir dir;
    std::string cert = (dir.path() / "cert.pem").string(), key = (dir.path() / "key.pem").string();
    REQUIRE(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " + key +
                         " -out " + cert + " >/dev/null 2>&1")
                            .c_str()) == 0);
    std::string suffix = std::to_string(getpid());
    std::string contributor = "gm_web_c_" + suffix, reviewer = "gm_web_r_" + suffix;
    for (const auto& [name, role] : {std::pair{contributor, "contributor"}, std::pair{reviewer, "reviewer"}}) {
        auto pw = dir.write(name + ".pw", "pw-" + name + "\n");
        auto out = test::run_govmap({"user", "add", name, "--role", role, "--password-file", pw},
                                    {{{"GOVMAP_DB", m.tdb.conninfo()}}, {}, {}});
        INFO(out.all());
        REQUIRE(out.code == 0);
    }
    importer::Options p;
    p.status = "proposed";
    p.contributor = "alice";
    auto proposal = importer::import(
        m.conn,
        {{"mechanisms.csv", "slug,name,kind,scope,model\nprop2,Second Forum,forum,global,multistakeholder\n", {}, {}}},
        p);
    REQUIRE(proposal.proposal);
    std::string accept = "/api/v1/proposals/" + std::to_string(*proposal.proposal) + "/accept";

    auto o = loopback();
    o.allow_remote = true;
    o.tls_cert = cert;
    o.tls_key = key;
    {
        Running s(m, o);
        httplib::SSLClient c("127.0.0.1", s.port);
        c.set_ca_cert_path(cert);
        c.enable_server_certificate_verification(true);
        auto r = c.Get("/api/v1/info");
        REQUIRE(r);
        CHECK(r->status == 401);
        CHECK(r->get_header_value("WWW-Authenticate").find("Basic") != std::string::npos);
        c.set_basic_auth(contributor, "wrong");
        r = c.Get("/api/v1/info");
        REQUIRE(r);
        CHECK(r->status == 401);

        c.set_basic_auth(contributor, ("pw-" + contributor));
        r = c.Get("/api/v1/info");
        REQUIRE(r);
        REQUIRE(r->status == 200);
        CHECK(json::parse(r->body)["user"] == contributor);
        CHECK(json::parse(r->body)["can_review"] == false);
        httplib::Headers h{{"X-Requested-With", "govmap"}};
        r = c.Post(accept, h, "{}", "application/json");
        REQUIRE(r);
        CHECK(r->status == 403);

        c.set_basic_auth(reviewer, ("pw-" + reviewer));
        r = c.Post(accept, h, "{}", "application/json");
        REQUIRE(r);
        INFO(r->body);
        CHECK(r->status == 200);
        CHECK(json::parse(r->body)["decided_by"] == reviewer);
    }
    try {
        db::Connection admin("dbname=postgres");
        auto tx = admin.begin(db::Isolation::autocommit);
        for (const auto& n : {contributor, reviewer})
            tx.exec("DROP ROLE IF EXISTS " + tx.quote_name(n));
    } catch (...) {
        // Roles that still own rows in the test database go with the cluster.
    }
}

TEST_CASE("Every call in docs/openapi.yaml answers what the document says")
{
    std::string python;
    for (const char* py : {"python3", "/usr/bin/python3"})
        if (python.empty() && std::system((std::string(py) + " -c 'import yaml, jsonschema' 2>/dev/null").c_str()) == 0)
            python = py;
    if (!test::have_client("python3 with yaml and jsonschema", python.empty() ? "false" : "true",
                           "python3-yaml python3-jsonschema"))
        return;
    Map m;
    importer::Options p;
    p.status = "proposed";
    p.contributor = "alice";
    REQUIRE(importer::import(m.conn,
                             {{"mechanisms.csv",
                               "slug,name,kind,scope,model\nprop3,Third Forum,forum,global,multistakeholder\n",
                               {},
                               {}}},
                             p)
                .proposal);
    Running s(m, loopback());
    std::string source = GOVMAP_SOURCE_DIR;
    std::string cmd = python + " " + source + "/tests/clients/check_api.py http://127.0.0.1:" + std::to_string(s.port) +
                      " " + source + "/docs/openapi.yaml 2>&1";
    std::string out;
    FILE* f = popen(cmd.c_str(), "r");
    REQUIRE(f);
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;)
        out.append(buf, n);
    int status = pclose(f);
    INFO(out);
    CHECK(status == 0);
    CHECK(out.find("ok GET /proposals/") != std::string::npos);
    CHECK(out.find("FAIL") == std::string::npos);
}
