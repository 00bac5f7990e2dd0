#include "output/report.hpp"

#include "text/text.hpp"
#include "vocab/vocabulary.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace govmap::output {

using analysis::Concern;
using analysis::finding_kinds;
using analysis::GapReport;
using analysis::NodeCoverage;
using text::count_of;
using text::csv_field;
using text::html_escape;

namespace {

const char* const severities[] = {"high", "medium", "low"};

std::string capitalised(std::string s)
{
    if (!s.empty())
        s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

long count(const NodeCoverage& n, const std::string& dim, const std::string& value)
{
    auto d = n.counts.find(dim);
    if (d == n.counts.end())
        return 0;
    auto v = d->second.find(value);
    return v == d->second.end() ? 0 : v->second;
}

/// "Name (ACRONYM)" for a slug.
std::string name_of(const GapReport& r, const std::string& slug)
{
    auto it = r.mechanisms.find(slug);
    return it == r.mechanisms.end() ? slug : it->second.display();
}

std::vector<std::string> names_of(const GapReport& r, const std::vector<std::string>& slugs)
{
    std::vector<std::string> out;
    for (const auto& s : slugs)
        out.push_back(name_of(r, s));
    return out;
}

std::string level_name(const GapReport& r, long n)
{
    const auto& level = r.options.level;
    if (level == std::string("cluster"))
        return count_of(n, "cluster", "clusters");
    if (level == std::string("area"))
        return count_of(n, "area", "areas");
    if (level == std::string("issue"))
        return count_of(n, "issue", "issues");
    return count_of(n, "taxonomy node", "taxonomy nodes");
}

/// The map and the settings that change counting, in one sentence.
std::string settings(const GapReport& r)
{
    const auto& o = r.options;
    std::vector<std::string> counting;
    counting.push_back(o.as_of ? fmt::format("as of {}", *o.as_of) : std::string("all years"));
    counting.push_back(o.include_proposed ? "accepted and proposed rows" : "accepted rows only");
    counting.push_back(o.primary_only ? "primary links only" : "primary and secondary links");
    if (o.active_only)
        counting.push_back("active mechanisms only");
    counting.push_back(o.with_observatories ? "observatories counted" : "observatories not counted");
    if (o.by_region)
        counting.push_back(o.strict_regions ? "regions, global mechanisms not counted per region" : "regions");
    counting.push_back(fmt::format("thin below {}", count_of(o.min_mechanisms, "mechanism", "mechanisms")));
    counting.push_back(fmt::format("deep nesting from {} levels", o.max_depth));
    if (o.under)
        counting.push_back("under " + *o.under);
    if (o.compare)
        counting.push_back(fmt::format("compared with {}", *o.compare));
    if (o.compare_recorded)
        counting.push_back(fmt::format("compared with the map as recorded on {}", *o.compare_recorded));
    if (o.framework)
        counting.push_back("evaluated against " + *o.framework + (o.assessor ? " by " + *o.assessor : ""));
    return r.map.describe() + ". Settings: " + text::join(counting) + ".";
}

/// How counting works, in one sentence.
const char* const counting_rule =
    "A mechanism that addresses an issue also covers its area and cluster; a mechanism is multistakeholder when "
    "anyone may take part or two or more stakeholder groups take part in its decisions; a data gap is a finding that "
    "could change if missing participation, region, year or evaluation data were recorded.";

std::vector<const Concern*> concerns_with(const GapReport& r, const std::string& basis, const std::string& severity)
{
    std::vector<const Concern*> out;
    for (const auto& c : r.concerns)
        if (c.basis == basis && c.severity == severity)
            out.push_back(&c);
    return out;
}

long count_concerns(const GapReport& r, const std::string& basis, const std::string& severity = {})
{
    return std::count_if(r.concerns.begin(), r.concerns.end(), [&](const Concern& c) {
        return c.basis == basis && (severity.empty() || c.severity == severity);
    });
}

/// "12 coverage gaps (1 high, 8 medium, 3 low) and 2 data gaps (2 low)".
std::string summary(const GapReport& r)
{
    auto part = [&](const char* basis, const char* one, const char* many) {
        long total = count_concerns(r, basis);
        std::vector<std::string> by;
        for (const char* s : severities)
            if (long n = count_concerns(r, basis, s))
                by.push_back(fmt::format("{} {}", n, s));
        return count_of(total, one, many) + (by.empty() ? "" : " (" + text::join(by) + ")");
    };
    return part("coverage", "coverage gap", "coverage gaps") + " and " + part("data", "data gap", "data gaps");
}

bool any_note(const GapReport& r) { return !r.source_notes.empty(); }

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
    std::string out = wrap(fmt::format("Gap report: coverage of {}{}", level_name(r, static_cast<long>(r.nodes.size())),
                                       r.options.under ? " under " + *r.options.under : ""),
                           0, 100);
    out += wrap(settings(r), 0, 100) + wrap(counting_rule, 0, 100) + "\n";
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
    for (const char* basis : {"coverage", "data"}) {
        if (count_concerns(r, basis) == 0)
            continue;
        out += std::string("\n") +
               (basis == std::string("coverage") ? paint("Coverage gaps", "1")
                                                 : paint("Data gaps (could change if missing participation, region, "
                                                         "year or evaluation data were recorded)",
                                                         "1")) +
               "\n";
        for (const char* sev : severities) {
            auto list = concerns_with(r, basis, sev);
            if (list.empty())
                continue;
            const char* code = sev == std::string("high") ? "1;31" : sev == std::string("medium") ? "33" : "36";
            out += "  " + paint(capitalised(sev), code) + "\n";
            for (const Concern* c : list)
                out += wrap(c->detail, 4, 100);
        }
    }
    if (r.comparison) {
        out += fmt::format("\nThen and now: {} compared with {}\n",
                           r.options.as_of ? std::to_string(*r.options.as_of) : std::string("all years"),
                           r.comparison->label());
        if (r.comparison->nodes.empty())
            out += "  No change.\n";
        for (const auto& n : r.comparison->nodes) {
            out += fmt::format("  {} ({})\n", n.name, n.code);
            if (!n.added.empty())
                out += wrap("added: " + text::join(n.added), 6, 100);
            if (!n.ended.empty())
                out += wrap("no longer counted: " + text::join(n.ended), 6, 100);
            for (const auto& a : n.appeared)
                out += wrap("appeared: " + a, 6, 100);
            for (const auto& a : n.resolved)
                out += wrap("resolved: " + a, 6, 100);
        }
    }
    if (any_note(r)) {
        out += "\nWhat the sources say of gaps\n";
        for (const auto& [code, name, note] : r.source_notes) {
            out += fmt::format("  {} ({})\n", name, code);
            out += wrap(note, 6, 100);
        }
    }
    if (!r.brokers.empty()) {
        out += "\nBrokers (betweenness centrality in the linkage graph)\n";
        for (const auto& b : r.brokers)
            out += fmt::format("  {} {:.4f}\n", text::utf8_fit(name_of(r, b.slug), 70), b.betweenness);
    }
    out += "\n" + wrap("Summary: " + summary(r) + ".", 0, 100);
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
    out += fmt::format("Coverage of {}{}, generated {}.\n\n", level_name(r, static_cast<long>(r.nodes.size())),
                       r.options.under ? " under `" + *r.options.under + "`" : "", r.generated_at);
    out += settings(r) + "\n\n" + counting_rule + "\n\n**Summary:** " + summary(r) + ".\n\n";
    out += "## Coverage\n\n| Node | Name | Level | Mechanisms | Global | Regional | National | Multistakeholder | "
           "Intergovernmental | Core | Adjacent |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    for (const auto& n : r.nodes)
        out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", n.code, md_cell(n.name),
                           n.level, n.mechanisms == 0 ? std::string("**0**") : std::to_string(n.mechanisms),
                           count(n, "scope", "global"), count(n, "scope", "regional"), count(n, "scope", "national"),
                           count(n, "participation", "multistakeholder"), count(n, "model", "intergovernmental"),
                           count(n, "centrality", "core"), count(n, "centrality", "adjacent"));
    for (const char* basis : {"coverage", "data"}) {
        if (count_concerns(r, basis) == 0)
            continue;
        out += basis == std::string("coverage")
                   ? "\n## Coverage gaps\n"
                   : "\n## Data gaps\n\nThese could change if missing participation, region or year data were "
                     "recorded (`govmap check` lists what is missing).\n";
        for (const char* sev : severities) {
            auto list = concerns_with(r, basis, sev);
            if (list.empty())
                continue;
            out +=
                fmt::format("\n### {} severity\n\n| Node | Finding | Mechanisms |\n|---|---|---|\n", capitalised(sev));
            for (const Concern* c : list)
                out += fmt::format("| {} | {} | {} |\n", c->node ? "`" + *c->node + "`" : "(map)", md_cell(c->detail),
                                   md_cell(text::join(names_of(r, c->mechanisms))));
        }
    }
    if (r.comparison) {
        out += fmt::format("\n## Then and now: compared with {}\n\n", r.comparison->label());
        if (r.comparison->nodes.empty())
            out += "No change.\n";
        for (const auto& n : r.comparison->nodes) {
            out += fmt::format("- **{}** (`{}`)\n", md_cell(n.name), n.code);
            if (!n.added.empty())
                out += "  - added: " + md_cell(text::join(n.added)) + "\n";
            if (!n.ended.empty())
                out += "  - no longer counted: " + md_cell(text::join(n.ended)) + "\n";
            for (const auto& a : n.appeared)
                out += "  - appeared: " + md_cell(a) + "\n";
            for (const auto& a : n.resolved)
                out += "  - resolved: " + md_cell(a) + "\n";
        }
    }
    if (any_note(r)) {
        out += "\n## What the sources say of gaps\n\n";
        for (const auto& [code, name, note] : r.source_notes)
            out += fmt::format("- `{}` {}: {}\n", code, md_cell(name), md_cell(note));
    }
    if (!r.brokers.empty()) {
        out += "\n## Brokers\n\nMechanisms through which coordination runs (betweenness centrality in the linkage "
               "graph).\n\n| Mechanism | Betweenness |\n|---|--:|\n";
        for (const auto& b : r.brokers)
            out += fmt::format("| {} | {:.4f} |\n", md_cell(name_of(r, b.slug)), b.betweenness);
    }
    return out;
}

