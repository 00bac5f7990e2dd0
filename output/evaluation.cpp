#include "output/evaluation.hpp"

#include "text/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace govmap::output {

using evaluation::CriterionResult;
using evaluation::Evaluation;
using text::csv_field;
using text::html_escape;

namespace {

std::string label(const std::string& rating) { return rating == "not_met" ? "not met" : rating; }

/// "met 2/3": the rating and how many of the criterion's indicators were observed.
std::string cell(const CriterionResult& c)
{
    if (c.rating == "unknown")
        return "unknown";
    return fmt::format("{} {}/{}", label(c.rating), c.counts.observed() + c.counts.disputed, c.counts.total());
}

std::string held(const evaluation::Observation& o)
{
    if (!o.valid_from && !o.valid_to)
        return "";
    return fmt::format(" [{}-{}]", o.valid_from ? std::to_string(*o.valid_from) : "",
                       o.valid_to ? std::to_string(*o.valid_to) : "");
}

std::string settings(const Evaluation& e)
{
    std::string out = fmt::format("Assessor: {}", e.options.assessor.value_or("every assessor"));
    if (!e.assessors.empty() && !e.options.assessor)
        out += " (" + text::join(e.assessors) + ")";
    out += fmt::format(" · as of: {}", e.options.as_of ? std::to_string(*e.options.as_of) : "any time");
    if (e.options.under)
        out += " · mechanisms addressing " + *e.options.under;
    return out;
}

std::string text_report(const Evaluation& e, bool evidence)
{
    const auto& f = e.framework;
    std::string out = fmt::format("Evaluation against {} ({})\n", f.name, f.key);
    if (f.source_url)
        out += fmt::format("Source: {} <{}>\n", f.source_title.value_or(""), *f.source_url);
    out += settings(e) + "\n";
    out += "Rule: " + std::string(evaluation::rating_rule) + "\n\n";
    if (e.mechanisms.empty())
        out += "No mechanism has an observation under this framework yet.\n";
    std::size_t width = 10;
    for (const auto& c : f.criteria)
        width = std::max(width, text::utf8_length(c.name));
    width = std::min<std::size_t>(width, 44);
    for (const auto& m : e.mechanisms) {
        out += m.display() + " (" + m.slug + ")\n";
        for (std::size_t i = 0; i < m.criteria.size(); ++i) {
            const auto& c = m.criteria[i];
            std::string name = text::utf8_shorten(f.criteria[i].name, width);
            out += fmt::format("  {:<12} {}{}", cell(c), name,
                               std::string(width - std::min(width, text::utf8_length(name)), ' '));
            if (c.counts.total() > 0)
                out += fmt::format(
                    "  yes {}, partly {}, no {}{}, unknown {}", c.counts.yes, c.counts.partly, c.counts.no,
                    c.counts.disputed ? fmt::format(", disputed {}", c.counts.disputed) : "", c.counts.unknown);
            else
                out += "  (no indicator)";
            out += "\n";
            if (!evidence)
                continue;
            for (std::size_t j = 0; j < c.indicators.size(); ++j) {
                const auto& ind = c.indicators[j];
                out += fmt::format("      {:<8} {}\n", ind.value, f.criteria[i].indicators[j].text);
                for (const auto& o : ind.observations)
                    out += fmt::format("               {} ({}{}): {}{}\n", o.value, o.assessor, held(o), o.evidence,
                                       o.source_url ? " <" + *o.source_url + ">" : "");
            }
        }
        out += "\n";
    }
    for (const auto& d : e.disagreements) {
        std::string values;
        for (const auto& [a, v] : d.values)
            values += (values.empty() ? "" : ", ") + a + ": " + v;
        out += fmt::format("Disputed: {} on {} ({})\n", d.mechanism, d.indicator, values);
    }
    return out;
}

std::string md(const std::string& s)
{
    std::string out;
    for (char c : s)
        out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
    return out;
}

std::string markdown(const Evaluation& e)
{
    const auto& f = e.framework;
    std::string out = fmt::format("# Evaluation against {} (`{}`)\n\n", md(f.name), f.key);
    if (f.source_url)
        out += fmt::format("Source: [{}]({})\n\n", md(f.source_title.value_or(*f.source_url)), *f.source_url);
    out += settings(e) + "\n\n" + evaluation::rating_rule + "\n\n| Mechanism |";
    for (const auto& c : f.criteria)
        out += " " + md(c.name) + " |";
    out += "\n|---|";
    for (std::size_t i = 0; i < f.criteria.size(); ++i)
        out += "---|";
    out += "\n";
    for (const auto& m : e.mechanisms) {
        out += "| " + md(m.display()) + " |";
        for (const auto& c : m.criteria)
            out += " " + cell(c) + " |";
        out += "\n";
    }
    out += "\n## Evidence\n";
    for (const auto& m : e.mechanisms) {
        out += "\n### " + md(m.display()) + "\n\n";
        for (std::size_t i = 0; i < m.criteria.size(); ++i)
            for (std::size_t j = 0; j < m.criteria[i].indicators.size(); ++j)
                for (const auto& o : m.criteria[i].indicators[j].observations)
                    out += fmt::format("- **{}** — {}: {} ({}{}){}\n", md(f.criteria[i].name),
                                       md(f.criteria[i].indicators[j].text), o.value, o.assessor, held(o),
                                       (o.evidence.empty() ? "" : ": " + md(o.evidence)) +
                                           (o.source_url ? fmt::format(" [source]({})", *o.source_url) : ""));
    }
    return out;
}

nlohmann::json json_report(const Evaluation& e)
{
    using J = nlohmann::json;
    const auto& f = e.framework;
    J criteria = J::array();
    for (const auto& c : f.criteria) {
        J inds = J::array();
        for (const auto& i : c.indicators)
            inds.push_back({{"key", i.key}, {"text", i.text}});
        criteria.push_back({{"key", c.key}, {"name", c.name}, {"description", c.description}, {"indicators", inds}});
    }
    J out;
    out["framework"] = {
        {"key", f.key},
        {"name", f.name},
        {"description", f.description},
        {"source", f.source_url ? J{{"title", f.source_title.value_or("")}, {"url", *f.source_url}} : J(nullptr)},
        {"criteria", criteria}};
    out["filters"] = {{"assessor", e.options.assessor ? J(*e.options.assessor) : J(nullptr)},
                      {"as_of", e.options.as_of ? J(*e.options.as_of) : J(nullptr)},
                      {"under", e.options.under ? J(*e.options.under) : J(nullptr)},
                      {"mechanisms", e.options.mechanisms}};
    out["assessors"] = e.assessors;
    out["rule"] = evaluation::rating_rule;
    J mechanisms = J::array();
    for (const auto& m : e.mechanisms) {
        J cs = J::array();
        for (const auto& c : m.criteria) {
            J inds = J::array();
            for (const auto& i : c.indicators) {
                J obs = J::array();
                for (const auto& o : i.observations)
                    obs.push_back({{"assessor", o.assessor},
                                   {"value", o.value},
                                   {"evidence", o.evidence},
                                   {"source", o.source_key ? J{{"key", *o.source_key},
                                                               {"title", o.source_title.value_or("")},
                                                               {"url", o.source_url ? J(*o.source_url) : J(nullptr)}}
                                                           : J(nullptr)},
                                   {"observer", o.observer},
                                   {"observed", o.observed.empty() ? J(nullptr) : J(o.observed)},
                                   {"valid_from", o.valid_from ? J(*o.valid_from) : J(nullptr)},
                                   {"valid_to", o.valid_to ? J(*o.valid_to) : J(nullptr)}});
                inds.push_back({{"key", i.key}, {"value", i.value}, {"observations", obs}});
            }
            cs.push_back({{"key", c.key},
                          {"rating", c.rating},
                          {"counts",
                           {{"yes", c.counts.yes},
                            {"partly", c.counts.partly},
                            {"no", c.counts.no},
                            {"disputed", c.counts.disputed},
                            {"unknown", c.counts.unknown}}},
                          {"indicators", inds}});
        }
        mechanisms.push_back({{"slug", m.slug}, {"name", m.name}, {"criteria", cs}});
    }
    out["mechanisms"] = mechanisms;
    J disputes = J::array();
    for (const auto& d : e.disagreements)
        disputes.push_back({{"mechanism", d.mechanism}, {"indicator", d.indicator}, {"values", d.values}});
    out["disagreements"] = disputes;
    return out;
}

std::string csv(const Evaluation& e)
{
    std::string out = "mechanism,name,criterion,criterion_name,rating,yes,partly,no,disputed,unknown,sources\r\n";
    for (const auto& m : e.mechanisms)
        for (std::size_t i = 0; i < m.criteria.size(); ++i) {
            const auto& c = m.criteria[i];
            std::vector<std::string> urls;
            for (const auto& ind : c.indicators)
                for (const auto& o : ind.observations)
                    if (o.source_url && std::find(urls.begin(), urls.end(), *o.source_url) == urls.end())
                        urls.push_back(*o.source_url);
            out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\r\n", csv_field(m.slug), csv_field(m.name),
                               csv_field(c.key), csv_field(e.framework.criteria[i].name), c.rating, c.counts.yes,
                               c.counts.partly, c.counts.no, c.counts.disputed, c.counts.unknown,
                               csv_field(text::join(urls, " ")));
        }
    return out;
}

