// govmap export: the map (or part of it) for Gephi, Cytoscape, yEd, Graphviz, the web and Kumu.
#include "analysis/gaps.hpp"
#include "cli/commands.hpp"
#include "cli/map_options.hpp"
#include "cli/output_file.hpp"
#include "output/export.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

namespace govmap::cli {

void add_export_command(CLI::App& app, Context& ctx)
{
    static std::string format, out = "-";
    static std::vector<std::string> kinds, relations;
    static MapSelection selection;
    static bool with_gaps = false;
    static analysis::GapOptions gaps;
    auto* cmd = app.add_subcommand("export", "Export the map to Gephi, Cytoscape, yEd, Graphviz, the web or Kumu");
    cmd->add_option("--format", format,
                    "graphml, gexf (1.3), dot, cytoscape (Cytoscape.js JSON), csv (Gephi's node and edge tables), "
                    "kumu (a Kumu JSON blueprint) or kumu-csv (Kumu's spreadsheet import)")
        ->required()
        ->check(CLI::IsMember({"graphml", "gexf", "dot", "cytoscape", "csv", "kumu", "kumu-csv"}));
    cmd->add_option("--out", out,
                    "File, '-' for standard output, or a directory for csv (nodes.csv, edges.csv) and kumu-csv "
                    "(elements.csv, connections.csv)")
        ->capture_default_str();
    add_selection_options(cmd, selection);
    cmd->add_option("--kinds", kinds, "Node kinds: mechanism, area, stakeholder, region (default: all)")
        ->delimiter(',');
    cmd->add_option("--relations", relations,
                    "Edge kinds: part_of, reports_to, feeds_into, cooperates_with, convened_by, succeeded_by, "
                    "addresses, involves, operates_in, within (default: all)")
        ->delimiter(',');
    cmd->add_flag("--with-gaps", with_gaps, "Add coverage counts, gap flags and betweenness as attributes");
    add_counting_options(cmd, gaps, "With --with-gaps: count");
    static std::string framework, assessor;
    cmd->add_option("--framework", framework,
                    "Add each mechanism's rating on this evaluation framework's criteria as attributes "
                    "(rating_<criterion>: met, partly, not_met, disputed or unknown)")
        ->type_name("KEY");
    cmd->add_option("--assessor", assessor, "With --framework: only this assessor's observations")->type_name("KEY");
    cmd->footer("Attribute names and how to open each format: docs/export.md. The same map always gives the same "
                "bytes.");
    cmd->callback([&ctx] {
        ctx.action = [&ctx] {
            output::ExportOptions o;
            o.filter = selection.filter();
            o.filter.kinds = comma_set(kinds);
            o.filter.relations = comma_set(relations);
            o.with_gaps = with_gaps;
            o.gaps = gaps;
            if (!framework.empty())
                o.framework = framework;
            if (!assessor.empty())
                o.assessor = assessor;
            if (o.assessor && !o.framework)
                throw Failure(exit_usage, "--assessor needs --framework");
            output::ExportFormat f = format == "graphml"     ? output::ExportFormat::graphml
                                     : format == "gexf"      ? output::ExportFormat::gexf
                                     : format == "dot"       ? output::ExportFormat::dot
                                     : format == "cytoscape" ? output::ExportFormat::cytoscape
                                     : format == "kumu"      ? output::ExportFormat::kumu
                                     : format == "kumu-csv"  ? output::ExportFormat::kumu_csv
                                                             : output::ExportFormat::csv;
            auto conn = ctx.connect();
            auto tx = ctx.open_map(conn, selection.include_proposed, true);
            output::ExportCounts counts;
            std::optional<analysis::GapReport> report;
            auto run = [&](std::ostream& main_out, std::ostream* edges_out) {
                if (o.with_gaps) {
                    analysis::GapOptions g = o.gaps;
                    g.include_proposed = o.filter.include_proposed;
                    g.as_of = o.filter.as_of;
                    report = analysis::analyse(tx, g);
                }
                return output::export_graph(tx, o, report ? &*report : nullptr, f, main_out, edges_out);
            };
            try {
                if (f == output::ExportFormat::csv || f == output::ExportFormat::kumu_csv) {
                    bool kumu = f == output::ExportFormat::kumu_csv;
                    std::string first = kumu ? "elements.csv" : "nodes.csv",
                                second = kumu ? "connections.csv" : "edges.csv";
                    if (out == "-")
                        throw Failure(exit_usage, "the " + format + " export writes " + first + " and " + second +
                                                      ": give a directory with --out DIR");
                    std::filesystem::create_directories(out);
                    OutputFile nodes(std::filesystem::path(out) / first);
                    OutputFile edges(std::filesystem::path(out) / second);
                    counts = run(nodes.stream(), &edges.stream());
                    nodes.commit();
                    edges.commit();
                } else if (out == "-") {
                    std::ios::sync_with_stdio(false);
                    counts = run(std::cout, nullptr);
                    check_stdout();
                } else {
                    OutputFile file(out);
                    counts = run(file.stream(), nullptr);
                    file.commit();
                }
            } catch (const std::invalid_argument& e) {
                throw Failure(exit_usage, e.what());
            }
            ctx.info("exported {} nodes and {} edges{}", counts.nodes, counts.edges, out == "-" ? "" : " to " + out);
        };
    });
}

}  // namespace govmap::cli
