#include "headers/backend_headers.hpp"

#include "routing/header_text.hpp"

namespace zdu::headers {
namespace {

constexpr const char* kNames =
    "Proxy-jroute, Proxy-ip, Proxy-keysize, Proxy-auth-cert, "
    "X-Forwarded-Proto";

// The flag a header name stands for, or null when mod_zdu sends no such header.
bool* flag_of(BackendHeaders& h, std::string_view name) {
    using routing::iequals;
    if (iequals(name, "Proxy-jroute")) return &h.jroute;
    if (iequals(name, "Proxy-ip")) return &h.ip;
    if (iequals(name, "Proxy-keysize")) return &h.keysize;
    if (iequals(name, "Proxy-auth-cert")) return &h.auth_cert;
    if (iequals(name, "X-Forwarded-Proto")) return &h.forwarded_proto;
    return nullptr;
}

}  // namespace

std::string BackendHeaders::apply(std::string_view argument) {
    if (!configured_) {
        configured_ = true;
        jroute = ip = keysize = auth_cert = forwarded_proto = false;
    }
    if (routing::iequals(argument, "none")) {
        jroute = ip = keysize = auth_cert = forwarded_proto = false;
        return {};
    }
    bool* flag = flag_of(*this, argument);
    if (!flag) {
        return "'" + std::string(argument) + "' is not a header mod_zdu sends (" + kNames +
               ", or none)";
    }
    *flag = true;
    return {};
}

}  // namespace zdu::headers
