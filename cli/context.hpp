#pragma once
// What every govmap command shares: the resolved database, output verbosity,
// and the documented exit codes.
#include "schema/db.hpp"
#include "schema/settings.hpp"

#include <fmt/format.h>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace govmap::cli {

/// Documented in README.md and `govmap --help`.
enum Exit : int {
    exit_ok = 0,
    exit_failure = 1,        ///< runtime or database error
    exit_usage = 2,          ///< bad command line
    exit_invalid_input = 3,  ///< input files or values rejected
    exit_conflict = 4,       ///< the database disagrees (schema newer than govmap, edited migration, ...)
    exit_incomplete = 5,     ///< govmap check: the map lacks required data
    exit_not_permitted = 6,  ///< the database role may not do this (contributor, reviewer, admin)
};

/// The OS user running govmap: the actor recorded on a single-user database.
std::string login_name();

/// An error that ends the command with a given exit code and message.
class Failure : public std::runtime_error {
public:
    Failure(Exit code, const std::string& message) : std::runtime_error(message), code(code) {}
    Exit code;
};

/// --as-of: a year from 1800 to the current year, "today" (the current year,
/// the default) or "all" (no time filter). Throws Failure(exit_usage).
std::optional<int> parse_as_of(const std::string& value);

/// Checks a free-text option (--as, --source, ...): not empty, valid UTF-8,
/// no NUL or control character, at most `max_length` characters. Returns the
/// message CLI11 prints (empty when fine).
std::string check_text_option(const std::string& value, std::size_t max_length = 300);

/// The help text of --as-of, shared by every command that takes it.
extern const char* const as_of_help;

struct Context {
    std::optional<std::string> db_flag;
    /// --lock-timeout: how long a statement waits for a lock another session holds.
    std::optional<double> lock_timeout;
    bool verbose = false;
    bool quiet = false;
    /// Set by the chosen subcommand; run after the command line is parsed.
    std::function<void()> action;

    db::Target target() const { return db::resolve_target(db_flag); }

    /// Connects to the resolved database. The embedded cluster is created,
    /// started and migrated on demand; another server must already be
    /// migrated when `require_current_schema` is set.
    db::Connection connect(bool require_current_schema = true) const;
    db::Connection connect_unlimited(bool require_current_schema) const;
    /// The libpq connection string connect() uses (the embedded cluster's
    /// socket, started on demand).
    std::string conninfo() const;

    /// A read transaction on the accepted map, or on the map as if every open
    /// proposal were accepted (--include-proposed); says which proposals do not apply.
    db::Transaction open_map(db::Connection& conn, bool include_proposed, bool writable = false) const;

    template <typename... Args>
    void info(fmt::format_string<Args...> f, Args&&... args) const
    {
        if (!quiet)
            fmt::print(stderr, "{}\n", fmt::format(f, std::forward<Args>(args)...));
    }
    template <typename... Args>
    void debug(fmt::format_string<Args...> f, Args&&... args) const
    {
        if (verbose && !quiet)
            fmt::print(stderr, "{}\n", fmt::format(f, std::forward<Args>(args)...));
    }
};

}  // namespace govmap::cli
