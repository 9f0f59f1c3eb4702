// A small streaming JSON writer for the manager's answers. Strings are escaped so that any
// bytes a client sent (names echoed back in errors) still give valid JSON: control characters
// as \uXXXX, invalid UTF-8 as U+FFFD.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace zdu::manager {

// Appends `text` to `out` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view text);

// Keys and values are written in call order; commas come by themselves. Distinct names for
// each value type keep a string literal from ever converting to bool.
class JsonWriter {
  public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);

    JsonWriter& str(std::string_view value);
    JsonWriter& boolean(bool value);
    JsonWriter& null();
    // Milliseconds with three decimals ("1.234"), written without the locale.
    JsonWriter& millis(std::chrono::microseconds value);

    template <class Int,
              std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>, int> = 0>
    JsonWriter& number(Int value) {
        before_value();
        out_ += std::to_string(value);
        return *this;
    }

    // key(name) then the value, written as its type says: bool, integer, microseconds (as
    // millis) or text.
    template <class T>
    JsonWriter& field(std::string_view name, const T& value) {
        key(name);
        if constexpr (std::is_same_v<T, bool>) {
            return boolean(value);
        } else if constexpr (std::is_integral_v<T>) {
            return number(value);
        } else if constexpr (std::is_same_v<T, std::chrono::microseconds>) {
            return millis(value);
        } else {
            static_assert(std::is_convertible_v<const T&, std::string_view>, "not a JSON value");
            return str(value);
        }
    }

    const std::string& text() const { return out_; }

  private:
    void before_value();

    std::string out_;
    std::vector<bool> has_items_;  // one per open object or array
    bool after_key_ = false;
};

}  // namespace zdu::manager
