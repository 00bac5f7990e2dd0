// Benchmarks as ratios against a baseline measured in the same process on the
// same rows (these machines are noisy; absolute seconds mean little):
//   import      govmap import of N mechanisms + N relations  vs  raw COPY of the same rows
//   re-import   the same files again (all unchanged)        vs  the first import
//   export      govmap export GraphML of the whole map       vs  raw COPY out of graph_node/graph_edge
//   gaps        gap analysis of the whole map                vs  loading the linkage graph alone
//   nesting     a part_of chain of 5 000 mechanisms           vs  the same chain as cooperates_with
//               (the cycle checks in the importer and the database, migration 0013)
// Usage: pg_virtualenv build/bench/govmap_bench [N]   (database from the PG* environment)
#include "analysis/gaps.hpp"
#include "graph/linkage.hpp"
#include "importer/importer.hpp"
#include "output/export.hpp"
#include "schema/migrate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <vector>

using namespace govmap;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(const std::function<void()>& f)
{
    auto start = Clock::now();
    f();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Median of three runs, each after `reset`.
double median3(const std::function<void()>& reset, const std::function<void()>& run)
{
    std::vector<double> t;
    for (int i = 0; i < 3; ++i) {
        reset();
        t.push_back(seconds(run));
    }
    std::sort(t.begin(), t.end());
    return t[1];
}

void exec(db::Connection& c, const std::string& sql)
{
    c.in_transaction([&](db::Transaction& tx) { tx.exec(sql); });
}

void report(const char* what, double t, const char* baseline, double b)
{
    fmt::print("{:<10} {:>7.3f} s  {:<42} {:>7.3f} s  ratio {:>6.2f}\n", what, t, baseline, b, t / b);
}

}  // namespace

