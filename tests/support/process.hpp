#pragma once
// Runs the govmap executable the way a user would and captures what it says.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace govmap::test {

struct Output {
    int code = -1;
    std::string out;
    std::string err;
    long max_rss_kib = 0;  ///< the peak resident memory of govmap itself (RunOptions::measure_memory)
    std::string all() const { return out + err; }
};

struct RunOptions {
    /// Variables to set (a value) or remove (nullopt) for the child.
    std::map<std::string, std::optional<std::string>> env;
    /// Run as this user (the test must be root).
    std::optional<std::string> as_user;
    /// Use this executable instead of the build's govmap.
    std::optional<std::string> binary;
    /// Standard input read from this file (default: /dev/null).
    std::optional<std::string> stdin_path = {};
    /// Measure govmap's peak memory with /usr/bin/time. (A child forked from
    /// the test starts as a copy of it, and the kernel counts that copy in
    /// the child's peak: only a small parent measures govmap alone.)
    bool measure_memory = false;
};

Output run_govmap(const std::vector<std::string>& args, const RunOptions& options = {});

/// Environment changes that hide every PG* variable, so that govmap falls
/// back to its embedded cluster.
std::map<std::string, std::optional<std::string>> without_libpq_env();

}  // namespace govmap::test
