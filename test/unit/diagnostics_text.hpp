// A load's diagnostics as one text, a line each: what a failing test prints to say why.
#pragma once

#include <string>

#include "config/loader.hpp"

inline std::string all_text(const zdu::config::LoadResult& result) {
    std::string out;
    for (const auto& d : result.diagnostics) out += d.text() + "\n";
    return out;
}
