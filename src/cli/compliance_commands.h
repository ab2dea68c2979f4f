// `hitlgate compliance report --data DIR -o report.html [--json]
// [--checkpoint-dir DIR] [--audit-retention-days N]`: the compliance report
// (src/compliance) of a gateway's data folder. Internal to src/cli.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

namespace hitlgate::cli {

struct ComplianceCommands;
// Registers the subcommand on `app`; the returned object holds its options
// and must outlive app.parse().
std::shared_ptr<ComplianceCommands> AddComplianceCommands(CLI::App& app);
// The exit status of the compliance subcommand that was parsed (0, or 2 when
// the data cannot be read or the output written), or nullopt when another
// subcommand was chosen.
std::optional<int> RunComplianceCommands(const ComplianceCommands& commands);

}  // namespace hitlgate::cli
