#include "schema/settings.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace govmap::db;

namespace {
/// Sets or clears variables for the lifetime of one test, then restores them.
class EnvGuard {
public:
    void set(const char* name, const char* value)
    {
        remember(name);
        value ? setenv(name, value, 1) : unsetenv(name);
    }
    ~EnvGuard()
    {
        for (auto& [name, old] : saved_)
            old ? setenv(name.c_str(), old->c_str(), 1) : unsetenv(name.c_str());
    }

private:
    void remember(const char* name)
    {
        for (auto& s : saved_)
            if (s.first == name)
                return;
        const char* v = std::getenv(name);
        saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
    }
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

void clear_all(EnvGuard& env)
{
    for (const char* v : {"GOVMAP_DB", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE",
                          "PGSERVICEFILE", "PGSSLMODE", "PGPASSWORD"})
        env.set(v, nullptr);
}
}  // namespace

TEST_CASE("The --db flag wins over GOVMAP_DB, which wins over the libpq environment")
{
    EnvGuard env;
    clear_all(env);
    CHECK(resolve_target(std::nullopt).origin == Origin::embedded);
    env.set("PGDATABASE", "fromenv");
    CHECK(resolve_target(std::nullopt).origin == Origin::libpq_env);
    env.set("GOVMAP_DB", "postgresql://h/fromgovmap");
    auto t = resolve_target(std::nullopt);
    CHECK(t.origin == Origin::govmap_env);
    CHECK(t.conninfo == "postgresql://h/fromgovmap");
    t = resolve_target(std::string("dbname=fromflag"));
    CHECK(t.origin == Origin::flag);
    CHECK(t.conninfo == "dbname=fromflag");
}

TEST_CASE("Any one standard libpq variable selects the libpq environment")
{
    for (const char* var : {"PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGUSER"}) {
        EnvGuard env;
        clear_all(env);
        env.set(var, "x");
        INFO(var);
        CHECK(resolve_target(std::nullopt).origin == Origin::libpq_env);
    }
}

TEST_CASE("Describing a connection never shows its password")
{
    EnvGuard env;
    clear_all(env);
    env.set("PGPASSWORD", "envsecret");
    for (std::string conninfo :
         {"postgresql://alice:s3cr%21t@db.example.org:6543/maps?sslmode=require",
          "host=db.example.org port=6543 dbname=maps user=alice password=s3cr!t sslmode=require"}) {
        std::string d = describe_conninfo(conninfo);
        INFO(d);
        CHECK(d.find("s3cr") == std::string::npos);
        CHECK(d.find("envsecret") == std::string::npos);
        CHECK(d.rfind("postgresql://alice@db.example.org:6543/maps", 0) == 0);
        CHECK(d.find("sslmode=require") != std::string::npos);
    }
}

TEST_CASE("A socket directory goes into the query part of the described URI")
{
    EnvGuard env;
    clear_all(env);
    CHECK(describe_conninfo("host=/var/run/postgresql dbname=x user=u") ==
          "postgresql://u@/x?host=%2Fvar%2Frun%2Fpostgresql");
}

TEST_CASE("Passwords are scrubbed from messages")
{
    EnvGuard env;
    clear_all(env);
    env.set("PGPASSWORD", "envsecret");
    std::string m = scrub_password("failed for hunter2 and envsecret", "postgresql://u:hunter2@h/d");
    CHECK(m == "failed for *** and ***");
}
