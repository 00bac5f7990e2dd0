// The /api/v1 routes. Each parameter has the name of the command-line option
// that means the same (as-of, include-proposed, under, ...); docs/openapi.yaml
// lists them. Answers are the CLI's own JSON, made by the same functions.
#include "web/api.hpp"

#include "analysis/gaps.hpp"
#include "output/export.hpp"
#include "output/mechanism.hpp"
#include "output/proposals.hpp"
#include "output/report.hpp"
#include "output/table.hpp"
#include "queries/catalogue.hpp"
#include "queries/graph.hpp"
#include "queries/search.hpp"
#include "review/review.hpp"
#include "text/text.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

namespace govmap::web {

std::string error_json(const std::string& message) { return nlohmann::json{{"error", message}}.dump() + "\n"; }

namespace {

/// The query string of one request, checked against the parameters its
/// route takes: a misspelt parameter is an error, not silently ignored.
class Query {
public:
    Query(const httplib::Request& req, const std::set<std::string>& allowed) : req_(req)
    {
        for (const auto& [key, value] : req.params) {
            if (!allowed.count(key))
                throw ApiError(400, "unknown parameter '" + key + "'" +
                                        (allowed.empty() ? std::string(" (this call takes none)")
                                                         : " (this call takes " + list(allowed) + ")"));
            if (!text::valid_utf8(key) || !text::valid_utf8(value))
                throw ApiError(400, "parameter '" + key + "' is not valid UTF-8");
        }
    }
    std::optional<std::string> value(const std::string& key) const
    {
        if (!req_.has_param(key))
            return std::nullopt;
        if (req_.get_param_value_count(key) > 1)
            throw ApiError(400, "parameter '" + key + "' is given more than once");
        auto v = req_.get_param_value(key);
        if (v.empty())
            return std::nullopt;
        return v;
    }
    std::string value_or(const std::string& key, const std::string& fallback) const
    {
        return value(key).value_or(fallback);
    }
    bool flag(const std::string& key) const
    {
        auto v = value(key);
        if (!v || *v == "0" || *v == "false")
            return false;
        if (*v == "1" || *v == "true")
            return true;
        throw ApiError(400, "parameter '" + key + "' is 1 or 0, not '" + *v + "'");
    }
    long number(const std::string& key, long fallback, long min, long max) const
    {
        auto v = value(key);
        if (!v)
            return fallback;
        std::size_t used = 0;
        long n = 0;
        try {
            n = std::stol(*v, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != v->size() || n < min || n > max)
            throw ApiError(400,
                           fmt::format("parameter '{}' is a whole number from {} to {}, not '{}'", key, min, max, *v));
        return n;
    }
    /// Repeated (scope=a&scope=b) or comma-separated (scope=a,b).
    std::set<std::string> set(const std::string& key) const
    {
        std::set<std::string> out;
        for (std::size_t i = 0; i < req_.get_param_value_count(key); ++i) {
            std::istringstream items(req_.get_param_value(key, i));
            for (std::string item; std::getline(items, item, ',');)
                if (!item.empty())
                    out.insert(item);
        }
        return out;
    }
    std::optional<int> as_of() const
    {
        try {
            return text::parse_as_of(value_or("as-of", "today"));
        } catch (const std::invalid_argument& e) {
            throw ApiError(400, "as-of: " + std::string(e.what()));
        }
    }

private:
    static std::string list(const std::set<std::string>& names)
    {
        std::string out;
        for (const auto& n : names)
            out += (out.empty() ? "" : ", ") + n;
        return out;
    }
    const httplib::Request& req_;
};

void json(httplib::Response& res, const std::string& body) { res.set_content(body, "application/json"); }

/// The read snapshot every answer comes from, with open proposals applied
/// for include-proposed (which needs the contributor role).
db::Transaction open_map(Session& s, bool include_proposed, bool writable = false)
{
    try {
        return review::open_map(s.conn(), include_proposed, nullptr, writable);
    } catch (const db::Error& e) {
        if (e.sqlstate() == "42501")
            throw ApiError(403, "include-proposed reads open proposals, which needs the contributor role");
        throw;
    }
}

const std::set<std::string> selection_params{"under", "scope", "model", "region", "as-of", "include-proposed"};

std::set<std::string> with(std::set<std::string> a, const std::set<std::string>& b)
{
    a.insert(b.begin(), b.end());
    return a;
}

/// --under, --scope, --model, --region, --as-of, --include-proposed of govmap export.
queries::GraphFilter selection(const Query& q)
{
    queries::GraphFilter f;
    f.under = q.value("under");
    f.scopes = q.set("scope");
    f.models = q.set("model");
    f.region = q.value("region");
    f.as_of = q.as_of();
    f.include_proposed = q.flag("include-proposed");
    return f;
}

/// Rows `offset` to `offset + limit` of a listing.
db::Result page(db::Result r, const Query& q)
{
    auto offset = static_cast<std::size_t>(q.number("offset", 0, 0, 100000000));
    auto limit = static_cast<std::size_t>(q.number("limit", 100000000, 1, 100000000));
    if (offset >= r.rows.size()) {
        r.rows.clear();
        return r;
    }
    auto end = offset + std::min(limit, r.rows.size() - offset);
    r.rows = std::vector<std::vector<db::Value>>(r.rows.begin() + static_cast<long>(offset),
                                                 r.rows.begin() + static_cast<long>(end));
    return r;
}

void info(const httplib::Request& req, httplib::Response& res, Session& s)
{
    Query q(req, {});
    auto tx = s.conn().begin(db::Isolation::snapshot);
    auto who = tx.exec(R"(
        SELECT session_user AS role, may_review() AS review,
               is_owner(session_user) OR pg_has_role(session_user, 'govmap_contributor', 'MEMBER') AS propose,
               (SELECT count(*) FROM mechanism) AS mechanisms, (SELECT count(*) FROM issue_area) AS areas,
               (SELECT min(founded) FROM mechanism) AS first_year)");
    bool owner_acting = !s.actor.empty() && tx.exec("SELECT is_owner(session_user) AS o").text(0, "o") == "t";
    auto map = queries::map_info(tx);
    nlohmann::json out{{"govmap", s.version},
                       {"api", "v1"},
                       {"map", map.describe()},
                       {"data_version", map.data_version},
                       {"data_date", map.data_date},
                       {"user", owner_acting ? s.actor : who.text(0, "role")},
                       {"can_propose", who.text(0, "propose") == "t"},
                       {"can_review", !s.read_only && who.text(0, "review") == "t"},
                       {"read_only", s.read_only},
                       {"mechanisms", std::stol(who.text(0, "mechanisms"))},
                       {"areas", std::stol(who.text(0, "areas"))}};
    out["first_year"] = who.at(0, "first_year") ? nlohmann::json(std::stoi(*who.at(0, "first_year"))) : nullptr;
    json(res, out.dump(2) + "\n");
}

void list(const httplib::Request& req, httplib::Response& res, Session& s, queries::Listing what)
{
    // `area` is govmap list's --area; regions are not listed under an area.
    Query q(req, what == queries::Listing::regions
                     ? std::set<std::string>{"include-proposed", "limit", "offset"}
                     : std::set<std::string>{"area", "include-proposed", "limit", "offset"});
    auto tx = open_map(s, q.flag("include-proposed"));
    json(res, output::result_json(page(queries::list(tx, what, q.value("area")), q)));
}

void mechanism(const httplib::Request& req, httplib::Response& res, Session& s)
{
    Query q(req, {"include-proposed"});
    auto tx = open_map(s, q.flag("include-proposed"));
    std::string key = req.matches[1];
    auto detail = queries::find_mechanism(tx, key);
    if (!detail)
        throw ApiError(404, "no mechanism '" + key + "'");
    json(res, output::render_mechanism(*detail, output::MechanismFormat::json));
}

void search(const httplib::Request& req, httplib::Response& res, Session& s)
{
    Query q(req, {"q", "limit", "min-score", "include-proposed"});
    auto text = q.value("q");
    if (!text)
        throw ApiError(400, "parameter 'q' (what to look for) is required");
    if (text::utf8_length(*text) > 300)
        throw ApiError(400, "parameter 'q' is too long (at most 300 characters)");
    double min_score = 0.2;
    if (auto v = q.value("min-score")) {
        std::size_t used = 0;
        try {
            min_score = std::stod(*v, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != v->size() || !(min_score >= 0 && min_score <= 1))
            throw ApiError(400, "parameter 'min-score' is a number from 0 to 1");
    }
    bool proposed = q.flag("include-proposed");
    auto tx = open_map(s, proposed);
    json(res, output::result_json(queries::search_mechanisms(
                  tx, *text, static_cast<int>(q.number("limit", 20, 1, 1000)), min_score, proposed)));
}

/// The map view: the selection as Cytoscape.js JSON, or, past `max-nodes`,
/// only its taxonomy (sized by coverage) so that a browser is never handed
/// a graph it cannot draw.
void graph(const httplib::Request& req, httplib::Response& res, Session& s)
{
    Query q(req, with(selection_params, {"max-nodes"}));
    output::ExportOptions o;
    o.filter = selection(q);
    o.max_nodes = static_cast<std::size_t>(q.number("max-nodes", 1500, 1, 20000));
    std::ostringstream out;
    nlohmann::json head{{"too_many", false}};
    try {
        auto tx = open_map(s, o.filter.include_proposed, true);
        output::export_graph(tx, o, nullptr, output::ExportFormat::cytoscape, out);
    } catch (const output::TooManyNodes& e) {
        head = {{"too_many", true}, {"limit", e.limit}, {"nodes", e.nodes}, {"mechanisms", e.mechanisms}};
        o.max_nodes = 0;
        o.filter.kinds = {"area"};
        out.str("");
        auto tx = open_map(s, o.filter.include_proposed, true);
        output::export_graph(tx, o, nullptr, output::ExportFormat::cytoscape, out);
    }
    std::string body = head.dump();
    body.pop_back();
    json(res, body + ",\"graph\":" + out.str() + "}\n");
}

/// The page's `list-limit`: a finding about a big map names every mechanism it
/// concerns (27 MB of findings for 100 000 mechanisms), more than a browser
/// should parse to show a paragraph. Lists are cut to `n` items, the last
/// reason saying how many were left out; counts are never cut.
void limit_lists(analysis::GapReport& report, std::size_t n)
{
    for (auto& node : report.nodes)
        if (node.covering.size() > n)
            node.covering.resize(n);
    for (auto& c : report.concerns) {
        std::size_t left_out = 0;
        if (c.mechanisms.size() > n) {
            left_out = c.mechanisms.size() - n;
            c.mechanisms.resize(n);
        }
        if (c.reasons.size() > n)
            c.reasons.resize(n);
        const std::size_t detail_chars = 200 * n;
        if (c.detail.size() > detail_chars) {
            // Cut at a character boundary, never inside a UTF-8 sequence.
            std::size_t cut = detail_chars;
            while (cut > 0 && (static_cast<unsigned char>(c.detail[cut]) & 0xC0) == 0x80)
                --cut;
            c.detail = c.detail.substr(0, cut) + "…";
        }
        if (left_out)
            c.reasons.push_back(fmt::format("… and {} more mechanisms (list-limit={})", left_out, n));
    }
}

/// The options of govmap gaps, by the same names.
void gaps(const httplib::Request& req, httplib::Response& res, Session& s)
{
    Query q(req, {"format", "csv", "level", "under", "by-region", "strict-regions", "include-proposed", "active-only",
                  "as-of", "compare", "with-observatories", "primary-only", "min-mechanisms", "max-depth", "brokers",
                  "framework", "assessor", "kinds", "list-limit"});
    analysis::GapOptions o;
    o.level = q.value("level");
    if (o.level && *o.level != "cluster" && *o.level != "area" && *o.level != "issue")
        throw ApiError(400, "parameter 'level' is cluster, area or issue");
    o.under = q.value("under");
    o.by_region = q.flag("by-region");
    o.strict_regions = q.flag("strict-regions");
    o.include_proposed = q.flag("include-proposed");
    o.active_only = q.flag("active-only");
    o.as_of = q.as_of();
    o.with_observatories = q.flag("with-observatories");
    o.primary_only = q.flag("primary-only");
    o.min_mechanisms = static_cast<int>(q.number("min-mechanisms", o.min_mechanisms, 1, 1000000));
    o.max_depth = static_cast<int>(q.number("max-depth", o.max_depth, 1, 1000));
    o.brokers = static_cast<std::size_t>(q.number("brokers", static_cast<long>(o.brokers), 0, 1000));
    o.framework = q.value("framework");
    o.assessor = q.value("assessor");
    if (o.assessor && !o.framework)
        throw ApiError(400, "assessor needs framework");
    o.kinds = q.set("kinds");
    std::string format = q.value_or("format", "json");
    static const std::map<std::string, std::pair<output::ReportFormat, const char*>> formats{
        {"json", {output::ReportFormat::json, "application/json"}},
        {"text", {output::ReportFormat::text, "text/plain; charset=utf-8"}},
        {"markdown", {output::ReportFormat::markdown, "text/markdown; charset=utf-8"}},
        {"csv", {output::ReportFormat::csv, "text/csv; charset=utf-8"}},
        {"html", {output::ReportFormat::html, "text/html; charset=utf-8"}}};
    auto f = formats.find(format);
    if (f == formats.end())
        throw ApiError(400, "parameter 'format' is json, text, markdown, csv or html");
    auto report_format = f->second.first;
    std::string csv = q.value_or("csv", "coverage");
    if (csv != "coverage" && csv != "findings")
        throw ApiError(400, "parameter 'csv' is coverage or findings");
    if (report_format == output::ReportFormat::csv && csv == "findings")
        report_format = output::ReportFormat::csv_findings;

    std::optional<analysis::GapReport> then;
    if (auto compare = q.value("compare")) {
        if (compare->size() == 4 || *compare == "today") {
            try {
                o.compare = text::parse_as_of(*compare);
            } catch (const std::invalid_argument& e) {
                throw ApiError(400, "compare: " + std::string(e.what()));
            }
        } else {
            // As in govmap gaps: the recorded map is rebuilt in a transaction of its own.
            try {
                o.compare_recorded = analysis::recorded_moment(s.conn(), *compare);
            } catch (const std::invalid_argument& e) {
                throw ApiError(400, "compare: " + std::string(e.what()));
            }
            auto then_options = o;
            then_options.include_proposed = false;
            then = analysis::analyse_recorded(s.conn(), then_options, *o.compare_recorded);
        }
    }
    auto tx = open_map(s, o.include_proposed);
    auto report = analysis::analyse(tx, o);
    if (then)
        report.comparison = analysis::compare(*then, report, std::nullopt, o.compare_recorded);
    if (auto n = q.number("list-limit", 0, 0, 1000000); n > 0)
        limit_lists(report, static_cast<std::size_t>(n));
    if (report_format != output::ReportFormat::json)
        res.set_header("Content-Disposition",
                       "attachment; filename=\"gaps." + std::string(format == "markdown" ? "md" : format) + "\"");
    res.set_content(output::render(report, report_format), f->second.second);
}

/// Writes to an HTTP response as the export produces it.
class SinkBuffer : public std::streambuf {
public:
    explicit SinkBuffer(httplib::DataSink& sink) : sink_(sink) { setp(buffer_, buffer_ + sizeof buffer_); }
    ~SinkBuffer() override = default;

protected:
    int overflow(int c) override
    {
        flush();
        if (c != traits_type::eof()) {
            *pptr() = static_cast<char>(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override
    {
        flush();
        return 0;
    }

private:
    void flush()
    {
        auto n = pptr() - pbase();
        if (n > 0 && !sink_.write(pbase(), static_cast<std::size_t>(n)))
            throw std::runtime_error("the client went away");
        setp(buffer_, buffer_ + sizeof buffer_);
    }
    httplib::DataSink& sink_;
    char buffer_[64 * 1024];
};

/// govmap export, streamed: the file is written to the response as
/// PostgreSQL sends the rows.
void export_map(const httplib::Request& req, httplib::Response& res, Session& s)
{
    Query q(req, with(selection_params, {"format"}));
    static const std::map<std::string, std::tuple<output::ExportFormat, const char*, const char*>> formats{
        {"graphml", {output::ExportFormat::graphml, "application/graphml+xml", "govmap.graphml"}},
        {"gexf", {output::ExportFormat::gexf, "application/gexf+xml", "govmap.gexf"}},
        {"dot", {output::ExportFormat::dot, "text/vnd.graphviz; charset=utf-8", "govmap.dot"}},
        {"cytoscape", {output::ExportFormat::cytoscape, "application/json", "govmap.cyjs"}},
        {"kumu", {output::ExportFormat::kumu, "application/json", "govmap-kumu.json"}}};
    auto f = formats.find(q.value_or("format", ""));
    if (f == formats.end())
        throw ApiError(400, "parameter 'format' is graphml, gexf, dot, cytoscape or kumu");
    auto options = std::make_shared<output::ExportOptions>();
    options->filter = selection(q);
    auto tx = std::make_shared<db::Transaction>(open_map(s, options->filter.include_proposed, true));
    // Refused names get their error now, before the response's status is sent.
    queries::check_filter(*tx, options->filter);
    auto [format, type, filename] = f->second;
    res.set_header("Content-Disposition", std::string("attachment; filename=\"") + filename + "\"");
    auto lease = s.lease;
    res.set_chunked_content_provider(type, [lease, tx, options, format = format](std::size_t, httplib::DataSink& sink) {
        try {
            SinkBuffer buffer(sink);
            std::ostream out(&buffer);
            out.exceptions(std::ios::badbit);
            output::export_graph(*tx, *options, nullptr, format, out);
            out.flush();
            tx->commit();
            sink.done();
            return true;
        } catch (const std::exception& e) {
            // The status is already sent: ending the stream early tells the client.
            lease->discard();
            return false;
        }
    });
}

void proposals(const httplib::Request& req, httplib::Response& res, Session& s)
{
    Query q(req, {"status"});
    review::ListOptions o;
    std::string status = q.value_or("status", "open");
    static const std::set<std::string> statuses{"open", "accepted", "rejected", "withdrawn", "all"};
    if (!statuses.count(status))
        throw ApiError(400, "parameter 'status' is open, accepted, rejected, withdrawn or all");
    if (status == "all")
        o.status.reset();
    else
        o.status = status;
    auto tx = s.conn().begin(db::Isolation::snapshot);
    json(res, output::proposals_json(review::list(tx, o)));
}

long proposal_id(const httplib::Request& req)
{
    const std::string digits = req.matches[1];
    if (digits.size() > 15)
        throw ApiError(404, "there is no proposal " + digits);
    return std::stol(digits);
}

void proposal(const httplib::Request& req, httplib::Response& res, Session& s)
{
    Query q(req, {});
    auto tx = s.conn().begin(db::Isolation::snapshot);
    long id = proposal_id(req);
    try {
        json(res, output::proposal_json(review::show(tx, id)));
    } catch (const review::Invalid& e) {
        throw ApiError(404, e.what());
    }
}

/// POST .../accept or .../reject with {"note": "..."}: a reviewer's decision,
/// recorded as the CLI records it.
void decide(const httplib::Request& req, httplib::Response& res, Session& s)
{
    Query q(req, {});
    if (s.read_only)
        throw ApiError(403, "this server is read-only (govmap serve --read-only)");
    long id = proposal_id(req);
    bool accept = req.matches[2] == "accept";
    std::string note;
    if (!req.body.empty()) {
        auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object())
            throw ApiError(400, "the body is a JSON object such as {\"note\": \"...\"}");
        for (const auto& [key, value] : body.items())
            if (key != "note")
                throw ApiError(400, "unknown field '" + key + "' in the body (only note)");
        if (body.contains("note")) {
            if (!body["note"].is_string())
                throw ApiError(400, "note is a string");
            note = body["note"].get<std::string>();
        }
    }
    if (text::utf8_length(note) > 2000)
        throw ApiError(400, "note is too long (at most 2000 characters)");
    for (unsigned char c : note)
        if ((c < 0x20 && c != '\n') || c == 0x7f)
            throw ApiError(400, "note must not contain control characters");
    if (!accept && note.find_first_not_of(" \n") == std::string::npos)
        throw ApiError(400, "a rejection needs a note: the contributor reads it");
    if (accept)
        review::accept(s.conn(), {id}, note, s.actor);
    else
        review::reject(s.conn(), {id}, note, s.actor);
    auto tx = s.conn().begin(db::Isolation::snapshot);
    json(res, output::proposal_json(review::show(tx, id)));
}

}  // namespace

void add_api_routes(httplib::Server& server, const Wrap& wrap)
{
    auto route = [&wrap](void (*handler)(const httplib::Request&, httplib::Response&, Session&)) {
        return [wrap, handler](const httplib::Request& req, httplib::Response& res) { wrap(req, res, handler); };
    };
    server.Get("/api/v1/info", route(info));
    server.Get("/api/v1/areas", route([](const httplib::Request& req, httplib::Response& res, Session& s) {
                   list(req, res, s, queries::Listing::areas);
               }));
    server.Get("/api/v1/mechanisms", route([](const httplib::Request& req, httplib::Response& res, Session& s) {
                   list(req, res, s, queries::Listing::mechanisms);
               }));
    server.Get(R"(/api/v1/mechanisms/([^/]{1,200}))", route(mechanism));
    server.Get("/api/v1/sources", route([](const httplib::Request& req, httplib::Response& res, Session& s) {
                   list(req, res, s, queries::Listing::sources);
               }));
    server.Get("/api/v1/regions", route([](const httplib::Request& req, httplib::Response& res, Session& s) {
                   list(req, res, s, queries::Listing::regions);
               }));
    server.Get("/api/v1/search", route(search));
    server.Get("/api/v1/graph", route(graph));
    server.Get("/api/v1/gaps", route(gaps));
    server.Get("/api/v1/export", route(export_map));
    server.Get("/api/v1/proposals", route(proposals));
    server.Get(R"(/api/v1/proposals/([0-9]+))", route(proposal));
    server.Post(R"(/api/v1/proposals/([0-9]+)/(accept|reject))", route(decide));
}

}  // namespace govmap::web
