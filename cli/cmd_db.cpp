// govmap db start|stop|status|url|destroy: the embedded cluster.
#include "cli/commands.hpp"
#include "schema/embedded.hpp"
#include "schema/migrate.hpp"
#include "schema/tuning.hpp"
#include "text/text.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace govmap::cli {

namespace {

embedded::Cluster cluster() { return embedded::Cluster(embedded::default_layout()); }

void print_field(const char* name, const std::string& value)
{
    fmt::print("{:<14}{}\n", std::string(name) + ":", value);
}

/// Server version and schema version of a reachable database.
void print_database_fields(db::Connection& conn)
{
    print_field("server", "PostgreSQL " + conn.server_version());
    int applied = 0, pending = 0;
    for (const auto& m : schema::migration_status(conn))
        (m.state == schema::MigrationState::applied ? applied : pending)++;
    print_field("schema",
                fmt::format("{} applied, {} pending", text::count_of(applied, "migration", "migrations"), pending));
    std::vector<std::string> short_of;
    auto checks = db::check_settings(conn, db::recommended_settings(db::physical_memory()));
    for (const auto& c : checks)
        if (!c.ok)
            short_of.push_back(fmt::format("{} {} (advised {}{})", c.advised.name, c.current,
                                           c.advised.at_least ? ">= " : "", c.advised.value));
    print_field("settings", short_of.empty() ? "as govmap advises for large maps"
                                             : fmt::format("{}; see `govmap db settings`", fmt::join(short_of, ", ")));
}

/// Each advised setting beside the server's value, or (--conf) the lines
/// for postgresql.conf.
void settings(const Context& ctx, bool conf)
{
    auto advised = db::recommended_settings(db::physical_memory());
    if (conf) {
        for (const auto& s : advised)
            fmt::print("{} = '{}'\t# {}\n", s.name, s.value, s.why);
        return;
    }
    auto target = ctx.target();
    std::string conninfo = target.conninfo;
    if (target.origin == db::Origin::embedded) {
        auto c = cluster();
        c.ensure_running([&ctx](const std::string& m) { ctx.info("{}", m); });
        conninfo = c.uri();
    }
    db::Connection conn(conninfo);
    fmt::print("{:<22}{:<10}{:<12}{}\n", "setting", "server", "advised", "why");
    for (const auto& c : db::check_settings(conn, advised))
        fmt::print("{:<22}{:<10}{:<12}{}\n", c.advised.name, c.current,
                   (c.ok ? "" : "! ") + std::string(c.advised.at_least ? ">= " : "") + c.advised.value, c.advised.why);
}

void status(const Context& ctx)
{
    auto target = ctx.target();
    if (target.origin != db::Origin::embedded) {
        print_field("connection", db::origin_name(target.origin));
        print_field("url", db::describe_conninfo(target.conninfo));
        db::Connection conn(target.conninfo);
        print_field("state", "reachable");
        print_field("database", conn.database());
        print_database_fields(conn);
        return;
    }
    auto c = cluster();
    auto s = c.status();
    print_field("connection", "embedded");
    print_field("cluster", c.layout().data.string());
    print_field("state", embedded::state_name(s.state));
    if (s.pid)
        print_field("pid", std::to_string(*s.pid));
    if (s.stale_pid_file)
        print_field("note", "stale postmaster.pid (the server crashed); `govmap db start` recovers");
    if (!s.server_user.empty())
        print_field("server user", s.server_user);
    if (s.state == embedded::State::running) {
        print_field("url", c.uri());
        print_field("role", std::string(embedded::Cluster::application_role()) +
                                " (owns the map through govmap_owner; not a superuser)");
        db::Connection conn(c.uri());
        print_database_fields(conn);
    }
}

}  // namespace

void add_db_commands(CLI::App& app, Context& ctx)
{
    auto* db = app.add_subcommand("db", "Manage govmap's embedded PostgreSQL cluster");
    db->require_subcommand(1);
    db->footer("The embedded cluster lives in ${GOVMAP_HOME:-${XDG_DATA_HOME:-~/.local/share}/govmap}/pg (as root: "
               "/var/lib/govmap/pg, with the server running as the unprivileged user 'postgres' or GOVMAP_PG_USER). "
               "It listens on a Unix socket in that directory only.");

    db->add_subcommand("start", "Create (on first use), start and migrate the embedded cluster")->callback([&ctx] {
        ctx.action = [&ctx] {
            auto c = cluster();
            c.ensure_running([&ctx](const std::string& m) { ctx.info("{}", m); });
            c.migrate(
                [&ctx](const schema::Migration& m) { ctx.info("applying migration {:04d}_{}", m.version, m.name); });
            ctx.info("the embedded database is running: {}", c.uri());
        };
    });

    db->add_subcommand("stop", "Stop the embedded cluster's server")->callback([&ctx] {
        ctx.action = [&ctx] {
            bool was_running = cluster().stop();
            ctx.info(was_running ? "the embedded database server stopped"
                                 : "the embedded database server was not running");
        };
    });

    db->add_subcommand("status", "Show the database govmap uses: where, state, server and schema version")
        ->callback([&ctx] { ctx.action = [&ctx] { status(ctx); }; });

    auto* settings_cmd = db->add_subcommand(
        "settings", "Compare the server's settings with those govmap advises for large maps (\"!\" marks a shortfall)");
    auto* conf = settings_cmd->add_flag("--conf", "Print the advised settings as postgresql.conf lines instead");
    settings_cmd->footer(
        "govmap writes these settings into its embedded cluster (govmap-tuning.conf) at every start (shared_buffers is "
        "a sixteenth of "
        "RAM, at most 1GB; effective_cache_size half of RAM). A server of your own is left alone: put the lines of "
        "`govmap db settings --conf` in its postgresql.conf or use ALTER SYSTEM, then reload (restart for "
        "shared_buffers). Measurements: docs/benchmarks.md.");
    settings_cmd->callback([&ctx, conf] { ctx.action = [&ctx, conf] { settings(ctx, conf->count() > 0); }; });

    db->add_subcommand("url", "Print a URI for the database govmap uses (psql accepts it; never a password)")
        ->callback([&ctx] {
            ctx.action = [&ctx] {
                auto target = ctx.target();
                if (target.origin != db::Origin::embedded) {
                    fmt::print("{}\n", db::describe_conninfo(target.conninfo));
                    return;
                }
                auto c = cluster();
                c.ensure_running([&ctx](const std::string& m) { ctx.info("{}", m); });
                fmt::print("{}\n", c.uri());
            };
        });

    auto* destroy = db->add_subcommand("destroy", "Stop the embedded cluster and delete it with all its data");
    auto* yes = destroy->add_flag("--yes", "Confirm that all data in the embedded cluster is to be deleted");
    destroy->callback([&ctx, yes] {
        ctx.action = [&ctx, yes] {
            auto c = cluster();
            if (!*yes)
                throw Failure(exit_usage, "`govmap db destroy` deletes " + c.layout().data.string() +
                                              " and all its data; add --yes to confirm");
            c.destroy();
            ctx.info("deleted the embedded database in {}", c.layout().data.string());
        };
    });
}

}  // namespace govmap::cli
