// govmap: a mapping database of Internet-governance mechanisms.
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output_file.hpp"
#include "review/review.hpp"
#include "schema/embedded.hpp"
#include "schema/migrate.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <system_error>

namespace {

const char* const exit_codes_help = R"(Exit codes:
  0  success
  1  runtime or database error
  2  usage error (bad command line, or a code, slug or key on it that the map
     does not hold)
  3  invalid input (rejected file or value; nothing was written)
  4  conflict (the database's schema is newer than this govmap, an applied
     migration was edited, or a proposal is no longer open or out of date)
  5  incomplete (govmap check: the map lacks required data)
  6  not permitted (the database role may not do this: a contributor
     accepting a proposal, a reader proposing, ...)

Database: --db URI, else GOVMAP_DB, else the standard libpq variables (PGHOST,
PGDATABASE, PGSERVICE, ...) when any is set, else govmap's embedded cluster
under ${GOVMAP_HOME:-${XDG_DATA_HOME:-~/.local/share}/govmap} (as root:
/var/lib/govmap), created and started on first use.)";

}  // namespace

namespace {

int run(int argc, char** argv)
{
    using namespace govmap;
    cli::Context ctx;
    CLI::App app{"govmap: map Internet-governance mechanisms to the issue areas they address, in PostgreSQL, and "
                 "find the gaps.",
                 "govmap"};
    app.footer(exit_codes_help);
    app.set_version_flag("--version", std::string("govmap ") + GOVMAP_VERSION + " (schema " +
                                          std::to_string(schema::embedded_migrations().back().version) + ")");
    app.add_option("--lock-timeout", ctx.lock_timeout,
                   "Give up after waiting this many seconds for a lock another session holds (default: wait)")
        ->check(CLI::Range(0.001, 86400.0))
        ->type_name("SECONDS");
    app.add_option("--db", ctx.db_flag, "PostgreSQL URI or key=value conninfo (overrides GOVMAP_DB and PG*)")
        ->type_name("URI");
    app.add_flag("-v,--verbose", ctx.verbose, "Say more about what happens (on stderr)");
    app.add_flag("-q,--quiet", ctx.quiet, "Print only results and errors");
    app.require_subcommand(1);
    // Global options may also follow the subcommand: `govmap seed -q`.
    app.fallthrough();
    cli::add_db_commands(app, ctx);
    cli::add_migrate_command(app, ctx);
    cli::add_import_commands(app, ctx);
    cli::add_list_commands(app, ctx);
    cli::add_gaps_command(app, ctx);
    cli::add_export_command(app, ctx);
    cli::add_draw_command(app, ctx);
    cli::add_synth_command(app, ctx);
    cli::add_check_command(app, ctx);
    cli::add_search_command(app, ctx);
    cli::add_edit_commands(app, ctx);
    cli::add_evaluate_commands(app, ctx);
    cli::add_review_commands(app, ctx);
    cli::add_serve_command(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? cli::exit_ok : cli::exit_usage;
    }

    try {
        if (ctx.action)
            ctx.action();
        cli::check_stdout();
        return cli::exit_ok;
    } catch (const cli::Failure& e) {
        std::fprintf(stderr, "govmap: %s\n", e.what());
        return e.code;
    } catch (const schema::SchemaConflict& e) {
        std::fprintf(stderr, "govmap: %s\n", e.what());
        return cli::exit_conflict;
    } catch (const review::Conflict& e) {
        std::fprintf(stderr, "govmap: %s\n", e.what());
        return cli::exit_conflict;
    } catch (const review::Invalid& e) {
        for (const auto& p : e.problems)
            std::fprintf(stderr, "%s: %s\n", p.where.c_str(), p.message.c_str());
        std::fprintf(stderr, "govmap: %s\n", e.what());
        return cli::exit_invalid_input;
    } catch (const review::NotPermitted& e) {
        std::fprintf(stderr, "govmap: %s\n", e.what());
        return cli::exit_not_permitted;
    } catch (const db::Error& e) {
        if (e.sqlstate() == "55P03") {
            std::fprintf(stderr,
                         "govmap: gave up waiting for a lock after --lock-timeout %gs: another session holds rows or a "
                         "table this command needs; nothing was changed (%s)\n",
                         ctx.lock_timeout.value_or(0), e.what());
            return cli::exit_failure;
        }
        std::fprintf(stderr, "govmap: %s\n", e.what());
        // insufficient_privilege: the role may not do this (docs/contributing-data.md).
        return e.sqlstate() == "42501" ? cli::exit_not_permitted : cli::exit_failure;
    } catch (const embedded::Error& e) {
        std::fprintf(stderr, "govmap: %s\n", e.what());
        return cli::exit_failure;
    } catch (const std::filesystem::filesystem_error& e) {
        std::fprintf(stderr, "govmap: %s\n", e.what());
        return cli::exit_failure;
    } catch (const std::system_error& e) {
        // fmt::print reports a failed write to standard output this way.
        if (std::string(e.what()).find("cannot write to file") != std::string::npos)
            std::fprintf(stderr, "govmap: cannot write to standard output: %s\n", e.code().message().c_str());
        else
            std::fprintf(stderr, "govmap: internal error: %s\n", e.what());
        return cli::exit_failure;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "govmap: internal error: %s\n", e.what());
        return cli::exit_failure;
    }
}

}  // namespace

int main(int argc, char** argv)
{
    // Setting up the command line can throw too (allocation); nothing escapes main.
    try {
        return run(argc, argv);
    } catch (...) {
        std::fputs("govmap: internal error\n", stderr);
        return govmap::cli::exit_failure;
    }
}
