// The <property> names mod_zdu knows, with their types and ranges: one table read both by the
// loader's checks and by settings_of(), so the two cannot disagree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "config/settings.hpp"

namespace zdu::config {

struct IntegerProperty {
    int Settings::*field;
    int min;
    int max;
};

struct BooleanProperty {
    bool Settings::*field;
};

struct PropertySpec {
    std::string_view name;
    std::variant<IntegerProperty, BooleanProperty> kind;
};

// nullptr for names mod_zdu does not know.
const PropertySpec* find_property_spec(std::string_view name);

// Why `value` is not acceptable for `spec`; nullopt when it is.
std::optional<std::string> property_value_problem(const PropertySpec& spec, std::string_view value);

// Stores an acceptable `value` into `settings`; an unacceptable one leaves the default.
void apply_property(const PropertySpec& spec, std::string_view value, Settings& settings);

}  // namespace zdu::config
