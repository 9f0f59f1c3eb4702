#include "headers/strip_list.hpp"

#include <algorithm>

#include "routing/header_text.hpp"

namespace zdu::headers {
namespace {

bool is_own(std::string_view name) {
    const auto& own = own_headers();
    return std::any_of(own.begin(), own.end(),
                       [&](const std::string& o) { return routing::iequals(o, name); });
}

// Read by httpd (the request body) or mod_proxy (the Host it forwards) after translate_name,
// where the strip list applies: removing one desynchronises the client connection.
bool frames_request(std::string_view name) {
    return routing::iequals(name, "Transfer-Encoding") ||
           routing::iequals(name, "Content-Length") || routing::iequals(name, "Host");
}

}  // namespace

const std::vector<std::string>& own_headers() {
    static const std::vector<std::string> names = {
        "Proxy-jroute",    "Proxy-ip",   "Proxy-keysize",
        "Proxy-auth-cert", "Proxy-ping", "X-Forwarded-Proto",
    };
    return names;
}

const std::vector<std::string>& default_strip_headers() {
    static const std::vector<std::string> names = {
        // Re-added by mod_proxy with the front-end's values.
        "X-Forwarded-For",
        "X-Forwarded-Host",
        "X-Forwarded-Server",
        // RFC 7239 and the rest of the X-Forwarded-* family (Spring, Jetty, Rack, ...).
        "Forwarded",
        "X-Forwarded",
        "X-Forwarded-Port",
        "X-Forwarded-Prefix",
        "X-Forwarded-Ssl",
        "X-Forwarded-Scheme",
        "X-Forwarded-Protocol",
        "X-Forwarded-By",
        "X-Url-Scheme",
        "Front-End-Https",
        "X-Proxied-Https",
        // Client addresses set by other proxies and CDNs.
        "X-Real-IP",
        "X-Client-IP",
        "Client-IP",
        "X-Cluster-Client-IP",
        "True-Client-IP",
        "CF-Connecting-IP",
        "Fastly-Client-IP",
        "X-Original-Forwarded-For",
        "X-Originating-IP",
        "X-Remote-IP",
        "X-Remote-Addr",
        "Proxy-Client-IP",
        "HTTP_CLIENT_IP",
        "HTTP_X_FORWARDED_FOR",
        // TLS facts: WebLogic's plug-in, Sun's proxies, Tomcat's SSLValve, RFC 9440, Envoy.
        "WL-Proxy-Client-IP",
        "WL-Proxy-SSL",
        "WL-Proxy-Client-Cert",
        "WL-Proxy-Client-Keysize",
        "WL-Proxy-Client-Secretkeysize",
        "Proxy-ssl-id",
        "Proxy-cipher",
        "Proxy-secret-keysize",
        "Proxy-issuer-dn",
        "Proxy-user-dn",
        "SSL_CLIENT_CERT",
        "SSL_CLIENT_ESCAPED_CERT",
        "SSL_CIPHER",
        "SSL_SESSION_ID",
        "SSL_CIPHER_USEKEYSIZE",
        "Client-Cert",
        "Client-Cert-Chain",
        "X-Forwarded-Client-Cert",
        "X-SSL-Client-Cert",
        "X-Client-Cert",
    };
    return names;
}

StripList::StripList() : listed_(default_strip_headers()) {
    rebuild();
}

std::string StripList::apply(std::string_view argument) {
    if (routing::iequals(argument, "none")) {
        listed_.clear();
        rebuild();
        return {};
    }
    bool remove = !argument.empty() && argument.front() == '-';
    std::string_view name = remove ? argument.substr(1) : argument;
    if (!is_header_name(name)) return "'" + std::string(argument) + "' is not a header name";
    auto same = [&](const std::string& n) { return routing::iequals(n, name); };
    if (!remove && frames_request(name)) {
        return std::string(name) + " frames the request: it cannot be removed";
    }
    if (remove && is_own(name)) {
        return std::string(name) + " is set by mod_zdu: a client's is always removed";
    }
    listed_.erase(std::remove_if(listed_.begin(), listed_.end(), same), listed_.end());
    if (!remove) listed_.emplace_back(name);
    rebuild();
    return {};
}

void StripList::rebuild() {
    std::vector<std::string> all = own_headers();
    all.insert(all.end(), listed_.begin(), listed_.end());
    set_ = HeaderNameSet(all);
}

}  // namespace zdu::headers
