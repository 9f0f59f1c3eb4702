// Hands the compiled-in DTDs to libxml2, so no DTD is ever read from disk or the network.
#pragma once

#include <libxml/parser.h>

#include <string>
#include <string_view>

#include "config/bundled_dtds.hpp"
#include "config/xml_handles.hpp"

namespace zdu::config {

// The DTD a document gets when it has no DOCTYPE naming one.
inline constexpr std::string_view kDefaultDtd = "zdu-loadbalancer_1_4.dtd";

// The bundled DTD whose file name is the last path segment of `system_id`, e.g. both
// "glassfish-loadbalancer_1_3.dtd" and "http://host/dtds/glassfish-loadbalancer_1_3.dtd";
// nullptr when there is none.
const BundledDtd* find_bundled_dtd(std::string_view system_id);

// "a.dtd, b.dtd, ...": for messages that say which system ids are allowed.
std::string bundled_dtd_names();

// A parser input reading `dtd` from memory, for an entity resolver to return; nullptr when out of
// memory.
xmlParserInputPtr open_bundled_dtd(xmlParserCtxtPtr ctxt, const BundledDtd& dtd);

// `dtd` parsed on its own, for validating a document after parsing it.
XmlDtdPtr parse_bundled_dtd(const BundledDtd& dtd);

}  // namespace zdu::config
