// What govmap must never do, whatever happens around it: overwrite what it
// should not touch, leave half a file, or report success when a write failed.
#include "importer/importer.hpp"
#include "seed/bundled.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace govmap;

namespace {

struct Seeded {
    test::TempDatabase tdb;
    db::Connection conn = tdb.connect();
    test::TempDir dir;
    Seeded()
    {
        std::vector<importer::InputFile> files;
        for (const auto& f : seed::bundled_files())
            files.push_back({f.name, f.text, std::nullopt, std::nullopt});
        importer::Options o;
        o.contributor = "govmap-seed";
        o.check_duplicates = false;
        REQUIRE(importer::import(conn, files, o).problems.empty());
    }
    test::Output govmap(const std::vector<std::string>& args) const
    {
        return test::run_govmap(args, {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
    }
    std::string path(const std::string& name) const { return (dir.path() / name).string(); }
};

std::string read(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("An output file refuses a device, a FIFO, a directory or a symbolic link, and leaves it as it was")
{
    Seeded s;
    auto fifo = s.path("pipe");
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    auto victim = s.dir.write("victim.txt", "keep me\n");
    auto link = s.path("link.graphml");
    std::filesystem::create_symlink(victim, link);
    std::filesystem::create_directory(s.path("adir"));
    for (const auto& target : {fifo, link, s.path("adir")}) {
        auto out = s.govmap({"export", "--format", "graphml", "--out", target});
        INFO(target << ": " << out.all());
        CHECK(out.code == 2);
        CHECK(out.err.find("is not a regular file") != std::string::npos);
    }
    struct stat st {};
    REQUIRE(lstat(fifo.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
    CHECK(std::filesystem::is_symlink(link));
    CHECK(read(victim) == "keep me\n");
    auto gaps = s.govmap({"gaps", "--format", "html", "--out", link});
    CHECK(gaps.code == 2);
    CHECK(read(victim) == "keep me\n");
}

TEST_CASE("A link planted where a temporary file might go is never followed")
{
    // Earlier versions wrote OUT.tmp: a link there made govmap overwrite its target.
    Seeded s;
    auto victim = s.dir.write("victim.txt", "keep me\n");
    auto out = s.path("map.graphml");
    std::filesystem::create_symlink(victim, out + ".tmp");
    auto r = s.govmap({"export", "--format", "graphml", "--out", out});
    INFO(r.all());
    REQUIRE(r.code == 0);
    CHECK(read(victim) == "keep me\n");
    CHECK(read(out).find("<graphml") != std::string::npos);
    // Nothing else is left beside it but the planted link.
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(s.dir.path()))
        names.insert(e.path().filename().string());
    CHECK(names == std::set<std::string>{"map.graphml", "map.graphml.tmp", "victim.txt"});
}

TEST_CASE("Concurrent exports to one path each leave a complete file")
{
    Seeded s;
    auto reference = s.govmap({"export", "--format", "graphml"});
    REQUIRE(reference.code == 0);
    auto out = s.path("race.graphml");
    for (int round = 0; round < 3; ++round) {
        std::vector<std::thread> threads;
        std::vector<int> codes(4, -1);
        for (int i = 0; i < 4; ++i)
            threads.emplace_back([&, i] { codes[i] = s.govmap({"export", "--format", "graphml", "--out", out}).code; });
        for (auto& t : threads)
            t.join();
        CHECK(codes == std::vector<int>{0, 0, 0, 0});
        CHECK(read(out) == reference.out);
    }
}

TEST_CASE("A failed write to standard output is an error, not a success")
{
    Seeded s;
    for (const std::string args :
         {"export --format dot", "gaps --level area", "evaluate --framework tunis-72 igf", "list mechanisms"}) {
        std::string cmd = "GOVMAP_DB='" + s.tdb.conninfo() + "' " + GOVMAP_BINARY + " " + args + " > /dev/full 2> " +
                          s.path("err.txt");
        int rc = std::system(cmd.c_str());
        INFO(args << ": " << read(s.path("err.txt")));
        CHECK(WIFEXITED(rc));
        CHECK(WEXITSTATUS(rc) == 1);
        CHECK(read(s.path("err.txt")).find("cannot write to standard output") != std::string::npos);
    }
}

TEST_CASE("gaps --out replaces a good file only with a complete one")
{
    Seeded s;
    auto out = s.path("gaps.html");
    REQUIRE(s.govmap({"gaps", "--format", "html", "--out", out}).code == 0);
    auto good = read(out);
    // A run that fails (an unknown node) leaves the good file as it was.
    CHECK(s.govmap({"gaps", "--format", "html", "--under", "nowhere", "--out", out}).code == 2);
    CHECK(read(out) == good);
    CHECK(std::distance(std::filesystem::directory_iterator(s.dir.path()), std::filesystem::directory_iterator{}) == 1);
}

TEST_CASE("An import that meets a deadlock is retried and succeeds")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    importer::Options o;
    o.contributor = "test";
    REQUIRE(importer::import(conn,
                             {{"mechanisms.csv",
                               "slug,name,kind,scope,model\na,A,forum,global,multistakeholder\n"
                               "b,B,forum,global,multistakeholder\n",
                               {},
                               {}}},
                             o)
                .problems.empty());
    // Another session holds row a and, once the import holds b and waits for a,
    // asks for b: a deadlock, which the import (waiting first) is told of.
    auto other = tdb.connect();
    auto tx = other.begin();
    tx.exec("SET LOCAL deadlock_timeout = '30s'");
    tx.exec("UPDATE mechanism SET name = 'A by other' WHERE slug = 'a'");
    std::vector<std::string> progress;
    importer::Report report;
    auto importing = tdb.connect();
    std::thread t([&] {
        importer::Options mine = o;
        mine.progress = [&](const std::string& what) { progress.push_back(what); };
        report = importer::import(importing, {{"mechanisms.csv", "slug,name\nb,B new\na,A new\n", {}, {}}}, mine);
    });
    auto watcher = tdb.connect();
    for (int i = 0; i < 200; ++i) {
        if (test::scalar(watcher, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                  "AND wait_event_type = 'Lock'") != "0")
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    tx.exec("UPDATE mechanism SET name = 'B by other' WHERE slug = 'b'");
    tx.commit();
    t.join();
    CHECK(report.problems.empty());
    CHECK(std::any_of(progress.begin(), progress.end(),
                      [](const std::string& p) { return p.find("retrying after") != std::string::npos; }));
    // The retry ran after the other session committed: the import's values are the last.
    CHECK(test::scalar(conn, "SELECT string_agg(name, ',' ORDER BY slug) FROM mechanism") == "A new,B new");
}

namespace {

std::vector<std::string> problems_of(db::Connection& conn, const std::string& name, const std::string& text)
{
    importer::Options o;
    o.contributor = "test";
    auto r = importer::import(conn, {{name, text, {}, {}}}, o);
    std::vector<std::string> out;
    for (const auto& p : r.problems)
        out.push_back(p.where + ": " + p.message);
    return out;
}

}  // namespace

TEST_CASE("Hostile input meets the documented error path: file, line, field, and an unchanged database")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    auto before = test::fingerprint(conn);
    const std::string header = "slug,name,kind,scope,model\n";
    using Catch::Contains;
    using Catch::StartsWith;

    auto nul = problems_of(conn, "mechanisms.csv", header + std::string("a,A\0B,forum,global,multistakeholder\n", 36));
    INFO(Catch::Detail::stringify(nul));
    REQUIRE(nul.size() == 1);
    CHECK_THAT(nul[0], StartsWith("mechanisms.csv:2:name") && Contains("NUL"));

    auto json_nul = problems_of(
        conn, "m.json",
        R"({"mechanisms": [{"slug": "a", "name": "A\u0000", "kind": "forum", "scope": "global", "model": "multistakeholder"}]})");
    REQUIRE(json_nul.size() == 1);
    CHECK_THAT(json_nul[0], StartsWith("m.json:/mechanisms/0/name") && Contains("NUL"));

    auto huge = problems_of(
        conn, "m.json",
        R"({"mechanisms": [{"slug": "a", "name": "A", "kind": "forum", "scope": "global", "model": "multistakeholder", "founded": 1e999}]})");
    REQUIRE(huge.size() == 1);
    CHECK_THAT(huge[0], StartsWith("m.json: invalid JSON") && Contains("number overflow"));

    auto twice = problems_of(conn, "m.json", R"({"mechanisms": [{"slug": "a", "slug": "b", "name": "A"}]})");
    REQUIRE(twice.size() == 1);
    CHECK_THAT(twice[0], Contains("member 'slug' appears twice"));

    std::string deep = R"({"mechanisms": )" + std::string(20, '[') + std::string(20, ']') + "}";
    auto nested = problems_of(conn, "m.json", deep);
    REQUIRE(!nested.empty());
    CHECK_THAT(nested.back(), StartsWith("m.json: invalid JSON") && Contains("nested deeper than"));

    std::string wide = "slug";
    for (int i = 0; i < 100000; ++i)
        wide += ",x" + std::to_string(i);
    auto columns = problems_of(conn, "mechanisms.csv", wide + "\n");
    CHECK(columns.size() <= 25);
    CHECK(std::count_if(columns.begin(), columns.end(), [](const std::string& p) {
              return p.find("and 99980 more unknown columns") != std::string::npos;
          }) == 1);

    CHECK(test::fingerprint(conn) == before);

    // A spreadsheet source_url longer than a title may be is still the title, shortened.
    std::string url = "https://example.org/" + std::string(600, 'p');
    auto sheet = problems_of(conn, "sheet.csv",
                             "area,mechanism,scope,model,source_url\nNo such area,Some body,global,multistakeholder," +
                                 url + "\n");
    for (const auto& p : sheet)
        CHECK_THAT(p, StartsWith("sheet.csv:2:"));
}

TEST_CASE("Free-text options are checked before anything runs")
{
    test::TempDatabase tdb;
    test::TempDir dir;
    auto file = dir.write("mechanisms.csv", "slug,name,kind,scope,model\na,A,forum,global,multistakeholder\n");
    test::RunOptions env{{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}};
    for (const auto& args : {std::vector<std::string>{"import", "--as", "", file},
                             std::vector<std::string>{"import", "--as", "bad\xff", file},
                             std::vector<std::string>{"import", "--source", "tab\there", file},
                             std::vector<std::string>{"add", "mechanism", "slug=b", "--as", " "}}) {
        auto out = test::run_govmap(args, env);
        INFO(args[1] << " " << args[2] << ": " << out.all());
        CHECK(out.code == 2);
    }
}

TEST_CASE("A name the map does not hold on the command line is a usage error for every command")
{
    Seeded s;
    for (const auto& args : {std::vector<std::string>{"show", "nosuch"},
                             std::vector<std::string>{"list", "mechanisms", "--area", "nosuch"},
                             std::vector<std::string>{"gaps", "--under", "nosuch"},
                             std::vector<std::string>{"export", "--format", "dot", "--under", "nosuch"},
                             std::vector<std::string>{"evaluate", "nosuch"}}) {
        auto out = s.govmap(args);
        INFO(args[0] << ": " << out.all());
        CHECK(out.code == 2);
    }
}

TEST_CASE("With --lock-timeout a command that waits for a lock gives up clearly and changes nothing")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    importer::Options o;
    o.contributor = "test";
    REQUIRE(
        importer::import(
            conn, {{"mechanisms.csv", "slug,name,kind,scope,model\na,A,forum,global,multistakeholder\n", {}, {}}}, o)
            .problems.empty());
    test::TempDir dir;
    auto file = dir.write("mechanisms.csv", "slug,name\na,A changed\n");
    auto other = tdb.connect();
    auto tx = other.begin();
    tx.exec("LOCK TABLE mechanism IN ACCESS EXCLUSIVE MODE");
    auto start = std::chrono::steady_clock::now();
    auto out = test::run_govmap({"--lock-timeout", "1", "import", file}, {{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}});
    auto waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    tx.abort();
    INFO(out.all());
    CHECK(out.code == 1);
    CHECK(out.err.find("gave up waiting for a lock after --lock-timeout 1s") != std::string::npos);
    CHECK(waited < 30);
    CHECK(test::scalar(conn, "SELECT name FROM mechanism WHERE slug = 'a'") == "A");
}

TEST_CASE("Input is read as a stream: a large file in bounded memory, a FIFO and standard input")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    test::TempDir dir;
    test::RunOptions env{{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}};
    // Under AddressSanitizer freed memory would sit in quarantine and count as used.
    std::string asan = std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "";
    env.env["ASAN_OPTIONS"] = asan + (asan.empty() ? "" : ":") + "quarantine_size_mb=0";
    env.measure_memory = true;
    const std::string header = "slug,name,kind,scope,model,founded,description\n";
    // Names of pseudo-random letters: names that differ only by a number
    // would all be "similar", and the duplicate check would compare each pair.
    std::uint64_t state = 42;
    auto word = [&] {
        std::string w;
        for (int i = 0; i < 14; ++i) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            w += static_cast<char>('a' + (state >> 33) % 26);
        }
        return w;
    };
    auto rows = [&](const std::string& prefix, int n) {
        std::string text = header;
        for (int i = 0; i < n; ++i)
            text += fmt::format("{}-{},Body {} {},forum,global,multistakeholder,{},{}\n", prefix, i, word(), word(),
                                1950 + i % 70, std::string(200, static_cast<char>('a' + i % 26)));
        return text;
    };

