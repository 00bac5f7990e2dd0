#include "synth/synth.hpp"

#include <fmt/format.h>
#include <fmt/os.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

namespace govmap::synth {

namespace {

/// SplitMix64: a tiny generator whose output is fixed by its definition, so
/// that a seed gives the same map with every compiler and standard library
/// (std::uniform_int_distribution's results are not specified).
class Random {
public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next()
    {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// 0 <= result < n.
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    /// [0, 1)
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }

private:
    std::uint64_t state_;
};

/// Picks an index with the given weights.
class Weighted {
public:
    explicit Weighted(const std::vector<double>& weights)
    {
        double total = 0;
        for (double w : weights)
            cumulative_.push_back(total += w);
    }
    std::size_t pick(Random& r) const
    {
        double x = r.unit() * cumulative_.back();
        return static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), x) -
                                        cumulative_.begin());
    }

private:
    std::vector<double> cumulative_;
};

const std::array<const char*, 40> places{
    "African",     "Andean",    "Arab",     "Asian",      "Atlantic", "Baltic",     "Caribbean", "Central",
    "Danube",      "Eastern",   "European", "Global",     "Gulf",     "Iberian",    "Indian",    "Latin",
    "Maghreb",     "Mekong",    "Nordic",   "Northern",   "Oceanic",  "Pacific",    "Pan-Asian", "Sahel",
    "Southern",    "Western",   "Alpine",   "Amazonian",  "Aegean",   "Adriatic",   "Caspian",   "Himalayan",
    "Great Lakes", "Levantine", "Nile",     "Polynesian", "Saharan",  "Sub-Arctic", "Balkan",    "Coastal"};
const std::array<const char*, 50> topics{"Cybersecurity",
                                         "Data Protection",
                                         "Domain Name",
                                         "Spam",
                                         "Child Online Safety",
                                         "Cybercrime",
                                         "Digital Trade",
                                         "E-Commerce",
                                         "Net Neutrality",
                                         "Broadband",
                                         "Spectrum",
                                         "Internet Exchange",
                                         "Routing",
                                         "DNS Security",
                                         "Open Data",
                                         "Digital Rights",
                                         "Privacy",
                                         "Encryption",
                                         "Accessibility",
                                         "Multilingualism",
                                         "Content Policy",
                                         "Copyright",
                                         "Trademark",
                                         "Taxation",
                                         "Consumer Protection",
                                         "Digital Skills",
                                         "Cloud Computing",
                                         "Internet of Things",
                                         "Artificial Intelligence",
                                         "Platform",
                                         "Telecommunications",
                                         "Standards",
                                         "Interoperability",
                                         "Digital Identity",
                                         "Payments",
                                         "Critical Infrastructure",
                                         "Incident Response",
                                         "Capacity Building",
                                         "Digital Inclusion",
                                         "Gender and ICT",
                                         "Online Education",
                                         "Media Freedom",
                                         "Intermediary Liability",
                                         "Jurisdiction",
                                         "Dispute Resolution",
                                         "Labour and Platforms",
                                         "Emerging Technologies",
                                         "Satellite Internet",
                                         "Submarine Cables",
                                         "Research Networks"};
const std::array<const char*, 25> bodies{"Forum",         "Council",     "Commission", "Network",     "Observatory",
                                         "Working Group", "Task Force",  "Alliance",   "Partnership", "Coalition",
                                         "Committee",     "Centre",      "Agency",     "Initiative",  "Programme",
                                         "Platform",      "Dialogue",    "Consortium", "Registry",    "Board",
                                         "Panel",         "Secretariat", "Convention", "Framework",   "Summit"};
const std::array<const char*, 40> of_whom{"Regulators",
                                          "Ministers",
                                          "Operators",
                                          "Registries",
                                          "Parliamentarians",
                                          "Judges",
                                          "Prosecutors",
                                          "Civil Society",
                                          "Academia",
                                          "Youth",
                                          "Women",
                                          "Engineers",
                                          "Researchers",
                                          "Libraries",
                                          "Broadcasters",
                                          "Journalists",
                                          "Businesses",
                                          "Start-ups",
                                          "Cities",
                                          "Universities",
                                          "Schools",
                                          "Police",
                                          "Customs",
                                          "Central Banks",
                                          "Statistical Offices",
                                          "Standards Bodies",
                                          "Consumer Groups",
                                          "Trade Unions",
                                          "Indigenous Peoples",
                                          "Small Islands",
                                          "Landlocked States",
                                          "Port Authorities",
                                          "Data Authorities",
                                          "CERTs",
                                          "Hospitals",
                                          "Postal Operators",
                                          "Satellite Operators",
                                          "Content Creators",
                                          "Developers",
                                          "Diaspora"};

