#pragma once
// The record types a contributor can import, declared once: the CSV layouts,
// the JSON arrays and the staging tables all follow these declarations.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govmap::importer {

enum class Check {
    text,  ///< any UTF-8 text
    key,   ///< lowercase key: a-z, 0-9 joined by . _ or -
    slug,  ///< lowercase a-z, 0-9 joined by -
    enumeration,
    url,        ///< http:// or https://, no white space
    year,       ///< 1800 up to the current year
    date,       ///< YYYY-MM-DD, a real calendar date
    score,      ///< 0 to 3
    boolean,    ///< true/false, yes/no or 1/0 (any case), stored as true or false
    reference,  ///< the key (or URL, code, name) of another record
};

struct Field {
    std::string name;
    bool required;
    Check check;
    std::size_t max_length;
    std::vector<std::string> allowed = {};  ///< for Check::enumeration
};

struct RecordType {
    std::string name;      ///< CSV layout and JSON array name, e.g. "mechanisms"
    std::string singular;  ///< "mechanism", for messages
    std::vector<Field> fields;
    std::vector<std::string> key;  ///< fields that identify a record (duplicates are errors)

    /// Index of a field, or nullopt.
    std::optional<std::size_t> index(std::string_view field) const;
    std::string field_names() const;
};

/// sources, areas, mechanisms, mechanism_areas, relations, stakeholders,
/// regions, assessments: in the order they are merged.
const std::vector<RecordType>& record_types();
const RecordType* find_type(std::string_view name);

/// Checks and normalises one non-empty value; returns a message on failure.
std::optional<std::string> check_value(const Field& field, std::string& value);

/// Trims blanks at both ends (spreadsheets are full of them).
std::string trim(std::string_view text);

/// A lowercase slug from free text ("Internet Governance Forum" -> "internet-governance-forum").
std::string slugify(std::string_view text, std::size_t max_length = 100);

}  // namespace govmap::importer
