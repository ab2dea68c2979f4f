// The measurement subcommands: `replay` (a candidate policy against past
// traffic), `staff` (reviewers needed for an SLA), `report` (effectiveness
// metrics of a gateway's data folder as HTML and JSON) and `demo` (a
// simulated AI agent playing real dialogues through a running gateway).
// AddMeasureCommands registers their flags with CLI11; RunMeasureCommands
// runs the one that was chosen. Internal to src/cli.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hitlgate/common/error.h"
#include "server/learning_models.h"

namespace hitlgate::cli {

struct ReplayOptions {
  std::string candidate_path;   // --policy
  std::string events_path;      // --events (- = stdin); empty with --data = the store's own history
  std::string active_path;      // --active
  std::string data_dir;         // --data: active policy, verdicts (and history) from a gateway
  std::string from, to;         // RFC 3339 range for --data
  std::string lexicon_path;
  std::string output_path = "-";
  bool json = false;
  bool stats = false;
  int examples = 3;
  server::LearningModelOptions learning;  // as `serve --calibration --triage-model`
};
int RunReplay(const ReplayOptions& options);

struct StaffOptions {
  double arrivals_per_hour = 0;
  double escalation_rate = 1.0;
  double handle_seconds = 0;
  double target = 0.8;
  std::string within = "60s";
  std::string patience;  // empty: nobody abandons (Erlang C)
  std::uint64_t seed = 1;
  std::int64_t simulated_tasks = 200000;
  bool json = false;
};
int RunStaff(const StaffOptions& options);
// "60", "60s", "2m", "1.5h" -> seconds. InvalidArgument otherwise.
Result<double> ParseSeconds(std::string_view text);

struct ReportOptions {
  std::string data_dir = "data";
  std::string from, to;        // RFC 3339; empty = open-ended
  std::string output = "-";    // HTML (or JSON with --json)
  std::string json_output;     // also write the JSON here
  bool json = false;
};
int RunReport(const ReportOptions& options);

struct DemoOptions {
  std::string url = "http://127.0.0.1:8080";
  std::string key;                 // an admin key (creates the demo's agent and reviewer keys)
  std::string data_dir = "../shared/data";
  double rate = 5;                 // events per second
  int concurrent = 8;              // conversations in flight at once
  int conversations = 0;           // 0 = all loaded
  int reviewers = 2;               // simulated people answering tasks
  double handle_seconds = 8;       // each simulated person's time per task
  double csat_share = 0.5;         // finished conversations that answer a survey
  std::uint64_t seed = 1;
  bool builtin_only = false;
};
int RunDemo(const DemoOptions& options);

struct MeasureCommands;
// Registers the subcommands on `app`; the returned object holds their
// options and must outlive app.parse().
std::shared_ptr<MeasureCommands> AddMeasureCommands(CLI::App& app);
// The exit status of the measurement subcommand that was parsed, or nullopt
// when another subcommand was chosen.
std::optional<int> RunMeasureCommands(const MeasureCommands& commands);

}  // namespace hitlgate::cli
