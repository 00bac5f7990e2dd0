#include "schema/migrate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace govmap::schema {

namespace {

// Any constant will do; it only has to be the same for every govmap.
constexpr const char* lock_key = "7412093318274001";

struct Recorded {
    std::string name;
    std::string checksum;
    std::string applied_at;
};

std::map<int, Recorded> recorded(db::Transaction& tx)
{
    std::map<int, Recorded> out;
    if (tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL AS present").text(0, "present") == "f")
        return out;
    auto r = tx.exec("SELECT version, name, checksum, applied_at::text AS applied_at FROM schema_migrations");
    for (std::size_t i = 0; i < r.size(); ++i)
        out[std::stoi(r.text(i, "version"))] = {r.text(i, "name"), r.text(i, "checksum"), r.text(i, "applied_at")};
    return out;
}

void check_agreement(const std::map<int, Recorded>& applied, const std::vector<Migration>& known)
{
    int newest_known = known.empty() ? 0 : known.back().version;
    for (const auto& [version, rec] : applied) {
        int wanted = version;  // a lambda may not capture a structured binding before C++20
        auto it = std::find_if(known.begin(), known.end(), [&](const Migration& m) { return m.version == wanted; });
        if (it == known.end()) {
            if (version > newest_known)
                throw SchemaConflict(fmt::format(
                    "the database schema is newer than this govmap: migration {:04d}_{} was applied by a later "
                    "version (this binary knows up to {:04d}); upgrade govmap",
                    version, rec.name, newest_known));
            throw SchemaConflict(fmt::format(
                "the database records migration {:04d}_{}, which this govmap does not have", version, rec.name));
        }
        if (rec.checksum != it->checksum)
            throw SchemaConflict(fmt::format(
                "migration {:04d}_{} has changed since it was applied to this database (recorded checksum {}, "
                "this govmap has {}); applied migrations must never be edited: add a new migration instead",
                version, it->name, rec.checksum.substr(0, 12), std::string(it->checksum).substr(0, 12)));
    }
}

}  // namespace

std::vector<MigrationStatus> migration_status(db::Connection& conn, const std::vector<Migration>& known)
{
    auto tx = conn.begin();
    auto applied = recorded(tx);
    check_agreement(applied, known);
    std::vector<MigrationStatus> out;
    for (const auto& m : known) {
        auto it = applied.find(m.version);
        if (it != applied.end())
            out.push_back({m.version, m.name, MigrationState::applied, it->second.applied_at});
        else
            out.push_back({m.version, m.name, MigrationState::pending, std::nullopt});
    }
    return out;
}

std::vector<int> migrate(db::Connection& conn, const std::vector<Migration>& known,
                         const std::function<void(const Migration&)>& on_apply)
{
    // A session-level lock outlives the per-migration transactions below.
    conn.begin(db::Isolation::autocommit).exec("SELECT pg_advisory_lock($1::bigint)", {std::string(lock_key)});
    struct Unlock {
        db::Connection& conn;
        ~Unlock()
        {
            try {
                conn.begin(db::Isolation::autocommit)
                    .exec("SELECT pg_advisory_unlock($1::bigint)", {std::string(lock_key)});
            } catch (...) {
                // The lock ends with the session anyway.
            }
        }
    } unlock{conn};

    conn.in_transaction([](db::Transaction& tx) {
        tx.exec(R"(CREATE TABLE IF NOT EXISTS schema_migrations (
                     version    integer PRIMARY KEY,
                     name       text NOT NULL,
                     checksum   text NOT NULL,
                     applied_at timestamptz NOT NULL DEFAULT now()))");
    });

    std::vector<int> done;
    auto tx = conn.begin();
    auto applied = recorded(tx);
    tx.commit();
    check_agreement(applied, known);
    for (const auto& m : known) {
        if (applied.count(m.version))
            continue;
        if (on_apply)
            on_apply(m);
        auto step = conn.begin();
        try {
            step.exec(m.sql);
        } catch (const db::Error& e) {
            throw db::Error(fmt::format("migration {:04d}_{} failed: {}", m.version, m.name, e.what()), e.sqlstate());
        }
        step.exec("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                  {std::to_string(m.version), std::string(m.name), std::string(m.checksum)});
        step.commit();
        done.push_back(m.version);
    }
    return done;
}

}  // namespace govmap::schema
