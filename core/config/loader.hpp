// Loads loadbalancer.xml: libxml2 with DTD validation against the bundled DTDs (never the network,
// no other external entity), then the semantic checks. Every problem carries file:line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/model.hpp"

namespace zdu::config {

struct LoadResult {
    ConfigPtr config;                     // null when any error was found
    std::vector<Diagnostic> diagnostics;  // errors and warnings, in file order

    bool ok() const { return config != nullptr; }
};

LoadResult load_file(const std::string& path);
// The bytes of `path`; false with `why` (strerror) when it cannot be read. A reload reads the
// file once, hashes and publishes those bytes, and loads them with load_string.
bool read_whole_file(const std::string& path, std::string& text, std::string& why);
// `name` stands for the file in diagnostics.
LoadResult load_string(std::string_view xml, const std::string& name);

}  // namespace zdu::config
