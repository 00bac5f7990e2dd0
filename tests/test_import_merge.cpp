// Loading: idempotent re-import, exact updates, absent columns, the three
// formats agreeing, options, the bulk path and atomicity.
#include "importer/importer.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace govmap;

namespace {

importer::InputFile file(const std::string& name, const std::string& text) { return {name, text, {}, {}}; }

importer::Options as(const std::string& who = "tester")
{
    importer::Options o;
    o.contributor = who;
    return o;
}

const std::string sources =
    "key,title,url\ns1,Source one,https://example.org/one\ns2,Source two,https://example.org/two\n";
const std::string areas = "code,name,level,parent,source\n"
                          "security,Security,cluster,,s1\n"
                          "security.cybercrime-area,Cybercrime,area,security,s1\n"
                          "security.cybercrime,Cybercrime,issue,security.cybercrime-area,s1\n"
                          "security.spam,Spam,issue,security.cybercrime-area,s1\n";
const std::string mechanisms = "slug,name,acronym,kind,scope,model,centrality,founded,description,source\n"
                               "interpol,International Criminal Police Organization,INTERPOL,organisation,global,"
                               "intergovernmental,adjacent,,Police cooperation,s1\n"
                               "budapest,\"Convention on Cybercrime, Budapest\",,instrument,regional,intergovernmental,"
                               "core,2001,,s1\n"
                               "t-cy,Cybercrime Convention Committee,T-CY,forum,regional,intergovernmental,core,,,s1\n";
const std::string relations = "from,kind,to,source\nt-cy,part_of,budapest,s1\ninterpol,cooperates_with,budapest,s1\n";
const std::string links = "mechanism,area,strength,source\ninterpol,security.cybercrime,primary,s1\n"
                          "budapest,security.cybercrime,primary,s1\n";

std::vector<importer::InputFile> base()
{
    return {file("sources.csv", sources), file("areas.csv", areas), file("mechanisms.csv", mechanisms),
            file("relations.csv", relations), file("mechanism_areas.csv", links)};
}

std::string problems(const importer::Report& r)
{
    std::string s;
    for (const auto& p : r.problems)
        s += p.where + ": " + p.message + "\n";
    return s;
}

}  // namespace

TEST_CASE("Importing the same files again reports everything unchanged and touches no row")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    auto first = importer::import(conn, base(), as());
    REQUIRE(problems(first).empty());
    CHECK(first.counts["mechanisms"].inserted == 3);
    CHECK(first.counts["areas"].inserted == 4);
    CHECK(first.counts["relations"].inserted == 2);
    auto before = test::fingerprint(conn);

    auto again = importer::import(conn, base(), as("someone-else"));
    REQUIRE(problems(again).empty());
    for (const auto& [type, c] : again.counts) {
        INFO(type);
        CHECK(c.inserted == 0);
        CHECK(c.updated == 0);
    }
    CHECK(again.counts["mechanisms"].unchanged == 3);
    CHECK(again.counts["sources"].unchanged == 2);
    CHECK(test::fingerprint(conn) == before);
}

TEST_CASE("An edited file updates exactly the rows that changed")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    REQUIRE(problems(importer::import(conn, base(), as())).empty());
    auto files = base();
    files[2].text = "slug,name,acronym,kind,scope,model,centrality,founded,description,source\n"
                    "interpol,International Criminal Police Organization,INTERPOL,organisation,global,"
                    "intergovernmental,adjacent,,Police cooperation across 195 countries,s1\n"
                    "budapest,\"Convention on Cybercrime, Budapest\",,instrument,regional,intergovernmental,"
                    "core,2001,,s1\n"
                    "t-cy,Cybercrime Convention Committee,T-CY,forum,regional,intergovernmental,core,,,s1\n";
    files[3].text = "from,kind,to,source\nt-cy,part_of,budapest,s2\ninterpol,cooperates_with,budapest,s1\n";
    auto r = importer::import(conn, files, as("editor"));
    REQUIRE(problems(r).empty());
    CHECK(r.counts["mechanisms"].updated == 1);
    CHECK(r.counts["mechanisms"].unchanged == 2);
    CHECK(r.counts["relations"].updated == 1);
    CHECK(r.counts["relations"].unchanged == 1);
    CHECK(test::scalar(conn, "SELECT string_agg(slug || ':' || version || ':' || contributed_by, ' ' ORDER BY slug) "
                             "FROM mechanism") == "budapest:1:tester interpol:2:editor t-cy:1:tester");
    CHECK(test::scalar(conn, "SELECT s.key FROM mechanism_relation r JOIN source s ON s.id = r.source_id "
                             "WHERE r.kind = 'part_of'") == "s2");
}

