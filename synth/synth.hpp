#pragma once
// Synthetic maps for benchmarks and scale tests, written in the import
// formats: deterministic for a seed, with the shape of a real mapping (a
// three-level taxonomy, a few crowded areas and a long thin tail with some
// uncovered, part_of trees, regional skew, clusters joined by a few bridges).
#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace govmap::synth {

struct Options {
    std::size_t mechanisms = 100000;
    std::size_t relations = 0;  ///< 0: 2.5 per mechanism
    std::size_t links = 0;      ///< mechanism-issue links; 0: 2.5 per mechanism (at least one each)
    std::uint64_t seed = 1;
};

/// Rows written to each file.
struct Counts {
    std::size_t sources = 0, areas = 0, mechanisms = 0, relations = 0, links = 0, stakeholders = 0, regions = 0;
};

/// The files govmap import reads, in `dir` (created if needed): sources.csv,
/// areas.csv, mechanisms.csv, relations.csv, mechanism_areas.csv,
/// stakeholders.csv, regions.csv and map_info.csv. The same options give the
/// same bytes on every machine. Throws std::invalid_argument for options that
/// cannot be met (no mechanisms; more relations or links than pairs).
Counts write(const Options& options, const std::filesystem::path& dir);

}  // namespace govmap::synth
