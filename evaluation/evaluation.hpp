#pragma once
// Mechanisms rated against a framework's criteria from observations of
// indicators (migration 0012). The rating rule lives in SQL
// (criterion_ratings); this module selects what to rate and gathers the
// evidence behind each rating, for `govmap evaluate`, the gap report and
// exports.
#include "schema/db.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace govmap::evaluation {

struct Options {
    std::optional<std::string> framework;  ///< key; default: netmundial-2014 when present, else the first by key
    std::optional<std::string> assessor;   ///< key; default: every assessor
    std::optional<int> as_of;              ///< observations that held during this year; default: any time
    std::vector<std::string> mechanisms;   ///< slugs; with none and no `under`: every observed mechanism
    std::optional<std::string> under;      ///< the mechanisms addressing this taxonomy node or below it
};

struct Indicator {
    std::string key, text;
};

struct Criterion {
    std::string key, name, description;
    std::vector<Indicator> indicators;
};

struct Framework {
    std::string key, name, description;
    std::optional<std::string> source_title, source_url;
    std::vector<Criterion> criteria;  ///< in the order they were added
};

struct Observation {
    std::string assessor, value, observer, observed;
    std::string evidence;
    std::optional<std::string> source_key, source_title, source_url;
    std::optional<int> valid_from, valid_to;
};

struct IndicatorResult {
    std::string key;
    std::string value;  ///< yes, partly, no, disputed or unknown
    std::vector<Observation> observations;
};

struct Counts {
    int yes = 0, partly = 0, no = 0, disputed = 0, unknown = 0;
    int observed() const { return yes + partly + no; }
    int total() const { return yes + partly + no + disputed + unknown; }
};

struct CriterionResult {
    std::string key;
    std::string rating;  ///< met, partly, not_met, disputed or unknown
    Counts counts;
    std::vector<IndicatorResult> indicators;  ///< in the criterion's order
};

struct MechanismResult {
    std::string slug, name, acronym;
    std::vector<CriterionResult> criteria;  ///< in the framework's order
    std::string display() const;
};

/// Assessors who disagree on one indicator of one mechanism.
struct Disagreement {
    std::string mechanism, indicator;
    std::map<std::string, std::string> values;  ///< assessor -> value
};

struct Evaluation {
    Framework framework;
    Options options;
    std::vector<std::string> assessors;  ///< whose observations count, by key
    std::vector<MechanismResult> mechanisms;
    std::vector<Disagreement> disagreements;
};

/// The rating rule, for people: what reports print beside the matrix.
extern const char* const rating_rule;

/// Rates the mechanisms `options` selects. Throws std::invalid_argument for
/// an unknown framework, assessor, mechanism or node, or a map with no framework.
Evaluation evaluate(db::Transaction& tx, const Options& options);

/// The framework `key` names, or the default one; nullopt when the map has none.
std::optional<std::string> framework_key(db::Transaction& tx, const std::optional<std::string>& key);

/// Every rated mechanism's rating per criterion (unrated mechanisms are
/// absent: unknown on everything), and the framework's criteria in order.
struct Ratings {
    Framework framework;
    std::map<std::string, std::map<std::string, std::string>> by_mechanism;  ///< slug -> criterion key -> rating
};
Ratings ratings(db::Transaction& tx, const std::string& framework, const std::optional<std::string>& assessor,
                std::optional<int> as_of);

struct FrameworkSummary {
    std::string key, name;
    long criteria = 0, indicators = 0, observations = 0, mechanisms = 0;
};
std::vector<FrameworkSummary> frameworks(db::Transaction& tx);

}  // namespace govmap::evaluation
