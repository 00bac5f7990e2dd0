#pragma once
// The gap analysis: coverage as the SQL functions define it (migration 0004
// and successors; counted by analysis/coverage.hpp), the linkage
// graph's analytics (graph/), and the findings and thresholds applied to
// them, all read from one snapshot of the map into one GapReport.
#include "queries/catalogue.hpp"
#include "schema/db.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace govmap::analysis {

struct GapOptions {
    std::optional<std::string> level;  ///< cluster, area or issue; all levels when absent
    std::optional<std::string> under;  ///< a taxonomy node and everything below it
    bool by_region = false;            ///< report region_missing
    bool strict_regions = false;       ///< global mechanisms do not count for every region
    bool include_proposed = false;
    bool active_only = false;
    bool primary_only = false;        ///< count only primary mechanism-area links
    std::optional<int> as_of;         ///< the map as it stood during this year; none: all time
    bool with_observatories = false;  ///< count observatories and mapping exercises as coverage
    std::optional<int> compare;       ///< then and now: also analyse the map as of this year and compare
    /// then and now against the map as recorded at this moment (UTC text):
    /// analyse_recorded() and compare() do it; analyse() only reports it.
    std::optional<std::string> compare_recorded;
    int min_mechanisms = 2;       ///< thin: fewer than this many mechanisms
    int max_depth = 3;            ///< deep_nesting: this many levels down or more
    std::set<std::string> kinds;  ///< empty: every kind
    /// criterion_unmet: rate covering mechanisms against this evaluation
    /// framework (evaluation/), with this assessor's observations only when set.
    std::optional<std::string> framework;
    std::optional<std::string> assessor;
    std::size_t brokers = 10;  ///< how many brokers to list
};

/// Finding kinds in report order; severity rules in docs/gaps.md.
const std::vector<std::string>& finding_kinds();

struct NodeCoverage {
    std::int64_t id = 0;
    std::string code, name, level;
    std::optional<std::string> parent;
    long mechanisms = 0;
    /// dimension (scope, model, centrality, participation, region, stakeholder,
    /// unknown) -> value -> count; unknown counts covering mechanisms that lack
    /// participation, regions (regional and national ones) or a founding year.
    std::map<std::string, std::map<std::string, long>> counts;
    std::vector<std::string> covering;  ///< slugs, sorted
    std::optional<std::string> note;    ///< what the sources say of this node's gaps
};

/// One rule that fired on one node (the analysis's raw output; reports show
/// them merged into Concerns).
struct Finding {
    std::string kind;
    std::optional<std::string> node;  ///< taxonomy code; none for map-wide findings (deep_nesting)
    std::string severity;             ///< high, medium, low
    /// coverage: what the map holds says so; data: the finding could change
    /// if missing attributes (participation, regions, years) were filled in.
    std::string basis = "coverage";
    std::string detail;
    std::vector<std::string> mechanisms;
    /// coverage, linkage, participation, regions, nesting or assessment: the
    /// concern a reader acts on; findings of one node, concern and basis merge.
    std::string concern;
    /// A short phrase for the merged sentence; "{}" stands for the subjects
    /// joined ("A, B or C"), so that several findings read as one.
    std::string reason;
    std::vector<std::string> subjects;
};

/// What a reader acts on: every finding of one node (or the map), concern and
/// basis, as one sentence with its reasons. Severity is the highest of its kinds.
struct Concern {
    std::optional<std::string> node;  ///< taxonomy code; none for map-wide concerns
    std::string node_name;
    std::string concern;
    std::string severity;
    std::string basis;
    std::vector<std::string> kinds;    ///< in report order
    std::vector<std::string> reasons;  ///< short phrases for people
    std::string detail;                ///< "Taxation: 1 mechanism (single point of failure) ...; national only"
    std::vector<std::string> mechanisms;
};

/// The concerns in the order reports list them.
const std::vector<std::string>& concern_kinds();

struct Broker {
    std::string slug;
    double betweenness;
};

