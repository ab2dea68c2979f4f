// `hitlgate report`: the effectiveness figures of a gateway's data folder as
// a self-contained HTML page (or JSON with --json) (src/measure).
#include <cstdio>

#include "cli/measure_commands.h"
#include "cli/open_store.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/measure/effectiveness.h"

namespace hitlgate::cli {

int RunReport(const ReportOptions& o) {
  measure::EffectivenessOptions options;
  if (!o.from.empty()) {
    auto t = ParseRfc3339(o.from);
    if (!t) {
      std::fprintf(stderr, "hitlgate report: --from: expected an RFC 3339 time, got '%s'\n", o.from.c_str());
      return 2;
    }
    options.range.from = *t;
  }
  if (!o.to.empty()) {
    auto t = ParseRfc3339(o.to);
    if (!t) {
      std::fprintf(stderr, "hitlgate report: --to: expected an RFC 3339 time, got '%s'\n", o.to.c_str());
      return 2;
    }
    options.range.to = *t;
  }
  if (options.range.to <= options.range.from) {
    std::fprintf(stderr, "hitlgate report: --to must be after --from\n");
    return 2;
  }
  auto opened = OpenDataDirStore(o.data_dir);
  if (!opened) {
    std::fprintf(stderr, "hitlgate report: %s\n", opened.error().ToString().c_str());
    return 2;
  }
  SystemClock clock;
  options.as_of = clock.Now();
  auto facts = measure::CollectFacts(*opened->store, options.range);
  if (!facts) {
    std::fprintf(stderr, "hitlgate report: %s\n", facts.error().ToString().c_str());
    return 2;
  }
  const measure::EffectivenessReport report = measure::ComputeEffectiveness(*facts, options);
  const std::string text = o.json ? measure::EffectivenessJson(report) + "\n" : measure::EffectivenessHtml(report);
  std::FILE* out = stdout;
  if (o.output != "-") {
    out = std::fopen(o.output.c_str(), "wb");
    if (out == nullptr) {
      std::fprintf(stderr, "hitlgate report: cannot write %s\n", o.output.c_str());
      return 2;
    }
  }
  std::fwrite(text.data(), 1, text.size(), out);
  if (out != stdout) std::fclose(out);
  if (!o.json_output.empty()) {
    std::FILE* j = std::fopen(o.json_output.c_str(), "wb");
    if (j == nullptr) {
      std::fprintf(stderr, "hitlgate report: cannot write %s\n", o.json_output.c_str());
      return 2;
    }
    const std::string json = measure::EffectivenessJson(report) + "\n";
    std::fwrite(json.data(), 1, json.size(), j);
    std::fclose(j);
  }
  std::fprintf(stderr, "report: %lld interactions, %lld events, escalation rate %.1f%%\n",
               static_cast<long long>(report.interactions), static_cast<long long>(report.escalation.events),
               100 * report.escalation.rate);
  return 0;
}

}  // namespace hitlgate::cli
