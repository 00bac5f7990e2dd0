#pragma once
// Rows of text printed as an aligned table, JSON or CSV.
#include "schema/db.hpp"

#include <string>
#include <vector>

namespace govmap::output {

enum class Format { table, json, csv };

Format parse_format(const std::string& name);

/// Only the `keep` columns of `result`, in that order (the table view of a wider result).
db::Result narrow(const db::Result& result, const std::vector<std::string>& keep);

/// The rows as a JSON array of objects (column name: text or null), as
/// `--format json` prints them.
std::string result_json(const db::Result& result);

/// Prints `result` in `format`. A table fits `width` columns: the column
/// named `shrink` gives way (with an ellipsis) when the rows are too wide.
void print_result(const db::Result& result, Format format, const std::string& shrink = {}, std::size_t width = 80);

}  // namespace govmap::output