/// What the linkage graph says of one mechanism.
struct MechanismMetrics {
    double betweenness = 0;
    bool articulation_point = false;
};

struct MechanismInfo {
    std::string slug, name, acronym, scope, model, centrality, status;
    /// "Name (ACRONYM)", or the name alone when it has no acronym or holds it.
    std::string display() const;
    std::optional<std::string> source_title, source_url;
};

/// What changed for one node between the compared year and the report's year.
struct NodeChange {
    std::string code, name;
    std::vector<std::string> added, ended;        ///< mechanisms (names) counted now but not then, and then but not now
    std::vector<std::string> appeared, resolved;  ///< concerns (their sentences) new now, and gone since
};

struct Comparison {
    std::optional<int> year;              ///< then: the map as it stood during this year (--compare YEAR)
    std::optional<std::string> recorded;  ///< or then: the map as recorded at this moment (--compare DATE), UTC
    std::vector<NodeChange> nodes;        ///< the nodes with any change, in taxonomy order
    /// "2014", or "the map as recorded on 2026-11-20": for people.
    std::string label() const;
};

struct GapReport {
    std::string generated_at;  ///< UTC, ISO 8601
    queries::MapInfo map;      ///< the map's data version and date
    GapOptions options;
    std::vector<std::string> regions;       ///< region codes, tree order
    std::vector<std::string> heat_regions;  ///< the regions shown as heat-map columns
    std::vector<std::string> stakeholder_groups;
    std::map<std::string, std::string> region_names, group_names;  ///< code -> name
    std::vector<NodeCoverage> nodes;                               ///< taxonomy order
    std::vector<Finding> findings;                                 ///< severity, kind, node order
    std::vector<Concern> concerns;                                 ///< severity, basis, node order: what reports show
    std::optional<Comparison> comparison;                          ///< with GapOptions::compare
    /// What the sources say of gaps, for every node under --under (whatever
    /// --level): code, name, note, in taxonomy order.
    std::vector<std::array<std::string, 3>> source_notes;
    std::vector<Broker> brokers;
    /// Betweenness is exact when this equals the number of mechanisms, else
    /// estimated from this many sources (see graph/linkage.hpp).
    std::size_t betweenness_sources = 0;
    std::size_t mechanisms_in_graph = 0;
    std::map<std::string, MechanismInfo> mechanisms;  ///< every counted mechanism, by slug
    /// Every mechanism of the linkage graph (not only those in scope), by slug:
    /// what exports attach to mechanism nodes.
    std::unordered_map<std::string, MechanismMetrics> metrics;
};

/// Analyses the map as the transaction `tx` sees it: coverage, the linkage
/// graph loaded once, each analytic computed once. Throws
/// std::invalid_argument for an unknown --under code, level or finding kind.
GapReport analyse(db::Transaction& tx, const GapOptions& options);

/// The same in a read-only snapshot of its own (REPEATABLE READ READ ONLY).
GapReport analyse(db::Connection& conn, const GapOptions& options);

/// A moment in the map's recorded history: `when` is a date (YYYY-MM-DD: the
/// end of that day, UTC) or a time (YYYY-MM-DDTHH:MM[:SS][Z|±HH[:MM]]).
/// Returns it as UTC text; throws std::invalid_argument for anything else.
std::string recorded_moment(db::Connection& conn, const std::string& when);

/// Analyses the map as it was recorded at `moment` (recorded_moment's text):
/// rebuilt from history (rewind_map, migration 0010) in a transaction of its
/// own that is rolled back. Throws std::invalid_argument when history does
/// not reach back that far.
GapReport analyse_recorded(db::Connection& conn, const GapOptions& options, const std::string& moment);

/// Then and now, node by node: mechanisms added and ended, concerns that
/// appeared or were resolved. `year` or `recorded` says what `then` is.
Comparison compare(const GapReport& then, const GapReport& now, std::optional<int> year,
                   std::optional<std::string> recorded);

}  // namespace govmap::analysis
