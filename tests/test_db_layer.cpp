#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace govmap;

TEST_CASE("Parameters are bound, not pasted, including NULL and quotes")
{
    test::TempDatabase tdb(false);
    auto conn = tdb.connect();
    auto tx = conn.begin();
    auto r = tx.exec("SELECT $1::text AS a, $2::text AS b, $1 IS NULL AS a_null",
                     {std::nullopt, std::string("'; DROP TABLE x; --")});
    CHECK_FALSE(r.at(0, "a").has_value());
    CHECK(r.text(0, "b") == "'; DROP TABLE x; --");
    CHECK(r.text(0, "a_null") == "t");
}

TEST_CASE("COPY in and COPY out round-trip hostile text as one statement each")
{
    test::TempDatabase tdb(false);
    auto conn = tdb.connect();
    auto tx = conn.begin();
    tx.exec("CREATE TABLE t (n int, s text)");
    std::vector<std::vector<db::Value>> rows;
    for (int i = 0; i < 1000; ++i)
        rows.push_back(
            {std::to_string(i), i % 7 == 0 ? db::Value{} : db::Value{"tab\there\nnew\\line 🌍 " + std::to_string(i)}});
    auto before = conn.statements_sent();
    auto writer = tx.copy_in("t", {"n", "s"});
    for (const auto& row : rows)
        writer.write(row);
    writer.finish();
    CHECK(conn.statements_sent() - before == 1);

    std::vector<std::vector<db::Value>> back;
    tx.copy_out("SELECT n, s FROM t ORDER BY n", [&](const std::vector<db::Value>& row) { back.push_back(row); });
    CHECK(back == rows);
}

TEST_CASE("A server error carries its SQLSTATE")
{
    test::TempDatabase tdb(false);
    auto conn = tdb.connect();
    auto tx = conn.begin();
    try {
        tx.exec("SELECT 1/0");
        FAIL("division by zero was accepted");
    } catch (const db::Error& e) {
        CHECK(e.sqlstate() == "22012");
        CHECK_FALSE(e.retryable());
    }
}

TEST_CASE("A serialization failure is retried and the work then commits")
{
    test::TempDatabase tdb(false);
    auto setup = tdb.connect();
    setup.in_transaction([](db::Transaction& tx) {
        tx.exec("CREATE TABLE counter (n int)");
        tx.exec("INSERT INTO counter VALUES (0)");
    });
    auto a = tdb.connect();
    auto b = tdb.connect();
    int attempts = 0;
    a.in_transaction(
        [&](db::Transaction& tx) {
            ++attempts;
            tx.exec("SELECT n FROM counter");
            if (attempts == 1) {
                // Another transaction changes the row after ours took its snapshot.
                b.in_transaction([](db::Transaction& other) { other.exec("UPDATE counter SET n = n + 1"); });
            }
            tx.exec("UPDATE counter SET n = n + 10");
        },
        db::Isolation::serializable);
    CHECK(attempts == 2);
    auto tx = setup.begin();
    CHECK(tx.exec("SELECT n FROM counter").text(0, "n") == "11");
}
