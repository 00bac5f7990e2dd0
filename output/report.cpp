#include "output/report.hpp"

#include "text/text.hpp"
#include "vocab/vocabulary.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace govmap::output {

using analysis::Finding;
using analysis::finding_kinds;
using analysis::GapReport;
using analysis::NodeCoverage;
using text::csv_field;
using text::html_escape;

namespace {

const char* const severities[] = {"high", "medium", "low"};

long count(const NodeCoverage& n, const std::string& dim, const std::string& value)
{
    auto d = n.counts.find(dim);
    if (d == n.counts.end())
        return 0;
    auto v = d->second.find(value);
    return v == d->second.end() ? 0 : v->second;
}

/// The heat map's columns: dimension and value.
std::vector<std::pair<std::string, std::string>> matrix_columns(const GapReport& r, bool all_regions_and_groups)
{
    std::vector<std::pair<std::string, std::string>> cols;
    for (auto [dimension, enumeration] :
         {std::pair{"scope", vocab::mechanism_scope}, std::pair{"model", vocab::governance_model},
          std::pair{"centrality", vocab::centrality}})
        for (const auto& value : vocab::get(enumeration).values)
            cols.push_back({dimension, value});
    for (const auto& region : all_regions_and_groups ? r.regions : r.heat_regions)
        cols.push_back({"region", region});
    if (all_regions_and_groups)
        for (const auto& g : r.stakeholder_groups)
            cols.push_back({"stakeholder", g});
    return cols;
}

/// The map and the settings that change counting, in one sentence.
std::string settings(const GapReport& r)
{
    const auto& o = r.options;
    std::string map = r.map.describe();
    std::vector<std::string> counting;
    counting.push_back(o.as_of ? fmt::format("as of {}", *o.as_of) : std::string("all years"));
    counting.push_back(o.include_proposed ? "accepted and proposed rows" : "accepted rows only");
    if (o.primary_only)
        counting.push_back("primary links only");
    if (o.active_only)
        counting.push_back("active mechanisms only");
    if (o.with_observatories)
        counting.push_back("observatories counted");
    if (o.strict_regions)
        counting.push_back("global mechanisms not counted per region");
    return map + ". Counting: " + text::join(counting) + ".";
}

/// " (data gap)" for findings that could change with more data.
std::string data_mark(const Finding& f) { return f.basis == "data" ? " (data gap)" : ""; }

// ------------------------------------------------------------------ text

/// Words of `s` on lines of at most `columns` characters, each indented.
std::string wrap(const std::string& s, std::size_t indent, std::size_t columns)
{
    std::string out, line;
    std::istringstream words(s);
    const std::size_t width = columns - indent;
    for (std::string w; words >> w;) {
        if (!line.empty() && indent + text::utf8_length(line) + 1 + text::utf8_length(w) > columns) {
            out += std::string(indent, ' ') + line + "\n";
            line.clear();
        }
        // A word wider than the line (a long URL) is cut into pieces that fit,
        // at character boundaries.
        while (line.empty() && text::utf8_length(w) > width) {
            std::size_t cut = 0;
            for (std::size_t chars = 0; cut < w.size(); ++cut)
                if ((static_cast<unsigned char>(w[cut]) & 0xC0) != 0x80 && chars++ == width)
                    break;
            out += std::string(indent, ' ') + w.substr(0, cut) + "\n";
            w.erase(0, cut);
        }
        line += (line.empty() ? "" : " ") + w;
    }
    if (!line.empty())
        out += std::string(indent, ' ') + line + "\n";
    return out;
}

std::string text(const GapReport& r, bool colour)
{
    auto paint = [&](const std::string& s, const char* code) {
        return colour ? fmt::format("\033[{}m{}\033[0m", code, s) : s;
    };
    std::string out;
    out += fmt::format("Coverage of {} taxonomy node(s){}{}\n{}\n\n", r.nodes.size(),
                       r.options.under ? " under " + *r.options.under : "",
                       r.options.include_proposed ? " (proposed rows included)" : "", settings(r));
    out += fmt::format("{} {} {:>4}  {:>12}  {:>8}  {:>13}\n", text::utf8_fit("node", 44), text::utf8_fit("level", 7),
                       "mech", "glob/reg/nat", "multistk", "core/adjacent");
    for (const auto& n : r.nodes) {
        std::string indent = n.level == "cluster" ? "" : n.level == "area" ? "  " : "    ";
        std::string mech = std::to_string(n.mechanisms);
        out += fmt::format("{} {} {:>4}  {:>12}  {:>8}  {:>13}\n", text::utf8_fit(indent + n.code, 44),
                           text::utf8_fit(n.level, 7), n.mechanisms == 0 ? paint(mech, "1;31") : mech,
                           fmt::format("{}/{}/{}", count(n, "scope", "global"), count(n, "scope", "regional"),
                                       count(n, "scope", "national")),
                           count(n, "participation", "multistakeholder"),
                           fmt::format("{}/{}", count(n, "centrality", "core"), count(n, "centrality", "adjacent")));
    }
    std::map<std::string, std::map<std::string, int>> tally;
    for (const char* sev : severities) {
        bool header = false;
        for (const auto& f : r.findings) {
            if (f.severity != sev)
                continue;
            if (!header) {
                const char* c = f.severity == std::string("high")     ? "1;31"
                                : f.severity == std::string("medium") ? "33"
                                                                      : "36";
                out += "\n" +
                       paint(fmt::format("{} severity", f.severity == "high"     ? "High"
                                                        : f.severity == "medium" ? "Medium"
                                                                                 : "Low"),
                             c) +
                       "\n";
                header = true;
            }
            ++tally[f.severity][f.kind];
            out += fmt::format("  {:<24} {}{}\n", f.kind, f.node.value_or("(map)"), data_mark(f));
            out += wrap(f.detail, 6, 100);
        }
    }
    bool any_note =
        std::any_of(r.nodes.begin(), r.nodes.end(), [](const NodeCoverage& n) { return n.note.has_value(); });
    if (any_note) {
        out += "\nWhat the sources say of gaps\n";
        for (const auto& n : r.nodes)
            if (n.note) {
                out += fmt::format("  {}\n", n.code);
                out += wrap(*n.note, 6, 100);
            }
    }
    if (!r.brokers.empty()) {
        out += "\nBrokers (betweenness centrality in the linkage graph)\n";
        for (const auto& b : r.brokers)
            out += fmt::format("  {:<40} {:.4f}\n", b.slug, b.betweenness);
    }
    out += fmt::format("\n{} finding(s):", r.findings.size());
    for (const char* sev : severities) {
        int total = 0;
        for (const auto& [k, n] : tally[sev])
            total += n;
        out += fmt::format(" {} {}", total, sev);
        out += sev == std::string("low") ? "\n" : ",";
    }
    return out;
}

// ------------------------------------------------------------------ markdown

std::string md_cell(const std::string& s)
{
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += ' ';
        else
            out += c;
    }
    return out;
}

