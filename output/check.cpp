#include "output/check.hpp"

#include "text/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace govmap::output {

std::string render_check(const db::Result& missing, long mechanisms, CheckFormat format)
{
    std::map<std::string, long> by_item;
    std::set<std::string> incomplete;
    for (std::size_t i = 0; i < missing.size(); ++i) {
        ++by_item[missing.text(i, "item")];
        incomplete.insert(missing.text(i, "slug"));
    }
    if (format == CheckFormat::json) {
        nlohmann::ordered_json out;
        out["mechanisms"] = mechanisms;
        out["complete"] = missing.empty();
        out["incomplete_mechanisms"] = incomplete.size();
        nlohmann::ordered_json items = nlohmann::ordered_json::object();
        for (const auto& c : queries::check_items())
            items[c.item] = by_item[c.item];
        out["by_item"] = items;
        out["missing"] = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < missing.size(); ++i)
            out["missing"].push_back({{"slug", missing.text(i, "slug")},
                                      {"name", missing.text(i, "name")},
                                      {"item", missing.text(i, "item")},
                                      {"detail", missing.text(i, "detail")}});
        return out.dump(2) + "\n";
    }
    if (format == CheckFormat::csv) {
        std::string out = "slug,name,item,detail\r\n";
        for (std::size_t i = 0; i < missing.size(); ++i)
            out += text::csv_field(missing.text(i, "slug")) + "," + text::csv_field(missing.text(i, "name")) + "," +
                   missing.text(i, "item") + "," + text::csv_field(missing.text(i, "detail")) + "\r\n";
        return out;
    }
    if (missing.empty())
        return fmt::format("Complete: none of the {} checked lacks a required item.\n",
                           text::count_of(mechanisms, "mechanism", "mechanisms"));
    std::string out = fmt::format("Incomplete: {} of {} {} lack required data ({} missing).\n\n", incomplete.size(),
                                  mechanisms, mechanisms == 1 ? "mechanism" : "mechanisms",
                                  text::count_of(static_cast<long>(missing.size()), "item", "items"));
    for (const auto& c : queries::check_items())
        if (by_item[c.item] > 0)
            out += fmt::format("  {:<14} {:>5}  {}\n", c.item, by_item[c.item], c.meaning);
    out += "\n";
    std::string current;
    for (std::size_t i = 0; i < missing.size(); ++i) {
        const auto& slug = missing.text(i, "slug");
        if (slug != current) {
            out += fmt::format("{} ({})\n", slug, missing.text(i, "name"));
            current = slug;
        }
        const auto& detail = missing.text(i, "detail");
        out += fmt::format("  - {}{}\n", missing.text(i, "item"), detail.empty() ? "" : ": " + detail);
    }
    return out;
}

}  // namespace govmap::output
