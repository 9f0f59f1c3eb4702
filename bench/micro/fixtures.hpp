// Inputs shared by the micro-benchmarks and the callgrind driver: a generated cluster of N
// instances, its loadbalancer.xml, and request strings as a browser would send them.
#pragma once

#include <string>

#include "config/model.hpp"

namespace zdu::bench {

// Cluster "bench" with instances i0..i<n-1> on distinct loopback ports, one web-module /app.
config::Cluster make_cluster(int instances);

// The same cluster as loadbalancer.xml text (GlassFish DOCTYPE), as lbxml-gen would write it.
std::string make_xml(int instances);

// A Cookie header of a session on `route`, with the usual neighbours around the JROUTE cookie.
std::string sticky_cookie_header(const std::string& route);

// A Cookie header with no session: a first visit carrying only analytics cookies.
std::string new_visitor_cookie_header();

}  // namespace zdu::bench