constexpr std::size_t name_space = places.size() * topics.size() * bodies.size() * of_whom.size();
// Coprime with name_space (2^7 * 5^6): i -> i * stride is a permutation, so
// consecutive mechanisms get unrelated names.
constexpr std::size_t stride = 1234567;

std::string name_of(std::size_t i)
{
    std::size_t x = (i % name_space) * stride % name_space;
    std::string name =
        fmt::format("{} {} {} of {}", places[x % places.size()], topics[x / places.size() % topics.size()],
                    bodies[x / places.size() / topics.size() % bodies.size()],
                    of_whom[x / places.size() / topics.size() / bodies.size()]);
    if (i >= name_space)
        name += fmt::format(" {}", i / name_space + 1);
    return name;
}

/// Initials and the mechanism's number in base 36: unique, as real acronyms
/// mostly are (bare initials would repeat, and the importer would rightly
/// flag the repeats as probable duplicates).
std::string acronym_of(const std::string& name, std::size_t i)
{
    std::string a;
    bool start = true;
    for (char c : name) {
        if (start && c >= 'A' && c <= 'Z')
            a += c;
        start = c == ' ' || c == '-';
    }
    std::string number;
    do {
        number.insert(number.begin(), "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 36]);
        i /= 36;
    } while (i);
    return a + "-" + number;
}

// Leaf regions by weight: the skew of real mappings (Europe and Africa have
// many regional bodies, Oceania few).
const std::vector<std::pair<const char*, double>> region_weights{{"western-europe", 8},
                                                                 {"northern-europe", 6},
                                                                 {"southern-europe", 5},
                                                                 {"eastern-europe", 5},
                                                                 {"western-africa", 6},
                                                                 {"eastern-africa", 5},
                                                                 {"southern-africa", 4},
                                                                 {"northern-africa", 3},
                                                                 {"middle-africa", 2},
                                                                 {"south-america", 4},
                                                                 {"central-america", 2},
                                                                 {"caribbean", 2},
                                                                 {"northern-america", 3},
                                                                 {"eastern-asia", 3},
                                                                 {"south-eastern-asia", 3},
                                                                 {"southern-asia", 3},
                                                                 {"western-asia", 3},
                                                                 {"central-asia", 1},
                                                                 {"australia-and-new-zealand", 1},
                                                                 {"melanesia", 0.5},
                                                                 {"polynesia", 0.3},
                                                                 {"micronesia", 0.3},
                                                                 {"europe", 6},
                                                                 {"africa", 5},
                                                                 {"asia", 3},
                                                                 {"americas", 2},
                                                                 {"oceania", 1},
                                                                 {"latin-america-and-the-caribbean", 3}};

const std::array<const char*, 6> groups{"governments",         "private_sector", "civil_society",
                                        "technical_community", "academia",       "intergovernmental_organisations"};

struct Pair {
    std::uint64_t key;
    bool operator==(const Pair& o) const { return key == o.key; }
};
struct PairHash {
    std::size_t operator()(const Pair& p) const { return std::hash<std::uint64_t>()(p.key); }
};

std::uint64_t pair_key(std::size_t a, std::size_t b, std::size_t kind)
{
    return (static_cast<std::uint64_t>(a) << 36) ^ (static_cast<std::uint64_t>(b) << 3) ^ kind;
}

}  // namespace

