#pragma once
// Options that several commands share: which part of the map (export, draw)
// and how coverage is counted (export --with-gaps, draw), so that each reads
// and means the same everywhere.
#include "analysis/gaps.hpp"
#include "queries/graph.hpp"

#include <set>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace govmap::cli {

struct MapSelection {
    std::string under, region, as_of = "today";
    std::vector<std::string> scopes, models;
    bool include_proposed = false;
    /// The filter these options describe (node kinds and relations left
    /// empty). Throws Failure(exit_usage) for a bad --as-of.
    queries::GraphFilter filter() const;
};

/// The values of a repeatable, comma-separated option, without empty ones.
std::set<std::string> comma_set(const std::vector<std::string>& items);

/// --under, --scope, --model, --region, --include-proposed, --as-of.
void add_selection_options(CLI::App* cmd, MapSelection& selection);

/// --primary-only, --active-only, --with-observatories, --min-mechanisms;
/// `when` opens each help text ("With --with-gaps: count", "Count coverage").
void add_counting_options(CLI::App* cmd, analysis::GapOptions& gaps, const std::string& when);

}  // namespace govmap::cli
