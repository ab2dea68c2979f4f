// The learning-loop subcommands: `feedback export` (labeled examples from a
// gateway's data folder, personal data masked), `calibrate` (fit confidence
// to human agreement, show reliability), `advise` (confidence thresholds
// under an error-rate target), `train` and `eval` (the fastText triage
// classifier). AddLearningCommands registers their flags with CLI11;
// RunLearningCommands runs the one that was chosen. Internal to src/cli.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

namespace hitlgate::cli {

struct LearningCommands;
// Registers the subcommands on `app`; the returned object holds their
// options and must outlive app.parse().
std::shared_ptr<LearningCommands> AddLearningCommands(CLI::App& app);
// The exit status of the learning subcommand that was parsed, or nullopt
// when another subcommand was chosen.
std::optional<int> RunLearningCommands(const LearningCommands& commands);

}  // namespace hitlgate::cli
