#include "schema/embedded.hpp"

#include "schema/db.hpp"
#include "schema/migrate.hpp"
#include "schema/settings.hpp"
#include "schema/tuning.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace govmap::embedded {

namespace {

// Three roles: the cluster's superuser sets the cluster up and nothing else;
// the owner (no login, not a superuser) owns the database and every object
// the migrations make; every command logs in as the application role, a
// member of the owner and nothing more. A bug or an injected statement in a
// command therefore cannot reach what only a superuser may (server files,
// programs, settings, other databases).
constexpr const char* superuser = "govmap";
constexpr const char* owner_role = "govmap_owner";
constexpr const char* app_role = "govmap_app";
constexpr const char* database = "govmap";
// Unix socket paths are limited to sizeof(sockaddr_un::sun_path) - 1.
constexpr std::size_t max_socket_path = 107;

std::string env(const char* name)
{
    const char* v = std::getenv(name);
    return v ? v : "";
}

/// The account that owns and runs the server: ourselves, or an unprivileged
/// system user when we are root (initdb and postgres refuse to run as root).
struct Account {
    uid_t uid;
    gid_t gid;
    std::string name;
};

std::optional<Account> server_account()
{
    if (geteuid() != 0)
        return std::nullopt;
    std::string name = env("GOVMAP_PG_USER").empty() ? "postgres" : env("GOVMAP_PG_USER");
    struct passwd* pw = getpwnam(name.c_str());
    if (!pw)
        throw Error("govmap runs as root, so its database server must run as an unprivileged user, but user '" + name +
                    "' does not exist (install postgresql, which creates 'postgres', or set GOVMAP_PG_USER)");
    if (pw->pw_uid == 0)
        throw Error("GOVMAP_PG_USER must name an unprivileged user, not '" + name + "'");
    return Account{pw->pw_uid, pw->pw_gid, name};
}

fs::path postgres_bindir()
{
    if (auto dir = env("GOVMAP_PG_BINDIR"); !dir.empty())
        return dir;
    // Debian keeps server binaries out of PATH, one directory per major version.
    fs::path best;
    int best_version = -1;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        int version = std::atoi(entry.path().filename().c_str());
        if (version > best_version && fs::exists(entry.path() / "bin" / "initdb")) {
            best_version = version;
            best = entry.path() / "bin";
        }
    }
    if (!best.empty())
        return best;
    std::istringstream path(env("PATH"));
    for (std::string dir; std::getline(path, dir, ':');)
        if (!dir.empty() && fs::exists(fs::path(dir) / "initdb"))
            return dir;
    throw Error(
        "PostgreSQL server programs (initdb, pg_ctl) not found: install postgresql-15, or set GOVMAP_PG_BINDIR");
}

struct ProcessResult {
    int exit_code;
    std::string output;
};

/// Runs `argv` (not through a shell), as `account` if given, capturing
/// stdout and stderr together.
ProcessResult run(const std::vector<std::string>& argv, const std::optional<Account>& account, const fs::path& cwd)
{
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0)
        throw Error(std::string("pipe: ") + std::strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        throw Error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        if (account) {
            if (initgroups(account->name.c_str(), account->gid) != 0 || setgid(account->gid) != 0 ||
                setuid(account->uid) != 0) {
                std::fprintf(stderr, "cannot switch to user %s: %s\n", account->name.c_str(), std::strerror(errno));
                _exit(126);
            }
        }
        if (chdir(cwd.c_str()) != 0) {
            std::fprintf(stderr, "cannot enter %s: %s\n", cwd.c_str(), std::strerror(errno));
            _exit(126);
        }
        // The server must not pick up a client's settings (tests run under
        // pg_virtualenv, which exports PGPORT, PGHOST, ...).
        for (const char* v : {"PGDATA", "PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD",
                              "PGSERVICE", "PGOPTIONS"})
            unsetenv(v);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
        _exit(127);
    }
    close(pipefd[1]);
    ProcessResult result{0, {}};
    char buf[4096];
    for (ssize_t n; (n = read(pipefd[0], buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        result.output.append(buf, static_cast<std::size_t>(n));
    }
    close(pipefd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

/// Exclusive lock on the cluster between govmap processes (released on close,
/// also when a process dies). O_CLOEXEC: the server must not inherit it.
class FileLock {
public:
    explicit FileLock(const fs::path& path)
    {
        fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0)
            throw Error("cannot open lock file " + path.string() + ": " + std::strerror(errno));
        while (flock(fd_, LOCK_EX) != 0)
            if (errno != EINTR)
                throw Error("cannot lock " + path.string() + ": " + std::strerror(errno));
    }
    ~FileLock() { close(fd_); }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_;
};

std::optional<long> read_pid(const fs::path& file)
{
    std::ifstream in(file);
    long pid = 0;
    if (in >> pid && pid > 0)
        return pid;
    return std::nullopt;
}

/// A postmaster.pid names a live server of this cluster only if that process
/// exists and works in this data directory: after a crash the PID may have
/// been reused by an unrelated process, which PostgreSQL itself cannot tell.
bool is_our_postmaster(long pid, const fs::path& data)
{
    if (kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)
        return false;
    std::error_code ec;
    fs::path cwd = fs::read_symlink("/proc/" + std::to_string(pid) + "/cwd", ec);
    if (ec)
        return false;
    return fs::equivalent(cwd, data, ec);
}

std::string tail(const fs::path& file, std::size_t lines)
{
    std::ifstream in(file);
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);)
        all.push_back(line);
    std::string out;
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
        out += "\n  " + all[i];
    return out;
}

