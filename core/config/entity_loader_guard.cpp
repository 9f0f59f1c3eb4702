#include "config/entity_loader_guard.hpp"

#include <libxml/parserInternals.h>

#include <mutex>
#include <string>

namespace zdu::config {
namespace {

std::mutex install_mutex;
int active_loads = 0;                               // guarded by install_mutex
xmlExternalEntityLoader previous_loader = nullptr;  // guarded by install_mutex

thread_local ParseSession* current_session = nullptr;
thread_local std::string_view current_kind = "loadbalancer.xml";

xmlParserInputPtr refusing_loader(const char* url, const char* id, xmlParserCtxtPtr ctxt) {
    if (current_session == nullptr) {
        xmlExternalEntityLoader previous = nullptr;
        {
            const std::lock_guard<std::mutex> lock(install_mutex);
            previous = previous_loader;
        }
        return previous != nullptr ? previous(url, id, ctxt) : nullptr;
    }
    const std::string what = url != nullptr ? url : (id != nullptr ? id : "");
    if (ctxt != nullptr) {
        current_session->refuse(ctxt, "refused to load '" + what + "': " +
                                          std::string(current_kind) + " may not read other files");
    } else {
        current_session->add_error(0, "refused to load '" + what + "'");
    }
    return nullptr;
}

}  // namespace

EntityLoaderGuard::EntityLoaderGuard(ParseSession& session, std::string_view document_kind)
    : outer_session_(current_session), outer_kind_(current_kind) {
    current_session = &session;
    current_kind = document_kind;
    const std::lock_guard<std::mutex> lock(install_mutex);
    if (active_loads++ == 0) {
        previous_loader = xmlGetExternalEntityLoader();
        xmlSetExternalEntityLoader(refusing_loader);
    }
}

EntityLoaderGuard::~EntityLoaderGuard() {
    {
        const std::lock_guard<std::mutex> lock(install_mutex);
        if (--active_loads == 0) {
            xmlSetExternalEntityLoader(previous_loader);
            previous_loader = nullptr;
        }
    }
    current_session = outer_session_;
    current_kind = outer_kind_;
}

std::string_view EntityLoaderGuard::document_kind() {
    return current_kind;
}

}  // namespace zdu::config
