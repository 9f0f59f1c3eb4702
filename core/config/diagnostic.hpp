// A problem found in a loadbalancer.xml, located by file and line.
#pragma once

#include <string>
#include <vector>

namespace zdu::config {

struct Diagnostic {
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    std::string file;
    int line = 0;  // 0 when no line applies (e.g. the file cannot be opened)
    std::string message;

    // "file:line: message", with "warning: " before the message for warnings.
    std::string text() const;
};

bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace zdu::config
