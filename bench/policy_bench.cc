// Policy evaluation alone (no signals, no conversation store), on the example
// policies, against a hand-written C++ baseline for the retail policy (the
// cel-cpp BM_PolicyNative idea: what would the same checks cost if coded by
// hand?).
//   BM_PolicyEvaluate/retail, /bank: Program::Evaluate over a mix of events
//   BM_PolicyNative:                 the retail policy's checks in plain C++
//   BM_PolicyCompile:                compiling retail.yaml (load time)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "hitlgate/policy/policy.h"

namespace {

using namespace hitlgate;

struct Input {
  engine::Event event;
  engine::Signals signals;
  engine::ConversationSnapshot snapshot;
};

std::shared_ptr<const policy::Program> Load(const char* name) {
  auto r = policy::CompileFile(std::string(HITLGATE_SOURCE_DIR) + "/examples/policies/" + name);
  return r.program;
}

// A mix like live traffic: mostly routine proposals and messages, some that
// fire rules.
std::vector<Input> MakeInputs(const policy::Program& p, const std::string& workflow) {
  std::vector<Input> out;
  const char* intents[] = {"store_hours", "track_order",  "refund_request", "billing_dispute",
                           "return_item", "cancel_order", "check_balance",  "make_transfer"};
  const char* actions[] = {"",
                           "refund",
                           "cancel_order",
                           "modify_address",
                           "transfer_funds",
                           "get_balance",
                           "exchange_item",
                           ""};
  for (int i = 0; i < 64; ++i) {
    Input in;
    engine::Event& e = in.event;
    e.interaction_id = "c-" + std::to_string(i);
    e.customer_id = "u-" + std::to_string(i % 7);
    e.workflow = workflow;
    e.channel = i % 5 == 0 ? "voice" : "chat";
    e.type = i % 3 == 0 ? engine::EventType::kCustomerMessage : engine::EventType::kAiProposal;
    e.text = "some text of a typical length for a chat message";
    if (e.type == engine::EventType::kAiProposal) {
      e.intent = intents[i % 8];
      e.confidence = 0.5 + 0.05 * (i % 10);
      if (actions[i % 8][0] != '\0') {
        engine::Action a;
        a.name = actions[i % 8];
        if (i % 2 == 0) {
          a.amount = 20.0 * (i % 9);
          a.currency = i % 4 == 0 ? "USD" : "EUR";
        }
        e.action = a;
      }
    }
    in.signals.sentiment = -0.1 * (i % 9);
    in.signals.sentiment_trend = -0.05 * (i % 11);
    in.signals.frustration = i % 13 == 0;
    in.signals.human_request = i % 17 == 0;
    if (i % 19 == 0)
      in.signals.category_bits |= std::uint64_t{1} << p.matcher().FindCategory("medical");
    in.snapshot.now = TimePoint{} + std::chrono::hours(24 * 100);
    in.snapshot.recent_message_count = i % 8;
    for (int m = 0; m < in.snapshot.recent_message_count; ++m) {
      in.snapshot.recent_messages[m] = in.snapshot.now - std::chrono::seconds(10 * (8 - m));
    }
    out.push_back(std::move(in));
  }
  return out;
}

void BM_PolicyEvaluate(benchmark::State& state, const char* file, const char* workflow) {
  auto p = Load(file);
  if (!p) {
    state.SkipWithError("example policy did not compile");
    return;
  }
  std::vector<Input> inputs = MakeInputs(*p, workflow);
  engine::Decision d;
  std::size_t i = 0;
  for (auto _ : state) {
    const Input& in = inputs[i++ & 63];
    p->Evaluate(policy::EvalInput{in.event, in.signals, in.snapshot, nullptr}, &d);
    benchmark::DoNotOptimize(d.outcome);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_PolicyEvaluate, retail, "retail.yaml", "retail-bot");
BENCHMARK_CAPTURE(BM_PolicyEvaluate, bank, "bank.yaml", "bank-assistant");

// ---- the retail policy, by hand ----

using engine::Outcome;

std::string Fixed2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

struct NativeRetail {
  std::unordered_map<std::string, engine::Oversight> actions = {
      {"cancel_order", engine::Oversight::kHotl},
      {"modify_address", engine::Oversight::kHotl},
      {"modify_items", engine::Oversight::kHotl},
      {"modify_payment", engine::Oversight::kHotl},
      {"return_items", engine::Oversight::kHotl},
      {"exchange_item", engine::Oversight::kHotl},
      {"refund", engine::Oversight::kHotl},
      {"redirect_shipment", engine::Oversight::kHitl},
      {"issue_store_credit", engine::Oversight::kHitl}};
  std::unordered_map<std::string, engine::Oversight> intents = {
      {"store_hours", engine::Oversight::kHootl},   {"shipping_policy", engine::Oversight::kHootl},
      {"return_policy", engine::Oversight::kHootl}, {"track_order", engine::Oversight::kHootl},
      {"product_info", engine::Oversight::kHootl},  {"billing_dispute", engine::Oversight::kHitl}};
  int medical = -1, safety = -1;

  void Fire(engine::Decision* d, Outcome* final_outcome, const char* trigger, const char* rule,
            std::string detail, Outcome o, bool floor = false) const {
    d->reasons.push_back(engine::Reason{trigger, rule, std::move(detail), o, floor});
    *final_outcome = std::max(*final_outcome, o);
  }

  void Evaluate(const Input& in, engine::Decision* d) const {
    const engine::Event& e = in.event;
    const engine::Signals& s = in.signals;
    d->reasons.clear();
    d->route.reset();
    Outcome out = Outcome::kAllow;
    const bool proposal = e.type == engine::EventType::kAiProposal;
    if (proposal) {
      engine::Oversight level = engine::Oversight::kHotl;
      if (e.action) {
        auto it = actions.find(e.action->name);
        level = it != actions.end() ? it->second : engine::Oversight::kHotl;
      }
      auto it = intents.find(e.intent);
      if (it == intents.end() && e.intent.starts_with("faq_"))
        level = std::max(level, engine::Oversight::kHootl);
      if (it != intents.end()) level = std::max(level, it->second);
      Fire(d, &out, "oversight_default", "workflows.retail-bot", "baseline",
           engine::OutcomeForOversight(level));
    } else {
      Fire(d, &out, "oversight_default", "defaults.customer_messages",
           "customer messages are allowed", Outcome::kAllow);
    }
    if (s.human_request)
      Fire(d, &out, "human_request", "person-requested", "customer asked for a person",
           Outcome::kHandoff, true);
    if (s.legal_threat)
      Fire(d, &out, "legal_threat", "legal-threat-to-legal", "legal-threat language",
           Outcome::kHandoff, true);
    if ((s.category_bits >> medical & 1) || (s.category_bits >> safety & 1)) {
      Fire(d, &out, "sensitive_topic", "product-safety-incident", "topic medical", Outcome::kHold,
           true);
    }
    if (proposal && e.action && e.action->amount) {
      const engine::Action& a = *e.action;
      auto limit = [&](double eur, double usd, double gbp) -> double {
        return a.currency == "EUR"   ? eur
               : a.currency == "USD" ? usd
               : a.currency == "GBP" ? gbp
                                     : -1;
      };
      if (a.name == "refund") {
        const double l = limit(100, 110, 90);
        if (l < 0 || *a.amount > l)
          Fire(d, &out, "action_value_above", "refunds-over-100",
               Fixed2(*a.amount) + " " + a.currency + " > " + Fixed2(l) + " " + a.currency,
               Outcome::kHold);
      }
      if (a.name == "issue_store_credit") {
        const double l = limit(50, 55, 45);
        if (l < 0 || *a.amount > l)
          Fire(d, &out, "action_value_above", "store-credit-over-50", "over", Outcome::kHold);
      }
      if (a.name == "return_items" || a.name == "exchange_item") {
        const double l = limit(500, 550, 450);
        if (l < 0 || *a.amount > l)
          Fire(d, &out, "action_value_above", "high-value-returns", "over", Outcome::kHold);
      }
    }
    if (proposal && e.action &&
        (e.action->name == "delete_account" || e.action->name == "change_account_email")) {
      Fire(d, &out, "action", "no-account-deletion", "action " + e.action->name, Outcome::kBlock);
    }
    if (proposal) {
      double threshold = 0.6;
      if (e.intent == "billing_dispute")
        threshold = 0.8;
      else if (e.intent == "refund_request" || e.intent == "return_item" ||
               e.intent == "payment_issue")
        threshold = 0.7;
      else if (intents.count(e.intent) && intents.at(e.intent) == engine::Oversight::kHootl)
        threshold = 0.4;
      if (!e.confidence || *e.confidence < threshold)
        Fire(d, &out, "confidence_below", "low-confidence", "confidence", Outcome::kHold);
      if (s.sentiment < -0.6)
        Fire(d, &out, "sentiment_below", "angry-customer", "sentiment " + Fixed2(s.sentiment),
             Outcome::kHold);
    }
    if (s.sentiment_trend <= -0.5)
      Fire(d, &out, "sentiment_falling", "mood-falling", "fell", Outcome::kAllowMonitored);
    if (s.frustration && e.channel == "voice")
      Fire(d, &out, "frustration", "frustrated-on-voice", "customer is frustrated",
           Outcome::kHandoff);
    if (in.snapshot.MessagesWithin(std::chrono::seconds(60)) > 5)
      Fire(d, &out, "message_rate_above", "message-flood", "messages", Outcome::kAllowMonitored);
    if (proposal && !e.intent.empty() &&
        in.snapshot.ContactsWithin(std::chrono::days(7), engine::StableHash(e.intent)) >= 3) {
      Fire(d, &out, "repeat_contact", "third-contact-same-issue", "contacts", Outcome::kHandoff);
    }
    if (proposal && e.action && e.action->name == "cancel_order" && e.channel == "voice") {
      Fire(d, &out, "action", "voice-cancellations-confirmed", "action cancel_order",
           Outcome::kHold);
    }
    d->outcome = out;
    d->oversight = engine::OversightForOutcome(out);
    if (out >= Outcome::kHold) d->route = engine::Route{"orders", {"orders"}, 3, 180, 20};
  }
};

void BM_PolicyNative(benchmark::State& state) {
  auto p = Load("retail.yaml");
  if (!p) {
    state.SkipWithError("retail.yaml did not compile");
    return;
  }
  NativeRetail native;
  native.medical = p->matcher().FindCategory("medical");
  native.safety = p->matcher().FindCategory("product_safety");
  std::vector<Input> inputs = MakeInputs(*p, "retail-bot");
  engine::Decision d;
  std::size_t i = 0;
  for (auto _ : state) {
    native.Evaluate(inputs[i++ & 63], &d);
    benchmark::DoNotOptimize(d.outcome);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PolicyNative);

void BM_PolicyCompile(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Load("retail.yaml"));
}
BENCHMARK(BM_PolicyCompile)->Unit(benchmark::kMillisecond);

}  // namespace
