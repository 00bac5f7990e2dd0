#pragma once
// Record-by-record changes (import --dry-run, proposals, review show) as text
// and JSON, shared by the commands that print them.
#include "importer/importer.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace govmap::cli {

/// "update mechanism un-gge (file.csv:2)" and one indented line per field.
std::string render_changes(const std::vector<importer::RecordChange>& changes, bool include_unchanged = false);
nlohmann::json changes_json(const std::vector<importer::RecordChange>& changes);

/// One field's change: `name: "old" -> "new"`.
std::string render_field(const importer::FieldChange& f, const std::string& op);
nlohmann::json field_json(const importer::FieldChange& f);

}  // namespace govmap::cli
