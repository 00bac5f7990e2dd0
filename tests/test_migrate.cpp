#include "schema/migrate.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace govmap;

namespace {
test::RunOptions against(const test::TempDatabase& tdb) { return {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}}; }

std::string fingerprint(db::Connection& conn)
{
    auto tx = conn.begin();
    return tx
        .exec("SELECT string_agg(version || name || checksum || applied_at, ',' ORDER BY version) AS f "
              "FROM schema_migrations")
        .text(0, "f");
}
}  // namespace

TEST_CASE("Migrating a new database applies every migration in order, and migrating again changes nothing")
{
    test::TempDatabase tdb(false);
    auto conn = tdb.connect();
    auto applied = schema::migrate(conn);
    REQUIRE(applied.size() == schema::embedded_migrations().size());
    CHECK(std::is_sorted(applied.begin(), applied.end()));
    auto before = fingerprint(conn);
    CHECK(schema::migrate(conn).empty());
    CHECK(fingerprint(conn) == before);

    auto out = test::run_govmap({"migrate"}, against(tdb));
    CHECK(out.code == 0);
    CHECK(out.err.find("0 migrations applied now") != std::string::npos);
    CHECK(fingerprint(conn) == before);
}

TEST_CASE("migrate --status lists applied and pending migrations")
{
    test::TempDatabase tdb(false);
    auto conn = tdb.connect();
    std::vector<schema::Migration> first_only{schema::embedded_migrations().front()};
    schema::migrate(conn, first_only);
    auto status = schema::migration_status(conn);
    REQUIRE(status.size() == schema::embedded_migrations().size());
    CHECK(status[0].state == schema::MigrationState::applied);
    CHECK(status[1].state == schema::MigrationState::pending);

    auto out = test::run_govmap({"migrate", "--status"}, against(tdb));
    CHECK(out.code == 0);
    CHECK(out.out.find("0001     core                     applied") != std::string::npos);
    CHECK(out.out.find("0002     reference_data           pending") != std::string::npos);

    auto st = test::run_govmap({"db", "status"}, against(tdb));
    CHECK(st.code == 0);
    CHECK(st.out.find(fmt::format("1 migration applied, {} pending", schema::embedded_migrations().size() - 1)) !=
          std::string::npos);
}

TEST_CASE("A migration edited after it was applied is refused with exit code 4")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    auto edited = schema::embedded_migrations();
    edited[0].checksum = "0000000000000000000000000000000000000000000000000000000000000000";
    CHECK_THROWS_AS(schema::migrate(conn, edited), schema::SchemaConflict);

    conn.in_transaction(
        [](db::Transaction& tx) { tx.exec("UPDATE schema_migrations SET checksum = 'abc' WHERE version = 1"); });
    auto out = test::run_govmap({"migrate"}, against(tdb));
    CHECK(out.code == 4);
    CHECK(out.err.find("migration 0001_core has changed since it was applied") != std::string::npos);
}

TEST_CASE("A database migrated by a newer govmap is refused with exit code 4")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    conn.in_transaction([](db::Transaction& tx) {
        tx.exec("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'from_the_future', 'x')");
    });
    CHECK_THROWS_AS(schema::migrate(conn), schema::SchemaConflict);
    for (auto args : {std::vector<std::string>{"migrate"}, {"migrate", "--status"}}) {
        auto out = test::run_govmap(args, against(tdb));
        CHECK(out.code == 4);
        CHECK(out.err.find("the database schema is newer than this govmap") != std::string::npos);
        CHECK(out.err.find("9999_from_the_future") != std::string::npos);
    }
}

TEST_CASE("A failing migration leaves no trace of itself")
{
    test::TempDatabase tdb(false);
    auto conn = tdb.connect();
    std::vector<schema::Migration> list{schema::embedded_migrations().front(),
                                        {2, "broken", "c", "CREATE TABLE half_done (x int); SELECT 1/0;"}};
    CHECK_THROWS_AS(schema::migrate(conn, list), db::Error);
    auto tx = conn.begin();
    CHECK(tx.exec("SELECT to_regclass('half_done') IS NULL AS gone").text(0, "gone") == "t");
    CHECK(tx.exec("SELECT max(version) AS v FROM schema_migrations").text(0, "v") == "1");
}
