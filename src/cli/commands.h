// The `hitlgate` subcommands. Each returns the process exit status; main()
// parses flags (CLI11) and wires real clocks, files and stores.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/learning_models.h"

namespace CLI {
class App;
}

namespace hitlgate::cli {

struct DecideOptions {
  std::string policy_path;
  std::string input_path = "-";
  std::string output_path = "-";
  std::string lexicon_path;  // empty: the built-in lexicon
  bool stats = false;        // events/s and outcome counts on stderr
  server::LearningModelOptions learning;  // as `serve --calibration --triage-model`
};
int RunDecide(const DecideOptions& options);

int RunPolicyCheck(const std::vector<std::string>& paths);

struct PolicyTestOptions {
  std::string policy_path;
  std::string cases_path;
  std::string lexicon_path;
};
int RunPolicyTest(const PolicyTestOptions& options);

}  // namespace hitlgate::cli

namespace hitlgate::cli {

struct AuditVerifyOptions {
  std::string data_dir = "data";
  std::string file;      // a JSON-lines export instead of the data folder
  std::string store_url;  // a cluster's postgres:// URL instead of the data folder
  bool partial = false;  // the file is a range: do not require it to start at seq 1
  std::string checkpoint_dir;  // signed checkpoints to check the log against (docs/audit-format.md)
  std::string keys_path;       // their public keys (GET /v1/receipt-keys); default: the data folder's
};
int RunAuditVerify(const AuditVerifyOptions& options);

// `hitlgate audit prove --seq N`: an RFC 6962 inclusion proof of record N,
// against the first signed checkpoint that covers it when --checkpoint-dir
// is given, else against the whole log.
struct AuditProveOptions {
  AuditVerifyOptions source;  // where the records (and checkpoints, keys) are
  std::int64_t seq = 0;
};
int RunAuditProve(const AuditProveOptions& options);

struct AuditExportOptions {
  std::string data_dir = "data";
  std::string store_url;  // a cluster's postgres:// URL instead of the data folder
  std::string from;  // RFC 3339, inclusive
  std::string to;    // RFC 3339, exclusive
  std::string output = "-";
};
int RunAuditExport(const AuditExportOptions& options);

}  // namespace hitlgate::cli

namespace hitlgate::cli {

// `hitlgate mcp` (mcp_command.cc): the MCP proxy (docs/mcp.md). Add registers
// the subcommand (the object must outlive app.parse()); Run returns its exit
// status, or nullopt when another subcommand was chosen.
struct McpCommand;
std::shared_ptr<McpCommand> AddMcpCommand(CLI::App& app);
std::optional<int> RunMcpCommand(const McpCommand& command);

}  // namespace hitlgate::cli
