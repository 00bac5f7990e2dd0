#pragma once
// Files written all-or-nothing, and standard output whose failures are not
// ignored: what every --out and every printed report goes through.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <ostream>

namespace govmap::cli {

/// A file that appears complete or not at all. The text goes to a temporary
/// file created exclusively (mkstemp: O_EXCL, no link followed) in the
/// target's directory; commit() flushes, fsyncs and renames it over the
/// target, so concurrent writers each leave a complete file (the last rename
/// wins) and a failure leaves the old file untouched. A target that exists and
/// is not a regular file (a device, FIFO, directory or symbolic link) is
/// refused. Throws Failure (exit 1, or 2 for a refused target).
class OutputFile {
public:
    explicit OutputFile(std::filesystem::path target);
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    std::ostream& stream();
    void commit();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Writes `text` to `path` through an OutputFile.
void write_file(const std::filesystem::path& path, const std::string& text);

/// Flushes standard output (C and C++ streams) and throws Failure (exit 1)
/// if anything written to it failed: a full disk or a closed pipe is an error.
void check_stdout();

}  // namespace govmap::cli
