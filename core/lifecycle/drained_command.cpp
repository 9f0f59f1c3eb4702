#include "lifecycle/drained_command.hpp"

namespace zdu::lifecycle {
namespace {

bool space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Checked once at config time so argv() never meets a sequence it cannot expand.
bool check_placeholders(const std::string& word, std::string& error) {
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (word[i] != '%') continue;
        if (i + 1 == word.size()) {
            error = "'%' at the end of '" + word + "' (write %% for a %)";
            return false;
        }
        const char c = word[i + 1];
        if (c != 'c' && c != 'i' && c != 'v' && c != '%') {
            error = "unknown %" + std::string(1, c) + " in '" + word +
                    "' (known: %c cluster, %i instance, %v version, %% a %)";
            return false;
        }
        ++i;
    }
    return true;
}

}  // namespace

std::optional<DrainedCommand> DrainedCommand::parse(std::string_view text, std::string& error) {
    DrainedCommand cmd;
    std::size_t i = 0;
    while (true) {
        while (i < text.size() && space(text[i])) ++i;
        if (i == text.size()) break;
        std::string word;
        while (i < text.size() && !space(text[i])) {
            if (text[i] != '"') {
                word += text[i++];
                continue;
            }
            const std::size_t open = i++;
            bool closed = false;
            while (i < text.size()) {
                const char c = text[i++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\' && i < text.size()) {
                    word += text[i++];
                } else {
                    word += c;
                }
            }
            if (!closed) {
                error = "unclosed quote in '" + std::string(text.substr(open)) + "'";
                return std::nullopt;
            }
        }
        if (!check_placeholders(word, error)) return std::nullopt;
        cmd.words_.push_back(std::move(word));
    }
    if (cmd.words_.empty()) {
        error = "empty command";
        return std::nullopt;
    }
    const std::string& program = cmd.words_.front();
    // Run without a shell or PATH search, so the program is named exactly; and fixed at config
    // time, so no cluster or instance name can choose which program runs.
    if (program.empty() || program.front() != '/') {
        error = "the program '" + program + "' must be an absolute path";
        return std::nullopt;
    }
    for (std::size_t k = 0; k + 1 < program.size(); ++k) {
        if (program[k] == '%' && program[k + 1] != '%') {
            error =
                "the program '" + program + "' may not contain %" + std::string(1, program[k + 1]);
            return std::nullopt;
        }
        if (program[k] == '%') ++k;
    }
    return cmd;
}

std::vector<std::string> DrainedCommand::argv(std::string_view cluster, std::string_view instance,
                                              std::string_view version) const {
    std::vector<std::string> out;
    out.reserve(words_.size());
    for (const auto& word : words_) {
        std::string arg;
        for (std::size_t i = 0; i < word.size(); ++i) {
            if (word[i] != '%' || i + 1 == word.size()) {
                arg += word[i];
                continue;
            }
            switch (word[++i]) {
                case 'c':
                    arg.append(cluster.data(), cluster.size());
                    break;
                case 'i':
                    arg.append(instance.data(), instance.size());
                    break;
                case 'v':
                    arg.append(version.data(), version.size());
                    break;
                default:  // "%%"; parse() let nothing else through
                    arg += '%';
                    break;
            }
        }
        out.push_back(std::move(arg));
    }
    return out;
}

}  // namespace zdu::lifecycle
