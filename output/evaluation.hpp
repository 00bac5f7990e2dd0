#pragma once
// `govmap evaluate` as text, Markdown, JSON, CSV or one self-contained HTML file.
#include "evaluation/evaluation.hpp"

#include <string>

namespace govmap::output {

enum class EvaluationFormat { text, markdown, json, csv, html };

/// With `evidence`, text output lists every observation under its criterion
/// (always so for a single mechanism; the other formats always carry it).
std::string render(const evaluation::Evaluation& e, EvaluationFormat format, bool evidence);

}  // namespace govmap::output
