// govmap gaps: coverage and gap findings.
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "output/report.hpp"
#include "picture/picture.hpp"
#include "text/text.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace govmap::cli {

void add_gaps_command(CLI::App& app, Context& ctx)
{
    static analysis::GapOptions o;
    static std::string format = "text", out_path, level, under, kinds, as_of = "today", compare, csv_table = "coverage";
    static bool with_picture = false;
    auto* cmd = app.add_subcommand("gaps", "Report coverage and gaps: where mechanisms are missing, thin, only "
                                           "regional, only intergovernmental, adjacent, unlinked or nested deep");
    cmd->add_option("--format", format, "Output format")
        ->check(CLI::IsMember({"text", "markdown", "json", "csv", "html"}))
        ->capture_default_str();
    cmd->add_option("--out", out_path, "Write to this file instead of standard output")->type_name("FILE");
    cmd->add_option("--level", level, "Only taxonomy nodes at this level (default: every level)")
        ->check(CLI::IsMember({"cluster", "area", "issue"}));
    cmd->add_option("--under", under, "Only this taxonomy node and what lies under it")->type_name("CODE");
    cmd->add_flag("--by-region", o.by_region, "Report each region with no mechanism for a node (region_missing)");
    cmd->add_flag("--strict-regions", o.strict_regions,
                  "With --by-region: a global mechanism does not count for every region");
    cmd->add_flag("--include-proposed", o.include_proposed, "Count proposed rows as well as accepted ones");
    cmd->add_flag("--active-only", o.active_only, "Count only mechanisms whose status is active");
    cmd->add_option("--as-of", as_of, as_of_help)->type_name("YEAR")->capture_default_str();
    cmd->add_option("--compare", compare,
                    "Then and now: also show, per node, mechanisms added and ended and findings that appeared or "
                    "were resolved since this year (the map as of YEAR), or since the map as it was recorded on "
                    "DATE (YYYY-MM-DD, end of day UTC) or at TIME (YYYY-MM-DDTHH:MM[:SS][Z]), rebuilt from history")
        ->type_name("YEAR|DATE|TIME");
    cmd->add_flag("--with-picture", with_picture,
                  "With --format html: embed a picture of the mechanisms covering the reported nodes and their "
                  "relations (the mechanisms view of govmap draw, for --under)");
    cmd->add_option("--csv", csv_table, "With --format csv: the coverage matrix or one row per finding")
        ->check(CLI::IsMember({"coverage", "findings"}))
        ->capture_default_str();
    cmd->add_flag("--with-observatories", o.with_observatories,
                  "Count observatories, mapping exercises and research projects as coverage too");
    cmd->add_flag("--primary-only", o.primary_only,
                  "Count only links of strength primary (a forum that discusses everything then covers only what it "
                  "addresses primarily)");
    cmd->add_option("--min-mechanisms", o.min_mechanisms, "thin: fewer than this many mechanisms")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--max-depth", o.max_depth, "deep_nesting: this many part_of/reports_to levels down, or more")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--brokers", o.brokers, "How many brokers (by betweenness) to list")->capture_default_str();
    static std::string framework, assessor;
    cmd->add_option("--framework", framework,
                    "Also report criterion_unmet: covered nodes none of whose mechanisms is rated met on a criterion "
                    "of this evaluation framework (govmap frameworks lists them)")
        ->type_name("KEY");
    cmd->add_option("--assessor", assessor, "With --framework: only this assessor's observations")->type_name("KEY");
    cmd->add_option(
           "--kinds", kinds,
           "Only these finding kinds, comma-separated: " +
               [] {
                   std::string all;
                   for (const auto& k : analysis::finding_kinds())
                       all += (all.empty() ? "" : ", ") + k;
                   return all;
               }())
        ->type_name("K1,K2");
    cmd->footer("Severity rules and the JSON structure: docs/gaps.md. Text output is coloured only on a terminal "
                "and never when NO_COLOR is set.");
    cmd->callback([&ctx] {
        ctx.action = [&ctx] {
            o.as_of = parse_as_of(as_of);
            if (!framework.empty())
                o.framework = framework;
            if (!assessor.empty())
                o.assessor = assessor;
            if (o.assessor && !o.framework)
                throw Failure(exit_usage, "--assessor needs --framework");
            bool compare_year = compare.size() == 4 || compare == "today";
            if (!compare.empty() && compare_year) {
                o.compare = parse_as_of(compare);
                if (!o.compare)
                    throw Failure(exit_usage, "--compare takes a year, a date or a time");
            }
            if (!level.empty())
                o.level = level;
            if (!under.empty())
                o.under = under;
            std::istringstream k(kinds);
            for (std::string kind; std::getline(k, kind, ',');)
                if (!kind.empty())
                    o.kinds.insert(kind);
            if (with_picture && format != "html")
                throw Failure(exit_usage, "--with-picture needs --format html");
            auto conn = ctx.connect();
            analysis::GapReport report;
            std::string picture;
            try {
                // The recorded map is rebuilt in a transaction of its own
                // (rolled back): the past does not depend on the snapshot.
                std::optional<analysis::GapReport> then;
                if (!compare.empty() && !compare_year) {
                    try {
                        o.compare_recorded = analysis::recorded_moment(conn, compare);
                    } catch (const std::invalid_argument& e) {
                        throw Failure(exit_usage, "--compare: " + std::string(e.what()));
                    }
                    auto then_options = o;
                    then_options.include_proposed = false;
                    then = analysis::analyse_recorded(conn, then_options, *o.compare_recorded);
                }
                // The picture selects its nodes into temporary tables.
                auto tx = ctx.open_map(conn, o.include_proposed, with_picture);
                report = analysis::analyse(tx, o);
                if (with_picture) {
                    picture::DrawOptions d;
                    d.filter.under = o.under;
                    d.filter.as_of = o.as_of;
                    d.filter.include_proposed = o.include_proposed;
                    d.gaps = o;
                    try {
                        picture = picture::inline_svg(picture::draw(tx, d, picture::Format::svg, &report).data);
                    } catch (const picture::DrawError& e) {
                        throw Failure(exit_failure, e.what());
                    }
                }
                if (then)
                    report.comparison = analysis::compare(*then, report, std::nullopt, o.compare_recorded);
            } catch (const std::invalid_argument& e) {
                throw Failure(exit_usage, e.what());
            }
            output::ReportFormat f = format == "markdown" ? output::ReportFormat::markdown
                                     : format == "json"   ? output::ReportFormat::json
                                     : format == "csv"  ? (csv_table == "findings" ? output::ReportFormat::csv_findings
                                                                                   : output::ReportFormat::csv)
                                     : format == "html" ? output::ReportFormat::html
                                                        : output::ReportFormat::text;
            if (!out_path.empty()) {
                write_file(out_path, output::render(report, f, false, picture));
                ctx.info("wrote {} ({}, {})", out_path,
                         text::count_of(static_cast<long>(report.nodes.size()), "node", "nodes"),
                         text::count_of(static_cast<long>(report.concerns.size()), "finding", "findings"));
                return;
            }
            bool colour = f == output::ReportFormat::text && isatty(1) && !std::getenv("NO_COLOR");
            fmt::print("{}", output::render(report, f, colour, picture));
        };
    });
}

}  // namespace govmap::cli
