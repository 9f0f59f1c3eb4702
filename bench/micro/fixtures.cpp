#include "fixtures.hpp"

namespace zdu::bench {
namespace {

constexpr int kFirstPort = 20000;

std::string instance_name(int i) {
    return "i" + std::to_string(i);
}

}  // namespace

config::Cluster make_cluster(int instances) {
    config::Cluster c;
    c.name = "bench";
    for (int i = 0; i < instances; ++i) {
        config::Instance inst;
        inst.name = instance_name(i);
        inst.listeners.push_back(
            {config::Scheme::Http, "127.0.0.1", static_cast<std::uint16_t>(kFirstPort + i)});
        c.instances.push_back(std::move(inst));
    }
    config::WebModule wm;
    wm.context_root = "/app";
    c.web_modules.push_back(wm);
    return c;
}

std::string make_xml(int instances) {
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!DOCTYPE loadbalancer PUBLIC \"-//Sun Microsystems Inc.//DTD Sun Java System "
        "Application Server 9.1//EN\" \"glassfish-loadbalancer_1_3.dtd\">\n"
        "<loadbalancer>\n  <cluster name=\"bench\" policy=\"round-robin\">\n";
    for (int i = 0; i < instances; ++i) {
        xml += "    <instance name=\"" + instance_name(i) +
               "\" enabled=\"true\" disable-timeout-in-minutes=\"31\" listeners=\"http://"
               "127.0.0.1:" +
               std::to_string(kFirstPort + i) + "\" weight=\"100\"/>\n";
    }
    xml +=
        "    <web-module context-root=\"/app\" enabled=\"true\" "
        "disable-timeout-in-minutes=\"31\" error-url=\"\"/>\n"
        "    <health-checker url=\"/\" interval-in-seconds=\"30\" timeout-in-seconds=\"10\"/>\n"
        "  </cluster>\n"
        "  <property name=\"response-timeout-in-seconds\" value=\"60\"/>\n"
        "</loadbalancer>\n";
    return xml;
}

std::string sticky_cookie_header(const std::string& route) {
    return "_ga=GA1.2.1234567890.1700000000; JSESSIONID=4f1c2a9be07d44c5b2a1f0e3d9c8b7a6; "
           "JROUTE=" +
           route + "; lang=en";
}

std::string new_visitor_cookie_header() {
    return "_ga=GA1.2.1234567890.1700000000; lang=en";
}

}  // namespace zdu::bench
