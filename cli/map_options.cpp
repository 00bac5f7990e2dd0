#include "cli/map_options.hpp"

#include "cli/context.hpp"

#include <CLI/CLI.hpp>

#include <sstream>

namespace govmap::cli {

std::set<std::string> comma_set(const std::vector<std::string>& items)
{
    std::set<std::string> out;
    for (const auto& item : items) {
        std::istringstream parts(item);
        for (std::string p; std::getline(parts, p, ',');)
            if (!p.empty())
                out.insert(p);
    }
    return out;
}

queries::GraphFilter MapSelection::filter() const
{
    queries::GraphFilter f;
    if (!under.empty())
        f.under = under;
    if (!region.empty())
        f.region = region;
    f.scopes = comma_set(scopes);
    f.models = comma_set(models);
    f.include_proposed = include_proposed;
    f.as_of = parse_as_of(as_of);
    return f;
}

void add_selection_options(CLI::App* cmd, MapSelection& s)
{
    cmd->add_option("--under", s.under, "Only this taxonomy node, what lies under it, and the mechanisms covering it")
        ->type_name("CODE");
    cmd->add_option("--scope", s.scopes, "Only mechanisms of these scopes (global, regional, national)")
        ->delimiter(',');
    cmd->add_option("--model", s.models, "Only mechanisms of these governance models")->delimiter(',');
    cmd->add_option("--region", s.region, "Only mechanisms operating in this region or inside it")->type_name("CODE");
    cmd->add_flag("--include-proposed", s.include_proposed, "Include proposed rows as well as accepted ones");
    cmd->add_option("--as-of", s.as_of, as_of_help)->type_name("YEAR")->capture_default_str();
}

void add_counting_options(CLI::App* cmd, analysis::GapOptions& g, const std::string& when)
{
    cmd->add_flag("--primary-only", g.primary_only, when + " as govmap gaps --primary-only does");
    cmd->add_flag("--active-only", g.active_only, when + " as govmap gaps --active-only does");
    cmd->add_flag("--with-observatories", g.with_observatories,
                  when + " with observatories, as govmap gaps --with-observatories does");
    cmd->add_option("--min-mechanisms", g.min_mechanisms, when + " with the thin threshold of govmap gaps")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
}

}  // namespace govmap::cli
