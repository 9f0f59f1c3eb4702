#include "manager/query.hpp"

#include "config/text.hpp"

namespace zdu::manager {
namespace {

using config::quoted;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Adds one "name=value" segment; an error message when it cannot.
std::string add_param(Query& q, std::string_view segment) {
    auto eq = segment.find('=');
    Param p;
    std::string_view raw_name = segment.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? "" : segment.substr(eq + 1);
    if (!form_decode(raw_name, p.name) || !form_decode(raw_value, p.value)) {
        return "malformed query parameter " + quoted(segment);
    }
    if (p.name.empty()) return "query parameter without a name: " + quoted(segment);
    if (q.find(p.name)) return "query parameter " + quoted(p.name) + " given more than once";
    q.params.push_back(std::move(p));
    return {};
}

}  // namespace

const std::string* Query::find(std::string_view name) const {
    for (const auto& p : params) {
        if (p.name == name) return &p.value;
    }
    return nullptr;
}

bool form_decode(std::string_view in, std::string& out) {
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '+') {
            out += ' ';
        } else if (c != '%') {
            out += c;
        } else {
            if (i + 2 >= in.size()) return false;
            int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return false;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
    }
    return true;
}

Query parse_query(std::string_view query) {
    Query q;
    while (!query.empty() && q.ok()) {
        auto amp = query.find('&');
        std::string_view segment = query.substr(0, amp);
        if (!segment.empty()) q.error = add_param(q, segment);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    if (!q.ok()) q.params.clear();
    return q;
}

}  // namespace zdu::manager
