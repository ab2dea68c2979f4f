#include "cli/compliance_commands.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "cli/open_store.h"
#include "hitlgate/common/clock.h"
#include "hitlgate/compliance/report.h"

namespace hitlgate::cli {

struct ComplianceCommands {
  CLI::App* report = nullptr;
  std::string data_dir;
  std::string output;  // "-" or empty: stdout
  std::string checkpoint_dir;
  std::int64_t audit_retention_days = 183;
  bool json = false;
};

std::shared_ptr<ComplianceCommands> AddComplianceCommands(CLI::App& app) {
  auto c = std::make_shared<ComplianceCommands>();
  CLI::App* compliance = app.add_subcommand("compliance", "Reports for auditors and regulators");
  compliance->require_subcommand(1);
  c->report = compliance->add_subcommand(
      "report", "Where human oversight enters each workflow, oversight statistics, retention, checkpoints, keys");
  c->report->add_option("--data", c->data_dir, "The gateway's data folder")->required();
  c->report->add_option("-o,--output", c->output, "Write the report here (default: stdout)");
  c->report->add_flag("--json", c->json, "JSON instead of a self-contained HTML page");
  c->report->add_option("--checkpoint-dir", c->checkpoint_dir, "The exported audit checkpoints (serve --checkpoint-dir)");
  c->report->add_option("--audit-retention-days", c->audit_retention_days,
                        "The gateway's audit retention (serve --audit-retention-days)")
      ->check(CLI::PositiveNumber);
  return c;
}

std::optional<int> RunComplianceCommands(const ComplianceCommands& c) {
  if (c.report == nullptr || !*c.report) return std::nullopt;
  auto opened = OpenDataDirStore(c.data_dir);
  if (!opened) {
    std::fprintf(stderr, "hitlgate compliance report: %s\n", opened.error().ToString().c_str());
    return 2;
  }
  SystemClock clock;
  compliance::ReportOptions options;
  options.checkpoint_dir = c.checkpoint_dir;
  options.audit_retention_days = c.audit_retention_days;
  options.now = clock.Now();
  auto report = compliance::BuildReport(*opened->store, options);
  if (!report) {
    std::fprintf(stderr, "hitlgate compliance report: %s\n", report.error().ToString().c_str());
    return 2;
  }
  const std::string text = c.json ? compliance::RenderJson(*report) + "\n" : compliance::RenderHtml(*report);
  if (c.output.empty() || c.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  std::ofstream out(c.output, std::ios::binary);
  out << text;
  if (!out.flush()) {
    std::fprintf(stderr, "hitlgate compliance report: cannot write %s\n", c.output.c_str());
    return 2;
  }
  std::fprintf(stderr, "wrote %s\n", c.output.c_str());
  return 0;
}

}  // namespace hitlgate::cli