TEST_CASE("A column missing from a file leaves existing values alone, and an empty cell clears them")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    REQUIRE(problems(importer::import(conn, base(), as())).empty());
    auto r = importer::import(conn,
                              {file("mechanisms.csv", "slug,name,kind,scope,model\n"
                                                      "interpol,International Criminal Police Organization,"
                                                      "organisation,global,intergovernmental\n")},
                              as());
    REQUIRE(problems(r).empty());
    CHECK(r.counts["mechanisms"].unchanged == 1);
    CHECK(
        test::scalar(
            conn, "SELECT description || '/' || acronym || '/' || centrality FROM mechanism WHERE slug = 'interpol'") ==
        "Police cooperation/INTERPOL/adjacent");

    r = importer::import(conn,
                         {file("mechanisms.csv", "slug,name,kind,scope,model,description,centrality\n"
                                                 "interpol,International Criminal Police Organization,"
                                                 "organisation,global,intergovernmental,,\n")},
                         as());
    REQUIRE(problems(r).empty());
    CHECK(r.counts["mechanisms"].updated == 1);
    // An emptied optional column becomes NULL; an emptied column with a default takes the default.
    CHECK(
        test::scalar(
            conn, "SELECT coalesce(description, 'NULL') || '/' || centrality FROM mechanism WHERE slug = 'interpol'") ==
        "NULL/core");
}

