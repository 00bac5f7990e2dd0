#pragma once
// govmap serve: the map, the gap report and the review queue over HTTP. A
// JSON API under /api/v1 (docs/openapi.yaml) answered by the same modules as
// the command line, and one page whose files are compiled into the binary.
// Security rules (loopback by default, logins, limits, headers): docs/serve.md.
#include "schema/db.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace govmap::web {

/// A visitor's PostgreSQL login, from HTTP basic authentication.
struct Login {
    std::string user, password;
};

/// Opens a database connection for a request: as whoever started the server
/// (no login), or as the visitor's own PostgreSQL role (a login). Throws
/// db::ConnectionError when the database refuses the login.
using Connector = std::function<db::Connection(const std::optional<Login>&)>;

struct Options {
    std::string host = "127.0.0.1";
    int port = 8080;  ///< 0: any free port
    /// Needed for an address other than loopback. Every request must then
    /// carry a PostgreSQL login (HTTP basic), over TLS (tls_cert, tls_key).
    bool allow_remote = false;
    std::string tls_cert, tls_key;  ///< PEM files; both or neither
    /// Never change the map, whatever the database role may do.
    bool read_only = false;
    /// Requests per second allowed to one client address (a token bucket
    /// holding `burst`); 0 turns the limit off.
    double rate = 50;
    double burst = 200;
    std::size_t max_body = 64 * 1024;  ///< bytes in a request body
    std::size_t threads = 8;           ///< requests handled at once
    /// Who decides proposals on a single-user database (the OS user).
    std::string actor;
    std::string version;
    /// One line per request and per event; none when unset.
    std::function<void(const std::string&)> log;
};

/// The server cannot start as asked (a remote address without
/// --allow-remote, a missing certificate, a port in use, ...).
class StartError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& host);

class Server {
public:
    Server(Options options, const Connector& connect);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Checks the options and binds the address; throws StartError. Returns the port.
    int bind();
    /// http://127.0.0.1:8080/ (https with TLS), after bind().
    std::string url() const;
    /// Serves until stop() (from another thread or a signal handler's thread).
    void run();
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace govmap::web
