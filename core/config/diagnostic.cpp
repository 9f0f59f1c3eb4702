#include "config/diagnostic.hpp"

#include <algorithm>

namespace zdu::config {

std::string Diagnostic::text() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    out += ": ";
    if (severity == Severity::Warning) out += "warning: ";
    return out + message;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
        return d.severity == Diagnostic::Severity::Error;
    });
}

}  // namespace zdu::config
