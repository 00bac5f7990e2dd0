// Contributors and reviewers against a real PostgreSQL with real LOGIN roles:
// proposals never touch accepted data, review applies them, history is
// append-only, roles are refused what they may not do, races have one winner.
#include "importer/importer.hpp"
#include "review/review.hpp"
#include "seed/bundled.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <thread>

using namespace govmap;

namespace {

struct Map {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    test::TempDir dir;

    explicit Map(bool seeded = true)
    {
        if (!seeded)
            return;
        std::vector<importer::InputFile> files;
        for (const auto& f : seed::bundled_files())
            files.push_back({f.name, f.text, std::nullopt, std::nullopt});
        importer::Options o;
        o.contributor = "govmap-seed";
        o.check_duplicates = false;
        REQUIRE(importer::import(conn, files, o).problems.empty());
    }
    test::Output govmap(std::vector<std::string> args, const std::string& conninfo = {}) const
    {
        return test::run_govmap(args, {{{"GOVMAP_DB", conninfo.empty() ? tdb.conninfo() : conninfo}}, {}, {}});
    }
    std::string scalar(const std::string& sql, const db::Params& p = {}) { return test::scalar(conn, sql, p); }
};

/// LOGIN roles made with `govmap user add`, dropped at the end.
struct Users {
    explicit Users(const Map& m) : map(m) {}
    const Map& map;
    std::vector<std::string> names;
    std::string suffix = std::to_string(getpid());

    std::string add(const std::string& role)
    {
        std::string name = "gm_" + role + "_" + suffix;
        auto pw = map.dir.write(name + ".pw", "secret-" + name + "\n");
        auto out = map.govmap({"user", "add", name, "--role", role, "--password-file", pw});
        INFO(out.all());
        REQUIRE(out.code == 0);
        CHECK(out.all().find("secret-") == std::string::npos);
        names.push_back(name);
        return name;
    }
    std::string conninfo(const std::string& name) const
    {
        return map.tdb.conninfo() + " user=" + name + " password=secret-" + name;
    }
    ~Users()
    {
        try {
            db::Connection admin("dbname=postgres");
            auto tx = admin.begin(db::Isolation::autocommit);
            for (const auto& n : names)
                tx.exec("DROP ROLE IF EXISTS " + tx.quote_name(n));
        } catch (...) {
        }
    }
};

const char* const un_gge_fix = "slug,name,status,ended\nun-gge,UN GGE (corrected),active,\n";

}  // namespace

TEST_CASE("A proposed change to un-gge leaves show, gaps and export byte-identical until accepted")
{
    Map m;
    auto fix = m.dir.write("mechanisms.csv", un_gge_fix);
    auto snapshot = [&] {
        return m.govmap({"show", "un-gge"}).out + m.govmap({"gaps", "--as-of", "all"}).out +
               m.govmap({"export", "--format", "graphml", "--as-of", "all"}).out +
               m.govmap({"list", "mechanisms", "--format", "csv"}).out;
    };
    std::string before = snapshot();
    std::string accepted_row = m.scalar("SELECT row(m.*)::text FROM mechanism m WHERE slug = 'un-gge'");
    REQUIRE(before.find("UN Group of Governmental Experts") != std::string::npos);

    auto out = m.govmap({"import", "--status", "proposed", "--as", "alice", fix});
    INFO(out.all());
    REQUIRE(out.code == 0);
    CHECK(out.out.find("name: \"UN Group of Governmental Experts on ICT in the context of international security\" "
                       "-> \"UN GGE (corrected)\"") != std::string::npos);
    CHECK(snapshot() == before);
    CHECK(m.scalar("SELECT row(m.*)::text FROM mechanism m WHERE slug = 'un-gge'") == accepted_row);
    // The map as if the proposal were accepted, without it being accepted.
    CHECK(m.govmap({"show", "un-gge", "--include-proposed"}).out.find("UN GGE (corrected)") != std::string::npos);
    CHECK(snapshot() == before);

    SECTION("reject leaves it as it was, and the proposal stays in history")
    {
        out = m.govmap({"review", "reject", "1", "--note", "the UN page says otherwise"});
        REQUIRE(out.code == 0);
        CHECK(snapshot() == before);
        CHECK(m.scalar("SELECT status || ' ' || note FROM proposal WHERE id = 1") ==
              "rejected the UN page says otherwise");
        CHECK(m.govmap({"review", "accept", "1"}).code == 4);
    }
    SECTION("accept applies it, records who and why, and history holds the accepted values")
    {
        out = m.govmap({"review", "accept", "1", "--note", "checked"});
        REQUIRE(out.code == 0);
        CHECK(m.scalar("SELECT name || ' ' || status || ' ' || coalesce(ended::text, '-') || ' ' || contributed_by "
                       "|| ' v' || version FROM mechanism WHERE slug = 'un-gge'") ==
              "UN GGE (corrected) active - alice v2");
        CHECK(m.scalar("SELECT count(*) FROM history WHERE table_name = 'mechanism' AND row_key = 'un-gge' "
                       "AND operation = 'update' AND proposal_id = 1 AND decision = 'accepted' "
                       "AND before->>'name' LIKE 'UN Group of Governmental Experts%' "
                       "AND after->>'name' = 'UN GGE (corrected)'") == "1");
        CHECK(snapshot() != before);
        auto h = m.govmap({"history", "un-gge"});
        CHECK(h.out.find("update mechanism un-gge (proposal 1)") != std::string::npos);
        // Accepting twice is a conflict, not a second application.
        CHECK(m.govmap({"review", "accept", "1"}).code == 4);
    }
}

