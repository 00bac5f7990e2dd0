#pragma once
// Text helpers shared by the importer and every output: UTF-8 checks and
// widths, CSV quoting, XML/HTML escaping, and English for people (lists,
// plurals). Nothing here knows about govmap's data.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govmap::text {

/// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool valid_utf8(std::string_view text);

/// Characters (code points) in UTF-8 text, as PostgreSQL counts them.
std::size_t utf8_length(std::string_view text);

/// At most `width` characters of UTF-8 text, ending with an ellipsis when cut.
std::string utf8_shorten(const std::string& text, std::size_t width);

/// Exactly `width` characters: shortened with an ellipsis, or padded with spaces.
std::string utf8_fit(const std::string& text, std::size_t width);

/// One field written per RFC 4180: quoted (with quotes doubled) when it holds
/// a comma, a quote or a line break.
std::string csv_field(const std::string& text);

/// Text that is valid in XML 1.0: drops the control characters (and U+FFFE,
/// U+FFFF) that XML cannot carry.
std::string xml_safe(const std::string& text);

/// Escapes for XML element content (`attribute` false) or attribute values.
/// In attributes, line breaks and tabs become character references, which
/// parsers would otherwise turn into spaces. XML-invalid characters are dropped.
std::string xml_escape(const std::string& text, bool attribute);

/// Escapes for HTML/XHTML text and attribute values alike; control
/// characters become spaces.
std::string html_escape(const std::string& text);

/// Items joined by `separator`.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

/// Items for a sentence: "a", "a or b", "a, b or c" (`last` is "or" or "and").
std::string join_words(const std::vector<std::string>& items, std::string_view last = "or");

/// Edit distance (insertions, deletions, substitutions) between two strings, by byte.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `word` when it is near enough to be a likely
/// misspelling (at most a third of the word's length, and at most 3, edits).
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);

/// An --as-of value: a year from 1800 to the current year, "today" or empty
/// (the current year) or "all" (nullopt: no time filter). Throws
/// std::invalid_argument naming the accepted values.
std::optional<int> parse_as_of(const std::string& value);

/// "1 mechanism", "3 mechanisms".
std::string count_of(long n, std::string_view one, std::string_view many);

}  // namespace govmap::text
