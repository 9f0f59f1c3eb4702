// Parses loadbalancer.xml with libxml2 and validates it against the bundled DTD its DOCTYPE names,
// or zdu-loadbalancer_1_4.dtd when it names none. Reads nothing but the given text and the bundled
// DTDs: no file, no network, no entity.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/xml_handles.hpp"

namespace zdu::config {

struct XmlReadResult {
    XmlDocPtr doc;                        // null when the text is not well-formed or was refused
    std::vector<Diagnostic> diagnostics;  // libxml2's errors and warnings and the refusals
};

// `file` names the text in diagnostics.
XmlReadResult read_xml(std::string_view xml, const std::string& file);
// The same for another kind of document: one whose DOCTYPE names no DTD is validated against the
// bundled `default_dtd` (a file name of dtd/); `document_kind` names the kind in the refusals
// ("a cluster description may not declare entities ...").
XmlReadResult read_xml(std::string_view xml, const std::string& file, std::string_view default_dtd,
                       std::string_view document_kind);

}  // namespace zdu::config
