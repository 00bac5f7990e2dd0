#include "tests/support/tempdb.hpp"

#include "schema/migrate.hpp"
#include "schema/settings.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace govmap::test {

namespace {
std::atomic<int> counter{0};

db::Connection admin()
{
    if (!db::libpq_environment_present())
        FAIL("database tests need a PostgreSQL server in the PG* environment: run them as `pg_virtualenv ctest`");
    return db::Connection("dbname=postgres");
}
}  // namespace

TempDatabase::TempDatabase(bool migrated)
    : name_("govmap_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++))
{
    auto conn = admin();
    auto tx = conn.begin(db::Isolation::autocommit);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_));
    tx.exec("CREATE DATABASE " + tx.quote_name(name_));
    if (migrated) {
        auto c = connect();
        schema::migrate(c);
    }
}

TempDatabase::~TempDatabase()
{
    const char* keep = std::getenv("GOVMAP_KEEP_TEST_DB");
    if (keep && std::string(keep) == "1")
        return;
    try {
        auto conn = admin();
        conn.begin(db::Isolation::autocommit).exec("DROP DATABASE IF EXISTS \"" + name_ + "\" WITH (FORCE)");
    } catch (...) {
        // A leftover database on a throwaway cluster is harmless.
    }
}

}  // namespace govmap::test
