# Writes bundled_dtds.cpp: every dtd/*.dtd as a (system id, text) pair.
file(GLOB dtds ${DTD_DIR}/*.dtd)
# The monitoring stats DTD describes an answer mod_zdu sends, never a document it reads.
list(FILTER dtds EXCLUDE REGEX "-stats_[0-9_]+\\.dtd$")
list(SORT dtds)
set(body "// Generated from dtd/*.dtd; do not edit.\n#include \"config/bundled_dtds.hpp\"\n\nnamespace zdu::config {\n\nconst std::vector<BundledDtd>& bundled_dtds() {\n    static const std::vector<BundledDtd> all = {\n")
foreach(f ${dtds})
  get_filename_component(name ${f} NAME)
  file(READ ${f} text)
  set(body "${body}        {\"${name}\", R\"zdu_dtd(${text})zdu_dtd\"},\n")
endforeach()
set(body "${body}    };\n    return all;\n}\n\n}  // namespace zdu::config\n")
file(WRITE ${OUT} "${body}")
