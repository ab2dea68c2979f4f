// hitlgate: the command line. Parses flags with CLI11 and hands each
// subcommand to its Run* function; the only place (with the server wiring)
// that constructs real clocks and opens files by name.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "cli/learning_model_flags.h"
#include "cli/learning_commands.h"
#include "cli/assist_commands.h"
#include "cli/compliance_commands.h"
#include "cli/receipt_commands.h"
#include "cli/measure_commands.h"
#include "server/serve.h"

int main(int argc, char** argv) {
  using namespace hitlgate::cli;
  CLI::App app{"hitlgate: the human-in-the-loop gateway for AI agents in customer service"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "hitlgate 0.1.0");

  DecideOptions decide;
  CLI::App* decide_cmd =
      app.add_subcommand("decide", "Decide a stream of events (JSON lines) against a policy");
  decide_cmd->add_option("--policy", decide.policy_path, "Policy YAML file")->required();
  decide_cmd->add_option("--input,-i", decide.input_path, "Events, one JSON object per line (- = stdin)");
  decide_cmd->add_option("--output,-o", decide.output_path, "Decisions, one per line (- = stdout)");
  decide_cmd->add_option("--lexicon", decide.lexicon_path, "VADER-format sentiment lexicon file");
  decide_cmd->add_flag("--stats", decide.stats, "Print throughput and outcome counts on stderr");
  AddLearningModelFlags(decide_cmd, decide.learning);

  CLI::App* policy_cmd = app.add_subcommand("policy", "Check and test policies");
  policy_cmd->require_subcommand(1);
  std::vector<std::string> check_paths;
  CLI::App* check_cmd = policy_cmd->add_subcommand(
      "check", "Report every problem in policy files with file:line:column; exit 1 on errors");
  check_cmd->add_option("files", check_paths, "Policy YAML files")->required();
  PolicyTestOptions test;
  CLI::App* test_cmd =
      policy_cmd->add_subcommand("test", "Run table-driven policy tests (given events, expect decisions)");
  test_cmd->add_option("policy", test.policy_path, "Policy YAML file")->required();
  test_cmd->add_option("--cases", test.cases_path, "Test cases YAML file")->required();
  test_cmd->add_option("--lexicon", test.lexicon_path, "VADER-format sentiment lexicon file");

  hitlgate::server::ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand(
      "serve", "Run the gateway: HTTP API, review queues, audit log and console on an embedded store");
  serve_cmd->add_option("--data", serve.data_dir, "Data folder (SQLite database, key secret)");
  serve_cmd->add_option("--store", serve.store_url,
                        "postgres://... to share PostgreSQL with other nodes (default: SQLite in --data)");
  serve_cmd->add_option("--address", serve.address, "Address to listen on");
  serve_cmd->add_option("--port", serve.port, "Port to listen on (0 = any free port)");
  serve_cmd->add_option("--policy", serve.policy_path,
                        "Policy to activate on the first start (default: the built-in retail example)");
  serve_cmd->add_option("--lexicon", serve.lexicon_path, "VADER-format sentiment lexicon file");
  AddLearningModelFlags(serve_cmd, serve.learning);
  serve_cmd->add_option("--autonomy-window", serve.autonomy.window, "Earned autonomy: judged cases in the rolling window")
      ->check(CLI::Range(10, 100000));
  serve_cmd->add_option("--autonomy-min-cases", serve.autonomy.min_cases,
                        "Earned autonomy: judged cases since the last change before a promotion")
      ->check(CLI::Range(1, 100000));
  serve_cmd->add_option("--autonomy-hotl-target", serve.autonomy.hotl_target,
                        "Earned autonomy: agreement the Wilson lower bound must reach for HOTL")
      ->check(CLI::Range(0.5, 1.0));
  serve_cmd->add_option("--autonomy-hootl-target", serve.autonomy.hootl_target,
                        "Earned autonomy: agreement the Wilson lower bound must reach for HOOTL")
      ->check(CLI::Range(0.5, 1.0));
  serve_cmd->add_option("--autonomy-audit-hotl", serve.autonomy.audit_rate_hotl,
                        "Earned autonomy: share of autonomous proposals audited at HOTL")
      ->check(CLI::Range(0.0, 1.0));
  serve_cmd->add_option("--autonomy-audit-hootl", serve.autonomy.audit_rate_hootl,
                        "Earned autonomy: share of autonomous proposals audited at HOOTL")
      ->check(CLI::Range(0.0, 1.0));
  serve_cmd->add_option("--console", serve.console_dir, "Built console assets (default: web/dist)");
  serve_cmd->add_option("--assist-model", serve.assist_model, "Agent assist: a model from `assist train --out`");
  serve_cmd->add_option("--assist-knowledge", serve.assist_knowledge,
                        "Agent assist: the procedures and articles document (docs/assist.md); stored as a new "
                        "knowledge version when it differs from the active one");
  serve_cmd->add_option("--threads", serve.threads, "HTTP threads (0 = one per core)");
  serve_cmd->add_option("--lease-seconds", serve.lease_seconds, "How long a reviewer's claim lasts unless renewed");
  serve_cmd->add_flag("--metrics-need-key", serve.metrics_need_key,
                      "Serve /metrics only to an API key whose role may read metrics (Bearer token)");
  serve_cmd
      ->add_option("--event-clock-skew", serve.event_clock_skew_seconds,
                   "Seconds an event's own time 'at' may differ from the server's clock (0: unchecked)")
      ->check(CLI::Range(0, 86400));
  serve_cmd->add_option("--text-retention-days", serve.text_retention_days,
                        "Erase personal text (event text, task contexts) after this many days, sparing legal "
                        "holds (0 = keep until the customer is erased)");
  serve_cmd->add_option("--audit-retention-days", serve.audit_retention_days,
                        "Keep audit records this long (at least 183 unless --allow-short-retention)");
  serve_cmd->add_flag("--allow-short-retention", serve.allow_short_retention,
                      "Allow an audit retention under 183 days");
  serve_cmd->add_option("--checkpoint-dir", serve.checkpoint_dir,
                        "Write signed audit checkpoints to this folder, e.g. a mounted bucket (default: "
                        "DATA/checkpoints)");
  serve_cmd->add_flag("--no-checkpoints", serve.no_checkpoints,
                      "Write no audit checkpoints (deleting the newest records then goes unnoticed)");
  serve_cmd->add_option("--checkpoint-key", serve.signing_key_file,
                        "The signing key file for checkpoints and receipts, kept apart from the data folder "
                        "(default: DATA/signing_keys.json; made on first start)");
  serve_cmd->add_option("--checkpoint-every-records", serve.checkpoint_every_records,
                        "Checkpoint after this many new audit records");
  serve_cmd->add_option("--checkpoint-minutes", serve.checkpoint_minutes,
                        "Checkpoint new audit records at least this often");
  serve_cmd->add_option("--tls-cert", serve.tls_cert, "Serve HTTPS with this PEM certificate chain");
  serve_cmd->add_option("--tls-key", serve.tls_key, "The PEM private key of --tls-cert");
  serve_cmd->add_option("--tls-client-ca", serve.tls_client_ca,
                        "Require client certificates signed by this PEM CA (mutual TLS for agents)");
  serve_cmd->add_option("--rate-limit", serve.rate_limits,
                        "ROLE=PER_SECOND[/BURST] requests per key (repeatable; 0 = unlimited; "
                        "defaults agent=200/400, people 20/s)");

  CLI::App* audit_cmd = app.add_subcommand("audit", "Verify and export the audit log");
  audit_cmd->require_subcommand(1);
  AuditVerifyOptions verify;
  CLI::App* verify_cmd = audit_cmd->add_subcommand(
      "verify", "Check the hash chain; name the first changed, removed, inserted or reordered record");
  verify_cmd->add_option("--data", verify.data_dir, "The gateway's data folder");
  verify_cmd->add_option("--store", verify.store_url, "A cluster's postgres://... URL instead of --data");
  verify_cmd->add_option("--file", verify.file, "A JSON-lines export instead of the data folder");
  verify_cmd->add_flag("--partial", verify.partial, "The file is a range that need not start at seq 1");
  verify_cmd->add_option("--checkpoint-dir", verify.checkpoint_dir,
                         "Signed checkpoints to check the log against (a gateway's --checkpoint-dir)");
  verify_cmd->add_option("--keys", verify.keys_path,
                         "The gateway's public keys (GET /v1/receipt-keys); default: the data folder's");
  AuditProveOptions prove;
  CLI::App* prove_cmd = audit_cmd->add_subcommand(
      "prove", "Print a Merkle inclusion proof of one record, against a signed checkpoint when given");
  prove_cmd->add_option("--seq", prove.seq, "The record's seq")->required();
  prove_cmd->add_option("--data", prove.source.data_dir, "The gateway's data folder");
  prove_cmd->add_option("--store", prove.source.store_url, "A cluster's postgres://... URL instead of --data");
  prove_cmd->add_option("--file", prove.source.file, "A JSON-lines export instead of the data folder");
  prove_cmd->add_option("--checkpoint-dir", prove.source.checkpoint_dir, "Signed checkpoints");
  prove_cmd->add_option("--keys", prove.source.keys_path, "The gateway's public keys");
  AuditExportOptions export_opts;
  CLI::App* export_cmd = audit_cmd->add_subcommand("export", "Write audit records as JSON lines");
  export_cmd->add_option("--data", export_opts.data_dir, "The gateway's data folder");
  export_cmd->add_option("--store", export_opts.store_url, "A cluster's postgres://... URL instead of --data");
  export_cmd->add_option("--from", export_opts.from, "RFC 3339 time, inclusive");
  export_cmd->add_option("--to", export_opts.to, "RFC 3339 time, exclusive");
  export_cmd->add_option("--output,-o", export_opts.output, "Output file (- = stdout)");

  auto measure = AddMeasureCommands(app);

  auto receipt_cmds = AddReceiptCommands(app);
  auto compliance_cmds = AddComplianceCommands(app);

  auto learning = AddLearningCommands(app);
  auto assist = AddAssistCommands(app);

  auto mcp = AddMcpCommand(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*decide_cmd) return RunDecide(decide);
    if (*check_cmd) return RunPolicyCheck(check_paths);
    if (*test_cmd) return RunPolicyTest(test);
    if (*serve_cmd) return hitlgate::server::RunServe(serve);
    if (*verify_cmd) return RunAuditVerify(verify);
    if (*export_cmd) return RunAuditExport(export_opts);
    if (*prove_cmd) return RunAuditProve(prove);
    if (auto status = RunLearningCommands(*learning)) return *status;
    if (auto status = RunAssistCommands(*assist)) return *status;
    if (auto status = RunReceiptCommands(*receipt_cmds)) return *status;
    if (auto status = RunComplianceCommands(*compliance_cmds)) return *status;
    if (auto status = RunMeasureCommands(*measure)) return *status;
    if (auto status = RunMcpCommand(*mcp)) return *status;
  } catch (const std::exception& e) {
    // Exceptions never cross module boundaries; this is the last net.
    std::fprintf(stderr, "hitlgate: internal error: %s\n", e.what());
    return 70;
  }
  return 2;
}
