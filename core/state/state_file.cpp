#include "state/state_file.hpp"

#include <charconv>
#include <optional>

namespace zdu::state {

bool InstanceState::operator==(const InstanceState& o) const {
    return cluster == o.cluster && instance == o.instance && admin == o.admin &&
           admin_since_ms == o.admin_since_ms && disabled_since_ms == o.disabled_since_ms &&
           unhealthy_since_ms == o.unhealthy_since_ms && last_error == o.last_error &&
           last_error_ms == o.last_error_ms && check_failures == o.check_failures &&
           sessions_unknown_since_ms == o.sessions_unknown_since_ms &&
           drain_state == o.drain_state && draining_since_ms == o.draining_since_ms &&
           drained_since_ms == o.drained_since_ms;
}

bool WebModuleState::operator==(const WebModuleState& o) const {
    return cluster == o.cluster && context_root == o.context_root &&
           disabled_since_ms == o.disabled_since_ms && admin == o.admin &&
           admin_since_ms == o.admin_since_ms;
}

bool ClusterState::operator==(const ClusterState& o) const {
    return cluster == o.cluster && active_version_key == o.active_version_key &&
           active_version_since_ms == o.active_version_since_ms && canary == o.canary &&
           canary_since_ms == o.canary_since_ms && active_version == o.active_version &&
           canary_version == o.canary_version;
}

namespace {

constexpr std::string_view kAdminNames[] = {"active", "disabled", "stopped"};
// lifecycle::DrainState by value.
constexpr std::string_view kDrainNames[] = {"active", "draining", "drained"};

bool plain(unsigned char c) {
    return c > 0x20 && c < 0x7f && c != '%' && c != '=';
}

std::string escaped(std::string_view name) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : name) {
        if (plain(c)) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out.empty() ? "%" : out;  // a lone '%' is the empty name
}

std::string field(std::string_view key, std::int64_t value) {
    return " " + std::string(key) + "=" + std::to_string(value);
}

std::string ufield(std::string_view key, std::uint64_t value) {
    return " " + std::string(key) + "=" + std::to_string(value);
}

std::string_view admin_name(AdminState a) {
    auto i = static_cast<std::uint32_t>(a);
    return i < std::size(kAdminNames) ? kAdminNames[i] : "unknown";  // the parser refuses it
}

std::string_view drain_name(std::uint32_t d) {
    return d < std::size(kDrainNames) ? kDrainNames[d] : "unknown";  // the parser refuses it
}

std::string instance_line(const InstanceState& s) {
    return "instance " + escaped(s.cluster) + " " + escaped(s.instance) +
           " admin=" + std::string(admin_name(s.admin)) +
           field("admin-since-ms", s.admin_since_ms) +
           field("disabled-since-ms", s.disabled_since_ms) +
           field("unhealthy-since-ms", s.unhealthy_since_ms) + field("last-error", s.last_error) +
           field("last-error-ms", s.last_error_ms) + field("check-failures", s.check_failures) +
           field("sessions-unknown-since-ms", s.sessions_unknown_since_ms) +
           " drain-state=" + std::string(drain_name(s.drain_state)) +
           field("draining-since-ms", s.draining_since_ms) +
           field("drained-since-ms", s.drained_since_ms) + "\n";
}

}  // namespace

std::string format_state_file(const StateFile& file) {
    std::string text = "# mod_zdu state: written by httpd's parent process; do not edit\n";
    text += "zdu-state " + std::to_string(kStateFileFormat) + "\n";
    text += "written-ms " + std::to_string(file.written_ms) + "\n";
    for (const auto& s : file.instances) text += instance_line(s);
    for (const auto& w : file.web_modules) {
        text += "web-module " + escaped(w.cluster) + " " + escaped(w.context_root) +
                field("disabled-since-ms", w.disabled_since_ms);
        if (w.admin != AdminState::Active) {
            text += " admin=" + std::string(admin_name(w.admin)) +
                    field("admin-since-ms", w.admin_since_ms);
        }
        text += "\n";
    }
    for (const auto& c : file.clusters) {
        if (!c.any()) continue;
        text += "cluster " + escaped(c.cluster) +
                ufield("active-version-key", c.active_version_key) +
                field("active-version-since-ms", c.active_version_since_ms) +
                ufield("canary", c.canary) + field("canary-since-ms", c.canary_since_ms) +
                " active-version=" + escaped(c.active_version) +
                " canary-version=" + escaped(c.canary_version) + "\n";
    }
    return text + "end\n";
}

