// One vocabulary: the database's enum types, the graph views, the importer's
// validation, docs/import.schema.json and docs/gaps.schema.json all agree with
// vocab/vocabulary.hpp. Adding a value in one place and not the others fails here.
#include "analysis/gaps.hpp"
#include "importer/records.hpp"
#include "tests/support/tempdb.hpp"
#include "vocab/vocabulary.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <set>

using namespace govmap;
using nlohmann::json;

namespace {

std::vector<std::string> pg_array(const std::string& text)
{
    // enum_range(...)::text[] of simple labels: {a,b,c}
    std::vector<std::string> out;
    std::string item;
    for (char c : text.substr(1, text.size() - 2)) {
        if (c == ',') {
            out.push_back(item);
            item.clear();
        } else {
            item += c;
        }
    }
    if (!item.empty())
        out.push_back(item);
    return out;
}

json read_json(const std::string& relative)
{
    std::ifstream in(std::string(GOVMAP_SOURCE_DIR) + "/" + relative);
    REQUIRE(in);
    return json::parse(in);
}

/// The 'literal'::text AS kind values of a view's definition.
std::set<std::string> kind_literals(db::Transaction& tx, const std::string& view)
{
    auto def = *tx.exec("SELECT pg_get_viewdef($1::regclass, true)", {view}).rows.at(0).at(0);
    std::set<std::string> out;
    std::regex literal(R"('([a-z_]+)'::text( AS kind)?)");
    for (std::sregex_iterator it(def.begin(), def.end(), literal), end; it != end; ++it)
        out.insert((*it)[1]);
    return out;
}

}  // namespace

TEST_CASE("Every SQL enum type has exactly the vocabulary's values, in the same order")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    auto tx = conn.begin();
    std::set<std::string> declared;
    for (const auto& e : vocab::enumerations()) {
        if (!e.sql_enum)
            continue;
        declared.insert(e.name);
        INFO("enum type " << e.name);
        auto r = tx.exec("SELECT enum_range(NULL::" + tx.quote_name(e.name) + ")::text[]");
        CHECK(pg_array(*r.rows.at(0).at(0)) == e.values);
    }
    // And no enum type in the database that the vocabulary does not know.
    auto types = tx.exec("SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                         "WHERE t.typtype = 'e' AND n.nspname = current_schema()");
    REQUIRE(types.size() > 0);
    for (const auto& row : types.rows) {
        INFO("enum type in the database: " << *row[0]);
        CHECK(declared.count(*row[0]) == 1);
    }
}

TEST_CASE("The graph views' node and edge kinds are the vocabulary's node_kind and edge_kind")
{
    test::TempDatabase tdb;
    auto conn = tdb.connect();
    auto tx = conn.begin();
    const auto& nodes = vocab::get(vocab::node_kind).values;
    CHECK(kind_literals(tx, "graph_node") == std::set<std::string>(nodes.begin(), nodes.end()));
    // graph_edge: literal kinds plus every relation kind (its kind column is the enum).
    auto edges = kind_literals(tx, "graph_edge");
    for (const auto& r : vocab::get(vocab::relation_kind).values)
        edges.insert(r);
    const auto& expected = vocab::get(vocab::edge_kind).values;
    CHECK(edges == std::set<std::string>(expected.begin(), expected.end()));
}

TEST_CASE("The importer validates enumerations against the vocabulary and the JSON Schema lists the same values")
{
    auto schema = read_json("docs/import.schema.json");
    std::size_t enumerations = 0;
    for (const auto& type : importer::record_types()) {
        INFO("record type " << type.name);
        REQUIRE(schema["properties"].contains(type.name));
        const auto& properties = schema["properties"][type.name]["items"]["properties"];
        std::set<std::string> fields;
        for (const auto& f : type.fields) {
            fields.insert(f.name);
            INFO("field " << f.name);
            REQUIRE(properties.contains(f.name));
            if (f.check == importer::Check::enumeration) {
                ++enumerations;
                REQUIRE(properties[f.name].contains("enum"));
                CHECK(properties[f.name]["enum"].get<std::vector<std::string>>() == f.allowed);
                // And the allowed values are one of the vocabulary's lists.
                bool known = false;
                for (const auto& e : vocab::enumerations())
                    known = known || e.values == f.allowed;
                CHECK(known);
            } else {
                CHECK_FALSE(properties[f.name].contains("enum"));
            }
        }
        std::set<std::string> documented;
        for (const auto& [name, _] : properties.items())
            documented.insert(name);
        CHECK(documented == fields);
    }
    CHECK(enumerations >= 10);
}

TEST_CASE("docs/gaps.schema.json lists the vocabulary's levels and the analysis's finding kinds")
{
    auto schema = read_json("docs/gaps.schema.json");
    std::vector<std::string> levels;
    for (const auto& v : schema["properties"]["filters"]["properties"]["level"]["enum"])
        if (!v.is_null())
            levels.push_back(v.get<std::string>());
    CHECK(levels == vocab::get(vocab::area_level).values);
    // Finding kinds, wherever the schema enumerates them.
    std::vector<std::vector<std::string>> kind_lists;
    std::function<void(const json&)> walk = [&](const json& j) {
        if (j.is_object()) {
            for (const auto& [key, value] : j.items()) {
                if (key == "enum" && value.is_array() && !value.empty() && value.front() == "uncovered")
                    kind_lists.push_back(value.get<std::vector<std::string>>());
                walk(value);
            }
        } else if (j.is_array()) {
            for (const auto& v : j)
                walk(v);
        }
    };
    walk(schema);
    REQUIRE_FALSE(kind_lists.empty());
    for (const auto& kinds : kind_lists)
        CHECK(kinds == analysis::finding_kinds());
}