std::string markdown(const GapReport& r)
{
    std::string out = "# Gap report\n\n";
    out += fmt::format("Generated {}{}{}. Coverage counts accepted rows{}; a mechanism on an issue also covers its "
                       "area and cluster.\n\n",
                       r.generated_at, r.options.under ? ", under `" + *r.options.under + "`" : "",
                       r.options.level ? ", level " + *r.options.level : "",
                       r.options.include_proposed ? " and proposed rows" : "");
    out += settings(r) + "\n\n";
    out += "## Coverage\n\n| Node | Name | Level | Mechanisms | Global | Regional | National | Multistakeholder | "
           "Intergovernmental | Core | Adjacent |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    for (const auto& n : r.nodes)
        out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", n.code, md_cell(n.name),
                           n.level, n.mechanisms == 0 ? std::string("**0**") : std::to_string(n.mechanisms),
                           count(n, "scope", "global"), count(n, "scope", "regional"), count(n, "scope", "national"),
                           count(n, "participation", "multistakeholder"), count(n, "model", "intergovernmental"),
                           count(n, "centrality", "core"), count(n, "centrality", "adjacent"));
    out += "\n## Findings\n";
    for (const char* sev : severities) {
        bool any =
            std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.severity == sev; });
        if (!any)
            continue;
        out += fmt::format("\n### {} severity\n\n| Kind | Node | Finding | Mechanisms |\n|---|---|---|---|\n",
                           std::string(1, static_cast<char>(std::toupper(sev[0]))) + (sev + 1));
        for (const auto& f : r.findings)
            if (f.severity == sev) {
                std::string mechs;
                for (const auto& m : f.mechanisms)
                    mechs += (mechs.empty() ? "" : ", ") + ("`" + m + "`");
                out += fmt::format("| {} | {} | {}{} | {} |\n", f.kind, f.node ? "`" + *f.node + "`" : "(map)",
                                   md_cell(f.detail), data_mark(f), mechs);
            }
    }
    if (std::any_of(r.nodes.begin(), r.nodes.end(), [](const NodeCoverage& n) { return n.note.has_value(); })) {
        out += "\n## What the sources say of gaps\n\n";
        for (const auto& n : r.nodes)
            if (n.note)
                out += fmt::format("- `{}` {}: {}\n", n.code, md_cell(n.name), md_cell(*n.note));
    }
    if (!r.brokers.empty()) {
        out += "\n## Brokers\n\nMechanisms through which coordination runs (betweenness centrality in the linkage "
               "graph).\n\n| Mechanism | Betweenness |\n|---|--:|\n";
        for (const auto& b : r.brokers)
            out += fmt::format("| `{}` | {:.4f} |\n", b.slug, b.betweenness);
    }
    return out;
}

