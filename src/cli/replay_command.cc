// `hitlgate replay`: past traffic decided by the active policy and by a
// candidate, side by side; prints what would change (src/measure).
#include <chrono>
#include <cstdio>

#include "cli/line_reader.h"
#include "cli/measure_commands.h"
#include "cli/open_store.h"
#include "cli/scorer_loader.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/measure/replay.h"
#include "hitlgate/measure/store_history.h"
#include "hitlgate/policy/policy.h"

namespace hitlgate::cli {
namespace {

constexpr int kMaxLineErrorsShown = 10;

std::shared_ptr<const policy::Program> Compile(policy::CompileResult compiled) {
  for (const policy::Issue& issue : compiled.issues) {
    std::fprintf(stderr, "%s\n", issue.ToString().c_str());
  }
  return compiled.ok() ? compiled.program : nullptr;
}

Result<measure::TimeRange> RangeOf(const std::string& from, const std::string& to) {
  measure::TimeRange range;
  if (!from.empty()) {
    auto t = ParseRfc3339(from);
    if (!t) return InvalidArgument("--from: expected an RFC 3339 time, got '" + from + "'");
    range.from = *t;
  }
  if (!to.empty()) {
    auto t = ParseRfc3339(to);
    if (!t) return InvalidArgument("--to: expected an RFC 3339 time, got '" + to + "'");
    range.to = *t;
  }
  return range;
}

}  // namespace

int RunReplay(const ReplayOptions& options) {
  if (options.events_path.empty() && options.data_dir.empty()) {
    std::fprintf(stderr, "hitlgate replay: give --events HISTORY.jsonl, or --data DIR to replay "
                         "the gateway's own history\n");
    return 2;
  }
  if (options.active_path.empty() && options.data_dir.empty()) {
    std::fprintf(stderr, "hitlgate replay: give the active policy: --active FILE or --data DIR\n");
    return 2;
  }
  auto range = RangeOf(options.from, options.to);
  if (!range) {
    std::fprintf(stderr, "hitlgate replay: %s\n", range.error().message().c_str());
    return 2;
  }
  auto candidate = Compile(policy::CompileFile(options.candidate_path));
  if (!candidate) return 1;
  auto scorer = LoadScorer(options.lexicon_path);
  if (!scorer) return 1;

  std::optional<DataDirStore> data;
  if (!options.data_dir.empty()) {
    auto opened = OpenDataDirStore(options.data_dir);
    if (!opened) {
      std::fprintf(stderr, "hitlgate replay: %s\n", opened.error().ToString().c_str());
      return 2;
    }
    data = std::move(*opened);
  }
  std::shared_ptr<const policy::Program> active;
  if (!options.active_path.empty()) {
    active = Compile(policy::CompileFile(options.active_path));
  } else {
    auto info = data->store->GetActivePolicy();
    if (!info) {
      std::fprintf(stderr, "hitlgate replay: the gateway's active policy: %s\n",
                   info.error().ToString().c_str());
      return 2;
    }
    active = Compile(policy::CompileText(info->policy.source_yaml, info->policy.name));
  }
  if (!active) return 1;

  // Verdicts from the store join a history file by event id or position.
  measure::VerdictIndex verdicts;
  if (data && !options.events_path.empty()) {
    auto loaded = measure::LoadStoreVerdicts(*data->store, *range);
    if (!loaded) {
      std::fprintf(stderr, "hitlgate replay: reading verdicts: %s\n", loaded.error().ToString().c_str());
      return 2;
    }
    verdicts = std::move(*loaded);
  }
  measure::Replayer replayer(active, candidate, scorer, options.examples,
                             verdicts.size() > 0 ? &verdicts : nullptr);
  auto models = server::LoadLearningModels(options.learning);
  if (!models) {
    std::fprintf(stderr, "hitlgate replay: %s\n", models.error().message().c_str());
    return 2;
  }
  replayer.SetLearningModels(models->calibrator, models->classifier);

  std::int64_t lines = 0, malformed = 0;
  const auto started = std::chrono::steady_clock::now();
  const std::clock_t cpu_started = std::clock();
  if (!options.events_path.empty()) {
    std::FILE* in = stdin;
    if (options.events_path != "-") {
      in = std::fopen(options.events_path.c_str(), "rb");
      if (in == nullptr) {
        std::fprintf(stderr, "hitlgate replay: cannot open %s\n", options.events_path.c_str());
        return 2;
      }
    }
    LineReader reader(in);
    std::string_view line;
    while (reader.Next(&line)) {
      ++lines;
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      if (auto added = replayer.AddLine(line); !added) {
        if (++malformed <= kMaxLineErrorsShown) {
          std::fprintf(stderr, "line %lld: %s\n", static_cast<long long>(lines),
                       added.error().message().c_str());
        }
      }
    }
    if (in != stdin) std::fclose(in);
  } else {
    auto history = measure::LoadStoreHistory(*data->store, *range);
    if (!history) {
      std::fprintf(stderr, "hitlgate replay: reading history: %s\n", history.error().ToString().c_str());
      return 2;
    }
    for (const measure::HistoryEvent& h : *history) replayer.Add(h);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double cpu_seconds = double(std::clock() - cpu_started) / CLOCKS_PER_SEC;

  std::string out;
  const measure::DecisionComparison& c = replayer.comparison();
  if (options.json) {
    out = "{\"active_policy\":{\"name\":\"" + active->name() + "\",\"version\":\"" + active->version() +
          "\"},\"candidate_policy\":{\"name\":\"" + candidate->name() + "\",\"version\":\"" +
          candidate->version() + "\"},\"malformed_lines\":" + std::to_string(malformed) +
          ",\"comparison\":" + c.ToJson() + "}\n";
  } else {
    out = "active:    " + active->name() + " " + active->version() + "\ncandidate: " + candidate->name() +
          " " + candidate->version() + "\n";
    if (malformed > 0) out += "malformed lines skipped: " + std::to_string(malformed) + "\n";
    out += c.ToText("active", "candidate");
  }
  std::FILE* sink = stdout;
  if (options.output_path != "-") {
    sink = std::fopen(options.output_path.c_str(), "wb");
    if (sink == nullptr) {
      std::fprintf(stderr, "hitlgate replay: cannot write %s\n", options.output_path.c_str());
      return 2;
    }
  }
  std::fwrite(out.data(), 1, out.size(), sink);
  if (sink != stdout) std::fclose(sink);
  if (options.stats) {
    std::fprintf(stderr,
                 "replayed %lld events (%lld malformed) in %.3f s wall, %.3f s CPU: %.0f events/s "
                 "wall, %.0f events/s CPU (%.2f M/min CPU), each decided twice\n",
                 static_cast<long long>(c.events()), static_cast<long long>(malformed), seconds,
                 cpu_seconds, seconds > 0 ? c.events() / seconds : 0.0,
                 cpu_seconds > 0 ? c.events() / cpu_seconds : 0.0,
                 cpu_seconds > 0 ? c.events() / cpu_seconds * 60 / 1e6 : 0.0);
  }
  return 0;
}

}  // namespace hitlgate::cli
