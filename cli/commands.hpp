#pragma once
#include "cli/context.hpp"

namespace CLI {
class App;
}

namespace govmap::cli {

void add_db_commands(CLI::App& app, Context& ctx);
void add_migrate_command(CLI::App& app, Context& ctx);
void add_import_commands(CLI::App& app, Context& ctx);
void add_list_commands(CLI::App& app, Context& ctx);
void add_gaps_command(CLI::App& app, Context& ctx);
void add_export_command(CLI::App& app, Context& ctx);
void add_draw_command(CLI::App& app, Context& ctx);
void add_synth_command(CLI::App& app, Context& ctx);
void add_check_command(CLI::App& app, Context& ctx);
void add_search_command(CLI::App& app, Context& ctx);
void add_review_commands(CLI::App& app, Context& ctx);
void add_edit_commands(CLI::App& app, Context& ctx);
void add_evaluate_commands(CLI::App& app, Context& ctx);
void add_serve_command(CLI::App& app, Context& ctx);

}  // namespace govmap::cli
