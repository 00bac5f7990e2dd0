// govmap evaluate: mechanisms rated against a framework's criteria, with the
// evidence behind each rating; govmap frameworks: what frameworks the map holds.
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "evaluation/evaluation.hpp"
#include "output/evaluation.hpp"
#include "text/text.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

namespace govmap::cli {

void add_evaluate_commands(CLI::App& app, Context& ctx)
{
    static evaluation::Options o;
    static std::string framework, assessor, under, as_of = "all", format = "text", out_path;
    static bool evidence = false, include_proposed = false;
    auto* cmd = app.add_subcommand(
        "evaluate", "Rate mechanisms against a framework's criteria (the NETmundial process principles, the IGF's "
                    "mandate in Tunis Agenda paragraph 72, ...) from observations with evidence");
    cmd->add_option("mechanisms", o.mechanisms,
                    "Mechanisms to rate (default: every mechanism observed under the "
                    "framework)")
        ->type_name("MECHANISM...");
    cmd->add_option("--framework", framework,
                    "Framework key (default: netmundial-2014; `govmap frameworks` lists them)")
        ->type_name("KEY");
    cmd->add_option("--assessor", assessor,
                    "Only this assessor's observations (default: every assessor; where "
                    "assessors disagree the indicator is disputed)")
        ->type_name("KEY");
    cmd->add_option("--under", under, "The mechanisms addressing this taxonomy node or what lies under it")
        ->type_name("AREA");
    cmd->add_option("--as-of", as_of, "Only observations that held during this year, or 'all' (any time)")
        ->type_name("YEAR")
        ->capture_default_str();
    cmd->add_flag("--evidence", evidence,
                  "Text: list every observation under its criterion (always for one mechanism)");
    cmd->add_flag("--include-proposed", include_proposed, "Count observations in open proposals too");
    cmd->add_option("--format", format, "Output format")
        ->check(CLI::IsMember({"text", "markdown", "json", "csv", "html"}))
        ->capture_default_str();
    cmd->add_option("--out", out_path, "Write to this file instead of standard output")->type_name("FILE");
    cmd->footer("Ratings follow one rule (docs/evaluation.md): met when every observed indicator is yes, not met when "
                "every one is no, partly otherwise, unknown when none is observed.");
    cmd->callback([&ctx] {
        ctx.action = [&ctx] {
            o.framework = framework.empty() ? std::nullopt : std::optional<std::string>(framework);
            o.assessor = assessor.empty() ? std::nullopt : std::optional<std::string>(assessor);
            o.under = under.empty() ? std::nullopt : std::optional<std::string>(under);
            o.as_of = parse_as_of(as_of);
            auto conn = ctx.connect();
            evaluation::Evaluation e;
            try {
                auto tx = ctx.open_map(conn, include_proposed);
                e = evaluation::evaluate(tx, o);
            } catch (const std::invalid_argument& err) {
                throw Failure(exit_usage, std::string("evaluate: ") + err.what());
            }
            auto f = format == "markdown" ? output::EvaluationFormat::markdown
                     : format == "json"   ? output::EvaluationFormat::json
                     : format == "csv"    ? output::EvaluationFormat::csv
                     : format == "html"   ? output::EvaluationFormat::html
                                          : output::EvaluationFormat::text;
            auto rendered = output::render(e, f, evidence);
            if (out_path.empty()) {
                fmt::print("{}", rendered);
                return;
            }
            write_file(out_path, rendered);
            ctx.info("wrote {} ({})", out_path,
                     text::count_of(static_cast<long>(e.mechanisms.size()), "mechanism", "mechanisms"));
        };
    });

    static std::string list_format = "text";
    auto* list = app.add_subcommand("frameworks", "List the evaluation frameworks the map holds, with how much "
                                                  "evidence each has");
    list->add_option("--format", list_format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    list->callback([&ctx] {
        ctx.action = [&ctx] {
            auto conn = ctx.connect();
            auto tx = conn.begin(db::Isolation::snapshot);
            auto all = evaluation::frameworks(tx);
            if (list_format == "json") {
                nlohmann::json j = nlohmann::json::array();
                for (const auto& f : all)
                    j.push_back({{"key", f.key},
                                 {"name", f.name},
                                 {"criteria", f.criteria},
                                 {"indicators", f.indicators},
                                 {"observations", f.observations},
                                 {"mechanisms", f.mechanisms}});
                fmt::print("{}\n", j.dump(2));
                return;
            }
            if (all.empty())
                ctx.info("no evaluation framework in the map (see docs/evaluation.md)");
            for (const auto& f : all)
                fmt::print("{:<20} {} ({} criteria, {} indicators, {} observations of {})\n", f.key, f.name, f.criteria,
                           f.indicators, f.observations, text::count_of(f.mechanisms, "mechanism", "mechanisms"));
        };
    });
}

}  // namespace govmap::cli
