// The compliance report (`hitlgate compliance report`): where human
// oversight enters each workflow (the active policy in plain words), what
// the people did (decisions by outcome, holds answered, time to verdict,
// overrides, contests), retention and legal holds, audit checkpoints and key
// history. Built from a gateway's store; rendered as one self-contained HTML
// page or as JSON. Thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/store/store.h"

namespace hitlgate::compliance {

// One sentence per element of the policy, grouped.
struct PolicyInWords {
  std::string name;
  std::string version;
  std::optional<TimePoint> activated_at;
  std::string activated_by;
  std::vector<std::string> defaults;   // the baseline for undeclared workflows, ...
  std::vector<std::string> workflows;  // one sentence per workflow (and its intents/actions)
  std::vector<std::string> floors;     // "Floor X: when ..., ... No setting relaxes it."
  std::vector<std::string> rules;
  std::vector<std::string> queues;
};

// Renders a policy's YAML source. InvalidArgument when it does not parse.
[[nodiscard]] Result<PolicyInWords> DescribePolicy(std::string_view yaml);

struct KeyEvent {
  TimePoint at;
  std::string kind;  // key_created, key_revoked, signing_key_rotated
  std::string subject;
  std::string detail;
};

struct CheckpointInfo {
  std::string file;
  std::int64_t seq = 0;
  TimePoint at;
  std::string key_id;
  std::string problem;  // empty when it decoded
};

struct OversightStats {
  std::map<std::string, std::int64_t> decisions_by_outcome;
  std::map<std::string, std::int64_t> tasks_by_kind;
  std::map<std::string, std::int64_t> verdicts_by_kind;
  std::int64_t holds_opened = 0;
  std::int64_t holds_answered = 0;
  std::int64_t escalations = 0;
  std::int64_t supervisor_overrides = 0;  // verdicts given without the lease
  std::int64_t proposals_changed = 0;     // edited, rejected or taken over by a person
  std::int64_t contests_opened = 0;
  std::int64_t contests_upheld = 0;
  std::int64_t contests_overturned = 0;
  std::optional<double> median_seconds_to_verdict;
  std::optional<double> p90_seconds_to_verdict;
};

struct ComplianceReport {
  TimePoint generated_at;
  std::optional<PolicyInWords> policy;
  std::string policy_problem;  // why `policy` is absent
  OversightStats stats;
  // Retention.
  std::int64_t audit_records = 0;
  std::optional<TimePoint> oldest_audit_record;
  std::int64_t audit_retention_days = 183;
  std::vector<std::string> purges;  // one line per audit_purged record
  std::int64_t erasures = 0;
  std::int64_t exports = 0;
  std::vector<store::Control> legal_holds;
  // Integrity.
  bool chain_verified = false;
  std::string chain_detail;
  std::vector<CheckpointInfo> checkpoints;
  std::string checkpoint_dir;
  std::vector<KeyEvent> key_history;
};

struct ReportOptions {
  std::string checkpoint_dir;  // empty: no checkpoint history
  std::int64_t audit_retention_days = 183;  // as the gateway is configured
  TimePoint now;
};

[[nodiscard]] Result<ComplianceReport> BuildReport(store::Store& store, const ReportOptions& options);
std::string RenderHtml(const ComplianceReport& report);
std::string RenderJson(const ComplianceReport& report);

}  // namespace hitlgate::compliance