TEST_CASE("Accepting a proposal whose base version is stale is refused with both versions")
{
    Map m;
    REQUIRE(m.govmap({"edit", "igf", "--set", "founded=2005"}).code == 0);
    REQUIRE(m.govmap({"edit", "igf", "--set", "url=https://www.intgovforum.org/en"}).code == 0);
    REQUIRE(m.govmap({"review", "accept", "2"}).code == 0);
    auto out = m.govmap({"review", "accept", "1"});
    INFO(out.all());
    CHECK(out.code == 4);
    CHECK(out.err.find("proposed against version 1, but the map now has version 2") != std::string::npos);
    CHECK(m.scalar("SELECT founded FROM mechanism WHERE slug = 'igf'") == "2006");
    CHECK(m.govmap({"review", "show", "1"}).out.find("the map has version 2 now") != std::string::npos);
}

TEST_CASE("Add, link, unlink and remove are proposals that history records once accepted")
{
    Map m;
    auto out = m.govmap({"add", "mechanism", "name=Test Observatory of Examples", "kind=observatory", "scope=global",
                         "model=civil_society", "--source", "digwatch-home"});
    INFO(out.all());
    REQUIRE(out.code == 0);
    CHECK(m.scalar("SELECT count(*) FROM mechanism WHERE slug = 'test-observatory-of-examples'") == "0");
    REQUIRE(m.govmap({"link", "test-observatory-of-examples", "cooperates_with", "igf", "--accept"}).code == 3);
    REQUIRE(m.govmap({"review", "accept", "1"}).code == 0);
    out = m.govmap(
        {"link", "test-observatory-of-examples", "cooperates_with", "igf", "--source", "digwatch-home", "--accept"});
    REQUIRE(out.code == 0);
    CHECK(m.scalar("SELECT count(*) FROM record_relations WHERE \"from\" = 'test-observatory-of-examples'") == "1");
    // A removal needs a reason and goes through review too; its links go with it.
    CHECK(m.govmap({"remove", "test-observatory-of-examples"}).code == 2);
    REQUIRE(m.govmap({"remove", "test-observatory-of-examples", "--reason", "a test entry"}).code == 0);
    CHECK(m.scalar("SELECT count(*) FROM mechanism WHERE slug = 'test-observatory-of-examples'") == "1");
    REQUIRE(m.govmap({"review", "accept", "3"}).code == 0);
    CHECK(m.scalar("SELECT count(*) FROM mechanism WHERE slug = 'test-observatory-of-examples'") == "0");
    CHECK(m.scalar("SELECT string_agg(table_name || ':' || operation, ' ' ORDER BY id) FROM history "
                   "WHERE proposal_id = 3") == "mechanism:delete mechanism_relation:delete");
    CHECK(m.scalar("SELECT summary FROM proposal WHERE id = 3") == "remove test-observatory-of-examples: a test entry");
    // Unlinking what is not there is refused by the importer's rules.
    out = m.govmap({"unlink", "igf", "part_of", "icann", "--reason", "x"});
    CHECK(out.code == 3);
    CHECK(out.err.find("no relation 'igf part_of icann' to remove") != std::string::npos);
}

TEST_CASE("A new mechanism in an open proposal is a duplicate for the next one")
{
    Map m;
    auto add = [&](const std::string& slug) {
        return m.govmap({"add", "mechanism", "slug=" + slug, "name=Global Forum on Internet Examples", "kind=forum",
                         "scope=global", "model=multistakeholder"});
    };
    REQUIRE(add("gfie").code == 0);
    auto out = add("gfie-2");
    CHECK(out.code == 3);
    CHECK(out.err.find("probable duplicate of 'gfie' (Global Forum on Internet Examples, in open proposal 1)") !=
          std::string::npos);
    // With --include-proposed it is counted once.
    CHECK(m.govmap({"search", "Global Forum on Internet Examples", "--include-proposed", "--format", "csv"})
              .out.find("gfie-2") == std::string::npos);
}

