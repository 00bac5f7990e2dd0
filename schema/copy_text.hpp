#pragma once
// PostgreSQL's COPY text format (tab-separated, \N for NULL, backslash escapes).
#include "schema/db.hpp"

#include <string>
#include <vector>

namespace govmap::db {

/// One row as a COPY text line, without the trailing newline.
std::string encode_copy_line(const std::vector<Value>& row);
/// Splits and unescapes one COPY text line (no trailing newline).
std::vector<Value> decode_copy_line(const std::string& line);

}  // namespace govmap::db
