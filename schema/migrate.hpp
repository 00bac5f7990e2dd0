#pragma once
// Numbered SQL migrations, compiled into the binary, applied in order, each
// in its own transaction, recorded in schema_migrations.
#include "schema/db.hpp"

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace govmap::schema {

struct Migration {
    int version;
    const char* name;
    const char* checksum;  ///< SHA-256 of the file, computed at build time
    const char* sql;
};

/// The migrations under schema/migrations/, in version order.
const std::vector<Migration>& embedded_migrations();

/// The database and this binary disagree about the schema: it was migrated by
/// a newer govmap, or an applied migration's text has changed since.
class SchemaConflict : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class MigrationState { applied, pending };

struct MigrationStatus {
    int version;
    std::string name;
    MigrationState state;
    std::optional<std::string> applied_at;
};

/// Applied and pending migrations. Throws SchemaConflict as migrate() would.
std::vector<MigrationStatus> migration_status(db::Connection& conn,
                                              const std::vector<Migration>& known = embedded_migrations());

/// Applies pending migrations; returns the versions applied (none when up to
/// date). Concurrent callers are serialised by an advisory lock.
std::vector<int> migrate(db::Connection& conn, const std::vector<Migration>& known = embedded_migrations(),
                         const std::function<void(const Migration&)>& on_apply = {});

}  // namespace govmap::schema
