#pragma once
// A gap report as text for a terminal, Markdown for a document, JSON for
// scripts (docs/gaps.md), CSV (the coverage matrix) or one self-contained HTML
// file with an SVG heat map.
#include "analysis/gaps.hpp"

#include <string>

namespace govmap::output {

/// csv is the coverage matrix; csv_findings one row per finding.
enum class ReportFormat { text, markdown, json, csv, csv_findings, html };

/// `colour` adds ANSI colours to the text format only. `picture`, an SVG
/// element (picture::inline_svg), goes into the HTML format after the heat map.
std::string render(const analysis::GapReport& report, ReportFormat format, bool colour = false,
                   const std::string& picture = {});

}  // namespace govmap::output
