#include "cli/context.hpp"

#include "schema/embedded.hpp"
#include "schema/migrate.hpp"

namespace govmap::cli {

db::Connection Context::connect(bool require_current_schema) const
{
    auto t = target();
    if (t.origin == db::Origin::embedded) {
        embedded::Cluster cluster(embedded::default_layout());
        cluster.ensure_running([this](const std::string& m) { info("{}", m); });
        debug("using the embedded database {}", cluster.uri());
        db::Connection conn(cluster.uri());
        schema::migrate(conn, schema::embedded_migrations(), [this](const schema::Migration& m) {
            info("applying migration {:04d}_{}", m.version, m.name);
        });
        return conn;
    }
    debug("using the database from {}: {}", db::origin_name(t.origin), db::describe_conninfo(t.conninfo));
    db::Connection conn(t.conninfo);
    if (require_current_schema) {
        int pending = 0;
        for (const auto& m : schema::migration_status(conn))
            pending += m.state == schema::MigrationState::pending;
        if (pending)
            throw Failure(exit_failure, fmt::format("the database {} has {} pending migration(s): run `govmap migrate`",
                                                    db::describe_conninfo(t.conninfo), pending));
    }
    return conn;
}

}  // namespace govmap::cli
