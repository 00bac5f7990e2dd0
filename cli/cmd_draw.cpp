// govmap draw: a picture of the map that fits a page, laid out by Graphviz.
#include "cli/commands.hpp"
#include "cli/map_options.hpp"
#include "cli/output_file.hpp"
#include "picture/picture.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

namespace govmap::cli {

namespace {

picture::Format format_of(const std::string& format, const std::string& out)
{
    std::string f = format;
    if (f.empty()) {
        auto ext = std::filesystem::path(out).extension().string();
        f = ext == ".png" ? "png" : ext == ".pdf" ? "pdf" : ext == ".svg" || out == "-" ? "svg" : "";
        if (f.empty())
            throw Failure(exit_usage, "cannot tell the picture's format from '" + out +
                                          "': name it .svg, .png or .pdf, or give --format");
    }
    return f == "png" ? picture::Format::png : f == "pdf" ? picture::Format::pdf : picture::Format::svg;
}

}  // namespace

void add_draw_command(CLI::App& app, Context& ctx)
{
    static std::string out = "-", format, view = "mechanisms", paper = "a4";
    static MapSelection selection;
    static bool edge_labels = false;
    static std::size_t max_nodes = 1500;
    static analysis::GapOptions gaps;
    auto* cmd = app.add_subcommand("draw", "Draw a picture of the map for a report: SVG, PNG or PDF that fits a page");
    cmd->add_option("--out", out, "File (.svg, .png or .pdf), or '-' for SVG on standard output")
        ->capture_default_str();
    cmd->add_option("--format", format, "svg, png or pdf (default: from --out's extension)")
        ->check(CLI::IsMember({"svg", "png", "pdf"}));
    cmd->add_option("--view", view,
                    "mechanisms: the linkage network; areas: the taxonomy coloured by coverage; bipartite: which "
                    "mechanisms address which areas; nesting: the part_of/reports_to tree")
        ->check(CLI::IsMember({"mechanisms", "areas", "bipartite", "nesting"}))
        ->capture_default_str();
    cmd->add_option("--paper", paper, "Page to fit: a4 or letter (portrait or landscape, whichever fits the drawing)")
        ->check(CLI::IsMember({"a4", "letter"}))
        ->capture_default_str();
    add_selection_options(cmd, selection);
    cmd->add_flag("--edge-labels", edge_labels, "Label every edge with its relation (off: the legend says it)");
    add_counting_options(cmd, gaps, "Colour areas by coverage counted");
    cmd->add_option("--max-nodes", max_nodes, "Refuse to draw more nodes than this (a page holds only so many)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->footer("Views, colours and sizes: docs/pictures.md. The same map and options give the same SVG bytes.");
    cmd->callback([&ctx] {
        ctx.action = [&ctx] {
            picture::DrawOptions o;
            o.view = view == "areas"       ? picture::View::areas
                     : view == "bipartite" ? picture::View::bipartite
                     : view == "nesting"   ? picture::View::nesting
                                           : picture::View::mechanisms;
            o.paper = paper == "letter" ? picture::Paper::letter : picture::Paper::a4;
            o.filter = selection.filter();
            o.edge_labels = edge_labels;
            o.gaps = gaps;
            o.max_nodes = max_nodes;
            auto f = format_of(format, out);
            auto conn = ctx.connect();
            auto tx = ctx.open_map(conn, selection.include_proposed, true);
            picture::Picture p;
            try {
                p = picture::draw(tx, o, f);
            } catch (const std::invalid_argument& e) {
                throw Failure(exit_usage, e.what());
            } catch (const picture::DrawError& e) {
                throw Failure(exit_failure, e.what());
            }
            if (out == "-") {
                std::cout.write(p.data.data(), static_cast<std::streamsize>(p.data.size()));
                check_stdout();
            } else {
                OutputFile file(out);
                file.stream().write(p.data.data(), static_cast<std::streamsize>(p.data.size()));
                file.commit();
            }
            ctx.info("drew {} nodes and {} edges{} ({:.0f} x {:.0f} pt, scale {:.2f}, smallest label {:.1f} pt){}",
                     p.nodes, p.edges, out == "-" ? "" : " to " + out, p.width_pt, p.height_pt, p.scale,
                     p.smallest_font, p.isolated ? fmt::format("; {} unlinked left out", p.isolated) : "");
            if (p.nodes && p.smallest_font < 5)
                ctx.info("warning: labels are smaller than 5 pt on the page; narrow the map with --under, --scope, "
                         "--model or --region");
        };
    });
}

}  // namespace govmap::cli
