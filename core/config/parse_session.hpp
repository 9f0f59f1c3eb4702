// Collects what libxml2 reports while one loadbalancer.xml is parsed, as Diagnostics, instead of
// letting libxml2 print it.
#pragma once

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <string>
#include <utility>
#include <vector>

#include "config/diagnostic.hpp"

namespace zdu::config {

class ParseSession {
  public:
    explicit ParseSession(std::string file) : file_(std::move(file)) {}

    void add_libxml_error(const xmlError& error);
    void add_error(int line, std::string message);

    // Stops `ctxt` for a reason of ours: what libxml2 reports after that is only its echo.
    void refuse(xmlParserCtxtPtr ctxt, std::string message);
    bool refused() const { return refused_; }

    const std::string& file() const { return file_; }
    std::vector<Diagnostic> take_diagnostics() { return std::move(diagnostics_); }

    // The session a parser context belongs to (see attach).
    static ParseSession& of(void* ctxt);
    void attach(xmlParserCtxt& ctxt);

  private:
    std::string file_;
    std::vector<Diagnostic> diagnostics_;
    bool refused_ = false;
};

// While alive, routes libxml2 errors raised outside any parser context on this thread (libxml2
// keeps that handler per thread) to `session`; puts the previous handler back when destroyed.
class ScopedThreadErrorHandler {
  public:
    explicit ScopedThreadErrorHandler(ParseSession& session);
    ~ScopedThreadErrorHandler();
    ScopedThreadErrorHandler(const ScopedThreadErrorHandler&) = delete;
    ScopedThreadErrorHandler& operator=(const ScopedThreadErrorHandler&) = delete;

  private:
    xmlStructuredErrorFunc saved_handler_;
    void* saved_context_;
};

}  // namespace zdu::config
