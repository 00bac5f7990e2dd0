#pragma once
// Skipping a test honestly. Catch2 2.13 has no SKIP, so a skipped test prints
// a marker line that ctest's SKIP_REGULAR_EXPRESSION (tests/CMakeLists.txt)
// reports as "Not Run (Skipped)" instead of "Passed". CI installs every client
// the tests use, so under CI (CI=true) a missing one fails the test instead.
#include <string>

namespace govmap::test {

/// The marker that ctest looks for.
inline constexpr const char* skip_marker = "GOVMAP-TEST-SKIPPED:";

/// Prints the skip marker with `reason`; the test should return right after.
void skip(const std::string& reason);

/// Whether the shell command `probe` succeeds. When it does not, the test is
/// reported as skipped (outside CI) or fails (under CI=true), naming `what`
/// and the Debian package that brings it.
bool have_client(const std::string& what, const std::string& probe, const std::string& package);

/// Under CI, a precondition CI guarantees (root, say) must hold: fails the
/// test when it does not; elsewhere skips. Returns `condition`.
bool require_or_skip(bool condition, const std::string& reason);

}  // namespace govmap::test
