#include "cli/context.hpp"
#include "text/text.hpp"

#include "review/review.hpp"
#include "schema/embedded.hpp"
#include "schema/migrate.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace govmap::cli {

const char* const as_of_help =
    "The map as it stood during YEAR: mechanisms founded in or before it and not ended before it, links that held "
    "then; 'today' (the default) is the current year, 'all' ignores time";

std::string check_text_option(const std::string& value, std::size_t max_length)
{
    if (value.find_first_not_of(" \t") == std::string::npos)
        return "must not be empty";
    if (!text::valid_utf8(value))
        return "is not valid UTF-8";
    for (unsigned char c : value)
        if (c < 0x20 || c == 0x7f)
            return "must not contain control characters";
    if (text::utf8_length(value) > max_length)
        return fmt::format("is too long (at most {} characters)", max_length);
    return {};
}

std::optional<int> parse_as_of(const std::string& value)
{
    try {
        return text::parse_as_of(value);
    } catch (const std::invalid_argument& e) {
        throw Failure(exit_usage, "--as-of: " + std::string(e.what()));
    }
}

db::Transaction Context::open_map(db::Connection& conn, bool include_proposed, bool writable) const
{
    std::vector<std::string> warnings;
    try {
        auto tx = review::open_map(conn, include_proposed, &warnings, writable);
        for (const auto& w : warnings)
            info("{}", w);
        return tx;
    } catch (const db::Error& e) {
        if (e.sqlstate() == "42501")
            throw Failure(exit_not_permitted, "--include-proposed reads open proposals, which needs the contributor "
                                              "role (" +
                                                  std::string(e.what()) + ")");
        throw;
    }
}

std::string login_name()
{
    if (const char* u = std::getenv("USER"); u && *u)
        return u;
    if (struct passwd* pw = getpwuid(getuid()))
        return pw->pw_name;
    return "unknown";
}

db::Connection Context::connect(bool require_current_schema) const
{
    auto conn = connect_unlimited(require_current_schema);
    if (lock_timeout) {
        auto tx = conn.begin(db::Isolation::autocommit);
        tx.exec("SELECT set_config('lock_timeout', $1, false)",
                {std::to_string(static_cast<long>(*lock_timeout * 1000)) + "ms"});
    }
    return conn;
}

std::string Context::conninfo() const
{
    auto t = target();
    if (t.origin != db::Origin::embedded)
        return t.conninfo;
    embedded::Cluster cluster(embedded::default_layout());
    cluster.ensure_running([this](const std::string& m) { info("{}", m); });
    return cluster.uri();
}

db::Connection Context::connect_unlimited(bool require_current_schema) const
{
    auto t = target();
    if (t.origin == db::Origin::embedded) {
        embedded::Cluster cluster(embedded::default_layout());
        cluster.ensure_running([this](const std::string& m) { info("{}", m); });
        debug("using the embedded database {}", cluster.uri());
        db::Connection conn(cluster.uri());
        // Migrations run as the owner role, never as the application role.
        bool pending = false;
        for (const auto& m : schema::migration_status(conn))
            pending = pending || m.state == schema::MigrationState::pending;
        if (pending)
            cluster.migrate(
                [this](const schema::Migration& m) { info("applying migration {:04d}_{}", m.version, m.name); });
        return conn;
    }
    debug("using the database from {}: {}", db::origin_name(t.origin), db::describe_conninfo(t.conninfo));
    db::Connection conn(t.conninfo);
    if (require_current_schema) {
        int pending = 0;
        for (const auto& m : schema::migration_status(conn))
            pending += m.state == schema::MigrationState::pending;
        if (pending)
            throw Failure(exit_failure, fmt::format("the database {} has {} pending: run `govmap migrate`",
                                                    db::describe_conninfo(t.conninfo),
                                                    text::count_of(pending, "migration", "migrations")));
    }
    return conn;
}

}  // namespace govmap::cli
