#include "config/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "config/checks.hpp"
#include "config/model_builder.hpp"
#include "config/xml_reader.hpp"

namespace zdu::config {
namespace {

struct FileClose {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

void sort_by_line(std::vector<Diagnostic>& diagnostics) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
}

}  // namespace

bool read_whole_file(const std::string& path, std::string& text, std::string& why) {
    const std::unique_ptr<std::FILE, FileClose> file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        why = std::strerror(errno);
        return false;
    }
    char buffer[16384];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, n);
    if (std::ferror(file.get())) {
        why = std::strerror(errno);
        return false;
    }
    return true;
}

LoadResult load_string(std::string_view xml, const std::string& name) {
    XmlReadResult read = read_xml(xml, name);
    LoadResult result;
    result.diagnostics = std::move(read.diagnostics);
    // The model is only built from a document the DTD accepted, so every element it reads has the
    // structure and the required attributes the DTD promises.
    if (!read.doc && !has_errors(result.diagnostics)) {
        result.diagnostics.push_back(
            {Diagnostic::Severity::Error, name, 0, "the document could not be parsed"});
    }
    if (read.doc && !has_errors(result.diagnostics)) {
        LoadBalancer lb = build_model(*read.doc, name, result.diagnostics);
        check_model(lb, name, result.diagnostics);
        if (!has_errors(result.diagnostics)) {
            result.config = std::make_shared<const LoadBalancer>(std::move(lb));
        }
    }
    sort_by_line(result.diagnostics);
    return result;
}

LoadResult load_file(const std::string& path) {
    std::string text;
    std::string why;
    if (!read_whole_file(path, text, why)) {
        LoadResult result;
        result.diagnostics.push_back(
            {Diagnostic::Severity::Error, path, 0, "cannot read the file: " + why});
        return result;
    }
    return load_string(text, path);
}

}  // namespace zdu::config
