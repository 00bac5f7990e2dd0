// govmap search TEXT: mechanisms by name, acronym, description or URL.
#include "cli/commands.hpp"
#include "output/table.hpp"
#include "queries/search.hpp"
#include "text/text.hpp"

#include <CLI/CLI.hpp>

namespace govmap::cli {

void add_search_command(CLI::App& app, Context& ctx)
{
    static std::string text, format = "table";
    static int limit = 20;
    static double min_score = 0.2;
    static bool include_proposed = false;
    auto* cmd = app.add_subcommand("search", "Find mechanisms by name, acronym, description or URL, spelling "
                                             "mistakes included (trigram similarity)");
    cmd->add_option("text", text, "What to look for")->required();
    cmd->add_option("--limit", limit, "At most this many results")->check(CLI::Range(1, 1000))->capture_default_str();
    cmd->add_option("--min-score", min_score, "Leave out results scoring below this (0 to 1)")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_flag("--include-proposed", include_proposed, "Search proposed mechanisms too");
    cmd->add_option("--format", format, "Output format")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    cmd->callback([&ctx] {
        ctx.action = [&ctx] {
            if (!text::valid_utf8(text))
                throw Failure(exit_usage, "search: the text is not valid UTF-8");
            auto conn = ctx.connect();
            auto tx = ctx.open_map(conn, include_proposed);
            auto r = queries::search_mechanisms(tx, text, limit, min_score, include_proposed);
            if (r.empty() && format == "table") {
                ctx.info("no mechanism like '{}'", text);
                return;
            }
            output::print_result(r, output::parse_format(format), "name");
        };
    });
}

}  // namespace govmap::cli
