#include "config/listener_parser.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "config/text.hpp"

namespace zdu::config {
namespace {

std::optional<Scheme> parse_scheme(std::string_view text) {
    for (Scheme s : {Scheme::Http, Scheme::Https, Scheme::Ajp}) {
        if (scheme_name(s) == text) return s;
    }
    return std::nullopt;
}

bool is_host_name(std::string_view host) {
    return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    });
}

bool is_ipv6_literal(std::string_view host) {
    return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
}

struct HostPort {
    std::string_view host;
    std::optional<std::string_view> port;  // the text after the separating ':'
    bool bracketed = false;
};

// Splits "host:port" or "[v6]:port"; nullopt when the brackets are unbalanced.
std::optional<HostPort> split_authority(std::string_view authority) {
    HostPort out;
    std::string_view rest;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        out.host = authority.substr(1, close - 1);
        out.bracketed = true;
        rest = authority.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') return std::nullopt;
    } else {
        const auto colon = authority.rfind(':');
        out.host = authority.substr(0, colon);
        rest = colon == std::string_view::npos ? std::string_view() : authority.substr(colon);
    }
    if (!rest.empty()) out.port = rest.substr(1);
    return out;
}

bool valid_port_text(std::string_view text) {
    return !text.empty() && text.size() <= 5 && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

}  // namespace

std::variant<Listener, std::string> parse_listener(std::string_view text) {
    const std::string quoted = "listener '" + std::string(text) + "'";
    const auto sep = text.find("://");
    if (sep == std::string_view::npos) {
        return quoted +
               " is not a URL (expected http://host:port, https://host:port or "
               "ajp://host:port)";
    }
    const auto scheme = parse_scheme(text.substr(0, sep));
    if (!scheme) {
        return quoted + " has scheme '" + std::string(text.substr(0, sep)) +
               "' (expected http, https or ajp)";
    }
    const auto authority = split_authority(text.substr(sep + 3));
    if (!authority) return quoted + " has an unbalanced '[' in its IPv6 address";
    if (authority->host.empty()) return quoted + " has no host";
    const bool host_ok =
        authority->bracketed ? is_ipv6_literal(authority->host) : is_host_name(authority->host);
    if (!host_ok) return quoted + " has a malformed host '" + std::string(authority->host) + "'";
    if (!authority->port) return quoted + " has no port";
    const auto port =
        valid_port_text(*authority->port) ? parse_int(*authority->port) : std::nullopt;
    if (!port || *port < 1 || *port > 65535) {
        return quoted + " has port '" + std::string(*authority->port) + "' (expected 1..65535)";
    }
    return Listener{*scheme, std::string(authority->host), static_cast<std::uint16_t>(*port)};
}

}  // namespace zdu::config
