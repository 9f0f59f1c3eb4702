#include "config/parse_session.hpp"

#include <libxml/globals.h>

#include "config/text.hpp"

namespace zdu::config {
namespace {

// Validity errors carry the element they are about; its start line beats the parser's position,
// which after the parse is the end of the file.
int line_of(const xmlError& error) {
    if (error.domain == XML_FROM_VALID && error.node != nullptr) {
        const long line = xmlGetLineNo(static_cast<const xmlNode*>(error.node));
        if (line > 0) return static_cast<int>(line);
    }
    return error.line;
}

// libxml2 2.12 made the error argument const; a template fits both signatures.
template <typename ErrorPtr>
void on_parser_error(void* ctxt, ErrorPtr error) {
    // libxml2 hands _private on to the contexts it derives for entities; a context without one
    // is none of ours.
    auto* session = static_cast<ParseSession*>(static_cast<xmlParserCtxtPtr>(ctxt)->_private);
    if (session != nullptr && error != nullptr) session->add_libxml_error(*error);
}

template <typename ErrorPtr>
void on_thread_error(void* session, ErrorPtr error) {
    if (error != nullptr) static_cast<ParseSession*>(session)->add_libxml_error(*error);
}

}  // namespace

void ParseSession::add_libxml_error(const xmlError& error) {
    // A missing DTD is handled by validating against the default one after the parse.
    if (refused_ || error.code == XML_DTD_NO_DTD) return;
    Diagnostic d;
    d.severity = error.level == XML_ERR_WARNING ? Diagnostic::Severity::Warning
                                                : Diagnostic::Severity::Error;
    d.file = error.file != nullptr ? error.file : file_;
    d.line = line_of(error);
    d.message = std::string(trim(error.message != nullptr ? error.message : "unknown XML error"));
    diagnostics_.push_back(std::move(d));
}

void ParseSession::add_error(int line, std::string message) {
    diagnostics_.push_back({Diagnostic::Severity::Error, file_, line, std::move(message)});
}

void ParseSession::refuse(xmlParserCtxtPtr ctxt, std::string message) {
    if (refused_) return;
    add_error(ctxt->input != nullptr ? ctxt->input->line : 0, std::move(message));
    refused_ = true;
    xmlStopParser(ctxt);
}

ParseSession& ParseSession::of(void* ctxt) {
    return *static_cast<ParseSession*>(static_cast<xmlParserCtxtPtr>(ctxt)->_private);
}

void ParseSession::attach(xmlParserCtxt& ctxt) {
    ctxt._private = this;
    xmlStructuredErrorFunc handler = on_parser_error;
    ctxt.sax->serror = handler;
}

ScopedThreadErrorHandler::ScopedThreadErrorHandler(ParseSession& session)
    : saved_handler_(xmlStructuredError), saved_context_(xmlStructuredErrorContext) {
    xmlStructuredErrorFunc handler = on_thread_error;
    xmlSetStructuredErrorFunc(&session, handler);
}

ScopedThreadErrorHandler::~ScopedThreadErrorHandler() {
    xmlSetStructuredErrorFunc(saved_context_, saved_handler_);
}

}  // namespace zdu::config
