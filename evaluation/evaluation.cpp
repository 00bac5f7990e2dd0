#include "evaluation/evaluation.hpp"

#include "text/text.hpp"

#include <fmt/format.h>

#include <set>
#include <stdexcept>

namespace govmap::evaluation {

const char* const rating_rule =
    "A criterion's rating is that of its observed indicators: met when every observed indicator is yes, not met "
    "when every one is no, partly otherwise; disputed when assessors disagree on every observed one; unknown when "
    "none is observed (never \"not met\"). The counts say how many of its indicators were observed.";

namespace {

std::optional<int> year_of(const db::Value& v) { return v ? std::optional<int>(std::stoi(*v)) : std::nullopt; }

db::Value text_or_null(const std::optional<std::string>& v) { return v ? db::Value(*v) : db::Value{}; }

db::Value year_param(std::optional<int> y) { return y ? db::Value(std::to_string(*y)) : db::Value{}; }

/// Known keys of a table, for "did you mean" and for listing.
std::vector<std::string> keys_of(db::Transaction& tx, const std::string& sql)
{
    auto r = tx.exec(sql);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < r.size(); ++i)
        out.push_back(r.text(i, "k"));
    return out;
}

[[noreturn]] void unknown(const std::string& what, const std::string& value, const std::vector<std::string>& known)
{
    std::string msg = "unknown " + what + " '" + value + "'";
    if (auto near = text::closest(value, known))
        msg += " (did you mean '" + *near + "'?)";
    else if (!known.empty() && known.size() <= 12)
        msg += " (known: " + text::join(known) + ")";
    throw std::invalid_argument(msg);
}

Framework load_framework(db::Transaction& tx, const std::string& key)
{
    Framework f;
    auto r = tx.exec(R"(
        SELECT f.key, f.name, coalesce(f.description, '') AS description, s.title, s.url
          FROM framework f LEFT JOIN source s ON s.id = f.source_id WHERE f.key = $1)",
                     {key});
    if (r.empty())
        unknown("framework", key, keys_of(tx, "SELECT key AS k FROM framework ORDER BY key"));
    f.key = r.text(0, "key");
    f.name = r.text(0, "name");
    f.description = r.text(0, "description");
    f.source_title = r.at(0, "title");
    f.source_url = r.at(0, "url");
    auto c = tx.exec(R"(
        SELECT c.key, c.name, coalesce(c.description, '') AS description, i.key AS indicator, i.text
          FROM criterion c JOIN framework f ON f.id = c.framework_id
          LEFT JOIN criterion_indicator ci ON ci.criterion_id = c.id LEFT JOIN indicator i ON i.id = ci.indicator_id
         WHERE f.key = $1
         ORDER BY c.id, ci.id)",
                     {key});
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (f.criteria.empty() || f.criteria.back().key != c.text(i, "key"))
            f.criteria.push_back({c.text(i, "key"), c.text(i, "name"), c.text(i, "description"), {}});
        if (auto ind = c.at(i, "indicator"))
            f.criteria.back().indicators.push_back({*ind, c.text(i, "text")});
    }
    return f;
}

/// The framework's indicators, as SQL over $n (the framework key).
std::string framework_indicators(int n)
{
    return fmt::format("(SELECT ci.indicator_id FROM criterion_indicator ci JOIN criterion c ON c.id = ci.criterion_id "
                       "JOIN framework f ON f.id = c.framework_id WHERE f.key = ${})",
                       n);
}

}  // namespace

std::string MechanismResult::display() const
{
    if (acronym.empty() || name.find(acronym) != std::string::npos)
        return name;
    return name + " (" + acronym + ")";
}

std::optional<std::string> framework_key(db::Transaction& tx, const std::optional<std::string>& key)
{
    if (key) {
        auto r = tx.exec("SELECT 1 FROM framework WHERE key = $1", {*key});
        if (r.empty())
            unknown("framework", *key, keys_of(tx, "SELECT key AS k FROM framework ORDER BY key"));
        return key;
    }
    auto r = tx.exec("SELECT key FROM framework ORDER BY key <> 'netmundial-2014', key LIMIT 1");
    if (r.empty())
        return std::nullopt;
    return r.text(0, "key");
}

