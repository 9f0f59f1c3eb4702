#include "config/xml_writer.hpp"

#include "io/markup_escape.hpp"

namespace zdu::config {
namespace {

constexpr int kIndentWidth = 2;

std::string escape(std::string_view text, bool attribute) {
    return io::escape_markup(text, {attribute, "", attribute, true});
}

}  // namespace

std::string escape_attribute(std::string_view text) {
    return escape(text, true);
}
std::string escape_text(std::string_view text) {
    return escape(text, false);
}

void XmlWriter::open(std::string_view name, const XmlAttributes& attributes) {
    start_tag(name, attributes);
    out_ += ">\n";
    ++depth_;
}

void XmlWriter::close(std::string_view name) {
    --depth_;
    indent();
    out_ += "</";
    out_ += name;
    out_ += ">\n";
}

void XmlWriter::empty(std::string_view name, const XmlAttributes& attributes) {
    start_tag(name, attributes);
    out_ += "/>\n";
}

void XmlWriter::text_element(std::string_view name, std::string_view text) {
    indent();
    out_ += "<";
    out_ += name;
    out_ += ">" + escape_text(text) + "</";
    out_ += name;
    out_ += ">\n";
}

void XmlWriter::comment(std::string_view text) {
    indent();
    out_ += "<!--";
    out_ += text;
    out_ += "-->\n";
}

void XmlWriter::start_tag(std::string_view name, const XmlAttributes& attributes) {
    indent();
    out_ += "<";
    out_ += name;
    for (const auto& [key, value] : attributes) {
        out_ += " ";
        out_ += key;
        out_ += "=\"" + escape_attribute(value) + "\"";
    }
}

void XmlWriter::indent() {
    out_.append(static_cast<std::size_t>(depth_ * kIndentWidth), ' ');
}

}  // namespace zdu::config
