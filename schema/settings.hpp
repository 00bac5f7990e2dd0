#pragma once
// Which database govmap talks to, and how to name it without leaking secrets.
#include <optional>
#include <string>

namespace govmap::db {

enum class Origin {
    flag,        ///< --db URI
    govmap_env,  ///< GOVMAP_DB
    libpq_env,   ///< PGHOST, PGDATABASE, PGSERVICE, ... (libpq reads them itself)
    embedded,    ///< govmap's private cluster
};

struct Target {
    Origin origin;
    /// libpq conninfo (URI or key=value). Empty with libpq_env: libpq reads
    /// the environment itself. Empty with embedded: the cluster supplies it.
    std::string conninfo;
};

/// --db > GOVMAP_DB > any standard libpq variable > the embedded default.
Target resolve_target(const std::optional<std::string>& flag);

/// The libpq variables that, when set, mean "use that server".
bool libpq_environment_present();

/// `postgresql://user@host:port/db?...` for the connection `conninfo` would
/// make (environment included), never with a password. Accepted by psql.
std::string describe_conninfo(const std::string& conninfo);

/// Replaces every occurrence of the password in `conninfo` (and of PGPASSWORD)
/// inside `message` by "***".
std::string scrub_password(std::string message, const std::string& conninfo);

/// `conninfo` (URI or key=value) as key=value text, with the user name and
/// password replaced by these: a visitor's own login to the same database.
std::string with_login(const std::string& conninfo, const std::string& user, const std::string& password);

/// "--db", "GOVMAP_DB", "libpq environment", "embedded".
const char* origin_name(Origin origin);

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string uri_encode(const std::string& text);

}  // namespace govmap::db
