#include "config/bundled_dtd_input.hpp"

#include <libxml/parserInternals.h>
#include <libxml/xmlmemory.h>

namespace zdu::config {
namespace {

std::string_view last_segment(std::string_view system_id) {
    const auto slash = system_id.find_last_of("/\\");
    return slash == std::string_view::npos ? system_id : system_id.substr(slash + 1);
}

// The DTDs are tiny, so a copy keeps libxml2 from ever holding on to our static text.
xmlParserInputBufferPtr buffer_of(const BundledDtd& dtd) {
    return xmlParserInputBufferCreateMem(dtd.text.data(), static_cast<int>(dtd.text.size()),
                                         XML_CHAR_ENCODING_UTF8);
}

}  // namespace

const BundledDtd* find_bundled_dtd(std::string_view system_id) {
    const auto name = last_segment(system_id);
    for (const auto& dtd : bundled_dtds()) {
        if (dtd.system_id == name) return &dtd;
    }
    return nullptr;
}

std::string bundled_dtd_names() {
    std::string names;
    for (const auto& dtd : bundled_dtds()) {
        if (!names.empty()) names += ", ";
        names += dtd.system_id;
    }
    return names;
}

xmlParserInputPtr open_bundled_dtd(xmlParserCtxtPtr ctxt, const BundledDtd& dtd) {
    xmlParserInputBufferPtr buffer = buffer_of(dtd);
    if (buffer == nullptr) return nullptr;
    // No encoding here: one would be applied to the document being parsed, not to the DTD.
    xmlParserInputPtr input = xmlNewIOInputStream(ctxt, buffer, XML_CHAR_ENCODING_NONE);
    if (input == nullptr) {
        xmlFreeParserInputBuffer(buffer);
        return nullptr;
    }
    // Names the DTD in libxml2's messages about it; freed with the input.
    const std::string name(dtd.system_id);
    input->filename =
        reinterpret_cast<const char*>(xmlStrdup(reinterpret_cast<const xmlChar*>(name.c_str())));
    return input;
}

XmlDtdPtr parse_bundled_dtd(const BundledDtd& dtd) {
    xmlParserInputBufferPtr buffer = buffer_of(dtd);
    if (buffer == nullptr) return nullptr;
    // Takes the buffer over, also on failure.
    return XmlDtdPtr(xmlIOParseDTD(nullptr, buffer, XML_CHAR_ENCODING_UTF8));
}

}  // namespace zdu::config
