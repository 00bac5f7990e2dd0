#pragma once
// What the map holds, for people and scripts: the listings behind `govmap
// list` and one mechanism with everything linked to it (`govmap show`).
#include "queries/graph.hpp"
#include "schema/db.hpp"

#include <optional>
#include <string>

namespace govmap::queries {

enum class Listing { areas, mechanisms, sources, regions };

/// Every area, mechanism or source, or only those under the taxonomy node
/// `under` (throws UnknownName when no node has that code); every region
/// (`under` does not apply) with the mechanisms operating in it or inside it. Rows are sorted
/// by their key; every column is text.
db::Result list(db::Transaction& tx, Listing what, const std::optional<std::string>& under);

/// The map's own identity (map_info): empty strings when unset.
struct MapInfo {
    std::string data_version, data_date;
    /// "Map data version 2.0.0 (2026-11-26)" or "Map data version: not set".
    std::string describe() const;
};
MapInfo map_info(db::Transaction& tx, bool include_proposed = false);

/// One mechanism and the rows linked to it, each section sorted.
struct MechanismDetail {
    db::Result mechanism;  ///< one row: attributes, review, version, source key
    db::Result areas, relations, stakeholders, regions, assessments, sources;
};

/// The mechanism whose slug is `key` (or, failing that, whose acronym or name
/// is `key`, ignoring case); nullopt when there is none.
std::optional<MechanismDetail> find_mechanism(db::Transaction& tx, const std::string& key);

}  // namespace govmap::queries