void chown_to(const fs::path& path, const std::optional<Account>& account)
{
    if (account && chown(path.c_str(), account->uid, account->gid) != 0)
        throw Error("cannot give " + path.string() + " to " + account->name + ": " + std::strerror(errno));
}

void check_path_is_usable(const Layout& layout)
{
    if (layout.socket().string().size() > max_socket_path)
        throw Error("GOVMAP_HOME is too long for a Unix socket path (" + layout.socket().string() +
                    "); choose a shorter GOVMAP_HOME");
    if (layout.data.string().find_first_of("',\"\\\n") != std::string::npos)
        throw Error("GOVMAP_HOME must not contain quotes, commas, backslashes or newlines: " + layout.home.string());
}

/// As root, proves that the server account can reach the cluster directory
/// before initdb fails with a less helpful message.
void check_reachable(const fs::path& dir, const std::optional<Account>& account)
{
    if (!account)
        return;
    auto r = run({"/bin/sh", "-c", "test -x \"$0\" && test -w \"$0\"", dir.string()}, account, "/");
    if (r.exit_code != 0)
        throw Error("user '" + account->name + "', which runs govmap's database server, cannot reach " + dir.string() +
                    " (a parent directory is not traversable?); set GOVMAP_HOME to a directory it can reach, "
                    "e.g. under /var/lib or /srv");
}

const char* const tuning_include = "include_if_exists 'govmap-tuning.conf'";

void initialise(const Layout& layout, const std::optional<Account>& account, const fs::path& bindir)
{
    std::error_code ec;
    if (fs::exists(layout.data) && !fs::is_empty(layout.data, ec))
        throw Error(layout.data.string() + " exists but is not a PostgreSQL cluster; move it away or run "
                                           "`govmap db destroy --yes`");
    fs::create_directories(layout.data);
    fs::permissions(layout.data, fs::perms::owner_all, fs::perm_options::replace);
    chown_to(layout.data, account);
    check_reachable(layout.data, account);

    auto r = run({(bindir / "initdb").string(), "-D", layout.data.string(), "-U", superuser, "--auth=trust",
                  "--encoding=UTF8", "--no-locale", "--no-instructions"},
                 account, layout.data);
    if (r.exit_code != 0) {
        fs::remove_all(layout.data, ec);
        throw Error("initdb failed for " + layout.data.string() + ":\n" + r.output);
    }
    // Only a socket in the cluster's own 0700 directory, and peer
    // authentication for the one OS user who runs govmap (write_access_rules).
    // Written once: an administrator may edit it.
    fs::path conf = layout.data / "govmap.conf";
    {
        std::ofstream out(conf);
        out << "# Written by govmap: the embedded cluster listens on a private Unix socket only.\n"
            << "listen_addresses = ''\n"
            << "port = 5432\n"
            << "unix_socket_directories = '" << layout.data.string() << "'\n"
            << "unix_socket_permissions = 0700\n"
            << "max_connections = 50\n";
        std::ofstream main(layout.data / "postgresql.conf", std::ios::app);
        main << "\n" << tuning_include << "\ninclude 'govmap.conf'\n";
        if (!out || !main)
            throw Error("cannot write the configuration of " + layout.data.string());
    }
    chown_to(conf, account);
}

