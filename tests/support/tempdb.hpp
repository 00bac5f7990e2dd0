#pragma once
// A fresh database per test process on the throwaway cluster that
// `pg_virtualenv` (or any PG* environment) points at.
#include "schema/db.hpp"

#include <string>

namespace govmap::test {

class TempDatabase {
public:
    /// Creates an empty database; `migrated` applies govmap's migrations.
    explicit TempDatabase(bool migrated = true);
    /// Drops it, unless GOVMAP_KEEP_TEST_DB=1.
    ~TempDatabase();
    TempDatabase(const TempDatabase&) = delete;
    TempDatabase& operator=(const TempDatabase&) = delete;

    const std::string& name() const { return name_; }
    /// key=value conninfo: the database name; host, user and password come
    /// from the PG* environment.
    std::string conninfo() const { return "dbname=" + name_; }
    db::Connection connect() const { return db::Connection(conninfo()); }

private:
    std::string name_;
};

}  // namespace govmap::test
