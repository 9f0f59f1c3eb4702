// The cross-process mutex of config publishers (the poller, cmd=reload): one publish at a time
// in the whole server. Never taken on the request path. Its mechanism is httpd's default for
// the "zdu-reload" mutex (the Mutex directive can change it).
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

void register_publish_lock();  // from register_hooks

// Holds the mutex for its lifetime; locked() is false when there is none or it failed.
class PublishLock {
  public:
    PublishLock();
    ~PublishLock();
    PublishLock(const PublishLock&) = delete;
    PublishLock& operator=(const PublishLock&) = delete;
    bool locked() const { return locked_; }

  private:
    bool locked_ = false;
};

}  // namespace zdu::glue
