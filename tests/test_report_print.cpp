// The HTML gap report in a real browser: headless Chromium renders the bundled
// map's report to PNG and to PDF, and the PDF starts every section on a page of
// its own with the expected text (pdftotext). The files are kept as artefacts.
#include "tests/support/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/tempdb.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

using namespace govmap;
namespace fs = std::filesystem;

namespace {

std::string shell(const std::string& command)
{
    std::string out;
    FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
    if (!p)
        return out;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
        out.append(buf, n);
    pclose(p);
    return out;
}

/// Headless Chromium kept off the network (this machine has none) with a profile of its own.
std::string chromium(const fs::path& profile)
{
    return "timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
           "--disable-background-networking --disable-component-update --disable-sync --user-data-dir='" +
           profile.string() + "' ";
}

/// The first non-empty line of a page of the PDF.
std::string first_line(const fs::path& pdf, int page)
{
    std::istringstream text(shell("pdftotext -layout -f " + std::to_string(page) + " -l " + std::to_string(page) +
                                  " '" + pdf.string() + "' -"));
    for (std::string line; std::getline(text, line);) {
        auto start = line.find_first_not_of(" \f\t");
        if (start != std::string::npos)
            return line.substr(start, line.find_last_not_of(" \t") - start + 1);
    }
    return {};
}

}  // namespace

TEST_CASE("Chromium renders the HTML report to a non-blank PNG and to a PDF with a page per section")
{
    if (!test::have_client("Chromium", "command -v chromium", "chromium") ||
        !test::have_client("pdftotext", "command -v pdftotext && command -v pdfinfo", "poppler-utils"))
        return;
    test::TempDatabase tdb;
    test::RunOptions env{{{"GOVMAP_DB", tdb.conninfo()}}, {}, {}};
    REQUIRE(test::run_govmap({"seed", "-q"}, env).code == 0);
    fs::path dir = fs::path(GOVMAP_ARTEFACT_DIR);
    fs::create_directories(dir);
    fs::path html = dir / "gaps.html", png = dir / "gaps.png", pdf = dir / "gaps.pdf", profile = dir / "chromium";
    fs::remove_all(profile);
    auto out = test::run_govmap({"gaps", "--format", "html", "--level", "area", "--out", html.string()}, env);
    INFO(out.all());
    REQUIRE(out.code == 0);
    fs::remove(png);
    fs::remove(pdf);
    shell(chromium(profile) + "--hide-scrollbars --window-size=1280,2000 --screenshot='" + png.string() + "' 'file://" +
          html.string() + "'");
    shell(chromium(profile) + "--no-pdf-header-footer --print-to-pdf='" + pdf.string() + "' 'file://" + html.string() +
          "'");
    REQUIRE(fs::exists(png));
    REQUIRE(fs::exists(pdf));
    // A blank 1280x2000 page compresses to a few kilobytes; the heat map alone is far more.
    CHECK(fs::file_size(png) > 50 * 1024);

    std::string info = shell("pdfinfo '" + pdf.string() + "'");
    auto at = info.find("Pages:");
    REQUIRE(at != std::string::npos);
    int pages = std::stoi(info.substr(at + 6));
    INFO("pages: " << pages);
    // Summary and heat map, coverage gaps, data gaps, sources on gaps, brokers,
    // node details: each section starts a page.
    CHECK(pages >= 6);
    std::map<std::string, int> starts;
    for (int p = 1; p <= pages; ++p)
        starts.emplace(first_line(pdf, p), p);
    CHECK(starts.count("Gap report") == 1);
    CHECK(starts["Gap report"] == 1);
    for (const char* heading :
         {"Coverage gaps", "Data gaps", "What the sources say of gaps", "Brokers", "Mechanisms by node"}) {
        INFO(heading);
        CHECK(starts.count(heading) == 1);
    }
    std::string all = shell("pdftotext '" + pdf.string() + "' -");
    CHECK(all.find("Map data version 2.1.0") != std::string::npos);
    CHECK(all.find("Taxation") != std::string::npos);
    fs::remove_all(profile);
}
