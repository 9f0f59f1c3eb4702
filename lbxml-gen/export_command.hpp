// `lbxml-gen export-http-lb-config (--config NAME | --lbname LB) --description FILE OUT`:
// generates the loadbalancer.xml of an lb-config and writes it to OUT atomically, refusing to
// overwrite an existing OUT unless --force (the previous copy is then kept as OUT.bak).
#pragma once

#include <CLI/App.hpp>
#include <string>

namespace lbxml_gen {

void add_export_command(CLI::App& app, int& exit_code);

// The footer date of a generated loadbalancer.xml, e.g. "Tue Dec 01 12:00:00 UTC 2026".
std::string generated_on_now();

}  // namespace lbxml_gen
