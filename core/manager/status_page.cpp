#include "manager/status_page.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <set>
#include <vector>

#include "io/markup_escape.hpp"
#include "manager/admin.hpp"
#include "state/instance_health.hpp"

namespace zdu::manager {
namespace {

// Small enough to stay inline; the table turns into cards below 760px, where 15 columns no
// longer fit a phone's width.
constexpr std::string_view kStyle = R"css(
*{box-sizing:border-box}
:root{color-scheme:light dark;--line:#8884;--dim:#888}
body{font:14px/1.4 system-ui,-apple-system,sans-serif;margin:0;padding:1rem}
h1{font-size:1.3rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .25rem}
.meta{color:var(--dim);font-size:.85rem;overflow-wrap:anywhere;margin:.25rem 0}
.notice{padding:.5rem .75rem;border-radius:4px;border:1px solid #2a7;background:#2a72}
.notice.err{border-color:#c33;background:#c332}
dl{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;margin:.25rem 0}dl div{display:flex;gap:.4rem}
dt{color:var(--dim)}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}
th,td{padding:.3rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-weight:600;white-space:nowrap}td{overflow-wrap:break-word}
.n{text-align:right;font-variant-numeric:tabular-nums}
.tag{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.85rem;background:#8883;margin:0 .15rem .15rem 0}
.s-active{background:#2a74}.s-draining{background:#e904}.s-drained,.s-stopped{background:#8886}
.s-unhealthy,.bad{background:#c335}.admin{background:#36c4}
form{display:inline-flex;flex-wrap:wrap;gap:.25rem;align-items:center;margin:.1rem .3rem .1rem 0}
button,input,select{font:inherit;padding:.15rem .5rem}input[type=number]{width:5.5rem}
.panel{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:.5rem 0}
.group{display:inline-flex;flex-wrap:wrap;align-items:center;gap:.25rem}
.route{color:var(--dim);font-size:.85rem}
@media (max-width:760px){
thead{display:none}table,tbody,tr,td{display:block;width:100%}
tr{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.25rem .5rem}
td{border:0;display:flex;justify-content:flex-end;gap:.4rem;padding:.15rem 0;text-align:right}
td::before{content:attr(data-label);color:var(--dim);text-align:left;flex:none;margin-right:auto}
td.acts{justify-content:flex-start;flex-wrap:wrap}td.acts::before{display:none}
}
)css";

// Reloads the signed-in page unless a field is being filled in (a timeout, a percentage).
constexpr std::string_view kRefreshScript =
    "setInterval(function(){var a=document.activeElement;"
    "if(!a||a===document.body||a.tagName==='BUTTON')location.replace(location.pathname)},";

class Html {
  public:
    Html& raw(std::string_view s) {
        out_ += s;
        return *this;
    }
    Html& text(std::string_view s) {
        out_ += html_escape(s);
        return *this;
    }
    std::string& str() { return out_; }

  private:
    std::string out_;
};

std::string number(double v, const char* format) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string utc_time(std::int64_t ms) {
    if (ms <= 0) return "-";
    std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

// "45 s", "3 min 20 s", "2 h 5 min": an estimate reads better rounded.
std::string duration(double s) {
    if (s < 0) return "-";
    auto total = static_cast<long long>(s + 0.5);
    if (total < 60) return std::to_string(total) + " s";
    if (total < 3600) {
        return std::to_string(total / 60) + " min " + std::to_string(total % 60) + " s";
    }
    return std::to_string(total / 3600) + " h " + std::to_string(total % 3600 / 60) + " min";
}

std::vector<std::string> versions_of(const ClusterStatus& c) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& i : c.instances) {
        if (!i.version.empty() && seen.insert(i.version).second) out.push_back(i.version);
    }
    return out;
}

std::vector<std::string> domains_of(const ClusterStatus& c) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& i : c.instances) {
        if (!i.domain.empty() && seen.insert(i.domain).second) out.push_back(i.domain);
    }
    return out;
}

void head(Html& h, const PageOptions& o) {
    h.raw(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    if (o.mode == PageMode::ReadOnly && o.refresh_s > 0) {
        h.raw("<meta http-equiv=\"refresh\" content=\"")
            .raw(std::to_string(o.refresh_s))
            .raw("\">");
    }
    h.raw("<title>mod_zdu status</title><style>").raw(kStyle).raw("</style>");
    if (o.mode == PageMode::Actions && o.refresh_s > 0) {
        h.raw("<script>")
            .raw(kRefreshScript)
            .raw(std::to_string(o.refresh_s * 1000))
            .raw(")</script>");
    }
    h.raw("</head><body><h1>mod_zdu status</h1>\n");
    if (!o.notice.empty()) {
        h.raw(o.notice_is_error ? "<p class=\"notice err\" role=\"alert\" id=\"notice\">"
                                : "<p class=\"notice\" role=\"status\" id=\"notice\">")
            .text(o.notice)
            .raw("</p>\n");
    }
}

// A form posting to the page itself with the token; `fields` are hidden inputs.
void form_open(Html& h, const PageOptions& o,
               std::initializer_list<std::pair<std::string_view, std::string_view>> fields,
               std::string_view query = {}) {
    h.raw("<form method=\"post\" action=\"").text(o.self_path);
    if (!query.empty()) h.raw("?").text(query);
    h.raw("\"><input type=\"hidden\" name=\"token\" value=\"").text(o.token).raw("\">");
    for (const auto& [name, value] : fields) {
        h.raw("<input type=\"hidden\" name=\"")
            .text(name)
            .raw("\" value=\"")
            .text(value)
            .raw("\">");
    }
}

void button(Html& h, std::string_view cmd, std::string_view label) {
    h.raw("<button name=\"cmd\" value=\"").text(cmd).raw("\">").text(label).raw("</button>");
}

// Drain with a timeout: its own form, since the other commands take no timeout.
void drain_form(Html& h, const PageOptions& o, std::string_view cmd, std::string_view what,
                std::string_view value, std::string_view cluster) {
    form_open(h, o, {{what, value}, {"cluster", cluster}});
    h.raw(
        "<input type=\"number\" name=\"timeout\" min=\"0\" value=\"300\" "
        "aria-label=\"drain timeout in seconds\" title=\"seconds\">");
    button(h, cmd, "Drain");
    h.raw("</form>");
}

void instance_actions(Html& h, const PageOptions& o, const ClusterStatus& c,
                      const InstanceStatus& i) {
    h.raw("<td class=\"acts\" data-label=\"Actions\">");
    form_open(h, o, {{"instance", i.name}, {"cluster", c.name}});
    button(h, "enable-instance", "Enable");
    button(h, "disable-instance", "Disable");
    button(h, "stop-instance", "Stop");
    h.raw("</form>");
    drain_form(h, o, "drain-instance", "instance", i.name, c.name);
    h.raw("</td>");
}

void cell(Html& h, std::string_view label, std::string_view value, bool numeric = false) {
    h.raw(numeric ? "<td class=\"n\" data-label=\"" : "<td data-label=\"")
        .text(label)
        .raw("\">")
        .text(value)
        .raw("</td>");
}

void state_cell(Html& h, const InstanceStatus& i) {
    const std::string state(lifecycle::reported_name(i.state));
    h.raw("<td data-label=\"State\"><span class=\"tag s-")
        .text(state)
        .raw("\">")
        .text(state)
        .raw("</span>");
    if (i.admin_state != state::AdminState::Active) {
        h.raw("<span class=\"tag admin\">").text(admin_state_name(i.admin_state)).raw("</span>");
    }
    if (!i.enabled) h.raw("<span class=\"tag\">off in xml</span>");
    if (i.removed) h.raw("<span class=\"tag\">removed</span>");
    h.raw("</td>");
}

void health_cell(Html& h, const InstanceStatus& i) {
    h.raw("<td data-label=\"Health\">");
    if (i.unhealthy_since_ms == 0) {
        h.raw("healthy");
    } else {
        auto failure = static_cast<state::Failure>(i.last_error);
        h.raw("<span class=\"tag bad\">unhealthy</span>");
        if (failure != state::Failure::None) h.text(state::failure_name(failure));
    }
    h.raw("</td>");
}

void instance_row(Html& h, const PageOptions& o, const ClusterStatus& c, const InstanceStatus& i) {
    const bool timed = i.answered > 0;
    const std::optional<std::uint64_t> estimate = drain_estimate_s(i);
    h.raw("<tr data-instance=\"")
        .text(i.name)
        .raw("\" data-state=\"")
        .text(lifecycle::reported_name(i.state))
        .raw("\" data-admin=\"")
        .text(admin_state_name(i.admin_state))
        .raw("\"><td data-label=\"Instance\"><b>")
        .text(i.name)
        .raw("</b> <span class=\"route\">")
        .text(i.route)
        .raw("</span></td>");
    cell(h, "Version", i.version.empty() ? "-" : i.version);
    cell(h, "Domain", i.domain.empty() ? "-" : i.domain);
    state_cell(h, i);
    health_cell(h, i);
    cell(h, "Weight", std::to_string(i.weight), true);
    cell(h, "Sessions", std::to_string(i.live_sessions), true);
    cell(h, "Requests", std::to_string(i.requests), true);
    cell(h, "Busy", std::to_string(i.busy), true);
    cell(h, "Failovers", std::to_string(i.failovers), true);
    cell(h, "Errors", std::to_string(i.failures), true);
    cell(h, "5xx", std::to_string(i.responses_5xx), true);
    cell(h, "Avg ms", timed ? number(average_answer_us(i) / 1000.0, "%.1f") : "-", true);
    cell(h, "Max ms", timed ? number(i.answer_max_us / 1000.0, "%.1f") : "-", true);
    cell(h, "Drained in", estimate ? duration(static_cast<double>(*estimate)) : "-", true);
    if (o.mode == PageMode::Actions) instance_actions(h, o, c, i);
    h.raw("</tr>\n");
}

void version_select(Html& h, const std::vector<std::string>& versions, bool with_xml_choice) {
    h.raw("<select name=\"version\" aria-label=\"version\">");
    if (with_xml_choice) h.raw("<option value=\"\">as the xml says</option>");
    for (const auto& v : versions) h.raw("<option>").text(v).raw("</option>");
    h.raw("</select>");
}

void cluster_actions(Html& h, const PageOptions& o, const ClusterStatus& c) {
    const auto versions = versions_of(c);
    h.raw("<div class=\"panel\">");
    form_open(h, o, {{"cluster", c.name}});
    version_select(h, versions, true);
    button(h, "set-active-version", "Make active");
    h.raw("</form>");
    form_open(h, o, {{"cluster", c.name}});
    version_select(h, versions, false);
    h.raw(
        "<input type=\"number\" name=\"percent\" min=\"1\" max=\"100\" value=\"10\" "
        "aria-label=\"canary percent\" title=\"percent\">");
    button(h, "start-canary", "Start canary");
    h.raw("</form>");
    form_open(h, o, {{"cluster", c.name}});
    button(h, "stop-canary", "Stop canary");
    h.raw("</form></div>\n<div class=\"panel\">");
    for (const auto& d : domains_of(c)) {
        h.raw("<span class=\"group\"><span>domain <b>").text(d).raw("</b></span>");
        form_open(h, o, {{"domain", d}, {"cluster", c.name}});
        button(h, "enable-domain", "Enable");
        button(h, "disable-domain", "Disable");
        button(h, "stop-domain", "Stop");
        h.raw("</form>");
        drain_form(h, o, "drain-domain", "domain", d, c.name);
        h.raw("</span>");
    }
    h.raw("</div>\n<div class=\"panel\">");
    form_open(h, o, {{"cluster", c.name}});
    h.raw(
        "<input name=\"context-root\" placeholder=\"/context-root\" required "
        "aria-label=\"web-module context root\">");
    button(h, "enable-web-module", "Enable web-module");
    button(h, "disable-web-module", "Disable web-module");
    h.raw("</form>");
    // drain-web-module takes no cluster: a context root names its web-module everywhere.
    form_open(h, o, {});
    h.raw(
        "<input name=\"context-root\" placeholder=\"/context-root\" required "
        "aria-label=\"web-module to drain\"><input type=\"number\" name=\"timeout\" "
        "min=\"0\" value=\"300\" aria-label=\"drain timeout in seconds\" title=\"seconds\">");
    button(h, "drain-web-module", "Drain web-module");
    h.raw("</form></div>\n");
}

void cluster_section(Html& h, const PageOptions& o, const ClusterStatus& c) {
    h.raw("<section data-cluster=\"").text(c.name).raw("\"><h2>").text(c.name).raw("</h2><dl>");
    auto term = [&h](std::string_view dt, std::string_view dd) {
        h.raw("<div><dt>").text(dt).raw("</dt><dd>").text(dd).raw("</dd></div>");
    };
    std::string present;
    for (const auto& v : versions_of(c)) present += (present.empty() ? "" : ", ") + v;
    term("versions", present.empty() ? "-" : present);
    term("active", c.has_active_version ? c.active_version : "none");
    const bool canary = c.canary_percent > 0 && !c.canary_version.empty();
    term("canary",
         canary ? c.canary_version + " at " + std::to_string(c.canary_percent) + "%" : "none");
    term("policy", c.policy);
    term("workers", std::to_string(c.workers_used) + " of " + std::to_string(c.workers_total));
    h.raw("</dl>\n");
    if (o.mode == PageMode::Actions) cluster_actions(h, o, c);
    h.raw(
        "<table><thead><tr><th>Instance</th><th>Version</th><th>Domain</th><th>State</th>"
        "<th>Health</th><th class=\"n\">Weight</th><th class=\"n\">Sessions</th>"
        "<th class=\"n\">Requests</th><th class=\"n\">Busy</th><th class=\"n\">Failovers</th>"
        "<th class=\"n\">Errors</th><th class=\"n\">5xx</th><th class=\"n\">Avg ms</th>"
        "<th class=\"n\">Max ms</th><th class=\"n\">Drained in</th>");
    if (o.mode == PageMode::Actions) h.raw("<th>Actions</th>");
    h.raw("</tr></thead><tbody>\n");
    for (const auto& i : c.instances) instance_row(h, o, c, i);
    h.raw("</tbody></table></section>\n");
}

void config_line(Html& h, const StatusData& d) {
    const ConfigStatus& c = d.config;
    h.raw("<p class=\"meta\">child ")
        .text(std::to_string(c.pid))
        .raw(" · generation ")
        .text(std::to_string(c.generation))
        .raw(" (newest ")
        .text(std::to_string(c.published))
        .raw(") · ")
        .text(c.file.empty() ? "no ZduConfigFile" : c.file)
        .raw(" · loaded ")
        .text(utc_time(c.loaded_at_ms))
        .raw(" · sessions ")
        .text(std::to_string(d.sessions.used))
        .raw(" of ")
        .text(std::to_string(d.sessions.capacity))
        .raw("</p>\n");
    if (!c.last_ok) {
        h.raw("<p class=\"notice err\">The last reload was refused: ");
        for (const auto& e : c.last_errors) h.text(e).raw("<br>");
        h.raw("</p>\n");
    }
}

void overrides_section(Html& h, const StatusData& d) {
    if (d.overrides.empty()) return;
    h.raw(
        "<h2>Overrides</h2><table><thead><tr><th>Cluster</th><th>Instance</th>"
        "<th>Admin state</th><th>Origin</th><th>Since</th></tr></thead><tbody>\n");
    for (const auto& o : d.overrides) {
        h.raw("<tr>");
        cell(h, "Cluster", o.cluster);
        cell(h, "Instance", o.instance);
        cell(h, "Admin state", admin_state_name(o.admin_state));
        cell(h, "Origin", o.origin);
        cell(h, "Since", utc_time(o.since_ms));
        h.raw("</tr>\n");
    }
    h.raw("</tbody></table>\n");
}

void sign_in_form(Html& h, const PageOptions& o) {
    h.raw("<form method=\"post\" action=\"")
        .text(o.self_path)
        .raw(
            "?sign-in\" id=\"sign-in\"><label>Manager secret <input type=\"password\" "
            "name=\"secret\" autocomplete=\"current-password\" required autofocus></label>"
            "<button>Sign in</button></form>\n");
}

void sign_out_form(Html& h, const PageOptions& o) {
    form_open(h, o, {}, "sign-out");
    h.raw("<button id=\"sign-out\">Sign out</button></form>\n");
}

}  // namespace

std::string html_escape(std::string_view text) {
    return io::escape_markup(text, {true, "&#39;"});
}

bool prefers_json(std::string_view accept) {
    double json = 0;
    double html = 0;
    while (!accept.empty()) {
        const std::size_t comma = accept.find(',');
        std::string_view item = accept.substr(0, comma);
        accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
        const std::size_t semi = item.find(';');
        std::string_view type = item.substr(0, semi);
        while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
        while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
        double q = 1;
        if (semi != std::string_view::npos) {
            const std::size_t at = item.find("q=", semi);
            if (at != std::string_view::npos)
                q = std::atof(std::string(item.substr(at + 2)).c_str());
        }
        if (type == "application/json") json = std::max(json, q);
        if (type == "text/html" || type == "*/*" || type == "text/*") html = std::max(html, q);
    }
    return json > html;
}

std::string render_status_page(const StatusData& data, const PageOptions& options) {
    Html h;
    head(h, options);
    if (options.mode == PageMode::SignIn) {
        sign_in_form(h, options);
    } else {
        if (options.mode == PageMode::Actions) sign_out_form(h, options);
        config_line(h, data);
        if (data.clusters.empty()) h.raw("<p>No cluster is configured.</p>\n");
        for (const auto& c : data.clusters) cluster_section(h, options, c);
        overrides_section(h, data);
        if (options.mode == PageMode::ReadOnly) {
            h.raw("<p class=\"meta\"><a href=\"?json\">this status as JSON</a></p>\n");
        }
    }
    h.raw("</body></html>\n");
    return std::move(h.str());
}

}  // namespace zdu::manager
