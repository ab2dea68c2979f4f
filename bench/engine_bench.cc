// Whole decisions (signals + policy + conversation state) on real customer
// messages from ../shared/data, with the example retail policy.
//   BM_DecideCustomerMessage: sentiment, phrase matching, state, policy
//   BM_DecideCustomerMessageIn/<lang>: the same on tweets in en, de, fr, es,
//                             it, pt (XLM-T validation texts) with no
//                             `language` on the event, so it is detected
//   BM_DecideProposal:        a proposal with intent, confidence and action
//   BM_ParseDecideEncode:     the same plus JSON in and out (what `decide` does)
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "bench/data_sets.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/policy/policy.h"

namespace {

using namespace hitlgate;

struct Fixture {
  std::shared_ptr<const policy::Program> program;
  std::vector<std::string> texts;
  FakeClock clock{TimePoint{}};
};

Fixture& Shared() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    auto compiled = policy::CompileFile(std::string(HITLGATE_SOURCE_DIR) + "/examples/policies/retail.yaml");
    if (compiled.ok()) fx->program = compiled.program;
    for (auto& row : bench::Banking77(HITLGATE_SHARED_DATA)) fx->texts.push_back(row.text);
    for (auto& row : bench::BitextIntents(HITLGATE_SHARED_DATA)) fx->texts.push_back(row.text);
    return fx;
  }();
  return *f;
}

bool Ready(benchmark::State& state) {
  Fixture& f = Shared();
  if (!f.program) {
    state.SkipWithError("examples/policies/retail.yaml did not compile");
    return false;
  }
  if (f.texts.empty()) {
    state.SkipWithError("no data under ../shared/data (banking77, bitext_intent)");
    return false;
  }
  return true;
}

engine::Event MessageEvent(size_t i, const std::string& text) {
  engine::Event e;
  e.interaction_id = "c-" + std::to_string(i / 4);
  e.customer_id = "u-" + std::to_string(i % 5000);
  e.workflow = "retail-bot";
  e.channel = "chat";
  e.type = engine::EventType::kCustomerMessage;
  e.text = text;
  e.at = TimePoint{} + std::chrono::seconds(i);
  return e;
}

void BM_DecideCustomerMessage(benchmark::State& state) {
  if (!Ready(state)) return;
  Fixture& f = Shared();
  engine::DecisionEngine eng(f.program, std::make_shared<engine::MemoryConversationStore>(),
                             signals::SentimentScorer::Default(), f.clock);
  std::vector<engine::Event> events;
  for (size_t i = 0; i < 4096; ++i) events.push_back(MessageEvent(i, f.texts[(i * 7919) % f.texts.size()]));
  size_t i = 0;
  for (auto _ : state) {
    engine::Event& e = events[i++ % events.size()];
    benchmark::DoNotOptimize(eng.DecideAndRecord(e));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideCustomerMessage);

// One language per argument; the label names it, so the output is a table
// by language.
void DecideIn(benchmark::State& state, bool tagged) {
  if (!Ready(state)) return;
  static const char* folders[] = {"english", "german", "french", "spanish", "italian", "portuguese"};
  static const char* codes[] = {"en", "de", "fr", "es", "it", "pt"};
  const auto lang = static_cast<size_t>(state.range(0));
  const std::vector<std::string> texts = bench::ReadLines(std::string(HITLGATE_SHARED_DATA) + "/xlmt_sentiment/" +
                                                          folders[lang] + "/val_text.txt");
  if (texts.empty()) {
    state.SkipWithError("no xlmt_sentiment data");
    return;
  }
  Fixture& f = Shared();
  engine::DecisionEngine eng(f.program, std::make_shared<engine::MemoryConversationStore>(),
                             signals::SentimentScorer::Default(), f.clock);
  std::vector<engine::Event> events;
  for (size_t i = 0; i < 4096; ++i) {
    events.push_back(MessageEvent(i, texts[(i * 7919) % texts.size()]));
    if (tagged) events.back().language = codes[lang];
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(eng.DecideAndRecord(events[i++ % events.size()]));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(codes[lang]);
}
void BM_DecideCustomerMessageIn(benchmark::State& state) { DecideIn(state, false); }
BENCHMARK(BM_DecideCustomerMessageIn)->DenseRange(0, 5);
// The event names its language: no detection.
void BM_DecideCustomerMessageTagged(benchmark::State& state) { DecideIn(state, true); }
BENCHMARK(BM_DecideCustomerMessageTagged)->DenseRange(0, 5);

void BM_DecideProposal(benchmark::State& state) {
  if (!Ready(state)) return;
  Fixture& f = Shared();
  engine::DecisionEngine eng(f.program, std::make_shared<engine::MemoryConversationStore>(),
                             signals::SentimentScorer::Default(), f.clock);
  std::vector<engine::Event> events;
  for (size_t i = 0; i < 4096; ++i) {
    engine::Event e = MessageEvent(i, "I have refunded your order, the money is on its way.");
    e.type = engine::EventType::kAiProposal;
    e.intent = i % 3 ? "return_item" : "cancel_order";
    e.confidence = 0.5 + (i % 50) / 100.0;
    if (i % 2) e.action = engine::Action{"refund", 20.0 + (i % 200), "USD", "{}"};
    events.push_back(std::move(e));
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(eng.DecideAndRecord(events[i++ % events.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideProposal);

void BM_ParseDecideEncode(benchmark::State& state) {
  if (!Ready(state)) return;
  Fixture& f = Shared();
  engine::DecisionEngine eng(f.program, std::make_shared<engine::MemoryConversationStore>(),
                             signals::SentimentScorer::Default(), f.clock);
  std::vector<std::string> lines;
  for (size_t i = 0; i < 4096; ++i) lines.push_back(codec::EncodeEvent(MessageEvent(i, f.texts[(i * 7919) % f.texts.size()])));
  std::string out;
  size_t i = 0;
  for (auto _ : state) {
    auto e = codec::ParseEvent(lines[i++ % lines.size()]);
    out.clear();
    codec::AppendDecision(eng.DecideAndRecord(*e), &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseDecideEncode);

}  // namespace

BENCHMARK_MAIN();
