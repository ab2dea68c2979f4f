// hitlgate: the command line. Parses flags with CLI11 and hands each
// subcommand to its Run* function; the only place (with the server wiring)
// that constructs real clocks and opens files by name.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"

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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*decide_cmd) return RunDecide(decide);
    if (*check_cmd) return RunPolicyCheck(check_paths);
    if (*test_cmd) return RunPolicyTest(test);
  } catch (const std::exception& e) {
    // Exceptions never cross module boundaries; this is the last net.
    std::fprintf(stderr, "hitlgate: internal error: %s\n", e.what());
    return 70;
  }
  return 2;
}
