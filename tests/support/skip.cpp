#include "tests/support/skip.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace govmap::test {

namespace {
bool under_ci()
{
    const char* ci = std::getenv("CI");
    return ci && *ci && std::strcmp(ci, "false") != 0 && std::strcmp(ci, "0") != 0;
}
}  // namespace

void skip(const std::string& reason)
{
    std::printf("%s %s\n", skip_marker, reason.c_str());
    std::fflush(stdout);
    WARN("skipped: " << reason);
}

bool require_or_skip(bool condition, const std::string& reason)
{
    if (condition)
        return true;
    if (under_ci())
        FAIL("CI guarantees this, but it does not hold: " << reason);
    skip(reason);
    return false;
}

bool have_client(const std::string& what, const std::string& probe, const std::string& package)
{
    bool ok = std::system(("(" + probe + ") >/dev/null 2>&1").c_str()) == 0;
    return require_or_skip(ok, what + " is not available on this machine (" + package + "; probe: " + probe + ")");
}

}  // namespace govmap::test
