#pragma once
// govmap's importer: files -> validated records -> COPY into staging -> one
// merging transaction. Either every row is checked and merged, or nothing is
// written and every problem is reported.
#include "schema/db.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace govmap::importer {

/// One input, already read into memory.
struct InputFile {
    std::string name;  ///< used in messages (FILE:LINE:FIELD)
    std::string text;
    std::optional<std::string> format;  ///< csv, spreadsheet or json; default: by extension and header
    std::optional<std::string> type;    ///< record type of a CSV file; default: by file name or header
};

/// Reads a file from disk; throws std::runtime_error naming the file.
InputFile read_input(const std::string& path);

struct Options {
    bool dry_run = false;
    /// Source (key or URL) for rows that name none.
    std::optional<std::string> default_source;
    /// contributed_by of inserted and changed rows.
    std::string contributor;
    /// review_status of inserted and changed rows: proposed or accepted.
    std::string status = "accepted";
    /// Refuse a new mechanism that is probably one the map (or the files)
    /// already hold: the same name, acronym or address, or a name whose
    /// initials are another's acronym. Slugs in allow_duplicates are let through.
    bool check_duplicates = true;
    std::set<std::string> allow_duplicates;
    /// Told what the import is doing ("reading FILE", "merging mechanisms", ...).
    std::function<void(const std::string&)> progress;
};

struct Problem {
    std::string where;  ///< FILE:LINE:FIELD, or FILE:/json/pointer
    std::string message;
};

struct Counts {
    std::size_t inserted = 0, updated = 0, unchanged = 0;
};

struct Report {
    std::vector<Problem> problems;         ///< non-empty: nothing was written
    std::map<std::string, Counts> counts;  ///< by record type
    std::size_t rows = 0;                  ///< records read
    bool dry_run = false;
};

/// Validates and merges `files` into the database in one transaction.
/// Returns the problems instead when there are any (the database is then
/// unchanged). Database failures throw db::Error.
Report import(db::Connection& conn, const std::vector<InputFile>& files, const Options& options);

/// The record types in merge order: sources, areas, mechanisms, ...
std::vector<std::string> record_type_names();

}  // namespace govmap::importer
