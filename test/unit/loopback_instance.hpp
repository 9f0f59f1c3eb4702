// The instance the routing, policy and manager tests build their small clusters from: a name,
// a weight, a domain and one loopback http listener.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "config/model.hpp"

inline zdu::config::Instance loopback_instance(std::string name, int weight = 100,
                                               std::string domain = {}, std::uint16_t port = 8080) {
    zdu::config::Instance i;
    i.name = std::move(name);
    i.weight = weight;
    i.domain = std::move(domain);
    i.listeners.push_back({zdu::config::Scheme::Http, "127.0.0.1", port});
    return i;
}
