#include "config/attribute_reader.hpp"

#include <variant>

#include "config/listener_parser.hpp"
#include "config/text.hpp"
#include "config/xml_node.hpp"

namespace zdu::config {

int AttributeReader::integer(const xmlNode& e, const char* name, int fallback,
                             const std::string& owner) {
    const auto value = attribute(e, name);
    if (!value) return fallback;
    if (const auto number = parse_int(*value)) return *number;
    error(e, owner + ": " + name + " " + quoted(*value) + " is not an integer");
    return fallback;
}

bool AttributeReader::boolean(const xmlNode& e, const char* name, bool fallback,
                              const std::string& owner) {
    const auto value = attribute(e, name);
    if (!value) return fallback;
    if (const auto flag = parse_bool(*value)) return *flag;
    error(e, owner + ": " + name + " " + quoted(*value) + " is not a boolean");
    return fallback;
}

std::string AttributeReader::text(const xmlNode& e, const char* name, std::string fallback) {
    auto value = attribute(e, name);
    return value ? std::move(*value) : std::move(fallback);
}

std::vector<Listener> AttributeReader::listeners(const xmlNode& e, const std::string& owner) {
    std::vector<Listener> out;
    const std::string value = text(e, "listeners");
    const auto words = split_words(value);
    if (words.empty()) error(e, owner + ": listeners " + quoted(value) + " names no listener");
    for (const auto word : words) {
        auto parsed = parse_listener(word);
        if (auto* listener = std::get_if<Listener>(&parsed)) {
            out.push_back(std::move(*listener));
        } else {
            error(e, owner + ": " + std::get<std::string>(parsed));
        }
    }
    return out;
}

void AttributeReader::error(const xmlNode& e, std::string message) {
    diagnostics_.push_back({Diagnostic::Severity::Error, file_, line_of(e), std::move(message)});
}

}  // namespace zdu::config