TEST_CASE("The same map as CSV, as the spreadsheet layout and as JSON gives identical databases")
{
    const std::string src_url = "https://example.org/evidence";
    const std::string area_csv = "code,name,level,parent\nsecurity,Security,cluster,\n"
                                 "security.cybercrime-area,Cybercrime,area,security\n"
                                 "human-rights,Human rights,cluster,\n"
                                 "human-rights.privacy-area,Privacy and data protection,area,human-rights\n";
    // 1. One CSV file per record type.
    std::vector<importer::InputFile> csv{
        file("areas.csv", area_csv), file("sources.csv", "key,title,url\nev," + src_url + "," + src_url + "\n"),
        file("mechanisms.csv", "slug,name,acronym,kind,scope,model,centrality,url,source\n"
                               "interpol,International Criminal Police Organization,INTERPOL,organisation,global,"
                               "intergovernmental,adjacent,https://www.interpol.int/,ev\n"
                               "coe,Council of Europe,CoE,organisation,regional,intergovernmental,adjacent,," +
                                   src_url + "\n"),
        file("mechanism_areas.csv", "mechanism,area,strength,note,source\n"
                                    "interpol,security.cybercrime-area,primary,police cooperation,ev\n"
                                    "coe,security.cybercrime-area,secondary,,ev\n"
                                    "coe,human-rights.privacy-area,primary,,ev\n"),
        file("regions.csv", "mechanism,region,source\ncoe,europe,ev\n")};
    // 2. The working group's sheet, one row per mechanism x area (areas named as people name them).
    std::vector<importer::InputFile> sheet{
        file("areas.csv", area_csv),
        file("sheet.csv",
             "Area,Mechanism,Acronym,Scope,Model,Centrality,Strength,Region,URL,Source URL,Notes\n"
             "Cybercrime,International Criminal Police Organization,INTERPOL,global,intergovernmental,"
             "adjacent,primary,,https://www.interpol.int/," +
                 src_url +
                 ",police cooperation\n"
                 "Cybercrime,Council of Europe,CoE,regional,intergovernmental,adjacent,secondary,Europe,," +
                 src_url +
                 ",\n"
                 "Privacy and data protection,Council of Europe,CoE,,,,primary,europe,," +
                 src_url + ",\n")};
    sheet[1].format = "spreadsheet";
    // 3. One JSON document.
    std::vector<importer::InputFile> json{file("map.json", R"({
        "areas": [{"code": "security", "name": "Security", "level": "cluster"},
                  {"code": "security.cybercrime-area", "name": "Cybercrime", "level": "area", "parent": "security"},
                  {"code": "human-rights", "name": "Human rights", "level": "cluster"},
                  {"code": "human-rights.privacy-area", "name": "Privacy and data protection", "level": "area", "parent": "human-rights"}],
        "sources": [{"key": "evidence", "title": ")" + src_url +
                                                               R"(", "url": ")" + src_url + R"("}],
        "mechanisms": [
          {"slug": "interpol", "name": "International Criminal Police Organization", "acronym": "INTERPOL", "kind": "organisation",
           "scope": "global", "model": "intergovernmental", "centrality": "adjacent", "url": "https://www.interpol.int/", "source": "evidence"},
          {"slug": "coe", "name": "Council of Europe", "acronym": "CoE", "kind": "organisation", "scope": "regional",
           "model": "intergovernmental", "centrality": "adjacent", "source": "evidence"}],
        "mechanism_areas": [
          {"mechanism": "interpol", "area": "security.cybercrime-area", "strength": "primary", "note": "police cooperation", "source": "evidence"},
          {"mechanism": "coe", "area": "Cybercrime", "strength": "secondary", "source": "evidence"},
          {"mechanism": "coe", "area": "human-rights.privacy-area", "strength": "primary", "source": "evidence"}],
        "regions": [{"mechanism": "coe", "region": "150", "source": "evidence"}]})")};

    std::vector<std::string> contents;
    for (const auto& files : {csv, sheet, json}) {
        test::TempDatabase tdb;
        auto conn = tdb.connect();
        auto r = importer::import(conn, files, as());
        INFO(problems(r));
        REQUIRE(r.problems.empty());
        CHECK(test::scalar(conn, "SELECT count(*) FROM mechanism_area") == "3");
        contents.push_back(test::content(conn));
    }
    CHECK(contents[0] == contents[1]);
    CHECK(contents[0] == contents[2]);
}

TEST_CASE("A dry run reports what would change and writes nothing")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    auto before = test::fingerprint(conn);
    auto o = as();
    o.dry_run = true;
    auto r = importer::import(conn, base(), o);
    REQUIRE(problems(r).empty());
    CHECK(r.dry_run);
    CHECK(r.counts["mechanisms"].inserted == 3);
    CHECK(test::fingerprint(conn) == before);
}

