#pragma once
// The page's files, compiled into the binary from web/assets at build time.
#include <string_view>
#include <vector>

namespace govmap::web {

struct Asset {
    std::string_view path;  ///< "/assets/app.js"
    std::string_view etag;  ///< the first 16 hex digits of its SHA-256
    std::string_view body;
};

const std::vector<Asset>& assets();

}  // namespace govmap::web
