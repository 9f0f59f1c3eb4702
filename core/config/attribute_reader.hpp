// Reads the attributes of a DTD-valid element that the DTD leaves as text (numbers, booleans,
// listener URLs). A value that does not parse is reported with its file:line and the fallback
// returned, so the remaining checks can still run. Shared by the loadbalancer.xml and the
// cluster description builders, so both word the same mistake the same way.
#pragma once

#include <libxml/tree.h>

#include <string>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/model.hpp"

namespace zdu::config {

class AttributeReader {
  public:
    AttributeReader(const std::string& file, std::vector<Diagnostic>& diagnostics)
        : file_(file), diagnostics_(diagnostics) {}

    // `owner` starts the message ("server 'a': weight 'x' is not an integer").
    int integer(const xmlNode& e, const char* name, int fallback, const std::string& owner);
    bool boolean(const xmlNode& e, const char* name, bool fallback, const std::string& owner);
    std::string text(const xmlNode& e, const char* name, std::string fallback = {});
    // The space-separated `listeners` attribute; at least one is required.
    std::vector<Listener> listeners(const xmlNode& e, const std::string& owner);
    void error(const xmlNode& e, std::string message);

  private:
    const std::string& file_;
    std::vector<Diagnostic>& diagnostics_;
};

}  // namespace zdu::config
