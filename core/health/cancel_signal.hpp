// A one-shot "stop now" that threads blocked in poll() notice at once: the read end of a pipe
// that becomes readable, for good, when fired. Pings watch it next to their socket, so stopping
// the checker never waits for a backend's timeout.
#pragma once

namespace zdu::health {

class CancelSignal {
  public:
    CancelSignal();  // throws std::system_error when no pipe can be made
    ~CancelSignal();
    CancelSignal(const CancelSignal&) = delete;
    CancelSignal& operator=(const CancelSignal&) = delete;

    // Idempotent and safe from any thread.
    void fire();
    bool fired() const;
    // Readable once fired; for poll() next to other descriptors.
    int fd() const { return read_fd_; }

  private:
    int read_fd_ = -1;
    int write_fd_ = -1;
};

}  // namespace zdu::health
