// Shared by the cluster description tests: where the samples and golden files are, and loading
// that reports why it failed.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "description/model.hpp"

inline std::string source_path(const std::string& relative) {
    return std::string(ZDU_SOURCE_DIR) + "/" + relative;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The diagnostics of a description that fails to load, one a line; empty when it loads.
inline std::string load_errors(const std::string& xml) {
    try {
        zdu::description::load_description_string(xml, "d.xml");
    } catch (const zdu::description::DescriptionError& e) {
        return e.what();
    }
    return {};
}

inline const std::string kDescriptionHead =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE cluster-description PUBLIC \"-//mod_zdu//DTD Cluster Description 1.0//EN\" "
    "\"zdu-cluster-description_1_0.dtd\">\n";