TEST_CASE("Racing contributors adding the same mechanism end with one proposal and one refusal")
{
    Map m(false);
    std::atomic<int> stored{0}, refused{0};
    auto contributor = [&](const std::string& slug) {
        db::Connection conn = m.tdb.connect();
        importer::Options o;
        o.status = "proposed";
        o.contributor = slug;
        auto r = importer::import(
            conn,
            {{"mechanisms.json",
              R"({"mechanisms":[{"slug":")" + slug +
                  R"(","name":"Racing Forum","kind":"forum","scope":"global","model":"multistakeholder"}]})",
              {},
              {}}},
            o);
        (r.proposal ? stored : refused)++;
    };
    std::thread a(contributor, "race-a"), b(contributor, "race-b");
    a.join();
    b.join();
    CHECK(stored == 1);
    CHECK(refused == 1);
    CHECK(m.scalar("SELECT count(*) FROM proposal_record WHERE type = 'mechanisms'") == "1");
}

TEST_CASE("Racing reviewers accepting the same proposal apply it once")
{
    Map m(false);
    importer::Options o;
    o.status = "proposed";
    o.contributor = "carol";
    REQUIRE(importer::import(
                m.conn,
                {{"mechanisms.csv", "slug,name,kind,scope,model\nr1,R1,forum,global,multistakeholder\n", {}, {}}}, o)
                .proposal == 1L);
    std::atomic<int> won{0}, lost{0};
    auto reviewer = [&](const std::string& who) {
        db::Connection conn = m.tdb.connect();
        try {
            review::accept(conn, {1}, "", who);
            won++;
        } catch (const review::Conflict&) {
            lost++;
        }
    };
    std::thread a(reviewer, "r-a"), b(reviewer, "r-b");
    a.join();
    b.join();
    CHECK(won == 1);
    CHECK(lost == 1);
    CHECK(m.scalar("SELECT count(*) FROM mechanism WHERE slug = 'r1'") == "1");
    CHECK(m.scalar("SELECT count(*) FROM history WHERE table_name = 'mechanism' AND row_key = 'r1'") == "1");
}

