#include "picture/picture.hpp"

#include "output/writers.hpp"
#include "queries/catalogue.hpp"
#include "text/text.hpp"
#include "vocab/vocabulary.hpp"

#include <graphviz/gvc.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

namespace govmap::picture {

namespace {

// ------------------------------------------------------------------ the scene

/// What is drawn, before Graphviz sees it.
struct Node {
    std::string id, label, tooltip, fill;
    std::string font_colour = "#1a1a1a";
    double font = 9;  ///< points, before the page scale
    bool emphasised = false;
    std::string kind;
};

struct Edge {
    std::size_t from, to;
    std::string kind;
};

struct LegendEntry {
    std::string colour, text;
};

struct Scene {
    std::string title, about;
    std::vector<Node> nodes;
    std::vector<Edge> edges;
    std::vector<LegendEntry> legend;
    std::vector<std::string> notes;  ///< lines under the legend: sizes, borders, arrows
    std::size_t isolated = 0;
    bool tree = false;  ///< laid out by dot as a hierarchy; else sfdp
    bool pack = false;  ///< trees: lay each out apart, then pack them together
};

const char* const gap_red = "#d7301f";  // the report's heat map uses it for a gap
const char* const thin_orange = "#fdae61";
const char* const covered_blue = "#c6dbef";

/// A label that fits a node: an acronym, else the name in lines of about
/// `width` characters (at most three).
std::string wrapped(const std::string& name, std::size_t width = 18, std::size_t max_lines = 2)
{
    std::vector<std::string> lines;
    std::string line;
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find(' ', start);
        std::string word = name.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!line.empty() && text::utf8_length(line) + 1 + text::utf8_length(word) > width) {
            lines.push_back(line);
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    if (!line.empty())
        lines.push_back(line);
    if (lines.size() > max_lines) {
        lines.resize(max_lines);
        lines.back() = text::utf8_shorten(lines.back() + " …", width);
    }
    return text::join(lines, "\n");
}

/// Graphviz reads backslash escapes (\N, \G, \n) in labels; ours are literal.
std::string literal(const std::string& s)
{
    std::string out;
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string participation_colour(const std::string& participation)
{
    for (const auto& [p, colour] : output::participation_palette())
        if (p == participation)
            return colour;
    return output::participation_palette().back().second;
}

struct Graph {
    std::vector<queries::GraphNode> nodes;
    std::vector<queries::GraphEdge> edges;
};

Graph read(db::Transaction& tx, queries::GraphFilter filter, std::set<std::string> kinds,
           std::set<std::string> relations)
{
    filter.kinds = std::move(kinds);
    filter.relations = std::move(relations);
    Graph g;
    queries::GraphVisitor visit;
    visit.node = [&](const queries::GraphNode& n) { g.nodes.push_back(n); };
    visit.edges_begin = [] {};
    visit.edge = [&](const queries::GraphEdge& e) { g.edges.push_back(e); };
    queries::read_graph(tx, filter, visit);
    return g;
}

/// Mechanism nodes sized by betweenness (the report's brokers are the
/// largest), bordered when they are articulation points.
Node mechanism_node(const queries::GraphNode& n, const analysis::GapReport& report, double max_betweenness)
{
    Node out;
    out.id = n.id;
    out.kind = "mechanism";
    out.label = n.acronym ? *n.acronym : wrapped(n.label);
    out.tooltip = n.acronym && *n.acronym != n.label ? n.label + " (" + *n.acronym + ")" : n.label;
    out.fill = participation_colour(n.participation.value_or("unknown"));
    double b = 0;
    if (auto it = report.metrics.find(n.key); it != report.metrics.end()) {
        b = it->second.betweenness;
        out.emphasised = it->second.articulation_point;
    }
    out.font = 7 + (max_betweenness > 0 ? 6 * std::sqrt(b / max_betweenness) : 0);
    return out;
}

double max_betweenness(const analysis::GapReport& report)
{
    double max = 0;
    for (const auto& [slug, m] : report.metrics)
        max = std::max(max, m.betweenness);
    return max;
}

std::vector<LegendEntry> participation_legend()
{
    std::vector<LegendEntry> out;
    for (const auto& [p, colour] : output::participation_palette())
        out.push_back({colour, p});
    return out;
}

/// Keeps the nodes that `keep` accepts or that have an edge; renumbers edges.
void drop_isolated(Scene& s, const std::function<bool(const Node&)>& keep)
{
    std::vector<bool> linked(s.nodes.size());
    for (const auto& e : s.edges)
        linked[e.from] = linked[e.to] = true;
    std::vector<std::size_t> index(s.nodes.size());
    std::vector<Node> kept;
    for (std::size_t i = 0; i < s.nodes.size(); ++i) {
        if (linked[i] || keep(s.nodes[i])) {
            index[i] = kept.size();
            kept.push_back(std::move(s.nodes[i]));
        } else {
            ++s.isolated;
        }
    }
    s.nodes = std::move(kept);
    for (auto& e : s.edges) {
        e.from = index[e.from];
        e.to = index[e.to];
    }
}

/// Nodes and edges as read, mechanisms drawn as mechanism_node and any other
/// node by `other`.
Scene scene_of(const Graph& g, const analysis::GapReport& report,
               const std::function<Node(const queries::GraphNode&)>& other = nullptr)
{
    Scene s;
    double max_b = max_betweenness(report);
    std::unordered_map<std::string, std::size_t> index;
    for (const auto& n : g.nodes) {
        index[n.id] = s.nodes.size();
        s.nodes.push_back(n.kind == "mechanism" ? mechanism_node(n, report, max_b) : other(n));
    }
    for (const auto& e : g.edges)
        s.edges.push_back({index.at(e.source), index.at(e.target), e.kind});
    return s;
}

/// The gap status of a taxonomy node, as the report counts it.
struct Status {
    long mechanisms = 0;
    bool thin = false;
};

std::unordered_map<std::string, Status> statuses(const analysis::GapReport& report)
{
    std::unordered_map<std::string, Status> out;
    for (const auto& n : report.nodes)
        out[n.code].mechanisms = n.mechanisms;
    for (const auto& f : report.findings)
        if (f.node && f.kind == "thin")
            out[*f.node].thin = true;
    return out;
}

Node area_node(const queries::GraphNode& n, const std::unordered_map<std::string, Status>& status, double font)
{
    Node out;
    out.id = n.id;
    out.kind = "area";
    auto it = status.find(n.key);
    long count = it == status.end() ? 0 : it->second.mechanisms;
    out.label = wrapped(n.label, 26, 3) + fmt::format(" ({})", count);
    out.tooltip = n.label;
    out.font = font;
    if (it == status.end()) {
        out.fill = "#ffffff";  // outside the report's counting (e.g. a node above --under)
    } else if (count == 0) {
        out.fill = gap_red;
        out.font_colour = "#ffffff";
    } else {
        out.fill = it->second.thin ? thin_orange : covered_blue;
    }
    return out;
}

std::vector<LegendEntry> coverage_legend(const analysis::GapReport& report)
{
    return {{gap_red, "uncovered"},
            {thin_orange, fmt::format("thin (fewer than {})", report.options.min_mechanisms)},
            {covered_blue, "covered"}};
}

std::set<std::string> mechanism_relations()
{
    const auto& values = vocab::get(vocab::relation_kind).values;
    return {values.begin(), values.end()};
}

Scene mechanisms_scene(db::Transaction& tx, const DrawOptions& o, const analysis::GapReport& report)
{
    Scene s = scene_of(read(tx, o.filter, {"mechanism"}, mechanism_relations()), report);
    drop_isolated(s, [](const Node&) { return false; });
    s.title = "Mechanisms and how they are linked";
    s.legend = participation_legend();
    s.notes = {"Label size: betweenness (how much the mechanism brokers between others). Thick border: removing it "
               "splits the network.",
               "Arrows: part of, reports to (solid), feeds into (dashed), convened by, succeeded by, operated by "
               "(dotted). Plain line: cooperates with."};
    if (s.isolated)
        s.notes.push_back(fmt::format("Not drawn: {} with no relation to another mechanism.",
                                      text::count_of(static_cast<long>(s.isolated), "mechanism", "mechanisms")));
    return s;
}

Scene nesting_scene(db::Transaction& tx, const DrawOptions& o, const analysis::GapReport& report)
{
    Scene s = scene_of(read(tx, o.filter, {"mechanism"}, {"part_of", "reports_to"}), report);
    drop_isolated(s, [](const Node&) { return false; });
    s.tree = true;
    s.pack = true;  // many small trees: one column of them would be tall and thin
    s.title = "Which mechanism is part of or reports to which";
    s.legend = participation_legend();
    s.notes = {"Each arrow points from a mechanism to the body it is part of (solid) or reports to (dashed). Label "
               "size: betweenness; thick border: an articulation point of the linkage network."};
    if (s.isolated)
        s.notes.push_back(fmt::format("Not drawn: {} neither part of nor reporting to another, and with nothing "
                                      "part of or reporting to them.",
                                      text::count_of(static_cast<long>(s.isolated), "mechanism", "mechanisms")));
    return s;
}

Scene areas_scene(db::Transaction& tx, const DrawOptions& o, const analysis::GapReport& report)
{
    auto status = statuses(report);
    Scene s = scene_of(read(tx, o.filter, {"area"}, {"within"}), report, [&](const queries::GraphNode& n) {
        return area_node(n, status, n.level == std::string("cluster") ? 13 : n.level == std::string("area") ? 10 : 8);
    });
    s.tree = true;
    s.title = "Issue areas and how many mechanisms cover each";
    s.legend = coverage_legend(report);
    s.notes = {"(n): the mechanisms covering the node or anything under it, counted as govmap gaps counts them. "
               "Clusters on the left, issues on the right."};
    return s;
}

Scene bipartite_scene(db::Transaction& tx, const DrawOptions& o, const analysis::GapReport& report)
{
    auto g = read(tx, o.filter, {"area", "mechanism"}, {"addresses", "within"});
    // Links to issues are drawn to the broad area above them (the 24 areas
    // of the CSTD working group's list, in the bundled map).
    std::unordered_map<std::string, std::string> parent;
    std::unordered_map<std::string, const queries::GraphNode*> by_id;
    for (const auto& n : g.nodes)
        by_id[n.id] = &n;
    for (const auto& e : g.edges)
        if (e.kind == "within")
            parent[e.source] = e.target;
    auto area_of = [&](const std::string& id) {
        std::string at = id;
        for (int depth = 0; depth < 32; ++depth) {
            if (by_id.at(at)->level == std::string("area"))
                return at;
            auto up = parent.find(at);
            if (up == parent.end())
                return id;  // no broad area above it: drawn as itself
            at = up->second;
        }
        return id;
    };
    Graph projected;
    std::set<std::string> drawn_areas;
    for (const auto& n : g.nodes)
        if (n.kind == "area" && n.level == std::string("area"))
            drawn_areas.insert(n.id);
    std::set<std::pair<std::string, std::string>> links;
    for (const auto& e : g.edges)
        if (e.kind == "addresses") {
            auto area = area_of(e.target);
            drawn_areas.insert(area);
            links.insert({e.source, area});
        }
    for (const auto& n : g.nodes)
        if (n.kind == "mechanism" || drawn_areas.count(n.id))
            projected.nodes.push_back(n);
    for (const auto& [from, to] : links) {
        queries::GraphEdge e;
        e.kind = "addresses";
        e.source = from;
        e.target = to;
        projected.edges.push_back(e);
    }
    auto status = statuses(report);
    Scene s = scene_of(projected, report, [&](const queries::GraphNode& n) { return area_node(n, status, 12); });
    drop_isolated(s, [](const Node& n) { return n.kind == "area"; });
    s.title = "Which mechanisms address which areas";
    s.legend = participation_legend();
    auto coverage = coverage_legend(report);
    s.legend.insert(s.legend.end(), coverage.begin(), coverage.end());
    s.notes = {"Boxes with a count are areas, coloured by coverage; the others are mechanisms, coloured by "
               "participation. A line: the mechanism addresses the area or an issue under it."};
    if (s.isolated)
        s.notes.push_back(fmt::format("Not drawn: {} addressing no area here.",
                                      text::count_of(static_cast<long>(s.isolated), "mechanism", "mechanisms")));
    return s;
}

// ------------------------------------------------------------------ Graphviz

/// Graphviz reports errors through a callback; the last ones go into our message.
thread_local std::string graphviz_errors;

int collect_error(char* message)
{
    graphviz_errors += message;
    return 0;
}

struct ContextDeleter {
    void operator()(GVC_t* c) const { gvFreeContext(c); }
};
struct GraphDeleter {
    void operator()(Agraph_t* g) const { agclose(g); }
};

/// Graphviz 2.43 takes char* for strings it only reads.
char* chars(const std::string& s) { return const_cast<char*>(s.c_str()); }

void set(void* object, const char* name, const std::string& value)
{
    agsafeset(object, const_cast<char*>(name), chars(value), const_cast<char*>(""));
}

std::string html_label(const Scene& s)
{
    using text::html_escape;
    auto row = [](int size, const std::string& content) {
        return fmt::format("<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"{}\">{}</FONT></TD></TR>", size, content);
    };
    std::string h = "<TABLE BORDER=\"0\" CELLSPACING=\"1\" CELLPADDING=\"1\">";
    h += row(16, "<B>" + html_escape(s.title) + "</B>");
    h += row(9, html_escape(s.about));
    if (!s.legend.empty()) {
        // Swatches as glyphs in one line of text: table cells would stretch
        // to the width of the longest note.
        std::string items;
        for (const auto& l : s.legend)
            items +=
                fmt::format("<FONT COLOR=\"{}\" POINT-SIZE=\"14\">\u25a0</FONT> {}   ", l.colour, html_escape(l.text));
        h += row(9, items);
    }
    for (const auto& note : s.notes)
        h += row(8, html_escape(note));
    return h + "</TABLE>";
}

struct PageSize {
    double width, height;  ///< inches, portrait
};

PageSize usable(Paper paper)
{
    const double margin = 0.5;  // inches on every side
    return paper == Paper::a4 ? PageSize{8.27 - 2 * margin, 11.69 - 2 * margin}
                              : PageSize{8.5 - 2 * margin, 11.0 - 2 * margin};
}

struct BoundingBox {
    double width = 0, height = 0;
};

BoundingBox bounding_box(Agraph_t* g)
{
    attach_attrs(g);
    double llx = 0, lly = 0, urx = 0, ury = 0;
    const char* bb = agget(g, const_cast<char*>("bb"));
    if (!bb || std::sscanf(bb, "%lf,%lf,%lf,%lf", &llx, &lly, &urx, &ury) != 4)
        throw DrawError("Graphviz gave no bounding box");
    return {urx - llx, ury - lly};
}

const char* edge_style(const std::string& kind)
{
    if (kind == "part_of" || kind == "reports_to")
        return kind == "reports_to" ? "dashed" : "solid";
    if (kind == "feeds_into")
        return "dashed";
    if (kind == "cooperates_with" || kind == "addresses" || kind == "within")
        return "solid";
    return "dotted";
}

Picture render(const Scene& s, const DrawOptions& o, Format format)
{
    graphviz_errors.clear();
    agseterr(AGERR);
    agseterrf(collect_error);
    std::unique_ptr<GVC_t, ContextDeleter> gvc(gvContext());
    Agdesc_t kind = Agdirected;
    std::unique_ptr<Agraph_t, GraphDeleter> g(agopen(const_cast<char*>("govmap"), kind, nullptr));
    Agraph_t* G = g.get();

    const std::string font = "DejaVu Sans";
    set(G, "fontname", font);
    set(G, "outputorder", "edgesfirst");
    set(G, "pad", "0");
    set(G, "labelloc", "t");
    set(G, "labeljust", "l");
    if (format == Format::png)
        set(G, "dpi", "150");
    if (s.tree) {
        // Roots on the left, so that a wide tree runs down the page.
        set(G, "rankdir", "RL");
        set(G, "nodesep", "0.06");
        set(G, "ranksep", "0.35");
        if (s.pack)
            set(G, "pack", "true");
    } else {
        set(G, "overlap", "prism");
        set(G, "sep", "+1");
        set(G, "splines", "false");
        set(G, "start", "1");
        set(G, "pack", "true");
        set(G, "packmode", "graph");
    }
    char* label = agstrdup_html(G, chars(html_label(s)));
    agxset(G, agattr(G, AGRAPH, const_cast<char*>("label"), const_cast<char*>("")), label);
    agstrfree(G, label);

    std::vector<Agnode_t*> nodes;
    for (std::size_t i = 0; i < s.nodes.size(); ++i) {
        const auto& n = s.nodes[i];
        std::string name = "n" + std::to_string(i);
        Agnode_t* v = agnode(G, chars(name), 1);
        set(v, "id", n.id);
        set(v, "class", n.kind);
        set(v, "label", literal(n.label));
        set(v, "tooltip", literal(n.tooltip));
        set(v, "shape", "box");
        set(v, "style", "rounded,filled");
        set(v, "fillcolor", n.fill);
        set(v, "fontcolor", n.font_colour);
        set(v, "fontname", font);
        set(v, "fontsize", fmt::format("{:.1f}", n.font));
        set(v, "margin", "0.04,0.02");
        set(v, "width", "0");
        set(v, "height", "0");
        set(v, "penwidth", n.emphasised ? "2.5" : "0.6");
        nodes.push_back(v);
    }
    for (std::size_t i = 0; i < s.edges.size(); ++i) {
        const auto& e = s.edges[i];
        std::string name = "e" + std::to_string(i);
        Agedge_t* a = agedge(G, nodes[e.from], nodes[e.to], chars(name), 1);
        set(a, "id", name);
        set(a, "class", e.kind);
        set(a, "style", edge_style(e.kind));
        set(a, "color", e.kind == "addresses" || e.kind == "cooperates_with" ? "#9a9a9a" : "#555555");
        set(a, "penwidth", e.kind == "addresses" ? "0.4" : "0.7");
        set(a, "arrowsize", "0.5");
        if (e.kind == "cooperates_with" || e.kind == "addresses")
            set(a, "dir", "none");
        if (o.edge_labels) {
            std::string words = e.kind;
            std::replace(words.begin(), words.end(), '_', ' ');
            set(a, "label", words);
            set(a, "fontsize", "6");
            set(a, "fontname", font);
        }
    }

    const char* engine = s.tree ? "dot" : "sfdp";
    PageSize page = usable(o.paper);
    auto lay_out = [&](double width, double height) {
        set(G, "size", fmt::format("{:.2f},{:.2f}", width, height));
        if (gvLayout(gvc.get(), G, engine) != 0)
            throw DrawError("Graphviz could not lay the picture out: " + graphviz_errors);
        return bounding_box(G);
    };
    BoundingBox bb = lay_out(page.width, page.height);
    auto fit = [](const PageSize& p, const BoundingBox& b) {
        return std::min({1.0, p.width * 72 / b.width, p.height * 72 / b.height});
    };
    // The page's size does not change the layout: turn the page if that
    // shrinks the drawing less.
    if (fit({page.height, page.width}, bb) > fit(page, bb)) {
        gvFreeLayout(gvc.get(), G);
        std::swap(page.width, page.height);
        bb = lay_out(page.width, page.height);
    }

    Picture p;
    p.nodes = s.nodes.size();
    p.edges = s.edges.size();
    p.isolated = s.isolated;
    p.scale = fit(page, bb);
    p.width_pt = bb.width * p.scale;
    p.height_pt = bb.height * p.scale;
    double smallest = 0;
    for (const auto& n : s.nodes)
        smallest = smallest == 0 ? n.font : std::min(smallest, n.font);
    p.smallest_font = smallest * p.scale;

    const char* renderer = format == Format::svg ? "svg" : format == Format::png ? "png:cairo" : "pdf:cairo";
    char* data = nullptr;
    unsigned int length = 0;
    int rc = gvRenderData(gvc.get(), G, renderer, &data, &length);
    if (rc != 0 || !data) {
        gvFreeLayout(gvc.get(), G);
        throw DrawError("Graphviz could not render the picture: " + graphviz_errors);
    }
    p.data.assign(data, length);
    gvFreeRenderData(data);
    gvFreeLayout(gvc.get(), G);
    return p;
}

std::string describe(const DrawOptions& o, const analysis::GapReport& report)
{
    std::vector<std::string> parts{report.map.describe()};
    parts.push_back(o.filter.as_of ? fmt::format("as of {}", *o.filter.as_of) : "all years");
    if (o.filter.under)
        parts.push_back("under " + *o.filter.under);
    if (!o.filter.scopes.empty())
        parts.push_back("scope " + text::join({o.filter.scopes.begin(), o.filter.scopes.end()}, ", "));
    if (!o.filter.models.empty())
        parts.push_back("model " + text::join({o.filter.models.begin(), o.filter.models.end()}, ", "));
    if (o.filter.region)
        parts.push_back("region " + *o.filter.region);
    if (o.filter.include_proposed)
        parts.push_back("with open proposals");
    return text::join(parts, " · ") + ". Drawn by govmap draw.";
}

}  // namespace

Picture draw(db::Transaction& tx, const DrawOptions& options, Format format, const analysis::GapReport* report)
{
    if (!options.filter.kinds.empty() || !options.filter.relations.empty())
        throw std::invalid_argument("a picture's view chooses its own node kinds and relations");
    std::optional<analysis::GapReport> own;
    if (!report) {
        analysis::GapOptions g = options.gaps;
        g.include_proposed = options.filter.include_proposed;
        g.as_of = options.filter.as_of;
        own = analysis::analyse(tx, g);
        report = &*own;
    }
    Scene s;
    switch (options.view) {
    case View::mechanisms: s = mechanisms_scene(tx, options, *report); break;
    case View::areas: s = areas_scene(tx, options, *report); break;
    case View::bipartite: s = bipartite_scene(tx, options, *report); break;
    case View::nesting: s = nesting_scene(tx, options, *report); break;
    }
    if (s.nodes.size() > options.max_nodes)
        throw DrawError(fmt::format("{} nodes to draw, more than a page holds legibly (at most {}): narrow the map "
                                    "with --under, --scope, --model or --region",
                                    s.nodes.size(), options.max_nodes));
    if (s.nodes.empty())
        s.notes.push_back("Nothing to draw: no node of this view is in the selected map.");
    s.about = describe(options, *report);
    return render(s, options, format);
}

std::string inline_svg(const std::string& svg)
{
    auto at = svg.find("<svg");
    return at == std::string::npos ? svg : svg.substr(at);
}

}  // namespace govmap::picture

#if defined(__SANITIZE_ADDRESS__)
// Graphviz 2.43 (libgvc's own allocator, gmalloc) and the font stack it loads
// (fontconfig, glib) keep caches for the life of the process and free them
// never; LeakSanitizer would fail every picture on memory that is not ours.
// Only those libraries are suppressed: a graph we forget to agclose() is
// allocated by libcgraph and is still reported.
extern "C" const char* __lsan_default_suppressions()
{
    return "leak:libgvc.so\nleak:libfontconfig.so\nleak:libglib-2.0.so\nleak:libpango\nleak:libcairo.so\n";
}
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
#endif
