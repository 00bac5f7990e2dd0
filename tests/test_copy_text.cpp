#include "schema/copy_text.hpp"

#include <catch2/catch.hpp>

using govmap::db::decode_copy_line;
using govmap::db::encode_copy_line;
using govmap::db::Value;

TEST_CASE("A row with tabs, newlines, backslashes and NULLs survives encoding and decoding")
{
    std::vector<Value> row{std::string("a\tb"),          std::nullopt,    std::string("line1\nline2\r"),
                           std::string("C:\\dir\\"),     std::string(""), std::string("\\N"),
                           std::string("Ünïcødé 🌍 عربي")};
    std::string line = encode_copy_line(row);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(decode_copy_line(line) == row);
}

TEST_CASE("NULL and the empty string are distinct in COPY text")
{
    CHECK(encode_copy_line({std::nullopt, std::string("")}) == "\\N\t");
    auto fields = decode_copy_line("\\N\t");
    REQUIRE(fields.size() == 2);
    CHECK_FALSE(fields[0].has_value());
    CHECK(fields[1] == std::string(""));
}

TEST_CASE("Octal and hex escapes that PostgreSQL may emit are decoded")
{
    auto fields = decode_copy_line("\\101\\x42c\\v");
    REQUIRE(fields.size() == 1);
    CHECK(*fields[0] == "ABc\v");
}
