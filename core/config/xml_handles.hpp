// Owning handles for the libxml2 objects the loader creates.
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>

namespace zdu::config {

struct XmlDocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct XmlDtdFree {
    void operator()(xmlDtd* dtd) const { xmlFreeDtd(dtd); }
};
struct XmlParserCtxtFree {
    void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};
struct XmlCharFree {
    void operator()(xmlChar* text) const { xmlFree(text); }
};

using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;
using XmlDtdPtr = std::unique_ptr<xmlDtd, XmlDtdFree>;
using XmlParserCtxtPtr = std::unique_ptr<xmlParserCtxt, XmlParserCtxtFree>;
using XmlCharPtr = std::unique_ptr<xmlChar, XmlCharFree>;

}  // namespace zdu::config