/// govmap-tuning.conf, the settings for govmap's workload (schema/tuning.hpp),
/// rewritten at every start so that clusters made by earlier versions get
/// today's; their postgresql.conf gets the include line then. Included before
/// govmap.conf, so that its edits and `ALTER SYSTEM` both override these.
void write_server_settings(const Layout& layout, const std::optional<Account>& account)
{
    fs::path conf = layout.data / "govmap-tuning.conf";
    {
        std::ofstream out(conf);
        out << "# Written by govmap at every start, for bulk imports and coverage queries over large maps\n"
            << "# (docs/benchmarks.md). Override in govmap.conf or with ALTER SYSTEM.\n";
        for (const auto& s : db::recommended_settings(db::physical_memory()))
            out << s.name << " = '" << s.value << "'  # " << s.why << "\n";
        if (!out)
            throw Error("cannot write the configuration of " + layout.data.string());
    }
    chown_to(conf, account);
    fs::path main_conf = layout.data / "postgresql.conf";
    std::ifstream in(main_conf);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    if (text.find(tuning_include) == std::string::npos) {
        std::ofstream main(main_conf, std::ios::app);
        main << "\n" << tuning_include << "\n";
        if (!main)
            throw Error("cannot write the configuration of " + layout.data.string());
    }
}

/// Who may connect: the OS user running govmap, and nobody else, over the
/// cluster's private socket only (peer authentication, mapped to the govmap
/// role; no host lines). Written at every start, so that clusters made by
/// earlier versions (trust) are locked down too.
void write_access_rules(const Layout& layout, const std::optional<Account>& account)
{
    struct passwd* pw = getpwuid(geteuid());
    if (!pw)
        throw Error("cannot tell which user is running govmap (uid " + std::to_string(geteuid()) + ")");
    std::string client = pw->pw_name;
    if (client.find_first_of(" \t\n\"#") != std::string::npos)
        throw Error("user name '" + client + "' cannot be written to pg_ident.conf");
    fs::path hba = layout.data / "pg_hba.conf", ident = layout.data / "pg_ident.conf";
    {
        std::ofstream h(hba, std::ios::trunc), i(ident, std::ios::trunc);
        h << "# Written by govmap at every start: only the OS user who runs govmap, over the cluster's\n"
          << "# private socket (peer authentication, mapped in pg_ident.conf). No TCP/IP.\n"
          << "local all all peer map=govmap\n";
        i << "# Written by govmap: the OS user who runs govmap connects as the application role\n"
          << "# (every command) or the superuser (setting the cluster up, migrations).\n"
          << "govmap " << client << " " << app_role << "\n"
          << "govmap " << client << " " << superuser << "\n";
        if (!h || !i)
            throw Error("cannot write the access rules of " + layout.data.string());
    }
    chown_to(hba, account);
    chown_to(ident, account);
}

void remove_stale_pid_files(const Layout& layout)
{
    std::error_code ec;
    fs::remove(layout.data / "postmaster.pid", ec);
    fs::path socket_lock = layout.socket().string() + ".lock";
    if (auto pid = read_pid(socket_lock); !pid || !is_our_postmaster(*pid, layout.data))
        fs::remove(socket_lock, ec);
}