Evaluation evaluate(db::Transaction& tx, const Options& options)
{
    Evaluation e;
    e.options = options;
    auto key = framework_key(tx, options.framework);
    if (!key)
        throw std::invalid_argument("the map holds no evaluation framework: import one (see docs/evaluation.md)");
    e.options.framework = key;
    e.framework = load_framework(tx, *key);
    if (options.assessor && tx.exec("SELECT 1 FROM assessor WHERE key = $1", {*options.assessor}).empty())
        unknown("assessor", *options.assessor, keys_of(tx, "SELECT key AS k FROM assessor ORDER BY key"));
    if (options.under && tx.exec("SELECT 1 FROM issue_area WHERE code = $1", {*options.under}).empty())
        unknown("taxonomy node", *options.under, keys_of(tx, "SELECT code AS k FROM issue_area ORDER BY code"));
    for (const auto& slug : options.mechanisms)
        if (tx.exec("SELECT 1 FROM mechanism WHERE slug = $1", {slug}).empty())
            unknown("mechanism", slug, keys_of(tx, "SELECT slug AS k FROM mechanism ORDER BY slug"));

    std::string slugs = "[";
    for (const auto& s : options.mechanisms)
        slugs += (slugs.size() > 1 ? "," : "") + std::string("\"") + s + "\"";  // checked slugs: [a-z0-9-]
    slugs += "]";
    db::Params scope_params{slugs, text_or_null(options.under), *key, text_or_null(options.assessor),
                            year_param(options.as_of)};
    const std::string scope = R"(
        SELECT m.id, m.slug, m.name, coalesce(m.acronym, '') AS acronym FROM mechanism m
         WHERE CASE WHEN jsonb_array_length($1::jsonb) > 0 THEN m.slug IN (SELECT jsonb_array_elements_text($1::jsonb))
                    WHEN $2::text IS NOT NULL THEN EXISTS (
                         SELECT 1 FROM mechanism_area ma JOIN issue_area_closure c ON c.descendant_id = ma.area_id
                           JOIN issue_area u ON u.id = c.ancestor_id WHERE u.code = $2 AND ma.mechanism_id = m.id)
                    ELSE EXISTS (
                         SELECT 1 FROM observation o JOIN assessor a ON a.id = o.assessor_id
                          WHERE o.mechanism_id = m.id AND o.indicator_id IN )" +
                              framework_indicators(3) + R"(
                            AND ($4::text IS NULL OR a.key = $4) AND held_in(o.valid_from, o.valid_to, $5::smallint))
               END)";
    auto m = tx.exec("SELECT slug, name, acronym FROM (" + scope + ") s ORDER BY lower(name), slug", scope_params);
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < m.size(); ++i) {
        MechanismResult r{m.text(i, "slug"), m.text(i, "name"), m.text(i, "acronym"), {}};
        for (const auto& c : e.framework.criteria) {
            CriterionResult cr{c.key, "unknown", {}, {}};
            cr.counts.unknown = static_cast<int>(c.indicators.size());
            for (const auto& ind : c.indicators)
                cr.indicators.push_back({ind.key, "unknown", {}});
            r.criteria.push_back(std::move(cr));
        }
        index[r.slug] = e.mechanisms.size();
        e.mechanisms.push_back(std::move(r));
    }
    std::map<std::string, std::size_t> criterion_index;
    for (std::size_t i = 0; i < e.framework.criteria.size(); ++i)
        criterion_index[e.framework.criteria[i].key] = i;

    auto rated = tx.exec("SELECT m.slug, c.key, r.rating::text AS rating, r.yes, r.partly, r.no, r.disputed, r.unknown "
                         "FROM criterion_ratings($3, $4, $5::smallint) r JOIN (" +
                             scope + ") m ON m.id = r.mechanism_id JOIN criterion c ON c.id = r.criterion_id",
                         scope_params);
    for (std::size_t i = 0; i < rated.size(); ++i) {
        auto& cr = e.mechanisms[index.at(rated.text(i, "slug"))].criteria[criterion_index.at(rated.text(i, "key"))];
        cr.rating = rated.text(i, "rating");
        cr.counts = {std::stoi(rated.text(i, "yes")), std::stoi(rated.text(i, "partly")),
                     std::stoi(rated.text(i, "no")), std::stoi(rated.text(i, "disputed")),
                     std::stoi(rated.text(i, "unknown"))};
    }

    auto values = tx.exec("SELECT m.slug, i.key, v.value FROM indicator_values($4, $5::smallint) v JOIN (" + scope +
                              ") m ON m.id = v.mechanism_id JOIN indicator i ON i.id = v.indicator_id "
                              "WHERE v.indicator_id IN " +
                              framework_indicators(3),
                          scope_params);
    std::map<std::pair<std::string, std::string>, std::string> value_of;
    for (std::size_t i = 0; i < values.size(); ++i)
        value_of[{values.text(i, "slug"), values.text(i, "key")}] = values.text(i, "value");

    auto obs = tx.exec(R"(
        SELECT m.slug, i.key AS indicator, a.key AS assessor, o.value::text AS value,
               coalesce(o.evidence, '') AS evidence, coalesce(o.observer, '') AS observer,
               coalesce(o.observed::text, '') AS observed, s.key AS source_key, s.title AS source_title,
               s.url AS source_url, o.valid_from::text AS valid_from, o.valid_to::text AS valid_to
          FROM observation o JOIN ()" +
                           scope +
                           R"() m ON m.id = o.mechanism_id
          JOIN indicator i ON i.id = o.indicator_id JOIN assessor a ON a.id = o.assessor_id
          LEFT JOIN source s ON s.id = o.source_id
         WHERE ($4::text IS NULL OR a.key = $4) AND held_in(o.valid_from, o.valid_to, $5::smallint)
           AND o.indicator_id IN )" +
                           framework_indicators(3) +
                           R"(
         ORDER BY m.slug, i.key, a.key)",
                       scope_params);
    std::map<std::pair<std::string, std::string>, std::vector<Observation>> observed;
    std::set<std::string> assessors;
    for (std::size_t i = 0; i < obs.size(); ++i) {
        Observation o{obs.text(i, "assessor"),       obs.text(i, "value"),    obs.text(i, "observer"),
                      obs.text(i, "observed"),       obs.text(i, "evidence"), obs.at(i, "source_key"),
                      obs.at(i, "source_title"),     obs.at(i, "source_url"), year_of(obs.at(i, "valid_from")),
                      year_of(obs.at(i, "valid_to"))};
        assessors.insert(o.assessor);
        observed[{obs.text(i, "slug"), obs.text(i, "indicator")}].push_back(std::move(o));
    }
    e.assessors.assign(assessors.begin(), assessors.end());
    for (auto& mech : e.mechanisms)
        for (auto& cr : mech.criteria)
            for (auto& ind : cr.indicators) {
                auto k = std::make_pair(mech.slug, ind.key);
                if (auto v = value_of.find(k); v != value_of.end())
                    ind.value = v->second;
                if (auto o = observed.find(k); o != observed.end())
                    ind.observations = o->second;
            }
    for (const auto& [k, list] : observed) {
        std::map<std::string, std::string> by_assessor;
        std::set<std::string> distinct;
        for (const auto& o : list) {
            by_assessor[o.assessor] = o.value;
            distinct.insert(o.value);
        }
        if (distinct.size() > 1)
            e.disagreements.push_back({k.first, k.second, by_assessor});
    }
    return e;
}

