// Helpers for the policy module's tests: compile inline YAML, build events,
// signals and snapshots by hand, evaluate, and list fired rules.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "hitlgate/policy/policy.h"

namespace hitlgate::policy::testing {

inline std::vector<std::string> IssueStrings(const CompileResult& r) {
  std::vector<std::string> out;
  for (const Issue& i : r.issues) out.push_back(i.ToString());
  return out;
}

inline std::string JoinIssues(const CompileResult& r) {
  std::string out;
  for (const Issue& i : r.issues) out += i.ToString() + "\n";
  return out;
}

// Compiles `yaml` as "p.yaml"; fails the test (and returns null) on errors.
inline std::shared_ptr<const Program> MustCompile(const std::string& yaml) {
  CompileResult r = CompileText(yaml, "p.yaml");
  EXPECT_TRUE(r.ok()) << JoinIssues(r);
  return r.program;
}

// The issues of a policy that must not compile.
inline std::vector<std::string> ErrorsOf(const std::string& yaml) {
  CompileResult r = CompileText(yaml, "p.yaml");
  EXPECT_FALSE(r.ok());
  return IssueStrings(r);
}

struct Situation {
  engine::Event event;
  engine::Signals signals;
  engine::ConversationSnapshot snapshot;
  const AutonomyLevels* autonomy = nullptr;

  Situation() {
    event.interaction_id = "c-1";
    event.customer_id = "u-1";
    event.workflow = "retail-bot";
    event.channel = "chat";
    event.type = engine::EventType::kAiProposal;
    event.text = "ok";
    snapshot.now = TimePoint{} + std::chrono::hours(24 * 400);
  }
  Situation& Message(std::string text) {
    event.type = engine::EventType::kCustomerMessage;
    event.text = std::move(text);
    return *this;
  }
  Situation& Proposal(std::string intent, std::optional<double> confidence = 0.95) {
    event.type = engine::EventType::kAiProposal;
    event.intent = std::move(intent);
    event.confidence = confidence;
    return *this;
  }
  Situation& Act(std::string name, std::optional<double> amount = std::nullopt,
                 std::string currency = "") {
    engine::Action a;
    a.name = std::move(name);
    a.amount = amount;
    a.currency = std::move(currency);
    event.action = std::move(a);
    return *this;
  }
  // `n` customer messages, one per second, ending now.
  Situation& Messages(int n) {
    snapshot.recent_message_count = n;
    for (int i = 0; i < n; ++i) {
      snapshot.recent_messages[i] = snapshot.now - std::chrono::seconds(n - 1 - i);
    }
    return *this;
  }
  // `n` interactions of this customer, one a day (the newest today), on `intent`.
  Situation& Contacts(int n, std::string_view intent = "") {
    snapshot.contact_count = n;
    for (int i = 0; i < n; ++i) {
      snapshot.contacts[i].interaction_hash = static_cast<std::uint64_t>(i + 1);
      snapshot.contacts[i].first_at = snapshot.now - std::chrono::hours(24 * (n - 1 - i));
      snapshot.contacts[i].intent_hash = intent.empty() ? 0 : engine::StableHash(intent);
    }
    return *this;
  }
  engine::Decision Eval(const Program& p) const {
    engine::Decision d;
    p.Evaluate(EvalInput{event, signals, snapshot, autonomy}, &d);
    return d;
  }
};

inline std::vector<std::string> Fired(const engine::Decision& d) {
  std::vector<std::string> out;
  for (const engine::Reason& r : d.reasons) out.push_back(r.rule);
  return out;
}

inline const engine::Reason* FindReason(const engine::Decision& d, std::string_view rule) {
  for (const engine::Reason& r : d.reasons) {
    if (r.rule == rule) return &r;
  }
  return nullptr;
}

inline std::uint64_t TopicBit(const Program& p, std::string_view name) {
  const int i = p.matcher().FindCategory(name);
  return i < 0 ? 0 : std::uint64_t{1} << i;
}

}  // namespace hitlgate::policy::testing
