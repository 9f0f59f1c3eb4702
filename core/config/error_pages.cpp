#include "config/error_pages.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "config/text.hpp"
#include "routing/hash.hpp"

namespace zdu::config {
namespace {

bool is_absolute_url(std::string_view url) {
    return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

// A name with '/' or a leading '.' could reach outside the directory.
bool is_plain_file_name(std::string_view name) {
    return !name.empty() && name.find('/') == std::string_view::npos && name.front() != '.' &&
           name.find('\0') == std::string_view::npos;
}

// The file's text; false with `why` set when it cannot be served. The size is checked before
// reading, so a huge file is never read.
bool read_page(const std::string& path, std::size_t max_bytes, std::string& text,
               std::string& why) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        why = ec ? "cannot be read: " + ec.message() : "is not a regular file";
        return false;
    }
    std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec || size > max_bytes) {
        why = ec ? "cannot be read: " + ec.message()
                 : "is larger than " + std::to_string(max_bytes) + " bytes";
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.is_open() || in.bad()) {
        why = "cannot be read";
        return false;
    }
    return true;
}

}  // namespace

bool names_error_page(std::string_view error_url) {
    return !error_url.empty() && !is_absolute_url(error_url);
}

ErrorPages ErrorPages::load(const LoadBalancer& lb, const std::string& dir,
                            std::vector<std::string>& problems, std::size_t max_bytes) {
    ErrorPages pages;
    for (const auto& c : lb.clusters) {
        for (const auto& wm : c.web_modules) {
            const std::string& name = wm.error_url;
            if (!names_error_page(name) || pages.find(name)) continue;
            std::string owner = "web-module " + config::quoted(wm.context_root) + ": error-url " +
                                config::quoted(name);
            if (dir.empty()) {
                problems.push_back(owner + ": no ZduErrorPageDir to read it from");
                continue;
            }
            if (!is_plain_file_name(name)) {
                problems.push_back(owner + " is not a file name in " + dir);
                continue;
            }
            std::string path = dir + "/" + name, text, why;
            if (!read_page(path, max_bytes, text, why)) {
                problems.push_back(owner + ": " + path + " " + why);
                continue;
            }
            pages.pages_.emplace(routing::stable_hash(name), Page{name, std::move(text)});
        }
    }
    return pages;
}

const std::string* ErrorPages::find(std::string_view name) const {
    auto [first, last] = pages_.equal_range(routing::stable_hash(name));
    for (auto it = first; it != last; ++it) {
        if (it->second.name == name) return &it->second.text;
    }
    return nullptr;
}

}  // namespace zdu::config
