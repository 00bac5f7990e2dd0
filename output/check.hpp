#pragma once
// govmap check's report: what the map lacks, per mechanism and per item.
#include "queries/check.hpp"

#include <string>

namespace govmap::output {

enum class CheckFormat { text, json, csv };

/// `missing` is queries::missing_data's result; `mechanisms` how many were checked.
std::string render_check(const db::Result& missing, long mechanisms, CheckFormat format);

}  // namespace govmap::output
