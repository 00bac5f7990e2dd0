#pragma once
// The /api/v1 routes (internal to web/): each answers from the module the
// command line uses for the same question, inside one read snapshot.
#include "schema/db.hpp"

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace govmap::web {

/// One request's database connection, held until its response is written
/// (an export streams after the handler returns).
struct Lease {
    virtual ~Lease() = default;
    virtual db::Connection& connection() = 0;
    /// The connection is in an unknown state: close it instead of reusing it.
    virtual void discard() = 0;
};

struct Session {
    std::shared_ptr<Lease> lease;
    bool read_only = false;
    /// Who decides proposals when the database has no govmap roles.
    std::string actor;
    std::string version;
    db::Connection& conn() const { return lease->connection(); }
};

/// A request the API refuses, with its HTTP status.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, const std::string& message) : std::runtime_error(message), status(status) {}
    int status;
};

using Handler = std::function<void(const httplib::Request&, httplib::Response&, Session&)>;
/// Runs a handler with a session, turning exceptions into JSON errors.
using Wrap = std::function<void(const httplib::Request&, httplib::Response&, const Handler&)>;

void add_api_routes(httplib::Server& server, const Wrap& wrap);

/// {"error": message} (and the problems of a rejected proposal).
std::string error_json(const std::string& message);

}  // namespace govmap::web
