// ZduDrainedCommand: the command run once when an instance becomes drained, e.g.
// "/usr/local/bin/stop-instance %c %i %v". Split into words at config time (double quotes group,
// backslash escapes inside them); %c, %i, %v, %% are replaced per instance. No shell.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zdu::lifecycle {

class DrainedCommand {
  public:
    // nullopt and `error` naming the offending text on an unknown %x, an unclosed quote or an
    // empty command; the program must be an absolute path.
    static std::optional<DrainedCommand> parse(std::string_view text, std::string& error);
    // The argument vector for one instance (argv[0] is the program).
    std::vector<std::string> argv(std::string_view cluster, std::string_view instance,
                                  std::string_view version) const;

  private:
    std::vector<std::string> words_;
};

}  // namespace zdu::lifecycle
