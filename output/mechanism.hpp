#pragma once
// One mechanism as `govmap show` prints it: text for people, JSON for scripts.
#include "queries/catalogue.hpp"

#include <string>

namespace govmap::output {

enum class MechanismFormat { text, json };

std::string render_mechanism(const queries::MechanismDetail& detail, MechanismFormat format);

}  // namespace govmap::output
