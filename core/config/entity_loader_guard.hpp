// A second line of defence behind the loader's SAX hooks: while a load runs, libxml2's
// process-wide external entity loader refuses everything asked for on that thread, so no path
// through libxml2 can read a file or the network on the loader's behalf. (The bundled DTDs never
// go through it: the parser context's own resolver hands them over.)
#pragma once

#include "config/parse_session.hpp"

namespace zdu::config {

// Installs the refusing loader when the first concurrent load starts and puts the previous one
// back when the last ends, so nothing points into this code once no load runs. Threads that are
// not loading keep getting the previous loader.
class EntityLoaderGuard {
  public:
    explicit EntityLoaderGuard(ParseSession& session);
    ~EntityLoaderGuard();
    EntityLoaderGuard(const EntityLoaderGuard&) = delete;
    EntityLoaderGuard& operator=(const EntityLoaderGuard&) = delete;

  private:
    ParseSession* outer_session_;
};

}  // namespace zdu::config