/// The owner and application roles, govmap's group roles (the migrations,
/// which run as the owner, cannot create roles) and the database owned by the
/// owner. Clusters made by earlier versions, where the superuser owned
/// everything, have their objects handed to the owner.
void set_up_roles(const std::string& admin_uri, const std::string& database_uri)
{
    db::Connection admin(admin_uri);
    auto tx = admin.begin(db::Isolation::autocommit);
    tx.exec(R"(
        DO $$
        DECLARE
            r text;
            pair text[];
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'govmap_owner') THEN
                CREATE ROLE govmap_owner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'govmap_app') THEN
                CREATE ROLE govmap_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT;
            END IF;
            IF NOT pg_has_role('govmap_app', 'govmap_owner', 'MEMBER') THEN
                GRANT govmap_owner TO govmap_app;
            END IF;
            FOREACH r IN ARRAY ARRAY['govmap_reader', 'govmap_contributor', 'govmap_reviewer', 'govmap_admin'] LOOP
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
                    EXECUTE format('CREATE ROLE %I NOLOGIN', r);
                END IF;
            END LOOP;
            FOREACH pair SLICE 1 IN ARRAY ARRAY[['govmap_reader', 'govmap_contributor'],
                                                ['govmap_contributor', 'govmap_reviewer'],
                                                ['govmap_reviewer', 'govmap_admin']] LOOP
                IF NOT pg_has_role(pair[2], pair[1], 'MEMBER') THEN
                    EXECUTE format('GRANT %I TO %I', pair[1], pair[2]);
                END IF;
            END LOOP;
        END $$)");
    auto owner =
        tx.exec("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", {std::string(database)});
    if (owner.empty()) {
        tx.exec(fmt::format("CREATE DATABASE {} OWNER {}", database, owner_role));
        return;
    }
    if (owner.text(0, "owner") == owner_role)
        return;
    tx.exec(fmt::format("ALTER DATABASE {} OWNER TO {}", database, owner_role));
    // Inside the database: what the superuser made there, but for what
    // belongs to extensions (tables bring their indexes, sequences and row types).
    db::Connection in_db(database_uri);
    auto move = in_db.begin();
    move.exec(R"(
        DO $$
        DECLARE
            o record;
        BEGIN
            FOR o IN SELECT c.oid::regclass AS name FROM pg_class c
                      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                        AND c.relowner = 'govmap'::regrole
                        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                        AND d.objid = c.oid AND d.deptype = 'e') LOOP
                EXECUTE format('ALTER TABLE %s OWNER TO govmap_owner', o.name);
            END LOOP;
            FOR o IN SELECT c.oid::regclass AS name FROM pg_class c
                      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'
                        AND c.relowner = 'govmap'::regrole
                        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                        AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i')) LOOP
                EXECUTE format('ALTER SEQUENCE %s OWNER TO govmap_owner', o.name);
            END LOOP;
            FOR o IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                      WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = 'govmap'::regrole
                        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                        AND d.objid = p.oid AND d.deptype = 'e') LOOP
                EXECUTE format('ALTER ROUTINE %s OWNER TO govmap_owner', o.name);
            END LOOP;
            FOR o IN SELECT t.oid::regtype AS name FROM pg_type t
                      WHERE t.typnamespace = 'public'::regnamespace AND t.typowner = 'govmap'::regrole
                        AND t.typtype IN ('e', 'd', 'r') OR (t.typnamespace = 'public'::regnamespace
                        AND t.typowner = 'govmap'::regrole AND t.typtype = 'c'
                        AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
                      EXCEPT
                     SELECT d.objid::regtype FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.deptype = 'e'
            LOOP
                EXECUTE format('ALTER TYPE %s OWNER TO govmap_owner', o.name);
            END LOOP;
        END $$)");
    move.commit();
}

void start(const Layout& layout, const std::optional<Account>& account, const fs::path& bindir, bool recovering)
{
    // After a crash, the old server's children may hold its shared memory for
    // a moment longer; the server then refuses to start, so retry briefly.
    const int attempts = recovering ? 10 : 1;
    for (int attempt = 1;; ++attempt) {
        auto r = run({(bindir / "pg_ctl").string(), "-D", layout.data.string(), "-l", layout.log().string(), "-w", "-t",
                      "60", "-s", "start"},
                     account, layout.data);
        if (r.exit_code == 0)
            return;
        if (attempt >= attempts)
            throw Error("the database server in " + layout.data.string() + " did not start:\n" + r.output +
                        "last lines of " + layout.log().string() + ":" + tail(layout.log(), 10));
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        remove_stale_pid_files(layout);
    }
}

Status status_unlocked(const Layout& layout)
{
    Status s;
    std::error_code ec;
    if (!fs::exists(layout.data / "PG_VERSION", ec))
        return s;
    struct stat st {};
    if (stat(layout.data.c_str(), &st) == 0)
        if (struct passwd* pw = getpwuid(st.st_uid))
            s.server_user = pw->pw_name;
    s.state = State::stopped;
    if (auto pid = read_pid(layout.data / "postmaster.pid")) {
        if (is_our_postmaster(*pid, layout.data)) {
            s.state = State::running;
            s.pid = pid;
        } else {
            s.stale_pid_file = true;
        }
    }
    return s;
}

}  // namespace

const char* state_name(State state)
{
    switch (state) {
    case State::absent: return "absent";
    case State::stopped: return "stopped";
    case State::running: return "running";
    }
    return "?";
}

Layout layout_at(const fs::path& home)
{
    fs::path abs = fs::absolute(home).lexically_normal();
    if (abs.has_filename() == false)
        abs = abs.parent_path();
    return Layout{abs, abs / "pg", abs / "pg.lock"};
}