std::string html(const Evaluation& e)
{
    const auto& f = e.framework;
    std::string out = fmt::format(R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation: {0}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #ccc; padding: 0.3em 0.5em; vertical-align: top; }}
th {{ background: #f3f3f3; font-weight: 600; }}
td.met {{ background: #d7f0d2; }} td.partly {{ background: #fbeecb; }} td.not_met {{ background: #f6d0cc; }}
td.disputed {{ background: #e6d8f3; }} td.unknown {{ color: #777; }}
@media print {{ section {{ break-before: page; }} }}
</style></head><body>
<h1>Evaluation against {0} (<code>{1}</code>)</h1>
)",
                                  html_escape(f.name), html_escape(f.key));
    if (f.source_url)
        out += fmt::format("<p>Source: <a href=\"{}\">{}</a></p>\n", html_escape(*f.source_url),
                           html_escape(f.source_title.value_or(*f.source_url)));
    out += "<p>" + html_escape(settings(e)) + "</p>\n<p>" + html_escape(evaluation::rating_rule) + "</p>\n";
    out += "<table id=\"matrix\"><tr><th>Mechanism</th>";
    for (const auto& c : f.criteria)
        out += "<th title=\"" + html_escape(c.description) + "\">" + html_escape(c.name) + "</th>";
    out += "</tr>\n";
    for (const auto& m : e.mechanisms) {
        out += fmt::format("<tr><th><a href=\"#m-{}\">{}</a></th>", html_escape(m.slug), html_escape(m.display()));
        for (const auto& c : m.criteria)
            out += fmt::format("<td class=\"{}\">{}</td>", c.rating, html_escape(cell(c)));
        out += "</tr>\n";
    }
    out += "</table>\n";
    for (const auto& m : e.mechanisms) {
        out += fmt::format("<section id=\"m-{}\"><h2>{}</h2>\n<ul>\n", html_escape(m.slug), html_escape(m.display()));
        for (std::size_t i = 0; i < m.criteria.size(); ++i)
            for (std::size_t j = 0; j < m.criteria[i].indicators.size(); ++j)
                for (const auto& o : m.criteria[i].indicators[j].observations)
                    out += fmt::format(
                        "<li><b>{}</b> — {}: <b>{}</b> ({}{}) {}{}</li>\n", html_escape(f.criteria[i].name),
                        html_escape(f.criteria[i].indicators[j].text), html_escape(o.value), html_escape(o.assessor),
                        html_escape(held(o)), html_escape(o.evidence),
                        o.source_url ? fmt::format(" <a href=\"{}\">source</a>", html_escape(*o.source_url)) : "");
        out += "</ul></section>\n";
    }
    return out + "</body></html>\n";
}

}  // namespace

std::string render(const Evaluation& e, EvaluationFormat format, bool evidence)
{
    switch (format) {
    case EvaluationFormat::markdown: return markdown(e);
    case EvaluationFormat::json: return json_report(e).dump(2) + "\n";
    case EvaluationFormat::csv: return csv(e);
    case EvaluationFormat::html: return html(e);
    case EvaluationFormat::text: break;
    }
    return text_report(e, evidence || e.mechanisms.size() == 1);
}

}  // namespace govmap::output