// ------------------------------------------------------------------ json

std::string json(const GapReport& r)
{
    using J = nlohmann::ordered_json;
    auto or_null = [](const std::string& s) { return s.empty() ? J(nullptr) : J(s); };
    J out;
    out["generated_at"] = r.generated_at;
    out["map"] = {{"data_version", or_null(r.map.data_version)}, {"data_date", or_null(r.map.data_date)}};
    const auto& o = r.options;
    J filters;
    filters["level"] = o.level ? J(*o.level) : J(nullptr);
    filters["under"] = o.under ? J(*o.under) : J(nullptr);
    filters["by_region"] = o.by_region;
    filters["strict_regions"] = o.strict_regions;
    filters["include_proposed"] = o.include_proposed;
    filters["active_only"] = o.active_only;
    filters["primary_only"] = o.primary_only;
    filters["min_mechanisms"] = o.min_mechanisms;
    filters["max_depth"] = o.max_depth;
    filters["as_of"] = o.as_of ? J(*o.as_of) : J(nullptr);
    filters["with_observatories"] = o.with_observatories;
    filters["framework"] = o.framework ? J(*o.framework) : J(nullptr);
    filters["assessor"] = o.assessor ? J(*o.assessor) : J(nullptr);
    filters["compare"] = o.compare ? J(*o.compare) : o.compare_recorded ? J(*o.compare_recorded) : J(nullptr);
    filters["kinds"] = o.kinds.empty() ? J(finding_kinds()) : J(o.kinds);
    out["filters"] = filters;
    out["settings"] = settings(r);
    out["counting_rule"] = counting_rule;
    out["nodes"] = J::array();
    for (const auto& n : r.nodes) {
        J node;
        node["code"] = n.code;
        node["name"] = n.name;
        node["level"] = n.level;
        node["parent"] = n.parent ? J(*n.parent) : J(nullptr);
        node["mechanisms"] = n.mechanisms;
        for (const char* dim : {"scope", "model", "centrality", "participation", "region", "stakeholder", "unknown"}) {
            J counts = J::object();
            if (auto d = n.counts.find(dim); d != n.counts.end())
                for (const auto& [k, v] : d->second)
                    counts[k] = v;
            node[dim] = counts;
        }
        node["covering"] = n.covering;
        node["note"] = n.note ? J(*n.note) : J(nullptr);
        out["nodes"].push_back(node);
    }
    out["findings"] = J::array();
    for (const auto& c : r.concerns)
        out["findings"].push_back({{"node", c.node ? J(*c.node) : J(nullptr)},
                                   {"name", c.node_name},
                                   {"concern", c.concern},
                                   {"severity", c.severity},
                                   {"basis", c.basis},
                                   {"kinds", c.kinds},
                                   {"reasons", c.reasons},
                                   {"detail", c.detail},
                                   {"mechanisms", c.mechanisms},
                                   {"mechanism_names", names_of(r, c.mechanisms)}});
    J totals;
    for (const char* basis : {"coverage", "data"}) {
        J by;
        for (const char* s : severities)
            by[s] = count_concerns(r, basis, s);
        totals[basis] = by;
    }
    out["summary"] = totals;
    if (r.comparison) {
        J changes = J::array();
        for (const auto& n : r.comparison->nodes)
            changes.push_back({{"node", n.code},
                               {"name", n.name},
                               {"added", n.added},
                               {"ended", n.ended},
                               {"appeared", n.appeared},
                               {"resolved", n.resolved}});
        out["comparison"] = {{"year", r.comparison->year ? J(*r.comparison->year) : J(nullptr)},
                             {"recorded", r.comparison->recorded ? J(*r.comparison->recorded) : J(nullptr)},
                             {"nodes", changes}};
    } else {
        out["comparison"] = nullptr;
    }
    out["brokers"] = J::array();
    for (const auto& b : r.brokers)
        out["brokers"].push_back({{"slug", b.slug}, {"name", name_of(r, b.slug)}, {"betweenness", b.betweenness}});
    out["betweenness"] = {{"exact", r.betweenness_sources == r.mechanisms_in_graph},
                          {"sources", r.betweenness_sources},
                          {"mechanisms", r.mechanisms_in_graph}};
    return out.dump(2) + "\n";
}

