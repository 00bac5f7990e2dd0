// govmap list areas|mechanisms|sources and govmap show MECHANISM.
#include "cli/commands.hpp"
#include "output/mechanism.hpp"
#include "output/table.hpp"
#include "queries/catalogue.hpp"

#include <CLI/CLI.hpp>

namespace govmap::cli {

void add_list_commands(CLI::App& app, Context& ctx)
{
    static std::string what, area, format = "table";
    static bool list_proposed = false, show_proposed = false;
    auto* list = app.add_subcommand("list", "List areas, mechanisms, sources or regions");
    list->add_option("what", what, "areas, mechanisms, sources or regions")
        ->required()
        ->check(CLI::IsMember({"areas", "mechanisms", "sources", "regions"}));
    list->add_flag("--include-proposed", list_proposed, "The map as if every open proposal were accepted");
    list->add_option("--area", area, "Only this taxonomy node and what lies under it")->type_name("CODE");
    list->add_option("--format", format, "Output format")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
    list->callback([&ctx] {
        ctx.action = [&ctx] {
            auto conn = ctx.connect();
            auto tx = ctx.open_map(conn, list_proposed);
            auto listing = what == "areas"        ? queries::Listing::areas
                           : what == "mechanisms" ? queries::Listing::mechanisms
                           : what == "regions"    ? queries::Listing::regions
                                                  : queries::Listing::sources;
            db::Result r;
            try {
                r = queries::list(tx, listing, area.empty() ? std::nullopt : std::optional<std::string>(area));
            } catch (const queries::UnknownName& e) {
                throw Failure(exit_usage, e.what());
            }
            output::Format f = output::parse_format(format);
            if (f == output::Format::table) {
                if (listing == queries::Listing::areas)
                    r = output::narrow(r, {"code", "level", "mechanisms", "name"});
                else if (listing == queries::Listing::mechanisms)
                    r = output::narrow(r, {"slug", "name", "scope", "model", "centrality"});
                else if (listing == queries::Listing::regions)
                    r = output::narrow(r, {"code", "name", "parent", "mechanisms"});
                else
                    r = output::narrow(r, {"key", "title", "cited"});
            }
            output::print_result(r, f, listing == queries::Listing::sources ? "title" : "name");
        };
    });

    static std::string key, show_format = "text";
    auto* cmd = app.add_subcommand("show", "Show one mechanism: attributes, areas, relations both ways, sources");
    cmd->add_option("mechanism", key, "Slug, acronym or name")->required();
    cmd->add_flag("--include-proposed", show_proposed, "The mechanism as if every open proposal were accepted");
    cmd->add_option("--format", show_format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    cmd->callback([&ctx] {
        ctx.action = [&ctx] {
            auto conn = ctx.connect();
            auto tx = ctx.open_map(conn, show_proposed);
            auto detail = queries::find_mechanism(tx, key);
            if (!detail)
                throw Failure(exit_usage, "no mechanism '" + key + "' (see `govmap list mechanisms`)");
            fmt::print("{}", output::render_mechanism(*detail, show_format == "json" ? output::MechanismFormat::json
                                                                                     : output::MechanismFormat::text));
        };
    });
}

}  // namespace govmap::cli