// ------------------------------------------------------------------ json

std::string json(const GapReport& r)
{
    nlohmann::ordered_json out;
    out["generated_at"] = r.generated_at;
    auto or_null = [](const std::string& s) {
        return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
    };
    out["map"] = {{"data_version", or_null(r.map.data_version)}, {"data_date", or_null(r.map.data_date)}};
    const auto& o = r.options;
    nlohmann::ordered_json filters;
    filters["level"] = o.level ? nlohmann::ordered_json(*o.level) : nlohmann::ordered_json(nullptr);
    filters["under"] = o.under ? nlohmann::ordered_json(*o.under) : nlohmann::ordered_json(nullptr);
    filters["by_region"] = o.by_region;
    filters["strict_regions"] = o.strict_regions;
    filters["include_proposed"] = o.include_proposed;
    filters["active_only"] = o.active_only;
    filters["primary_only"] = o.primary_only;
    filters["min_mechanisms"] = o.min_mechanisms;
    filters["max_depth"] = o.max_depth;
    filters["as_of"] = o.as_of ? nlohmann::ordered_json(*o.as_of) : nlohmann::ordered_json(nullptr);
    filters["with_observatories"] = o.with_observatories;
    filters["kinds"] = o.kinds.empty() ? nlohmann::ordered_json(finding_kinds()) : nlohmann::ordered_json(o.kinds);
    out["filters"] = filters;
    out["nodes"] = nlohmann::ordered_json::array();
    for (const auto& n : r.nodes) {
        nlohmann::ordered_json node;
        node["code"] = n.code;
        node["name"] = n.name;
        node["level"] = n.level;
        node["parent"] = n.parent ? nlohmann::ordered_json(*n.parent) : nlohmann::ordered_json(nullptr);
        node["mechanisms"] = n.mechanisms;
        for (const char* dim : {"scope", "model", "centrality", "participation", "region", "stakeholder", "unknown"}) {
            nlohmann::ordered_json counts = nlohmann::ordered_json::object();
            if (auto d = n.counts.find(dim); d != n.counts.end())
                for (const auto& [k, v] : d->second)
                    counts[k] = v;
            node[dim] = counts;
        }
        node["covering"] = n.covering;
        node["note"] = n.note ? nlohmann::ordered_json(*n.note) : nlohmann::ordered_json(nullptr);
        out["nodes"].push_back(node);
    }
    out["findings"] = nlohmann::ordered_json::array();
    for (const auto& f : r.findings)
        out["findings"].push_back({{"kind", f.kind},
                                   {"node", f.node ? nlohmann::ordered_json(*f.node) : nlohmann::ordered_json(nullptr)},
                                   {"severity", f.severity},
                                   {"basis", f.basis},
                                   {"detail", f.detail},
                                   {"mechanisms", f.mechanisms}});
    out["brokers"] = nlohmann::ordered_json::array();
    for (const auto& b : r.brokers)
        out["brokers"].push_back({{"slug", b.slug}, {"betweenness", b.betweenness}});
    out["betweenness"] = {{"exact", r.betweenness_sources == r.mechanisms_in_graph},
                          {"sources", r.betweenness_sources},
                          {"mechanisms", r.mechanisms_in_graph}};
    return out.dump(2) + "\n";
}

// ------------------------------------------------------------------ csv

std::string csv(const GapReport& r)
{
    auto cols = matrix_columns(r, true);
    std::string out = "code,name,level,parent,mechanisms";
    for (const auto& [dim, value] : cols)
        out += "," + dim + "." + value;
    out += "\r\n";
    for (const auto& n : r.nodes) {
        out += csv_field(n.code) + "," + csv_field(n.name) + "," + n.level + "," + csv_field(n.parent.value_or("")) +
               "," + std::to_string(n.mechanisms);
        for (const auto& [dim, value] : cols)
            out += "," + std::to_string(count(n, dim, value));
        out += "\r\n";
    }
    return out;
}

