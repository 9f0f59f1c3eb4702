#include "description/comments.hpp"

#include <optional>
#include <string>

#include "config/xml_node.hpp"

namespace zdu::description {
namespace {

std::string segment_of(const xmlNode& e) {
    std::optional<std::string> held;
    return path_segment(config::element_name(e), [&](const char* name) -> const std::string* {
        held = config::attribute(e, name);
        return held ? &*held : nullptr;
    });
}

std::string comment_text(const xmlNode& n) {
    return n.content != nullptr ? reinterpret_cast<const char*>(n.content) : "";
}

// Walks the children of `first`'s parent (siblings from `first` on): comments wait until the
// next element takes them, or end up at `end` when none follows.
void collect_siblings(const xmlNode* first, const std::string& parent, const std::string& end,
                      Comments& out) {
    std::vector<std::string> pending;
    for (const xmlNode* n = first; n != nullptr; n = n->next) {
        if (n->type == XML_COMMENT_NODE) pending.push_back(comment_text(*n));
        if (n->type == XML_PI_NODE) {
            out.unkept.push_back("line " + std::to_string(xmlGetLineNo(n)) +
                                 ": processing instruction <?" +
                                 reinterpret_cast<const char*>(n->name) + " ...?>");
        }
        if (n->type != XML_ELEMENT_NODE) continue;
        const std::string path = parent.empty() ? segment_of(*n) : parent + "/" + segment_of(*n);
        auto& before = out.at[path];
        before.insert(before.end(), pending.begin(), pending.end());
        if (before.empty()) out.at.erase(path);
        pending.clear();
        collect_siblings(n->children, path, end_key(path), out);
    }
    if (!pending.empty()) {
        auto& after = out.at[end];
        after.insert(after.end(), pending.begin(), pending.end());
    }
}

}  // namespace

std::string end_key(std::string_view path) {
    return std::string(path) + "#end";
}

Comments collect_comments(const xmlDoc& doc) {
    Comments out;
    collect_siblings(doc.children, "", std::string(kEpilogueKey), out);
    if (doc.intSubset != nullptr && doc.intSubset->children != nullptr) {
        out.unkept.push_back("the DOCTYPE's internal subset [...]");
    }
    return out;
}

}  // namespace zdu::description
