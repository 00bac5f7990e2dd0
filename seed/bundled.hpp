#pragma once
// The bundled map (seed/*.csv), compiled in.
#include <vector>

namespace govmap::seed {

struct File {
    const char* name;  ///< "seed/mechanisms.csv"
    const char* text;
};

const std::vector<File>& bundled_files();

}  // namespace govmap::seed
