#include "mod_zdu/policy/library.hpp"

#include <dlfcn.h>

#include <utility>

namespace zdu::glue {
namespace {

std::string last_dl_error(const char* fallback) {
    const char* e = dlerror();
    return e ? e : fallback;
}

}  // namespace

SharedLibrary::~SharedLibrary() {
    close();
}

SharedLibrary::SharedLibrary(SharedLibrary&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)) {}

SharedLibrary& SharedLibrary::operator=(SharedLibrary&& other) noexcept {
    if (this != &other) {
        close();
        handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
}

void SharedLibrary::close() {
    if (handle_) dlclose(handle_);
    handle_ = nullptr;
}

SharedLibrary SharedLibrary::open(const std::string& path, std::string& error) {
    // RTLD_LOCAL: the module's symbols must not satisfy or override anyone else's.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) error = last_dl_error("cannot be loaded");
    return SharedLibrary(handle);
}

void* SharedLibrary::symbol(const char* name, std::string& error) const {
    dlerror();  // a null symbol is only an error if dlerror() says so
    void* address = dlsym(handle_, name);
    if (!address) error = last_dl_error("symbol is null");
    return address;
}

}  // namespace zdu::glue
