// The content hash of a loadbalancer.xml: what every config hash is (the status's config_hash,
// push-validate's and push-commit's "hash", lbxml-gen's own, the reload poller's "did the file
// change"). The "This file was generated on" footer write_xml ends a file with is left out, so
// generating the same description twice gives the same hash and nothing reloads.
#pragma once

#include <cstdint>
#include <string_view>

namespace zdu::config {

// `xml` without a trailing footer comment in exactly the form write_xml writes it
// ("<!--\n This file was generated on: [DATE].\n-->\n" at the very end, on a line of its
// own); `xml` as is when it does not end so. Anything else, another comment included, stays.
std::string_view without_generated_footer(std::string_view xml);

// The first 64 bits of the SHA-256 of without_generated_footer(xml), the 16 hex digits the
// manager shows. 64 bits keep the shared region's and the wire format's width. It tells
// contents apart, it does not authenticate them: a birthday search of about 2^32 hashes finds
// two configs with the same value, so what may push is decided by the manager secret alone.
std::uint64_t content_hash(std::string_view xml);

}  // namespace zdu::config
