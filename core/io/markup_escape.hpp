// Escaping text for HTML and XML output. The writers differ only in which characters they
// escape (an attribute value needs its quote and its whitespace kept, a text node does not),
// so each names its rules and the one loop below does the work.
#pragma once

#include <string>
#include <string_view>

namespace zdu::io {

struct MarkupEscape {
    bool quote = true;               // '"' as &quot; (attribute values)
    std::string_view apostrophe;     // its reference ("&#39;", "&apos;"), empty to keep it
    bool whitespace = false;         // tab and newline as character references: attribute
                                     // value normalisation would turn them into spaces
    bool carriage_return = false;    // '\r' as &#13;: a parser drops a literal one
    bool controls_to_space = false;  // other C0 controls, which XML 1.0 cannot carry
};

// '&', '<' and '>' always; the rest as `how` says.
std::string escape_markup(std::string_view text, const MarkupEscape& how);

}  // namespace zdu::io
