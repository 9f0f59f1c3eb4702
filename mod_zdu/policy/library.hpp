// A shared library opened with dlopen and closed when its owner goes away.
#pragma once

#include <string>

namespace zdu::glue {

// Owned by the policy that calls into it rather than by a config pool: pool cleanups run in an
// order that could unload the code before the policy's destroy() ran.
class SharedLibrary {
  public:
    SharedLibrary() = default;
    ~SharedLibrary();
    SharedLibrary(SharedLibrary&& other) noexcept;
    SharedLibrary& operator=(SharedLibrary&& other) noexcept;
    SharedLibrary(const SharedLibrary&) = delete;
    SharedLibrary& operator=(const SharedLibrary&) = delete;

    // Every symbol is resolved now, so an incomplete library fails at config time rather than
    // on a request. Empty library and `error` set on failure.
    static SharedLibrary open(const std::string& path, std::string& error);

    // The address of `name`, or null with `error` set.
    void* symbol(const char* name, std::string& error) const;

    explicit operator bool() const { return handle_ != nullptr; }

  private:
    explicit SharedLibrary(void* handle) : handle_(handle) {}
    void close();

    void* handle_ = nullptr;
};

}  // namespace zdu::glue
