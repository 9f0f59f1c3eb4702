// Appends indented XML elements to a string, escaping what it is given.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zdu::config {

using XmlAttributes = std::vector<std::pair<std::string_view, std::string>>;

class XmlWriter {
  public:
    explicit XmlWriter(std::string& out) : out_(out) {}

    void open(std::string_view name, const XmlAttributes& attributes);
    void close(std::string_view name);
    void empty(std::string_view name, const XmlAttributes& attributes);
    void text_element(std::string_view name, std::string_view text);
    // <!--text-->, indented like an element here. `text` is written verbatim (a comment has no
    // escapes): it must not hold "--" nor end in "-", which a parsed comment never does.
    void comment(std::string_view text);

  private:
    void start_tag(std::string_view name, const XmlAttributes& attributes);
    void indent();

    std::string& out_;
    int depth_ = 0;
};

// Escaped for an attribute value in double quotes; white space other than blanks becomes a
// character reference so that attribute value normalisation gives it back unchanged.
std::string escape_attribute(std::string_view text);
std::string escape_text(std::string_view text);

}  // namespace zdu::config
