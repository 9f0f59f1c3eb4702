// Read access to the elements of a parsed libxml2 tree.
#pragma once

#include <libxml/tree.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zdu::config {

std::string_view element_name(const xmlNode& element);

// The line the element starts on; 0 when libxml2 does not know it.
int line_of(const xmlNode& element);

// The attribute's value as written, or nullopt when the attribute is absent.
std::optional<std::string> attribute(const xmlNode& element, const char* name);

// The element's text content, with entities and character references expanded.
std::string text_content(const xmlNode& element);

// The child elements, in document order (text and comments left out).
std::vector<const xmlNode*> child_elements(const xmlNode& element);

}  // namespace zdu::config
