// Publishing a config: the file goes through the loader and the checks start-up runs, then
// this process builds its runtime from it (which adds the workers new instances need, so a
// reload past the growth reserve is refused before anything changes), and only then are the
// bytes published for every child, with a new generation. Anything refused leaves the old
// config serving; the errors are logged once per distinct content and kept for the status.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

struct ReloadOutcome {
    bool ok = false;
    bool changed = false;          // a new generation was published
    std::uint64_t generation = 0;  // the one published, or the one still served
    std::vector<std::string> errors;
    std::string write_error;  // push_config: the file could not be written (nothing changed)
};

// Reads ZduConfigFile and publishes it if its content changed. `trigger` ("poll", "manager")
// is for the log. Any process, any thread but the request path of another request.
ReloadOutcome reload_config(server_rec* s, const char* trigger);

// The errors of `text` as a pushed loadbalancer.xml, "LINE: message" (the loader's, as
// `lbxml-gen validate` prints them without the file name, then start-up's cluster checks);
// none when a reload would accept it, room in the balancers included (room_check.hpp). No lock
// and nothing written: push-validate changes nothing.
std::vector<std::string> check_pushed(const std::string& text, server_rec* s);

// Publishes `text` (a push) the way reload_config publishes the file, under the same locks:
// checked as check_pushed does (errors in `errors`), this process's snapshot built, then
// `write_file` (which puts `text` in ZduConfigFile, empty or why not) and only when it
// succeeded the publish and this child's switch. Whatever is refused leaves the file, shared
// memory and the served config as they were. Content already published is written, not
// published again (changed false).
ReloadOutcome push_config(server_rec* s, const std::string& text,
                          const std::function<std::string()>& write_file, const char* trigger);

// True when the file's bytes hash to the last invalid content already refused, or to what is
// published while the last attempt succeeded: the poller's cheap check, without the mutex.
bool file_unchanged(const std::string& text);

// At each config pass, in the parent: publishes what ZduConfigFile loaded as a new generation
// and makes the parent's runtime the children's first snapshot. False (logged) when the file
// is larger than ZduConfigMaxBytes.
bool publish_startup(server_rec* s);

}  // namespace zdu::glue