TEST_CASE("The options --source, --as and --status apply to the rows they should")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    test::TempDir dir;
    auto out = test::run_govmap({"import", dir.write("sources.csv", sources), dir.write("areas.csv", areas)},
                                {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
    REQUIRE(out.code == 0);
    auto mechanisms = dir.write("mechanisms.csv", "slug,name,kind,scope,model,source\n"
                                                  "with-source,A,forum,global,multistakeholder,s1\n"
                                                  "without-source,B,forum,global,multistakeholder,\n");
    // Proposed: a proposal by the contributor, the default source on the row that names none, the map untouched.
    out = test::run_govmap(
        {"import", "--source", "https://example.org/two", "--as", "Phil Rushton", "--status", "proposed", mechanisms},
        {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
    INFO(out.all());
    REQUIRE(out.code == 0);
    CHECK(test::scalar(conn, "SELECT count(*) FROM mechanism") == "0");
    CHECK(test::scalar(conn,
                       "SELECT string_agg(p.author || ':' || (r.fields->>'slug') || ':' || (r.fields->>'source'), "
                       "' ' ORDER BY r.seq) FROM proposal p JOIN proposal_record r ON r.proposal_id = p.id") ==
          "Phil Rushton:with-source:s1 Phil Rushton:without-source:s2");
    // Accepted: merged, with the contributor recorded on the rows.
    out = test::run_govmap({"import", "--source", "https://example.org/two", "--as", "Phil Rushton", mechanisms},
                           {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
    REQUIRE(out.code == 0);
    CHECK(test::scalar(conn,
                       "SELECT string_agg(m.slug || ':' || s.key || ':' || m.contributed_by || ':' || m.review_status, "
                       "' ' ORDER BY m.slug) FROM mechanism m JOIN source s ON s.id = m.source_id") ==
          "with-source:s1:Phil Rushton:accepted without-source:s2:Phil Rushton:accepted");
    out = test::run_govmap({"import", "--source", "nope",
                            dir.write("relations.csv", "from,kind,to\nwith-source,feeds_into,without-source\n")},
                           {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
    CHECK(out.code == 3);
    CHECK(out.err.find("--source: unknown source 'nope'") != std::string::npos);
}

TEST_CASE("A 100 000-row file loads through COPY with a fixed number of statements and a COPY per chunk")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    std::string text = "slug,name,kind,scope,model,founded\n";
    const int rows = 100000;
    for (int i = 0; i < rows; ++i)
        text += "m-" + std::to_string(i) + ",Mechanism number " + std::to_string(i) + ",forum," +
                (i % 3 ? "global" : "regional") + ",multistakeholder," + std::to_string(1900 + i % 120) + "\n";
    auto before = conn.statements_sent();
    auto r = importer::import(conn, {file("mechanisms.csv", text)}, as());
    auto statements = conn.statements_sent() - before;
    REQUIRE(problems(r).empty());
    CHECK(r.counts["mechanisms"].inserted == rows);
    CHECK(test::scalar(conn, "SELECT count(*) FROM mechanism") == std::to_string(rows));
    // Staging, checks and merges: the same statements for 10 rows or 10
    // million, but for one COPY per 8 MiB chunk of staged rows (a staged row
    // is its values and at most 160 bytes more), and one ANALYZE of the
    // tables a bulk merge changed (with its transaction) that 10 rows do
    // not need. A session of its own, as the first import of a session
    // creates the staging tables.
    std::string small = "slug,name,kind,scope,model,founded\n";
    for (int i = 0; i < 10; ++i)
        small += "s-" + std::to_string(i) + ",Small " + std::to_string(i) + ",forum,global,multistakeholder,2000\n";
    auto fresh = tdb.connect();
    before = fresh.statements_sent();
    REQUIRE(problems(importer::import(fresh, {file("mechanisms.csv", small)}, as())).empty());
    auto small_statements = fresh.statements_sent() - before;
    const std::size_t chunks = (text.size() + rows * 160) / (8 << 20) + 1;
    INFO("statements: " << statements << " for " << rows << " rows, " << small_statements << " for 10");
    CHECK(statements > small_statements);
    // Four more for suspending the table's one foreign key (a count, a
    // catalogue read, a drop and an add) when 100 000 rows are inserted.
    CHECK(statements <= small_statements + chunks + 2 + 4);
    CHECK(statements < 120);
    CHECK(test::scalar(conn, "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'mechanism'") ==
          "t");
}

TEST_CASE("A bulk import suspends the foreign keys of the tables it fills and adds them back as they were")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    test::TempDir dir;
    test::RunOptions env{{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}};
    auto synth = test::run_govmap({"synth", "--mechanisms", "10000", "--seed", "3", "--out", dir.path().string()});
    REQUIRE(synth.code == 0);
    std::vector<std::string> import{"import", "-q"};
    for (const char* f : {"sources.csv", "map_info.csv", "areas.csv", "mechanisms.csv", "relations.csv",
                          "mechanism_areas.csv", "stakeholders.csv", "regions.csv"})
        import.push_back((dir.path() / f).string());
    const std::string keys = "SELECT string_agg(conrelid::regclass || ' ' || conname || ' ' || "
                             "pg_get_constraintdef(oid), E'\\n' ORDER BY conrelid::regclass::text, conname) "
                             "FROM pg_constraint WHERE contype = 'f'";
    const std::string relation_key_oid =
        "SELECT oid FROM pg_constraint WHERE conname = 'mechanism_relation_from_id_fkey'";
    const std::string before = test::scalar(conn, keys), oid_before = test::scalar(conn, relation_key_oid);
    REQUIRE(before.find("mechanism_relation_from_id_fkey FOREIGN KEY (from_id) REFERENCES mechanism(id)") !=
            std::string::npos);

    // A dry run merges and rolls back: the keys are the very same objects.
    auto dry = import;
    dry.push_back("--dry-run");
    auto out = test::run_govmap(dry, env);
    INFO(out.err);
    REQUIRE(out.code == 0);
    CHECK(test::scalar(conn, relation_key_oid) == oid_before);
    CHECK(test::scalar(conn, "SELECT count(*) FROM mechanism_relation") == "0");

    // The real import: 25 000 relations into an empty table suspend its keys
    // (they come back as new objects), and every key reads as before.
    out = test::run_govmap(import, env);
    REQUIRE(out.code == 0);
    CHECK(test::scalar(conn, "SELECT count(*) FROM mechanism_relation") == "25000");
    CHECK(test::scalar(conn, relation_key_oid) != oid_before);
    CHECK(test::scalar(conn, keys) == before);
    CHECK(test::scalar(conn, "SELECT bool_and(convalidated) FROM pg_constraint WHERE contype = 'f'") == "t");
    // And they hold.
    CHECK_THROWS_WITH(test::scalar(conn, "INSERT INTO mechanism_relation (from_id, to_id, kind, contributed_by) "
                                         "SELECT -1, min(id), 'cooperates_with', 'x' FROM mechanism RETURNING id"),
                      Catch::Contains("mechanism_relation_from_id_fkey"));

    // Importing the same files again inserts nothing: no reason to touch the keys.
    const std::string oid_after = test::scalar(conn, relation_key_oid);
    REQUIRE(test::run_govmap(import, env).code == 0);
    CHECK(test::scalar(conn, relation_key_oid) == oid_after);
}

TEST_CASE("An import killed halfway leaves nothing behind")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    test::TempDir dir;
    std::string text = "slug,name,kind,scope,model\n";
    for (int i = 0; i < 300000; ++i)
        text += "k-" + std::to_string(i) + ",Killed " + std::to_string(i) + ",forum,global,multistakeholder\n";
    auto path = dir.write("mechanisms.csv", text);
    auto before = test::fingerprint(conn);

    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        setenv("GOVMAP_DB", tdb.conninfo().c_str(), 1);
        execl(GOVMAP_BINARY, GOVMAP_BINARY, "import", path.c_str(), (char*)nullptr);
        _exit(127);
    }
    // Wait until the import is inside its transaction, writing, then kill it.
    bool busy = false;
    for (int i = 0; i < 400 && !busy; ++i) {
        busy = test::scalar(conn, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                  "AND pid <> pg_backend_pid() AND state = 'active' AND xact_start IS NOT NULL") != "0";
        if (!busy)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(busy);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    // The server ends the orphaned transaction when it notices the lost client.
    for (int i = 0; i < 500; ++i) {
        if (test::scalar(conn, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                               "AND pid <> pg_backend_pid()") == "0")
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(test::fingerprint(conn) == before);
    CHECK(test::scalar(conn, "SELECT count(*) FROM mechanism") == "0");
}