Ratings ratings(db::Transaction& tx, const std::string& framework, const std::optional<std::string>& assessor,
                std::optional<int> as_of)
{
    Ratings out;
    out.framework = load_framework(tx, framework);
    auto r = tx.exec(R"(
        SELECT m.slug, c.key, r.rating::text AS rating
          FROM criterion_ratings($1, $2, $3::smallint) r JOIN mechanism m ON m.id = r.mechanism_id
          JOIN criterion c ON c.id = r.criterion_id)",
                     {framework, text_or_null(assessor), year_param(as_of)});
    for (std::size_t i = 0; i < r.size(); ++i)
        out.by_mechanism[r.text(i, "slug")][r.text(i, "key")] = r.text(i, "rating");
    return out;
}

std::vector<FrameworkSummary> frameworks(db::Transaction& tx)
{
    auto r = tx.exec(R"(
        SELECT f.key, f.name,
               (SELECT count(*) FROM criterion c WHERE c.framework_id = f.id) AS criteria,
               (SELECT count(DISTINCT ci.indicator_id) FROM criterion_indicator ci
                  JOIN criterion c ON c.id = ci.criterion_id WHERE c.framework_id = f.id) AS indicators,
               (SELECT count(*) FROM observation o WHERE o.indicator_id IN (
                    SELECT ci.indicator_id FROM criterion_indicator ci JOIN criterion c ON c.id = ci.criterion_id
                     WHERE c.framework_id = f.id)) AS observations,
               (SELECT count(DISTINCT o.mechanism_id) FROM observation o WHERE o.indicator_id IN (
                    SELECT ci.indicator_id FROM criterion_indicator ci JOIN criterion c ON c.id = ci.criterion_id
                     WHERE c.framework_id = f.id)) AS mechanisms
          FROM framework f ORDER BY f.key)");
    std::vector<FrameworkSummary> out;
    for (std::size_t i = 0; i < r.size(); ++i)
        out.push_back({r.text(i, "key"), r.text(i, "name"), std::stol(r.text(i, "criteria")),
                       std::stol(r.text(i, "indicators")), std::stol(r.text(i, "observations")),
                       std::stol(r.text(i, "mechanisms"))});
    return out;
}

}  // namespace govmap::evaluation
