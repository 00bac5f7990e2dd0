// What govmap must never do, whatever happens around it: overwrite what it
// should not touch, leave half a file, or report success when a write failed.
#include "importer/importer.hpp"
#include "seed/bundled.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
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

TEST_CASE("--out refuses a device, a FIFO, a directory or a symbolic link, and leaves it as it was")
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
