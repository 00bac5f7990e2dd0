// The gap report counts coverage in C++ from one COPY of each link table
// (analysis/coverage.hpp); the SQL functions of migrations 0007, 0014 and
// 0015 are the public definition. Here both read the same map -- the bundled
// one, with a share of every kind of row made proposed, time-bound or
// assessed so that each switch changes something -- and must agree, row for
// row, under every combination of the report's switches.
#include "analysis/coverage.hpp"
#include "analysis/gaps.hpp"
#include "importer/importer.hpp"
#include "seed/bundled.hpp"
#include "tests/support/files.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <set>
#include <tuple>

using namespace govmap;

namespace {

/// coverage()'s count columns -> the report's (dimension, value).
std::pair<std::string, std::string> count_key(const std::string& column)
{
    auto dot = column.find('_');
    std::string dim = column.substr(0, dot), value = column.substr(dot + 1);
    if (value == "unknown")
        return {"unknown", dim};
    return {dim, value};
}

std::string flag(bool b) { return b ? "true" : "false"; }

}  // namespace

TEST_CASE("Coverage counted in C++ equals the SQL definition under every switch")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    std::vector<importer::InputFile> files;
    for (const auto& f : seed::bundled_files())
        files.push_back({f.name, f.text, {}, {}});
    importer::Options io;
    io.contributor = "govmap-seed";
    io.check_duplicates = false;
    importer::import(conn, files, io);

    // Perturb the map so that every switch matters: proposed rows of each
    // kind, links that held only for some years, secondary links, ended and
    // inactive mechanisms, and assessments (some proposed).
    {
        auto tx = conn.begin();
        tx.exec("UPDATE mechanism_area SET review_status = 'proposed' WHERE id % 7 = 0");
        tx.exec("UPDATE mechanism_area SET valid_from = 2012 WHERE id % 5 = 1 AND coalesce(valid_to, 2012) >= 2012");
        tx.exec("UPDATE mechanism_area SET valid_to = 2008 WHERE id % 11 = 2 AND coalesce(valid_from, 2008) <= 2008");
        tx.exec("UPDATE mechanism_area SET strength = 'secondary' WHERE id % 3 = 0");
        tx.exec("UPDATE mechanism SET review_status = 'proposed' WHERE id % 13 = 0");
        tx.exec("UPDATE mechanism SET status = 'concluded', ended = 2010 WHERE id % 9 = 4 AND coalesce(founded, 2010) "
                "<= 2010");
        tx.exec("UPDATE mechanism_region SET review_status = 'proposed' WHERE id % 4 = 0");
        tx.exec("UPDATE mechanism_region SET valid_to = 2009 WHERE id % 6 = 1 AND coalesce(valid_from, 2009) <= 2009");
        tx.exec("UPDATE mechanism_stakeholder SET review_status = 'proposed' WHERE id % 5 = 0");
        tx.exec(
            "UPDATE mechanism_stakeholder SET valid_from = 2011 WHERE id % 7 = 3 AND coalesce(valid_to, 2011) >= 2011");
        tx.exec("UPDATE region SET review_status = 'proposed' WHERE id = (SELECT max(id) FROM region)");
        tx.exec("UPDATE stakeholder_group SET review_status = 'proposed' WHERE id = (SELECT max(id) FROM "
                "stakeholder_group)");
        tx.exec(R"(INSERT INTO assessment (mechanism_id, principle, score, contributed_by, review_status)
                   SELECT m.id, p.principle, (m.id + p.n) % 4, 'test',
                          CASE WHEN m.id % 3 = 0 THEN 'proposed' ELSE 'accepted' END::review_status
                     FROM mechanism m
                    CROSS JOIN unnest(enum_range(NULL::principle)) WITH ORDINALITY AS p(principle, n)
                    WHERE (m.id + p.n) % 4 = 0
                   ON CONFLICT DO NOTHING)");
        tx.commit();
    }
    REQUIRE(std::stol(test::scalar(conn, "SELECT count(*) FROM mechanism_area WHERE review_status = 'proposed'")) > 0);
    REQUIRE(std::stol(test::scalar(conn, "SELECT count(*) FROM assessment")) > 0);

    for (int bits = 0; bits < 32; ++bits)
        for (std::optional<int> as_of : {std::optional<int>{}, std::optional<int>(2005), std::optional<int>(2013)}) {
            analysis::GapOptions o;
            o.include_proposed = bits & 1;
            o.active_only = bits & 2;
            o.primary_only = bits & 4;
            o.strict_regions = bits & 8;
            o.with_observatories = bits & 16;
            o.as_of = as_of;
            INFO(fmt::format("include_proposed {} active_only {} primary_only {} strict_regions {} "
                             "with_observatories {} as_of {}",
                             o.include_proposed, o.active_only, o.primary_only, o.strict_regions, o.with_observatories,
                             as_of ? std::to_string(*as_of) : "none"));
            db::Params p{flag(o.include_proposed), flag(o.active_only), flag(o.primary_only),
                         as_of ? db::Value(std::to_string(*as_of)) : db::Value{}, flag(o.with_observatories)};
            const std::string args = "$1::boolean, $2::boolean, $3::boolean, $4::smallint, $5::boolean";

            auto tx = conn.begin(db::Isolation::repeatable_read);
            analysis::GapReport report = analysis::analyse(tx, o);
            std::map<std::int64_t, const analysis::NodeCoverage*> node;
            for (const auto& n : report.nodes)
                node[n.id] = &n;

            auto sql = tx.exec("SELECT * FROM coverage(" + args + ")", p);
            REQUIRE(sql.size() == report.nodes.size());
            long compared = 0;
            for (std::size_t i = 0; i < sql.size(); ++i) {
                auto id = std::stoll(sql.text(i, "area_id"));
                REQUIRE(node.count(id) == 1);
                const auto& n = *node[id];
                INFO(n.code);
                CHECK(n.mechanisms == std::stol(sql.text(i, "mechanisms")));
                for (const auto& column : sql.columns) {
                    if (column == "area_id" || column == "code" || column == "name" || column == "level" ||
                        column == "parent_code" || column == "mechanisms")
                        continue;
                    auto [dim, value] = count_key(column);
                    INFO(column);
                    CHECK(n.counts.at(dim).at(value) == std::stol(sql.text(i, column)));
                    compared += std::stol(sql.text(i, column));
                }
            }

            std::map<std::int64_t, std::vector<std::string>> covering;
            auto cm = tx.exec("SELECT cm.area_id, m.slug FROM covering_mechanisms(" + args +
                                  ") cm JOIN mechanism m ON m.id = cm.mechanism_id",
                              p);
            for (std::size_t i = 0; i < cm.size(); ++i)
                covering[std::stoll(cm.text(i, "area_id"))].push_back(cm.text(i, "slug"));
            for (const auto& [id, n] : node) {
                auto expected = covering[id];
                std::sort(expected.begin(), expected.end());
                CHECK(n->covering == expected);
            }

            db::Params pr = p;
            pr.push_back(flag(o.strict_regions));
            auto regions = tx.exec("SELECT area_id, region_code, mechanisms FROM coverage_by_region($1::boolean, "
                                   "$2::boolean, $6::boolean, $3::boolean, $4::smallint, $5::boolean)",
                                   pr);
            std::map<std::int64_t, std::map<std::string, long>> by_region;
            for (std::size_t i = 0; i < regions.size(); ++i)
                by_region[std::stoll(regions.text(i, "area_id"))][regions.text(i, "region_code")] =
                    std::stol(regions.text(i, "mechanisms"));
            auto groups =
                tx.exec("SELECT area_id, group_code, mechanisms FROM coverage_by_stakeholder(" + args + ")", p);
            std::map<std::int64_t, std::map<std::string, long>> by_group;
            for (std::size_t i = 0; i < groups.size(); ++i)
                by_group[std::stoll(groups.text(i, "area_id"))][groups.text(i, "group_code")] =
                    std::stol(groups.text(i, "mechanisms"));
            for (const auto& [id, n] : node) {
                INFO(n->code);
                CHECK(n->counts.at("region") == by_region[id]);
                CHECK(n->counts.at("stakeholder") == by_group[id]);
            }

            auto cov = analysis::count_coverage(tx, o);
            std::set<std::tuple<std::int64_t, std::string, long, int>> ours, theirs;
            for (const auto& [id, a] : cov.areas)
                for (const auto& [principle, counts] : a.assessed)
                    ours.emplace(id, principle, counts.first, counts.second);
            auto ac = tx.exec("SELECT * FROM assessment_coverage(" + args + ")", p);
            for (std::size_t i = 0; i < ac.size(); ++i)
                theirs.emplace(std::stoll(ac.text(i, "area_id")), ac.text(i, "principle"),
                               std::stol(ac.text(i, "assessed")), std::stoi(ac.text(i, "best_score")));
            CHECK(ours == theirs);
            tx.abort();
            // The comparison must have had something to compare.
            CHECK(compared > 0);
            CHECK_FALSE(theirs.empty());
        }
}
