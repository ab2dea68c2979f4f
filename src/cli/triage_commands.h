// `hitlgate train` and `hitlgate eval`: the fastText triage classifier on the
// command line (docs/learning.md). Internal to src/cli; registered through
// AddLearningCommands.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

namespace hitlgate::cli {

struct TriageCommands;
std::shared_ptr<TriageCommands> AddTriageCommands(CLI::App& app);
std::optional<int> RunTriageCommands(const TriageCommands& commands);

}  // namespace hitlgate::cli
