// PolicyModel: a checked policy as plain typed values, with source positions
// kept where later stages (expression compiler, matcher build) may still need
// to report an issue. Produced by the checker from the document tree; turned
// into a Program by the builder. No YAML types here. Value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hitlgate/engine/decision.h"
#include "policy/compiler/issue_list.h"
#include "policy/eval/trigger_kind.h"

namespace hitlgate::policy::compiler {

// Event kinds as a bit set (rule scopes, what a trigger applies to).
inline constexpr std::uint8_t kOnCustomerMessage = 1;
inline constexpr std::uint8_t kOnProposal = 2;
inline constexpr std::uint8_t kOnBoth = kOnCustomerMessage | kOnProposal;

// A name as written: exact ("refund"), glob ("faq_*") or group ("@money").
struct NameRef {
  std::string text;
  Pos pos;
};

struct QueueModel {
  std::string name;
  std::vector<std::string> skills;
  int priority = 3;
  int sla_seconds = 300;
  Pos pos;
};

struct OversightEntry {
  NameRef key;
  engine::Oversight level = engine::Oversight::kHotl;
};

// What happens when an agent's deadline passes on a hold (`deadline:` under
// defaults or a workflow).
struct DeadlineModel {
  std::optional<engine::DeadlineFallback> fallback;
  std::string wait_message;
  std::string customer_message;
  struct ActionEntry {
    NameRef key;
    engine::DeadlineFallback fallback = engine::DeadlineFallback::kFailClosed;
  };
  std::vector<ActionEntry> actions;
};

struct WorkflowModel {
  std::string name;
  Pos pos;
  std::optional<engine::Oversight> oversight;
  std::string queue;  // empty: defaults.queue
  Pos queue_pos;
  std::vector<OversightEntry> intents;
  std::vector<OversightEntry> actions;
  DeadlineModel deadline;
};

struct GroupModel {
  std::string name;  // without '@'
  std::vector<NameRef> members;
};

struct PhraseSource {
  std::string text;
  Pos pos;
};

// A custom topic (topics:) or an extension of a built-in category (phrases:).
struct CategoryModel {
  std::string name;
  Pos pos;
  std::vector<PhraseSource> phrases;
  std::vector<PhraseSource> patterns;
  // topics: only. Intents (names or globs, as the AI or the triage
  // classifier reports them) that raise the topic without any phrase.
  std::vector<PhraseSource> intents;
};

using eval::TriggerKind;

struct TriggerModel {
  TriggerKind kind = TriggerKind::kCondition;
  Pos pos;
  // confidence_below
  double threshold = 0.0;
  std::vector<std::pair<NameRef, double>> per_intent;
  bool calibrated = false;
  bool fire_when_missing = true;
  // sentiment_below (level), sentiment_falling (by)
  double level = 0.0;
  // message_rate_above
  int count = 0;
  int per_seconds = 0;
  // repeat_contact
  int contacts = 0;
  int within_days = 0;
  bool same_intent = false;
  // sensitive_topic (topic names), action and intent (name patterns)
  std::vector<NameRef> names;
  // action_value_above
  NameRef action{"*", {}};
  std::vector<std::pair<std::string, double>> limits;  // currency -> limit
};

// An `if` expression and how to map its characters back into the file.
struct ExprSource {
  std::string text;
  Pos pos;  // the scalar's start
  // column_of[i]: source column of text[i] (size text.size() + 1); empty when
  // the scalar is not on one line (block scalars): issues then point at pos.
  std::vector<int> column_of;
  Pos At(std::size_t i) const {
    if (column_of.empty()) return pos;
    return Pos{pos.line, column_of[std::min(i, column_of.size() - 1)]};
  }
};

struct RuleModel {
  std::string name;
  std::string description;
  bool floor = false;
  Pos pos;  // the rule's list item
  Pos name_pos;
  std::vector<NameRef> workflows;  // empty: every workflow
  std::uint8_t events = 0;         // after checking: never 0
  TriggerModel trigger;
  std::optional<ExprSource> condition;
  engine::Outcome outcome = engine::Outcome::kHold;
  std::string queue;  // empty: the workflow's queue, then defaults.queue
  Pos queue_pos;
  std::optional<std::vector<std::string>> skills;
  std::optional<int> priority;
  std::optional<int> sla_seconds;
};

struct PolicyModel {
  std::string name;
  std::string description;
  std::vector<QueueModel> queues;
  engine::Oversight default_oversight = engine::Oversight::kHotl;
  engine::Outcome customer_messages = engine::Outcome::kAllow;
  Pos default_oversight_pos;
  std::string default_queue;
  Pos default_queue_pos;
  int hold_notice_seconds = 15;
  int repeat_contact_window_days = 7;
  DeadlineModel default_deadline;
  std::vector<GroupModel> intent_groups;
  std::vector<GroupModel> action_groups;
  std::vector<WorkflowModel> workflows;
  std::vector<CategoryModel> topics;   // custom sensitive topics
  std::vector<CategoryModel> phrases;  // extensions of built-in categories
  std::vector<RuleModel> rules;        // floors first, then rules, each in file order
  double audit_sample_rate = 0.0;
};

// The trigger keys, what each applies to, and their reason names.
struct TriggerInfo {
  std::string_view name;
  TriggerKind kind;
  std::uint8_t applies_to;
};
const std::vector<TriggerInfo>& Triggers();
const TriggerInfo& InfoFor(TriggerKind kind);

}  // namespace hitlgate::policy::compiler