// ------------------------------------------------------------------ html

/// Sequential blues for counts; zero stands out in red.
std::string cell_colour(long value, long max)
{
    if (value == 0)
        return "#d7301f";
    double t = max <= 1 ? 1.0 : std::log1p(static_cast<double>(value)) / std::log1p(static_cast<double>(max));
    int r = static_cast<int>(std::lround(222 - t * (222 - 8)));
    int g = static_cast<int>(std::lround(235 - t * (235 - 81)));
    int b = static_cast<int>(std::lround(247 - t * (247 - 156)));
    return fmt::format("#{:02x}{:02x}{:02x}", r, g, b);
}

std::string heat_map(const GapReport& r)
{
    auto cols = matrix_columns(r, false);
    const int label_w = 330, cell = 26, top = 150;
    // Room on the right for the last rotated column label.
    int w = label_w + cell * static_cast<int>(cols.size()) + 140;
    int h = top + cell * static_cast<int>(r.nodes.size()) + 70;
    std::map<std::string, long> max_by_dim;
    for (const auto& n : r.nodes)
        for (const auto& [dim, value] : cols)
            max_by_dim[dim] = std::max(max_by_dim[dim], count(n, dim, value));
    std::string svg = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" width=\"{0}\" "
                                  "height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
                                  "role=\"img\" aria-label=\"Coverage heat map\">\n",
                                  w, h);
    svg += "<g class=\"columns\">\n";
    for (std::size_t c = 0; c < cols.size(); ++c) {
        int x = label_w + static_cast<int>(c) * cell + cell / 2;
        svg += fmt::format("<text x=\"{}\" y=\"{}\" transform=\"rotate(-60 {} {})\" class=\"col\">{}: {}</text>\n", x,
                           top - 6, x, top - 6, html_escape(cols[c].first), html_escape(cols[c].second));
    }
    svg += "</g>\n<g class=\"rows\">\n";
    for (std::size_t i = 0; i < r.nodes.size(); ++i) {
        const auto& n = r.nodes[i];
        int y = top + static_cast<int>(i) * cell;
        std::string indent = n.level == "cluster" ? "" : n.level == "area" ? "  " : "    ";
        // Long names are shortened to fit beside the cells; the title keeps them whole.
        svg += fmt::format(
            "<text x=\"4\" y=\"{}\" class=\"row {}\" xml:space=\"preserve\">{}{} ({})<title>{}</title></text>\n",
            y + cell * 2 / 3, n.level, indent, html_escape(text::utf8_shorten(n.name, 46)), n.mechanisms,
            html_escape(n.name));
        for (std::size_t c = 0; c < cols.size(); ++c) {
            long v = count(n, cols[c].first, cols[c].second);
            svg += fmt::format("<rect class=\"cell\" data-row=\"{}\" data-col=\"{}:{}\" x=\"{}\" y=\"{}\" width=\"{}\" "
                               "height=\"{}\" fill=\"{}\"><title>{} / {}: {}: {}</title></rect>\n",
                               html_escape(n.code), html_escape(cols[c].first), html_escape(cols[c].second),
                               label_w + static_cast<int>(c) * cell, y, cell - 2, cell - 2,
                               cell_colour(v, max_by_dim[cols[c].first]), html_escape(n.code),
                               html_escape(cols[c].first), html_escape(cols[c].second), v);
            if (v > 0)
                svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"count{}\">{}</text>\n",
                                   label_w + static_cast<int>(c) * cell + (cell - 2) / 2, y + cell * 2 / 3,
                                   v * 3 < max_by_dim[cols[c].first] + 1 ? " light" : "", v);
        }
    }
    svg += "</g>\n";
    // Legend.
    int ly = top + cell * static_cast<int>(r.nodes.size()) + 25;
    svg += fmt::format("<g class=\"legend\"><text x=\"4\" y=\"{}\">Mechanisms per cell:</text>\n", ly + 14);
    const long samples[] = {0, 1, 2, 5, 10};
    for (int i = 0; i < 5; ++i)
        svg += fmt::format("<rect x=\"{0}\" y=\"{1}\" width=\"20\" height=\"20\" fill=\"{2}\"/><text x=\"{3}\" "
                           "y=\"{4}\">{5}{6}</text>\n",
                           170 + i * 70, ly, cell_colour(samples[i], 10), 195 + i * 70, ly + 14, samples[i],
                           i == 0   ? " (gap)"
                           : i == 4 ? "+"
                                    : "");
    svg += "</g>\n</svg>\n";
    return svg;
}