    // The same import at 1 000 and 150 000 rows: a stream's memory does not
    // grow with the file (one 8 MiB chunk of staged rows at most).
    test::TempDatabase baseline;
    auto baseline_env = env;
    baseline_env.env["GOVMAP_DB"] = baseline.conninfo();
    auto small = test::run_govmap({"import", dir.write("small.csv", rows("n", 1000))}, baseline_env);
    REQUIRE(small.code == 0);
    const int big_rows = 150000;
    auto big = dir.write("big.csv", rows("m", big_rows));
    auto size_kib = static_cast<long>(std::filesystem::file_size(big) / 1024);
    auto out = test::run_govmap({"import", big}, env);
    INFO(out.all());
    REQUIRE(out.code == 0);
    CHECK(test::scalar(conn, "SELECT count(*) FROM mechanism WHERE slug LIKE 'm-%'") == std::to_string(big_rows));
    INFO("peak memory " << out.max_rss_kib << " KiB for a file of " << size_kib << " KiB, " << small.max_rss_kib
                        << " KiB for 1 000 rows");
    REQUIRE(size_kib > 30 * 1024);
    // Holding the file would add its size, holding its records several times that.
    CHECK(out.max_rss_kib - small.max_rss_kib < 16 * 1024);

    // A FIFO is read as it is written, and only once (a retried merge starts
    // from the staged rows).
    auto fifo = (dir.path() / "pipe").string();
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] {
        std::ofstream pipe(fifo, std::ios::binary);
        pipe << rows("f", 300);
    });
    out = test::run_govmap({"import", "--type", "mechanisms", fifo}, env);
    writer.join();
    INFO(out.all());
    CHECK(out.code == 0);
    CHECK(test::scalar(conn, "SELECT count(*) FROM mechanism WHERE slug LIKE 'f-%'") == "300");

    // '-' is standard input; problems name it.
    auto good = dir.write("stdin-good.txt", rows("s", 5));
    test::RunOptions from_stdin = env;
    from_stdin.stdin_path = good;
    out = test::run_govmap({"import", "--type", "mechanisms", "-"}, from_stdin);
    INFO(out.all());
    CHECK(out.code == 0);
    CHECK(test::scalar(conn, "SELECT count(*) FROM mechanism WHERE slug LIKE 's-%'") == "5");
    from_stdin.stdin_path = dir.write("stdin-bad.txt", header + "x-1,X,not-a-kind,global,multistakeholder,2000,\n");
    out = test::run_govmap({"import", "--type", "mechanisms", "-"}, from_stdin);
    CHECK(out.code == 3);
    CHECK_THAT(out.err, Catch::Contains("standard input:2:kind"));
}

