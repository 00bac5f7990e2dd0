// The betweenness estimator for large maps against Boost.Graph's exact Brandes.
#include "graph/linkage.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

using namespace govmap::graph;

namespace {
/// A sparse random graph with some structure: a ring of local links plus random shortcuts.
Linkage random_graph(std::size_t n, std::size_t shortcuts)
{
    Linkage g;
    for (std::size_t v = 0; v < n; ++v) {
        g.id.push_back(static_cast<std::int64_t>(v));
        g.slug.push_back("m" + std::to_string(v));
    }
    std::set<std::pair<std::size_t, std::size_t>> seen;
    auto link = [&](std::size_t a, std::size_t b) {
        if (a != b && seen.insert({std::min(a, b), std::max(a, b)}).second)
            g.links.emplace_back(std::min(a, b), std::max(a, b));
    };
    std::mt19937 rng(42);
    for (std::size_t v = 0; v + 1 < n; v += 1 + rng() % 2)
        link(v, v + 1);
    for (std::size_t i = 0; i < shortcuts; ++i)
        link(rng() % n, rng() % n);
    return g;
}

std::vector<std::size_t> top(const std::vector<double>& c, std::size_t k)
{
    std::vector<std::size_t> idx(c.size());
    for (std::size_t i = 0; i < c.size(); ++i)
        idx[i] = i;
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](auto a, auto b) { return c[a] > c[b]; });
    idx.resize(k);
    return idx;
}
}  // namespace

TEST_CASE("The estimator with every vertex as a source equals Boost's exact betweenness")
{
    auto g = random_graph(600, 300);
    auto exact = betweenness(g, g.size());  // at least n sources: Boost.Graph's Brandes
    std::vector<std::size_t> every(g.size());
    for (std::size_t v = 0; v < g.size(); ++v)
        every[v] = v;
    auto estimated = sampled_betweenness(g, every);  // the estimator's own accumulation
    REQUIRE(estimated.size() == exact.size());
    double largest = *std::max_element(exact.begin(), exact.end());
    REQUIRE(largest > 0.01);
    for (std::size_t v = 0; v < g.size(); ++v)
        CHECK(estimated[v] == Approx(exact[v]).margin(1e-12));
}

TEST_CASE("The estimator from one source gives the hand-computed value on a path")
{
    // 0 - 1 - 2 - 3. From source 0 the dependencies are delta(1) = 2 (paths to
    // 2 and 3 pass 1) and delta(2) = 1 (the path to 3); scaled by n/k = 4 and
    // normalised by (n-1)(n-2) = 6: 8/6 and 4/6. The exact values are 2/3 for
    // both inner vertices (two of the three pairs that exclude each).
    Linkage g;
    for (std::int64_t v = 0; v < 4; ++v) {
        g.id.push_back(v);
        g.slug.push_back("m" + std::to_string(v));
    }
    g.links = {{0, 1}, {1, 2}, {2, 3}};
    auto one = sampled_betweenness(g, {0});
    CHECK(one[0] == Approx(0.0));
    CHECK(one[1] == Approx(8.0 / 6.0));
    CHECK(one[2] == Approx(4.0 / 6.0));
    CHECK(one[3] == Approx(0.0));
    // Sources 0 and 3: vertex 1 gets 2 (from 0) + 1 (from 3) = 3, vertex 2
    // gets 1 + 2 = 3; scaled by n/k = 2 and normalised by 6: 1.0 each.
    auto ends = sampled_betweenness(g, {0, 3});
    CHECK(ends[1] == Approx(1.0));
    CHECK(ends[2] == Approx(1.0));
    auto exact = betweenness(g, 4);
    CHECK(exact[1] == Approx(2.0 / 3.0));
    CHECK(exact[2] == Approx(2.0 / 3.0));
}

TEST_CASE("On very large graphs the number of sources falls with the work budget, down to a floor")
{
    auto big = [](std::size_t vertices, std::size_t links) {
        Linkage g;
        g.id.resize(vertices);
        g.links.resize(links);
        return g;
    };
    // 100 000 vertices and 250 000 links: 256 searches fit the budget.
    CHECK(betweenness_sources(big(100000, 250000)) == betweenness_samples);
    // 200 000 + 300 000: the budget allows 200.
    CHECK(betweenness_sources(big(200000, 300000)) == betweenness_budget / 500000);
    // A million and 2.5 million: the floor.
    CHECK(betweenness_sources(big(1000000, 2500000)) == betweenness_min_samples);
}

TEST_CASE("Above the exact limit, the sampled estimate finds the same top brokers")
{
    auto g = random_graph(exact_betweenness_limit + 1000, 2500);
    REQUIRE(betweenness_sources(g) == betweenness_samples);
    auto exact = betweenness(g, g.size());
    auto estimate = betweenness(g);
    auto best = top(exact, 10);
    auto estimated = top(estimate, 30);
    std::size_t found = 0;
    for (auto v : best)
        found += std::count(estimated.begin(), estimated.end(), v);
    INFO("top 10 by exact betweenness found in the estimate's top 30: " << found);
    CHECK(found >= 8);
    // The same map gives the same estimate.
    CHECK(betweenness(g) == estimate);
}
