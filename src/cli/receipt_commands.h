// `hitlgate receipt verify` (what an executing system runs, offline, before
// it carries out an approved action) and `hitlgate receipt keys` (the data
// folder's public key history, as GET /v1/receipt-keys publishes it).
// AddReceiptCommands registers their flags with CLI11; RunReceiptCommands
// runs the one that was chosen. Internal to src/cli.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

namespace hitlgate::cli {

struct ReceiptVerifyOptions {
  std::string receipt_path;  // the receipt JSON (or a task view holding one as "receipt")
  std::string action_path;   // the action JSON object about to be executed
  std::string keys_path;     // the published key list (GET /v1/receipt-keys)
};
// 0: the receipt approves exactly this action; 1: refused (the reason is
// printed); 2: an input could not be read or decoded.
int RunReceiptVerify(const ReceiptVerifyOptions& options);

// Prints the public key history of a gateway's data folder. 0, or 2 when
// the folder has no readable key file.
int RunReceiptKeys(const std::string& data_dir);

struct ReceiptCommands;
// Registers the subcommands on `app`; the returned object holds their
// options and must outlive app.parse().
std::shared_ptr<ReceiptCommands> AddReceiptCommands(CLI::App& app);
// The exit status of the receipt subcommand that was parsed, or nullopt when
// another subcommand was chosen.
std::optional<int> RunReceiptCommands(const ReceiptCommands& commands);

}  // namespace hitlgate::cli
