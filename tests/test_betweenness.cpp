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
} // namespace

TEST_CASE("Accumulating the dependencies of every vertex reproduces Boost's exact betweenness")
{
    auto g = random_graph(600, 300);
    auto exact = betweenness(g, g.size());                   // Boost.Graph Brandes
    auto accumulated = betweenness(g, g.size() - 1);          // the estimator, all sources but one
    auto all = betweenness(g, g.size() + 1);                  // more sources than vertices: exact again
    REQUIRE(exact.size() == accumulated.size());
    double largest = *std::max_element(exact.begin(), exact.end());
    CHECK(largest > 0.01);
    for (std::size_t v = 0; v < g.size(); ++v) {
        CHECK(all[v] == Approx(exact[v]).margin(1e-12));
        // Leaving out one source of 600 moves each value by at most a little.
        CHECK(accumulated[v] == Approx(exact[v]).margin(largest * 0.05));
    }
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
