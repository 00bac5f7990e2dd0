#include "analysis/coverage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace govmap::analysis {

namespace {

const char* flag(bool b) { return b ? "true" : "false"; }

/// COPY takes no parameters: statements are built from booleans only, and
/// the year comes from the setting govmap.as_of (as_of_setting()).
std::string counted_mechanism(const GapOptions& o)
{
    return fmt::format("mechanism_counts(m.review_status, m.kind, m.status, m.founded, m.ended, {}, {}, "
                       "as_of_setting(), {})",
                       flag(o.include_proposed), flag(o.active_only), flag(o.with_observatories));
}

std::int64_t id_of(const db::Value& v) { return std::stoll(*v); }

/// Sorted, without duplicates.
template <typename T>
void settle(std::vector<T>& v)
{
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

Coverage count_coverage(db::Transaction& tx, const GapOptions& o)
{
    const char* proposed = flag(o.include_proposed);
    tx.exec("SELECT set_config('govmap.as_of', $1, true)", {o.as_of ? std::to_string(*o.as_of) : std::string()});
    Coverage cov;

    // The counted mechanisms with what coverage() counts of each.
    std::unordered_map<std::int64_t, std::uint32_t> index;
    tx.copy_out(fmt::format(R"(
        SELECT m.id, m.slug, m.name, m.acronym, m.scope, m.model, m.centrality, m.status, s.title, s.url,
               m.founded IS NULL, pt.multistakeholder IS TRUE, pt.known IS FALSE,
               m.scope <> 'global' AND NOT EXISTS (
                   SELECT 1 FROM mechanism_region mr WHERE mr.mechanism_id = m.id
                      AND review_counts(mr.review_status, {0}))
          FROM mechanism m
          LEFT JOIN source s ON s.id = m.source_id
          LEFT JOIN participation({0}, as_of_setting()) pt ON pt.mechanism_id = m.id
         WHERE {1})",
                            proposed, counted_mechanism(o)),
                [&](const std::vector<db::Value>& row) {
                    CountedMechanism m;
                    m.id = id_of(row[0]);
                    m.info = MechanismInfo{*row[1], *row[2], row[3].value_or(""), *row[4], *row[5], *row[6], *row[7],
                                           row[8],  row[9]};
                    m.founded_unknown = *row[10] == "t";
                    m.multistakeholder = *row[11] == "t";
                    m.participation_unknown = *row[12] == "t";
                    m.regions_unknown = *row[13] == "t";
                    index.emplace(m.id, static_cast<std::uint32_t>(cov.mechanisms.size()));
                    cov.mechanisms.push_back(std::move(m));
                });

    // issue_area_closure: each area with its chain of parents.
    std::unordered_map<std::int64_t, std::optional<std::int64_t>> parent;
    tx.copy_out("SELECT id, parent_id FROM issue_area", [&](const std::vector<db::Value>& row) {
        parent.emplace(id_of(row[0]), row[1] ? std::optional<std::int64_t>(id_of(row[1])) : std::nullopt);
    });
    std::unordered_map<std::int64_t, std::vector<AreaCoverage*>> ancestors;
    for (const auto& [id, up] : parent) {
        auto& chain = ancestors[id];
        chain.push_back(&cov.areas[id]);
        // A cycle cannot be stored (migration 0001's trigger); the bound only
        // keeps a corrupted table from hanging the report.
        auto at = up;
        for (std::size_t steps = 0; at && steps < parent.size(); ++steps) {
            chain.push_back(&cov.areas[*at]);
            auto it = parent.find(*at);
            at = it == parent.end() ? std::nullopt : it->second;
        }
    }

    // covering_mechanisms: every counted link, for its area and each area above.
    tx.copy_out(fmt::format("SELECT ma.area_id, ma.mechanism_id FROM mechanism_area ma "
                            "WHERE review_counts(ma.review_status, {}) "
                            "AND held_in(ma.valid_from, ma.valid_to, as_of_setting()){}",
                            proposed, o.primary_only ? " AND ma.strength = 'primary'" : ""),
                [&](const std::vector<db::Value>& row) {
                    auto m = index.find(id_of(row[1]));
                    auto up = ancestors.find(id_of(row[0]));
                    if (m == index.end() || up == ancestors.end())
                        return;
                    for (AreaCoverage* a : up->second)
                        a->mechanisms.push_back(m->second);
                });
    for (auto& [id, a] : cov.areas)
        settle(a.mechanisms);

    // coverage_by_region: a global mechanism counts once for every region
    // (unless strict_regions); any other for each region it is placed in and
    // every region below those.
    std::map<std::int64_t, std::string> regions;
    tx.copy_out(fmt::format("SELECT id, code FROM region WHERE review_counts(review_status, {})", proposed),
                [&](const std::vector<db::Value>& row) { regions.emplace(id_of(row[0]), *row[1]); });
    std::vector<std::vector<std::int64_t>> placed(cov.mechanisms.size());
    tx.copy_out(fmt::format("SELECT mr.mechanism_id, rc.descendant_id FROM mechanism_region mr "
                            "JOIN region_closure rc ON rc.ancestor_id = mr.region_id "
                            "WHERE review_counts(mr.review_status, {}) "
                            "AND held_in(mr.valid_from, mr.valid_to, as_of_setting())",
                            proposed),
                [&](const std::vector<db::Value>& row) {
                    if (auto m = index.find(id_of(row[0])); m != index.end())
                        placed[m->second].push_back(id_of(row[1]));
                });
    for (auto& p : placed)
        settle(p);

    std::map<std::int64_t, std::string> groups;
    tx.copy_out(fmt::format("SELECT id, code FROM stakeholder_group WHERE review_counts(review_status, {})", proposed),
                [&](const std::vector<db::Value>& row) { groups.emplace(id_of(row[0]), *row[1]); });
    std::vector<std::vector<std::int64_t>> taking_part(cov.mechanisms.size());
    tx.copy_out(
        fmt::format("SELECT mechanism_id, stakeholder_group_id FROM participation_rows({}, as_of_setting())", proposed),
        [&](const std::vector<db::Value>& row) {
            if (auto m = index.find(id_of(row[0])); m != index.end())
                taking_part[m->second].push_back(id_of(row[1]));
        });
    for (auto& t : taking_part)
        settle(t);

    // assessment_coverage: every counted assessment of a covering mechanism.
    std::vector<std::vector<std::pair<std::string, int>>> assessments(cov.mechanisms.size());
    tx.copy_out(fmt::format("SELECT mechanism_id, principle, score FROM assessment "
                            "WHERE review_counts(review_status, {})",
                            proposed),
                [&](const std::vector<db::Value>& row) {
                    if (auto m = index.find(id_of(row[0])); m != index.end())
                        assessments[m->second].emplace_back(*row[1], std::stoi(*row[2]));
                });

    const bool everywhere_counts = !o.strict_regions;
    std::unordered_map<std::int64_t, long> by_region_id, by_group_id;
    for (auto& [id, a] : cov.areas) {
        by_region_id.clear();
        by_group_id.clear();
        long everywhere = 0;
        for (std::uint32_t m : a.mechanisms) {
            if (everywhere_counts && cov.mechanisms[m].info.scope == "global")
                ++everywhere;
            else
                for (auto r : placed[m])
                    ++by_region_id[r];
            for (auto g : taking_part[m])
                ++by_group_id[g];
            for (const auto& [principle, score] : assessments[m]) {
                auto [it, fresh] = a.assessed.try_emplace(principle, 0, score);
                it->second.first++;
                it->second.second = std::max(it->second.second, score);
            }
        }
        for (const auto& [rid, code] : regions) {
            auto n = by_region_id.find(rid);
            a.by_region[code] = everywhere + (n == by_region_id.end() ? 0 : n->second);
        }
        for (const auto& [gid, code] : groups) {
            auto n = by_group_id.find(gid);
            a.by_group[code] = n == by_group_id.end() ? 0 : n->second;
        }
    }
    return cov;
}

}  // namespace govmap::analysis
