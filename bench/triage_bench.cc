// The triage classifier's cost per customer message, on clinc150's val
// queries, for the models named on the command line (a bundle directory from
// `hitlgate train` or a fastText file from `train --no-search`):
//   BM_Predict/<model>:         what the engine calls (top 2 labels, calibrated)
//   BM_FastTextMember/<bundle>: the bundle's fastText member alone
//   BM_LinearMember/<bundle>:   its character n-gram linear member alone
// Usage: triage_bench MODEL... [--benchmark_min_time=1]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench/data_sets.h"
#include "hitlgate/triage/ensemble.h"
#include "src/triage/linear_model.h"

namespace {

using namespace hitlgate;

const std::vector<std::string>& Texts() {
  static const std::vector<std::string>* texts = [] {
    auto* t = new std::vector<std::string>;
    for (auto& row : bench::Clinc150(HITLGATE_SHARED_DATA)) t->push_back(row.text);
    return t;
  }();
  return *texts;
}

template <typename Call>
void PerMessage(benchmark::State& state, Call&& call) {
  const auto& texts = Texts();
  if (texts.empty()) {
    state.SkipWithError("no clinc150 under ../shared/data");
    return;
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(call(texts[i]));
    if (++i == texts.size()) i = 0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::vector<std::shared_ptr<void>> keep;
  for (int a = 1; a < argc; ++a) {
    const std::string path = argv[a];
    auto model = triage::LoadTextClassifier(path);
    if (!model) {
      std::fprintf(stderr, "%s\n", model.error().ToString().c_str());
      return 2;
    }
    std::shared_ptr<triage::TextClassifier> shared(std::move(*model));
    keep.push_back(shared);
    benchmark::RegisterBenchmark(("BM_Predict/" + path).c_str(), [shared](benchmark::State& s) {
      PerMessage(s, [&](const std::string& t) { return shared->Predict(t, 2); });
    });
    if (!std::filesystem::is_directory(path)) continue;
    if (auto ft = triage::FastTextClassifier::Load(path + "/fasttext.bin")) {
      std::shared_ptr<triage::FastTextClassifier> m(std::move(*ft));
      keep.push_back(m);
      benchmark::RegisterBenchmark(("BM_FastTextMember/" + path).c_str(), [m](benchmark::State& s) {
        PerMessage(s, [&](const std::string& t) { return m->Probabilities(t); });
      });
    }
    if (auto lin = triage::CharNgramLinearModel::Load(path + "/linear.bin")) {
      std::shared_ptr<triage::CharNgramLinearModel> m(std::move(*lin));
      keep.push_back(m);
      benchmark::RegisterBenchmark(("BM_LinearMember/" + path).c_str(), [m](benchmark::State& s) {
        PerMessage(s, [&](const std::string& t) { return m->Probabilities(t); });
      });
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
