// govmap synth: a deterministic synthetic map in the import formats, for
// benchmarks and scale tests.
#include "cli/commands.hpp"
#include "synth/synth.hpp"

#include <CLI/CLI.hpp>

namespace govmap::cli {

void add_synth_command(CLI::App& app, Context& ctx)
{
    static synth::Options o;
    static std::string out;
    auto* cmd = app.add_subcommand("synth", "Write a synthetic map of any size in the import formats (benchmarks)");
    cmd->add_option("--mechanisms", o.mechanisms, "How many mechanisms")
        ->required()
        ->check(CLI::Range(std::size_t{2}, std::size_t{100000000}));
    cmd->add_option("--relations", o.relations, "How many relations between mechanisms (default: 2.5 per mechanism)");
    cmd->add_option("--links", o.links,
                    "How many mechanism-issue links (default: 2.5 per mechanism; at least one per mechanism)");
    cmd->add_option("--seed", o.seed, "The same seed gives the same files")->capture_default_str();
    cmd->add_option("--out", out, "Directory for the files (created if needed)")->required()->type_name("DIR");
    cmd->footer("The shape of the map and how to import it: docs/benchmarks.md. Needs no database.");
    cmd->callback([&ctx] {
        ctx.action = [&ctx] {
            synth::Counts c;
            try {
                c = synth::write(o, out);
            } catch (const std::invalid_argument& e) {
                throw Failure(exit_usage, e.what());
            }
            ctx.info("wrote {}: {} areas, {} mechanisms, {} relations, {} links, {} participation rows, {} region rows",
                     out, c.areas, c.mechanisms, c.relations, c.links, c.stakeholders, c.regions);
        };
    });
}

}  // namespace govmap::cli
