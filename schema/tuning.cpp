#include "schema/tuning.hpp"

#include "schema/db.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace govmap::db {

namespace {

constexpr std::uint64_t MiB = std::uint64_t{1024} * 1024;

std::string size_text(std::uint64_t bytes)
{
    if (bytes % (1024 * MiB) == 0)
        return fmt::format("{}GB", bytes / (1024 * MiB));
    return fmt::format("{}MB", bytes / MiB);
}

}  // namespace

std::vector<ServerSetting> recommended_settings(std::uint64_t memory_bytes)
{
    // An embedded cluster shares the machine with its user's other work: a
    // sixteenth of RAM for shared buffers, never more than 1 GB, never less
    // than PostgreSQL's own default.
    const std::uint64_t buffers = std::clamp<std::uint64_t>(memory_bytes / 16 / MiB, 128, 1024) * MiB;
    const std::uint64_t cache = std::max<std::uint64_t>(memory_bytes / 2 / MiB, 128) * MiB;
    return {
        {"shared_buffers", size_text(buffers),
         "keeps a large map's links and coverage indexes in the server's own cache (restart to apply)"},
        {"effective_cache_size", size_text(cache),
         "tells the planner the OS caches the rest, so it prefers index plans where they pay"},
        {"work_mem", "64MB",
         "the coverage and linkage hash joins over millions of links stay in memory instead of spilling"},
        {"maintenance_work_mem", "256MB", "index builds and ANALYZE after a bulk import sort in memory"},
        {"max_wal_size", "4GB", "a bulk import does not force a checkpoint every gigabyte of WAL"},
        {"jit", "off",
         "compiling govmap's queries costs more than it saves; its sessions turn JIT off, this covers psql", false},
    };
}

std::uint64_t physical_memory()
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
}

std::vector<SettingCheck> check_settings(Connection& conn, const std::vector<ServerSetting>& advised)
{
    auto tx = conn.begin(Isolation::snapshot);
    std::vector<SettingCheck> checks;
    for (const auto& s : advised) {
        auto r = tx.exec("SELECT current_setting($1) AS current, "
                         "CASE WHEN $3::boolean THEN pg_size_bytes(current_setting($1)) >= pg_size_bytes($2) "
                         "ELSE current_setting($1) = $2 END AS ok",
                         {s.name, s.value, s.at_least ? "true" : "false"});
        checks.push_back({s, r.text(0, "current"), r.text(0, "ok") == "t"});
    }
    tx.commit();
    return checks;
}

}  // namespace govmap::db