Layout default_layout()
{
    if (auto home = env("GOVMAP_HOME"); !home.empty())
        return layout_at(home);
    if (auto xdg = env("XDG_DATA_HOME"); !xdg.empty())
        return layout_at(fs::path(xdg) / "govmap");
    if (geteuid() == 0)
        return layout_at("/var/lib/govmap");
    std::string home = env("HOME");
    if (home.empty())
        if (struct passwd* pw = getpwuid(getuid()))
            home = pw->pw_dir;
    if (home.empty())
        throw Error("cannot find a home directory for the embedded database; set GOVMAP_HOME");
    return layout_at(fs::path(home) / ".local" / "share" / "govmap");
}

Cluster::Cluster(Layout layout) : layout_(std::move(layout)) {}

Status Cluster::status() const { return status_unlocked(layout_); }

void Cluster::ensure_running(const std::function<void(const std::string&)>& progress)
{
    auto say = [&](const std::string& m) {
        if (progress)
            progress(m);
    };
    check_path_is_usable(layout_);
    auto account = server_account();
    bool created_home = !fs::exists(layout_.home);
    fs::create_directories(layout_.home);
    if (created_home)
        fs::permissions(layout_.home, account ? fs::perms(0755) : fs::perms::owner_all, fs::perm_options::replace);

    FileLock lock(layout_.lock);
    Status s = status_unlocked(layout_);
    // Set up once per version of the role layout; a cluster already running
    // under an earlier version is set up (and its access rules reloaded) too.
    const fs::path roles_done = layout_.home / "pg.roles-v1";
    if (s.state == State::running && fs::exists(roles_done))
        return;
    if (s.state != State::running) {
        fs::path bindir = postgres_bindir();
        if (s.state == State::absent) {
            say("creating the embedded database cluster in " + layout_.data.string() +
                (account ? " (server runs as " + account->name + ")" : ""));
            initialise(layout_, account, bindir);
            fs::remove(roles_done);
        }
        if (s.stale_pid_file) {
            say("removing a stale postmaster.pid left by a server that is no longer running");
            remove_stale_pid_files(layout_);
        }
        write_access_rules(layout_, account);
        write_server_settings(layout_, account);
        say("starting the embedded database server");
        start(layout_, account, bindir, s.stale_pid_file);
    } else {
        write_access_rules(layout_, account);
        write_server_settings(layout_, account);
        db::Connection admin(admin_uri("postgres"));
        admin.begin(db::Isolation::autocommit).exec("SELECT pg_reload_conf()");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the reload is asynchronous
    }
    set_up_roles(admin_uri("postgres"), admin_uri(database));
    std::ofstream(roles_done) << "owner " << owner_role << ", application role " << app_role << "\n";
}

std::vector<int> Cluster::migrate(const std::function<void(const schema::Migration&)>& progress) const
{
    // As the owner, so that what the migrations make belongs to it.
    db::Connection conn(admin_uri(database));
    conn.begin(db::Isolation::autocommit).exec(std::string("SET ROLE ") + owner_role);
    return schema::migrate(conn, schema::embedded_migrations(), progress);
}

bool Cluster::stop()
{
    if (!fs::exists(layout_.home))
        return false;
    FileLock lock(layout_.lock);
    Status s = status_unlocked(layout_);
    if (s.stale_pid_file)
        remove_stale_pid_files(layout_);
    if (s.state != State::running)
        return false;
    auto r = run({(postgres_bindir() / "pg_ctl").string(), "-D", layout_.data.string(), "-m", "fast", "-w", "-t", "60",
                  "-s", "stop"},
                 server_account(), layout_.data);
    if (r.exit_code != 0)
        throw Error("the database server in " + layout_.data.string() + " did not stop:\n" + r.output);
    return true;
}

void Cluster::destroy()
{
    stop();
    if (!fs::exists(layout_.home))
        return;
    FileLock lock(layout_.lock);
    fs::remove_all(layout_.data);
}

std::string Cluster::uri(const std::string& db) const
{
    // Every connection parameter is explicit so that a PG* variable in the
    // environment (PGPORT, PGUSER, PGSSLMODE, ...) cannot redirect it.
    return "postgresql:///" + db::uri_encode(db) + "?host=" + db::uri_encode(layout_.data.string()) +
           "&port=5432&user=" + app_role + "&sslmode=disable";
}

std::string Cluster::admin_uri(const std::string& db) const
{
    return "postgresql:///" + db::uri_encode(db) + "?host=" + db::uri_encode(layout_.data.string()) +
           "&port=5432&user=" + superuser + "&sslmode=disable";
}

const char* Cluster::application_role() { return app_role; }

}  // namespace govmap::embedded
