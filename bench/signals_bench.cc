// The signals alone, on real customer messages from ../shared/data
// (banking77 and bitext_intent), one message per iteration:
//   BM_SentimentScore: SentimentScorer::Default()->Score(text)
//   BM_PhraseMatch:    the built-in phrase sets (one RE2::Set) over the text
// and on two fixed messages of about 100 characters, which need no data:
//   BM_SentimentScore100: a mixed, ordinary complaint
//   BM_PhraseMatchNoMatch: a message no built-in category matches (the
//                          common path: one RE2::Set pass, no allocation)
// Single-threaded; run with --benchmark_min_time=1 on a quiet machine.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include "bench/data_sets.h"
#include "hitlgate/signals/phrase_matcher.h"
#include "hitlgate/signals/sentiment.h"

namespace {

using namespace hitlgate;

const std::vector<std::string>& Texts() {
  static const std::vector<std::string>* texts = [] {
    auto* t = new std::vector<std::string>;
    for (auto& row : bench::Banking77(HITLGATE_SHARED_DATA)) t->push_back(row.text);
    for (auto& row : bench::BitextIntents(HITLGATE_SHARED_DATA)) t->push_back(row.text);
    return t;
  }();
  return *texts;
}

void BM_SentimentScore(benchmark::State& state) {
  const auto& texts = Texts();
  if (texts.empty()) {
    state.SkipWithError("no data under ../shared/data (banking77, bitext_intent)");
    return;
  }
  auto scorer = signals::SentimentScorer::Default();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(scorer->Score(texts[i++ % texts.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SentimentScore);

void BM_PhraseMatch(benchmark::State& state) {
  const auto& texts = Texts();
  if (texts.empty()) {
    state.SkipWithError("no data under ../shared/data (banking77, bitext_intent)");
    return;
  }
  auto matcher = signals::PhraseMatcher::Build(signals::PhraseMatcher::BuiltinCategories());
  if (!matcher) {
    state.SkipWithError("the built-in phrase sets do not compile");
    return;
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize((*matcher)->Match(texts[i++ % texts.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PhraseMatch);

// About 100 characters each, as a typical chat message.
constexpr std::string_view kComplaint =
    "Hi, I ordered a blender two weeks ago and it still hasn't arrived. This is really "
    "frustrating!";
constexpr std::string_view kNoMatch =
    "Hello, could you tell me when the store opens on Sunday and whether parking is available "
    "nearby?";

void BM_SentimentScore100(benchmark::State& state) {
  auto scorer = signals::SentimentScorer::Default();
  for (auto _ : state) {
    benchmark::DoNotOptimize(scorer->Score(kComplaint));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SentimentScore100);

void BM_PhraseMatchNoMatch(benchmark::State& state) {
  auto matcher = signals::PhraseMatcher::Build(signals::PhraseMatcher::BuiltinCategories());
  if (!matcher || (*matcher)->Match(kNoMatch) != 0) {
    state.SkipWithError("the built-in phrase sets do not compile, or match the no-match text");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize((*matcher)->Match(kNoMatch));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PhraseMatchNoMatch);

}  // namespace

BENCHMARK_MAIN();