TEST_CASE("Each role connects as itself and is refused what it may not do")
{
    Map m;
    Users users{m};
    auto reader = users.add("reader"), contributor = users.add("contributor"), reviewer = users.add("reviewer");
    auto fix = m.dir.write("mechanisms.csv", un_gge_fix);

    // A reader reads the accepted map and nothing else.
    CHECK(m.govmap({"show", "igf"}, users.conninfo(reader)).code == 0);
    auto out = m.govmap({"import", "--status", "proposed", fix}, users.conninfo(reader));
    CHECK(out.code == 6);
    CHECK(m.govmap({"review", "list"}, users.conninfo(reader)).code == 6);

    // A contributor proposes (recorded as the database role, whatever --as says) ...
    out = m.govmap({"import", "--status", "proposed", "--as", "someone-else", fix}, users.conninfo(contributor));
    INFO(out.all());
    REQUIRE(out.code == 0);
    CHECK(m.scalar("SELECT author FROM proposal WHERE id = 1") == contributor);
    // ... but cannot accept, import into the map directly, or change it by SQL.
    out = m.govmap({"review", "accept", "1"}, users.conninfo(contributor));
    CHECK(out.code == 6);
    CHECK(out.err.find("only a reviewer accepts") != std::string::npos);
    out = m.govmap({"import", fix}, users.conninfo(contributor));
    CHECK(out.code == 6);
    CHECK(out.err.find("only a reviewer changes the accepted map") != std::string::npos);
    {
        db::Connection c(users.conninfo(contributor));
        auto try_sql = [&](const std::string& sql) {
            try {
                auto tx = c.begin(db::Isolation::autocommit);
                tx.exec(sql);
                return std::string("allowed");
            } catch (const db::Error& e) {
                return e.sqlstate() + " " + e.what();
            }
        };
        CHECK_THAT(try_sql("UPDATE mechanism SET name = 'x' WHERE slug = 'igf'"),
                   Catch::StartsWith("42501") && Catch::Contains("only a reviewer changes the accepted map"));
        CHECK_THAT(try_sql("UPDATE proposal SET status = 'accepted', decided_by = current_user, decided_at = now() "
                           "WHERE id = 1"),
                   Catch::StartsWith("42501") && Catch::Contains("row-level security"));
        CHECK_THAT(try_sql("DELETE FROM history"), Catch::StartsWith("42501"));
        CHECK_THAT(try_sql("INSERT INTO history (table_name, operation, decision) VALUES ('x', 'insert', 'forged')"),
                   Catch::StartsWith("42501"));
    }
    // The same refusals through psql itself, as someone bypassing govmap would meet them.
    auto psql = [&](const std::string& who, const std::string& sql) {
        return test::run_govmap({"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", users.conninfo(who), "-c", sql},
                                {{}, {}, std::string("/usr/bin/psql")});
    };
    out = psql(reader, "UPDATE mechanism SET name = 'x' WHERE slug = 'igf'");
    CHECK(out.code != 0);
    CHECK(out.err.find("permission denied for table mechanism") != std::string::npos);
    out = psql(reader, "SELECT count(*) FROM proposal");
    CHECK(out.code != 0);
    CHECK(out.err.find("permission denied for table proposal") != std::string::npos);
    out = psql(contributor, "UPDATE mechanism SET name = 'x' WHERE slug = 'igf'");
    CHECK(out.code != 0);
    CHECK(out.err.find("only a reviewer changes the accepted map") != std::string::npos);
    out = psql(reviewer, "DELETE FROM history");
    CHECK(out.code != 0);
    CHECK(out.err.find("permission denied for table history") != std::string::npos);
    out = psql(reviewer, "SELECT rewind_map(now()); COMMIT");
    CHECK(out.code != 0);
    CHECK(out.err.find("never committed") != std::string::npos);
    CHECK(m.scalar("SELECT name FROM mechanism WHERE slug = 'igf'") == "Internet Governance Forum");
    // A reader runs the report and exports, and may compare with the map as recorded
    // today (rebuilt, then rolled back).
    for (const auto& args : {std::vector<std::string>{"gaps", "--format", "json"},
                             std::vector<std::string>{"export", "--format", "graphml"},
                             std::vector<std::string>{"search", "governance forum"}, std::vector<std::string>{"check"},
                             std::vector<std::string>{"history", "igf"}}) {
        out = m.govmap(args, users.conninfo(reader));
        INFO(args[0] << ": " << out.err);
        CHECK(out.code == 0);
    }
    out = m.govmap({"gaps", "--level", "cluster", "--compare", m.scalar("SELECT current_date::text")},
                   users.conninfo(reader));
    INFO(out.all());
    CHECK(out.code == 0);
    CHECK(out.out.find("Then and now") != std::string::npos);
    // Another contributor's proposal cannot be withdrawn by this one; the author can.
    CHECK(m.govmap({"review", "withdraw", "1"}, users.conninfo(reviewer)).code == 6);

    // A reviewer accepts, and is recorded as the one who did.
    out = m.govmap({"review", "accept", "1"}, users.conninfo(reviewer));
    REQUIRE(out.code == 0);
    CHECK(m.scalar("SELECT decided_by FROM proposal WHERE id = 1") == reviewer);
    CHECK(m.scalar("SELECT DISTINCT actor FROM history WHERE proposal_id = 1") == reviewer);
    // Only an admin adds users.
    auto pw = m.dir.write("x.pw", "pw\n");
    CHECK(m.govmap({"user", "add", "gm_x_" + users.suffix, "--role", "reader", "--password-file", pw},
                   users.conninfo(reviewer))
              .code == 6);
}

TEST_CASE("History cannot be altered, not even by the owner")
{
    Map m(false);
    REQUIRE(m.govmap({"add", "mechanism", "slug=h1", "name=H1", "kind=forum", "scope=global", "model=multistakeholder",
                      "--accept"})
                .code == 0);
    REQUIRE(m.scalar("SELECT count(*) FROM history") == "1");
    for (const char* sql : {"UPDATE history SET actor = 'nobody'", "DELETE FROM history", "TRUNCATE history"}) {
        INFO(sql);
        try {
            auto tx = m.conn.begin(db::Isolation::autocommit);
            tx.exec(sql);
            FAIL("allowed");
        } catch (const db::Error& e) {
            CHECK(std::string(e.what()).find("history is append-only") != std::string::npos);
        }
    }
    CHECK(m.scalar("SELECT count(*) || ' ' || min(actor) FROM history") != "0 nobody");
    CHECK(m.scalar("SELECT count(*) FROM history") == "1");
}

TEST_CASE("A preview of open proposals can never be committed")
{
    Map m(false);
    importer::Options o;
    o.status = "proposed";
    o.contributor = "dave";
    REQUIRE(importer::import(
                m.conn,
                {{"mechanisms.csv", "slug,name,kind,scope,model\np1,P1,forum,global,multistakeholder\n", {}, {}}}, o)
                .proposal);
    {
        auto tx = review::open_map(m.conn, true);
        CHECK(tx.exec("SELECT count(*) AS n FROM mechanism WHERE slug = 'p1' AND review_status = 'proposed'")
                  .text(0, "n") == "1");
        CHECK_THROWS_WITH(tx.commit(), Catch::Contains("never committed"));
    }
    CHECK(m.scalar("SELECT count(*) FROM mechanism") == "0");
}
