// The manager's request parsing: the query string form-decoded into unique parameters, then the
// command it names checked against the method. Input: a raw query string; its first byte picks
// the method.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "manager/command.hpp"
#include "manager/query.hpp"

using namespace zdu;

namespace {

// Escapes every byte but [A-Za-z0-9], so parsing the result must give the parameters back.
std::string form_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    return out;
}

void check_query(std::string_view raw) {
    const manager::Query q = manager::parse_query(raw);
    if (!q.ok()) {
        ZDU_FUZZ_CHECK(q.params.empty());
        return;
    }
    std::string again;
    for (std::size_t i = 0; i < q.params.size(); ++i) {
        const auto& p = q.params[i];
        ZDU_FUZZ_CHECK(!p.name.empty());
        ZDU_FUZZ_CHECK(p.name.find('\0') == std::string::npos);
        ZDU_FUZZ_CHECK(p.value.find('\0') == std::string::npos);
        ZDU_FUZZ_CHECK(q.find(p.name) == &p.value);  // names are unique
        if (i) again += '&';
        again += form_encode(p.name) + "=" + form_encode(p.value);
    }
    const manager::Query round = manager::parse_query(again);
    ZDU_FUZZ_CHECK(round.ok() && round.params.size() == q.params.size());
    for (std::size_t i = 0; i < q.params.size(); ++i) {
        ZDU_FUZZ_CHECK(round.params[i].name == q.params[i].name);
        ZDU_FUZZ_CHECK(round.params[i].value == q.params[i].value);
    }
}

void check_decode(std::string_view raw) {
    std::string out;
    if (!manager::form_decode(raw, out)) return;
    ZDU_FUZZ_CHECK(out.size() <= raw.size());
    ZDU_FUZZ_CHECK(out.find('\0') == std::string::npos);
    std::string twice;
    ZDU_FUZZ_CHECK(manager::form_decode(form_encode(out), twice) && twice == out);
}

void check_command(std::string_view method, std::string_view raw) {
    const manager::ParsedCommand p = manager::parse_command(method, raw);
    ZDU_FUZZ_CHECK(p.ok() == (p.status == 200));
    ZDU_FUZZ_CHECK(p.ok() || p.status == 400 || p.status == 405);
    if (p.status == 405) ZDU_FUZZ_CHECK(!p.allow.empty());
    if (!p.ok()) return;
    const manager::Command& c = p.command;
    // Only POST changes state; HEAD counts as GET.
    if (c.changes_state() || c.takes_body()) ZDU_FUZZ_CHECK(method == "POST");
    if (c.drains()) {
        ZDU_FUZZ_CHECK(c.timeout_seconds >= 0 &&
                       c.timeout_seconds <= manager::kMaxDrainTimeoutSeconds);
    }
    if (c.kind == manager::CommandKind::StartCanary) {
        ZDU_FUZZ_CHECK(c.percent >= 1 && c.percent <= 100);
    }
    ZDU_FUZZ_CHECK(!manager::describe(c).empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static constexpr std::string_view kMethods[] = {"GET", "POST", "HEAD", "PUT"};
    const std::string_view method = kMethods[data[0] % 4];
    // httpd hands the query over as a C string: it never holds a raw NUL, only "%00".
    std::string_view raw = fuzz::as_text(data + 1, size - 1);
    raw = raw.substr(0, raw.find('\0'));
    check_decode(raw);
    check_query(raw);
    check_command(method, raw);
    return 0;
}
