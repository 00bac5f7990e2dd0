// The embedded default: govmap creates, starts, stops and recovers its own
// cluster, as root (server as an unprivileged user) and as a normal user.
#include "schema/db.hpp"
#include "tests/support/process.hpp"
#include "tests/support/skip.hpp"

#include <catch2/catch.hpp>

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

using namespace govmap;
namespace fs = std::filesystem;

namespace {

/// A fresh GOVMAP_HOME under /tmp (reachable by the server's user), owned by
/// `owner`, stopped and deleted at the end.
struct Home {
    fs::path dir;
    std::optional<std::string> user;
    std::optional<std::string> binary;

    explicit Home(std::optional<std::string> as_user = std::nullopt) : user(std::move(as_user))
    {
        char tmpl[] = "/tmp/govmap-home-XXXXXX";
        dir = mkdtemp(tmpl);
        fs::permissions(dir, fs::perms(0755), fs::perm_options::replace);
        if (user) {
            struct passwd* pw = getpwnam(user->c_str());
            REQUIRE(pw);
            REQUIRE(chown(dir.c_str(), pw->pw_uid, pw->pw_gid) == 0);
            // The build tree may sit under a directory this user cannot enter.
            binary = (dir / "govmap").string();
            fs::copy_file(GOVMAP_BINARY, *binary);
        }
    }
    ~Home()
    {
        run({"db", "stop"});
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    test::Output run(const std::vector<std::string>& args) const
    {
        auto env = test::without_libpq_env();
        env["GOVMAP_HOME"] = (dir / "home").string();
        return test::run_govmap(args, {env, user, binary});
    }
    fs::path data() const { return dir / "home" / "pg"; }
    std::string field(const std::string& status, const std::string& name) const
    {
        auto pos = status.find(name + ":");
        if (pos == std::string::npos)
            return "";
        auto start = status.find_first_not_of(' ', pos + name.size() + 1);
        return status.substr(start, status.find('\n', start) - start);
    }
    long postmaster_pid() const
    {
        std::ifstream in(data() / "postmaster.pid");
        long pid = 0;
        in >> pid;
        return pid;
    }
};

std::string owner_of(const fs::path& p)
{
    struct stat st {};
    REQUIRE(stat(p.c_str(), &st) == 0);
    return getpwuid(st.st_uid)->pw_name;
}

void start_status_stop(const Home& home, const std::string& expected_server_user)
{
    auto before = home.run({"db", "status"});
    CHECK(before.code == 0);
    CHECK(home.field(before.out, "state") == "absent");

    auto start = home.run({"db", "start"});
    INFO(start.all());
    REQUIRE(start.code == 0);
    auto status = home.run({"db", "status"});
    CHECK(home.field(status.out, "state") == "running");
    CHECK(home.field(status.out, "server user") == expected_server_user);
    CHECK(owner_of(home.data()) == expected_server_user);
    CHECK(home.field(status.out, "schema").find(", 0 pending") != std::string::npos);
    // Socket only: no TCP listener.
    std::ifstream conf(home.data() / "govmap.conf");
    std::string text((std::istreambuf_iterator<char>(conf)), {});
    CHECK(text.find("listen_addresses = ''") != std::string::npos);
    // The workload's settings (schema/tuning.hpp) are in force, as status says.
    std::ifstream tuning(home.data() / "govmap-tuning.conf");
    std::string tuned((std::istreambuf_iterator<char>(tuning)), {});
    CHECK(tuned.find("work_mem = '64MB'") != std::string::npos);
    CHECK(home.field(home.run({"db", "status"}).out, "settings") == "as govmap advises for large maps");

    // The URL works for a libpq client, and the data persists across restarts.
    auto url = home.run({"db", "url"});
    REQUIRE(url.code == 0);
    std::string uri = url.out.substr(0, url.out.find('\n'));
    if (!home.user && std::system("command -v psql >/dev/null") == 0) {
        // psql itself accepts the URI.
        std::string cmd = "psql '" + uri + "' -Atc 'SELECT count(*) FROM schema_migrations' > /dev/null";
        CHECK(std::system(cmd.c_str()) == 0);
    }
    if (!home.user) {
        db::Connection conn(uri);
        conn.in_transaction([](db::Transaction& tx) {
            tx.exec("INSERT INTO source (key, title) VALUES ('persisted', 'A row that must survive a restart')");
        });
    }
    CHECK(home.run({"db", "stop"}).code == 0);
    CHECK(home.field(home.run({"db", "status"}).out, "state") == "stopped");
    CHECK(home.run({"db", "start"}).code == 0);
    if (!home.user) {
        db::Connection conn(uri);
        auto tx = conn.begin();
        CHECK(tx.exec("SELECT count(*) AS n FROM source WHERE key = 'persisted'").text(0, "n") == "1");
    }
    CHECK(home.run({"db", "stop"}).code == 0);
}

}  // namespace

TEST_CASE("As root, db start creates a cluster whose server runs as an unprivileged user")
{
    if (!test::require_or_skip(geteuid() == 0, "this test needs root (CI runs as root)"))
        return;
    Home home;
    start_status_stop(home, "postgres");
}

TEST_CASE("As a normal user, db start creates and runs a cluster owned by that user")
{
    if (geteuid() == 0) {
        Home home("nobody");
        start_status_stop(home, "nobody");
    } else {
        Home home;
        start_status_stop(home, getpwuid(geteuid())->pw_name);
    }
}

TEST_CASE("A cluster made before the workload settings gets them at its next start")
{
    Home home;
    REQUIRE(home.run({"db", "start"}).code == 0);
    REQUIRE(home.run({"db", "stop"}).code == 0);
    // As an earlier govmap left it: no tuning file, no include line.
    fs::remove(home.data() / "govmap-tuning.conf");
    fs::path main_conf = home.data() / "postgresql.conf";
    std::string text;
    {
        std::ifstream in(main_conf);
        text.assign((std::istreambuf_iterator<char>(in)), {});
    }
    const std::string include = "include_if_exists 'govmap-tuning.conf'";
    auto at = text.find(include);
    REQUIRE(at != std::string::npos);
    text.erase(at, include.size());
    std::ofstream(main_conf) << text;
    REQUIRE(home.run({"db", "start"}).code == 0);
    CHECK(fs::exists(home.data() / "govmap-tuning.conf"));
    CHECK(home.field(home.run({"db", "status"}).out, "settings") == "as govmap advises for large maps");
    CHECK(home.run({"db", "stop"}).code == 0);
}

TEST_CASE("A server killed without cleanup is detected as stopped and restarted")
{
    Home home;
    REQUIRE(home.run({"db", "start"}).code == 0);
    long pid = home.postmaster_pid();
    REQUIRE(pid > 0);
    REQUIRE(kill(static_cast<pid_t>(pid), SIGKILL) == 0);
    for (int i = 0; i < 100 && kill(static_cast<pid_t>(pid), 0) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(fs::exists(home.data() / "postmaster.pid"));

    auto status = home.run({"db", "status"});
    CHECK(home.field(status.out, "state") == "stopped");
    CHECK(status.out.find("stale postmaster.pid") != std::string::npos);
    auto start = home.run({"db", "start"});
    INFO(start.all());
    CHECK(start.code == 0);
    CHECK(home.field(home.run({"db", "status"}).out, "state") == "running");
    CHECK(home.postmaster_pid() != pid);
}

TEST_CASE("A stale postmaster.pid naming an unrelated live process does not block the start")
{
    Home home;
    REQUIRE(home.run({"db", "start"}).code == 0);
    REQUIRE(home.run({"db", "stop"}).code == 0);
    // After a crash and reboot the old PID may belong to any process; this one
    // is alive and is not a PostgreSQL server (it is this test).
    {
        std::ofstream pidfile(home.data() / "postmaster.pid");
        pidfile << getpid() << "\n" << home.data().string() << "\n";
    }
    auto status = home.run({"db", "status"});
    CHECK(home.field(status.out, "state") == "stopped");
    auto start = home.run({"db", "start"});
    INFO(start.all());
    CHECK(start.code == 0);
    CHECK(home.field(home.run({"db", "status"}).out, "state") == "running");
}

TEST_CASE("Two govmap processes starting a new cluster at the same moment both succeed")
{
    Home home;
    auto a = std::async(std::launch::async, [&] { return home.run({"db", "start"}); });
    auto b = std::async(std::launch::async, [&] { return home.run({"migrate"}); });
    auto ra = a.get();
    auto rb = b.get();
    INFO(ra.all() << rb.all());
    CHECK(ra.code == 0);
    CHECK(rb.code == 0);
    auto status = home.run({"db", "status"});
    CHECK(home.field(status.out, "state") == "running");
    CHECK(home.field(status.out, "schema").find(", 0 pending") != std::string::npos);
}

TEST_CASE("db destroy needs --yes and then deletes the cluster")
{
    Home home;
    REQUIRE(home.run({"db", "start"}).code == 0);
    auto refused = home.run({"db", "destroy"});
    CHECK(refused.code == 2);
    CHECK(fs::exists(home.data() / "PG_VERSION"));
    auto destroyed = home.run({"db", "destroy", "--yes"});
    CHECK(destroyed.code == 0);
    CHECK_FALSE(fs::exists(home.data()));
    CHECK(home.field(home.run({"db", "status"}).out, "state") == "absent");
}

TEST_CASE("A GOVMAP_HOME that the server's user cannot reach is refused with a clear message")
{
    if (!test::require_or_skip(geteuid() == 0, "only root runs the server as another user (CI runs as root)"))
        return;
    char tmpl[] = "/tmp/govmap-private-XXXXXX";
    fs::path dir = mkdtemp(tmpl);
    fs::permissions(dir, fs::perms(0700), fs::perm_options::replace);
    auto env = test::without_libpq_env();
    env["GOVMAP_HOME"] = (dir / "home").string();
    auto out = test::run_govmap({"db", "start"}, {env, {}, {}});
    CHECK(out.code == 1);
    CHECK(out.err.find("cannot reach") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("Only the OS user who runs govmap may connect, even when another reaches the socket")
{
    if (!test::require_or_skip(geteuid() == 0 && std::system("command -v psql >/dev/null") == 0,
                               "this test needs root (CI runs as root) and psql"))
        return;
    Home home;
    REQUIRE(home.run({"db", "start"}).code == 0);
    std::ifstream hba(home.data() / "pg_hba.conf");
    std::string rules((std::istreambuf_iterator<char>(hba)), {});
    CHECK(rules.find("trust") == std::string::npos);
    CHECK(rules.find("\nhost") == std::string::npos);
    CHECK(rules.find("local all all peer map=govmap") != std::string::npos);

    // Open a second socket to everyone, as a careless administrator might:
    // authentication, not only the directory's permissions, must refuse others.
    fs::path open_dir = home.dir / "open";
    fs::create_directory(open_dir);
    fs::permissions(open_dir, fs::perms(0777), fs::perm_options::replace);
    {
        std::ofstream conf(home.data() / "govmap.conf", std::ios::app);
        conf << "unix_socket_directories = '" << home.data().string() << ", " << open_dir.string() << "'\n"
             << "unix_socket_permissions = 0777\n";
    }
    REQUIRE(home.run({"db", "stop"}).code == 0);
    auto restarted = home.run({"db", "start"});
    INFO(restarted.all());
    REQUIRE(restarted.code == 0);
    std::vector<std::string> psql{"-X", "-At",    "-h", open_dir.string(), "-p", "5432",
                                  "-U", "govmap", "-d", "govmap",          "-c", "SELECT 1"};
    auto mine = test::run_govmap(psql, {test::without_libpq_env(), std::nullopt, std::string("/usr/bin/psql")});
    INFO(mine.all());
    CHECK(mine.code == 0);
    auto other =
        test::run_govmap(psql, {test::without_libpq_env(), std::string("nobody"), std::string("/usr/bin/psql")});
    INFO(other.all());
    CHECK(other.code != 0);
    CHECK(other.err.find("Peer authentication failed") != std::string::npos);
}

namespace {

/// Stops the server the way `pg_ctl stop -m immediate` does (SIGQUIT to the
/// postmaster: no checkpoint, crash recovery at the next start) and waits.
void stop_immediately(const Home& home)
{
    long pid = home.postmaster_pid();
    REQUIRE(pid > 0);
    REQUIRE(kill(static_cast<pid_t>(pid), SIGQUIT) == 0);
    for (int i = 0; i < 200 && kill(static_cast<pid_t>(pid), 0) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

std::string count_mechanisms(const Home& home)
{
    auto out = home.run({"list", "mechanisms", "--format", "csv"});
    REQUIRE(out.code == 0);
    return std::to_string(std::count(out.out.begin(), out.out.end(), '\n') - 1);
}

}  // namespace

TEST_CASE("The server stopped mid-import or mid-export: a clear failure, then all or nothing")
{
    Home home;
    REQUIRE(home.run({"db", "start"}).code == 0);
    const int rows = 300000;
    std::string csv = "slug,name,kind,scope,model\n";
    for (int i = 0; i < rows; ++i)
        csv += "m-" + std::to_string(i) + ",Mechanism " + std::to_string(i) + ",forum,global,multistakeholder\n";
    auto file = (home.dir / "big.csv").string();
    std::ofstream(file) << csv;

    auto importing = std::async(std::launch::async, [&] { return home.run({"import", file}); });
    std::this_thread::sleep_for(std::chrono::seconds(2));
    stop_immediately(home);
    auto imported = importing.get();
    INFO(imported.all());
    REQUIRE(home.run({"db", "start"}).code == 0);
    if (imported.code == 0) {
        CHECK(count_mechanisms(home) == std::to_string(rows));  // finished before the stop: all
    } else {
        CHECK(imported.err.find("govmap:") != std::string::npos);
        CHECK(imported.err.find("internal error") == std::string::npos);
        CHECK(count_mechanisms(home) == "0");  // nothing
        REQUIRE(home.run({"import", file}).code == 0);
    }

    // Mid-export: no file where the export was going, and nothing half-written beside it.
    auto out = (home.dir / "out" / "map.graphml").string();
    fs::create_directory(home.dir / "out");
    auto exporting = std::async(std::launch::async, [&] {
        return home.run({"export", "--format", "graphml", "--out", out});
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    stop_immediately(home);
    auto exported = exporting.get();
    INFO(exported.all());
    if (exported.code != 0) {
        CHECK_FALSE(fs::exists(out));
        CHECK(fs::is_empty(home.dir / "out"));
    } else {
        CHECK(fs::file_size(out) > 0);
    }
    REQUIRE(home.run({"db", "start"}).code == 0);
}

TEST_CASE("The server stopped mid-accept: a clear failure, then the proposals still open and the map as it was")
{
    Home home;
    REQUIRE(home.run({"db", "start"}).code == 0);
    auto write = [&](const std::string& name, const std::string& text) {
        auto path = (home.dir / name).string();
        std::ofstream(path) << text;
        return path;
    };
    const std::string header = "slug,name,kind,scope,model\n";
    auto first = write("first.csv", header + "a-one,Alpha Body,forum,global,multistakeholder\n"
                                             "a-two,Beta Council,forum,global,multistakeholder\n");
    auto second = write("second.csv", header + "b-one,Gamma Network,network,regional,intergovernmental\n");
    REQUIRE(home.run({"import", "--status", "proposed", first}).code == 0);
    REQUIRE(home.run({"import", "--status", "proposed", second}).code == 0);

    // `review accept 1 2` applies proposal 1 and then waits for proposal 2's
    // row, which another session holds: the server stops with proposal 1
    // merged inside the open transaction.
    auto url = home.run({"db", "url"});
    REQUIRE(url.code == 0);
    const std::string uri = url.out.substr(0, url.out.find('\n'));
    test::Output accepted;
    {
        db::Connection holder(uri);
        db::Connection watcher(uri);
        auto hold = holder.begin();
        hold.exec("SELECT 1 FROM proposal WHERE id = 2 FOR UPDATE");
        auto accepting = std::async(std::launch::async, [&] { return home.run({"review", "accept", "1", "2"}); });
        bool waiting = false;
        for (int i = 0; i < 300 && !waiting; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            auto tx = watcher.begin(db::Isolation::autocommit);
            waiting = tx.exec("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                              "AND query LIKE '%FOR UPDATE%' AND pid <> $1",
                              {tx.exec("SELECT pg_backend_pid() AS p").text(0, "p")})
                          .text(0, "n") != "0";
        }
        REQUIRE(waiting);
        stop_immediately(home);
        accepted = accepting.get();
        try {
            hold.abort();
        } catch (const std::exception&) {  // the connection died with the server
        }
    }
    INFO(accepted.all());
    CHECK(accepted.code != 0);
    CHECK(accepted.err.find("govmap:") != std::string::npos);
    CHECK(accepted.err.find("internal error") == std::string::npos);

    REQUIRE(home.run({"db", "start"}).code == 0);
    CHECK(count_mechanisms(home) == "0");  // nothing of proposal 1
    auto history = home.run({"history"});
    CHECK(history.out.find("a-one") == std::string::npos);
    // Both proposals are still open: accepting them now succeeds.
    auto again = home.run({"review", "accept", "1", "2"});
    INFO(again.all());
    CHECK(again.code == 0);
    CHECK(count_mechanisms(home) == "3");
}

TEST_CASE("Commands log in as an application role that is not a superuser, and the owner role owns the map")
{
    Home home;
    REQUIRE(home.run({"db", "start"}).code == 0);
    auto status = home.run({"db", "status"});
    CHECK(home.field(status.out, "role").rfind("govmap_app", 0) == 0);
    auto url = home.run({"db", "url"});
    REQUIRE(url.code == 0);
    const std::string uri = url.out.substr(0, url.out.find('\n'));
    REQUIRE(uri.find("user=govmap_app") != std::string::npos);
    auto owner_of = [](db::Connection& conn, const std::string& table) {
        return conn.begin()
            .exec("SELECT pg_get_userbyid(relowner) AS o FROM pg_class WHERE oid = to_regclass($1)", {table})
            .text(0, "o");
    };
    {
        db::Connection conn(uri);
        auto tx = conn.begin();
        CHECK(tx.exec("SELECT current_user AS u").text(0, "u") == "govmap_app");
        CHECK(tx.exec("SELECT rolsuper::text AS s FROM pg_roles WHERE rolname = current_user").text(0, "s") == "false");
        tx.abort();
        CHECK(owner_of(conn, "mechanism") == "govmap_owner");
        CHECK(owner_of(conn, "schema_migrations") == "govmap_owner");
        // What only a superuser may do is refused to every command.
        for (const char* sql :
             {"COPY (SELECT 1) TO PROGRAM 'true'", "SELECT pg_read_file('postgresql.conf')",
              "ALTER SYSTEM SET work_mem = '1MB'", "CREATE ROLE intruder SUPERUSER", "SET ROLE govmap"}) {
            INFO(sql);
            auto t = conn.begin(db::Isolation::autocommit);
            CHECK_THROWS_AS(t.exec(sql), db::Error);
        }
    }
    // The map works as before, and history names the OS user, not the role.
    auto added = home.run({"add", "mechanism", "--accept", "slug=role-test", "name=Role Test Body", "kind=forum",
                           "scope=global", "model=multistakeholder"});
    INFO(added.all());
    REQUIRE(added.code == 0);
    auto history = home.run({"history", "role-test"});
    struct passwd* pw = getpwuid(geteuid());
    REQUIRE(pw);
    CHECK(history.out.find(pw->pw_name) != std::string::npos);
    CHECK(history.out.find("govmap_app") == std::string::npos);
    CHECK(home.run({"user", "add", "someone", "--role", "reader", "--password-file", "/dev/null"}).code == 2);

    // A cluster made by an earlier version, where the superuser owned
    // everything and commands logged in as it, is set up on the next command.
    std::string admin = uri;
    admin.replace(admin.find("user=govmap_app"), std::string("user=govmap_app").size(), "user=govmap");
    {
        db::Connection conn(admin);
        auto tx = conn.begin(db::Isolation::autocommit);
        tx.exec("REASSIGN OWNED BY govmap_owner TO govmap");
        tx.exec("DROP OWNED BY govmap_owner");
        tx.exec("DROP ROLE govmap_app");
        tx.exec("DROP ROLE govmap_owner");
    }
    {
        db::Connection conn(admin);
        CHECK(owner_of(conn, "mechanism") == "govmap");
    }
    fs::remove(home.dir / "home" / "pg.roles-v1");
    auto listed = home.run({"list", "mechanisms", "--format", "csv"});
    INFO(listed.all());
    CHECK(listed.code == 0);
    CHECK(listed.out.find("role-test") != std::string::npos);
    db::Connection conn(admin);
    CHECK(owner_of(conn, "mechanism") == "govmap_owner");
    CHECK(owner_of(conn, "history") == "govmap_owner");
    CHECK(home.run({"add", "mechanism", "--accept", "slug=after-upgrade", "name=After Upgrade Body", "kind=forum",
                    "scope=global", "model=multistakeholder"})
              .code == 0);
}