// ------------------------------------------------------------------ csv

/// The coverage matrix's columns: dimension and value.
std::vector<std::pair<std::string, std::string>> matrix_columns(const GapReport& r)
{
    std::vector<std::pair<std::string, std::string>> cols;
    for (auto [dimension, enumeration] :
         {std::pair{"scope", vocab::mechanism_scope}, std::pair{"model", vocab::governance_model},
          std::pair{"centrality", vocab::centrality}})
        for (const auto& value : vocab::get(enumeration).values)
            cols.push_back({dimension, value});
    cols.push_back({"participation", "multistakeholder"});
    for (const auto& region : r.regions)
        cols.push_back({"region", region});
    for (const auto& g : r.stakeholder_groups)
        cols.push_back({"stakeholder", g});
    for (const char* u : {"participation", "regions", "founded"})
        cols.push_back({"unknown", u});
    return cols;
}

std::string csv(const GapReport& r)
{
    auto cols = matrix_columns(r);
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

std::string csv_findings(const GapReport& r)
{
    std::string out = "node,name,concern,kinds,severity,basis,detail,mechanisms,mechanism_names\r\n";
    for (const auto& c : r.concerns)
        out += csv_field(c.node.value_or("")) + "," + csv_field(c.node_name) + "," + c.concern + "," +
               csv_field(text::join(c.kinds, "|")) + "," + c.severity + "," + c.basis + "," + csv_field(c.detail) +
               "," + csv_field(text::join(c.mechanisms, "|")) + "," +
               csv_field(text::join(names_of(r, c.mechanisms), "|")) + "\r\n";
    return out;
}

// ------------------------------------------------------------------ html

/// A heat-map column: what it counts, its label, and whether a zero is a gap.
struct Column {
    std::string dimension, value, label;
    bool zero_is_gap;
};

/// Zero is a gap for the total, global scope, multistakeholder participation
/// and each stakeholder group; elsewhere (regional, national, formal models,
/// centrality) a zero is just a count.
std::vector<Column> heat_columns(const GapReport& r, const std::map<std::string, std::string>& group_names)
{
    std::vector<Column> cols{{"", "", "Mechanisms", true},
                             {"participation", "multistakeholder", "Multistakeholder", true},
                             {"scope", "global", "Global", true},
                             {"scope", "regional", "Regional", false},
                             {"scope", "national", "National", false},
                             {"model", "intergovernmental", "Intergovernmental (formal)", false},
                             {"centrality", "core", "Core", false},
                             {"centrality", "adjacent", "Adjacent", false}};
    for (const auto& g : r.stakeholder_groups) {
        auto it = group_names.find(g);
        cols.push_back({"stakeholder", g, text::utf8_shorten(it == group_names.end() ? g : it->second, 28), true});
    }
    return cols;
}

/// Sequential blues for counts where a zero is fine; red for a zero that is a gap.
std::string cell_colour(long value, long max, bool zero_is_gap)
{
    if (value == 0)
        return zero_is_gap ? "#d7301f" : "#f2f2f2";
    double t = max <= 1 ? 1.0 : std::log1p(static_cast<double>(value)) / std::log1p(static_cast<double>(max));
    int red = static_cast<int>(std::lround(222 - t * (222 - 8)));
    int green = static_cast<int>(std::lround(235 - t * (235 - 81)));
    int blue = static_cast<int>(std::lround(247 - t * (247 - 156)));
    return fmt::format("#{:02x}{:02x}{:02x}", red, green, blue);
}

/// One SVG heat map: nodes as rows (linked to their details), `cols` as columns.
std::string heat_map(const GapReport& r, const std::vector<Column>& cols, const std::string& label)
{
    const int label_w = 330, cell = 26, top = 160;
    int w = label_w + cell * static_cast<int>(cols.size()) + 160;
    int h = top + cell * static_cast<int>(r.nodes.size()) + 80;
    auto value = [&](const NodeCoverage& n, const Column& c) {
        return c.dimension.empty() ? n.mechanisms : count(n, c.dimension, c.value);
    };
    std::map<std::string, long> max_by;
    for (const auto& n : r.nodes)
        for (const auto& c : cols)
            max_by[c.dimension] = std::max(max_by[c.dimension], value(n, c));
    std::string svg = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" width=\"{0}\" "
                                  "height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\">\n",
                                  w, h, html_escape(label));
    svg += "<g class=\"columns\">\n";
    for (std::size_t c = 0; c < cols.size(); ++c) {
        int x = label_w + static_cast<int>(c) * cell + cell / 2;
        svg += fmt::format("<text x=\"{0}\" y=\"{1}\" transform=\"rotate(-60 {0} {1})\" class=\"col\">{2}</text>\n", x,
                           top - 6, html_escape(cols[c].label));
    }
    svg += "</g>\n<g class=\"rows\">\n";
    for (std::size_t i = 0; i < r.nodes.size(); ++i) {
        const auto& n = r.nodes[i];
        int y = top + static_cast<int>(i) * cell;
        std::string indent = n.level == "cluster" ? "" : n.level == "area" ? "  " : "    ";
        // Long names are shortened to fit beside the cells; the title keeps them whole.
        svg += fmt::format("<a href=\"#node-{}\"><text x=\"4\" y=\"{}\" class=\"row {}\" xml:space=\"preserve\">{}{} "
                           "({})<title>{}</title></text></a>\n",
                           html_escape(n.code), y + cell * 2 / 3, n.level, indent,
                           html_escape(text::utf8_shorten(n.name, 44)), n.mechanisms, html_escape(n.name));
        for (std::size_t c = 0; c < cols.size(); ++c) {
            long v = value(n, cols[c]);
            long max = max_by[cols[c].dimension];
            svg += fmt::format("<rect class=\"cell\" data-row=\"{}\" data-col=\"{}:{}\" x=\"{}\" y=\"{}\" width=\"{}\" "
                               "height=\"{}\" fill=\"{}\"><title>{}: {}: {}</title></rect>\n",
                               html_escape(n.code), html_escape(cols[c].dimension), html_escape(cols[c].value),
                               label_w + static_cast<int>(c) * cell, y, cell - 2, cell - 2,
                               cell_colour(v, max, cols[c].zero_is_gap), html_escape(n.name),
                               html_escape(cols[c].label), v);
            if (v > 0)
                svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"count{}\">{}</text>\n",
                                   label_w + static_cast<int>(c) * cell + (cell - 2) / 2, y + cell * 2 / 3,
                                   v * 3 < max + 1 ? " light" : "", v);
        }
    }
    svg += "</g>\n";
    int ly = top + cell * static_cast<int>(r.nodes.size()) + 25;
    svg += fmt::format("<g class=\"legend\"><rect x=\"4\" y=\"{}\" width=\"20\" height=\"20\" fill=\"#d7301f\"/>"
                       "<text x=\"30\" y=\"{}\">no mechanism where one is needed (a gap)</text>\n",
                       ly, ly + 14);
    svg += fmt::format("<rect x=\"330\" y=\"{}\" width=\"20\" height=\"20\" fill=\"#f2f2f2\"/><text x=\"356\" "
                       "y=\"{}\">none, and none is needed</text>\n",
                       ly, ly + 14);
    svg += fmt::format("<rect x=\"540\" y=\"{}\" width=\"20\" height=\"20\" fill=\"{}\"/><rect x=\"562\" y=\"{}\" "
                       "width=\"20\" height=\"20\" fill=\"{}\"/><text x=\"588\" y=\"{}\">1 to many mechanisms</text>"
                       "</g>\n</svg>\n",
                       ly, cell_colour(1, 20, false), ly, cell_colour(20, 20, false), ly + 14);
    return svg;
}

