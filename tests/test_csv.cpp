#include "importer/csv.hpp"
#include "text/text.hpp"

#include <catch2/catch.hpp>

using namespace govmap::importer;
using namespace govmap::text;

namespace {
std::vector<CsvRecord> all(const std::string& text)
{
    CsvReader r(text);
    std::vector<CsvRecord> out;
    while (auto rec = r.next())
        out.push_back(*rec);
    return out;
}
}  // namespace

TEST_CASE("Quoted fields hold commas, doubled quotes and line breaks, and line numbers follow the text")
{
    auto recs = all("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n");
    REQUIRE(recs.size() == 3);
    CHECK(recs[1].fields == std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"});
    CHECK(recs[1].line == 2);
    CHECK(recs[2].line == 4);
    CHECK(recs[2].fields == std::vector<std::string>{"last", "", ""});
}

TEST_CASE("CRLF line ends, a byte-order mark and a missing final line break are accepted")
{
    auto recs = all("\xEF\xBB\xBFslug,name\r\nx,\"A\r\nB\"\r\ny,C");
    REQUIRE(recs.size() == 3);
    CHECK(recs[0].fields[0] == "slug");
    CHECK(recs[1].fields[1] == "A\r\nB");
    CHECK(recs[2].fields == std::vector<std::string>{"y", "C"});
    CHECK(recs[2].line == 4);
}

TEST_CASE("An unclosed quote and text after a closing quote are errors with their line")
{
    try {
        all("a,b\n1,2\n3,\"open\n");
        FAIL("accepted an unclosed quote");
    } catch (const CsvError& e) {
        CHECK(e.line == 3);
    }
    CHECK_THROWS_AS(all("a\n\"x\"y\n"), CsvError);
}

TEST_CASE("UTF-8 validation rejects malformed, overlong and surrogate sequences")
{
    CHECK(valid_utf8("plain"));
    CHECK(valid_utf8("Ünïcødé 中文 عربي 🌍"));
    CHECK_FALSE(valid_utf8("\xff"));
    CHECK_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(valid_utf8("\xED\xA0\x80"));      // UTF-16 surrogate
    CHECK_FALSE(valid_utf8("\xE2\x82"));          // cut short
    CHECK_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}

TEST_CASE("Edit distance and the nearest candidate, for did-you-mean messages")
{
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("same", "same") == 0);
    std::vector<std::string> models{"intergovernmental", "multistakeholder", "private_sector"};
    CHECK(closest("mulitstakeholder", models) == std::optional<std::string>("multistakeholder"));
    CHECK(closest("private_secter", models) == std::optional<std::string>("private_sector"));
    CHECK_FALSE(closest("planetary", models).has_value());
    // Short words need a close match: one edit at most for a three-letter word.
    CHECK_FALSE(closest("icc", {"ietf", "itu"}).has_value());
}
