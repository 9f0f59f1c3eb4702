// A second line of defence behind the loader's SAX hooks: while a load runs, libxml2's
// process-wide external entity loader refuses everything asked for on that thread, so no path
// through libxml2 can read a file or the network on the loader's behalf. (The bundled DTDs never
// go through it: the parser context's own resolver hands them over.)
#pragma once

#include <string_view>

#include "config/parse_session.hpp"

namespace zdu::config {

// Installs the refusing loader when the first concurrent load starts and puts the previous one
// back when the last ends, so nothing points into this code once no load runs. Threads that are
// not loading keep getting the previous loader.
class EntityLoaderGuard {
  public:
    // `document_kind` ("loadbalancer.xml", "a cluster description") names what is being read in
    // the refusals; it must outlive the guard.
    EntityLoaderGuard(ParseSession& session, std::string_view document_kind);
    ~EntityLoaderGuard();
    EntityLoaderGuard(const EntityLoaderGuard&) = delete;
    EntityLoaderGuard& operator=(const EntityLoaderGuard&) = delete;

    // The kind of document the load running on this thread reads.
    static std::string_view document_kind();

  private:
    ParseSession* outer_session_;
    std::string_view outer_kind_;
};

}  // namespace zdu::config
