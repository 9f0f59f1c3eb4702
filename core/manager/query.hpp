// The query string of a manager request ("cmd=ping&instance=i%201"), decoded into its
// parameters. Malformed escapes and repeated names are errors, not guesses: the manager
// changes state, so an ambiguous request must not act.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zdu::manager {

struct Param {
    std::string name;
    std::string value;
};

struct Query {
    std::vector<Param> params;  // in request order, names unique
    std::string error;          // empty when the query is well formed

    bool ok() const { return error.empty(); }
    // The value of `name`, or null when absent.
    const std::string* find(std::string_view name) const;
};

// Form decoding: '+' is a space, %XX a byte. False on a bad escape or a decoded NUL.
bool form_decode(std::string_view in, std::string& out);

Query parse_query(std::string_view query);

}  // namespace zdu::manager
