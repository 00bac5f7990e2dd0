#pragma once
// A gap report as text for a terminal, Markdown for a document, JSON for
// scripts (docs/gaps.md), CSV (the coverage matrix) or one self-contained HTML
// file with an SVG heat map.
#include "analysis/gaps.hpp"

#include <string>

namespace govmap::output {

/// csv is the coverage matrix; csv_findings one row per finding.
enum class ReportFormat { text, markdown, json, csv, csv_findings, html };

/// `colour` adds ANSI colours to the text format only.
std::string render(const analysis::GapReport& report, ReportFormat format, bool colour = false);

}  // namespace govmap::output
