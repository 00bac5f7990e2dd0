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

/// One input: a file read as a stream while it is imported, or text in memory.
struct InputFile {
    std::string name;                   ///< used in messages (FILE:LINE:FIELD)
    std::string text;                   ///< the content, when `path` is empty
    std::optional<std::string> format;  ///< csv, spreadsheet or json; default: by extension and header
    std::optional<std::string> type;    ///< record type of a CSV file; default: by file name or header
    std::string path = {};              ///< read from this file ("-": standard input) instead of `text`
};

/// An input read from `path` ("-": standard input) during the import, in
/// bounded memory (docs/import-format.md, "Limits"). Checks only that it can
/// be opened; throws std::runtime_error naming the file.
InputFile read_input(const std::string& path);

struct Options {
    bool dry_run = false;
    /// Source (key or URL) for rows that name none.
    std::optional<std::string> default_source;
    /// contributed_by of inserted and changed rows.
    std::string contributor;
    /// accepted: merge into the map (a reviewer's or the owner's import).
    /// proposed: store a proposal (docs/contributing-data.md) and leave the map as it is.
    std::string status = "accepted";
    /// The records name rows to remove (only their keys are read).
    bool remove = false;
    /// What a proposal is about (default: its number of changes and first file).
    std::string summary;
    /// Report every record's field-level difference from the map in
    /// Report::changes (always done for dry runs and proposals).
    bool collect_changes = false;
    /// Refuse a new mechanism that is probably one the map (or the files)
    /// already hold: the same name, acronym or address, or a name whose
    /// initials are another's acronym. Slugs in allow_duplicates are let through.
    bool check_duplicates = true;
    std::set<std::string> allow_duplicates;
    /// Check references, cycles and required fields against the map (off only
    /// for a preview, which applies proposals already checked).
    bool check_references = true;
    /// The proposal being applied (its own new mechanisms are no duplicates).
    long applying_proposal = -1;
    /// Told what the import is doing ("reading FILE", "merging mechanisms", ...).
    std::function<void(const std::string&)> progress;
};

struct Problem {
    std::string where;  ///< FILE:LINE:FIELD, or FILE:/json/pointer
    std::string message;
};

struct Counts {
    std::size_t inserted = 0, updated = 0, unchanged = 0, removed = 0;
};

struct FieldChange {
    std::string field;
    db::Value before;  ///< the accepted value (nullopt: none)
    db::Value after;   ///< the value given (nullopt: none, or removed)
};

/// What one record would do to the map, in the import format's terms.
struct RecordChange {
    std::string type;                 ///< record type, e.g. "mechanisms"
    std::string key;                  ///< its key fields, space-separated ("un-gge"; "igf addresses cyber")
    std::string location;             ///< FILE:LINE or FILE:/pointer
    std::string op;                   ///< insert, update, unchanged or delete
    std::optional<int> base_version;  ///< the accepted row's version (none: new)
    std::vector<FieldChange> fields;  ///< insert: every field given; update: the changed ones; delete: all
    std::string after;                ///< JSON: the key and every field given
    db::Value before;                 ///< JSON: the accepted record
};

struct Report {
    std::vector<Problem> problems;         ///< non-empty: nothing was written
    std::size_t omitted_problems = 0;      ///< more problems, beyond the first 1000, counted only
    std::map<std::string, Counts> counts;  ///< by record type
    std::size_t rows = 0;                  ///< records read
    bool dry_run = false;
    std::vector<RecordChange> changes;  ///< with Options::collect_changes
    std::optional<long> proposal;       ///< the proposal stored (status proposed, something to propose)
};

/// Validates and merges `files` into the database in one transaction.
/// Returns the problems instead when there are any (the database is then
/// unchanged). Database failures throw db::Error.
Report import(db::Connection& conn, const std::vector<InputFile>& files, const Options& options);

/// Applies stored proposal `proposal` to the map inside `tx`, with the same
/// checks and merge as an import (options.status: accepted on review,
/// proposed for a preview). Problems are returned, not thrown; the caller
/// then aborts. Takes no lock and changes no proposal: see review/.
Report apply_proposal(db::Transaction& tx, long proposal, const Options& options);

/// The table a record type is merged into ("mechanisms" -> "mechanism").
std::string table_of(const std::string& type);

/// The advisory lock every writer of the map holds (imports, proposals, reviews).
long write_lock_key();

/// The record types in merge order: sources, areas, mechanisms, ...
std::vector<std::string> record_type_names();

}  // namespace govmap::importer
