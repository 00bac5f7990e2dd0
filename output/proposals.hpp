#pragma once
// Proposals as JSON, the same for `govmap review list|show --format json` and
// the web API (/api/v1/proposals).
#include "review/review.hpp"

#include <string>
#include <vector>

namespace govmap::output {

/// An array of proposals: id, summary, author, created_at, status, decided_by,
/// decided_at, note, records, changes.
std::string proposals_json(const std::vector<review::Proposal>& proposals);

/// One proposal with its records as field-level differences from the
/// accepted map, possible duplicates and sources.
std::string proposal_json(const review::Detail& detail);

}  // namespace govmap::output
