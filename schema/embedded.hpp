#pragma once
// govmap's private PostgreSQL cluster: created, started and stopped on demand,
// reachable only through a Unix socket inside its own directory.
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace govmap::schema {
struct Migration;
}

namespace govmap::embedded {

namespace fs = std::filesystem;

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Layout {
    fs::path home;  ///< GOVMAP_HOME
    fs::path data;  ///< home/pg: the data directory, socket and server log
    fs::path lock;  ///< home/pg.lock: serialises start/stop between processes
    fs::path log() const { return data / "server.log"; }
    fs::path socket() const { return data / ".s.PGSQL.5432"; }
};

/// ${GOVMAP_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/govmap}; as root
/// without either variable, /var/lib/govmap (root's home is not reachable by
/// the unprivileged user that runs the server).
Layout default_layout();
Layout layout_at(const fs::path& home);

enum class State { absent, stopped, running };

struct Status {
    State state = State::absent;
    std::optional<long> pid;
    /// A postmaster.pid whose process is gone (or is not this cluster's server).
    bool stale_pid_file = false;
    std::string server_user;
};

const char* state_name(State state);

class Cluster {
public:
    explicit Cluster(Layout layout);

    Status status() const;
    /// Creates the cluster if absent, starts it if stopped, and creates the
    /// `govmap` database. Safe to call from several processes at once.
    void ensure_running(const std::function<void(const std::string&)>& progress = {});
    /// Stops the server if it runs; returns whether it was running.
    bool stop();
    /// Stops the server and deletes the cluster with all its data.
    void destroy();
    /// A libpq URI for `database` on this cluster (psql accepts it), as the
    /// application role: the owner's rights on the map, not a superuser.
    std::string uri(const std::string& database = "govmap") const;
    /// As the cluster's superuser: for setting the cluster up and migrating.
    std::string admin_uri(const std::string& database = "govmap") const;
    /// Applies pending migrations as the owner role; returns the versions applied.
    std::vector<int> migrate(const std::function<void(const schema::Migration&)>& progress = {}) const;
    static const char* application_role();

    const Layout& layout() const { return layout_; }

private:
    Layout layout_;
};

}  // namespace govmap::embedded
