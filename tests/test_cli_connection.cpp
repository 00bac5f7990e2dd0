// govmap reaches any server libpq can reach, with the precedence
// --db > GOVMAP_DB > PG* > embedded, and never prints a password.
#include "schema/migrate.hpp"
#include "schema/settings.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>
#include <regex>

using namespace govmap;

namespace {

const std::string password = "Tr0ub4dor&3 s3cret-pw";

/// A login role with a SCRAM password that owns an empty database, reached
/// over TCP (pg_virtualenv's pg_hba.conf asks for scram-sha-256 there).
struct PasswordRole {
    std::string role = "govmap_scram_" + std::to_string(getpid());
    std::string database = role + "_db";
    std::string host;
    std::string port;
    db::Connection admin{"dbname=postgres"};

    PasswordRole()
    {
        const char* h = std::getenv("PGHOST");
        host = h && *h && *h != '/' ? h : "localhost";
        const char* p = std::getenv("PGPORT");
        port = p && *p ? p : "5432";
        auto tx = admin.begin(db::Isolation::autocommit);
        tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(database));
        tx.exec("DROP ROLE IF EXISTS " + tx.quote_name(role));
        tx.exec("SET password_encryption = 'scram-sha-256'");
        tx.exec("CREATE ROLE " + tx.quote_name(role) + " LOGIN PASSWORD " + quote_literal(password));
        tx.exec("CREATE DATABASE " + tx.quote_name(database) + " OWNER " + tx.quote_name(role));
    }
    ~PasswordRole()
    {
        try {
            auto tx = admin.begin(db::Isolation::autocommit);
            tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(database) + " WITH (FORCE)");
            tx.exec("DROP ROLE IF EXISTS " + tx.quote_name(role));
        } catch (...) {
        }
    }
    static std::string quote_literal(const std::string& s)
    {
        std::string out = "'";
        for (char c : s)
            out += c == '\'' ? std::string("''") : std::string(1, c);
        return out + "'";
    }
    std::string uri(const std::string& pw) const
    {
        return "postgresql://" + role + ":" + db::uri_encode(pw) + "@" + host + ":" + port + "/" + database;
    }
};

/// The child sees no PG* variables and no GOVMAP_DB: only what --db says.
test::RunOptions only_flag() { return {test::without_libpq_env(), {}, {}}; }

void require_no_password(const test::Output& out)
{
    INFO(out.all());
    CHECK(out.all().find(password) == std::string::npos);
    CHECK(out.all().find(db::uri_encode(password)) == std::string::npos);
    CHECK(out.all().find("s3cret") == std::string::npos);
}

}  // namespace

TEST_CASE("A TCP server with SCRAM password authentication is reached through --db, and the password is never printed")
{
    PasswordRole r;
    {
        auto tx = r.admin.begin();
        CHECK(tx.exec("SELECT left(rolpassword, 14) AS p FROM pg_authid WHERE rolname = $1", {r.role}).text(0, "p") ==
              "SCRAM-SHA-256$");
    }
    auto migrated = test::run_govmap({"-v", "--db", r.uri(password), "migrate"}, only_flag());
    CHECK(migrated.code == 0);
    require_no_password(migrated);

    auto status = test::run_govmap({"--db", r.uri(password), "db", "status"}, only_flag());
    CHECK(status.code == 0);
    CHECK(status.out.find("connection:   --db") != std::string::npos);
    CHECK(status.out.find("database:     " + r.database) != std::string::npos);
    CHECK(status.out.find("0 pending") != std::string::npos);
    require_no_password(status);

    auto url = test::run_govmap({"--db", r.uri(password), "db", "url"}, only_flag());
    CHECK(url.code == 0);
    CHECK(url.out == "postgresql://" + r.role + "@" + r.host + ":" + r.port + "/" + r.database + "\n");
    require_no_password(url);

    std::string kv = "host=" + r.host + " port=" + r.port + " dbname=" + r.database + " user=" + r.role +
                     " password='" + password + "'";
    auto keyvalue = test::run_govmap({"-v", "--db", kv, "migrate", "--status"}, only_flag());
    CHECK(keyvalue.code == 0);
    require_no_password(keyvalue);
}

