#pragma once
// Completeness of the map: what each mechanism lacks that the gap report
// relies on (govmap check). Missing data is reported, never guessed.
#include "schema/db.hpp"

#include <vector>

namespace govmap::queries {

/// One row per missing item, sorted by mechanism and item. Columns: slug,
/// name, item (founded, ended, participation, regions, source, areas,
/// link_source), detail. Only accepted rows are checked unless
/// `include_proposed`.
db::Result missing_data(db::Transaction& tx, bool include_proposed);

/// How many mechanisms missing_data() checks.
long checked_mechanisms(db::Transaction& tx, bool include_proposed);

/// The items `govmap check` knows, in the order it reports them, each with
/// what it means.
struct CheckItem {
    const char* item;
    const char* meaning;
};
const std::vector<CheckItem>& check_items();

}  // namespace govmap::queries
