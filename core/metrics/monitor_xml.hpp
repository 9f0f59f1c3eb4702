// /lbgetmonitordata: GlassFish's load-balancer monitoring pull, the stats document of
// dtd/sun-loadbalancer-stats_1_0.dtd, rendered from the status data. Per cluster its instances
// (health, requests sent, requests in flight) and under each its applications (web-modules):
// response times in milliseconds, failovers, errors, requests. mod_zdu counts an application
// per cluster, not per instance, so every instance of a cluster lists the same application
// figures (the cluster's): sum those over clusters, not over instances. Requests in flight
// (num-active-requests) are the exception, known per instance only: an application lists its
// instance's, so with several web-modules each shows the instance's whole count.
#pragma once

#include <string>
#include <string_view>

#include "manager/status.hpp"

namespace zdu::metrics {

// `text` as the inside of a double-quoted XML attribute: & < > " ' escaped, other control
// characters (not allowed in XML 1.0) replaced by a space.
std::string xml_attribute(std::string_view text);

std::string monitor_xml(const manager::StatusData& data);

}  // namespace zdu::metrics