std::string html(const GapReport& r)
{
    std::string out = R"(<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<title>govmap gap report</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
.high { color: #b30000; font-weight: bold; } .medium { color: #a65c00; } .low { color: #336; }
svg text { font-size: 11px; } svg .count { font-size: 9px; text-anchor: middle; fill: #fff; }
svg .count.light { fill: #1a1a1a; }
svg .row.cluster { font-weight: bold; } details { margin: 0.3em 0; }
</style>
</head>
<body>
<h1>Gap report</h1>
)";
    out += fmt::format("<p>Generated {}{}. Coverage counts {}; a mechanism on an issue also covers its area and "
                       "cluster; a global mechanism counts for every region{}.</p>\n",
                       html_escape(r.generated_at), r.options.under ? html_escape(", under " + *r.options.under) : "",
                       r.options.include_proposed ? "accepted and proposed rows" : "accepted rows",
                       r.options.strict_regions ? " (not in this report: --strict-regions)" : "");
    out += "<p>" + html_escape(settings(r)) + "</p>\n";
    out += "<h2>Coverage heat map</h2>\n" + heat_map(r);
    out += "<h2>Findings</h2>\n<table>\n<tr><th>Severity</th><th>Kind</th><th>Node</th><th>Finding</th><th>Mechanisms</"
           "th></tr>\n";
    for (const auto& f : r.findings) {
        std::string mechs;
        for (const auto& m : f.mechanisms)
            mechs += (mechs.empty() ? "" : ", ") + html_escape(m);
        out += fmt::format("<tr><td class=\"{0}\">{0}</td><td>{1}</td><td>{2}</td><td>{3}</td><td>{4}</td></tr>\n",
                           html_escape(f.severity), html_escape(f.kind), html_escape(f.node.value_or("(map)")),
                           html_escape(f.detail + data_mark(f)), mechs);
    }
    out += "</table>\n";
    if (std::any_of(r.nodes.begin(), r.nodes.end(), [](const NodeCoverage& n) { return n.note.has_value(); })) {
        out += "<h2>What the sources say of gaps</h2>\n<dl>\n";
        for (const auto& n : r.nodes)
            if (n.note)
                out += fmt::format("<dt>{} ({})</dt><dd>{}</dd>\n", html_escape(n.name), html_escape(n.code),
                                   html_escape(*n.note));
        out += "</dl>\n";
    }
    if (!r.brokers.empty()) {
        out += "<h2>Brokers</h2>\n<table>\n<tr><th>Mechanism</th><th>Betweenness</th></tr>\n";
        for (const auto& b : r.brokers)
            out += fmt::format("<tr><td>{}</td><td>{:.4f}</td></tr>\n", html_escape(b.slug), b.betweenness);
        out += "</table>\n";
    }
    out += "<h2>Mechanisms by node</h2>\n";
    for (const auto& n : r.nodes) {
        out += fmt::format("<details id=\"node-{}\"><summary>{} <code>{}</code> ({})</summary>\n", html_escape(n.code),
                           html_escape(n.name), html_escape(n.code), n.mechanisms);
        if (!n.covering.empty()) {
            out +=
                "<table>\n<tr><th>Mechanism</th><th>Scope</th><th>Model</th><th>Centrality</th><th>Source</th></tr>\n";
            for (const auto& slug : n.covering) {
                const auto& m = r.mechanisms.at(slug);
                std::string source = m.source_url ? fmt::format("<a href=\"{}\">{}</a>", html_escape(*m.source_url),
                                                                html_escape(m.source_title.value_or(*m.source_url)))
                                                  : html_escape(m.source_title.value_or(""));
                out += fmt::format("<tr><td>{} <code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                                   html_escape(m.name), html_escape(m.slug), html_escape(m.scope), html_escape(m.model),
                                   html_escape(m.centrality), source);
            }
            out += "</table>\n";
        }
        out += "</details>\n";
    }
    out += "</body>\n</html>\n";
    return out;
}

}  // namespace

std::string render(const GapReport& report, ReportFormat format, bool colour)
{
    switch (format) {
    case ReportFormat::text: return text(report, colour);
    case ReportFormat::markdown: return markdown(report);
    case ReportFormat::json: return json(report);
    case ReportFormat::csv: return csv(report);
    case ReportFormat::html: return html(report);
    }
    return {};
}

}  // namespace govmap::output
