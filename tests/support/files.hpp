#pragma once
// Temporary input files and a fingerprint of everything govmap stores.
#include "schema/db.hpp"

#include <filesystem>
#include <string>

namespace govmap::test {

/// A directory under /tmp, deleted at the end of the test.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// Writes `content` to `name` inside the directory; returns the path.
    std::string write(const std::string& name, const std::string& content) const;
    const std::filesystem::path& path() const { return dir_; }

private:
    std::filesystem::path dir_;
};

/// One md5 over every row of every govmap table, so that "the database is
/// unchanged" can be asserted exactly.
std::string fingerprint(db::Connection& conn);

/// The map's content without ids, timestamps, contributors or versions, and
/// with sources named by URL (keys are local names): equal for two databases
/// that hold the same facts.
std::string content(db::Connection& conn);

/// Runs one query and returns its first field.
std::string scalar(db::Connection& conn, const std::string& sql, const db::Params& params = {});

}  // namespace govmap::test
