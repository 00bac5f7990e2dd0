#pragma once
// govmap's one vocabulary: every enumerated value of the data model, in the
// order the database declares it. The importer's validation, the report's
// columns, the export's filters and docs/import.schema.json are built from
// (or checked against) these lists; tests/test_vocabulary.cpp fails when any
// of them, or the database's enum types, disagree.
#include <string>
#include <string_view>
#include <vector>

namespace govmap::vocab {

struct Enumeration {
    std::string name;                 ///< the PostgreSQL enum type, or a label for view-only lists
    bool sql_enum;                    ///< a CREATE TYPE ... AS ENUM in schema/migrations
    std::vector<std::string> values;  ///< in declaration order

    bool contains(std::string_view value) const;
    /// "a, b or c", for messages.
    std::string listed() const;
};

/// Every enumeration, SQL enums first.
const std::vector<Enumeration>& enumerations();

/// The enumeration named `name`; throws std::out_of_range for an unknown name.
const Enumeration& get(std::string_view name);

// The names, so that callers cannot misspell them.
inline constexpr std::string_view review_status = "review_status";
inline constexpr std::string_view proposal_status = "proposal_status";
inline constexpr std::string_view area_level = "area_level";
inline constexpr std::string_view mechanism_kind = "mechanism_kind";
inline constexpr std::string_view mechanism_scope = "mechanism_scope";
inline constexpr std::string_view governance_model = "governance_model";
inline constexpr std::string_view centrality = "centrality";
inline constexpr std::string_view mechanism_status = "mechanism_status";
inline constexpr std::string_view area_strength = "area_strength";
inline constexpr std::string_view relation_kind = "relation_kind";
inline constexpr std::string_view stakeholder_role = "stakeholder_role";
inline constexpr std::string_view principle = "principle";
inline constexpr std::string_view observation_value = "observation_value";
inline constexpr std::string_view criterion_rating = "criterion_rating";
/// The kinds of node in the graph_node view (not an SQL enum).
inline constexpr std::string_view node_kind = "node_kind";
/// The kinds of edge in the graph_edge view: the relation kinds and the
/// edges made from other tables (not an SQL enum).
inline constexpr std::string_view edge_kind = "edge_kind";

}  // namespace govmap::vocab
