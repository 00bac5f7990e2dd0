#pragma once
// Finding mechanisms by what people remember of them (govmap search).
#include "schema/db.hpp"

#include <string>

namespace govmap::queries {

/// Mechanisms whose name, acronym, description or URL is like `text`, best
/// first, at most `limit`, those scoring below `min_score` (0 to 1) left out.
/// Columns: slug, name, acronym, scope, status, score (two decimals).
db::Result search_mechanisms(db::Transaction& tx, const std::string& text, int limit, double min_score,
                             bool include_proposed = false);

}  // namespace govmap::queries
