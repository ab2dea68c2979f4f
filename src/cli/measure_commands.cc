// Registers the measurement subcommands (replay, staff, report, demo) with
// CLI11 and dispatches to them; see measure_commands.h.
#include "cli/measure_commands.h"

#include "cli/learning_model_flags.h"

namespace hitlgate::cli {

struct MeasureCommands {
  ReplayOptions replay;
  CLI::App* replay_cmd = nullptr;
  StaffOptions staff;
  CLI::App* staff_cmd = nullptr;
  ReportOptions report;
  CLI::App* report_cmd = nullptr;
  DemoOptions demo;
  CLI::App* demo_cmd = nullptr;
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
  AddLearningModelFlags(m->replay_cmd, r.learning);

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

  ReportOptions& rep = m->report;
  m->report_cmd = app.add_subcommand(
      "report", "Effectiveness of oversight (escalations, handoff context, resolution, CSAT, SLA, "
                "reviewers) as a self-contained HTML report");
  m->report_cmd->add_option("--data", rep.data_dir, "The gateway's data folder");
  m->report_cmd->add_option("--from", rep.from, "RFC 3339 time, inclusive");
  m->report_cmd->add_option("--to", rep.to, "RFC 3339 time, exclusive");
  m->report_cmd->add_option("--output,-o", rep.output, "Report file (- = stdout)");
  m->report_cmd->add_option("--json-output", rep.json_output, "Also write the figures as JSON here");
  m->report_cmd->add_flag("--json", rep.json, "Write JSON instead of HTML");

  DemoOptions& d = m->demo;
  m->demo_cmd = app.add_subcommand(
      "demo", "A simulated AI agent and reviewers playing real customer-service dialogues through a running gateway");
  m->demo_cmd->add_option("--url", d.url, "The gateway (http://host:port)");
  m->demo_cmd->add_option("--key", d.key, "An admin API key (the demo creates its own agent and reviewer keys)")
      ->required()->envname("HITLGATE_ADMIN_KEY");
  m->demo_cmd->add_option("--data", d.data_dir, "The shared data folder (tau_bench, tau2_bench, abcd, banking77, bitext_intent)");
  m->demo_cmd->add_option("--rate", d.rate, "Events per second")->check(CLI::Range(0.1, 10000.0));
  m->demo_cmd->add_option("--concurrent", d.concurrent, "Conversations in flight at once")->check(CLI::Range(1, 10000));
  m->demo_cmd->add_option("--conversations", d.conversations, "Stop after this many (0 = all)")->check(CLI::Range(0, 10000000));
  m->demo_cmd->add_option("--reviewers", d.reviewers, "Simulated reviewers and supervisors (0 = leave the queues to people)")
      ->check(CLI::Range(0, 100));
  m->demo_cmd->add_option("--handle-seconds", d.handle_seconds, "Each simulated person's time per task")
      ->check(CLI::Range(0.0, 3600.0));
  m->demo_cmd->add_option("--csat-share", d.csat_share, "Share of finished conversations answering a survey")
      ->check(CLI::Range(0.0, 1.0));
  m->demo_cmd->add_option("--seed", d.seed, "Random seed (order, confidences, verdicts, surveys)");
  m->demo_cmd->add_flag("--built-in", d.builtin_only, "Play the small built-in script, not the data sets");
  return m;
}

std::optional<int> RunMeasureCommands(const MeasureCommands& m) {
  if (*m.replay_cmd) return RunReplay(m.replay);
  if (*m.staff_cmd) return RunStaff(m.staff);
  if (*m.report_cmd) return RunReport(m.report);
  if (*m.demo_cmd) return RunDemo(m.demo);
  return std::nullopt;
}

}  // namespace hitlgate::cli
