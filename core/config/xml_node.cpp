#include "config/xml_node.hpp"

#include "config/xml_handles.hpp"

namespace zdu::config {
namespace {

std::string take_string(xmlChar* text) {
    const XmlCharPtr owned(text);
    return owned ? reinterpret_cast<const char*>(owned.get()) : "";
}

}  // namespace

std::string_view element_name(const xmlNode& element) {
    return reinterpret_cast<const char*>(element.name);
}

int line_of(const xmlNode& element) {
    const long line = xmlGetLineNo(&element);
    return line > 0 ? static_cast<int>(line) : 0;
}

// Only what the file says: the DTD's defaults are the model's defaults, whether or not libxml2
// kept the DTD attached to the document.
std::optional<std::string> attribute(const xmlNode& element, const char* name) {
    const auto* key = reinterpret_cast<const xmlChar*>(name);
    for (const xmlAttr* attr = element.properties; attr != nullptr; attr = attr->next) {
        if (attr->ns == nullptr && xmlStrEqual(attr->name, key)) {
            return take_string(xmlNodeListGetString(element.doc, attr->children, 1));
        }
    }
    return std::nullopt;
}

std::string text_content(const xmlNode& element) {
    return take_string(xmlNodeGetContent(&element));
}

std::vector<const xmlNode*> child_elements(const xmlNode& element) {
    std::vector<const xmlNode*> children;
    for (const xmlNode* child = element.children; child != nullptr; child = child->next) {
        if (child->type == XML_ELEMENT_NODE) children.push_back(child);
    }
    return children;
}

}  // namespace zdu::config
