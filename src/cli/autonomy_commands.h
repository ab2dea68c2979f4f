// `hitlgate autonomy simulate`: earned autonomy replayed on the tau-bench
// data (docs/autonomy.md). Internal to src/cli; registered through
// AddLearningCommands.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

namespace hitlgate::cli {

struct AutonomyCommands;
std::shared_ptr<AutonomyCommands> AddAutonomyCommands(CLI::App& app);
std::optional<int> RunAutonomyCommands(const AutonomyCommands& commands);

}  // namespace hitlgate::cli
