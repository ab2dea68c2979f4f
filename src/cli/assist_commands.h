// `hitlgate assist import-abcd | train | eval | suggest` (docs/assist.md).
// Internal to src/cli.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

namespace hitlgate::cli {

struct AssistCommands;
std::shared_ptr<AssistCommands> AddAssistCommands(CLI::App& app);
std::optional<int> RunAssistCommands(const AssistCommands& commands);

}  // namespace hitlgate::cli
