// The DTDs of dtd/, compiled into the binary (see core/embed_dtds.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace zdu::config {

struct BundledDtd {
    std::string_view system_id;  // file name, e.g. "glassfish-loadbalancer_1_3.dtd"
    std::string_view text;
};

const std::vector<BundledDtd>& bundled_dtds();

}  // namespace zdu::config
