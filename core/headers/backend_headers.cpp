#include "headers/backend_headers.hpp"

#include "routing/header_text.hpp"

namespace zdu::headers {
namespace {

constexpr const char* kNames =
    "Proxy-jroute, Proxy-ip, Proxy-keysize, Proxy-auth-cert, "
    "X-Forwarded-Proto, auto, all, or none";

// The flag a header name stands for, or null when mod_zdu sends no such header.
bool* flag_of(HeaderSelection& h, std::string_view name) {
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
    using routing::iequals;
    if (!configured_) {
        configured_ = true;
        automatic = false;
        always = HeaderSelection{};
    }
    if (iequals(argument, "none")) {
        automatic = false;
        always = HeaderSelection{};
        return {};
    }
    if (iequals(argument, "auto")) {
        automatic = true;
        return {};
    }
    if (iequals(argument, "all")) {
        always = HeaderSelection{true, true, true, true, true};
        return {};
    }
    bool* flag = flag_of(always, argument);
    if (!flag) {
        return "'" + std::string(argument) + "' is not a header mod_zdu sends (" + kNames + ")";
    }
    *flag = true;
    return {};
}

}  // namespace zdu::headers
