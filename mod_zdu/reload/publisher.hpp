// Publishing a config: the file goes through the loader and the checks start-up runs, then
// this process builds its runtime from it (which adds the workers new instances need, so a
// reload past the growth reserve is refused before anything changes), and only then are the
// bytes published for every child, with a new generation. Anything refused leaves the old
// config serving; the errors are logged once per distinct content and kept for the status.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

struct ReloadOutcome {
    bool ok = false;
    bool changed = false;          // a new generation was published
    std::uint64_t generation = 0;  // the one published, or the one still served
    std::vector<std::string> errors;
};

// Reads ZduConfigFile and publishes it if its content changed. `trigger` ("poll", "manager")
// is for the log. Any process, any thread but the request path of another request.
ReloadOutcome reload_config(server_rec* s, const char* trigger);

// True when the file's bytes hash to the last invalid content already refused, or to what is
// published while the last attempt succeeded: the poller's cheap check, without the mutex.
bool file_unchanged(const std::string& text);

// At each config pass, in the parent: publishes what ZduConfigFile loaded as a new generation
// and makes the parent's runtime the children's first snapshot. False (logged) when the file
// is larger than ZduConfigMaxBytes.
bool publish_startup(server_rec* s);

}  // namespace zdu::glue
