#pragma once
// Review of proposals (docs/contributing-data.md): list and show them, accept
// (apply through the importer, refusing a stale base version), reject or
// withdraw them; the map as if every open proposal were accepted; history.
// PostgreSQL enforces who may do what (roles, row-level security); these
// functions only say it clearly first.
#include "importer/importer.hpp"
#include "schema/db.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace govmap::review {

/// The proposal is no longer open, or the map changed under it (exit 4).
class Conflict : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// No such proposal, or it no longer passes the importer's checks (exit 3).
class Invalid : public std::runtime_error {
public:
    explicit Invalid(const std::string& message, std::vector<importer::Problem> problems = {})
        : std::runtime_error(message), problems(std::move(problems))
    {
    }
    std::vector<importer::Problem> problems;
};

/// The database role may not do this (exit 6).
class NotPermitted : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Proposal {
    long id = 0;
    std::string summary, author, created_at, status;
    std::optional<std::string> decided_by, decided_at, note;
    long records = 0;
    std::string changes;  ///< "2 insert, 1 update"
};

struct Record {
    int seq = 0;
    std::string type, op, location, key;
    std::vector<importer::FieldChange> fields;  ///< against the accepted record when proposed
    std::optional<int> base_version;            ///< the accepted row's version when proposed
    std::optional<int> current_version;         ///< its version now (none: not in the map)
    bool stale() const { return base_version != current_version; }
};

struct Detail {
    Proposal proposal;
    std::vector<Record> records;
    std::vector<std::string> duplicates;  ///< "gfce-2 is like gfce (Global Forum ..., similarity 0.92)"
    std::vector<std::string> sources;     ///< "key: title <url>"
};

struct ListOptions {
    std::optional<std::string> status = std::string("open");  ///< nullopt: every status
    bool mine = false;                                        ///< only the acting user's
};

std::vector<Proposal> list(db::Transaction& tx, const ListOptions& options);
Detail show(db::Transaction& tx, long id);

/// Accepts every proposal in `ids` in one transaction (all or none), as
/// `actor` (the OS user on a single-user database; the role otherwise).
void accept(db::Connection& conn, const std::vector<long>& ids, const std::string& note, const std::string& actor);
void reject(db::Connection& conn, const std::vector<long>& ids, const std::string& note, const std::string& actor);
/// A contributor takes back their own open proposals.
void withdraw(db::Connection& conn, const std::vector<long>& ids, const std::string& note, const std::string& actor);

/// Applies every open proposal, oldest first, to the map inside `tx` with
/// review status proposed; such a transaction can never commit. Returns a
/// warning for each proposal that does not apply on top of the others.
std::vector<std::string> preview(db::Transaction& tx);

/// A read transaction on the accepted map, or (include_proposed) on the map
/// as if every open proposal were accepted.
/// `writable`: the caller writes temporary tables (exports).
db::Transaction open_map(db::Connection& conn, bool include_proposed, std::vector<std::string>* warnings = nullptr,
                         bool writable = false);

struct Change {
    long id = 0;
    std::string at, actor, table, operation, key, decision;
    std::optional<long> proposal;
    std::vector<importer::FieldChange> fields;  ///< what changed (insert: every field, delete: every field)
};

/// Changes to the map, oldest first: all, or those of one mechanism (and its
/// links), since a date (YYYY-MM-DD or an ISO timestamp).
std::vector<Change> history(db::Transaction& tx, const std::optional<std::string>& mechanism,
                            const std::optional<std::string>& since);

}  // namespace govmap::review