std::string concern_table(const GapReport& r, const std::string& basis)
{
    std::string out =
        "<table class=\"findings\">\n<thead><tr><th>Severity</th><th>Node</th><th>Finding</th><th>Mechanisms</th>"
        "</tr></thead>\n<tbody>\n";
    for (const char* sev : severities)
        for (const Concern* c : concerns_with(r, basis, sev))
            out += fmt::format(
                "<tr><td class=\"{0}\">{0}</td><td>{1}</td><td>{2}</td><td>{3}</td></tr>\n", html_escape(c->severity),
                c->node ? fmt::format("<a href=\"#node-{0}\">{0}</a>", html_escape(*c->node)) : std::string("(map)"),
                html_escape(c->detail), html_escape(text::join(names_of(r, c->mechanisms))));
    return out + "</tbody>\n</table>\n";
}

std::string html(const GapReport& r, const std::map<std::string, std::string>& group_names,
                 const std::map<std::string, std::string>& region_names, const std::string& picture)
{
    std::string out = R"(<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<title>govmap gap report</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 70em; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
thead { display: table-header-group; }
.high { color: #b30000; font-weight: bold; } .medium { color: #a65c00; } .low { color: #336; }
svg { max-width: 100%; height: auto; }
svg.heatmap text { font-size: 11px; } svg.heatmap .count { font-size: 9px; text-anchor: middle; fill: #fff; }
svg.heatmap .count.light { fill: #1a1a1a; } svg.heatmap a text { fill: #1f4e79; }
svg.heatmap .row.cluster { font-weight: bold; } .settings { color: #444; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  section { page-break-before: always; break-before: page; }
  section.first { page-break-before: auto; break-before: auto; }
  tr, svg, dd { page-break-inside: avoid; break-inside: avoid; }
  h2, h3 { page-break-after: avoid; break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
</style>
</head>
<body>
)";
    out += "<section class=\"first\" id=\"summary\">\n<h1>Gap report</h1>\n";
    out += fmt::format("<p>Coverage of {}{}, generated {}.</p>\n", level_name(r, static_cast<long>(r.nodes.size())),
                       r.options.under ? html_escape(" under " + *r.options.under) : "", html_escape(r.generated_at));
    out += "<p class=\"settings\">" + html_escape(settings(r)) + "</p>\n<p class=\"settings\">" +
           html_escape(counting_rule) + "</p>\n";
    out += "<p><strong>Summary:</strong> " + html_escape(summary(r)) + ".</p>\n</section>\n";
    out += "<section id=\"heat-map\">\n<h2>Coverage heat map</h2>\n<p>Each cell counts the mechanisms of a row that "
           "have the column's property; red "
           "marks a zero where a zero is a gap.</p>\n" +
           heat_map(r, heat_columns(r, group_names), "Coverage heat map") + "</section>\n";
    if (!picture.empty())
        out += "<section id=\"network\">\n<h2>How the mechanisms are linked</h2>\n<p>The mechanisms covering these "
               "nodes and the relations between them (<code>govmap draw</code>; docs/pictures.md explains "
               "the colours and sizes).</p>\n<figure class=\"network\">\n" +
               picture + "</figure>\n</section>\n";
    if (r.options.strict_regions && r.options.by_region) {
        std::vector<Column> continents;
        for (const auto& code : r.heat_regions) {
            auto it = region_names.find(code);
            continents.push_back({"region", code, it == region_names.end() ? code : it->second, true});
        }
        out += "<section id=\"regions\">\n<h2>Coverage by continent</h2>\n<p>Regional and national mechanisms only "
               "(global ones are not counted per region).</p>\n" +
               heat_map(r, continents, "Coverage by continent") + "</section>\n";
    }
    out += "<section id=\"coverage-gaps\">\n<h2>Coverage gaps</h2>\n";
    out += count_concerns(r, "coverage") ? concern_table(r, "coverage") : std::string("<p>None.</p>\n");
    out += "</section>\n<section id=\"data-gaps\">\n<h2>Data gaps</h2>\n<p>These could change if missing "
           "participation, region, year or evaluation data were recorded (<code>govmap check</code> lists what is "
           "missing).</p>\n";
    out += count_concerns(r, "data") ? concern_table(r, "data") : std::string("<p>None.</p>\n");
    out += "</section>\n";
    if (r.comparison) {
        out += fmt::format("<section id=\"then-and-now\">\n<h2>Then and now: compared with {}</h2>\n",
                           r.comparison->label());
        if (r.comparison->nodes.empty())
            out += "<p>No change.</p>\n";
        for (const auto& n : r.comparison->nodes) {
            out += fmt::format("<div class=\"node\"><h3>{} <code>{}</code></h3>\n<ul>\n", html_escape(n.name),
                               html_escape(n.code));
            if (!n.added.empty())
                out += "<li>added: " + html_escape(text::join(n.added)) + "</li>\n";
            if (!n.ended.empty())
                out += "<li>no longer counted: " + html_escape(text::join(n.ended)) + "</li>\n";
            for (const auto& a : n.appeared)
                out += "<li>appeared: " + html_escape(a) + "</li>\n";
            for (const auto& a : n.resolved)
                out += "<li>resolved: " + html_escape(a) + "</li>\n";
            out += "</ul></div>\n";
        }
        out += "</section>\n";
    }
    if (any_note(r)) {
        out += "<section id=\"sources-on-gaps\">\n<h2>What the sources say of gaps</h2>\n<dl>\n";
        for (const auto& [code, name, note] : r.source_notes)
            out +=
                fmt::format("<dt>{} ({})</dt><dd>{}</dd>\n", html_escape(name), html_escape(code), html_escape(note));
        out += "</dl>\n</section>\n";
    }
    if (!r.brokers.empty()) {
        out += "<section id=\"brokers\">\n<h2>Brokers</h2>\n<p>Mechanisms through which coordination runs "
               "(betweenness centrality in the linkage graph).</p>\n<table>\n<thead><tr><th>Mechanism</th>"
               "<th>Betweenness</th></tr></thead>\n<tbody>\n";
        for (const auto& b : r.brokers)
            out += fmt::format("<tr><td>{}</td><td>{:.4f}</td></tr>\n", html_escape(name_of(r, b.slug)), b.betweenness);
        out += "</tbody>\n</table>\n</section>\n";
    }
    out += "<section id=\"details\">\n<h2>Mechanisms by node</h2>\n";
    for (const auto& n : r.nodes) {
        out += fmt::format("<div class=\"node\" id=\"node-{}\"><h3>{} <code>{}</code>: {}</h3>\n", html_escape(n.code),
                           html_escape(n.name), html_escape(n.code),
                           html_escape(count_of(n.mechanisms, "mechanism", "mechanisms")));
        if (!n.covering.empty()) {
            out += "<table>\n<thead><tr><th>Mechanism</th><th>Scope</th><th>Formal model</th><th>Centrality</th>"
                   "<th>Source</th></tr></thead>\n<tbody>\n";
            for (const auto& slug : n.covering) {
                auto it = r.mechanisms.find(slug);
                if (it == r.mechanisms.end())
                    continue;
                const auto& m = it->second;
                std::string source = m.source_url ? fmt::format("<a href=\"{}\">{}</a>", html_escape(*m.source_url),
                                                                html_escape(m.source_title.value_or(*m.source_url)))
                                                  : html_escape(m.source_title.value_or(""));
                out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                                   html_escape(m.display()), html_escape(m.scope), html_escape(m.model),
                                   html_escape(m.centrality), source);
            }
            out += "</tbody>\n</table>\n";
        }
        out += "</div>\n";
    }
    out += "</section>\n</body>\n</html>\n";
    return out;
}

}  // namespace

std::string render(const GapReport& report, ReportFormat format, bool colour, const std::string& picture)
{
    switch (format) {
    case ReportFormat::text: return text(report, colour);
    case ReportFormat::markdown: return markdown(report);
    case ReportFormat::json: return json(report);
    case ReportFormat::csv: return csv(report);
    case ReportFormat::csv_findings: return csv_findings(report);
    case ReportFormat::html: return html(report, report.group_names, report.region_names, picture);
    }
    return {};
}

}  // namespace govmap::output
