// Turns a DTD-valid loadbalancer.xml tree into the model. The values the DTD leaves as text
// (numbers, policy names, listener URLs) are parsed here; one that does not parse is reported with
// its file:line and left at its default, so the remaining checks can still run.
#pragma once

#include <libxml/tree.h>

#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/model.hpp"

namespace zdu::config {

LoadBalancer build_model(const xmlDoc& doc, const std::string& file,
                         std::vector<Diagnostic>& diagnostics);

// GlassFish accepts "clusterjsp" for "/clusterjsp": the leading "/" is added and trailing ones
// removed, so that equal roots compare equal ("/" stays "/").
std::string normalize_context_root(std::string_view context_root);

}  // namespace zdu::config
