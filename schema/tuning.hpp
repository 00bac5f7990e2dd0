#pragma once
// Server settings for govmap's workload: bulk COPY imports and set-based
// coverage queries over millions of links. govmap writes them into its
// embedded cluster; a server it does not own only gets them as advice.
#include <cstdint>
#include <string>
#include <vector>

namespace govmap::db {

class Connection;

struct ServerSetting {
    std::string name;
    std::string value;  ///< as postgresql.conf spells it, e.g. "64MB"
    std::string why;
    /// A size: the server's value is enough when it is at least `value`.
    /// Otherwise it must equal `value`.
    bool at_least = true;
};

/// The settings for a machine with `memory_bytes` of RAM.
std::vector<ServerSetting> recommended_settings(std::uint64_t memory_bytes);

/// This machine's physical memory.
std::uint64_t physical_memory();

struct SettingCheck {
    ServerSetting advised;
    std::string current;  ///< as the server reports it (SHOW)
    bool ok = false;
};

/// Each advised setting beside the server's current value.
std::vector<SettingCheck> check_settings(Connection& conn, const std::vector<ServerSetting>& advised);

}  // namespace govmap::db
