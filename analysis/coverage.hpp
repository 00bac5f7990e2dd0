#pragma once
// Coverage of every taxonomy node, counted in C++ from one COPY of each link
// table instead of five SQL passes that each recompute covering_mechanisms
// (issue 12: at 100 000 mechanisms those passes took most of a gap report).
// The SQL functions of migrations 0007, 0014 and 0015 (covering_mechanisms,
// coverage, coverage_by_region, coverage_by_stakeholder, assessment_coverage)
// stay the public definition; tests/test_coverage_counts.cpp checks that
// these counts equal theirs under every switch.
#include "analysis/gaps.hpp"
#include "schema/db.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace govmap::analysis {

/// One counted mechanism (mechanism_counts under the report's switches).
struct CountedMechanism {
    std::int64_t id = 0;
    MechanismInfo info;
    bool founded_unknown = false;
    bool multistakeholder = false;       ///< participation() says so
    bool participation_unknown = false;  ///< participation() knows nothing
    bool regions_unknown = false;        ///< not global and no counted region row
};

struct AreaCoverage {
    std::vector<std::uint32_t> mechanisms;  ///< indexes into Coverage::mechanisms, ascending
    /// coverage_by_region's and coverage_by_stakeholder's counts, for every
    /// counted region and stakeholder group (0 included), keyed by code.
    std::map<std::string, long> by_region, by_group;
    /// assessment_coverage: principle -> (assessments, best score).
    std::map<std::string, std::pair<long, int>> assessed;
};

struct Coverage {
    std::vector<CountedMechanism> mechanisms;
    /// Every issue area by id, counted or not (coverage_nodes picks which to report).
    std::unordered_map<std::int64_t, AreaCoverage> areas;
};

/// Reads the map through `tx` (sets govmap.as_of for its COPYs).
Coverage count_coverage(db::Transaction& tx, const GapOptions& options);

}  // namespace govmap::analysis
