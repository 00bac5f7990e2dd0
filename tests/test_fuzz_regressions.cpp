// Every input in fuzz/regressions/ goes through the importer's readers and
// comes out as problems with a location: never an exception, never a crash.
#include "importer/batch.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace govmap;

TEST_CASE("Inputs that once broke the readers are refused with a location")
{
    std::size_t files = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(GOVMAP_SOURCE_DIR) + "/fuzz/regressions")) {
        if (entry.path().extension() == ".md")
            continue;
        ++files;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        importer::Batch batch;
        INFO(entry.path().filename().string());
        REQUIRE_NOTHROW(importer::read_into(batch, {entry.path().filename().string(), text.str(), {}, {}}));
        REQUIRE_FALSE(batch.problems.empty());
        for (const auto& p : batch.problems)
            CHECK(p.where.rfind(entry.path().filename().string(), 0) == 0);
    }
    CHECK(files >= 5);
}