Counts write(const Options& o, const std::filesystem::path& dir)
{
    const std::size_t n = o.mechanisms;
    if (n < 2)
        throw std::invalid_argument("a synthetic map needs at least 2 mechanisms");
    const std::size_t want_relations = o.relations ? o.relations : n * 5 / 2;
    const std::size_t want_links = std::max(o.links ? o.links : n * 5 / 2, n);
    const std::size_t clusters = 7, areas_per_cluster = 10, issues_per_area = 20;
    const std::size_t issues = clusters * areas_per_cluster * issues_per_area;
    if (want_relations > n * (n - 1) / 4)
        throw std::invalid_argument(fmt::format("{} relations do not fit {} mechanisms", want_relations, n));
    if (want_links > n * issues / 2)
        throw std::invalid_argument(fmt::format("{} links do not fit {} mechanisms", want_links, n));
    std::filesystem::create_directories(dir);
    Random r(o.seed);
    Counts c;
    auto open = [&](const char* name) { return fmt::output_file((dir / name).string()); };

    {
        auto f = open("sources.csv");
        f.print("key,title,url,publisher\nsynth,Synthetic map (govmap synth --seed {}),https://example.org/synth,"
                "govmap\n",
                o.seed);
        c.sources = 1;
        auto info = open("map_info.csv");
        info.print("key,value\ndata_version,synth-{}-{}\n", n, o.seed);
    }

    // The taxonomy: cluster c<k>, area c<k>.a<j>, issue c<k>.a<j>.i<i>.
    std::vector<std::string> issue_code;
    {
        auto f = open("areas.csv");
        f.print("code,name,level,parent,source\n");
        for (std::size_t k = 0; k < clusters; ++k) {
            f.print("c{0},Cluster {0},cluster,,synth\n", k);
            ++c.areas;
            for (std::size_t j = 0; j < areas_per_cluster; ++j) {
                f.print("c{0}.a{1},Area {0}.{1},area,c{0},synth\n", k, j);
                ++c.areas;
                for (std::size_t i = 0; i < issues_per_area; ++i) {
                    f.print("c{0}.a{1}.i{2},Issue {0}.{1}.{2},issue,c{0}.a{1},synth\n", k, j, i);
                    issue_code.push_back(fmt::format("c{}.a{}.i{}", k, j, i));
                    ++c.areas;
                }
            }
        }
    }

    // Coverage follows a power law over issues in a seeded order: a few
    // crowded issues, a long thin tail, and one issue in 20 never linked.
    std::vector<std::size_t> by_rank(issues);
    for (std::size_t i = 0; i < issues; ++i)
        by_rank[i] = i;
    for (std::size_t i = issues - 1; i > 0; --i)
        std::swap(by_rank[i], by_rank[r.below(i + 1)]);
    std::vector<std::size_t> covered(by_rank.begin(), by_rank.begin() + static_cast<long>(issues - issues / 20));
    std::vector<double> zipf;
    for (std::size_t rank = 0; rank < covered.size(); ++rank)
        zipf.push_back(1.0 / std::pow(static_cast<double>(rank + 1), 1.1));
    Weighted issue_pick(zipf);
    std::vector<std::vector<std::size_t>> covered_in_cluster(clusters);
    for (std::size_t rank = 0; rank < covered.size(); ++rank)
        covered_in_cluster[covered[rank] / (areas_per_cluster * issues_per_area)].push_back(covered[rank]);

    // Mechanisms, each with a home cluster (that of its first issue).
    std::vector<std::uint8_t> home(n), depth(n, 0);
    std::vector<std::vector<std::size_t>> members(clusters);
    std::vector<std::size_t> first_issue(n);
    const std::array<const char*, 7> kinds{"forum",      "organisation", "process",    "network",
                                           "instrument", "event",        "observatory"};
    Weighted kind_pick({30, 25, 15, 10, 10, 5, 5});
    const std::array<const char*, 3> scopes{"global", "regional", "national"};
    Weighted scope_pick({20, 45, 35});
    const std::array<const char*, 5> models{"intergovernmental", "multistakeholder", "private_sector",
                                            "technical_community", "civil_society"};
    Weighted model_pick({45, 35, 8, 7, 5});
    std::vector<double> rw;
    for (const auto& [code, w] : region_weights)
        rw.push_back(w);
    Weighted region_pick(rw);
    const int this_year = 2025;
    {
        auto f = open("mechanisms.csv");
        auto st = open("stakeholders.csv");
        auto rg = open("regions.csv");
        f.print("slug,name,acronym,kind,scope,model,status,founded,ended,source\n");
        st.print("mechanism,group,role,source\n");
        rg.print("mechanism,region,source\n");
        for (std::size_t m = 0; m < n; ++m) {
            first_issue[m] = covered[issue_pick.pick(r)];
            home[m] = static_cast<std::uint8_t>(first_issue[m] / (areas_per_cluster * issues_per_area));
            members[home[m]].push_back(m);
            std::string name = name_of(m);
            std::size_t scope = scope_pick.pick(r), model = model_pick.pick(r);
            // More bodies were founded in recent decades.
            int founded = this_year - static_cast<int>(std::floor(75 * std::pow(r.unit(), 2.0)));
            bool concluded = r.chance(0.08);
            const auto span = static_cast<std::size_t>(this_year - founded) + 1;
            std::string ended = concluded ? std::to_string(founded + static_cast<int>(r.below(span))) : "";
            f.print("m-{},{},{},{},{},{},{},{},{},synth\n", m, name, r.chance(0.5) ? acronym_of(name, m) : "",
                    kinds[kind_pick.pick(r)], scopes[scope], models[model], concluded ? "concluded" : "active", founded,
                    ended);
            ++c.mechanisms;
            // Participation for four in five; silence for the rest (a data gap).
            if (r.chance(0.8)) {
                std::size_t count = model == 1 ? 2 + r.below(3) : 1;
                std::size_t first = model == 0 ? 0 : r.below(groups.size());
                for (std::size_t g = 0; g < count; ++g) {
                    st.print("m-{},{},member,synth\n", m, groups[(first + g) % groups.size()]);
                    ++c.stakeholders;
                }
            }
            if (scope != 0) {
                rg.print("m-{},{},synth\n", m, region_weights[region_pick.pick(r)].first);
                ++c.regions;
            }
        }
    }

    // Relations. First the nesting: in index order, a mechanism may be part
    // of (or report to) one earlier mechanism of its cluster whose own depth
    // is final, so trees never pass depth 6 and never close a cycle. Then
    // the other kinds, mostly inside the home cluster, one in a hundred a
    // bridge to another cluster.
    {
        auto f = open("relations.csv");
        f.print("from,kind,to,source\n");
        std::unordered_set<Pair, PairHash> seen;
        seen.reserve(want_relations * 2);
        const double nested_share = std::min(0.9, 0.35 * static_cast<double>(want_relations) / static_cast<double>(n));
        for (std::size_t m = 1; m < n && c.relations < want_relations; ++m) {
            if (!r.chance(nested_share))
                continue;
            const auto& pool = members[home[m]];
            auto earlier = static_cast<std::size_t>(std::lower_bound(pool.begin(), pool.end(), m) - pool.begin());
            std::size_t to = earlier && r.chance(0.95) ? pool[r.below(earlier)] : r.below(m);
            if (depth[to] >= 6)
                continue;
            depth[m] = static_cast<std::uint8_t>(depth[to] + 1);
            std::size_t kind = r.chance(0.7) ? 0 : 1;
            seen.insert({pair_key(m, to, kind)});
            f.print("m-{},{},m-{},synth\n", m, kind == 0 ? "part_of" : "reports_to", to);
            ++c.relations;
        }
        const std::array<const char*, 3> other_kinds{"feeds_into", "cooperates_with", "convened_by"};
        Weighted kind_of({30, 60, 10});
        std::size_t attempts = 0;
        while (c.relations < want_relations && attempts++ < want_relations * 20) {
            std::size_t kind = 2 + kind_of.pick(r);
            std::size_t from = r.below(n);
            bool bridge = r.chance(0.01);
            const auto& pool = members[bridge ? r.below(clusters) : home[from]];
            if (pool.empty())
                continue;
            std::size_t to = pool[r.below(pool.size())];
            if (to == from)
                continue;
            // One edge per pair and kind; cooperation is the same either way round.
            std::size_t a = kind == 3 ? std::min(from, to) : from, b = kind == 3 ? std::max(from, to) : to;
            if (!seen.insert({pair_key(a, b, kind)}).second)
                continue;
            f.print("m-{},{},m-{},synth\n", from, other_kinds[kind - 2], to);
            ++c.relations;
        }
    }

    // Links: every mechanism to its first issue (primary), then more by the
    // same power law, mostly in the home cluster.
    {
        auto f = open("mechanism_areas.csv");
        f.print("mechanism,area,strength,source\n");
        std::unordered_set<Pair, PairHash> seen;
        seen.reserve(want_links * 2);
        for (std::size_t m = 0; m < n; ++m) {
            seen.insert({pair_key(m, first_issue[m], 0)});
            f.print("m-{},{},primary,synth\n", m, issue_code[first_issue[m]]);
            ++c.links;
        }
        std::size_t attempts = 0;
        while (c.links < want_links && attempts++ < want_links * 20) {
            std::size_t m = r.below(n);
            std::size_t issue = covered[issue_pick.pick(r)];
            if (r.chance(0.7)) {
                const auto& local = covered_in_cluster[home[m]];
                issue = local[r.below(local.size())];
            }
            if (!seen.insert({pair_key(m, issue, 0)}).second)
                continue;
            f.print("m-{},{},{},synth\n", m, issue_code[issue], r.chance(0.4) ? "primary" : "secondary");
            ++c.links;
        }
    }
    return c;
}

}  // namespace govmap::synth