TEST_CASE("Input limits: an endless record, an over-long JSON value and thousands of problems end clearly")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    test::TempDir dir;
    test::RunOptions env{{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}};
    std::string asan = std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "";
    env.env["ASAN_OPTIONS"] = asan + (asan.empty() ? "" : ":") + "quarantine_size_mb=0";
    env.measure_memory = true;
    auto count = [&] { return test::scalar(conn, "SELECT count(*) FROM mechanism"); };
    const auto before = count();

    // /dev/zero never ends a line: refused at the record limit, in little
    // memory (compared with refusing a one-line file).
    auto one_line = test::run_govmap({"import", "--type", "mechanisms", dir.write("one.txt", "slug\n")}, env);
    CHECK(one_line.code == 3);
    auto out = test::run_govmap({"import", "--type", "mechanisms", "/dev/zero"}, env);
    CHECK(out.code == 3);
    CHECK_THAT(out.err, Catch::Contains("/dev/zero:1: a record longer than 1 MiB"));
    INFO("peak memory " << out.max_rss_kib << " KiB for /dev/zero, " << one_line.max_rss_kib << " KiB for one line");
    CHECK(out.max_rss_kib - one_line.max_rss_kib < 16 * 1024);

    auto long_value =
        dir.write("long.json", R"({"mechanisms": [{"slug": "a", "name": ")" + std::string(3 << 20, 'x') + R"("}]})");
    out = test::run_govmap({"import", long_value}, env);
    CHECK(out.code == 3);
    CHECK_THAT(out.err, Catch::Contains("long.json: a value longer than 1 MiB"));

    // Problems beyond the first thousand are counted, not listed.
    std::string bad = "slug,name,kind,scope,model\n";
    for (int i = 0; i < 3000; ++i)
        bad += fmt::format("b-{},B {},no-such-kind,global,multistakeholder\n", i, i);
    out = test::run_govmap({"import", dir.write("mechanisms.csv", bad)}, env);
    CHECK(out.code == 3);
    CHECK(std::count(out.err.begin(), out.err.end(), '\n') < 1010);
    CHECK_THAT(out.err, Catch::Contains("mechanisms.csv:1001:kind") &&
                            Catch::Contains("only the first 1000 are shown") &&
                            Catch::Contains("more than 1000 problems found; nothing was imported"));
    CHECK_THAT(out.err, !Catch::Contains("mechanisms.csv:1003:kind"));
    CHECK(count() == before);
}