namespace {

std::vector<std::string_view> words_of(std::string_view line) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ') ++i;
        std::size_t start = i;
        while (i < line.size() && line[i] != ' ') ++i;
        if (i > start) words.push_back(line.substr(start, i - start));
    }
    return words;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::optional<std::string> unescaped(std::string_view word) {
    if (word == "%") return std::string();
    std::string out;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (word[i] != '%') {
            out += word[i];
            continue;
        }
        if (i + 2 >= word.size()) return std::nullopt;
        int hi = hex_digit(word[i + 1]), lo = hex_digit(word[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

template <typename T>
bool number(std::string_view text, T& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

bool admin_of(std::string_view text, AdminState& out) {
    for (std::uint32_t i = 0; i < std::size(kAdminNames); ++i) {
        if (kAdminNames[i] == text) {
            out = static_cast<AdminState>(i);
            return true;
        }
    }
    return false;
}

bool drain_of(std::string_view text, std::uint32_t& out) {
    for (std::uint32_t i = 0; i < std::size(kDrainNames); ++i) {
        if (kDrainNames[i] == text) {
            out = i;
            return true;
        }
    }
    return false;
}

// One "key=value" of an instance line; unknown keys are a newer writer's and are skipped.
std::string instance_field(InstanceState& s, std::string_view key, std::string_view value) {
    bool ok = true;
    if (key == "admin") {
        ok = admin_of(value, s.admin);
    } else if (key == "admin-since-ms") {
        ok = number(value, s.admin_since_ms);
    } else if (key == "disabled-since-ms") {
        ok = number(value, s.disabled_since_ms);
    } else if (key == "unhealthy-since-ms") {
        ok = number(value, s.unhealthy_since_ms);
    } else if (key == "last-error") {
        ok = number(value, s.last_error);
    } else if (key == "last-error-ms") {
        ok = number(value, s.last_error_ms);
    } else if (key == "check-failures") {
        ok = number(value, s.check_failures);
    } else if (key == "sessions-unknown-since-ms") {
        ok = number(value, s.sessions_unknown_since_ms);
    } else if (key == "drain-state") {
        ok = drain_of(value, s.drain_state);
    } else if (key == "draining-since-ms") {
        ok = number(value, s.draining_since_ms);
    } else if (key == "drained-since-ms") {
        ok = number(value, s.drained_since_ms);
    }
    return ok ? std::string() : "bad value '" + std::string(value) + "' for " + std::string(key);
}

std::string web_module_field(WebModuleState& w, std::string_view key, std::string_view value) {
    bool ok = true;
    if (key == "disabled-since-ms") {
        ok = number(value, w.disabled_since_ms);
    } else if (key == "admin") {
        ok = admin_of(value, w.admin);
    } else if (key == "admin-since-ms") {
        ok = number(value, w.admin_since_ms);
    }
    return ok ? std::string() : "bad value '" + std::string(value) + "' for " + std::string(key);
}

std::string cluster_field(ClusterState& c, std::string_view key, std::string_view value) {
    bool ok = true;
    if (key == "active-version-key") {
        ok = number(value, c.active_version_key);
    } else if (key == "active-version-since-ms") {
        ok = number(value, c.active_version_since_ms);
    } else if (key == "canary") {
        ok = number(value, c.canary);
    } else if (key == "canary-since-ms") {
        ok = number(value, c.canary_since_ms);
    } else if (key == "active-version" || key == "canary-version") {
        auto text = unescaped(value);
        ok = text.has_value();
        if (ok) (key == "active-version" ? c.active_version : c.canary_version) = *text;
    }
    return ok ? std::string() : "bad value '" + std::string(value) + "' for " + std::string(key);
}

// "cluster <cluster> k=v…".
std::string cluster_entry(const std::vector<std::string_view>& words, ClusterState& c) {
    if (words.size() < 2) return "cluster needs a name";
    auto name = unescaped(words[1]);
    if (!name) return "bad %-escape in a name";
    c.cluster = *name;
    for (std::size_t i = 2; i < words.size(); ++i) {
        auto eq = words[i].find('=');
        if (eq == std::string_view::npos) return "'" + std::string(words[i]) + "' is not key=value";
        std::string err = cluster_field(c, words[i].substr(0, eq), words[i].substr(eq + 1));
        if (!err.empty()) return err;
    }
    return {};
}

// "instance <cluster> <name> k=v…" or "web-module <cluster> <root> k=v…".
template <typename Entry, typename FieldFn>
std::string entry(const std::vector<std::string_view>& words, Entry& e, std::string& first,
                  std::string& second, FieldFn field_fn) {
    if (words.size() < 3) return std::string(words[0]) + " needs a cluster and a name";
    auto a = unescaped(words[1]), b = unescaped(words[2]);
    if (!a || !b) return "bad %-escape in a name";
    first = *a;
    second = *b;
    for (std::size_t i = 3; i < words.size(); ++i) {
        auto eq = words[i].find('=');
        if (eq == std::string_view::npos) return "'" + std::string(words[i]) + "' is not key=value";
        std::string err = field_fn(e, words[i].substr(0, eq), words[i].substr(eq + 1));
        if (!err.empty()) return err;
    }
    return {};
}

class Parser {
  public:
    explicit Parser(StateFile& out) : out_(out) {}

    // Empty on success, else what is wrong with this line.
    std::string line(std::string_view text) {
        if (text.empty() || text[0] == '#') return {};
        auto words = words_of(text);
        if (words.empty()) return {};
        if (ended_) return "text after 'end'";
        if (!has_format_) return header(words);
        if (words[0] == "written-ms" && words.size() == 2) {
            return number(words[1], out_.written_ms) ? "" : "bad written-ms";
        }
        if (words[0] == "instance") {
            InstanceState& s = out_.instances.emplace_back();
            return entry(words, s, s.cluster, s.instance, instance_field);
        }
        if (words[0] == "web-module") {
            WebModuleState& w = out_.web_modules.emplace_back();
            return entry(words, w, w.cluster, w.context_root, web_module_field);
        }
        if (words[0] == "cluster") return cluster_entry(words, out_.clusters.emplace_back());
        if (words[0] == "end" && words.size() == 1) {
            ended_ = true;
            return {};
        }
        return "unknown line '" + std::string(words[0]) + "'";
    }
    bool ended() const { return ended_; }

  private:
    std::string header(const std::vector<std::string_view>& words) {
        int format = 0;
        if (words.size() != 2 || words[0] != "zdu-state" || !number(words[1], format))
            return "not a mod_zdu state file (no 'zdu-state <format>' line)";
        if (format != kStateFileFormat) {
            return "format " + std::to_string(format) + " (this build reads " +
                   std::to_string(kStateFileFormat) + ")";
        }
        has_format_ = true;
        return {};
    }

    StateFile& out_;
    bool has_format_ = false;
    bool ended_ = false;
};

}  // namespace

StateFileParse parse_state_file(std::string_view text, std::string_view name) {
    StateFileParse result;
    Parser parser(result.file);
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        std::string err = parser.line(line);
        if (!err.empty()) {
            result.file = {};
            result.error = std::string(name) + ":" + std::to_string(line_no) + ": " + err;
            return result;
        }
    }
    if (!parser.ended()) {
        result.file = {};
        result.error = std::string(name) + ":" + std::to_string(line_no == 0 ? 1 : line_no) +
                       ": incomplete (no 'end' line)";
    }
    return result;
}

}  // namespace zdu::state