TEST_CASE("A wrong password fails with exit code 1 and a message without either password")
{
    PasswordRole r;
    auto out = test::run_govmap({"--db", r.uri("wrong-" + password), "migrate"}, only_flag());
    CHECK(out.code == 1);
    CHECK(out.err.find("password authentication failed") != std::string::npos);
    CHECK(out.err.find("cannot connect to postgresql://" + r.role + "@") != std::string::npos);
    require_no_password(out);
}

TEST_CASE("GOVMAP_DB is used when there is no --db, and --db wins over it")
{
    test::TempDatabase tdb;
    auto env = test::without_libpq_env();
    for (const char* v : {"PGHOST", "PGPORT", "PGUSER", "PGPASSWORD"})
        if (const char* val = std::getenv(v))
            env[v] = val;
    env["GOVMAP_DB"] = tdb.conninfo();
    auto out = test::run_govmap({"db", "status"}, {env, {}, {}});
    CHECK(out.code == 0);
    CHECK(out.out.find("connection:   GOVMAP_DB") != std::string::npos);
    CHECK(out.out.find("database:     " + tdb.name()) != std::string::npos);

    env["GOVMAP_DB"] = "dbname=govmap_no_such_database";
    out = test::run_govmap({"--db", tdb.conninfo(), "db", "status"}, {env, {}, {}});
    CHECK(out.code == 0);
    CHECK(out.out.find("database:     " + tdb.name()) != std::string::npos);
}

TEST_CASE("The standard libpq environment is used when neither --db nor GOVMAP_DB is given")
{
    test::TempDatabase tdb;
    auto out = test::run_govmap({"db", "status"}, {{{"GOVMAP_DB", std::nullopt}, {"PGDATABASE", tdb.name()}}, {}, {}});
    CHECK(out.code == 0);
    CHECK(out.out.find("connection:   libpq environment") != std::string::npos);
    CHECK(out.out.find("database:     " + tdb.name()) != std::string::npos);
}

TEST_CASE("db status reports the pending migrations of an unmigrated server")
{
    test::TempDatabase tdb(false);
    auto out = test::run_govmap({"db", "status"}, {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
    CHECK(out.code == 0);
    CHECK(out.out.find(fmt::format("0 migrations applied, {} pending", schema::embedded_migrations().size())) !=
          std::string::npos);
}

TEST_CASE("db status and db settings name the settings a server of one's own lacks, and leave it alone")
{
    test::TempDatabase tdb(false);
    auto run = [&](std::vector<std::string> args) {
        auto out = test::run_govmap(args, {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
        CHECK(out.code == 0);
        return out.out;
    };
    auto set_work_mem = [&](const char* value) {
        db::Connection admin("dbname=postgres");
        auto tx = admin.begin(db::Isolation::autocommit);
        tx.exec("ALTER DATABASE " + tx.quote_name(tdb.name()) + " SET work_mem = " + value);
    };
    set_work_mem("'1MB'");
    CHECK(run({"db", "status"}).find("work_mem 1MB (advised >= 64MB)") != std::string::npos);
    auto table = run({"db", "settings"});
    CHECK(table.find("work_mem              1MB       ! >= 64MB") != std::string::npos);
    set_work_mem("'256MB'");
    auto status = run({"db", "status"});
    CHECK(status.find("settings:") != std::string::npos);
    CHECK_FALSE(std::regex_search(status, std::regex("[ ,]work_mem ")));  // maintenance_work_mem may still be short
    CHECK(run({"db", "settings"}).find("work_mem              256MB     >= 64MB") != std::string::npos);
    // --conf needs no server: lines postgresql.conf accepts.
    auto conf = test::run_govmap({"db", "settings", "--conf"});
    CHECK(conf.code == 0);
    CHECK(conf.out.find("maintenance_work_mem = '256MB'") != std::string::npos);
}

TEST_CASE("Usage errors exit with code 2")
{
    CHECK(test::run_govmap({"no-such-command"}).code == 2);
    CHECK(test::run_govmap({"db"}).code == 2);
    CHECK(test::run_govmap({"migrate", "--no-such-flag"}).code == 2);
    auto destroy = test::run_govmap({"db", "destroy"}, {test::without_libpq_env(), {}, {}});
    CHECK(destroy.code == 2);
    CHECK(destroy.err.find("add --yes to confirm") != std::string::npos);
    CHECK(test::run_govmap({"--help"}).code == 0);
    CHECK(test::run_govmap({"--version"}).out.find("govmap ") == 0);
}
