#include "config/xml_reader.hpp"

#include <libxml/SAX2.h>
#include <libxml/valid.h>

#include <climits>

#include "config/bundled_dtd_input.hpp"
#include "config/entity_loader_guard.hpp"
#include "config/parse_session.hpp"

namespace zdu::config {
namespace {

// Never XML_PARSE_NOENT (entity substitution) nor XML_PARSE_HUGE (lifts libxml2's limits).
constexpr int kParseOptions = XML_PARSE_DTDVALID | XML_PARSE_NONET | XML_PARSE_BIG_LINES;

std::string text_of(const xmlChar* text) {
    return text != nullptr ? reinterpret_cast<const char*>(text) : "";
}

void init_libxml() {
    // libxml2 wants one initialisation before threads use it; this runs once.
    static const bool initialised = [] {
        xmlInitParser();
        return true;
    }();
    (void)initialised;
}

// Resolves only the bundled DTDs, whatever directory or URL the system id puts them under.
xmlParserInputPtr resolve_entity(void* ctx, const xmlChar* /*public_id*/,
                                 const xmlChar* system_id) {
    auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
    const std::string uri = text_of(system_id);
    if (const auto* dtd = find_bundled_dtd(uri)) return open_bundled_dtd(ctxt, *dtd);
    ParseSession::of(ctx).refuse(ctxt, "refused to load '" + uri +
                                           "': a DOCTYPE may only name a bundled DTD (" +
                                           bundled_dtd_names() + ")");
    return nullptr;
}

// The internal subset (between the DOCTYPE's brackets) is where entities that read files or
// expand without bound would be declared, and where the bundled DTD could be overridden; so it
// may declare nothing at all. The parser is stopped before any such declaration takes effect.
bool refused_in_internal_subset(void* ctx, const std::string& what) {
    auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
    if (ctxt->inSubset != 1) return false;
    ParseSession::of(ctx).refuse(ctxt, "the DOCTYPE declares " + what + "; " +
                                           std::string(EntityLoaderGuard::document_kind()) +
                                           " may not declare entities, elements, attributes or "
                                           "notations of its own");
    return true;
}

std::string entity_text(const xmlChar* name, int type, const xmlChar* system_id) {
    const bool parameter =
        type == XML_INTERNAL_PARAMETER_ENTITY || type == XML_EXTERNAL_PARAMETER_ENTITY;
    std::string out = parameter ? "parameter entity '%" : "entity '";
    out += text_of(name) + "'";
    if (system_id != nullptr) out += " (SYSTEM '" + text_of(system_id) + "')";
    return out;
}

void on_entity_decl(void* ctx, const xmlChar* name, int type, const xmlChar* public_id,
                    const xmlChar* system_id, xmlChar* content) {
    if (refused_in_internal_subset(ctx, entity_text(name, type, system_id))) return;
    xmlSAX2EntityDecl(ctx, name, type, public_id, system_id, content);
}

void on_unparsed_entity_decl(void* ctx, const xmlChar* name, const xmlChar* public_id,
                             const xmlChar* system_id, const xmlChar* notation) {
    if (refused_in_internal_subset(
            ctx, entity_text(name, XML_EXTERNAL_GENERAL_UNPARSED_ENTITY, system_id))) {
        return;
    }
    xmlSAX2UnparsedEntityDecl(ctx, name, public_id, system_id, notation);
}

void on_element_decl(void* ctx, const xmlChar* name, int type, xmlElementContentPtr content) {
    if (refused_in_internal_subset(ctx, "element '" + text_of(name) + "'")) return;
    xmlSAX2ElementDecl(ctx, name, type, content);
}

void on_attribute_decl(void* ctx, const xmlChar* element, const xmlChar* name, int type, int def,
                       const xmlChar* default_value, xmlEnumerationPtr values) {
    const std::string what = "attribute '" + text_of(name) + "' of '" + text_of(element) + "'";
    if (refused_in_internal_subset(ctx, what)) {
        xmlFreeEnumeration(values);  // ours to free: the callee owns it
        return;
    }
    xmlSAX2AttributeDecl(ctx, element, name, type, def, default_value, values);
}

void on_notation_decl(void* ctx, const xmlChar* name, const xmlChar* public_id,
                      const xmlChar* system_id) {
    if (refused_in_internal_subset(ctx, "notation '" + text_of(name) + "'")) return;
    xmlSAX2NotationDecl(ctx, name, public_id, system_id);
}

void install_hooks(xmlParserCtxt& ctxt, ParseSession& session) {
    session.attach(ctxt);
    xmlSAXHandler& sax = *ctxt.sax;
    sax.resolveEntity = resolve_entity;
    sax.entityDecl = on_entity_decl;
    sax.unparsedEntityDecl = on_unparsed_entity_decl;
    sax.elementDecl = on_element_decl;
    sax.attributeDecl = on_attribute_decl;
    sax.notationDecl = on_notation_decl;
}

// A document whose DOCTYPE names no DTD is checked against the default one; libxml2 reports
// through the parser context's own validation context, so errors reach the session.
void validate_against_default_dtd(xmlParserCtxt& ctxt, xmlDoc& doc, ParseSession& session,
                                  std::string_view default_dtd) {
    const BundledDtd* bundled = find_bundled_dtd(default_dtd);
    const XmlDtdPtr dtd = bundled != nullptr ? parse_bundled_dtd(*bundled) : nullptr;
    if (!dtd) {
        session.add_error(0, "the bundled " + std::string(default_dtd) + " cannot be used");
        return;
    }
    xmlValidateDtd(&ctxt.vctxt, &doc, dtd.get());
}

}  // namespace

XmlReadResult read_xml(std::string_view xml, const std::string& file) {
    return read_xml(xml, file, kDefaultDtd, "loadbalancer.xml");
}

XmlReadResult read_xml(std::string_view xml, const std::string& file, std::string_view default_dtd,
                       std::string_view document_kind) {
    init_libxml();
    ParseSession session(file);
    const ScopedThreadErrorHandler thread_errors(session);
    const EntityLoaderGuard entity_loader(session, document_kind);
    XmlReadResult result;
    const XmlParserCtxtPtr ctxt(xmlNewParserCtxt());
    if (!ctxt || xml.size() > static_cast<std::size_t>(INT_MAX)) {
        session.add_error(0, ctxt ? "the file is too large" : "out of memory");
        result.diagnostics = session.take_diagnostics();
        return result;
    }
    install_hooks(*ctxt, session);
    result.doc.reset(xmlCtxtReadMemory(ctxt.get(), xml.data(), static_cast<int>(xml.size()),
                                       file.c_str(), nullptr, kParseOptions));
    if (session.refused()) result.doc.reset();
    if (result.doc && result.doc->extSubset == nullptr) {
        validate_against_default_dtd(*ctxt, *result.doc, session, default_dtd);
    }
    result.diagnostics = session.take_diagnostics();
    return result;
}

}  // namespace zdu::config
