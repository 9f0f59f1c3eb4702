#include "metrics/monitor_xml.hpp"

#include <cstdint>

#include "io/markup_escape.hpp"
#include "metrics/prometheus.hpp"
#include "metrics/response_times.hpp"

namespace zdu::metrics {

std::string xml_attribute(std::string_view text) {
    return io::escape_markup(text, {true, "&apos;", true, true, true});
}

namespace {

void attribute(std::string& out, std::string_view name, std::string_view value) {
    out += ' ';
    out += name;
    out += "=\"";
    out += xml_attribute(value);
    out += '"';
}

void attribute(std::string& out, std::string_view name, std::uint64_t value) {
    attribute(out, name, std::to_string(value));
}

// Milliseconds with three decimals, as GlassFish reports its times in ms.
std::string ms_text(std::uint64_t micros) {
    return decimal_text(micros, 1000);
}

// `busy`: the requests in flight to the instance it is listed under.
void write_application(std::string& out, const manager::WebModuleStatus& w, std::uint64_t busy) {
    const std::uint64_t avg =
        average_us({w.answered, w.answer_total_us, w.answer_max_us, w.answer_min_us});
    out += "      <application-stats";
    attribute(out, "id", w.context_root);
    attribute(out, "average-response-time", ms_text(avg));
    attribute(out, "min-response-time", ms_text(w.answer_min_us));
    attribute(out, "max-response-time", ms_text(w.answer_max_us));
    attribute(out, "num-failover-requests", w.failovers);
    attribute(out, "num-error-requests", w.failures);
    // Requests in flight are known per instance only (mod_proxy's busy count): the
    // instance's, which is the application's on it when the cluster serves one web-module.
    // Idempotent-url-pattern matches are not counted at all.
    attribute(out, "num-active-requests", busy);
    attribute(out, "num-idempotent-url-requests", std::uint64_t{0});
    attribute(out, "num-total-requests", w.requests);
    out += "/>\n";
}

void write_instance(std::string& out, const manager::ClusterStatus& c,
                    const manager::InstanceStatus& i) {
    out += "    <instance-stats";
    attribute(out, "id", i.name);
    attribute(out, "health", i.unhealthy_since_ms == 0 ? "healthy" : "unhealthy");
    attribute(out, "num-total-requests", i.requests);
    attribute(out, "num-active-requests", i.busy);
    if (c.web_modules.empty()) {
        out += "/>\n";
        return;
    }
    out += ">\n";
    for (const auto& w : c.web_modules) write_application(out, w, i.busy);
    out += "    </instance-stats>\n";
}

}  // namespace

std::string monitor_xml(const manager::StatusData& data) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!DOCTYPE load-balancer-stats PUBLIC \"-//Sun Microsystems Inc.//DTD Application "
        "Server 9.0 LoadBalancer Stats//EN\" "
        "\"http://www.sun.com/software/appserver/dtds/sun_loadbalancer_stats_1_0.dtd\">\n"
        "<load-balancer-stats>\n";
    for (const auto& c : data.clusters) {
        out += "  <cluster-stats";
        attribute(out, "id", c.name);
        out += ">\n";
        for (const auto& i : c.instances) write_instance(out, c, i);
        out += "  </cluster-stats>\n";
    }
    out += "</load-balancer-stats>\n";
    return out;
}

}  // namespace zdu::metrics
