// The XML comments of a cluster description, kept beside the model so that the admin commands,
// which load the file, change the model and write it back canonically, do not drop what an
// administrator wrote there.
//
// A comment is attached to the element it precedes (every comment since the previous element
// sibling), or to the end of its container when no element follows it. Elements are named by a
// path of element names, each with its identity attribute: e.g.
// "cluster-description/clusters/cluster[c1]/server[i1]". So a deleted element's comments go with
// it, an added element has none, and a renamed one loses its own (its path changed).
#pragma once

#include <libxml/tree.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace zdu::description {

struct Comments {
    // Path (or end_key(path), or kEpilogue) -> the comments' text, verbatim, in document order.
    std::map<std::string, std::vector<std::string>> at;
    // What the canonical writer cannot give back ("line 3: processing instruction <?x?>", "the
    // DOCTYPE's internal subset"): an edit refuses such a file rather than lose them.
    std::vector<std::string> unkept;

    bool empty() const { return at.empty(); }
};

// Where the comments after the root element are kept.
inline constexpr std::string_view kEpilogueKey = "#epilogue";

// The key of the comments after a container's last child element.
std::string end_key(std::string_view path);

// The path segment of an element: its name, then "[identity]" when it has one. The identity is
// the first of name, ref, url and url-pattern the element has (`value_of` returns nullptr for an
// absent attribute); a health-checker has none, since its url may be left at its default.
template <typename ValueOf>
std::string path_segment(std::string_view element, ValueOf value_of) {
    std::string out(element);
    if (element == "health-checker") return out;
    for (const char* name : {"name", "ref", "url", "url-pattern"}) {
        if (const std::string* value = value_of(name)) return out + "[" + *value + "]";
    }
    return out;
}

// Every comment of a parsed description (the document's children and the root's subtree).
Comments collect_comments(const xmlDoc& doc);

}  // namespace zdu::description