int main(int argc, char** argv)
{
    const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
    db::Connection admin("dbname=postgres");
    admin.begin(db::Isolation::autocommit).exec("DROP DATABASE IF EXISTS govmap_bench");
    admin.begin(db::Isolation::autocommit).exec("CREATE DATABASE govmap_bench");
    db::Connection conn("dbname=govmap_bench");
    schema::migrate(conn);

    std::string mechanisms = "slug,name,kind,scope,model,founded\n";
    std::vector<std::vector<db::Value>> raw_mechanisms;
    for (int i = 0; i < n; ++i) {
        std::string slug = "m-" + std::to_string(i), name = "Mechanism number " + std::to_string(i);
        std::string scope = i % 3 ? "global" : "regional", founded = std::to_string(1900 + i % 120);
        mechanisms += slug + "," + name + ",forum," + scope + ",multistakeholder," + founded + "\n";
        raw_mechanisms.push_back({slug, name, std::string("forum"), scope, std::string("multistakeholder"), founded});
    }
    std::string relations = "from,kind,to\n";
    std::vector<std::vector<db::Value>> raw_relations;
    for (int i = 1; i < n; ++i) {
        // A tree: each mechanism links to one with a smaller number, spread out.
        std::string from = "m-" + std::to_string(i),
                    to = "m-" + std::to_string((i * 7919L) % i == 0 ? i - 1 : (i * 7919L) % i);
        relations += from + ",cooperates_with," + to + "\n";
        raw_relations.push_back({from, std::string("cooperates_with"), to});
    }
    std::vector<importer::InputFile> files{{"mechanisms.csv", mechanisms, {}, {}},
                                           {"relations.csv", relations, {}, {}}};
    importer::Options options;
    options.contributor = "bench";
    fmt::print("govmap benchmark: {} mechanisms, {} relations\n\n", n, n - 1);

    // Each run starts from an empty, vacuumed map, so that dead rows left by
    // the previous run do not slow the next one.
    auto vacuum = [&] { conn.begin(db::Isolation::autocommit).exec("VACUUM ANALYZE"); };
    auto empty_map = [&] {
        exec(conn, "DELETE FROM mechanism");
        vacuum();
    };
    double copy = median3(
        [&] {
            exec(conn, "DROP TABLE IF EXISTS raw_m; DROP TABLE IF EXISTS raw_r; "
                       "CREATE TABLE raw_m (slug text, name text, kind text, scope text, model text, founded text); "
                       "CREATE TABLE raw_r (f text, k text, t text)");
        },
        [&] {
            conn.in_transaction([&](db::Transaction& tx) {
                auto w = tx.copy_in("raw_m", {"slug", "name", "kind", "scope", "model", "founded"});
                for (const auto& r : raw_mechanisms)
                    w.write(r);
                w.finish();
                auto e = tx.copy_in("raw_r", {"f", "k", "t"});
                for (const auto& r : raw_relations)
                    e.write(r);
                e.finish();
            });
        });
    // The floor with the same constraints, indexes and triggers: one INSERT ...
    // SELECT per table from the raw rows (no validation, no merge).
    double floor = median3(empty_map, [&] {
        conn.in_transaction([&](db::Transaction& tx) {
            tx.exec("INSERT INTO mechanism (slug, name, kind, scope, model, founded, review_status) "
                    "SELECT slug, name, kind::mechanism_kind, scope::mechanism_scope, model::governance_model, "
                    "founded::smallint, 'accepted' FROM raw_m");
            tx.exec("INSERT INTO mechanism_relation (from_id, to_id, kind, review_status) "
                    "SELECT f.id, t.id, r.k::relation_kind, 'accepted' FROM raw_r r "
                    "JOIN mechanism f ON f.slug = r.f JOIN mechanism t ON t.slug = r.t");
        });
    });
    double import = median3(empty_map, [&] {
        auto r = importer::import(conn, files, options);
        if (!r.problems.empty())
            throw std::runtime_error(r.problems.front().where + ": " + r.problems.front().message);
    });
    report("import", import, "raw COPY of the same rows", copy);
    report("import", import, "INSERT...SELECT into the real tables", floor);
    double reimport = median3(vacuum, [&] { importer::import(conn, files, options); });
    report("re-import", reimport, "first import", import);

    vacuum();
    double copy_out =
        median3([] {},
                [&] {
                    conn.in_transaction([&](db::Transaction& tx) {
                        std::size_t rows = 0;
                        tx.copy_out("SELECT * FROM graph_node", [&](const std::vector<db::Value>&) { ++rows; });
                        tx.copy_out("SELECT * FROM graph_edge", [&](const std::vector<db::Value>&) { ++rows; });
                    });
                });
    double exported = median3([] {},
                              [&] {
                                  std::ofstream out("/dev/null");
                                  output::export_graph(conn, {}, output::ExportFormat::graphml, out);
                              });
    report("export", exported, "raw COPY out of graph_node and graph_edge", copy_out);

    double load = median3([] {}, [&] { graph::load_linkage(conn, {}); });
    double gaps = median3([] {}, [&] { analysis::analyse(conn, {}); });
    report("gaps", gaps, "loading the linkage graph alone", load);

    // The nesting checks are linear: a long part_of chain costs about what
    // the same edges cost as a kind that is not checked.
    const int chain = 5000;
    std::string chain_mechanisms = "slug,name,kind,scope,model\n", nested = "from,kind,to\n", flat = nested;
    for (int i = 0; i < chain; ++i) {
        chain_mechanisms += fmt::format("c-{0},Chain link {0},process,global,multistakeholder\n", i);
        if (i > 0) {
            nested += fmt::format("c-{},part_of,c-{}\n", i, i - 1);
            flat += fmt::format("c-{},cooperates_with,c-{}\n", i, i - 1);
        }
    }
    auto chain_files = [&](const std::string& relations_csv) {
        return std::vector<importer::InputFile>{{"mechanisms.csv", chain_mechanisms, {}, {}},
                                                {"relations.csv", relations_csv, {}, {}}};
    };
    auto import_chain = [&](const std::string& relations_csv) {
        auto r = importer::import(conn, chain_files(relations_csv), options);
        if (!r.problems.empty())
            throw std::runtime_error(r.problems.front().where + ": " + r.problems.front().message);
    };
    double flat_chain = median3(empty_map, [&] { import_chain(flat); });
    double nested_chain = median3(empty_map, [&] { import_chain(nested); });
    report("nesting", nested_chain, "the same chain as cooperates_with", flat_chain);
    admin.begin(db::Isolation::autocommit).exec("DROP DATABASE govmap_bench WITH (FORCE)");
    return 0;
}
