// govmap migrate [--status]
#include "cli/commands.hpp"
#include "schema/migrate.hpp"
#include "text/text.hpp"

#include <CLI/CLI.hpp>

namespace govmap::cli {

void add_migrate_command(CLI::App& app, Context& ctx)
{
    auto* cmd = app.add_subcommand("migrate", "Apply pending schema migrations (each in its own transaction)");
    auto* status = cmd->add_flag("--status", "List applied and pending migrations; change nothing");
    cmd->footer("A database migrated by a newer govmap, or whose applied migrations differ from this govmap's "
                "(checksum), is refused with exit code 4.");
    cmd->callback([&ctx, status] {
        ctx.action = [&ctx, status] {
            auto conn = ctx.connect(false);
            if (*status) {
                fmt::print("{:<8} {:<24} {:<8} {}\n", "version", "name", "state", "applied at");
                for (const auto& m : schema::migration_status(conn))
                    fmt::print("{:<8} {:<24} {:<8} {}\n", fmt::format("{:04d}", m.version), m.name,
                               m.state == schema::MigrationState::applied ? "applied" : "pending",
                               m.applied_at.value_or(""));
                return;
            }
            auto applied = schema::migrate(conn, schema::embedded_migrations(), [&ctx](const schema::Migration& m) {
                ctx.info("applying migration {:04d}_{}", m.version, m.name);
            });
            ctx.info("schema is up to date (version {:04d}; {} applied now)",
                     schema::embedded_migrations().back().version,
                     text::count_of(static_cast<long>(applied.size()), "migration", "migrations"));
        };
    });
}

}  // namespace govmap::cli
