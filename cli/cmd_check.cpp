// govmap check: what the map lacks, per mechanism.
#include "cli/commands.hpp"
#include "output/check.hpp"
#include "queries/check.hpp"
#include "text/text.hpp"

#include <CLI/CLI.hpp>

namespace govmap::cli {

void add_check_command(CLI::App& app, Context& ctx)
{
    static std::string format = "text";
    static bool include_proposed = false;
    auto* cmd = app.add_subcommand(
        "check", "List what each mechanism lacks that reports rely on: founding year, end year, participation, "
                 "regions, source, area links, link sources");
    cmd->add_option("--format", format, "Output format")
        ->check(CLI::IsMember({"text", "json", "csv"}))
        ->capture_default_str();
    cmd->add_flag("--include-proposed", include_proposed, "Check proposed rows as well as accepted ones");
    cmd->footer("Exit code 0 when nothing required is missing, 5 when something is (the list says what).");
    cmd->callback([&ctx] {
        ctx.action = [&ctx] {
            auto conn = ctx.connect();
            auto tx = ctx.open_map(conn, include_proposed);
            auto missing = queries::missing_data(tx, include_proposed);
            long mechanisms = queries::checked_mechanisms(tx, include_proposed);
            auto f = format == "json"  ? output::CheckFormat::json
                     : format == "csv" ? output::CheckFormat::csv
                                       : output::CheckFormat::text;
            fmt::print("{}", output::render_check(missing, mechanisms, f));
            if (!missing.empty())
                throw Failure(exit_incomplete, "the map lacks " + text::count_of(static_cast<long>(missing.size()),
                                                                                 "required item", "required items"));
        };
    });
}

}  // namespace govmap::cli
