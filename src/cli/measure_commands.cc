// Registers the measurement subcommands (replay, staff, report, demo) with
// CLI11 and dispatches to them; see measure_commands.h.
#include "cli/measure_commands.h"

namespace hitlgate::cli {

struct MeasureCommands {
  ReplayOptions replay;
  CLI::App* replay_cmd = nullptr;
  StaffOptions staff;
  CLI::App* staff_cmd = nullptr;
};

std::shared_ptr<MeasureCommands> AddMeasureCommands(CLI::App& app) {
  auto m = std::make_shared<MeasureCommands>();

  ReplayOptions& r = m->replay;
  m->replay_cmd = app.add_subcommand(
      "replay", "Replay past traffic against a candidate policy and compare it with the active one");
  m->replay_cmd->add_option("--policy", r.candidate_path, "Candidate policy YAML file")->required();
  m->replay_cmd->add_option("--events", r.events_path,
                            "History: events as JSON lines, optionally with \"human_verdict\" (- = stdin)");
  m->replay_cmd->add_option("--active", r.active_path, "Active policy YAML file (default: the --data gateway's)");
  m->replay_cmd->add_option("--data", r.data_dir,
                            "A gateway's data folder: its active policy, its verdicts, and (without "
                            "--events) its recorded events");
  m->replay_cmd->add_option("--from", r.from, "With --data: RFC 3339 time, inclusive");
  m->replay_cmd->add_option("--to", r.to, "With --data: RFC 3339 time, exclusive");
  m->replay_cmd->add_option("--examples", r.examples, "Examples shown per kind of change")
      ->check(CLI::Range(0, 1000));
  m->replay_cmd->add_option("--lexicon", r.lexicon_path, "VADER-format sentiment lexicon file");
  m->replay_cmd->add_option("--output,-o", r.output_path, "Where the comparison goes (- = stdout)");
  m->replay_cmd->add_flag("--json", r.json, "Write the comparison as JSON");
  m->replay_cmd->add_flag("--stats", r.stats, "Print throughput on stderr");

  StaffOptions& s = m->staff;
  m->staff_cmd = app.add_subcommand(
      "staff", "Reviewers needed for a service level: Erlang C (or A) and a queue simulation");
  m->staff_cmd->add_option("--arrivals-per-hour", s.arrivals_per_hour, "Conversations (or events) per hour")
      ->required();
  m->staff_cmd->add_option("--escalation-rate", s.escalation_rate,
                           "Share of them that become review tasks (from replay or the report)");
  m->staff_cmd->add_option("--handle-seconds", s.handle_seconds, "Mean handling time of one task")->required();
  m->staff_cmd->add_option("--target", s.target, "Share answered within --within (default 0.8)");
  m->staff_cmd->add_option("--within", s.within, "Target wait, e.g. 60s, 2m (default 60s)");
  m->staff_cmd->add_option("--patience", s.patience,
                           "Mean patience before a waiting task is abandoned (Erlang A), e.g. 3m");
  m->staff_cmd->add_option("--seed", s.seed, "Simulation seed");
  m->staff_cmd->add_option("--simulated-tasks", s.simulated_tasks, "Tasks simulated per row")
      ->check(CLI::Range(static_cast<std::int64_t>(1000), static_cast<std::int64_t>(100000000)));
  m->staff_cmd->add_flag("--json", s.json, "Write the table as JSON");
  return m;
}

std::optional<int> RunMeasureCommands(const MeasureCommands& m) {
  if (*m.replay_cmd) return RunReplay(m.replay);
  if (*m.staff_cmd) return RunStaff(m.staff);
  return std::nullopt;
}

}  // namespace hitlgate::cli
