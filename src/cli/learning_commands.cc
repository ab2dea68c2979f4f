// `hitlgate feedback export`, `calibrate` and `advise`: the learning loop on
// the command line (docs/learning.md).
#include "cli/learning_commands.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cli/autonomy_commands.h"
#include "cli/triage_commands.h"
#include "hitlgate/audit/payload.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/crypto/random.h"
#include "hitlgate/learning/calibration.h"
#include "hitlgate/learning/feedback.h"
#include "hitlgate/learning/threshold_advisor.h"
#include "hitlgate/store/sqlite_store.h"

namespace hitlgate::cli {

struct FeedbackExportOptions {
  std::string data_dir = "data";
  std::string from, to;  // RFC 3339
  bool no_mask = false;
  std::vector<std::string> mask_patterns;
  std::string output = "-";
};

struct CalibrateOptions {
  std::string feedback_path;
  std::string out_path;  // the map; empty = do not write
  int min_samples = 20;
  double prior_strength = 10;
  int bins = 10;
  int folds = 5;
};

struct AdviseOptions {
  std::string feedback_path;
  std::string map_path;  // thresholds on calibrated confidence when given
  double max_error = 0.02;
  double level = 0.95;
};

struct LearningCommands {
  CLI::App* export_cmd = nullptr;
  CLI::App* calibrate_cmd = nullptr;
  CLI::App* advise_cmd = nullptr;
  FeedbackExportOptions export_options;
  CalibrateOptions calibrate_options;
  AdviseOptions advise_options;
  std::shared_ptr<TriageCommands> triage;
  std::shared_ptr<AutonomyCommands> autonomy;
};

namespace {

std::string Fixed4(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "hitlgate: %s\n", message.c_str());
  return 2;
}

Result<std::optional<TimePoint>> OptTime(const std::string& text, std::string_view flag) {
  if (text.empty()) return std::optional<TimePoint>();
  auto t = ParseRfc3339(text);
  if (!t) return InvalidArgument(std::string(flag) + ": " + t.error().message());
  return std::optional<TimePoint>(*t);
}

int RunFeedbackExport(const FeedbackExportOptions& o) {
  auto from = OptTime(o.from, "--from");
  auto to = OptTime(o.to, "--to");
  if (!from) return Fail(from.error().message());
  if (!to) return Fail(to.error().message());
  std::unique_ptr<learning::PersonalDataMasker> masker;
  if (!o.no_mask) {
    auto created = learning::PersonalDataMasker::Create({.patterns = o.mask_patterns});
    if (!created) return Fail(created.error().message());
    masker = std::move(*created);
  } else if (!o.mask_patterns.empty()) {
    return Fail("--mask-pattern and --no-mask contradict each other");
  }
  const std::string path = o.data_dir + "/hitlgate.db";
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
  } else {
    return Fail("no gateway database at " + path);
  }
  auto random = crypto::MakeSystemRandom();
  store::RandomIdGenerator ids(random.get());
  auto opened = store::SqliteStore::Open(path, {.ids = &ids});
  if (!opened) return Fail(opened.error().ToString());
  store::Store& store = **opened;
  auto examples = learning::CollectFeedback(store, {.from = *from, .to = *to});
  if (!examples) return Fail(examples.error().ToString());

  std::FILE* out = o.output == "-" ? stdout : std::fopen(o.output.c_str(), "wb");
  if (out == nullptr) return Fail("cannot write " + o.output);
  learning::MaskCounts counts;
  std::map<std::string, int> by_source;
  for (learning::FeedbackExample& ex : *examples) {
    if (masker) learning::MaskExample(*masker, &ex, &counts);
    std::string line = learning::EncodeFeedbackLine(ex);
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), out);
    ++by_source[ex.source];
  }
  if (out != stdout) std::fclose(out);

  // Exporting customer conversations is itself audited.
  const TimePoint now = SystemClock().Now();
  audit::PayloadBuilder payload;
  payload.Int("examples", static_cast<std::int64_t>(examples->size()))
      .Bool("masked", masker != nullptr)
      .Int("mask_patterns", static_cast<std::int64_t>(o.mask_patterns.size()))
      .Str("from", o.from)
      .Str("to", o.to);
  if (auto logged = store.AppendAudit({{"feedback_exported", "cli", "feedback", payload.Build()}}, now);
      !logged) {
    return Fail("exported, but could not audit the export: " + logged.error().ToString());
  }
  std::string sources;
  for (const auto& [source, n] : by_source) sources += " " + source + "=" + std::to_string(n);
  std::fprintf(stderr, "exported %zu feedback examples (%s )", examples->size(), sources.c_str());
  if (masker) {
    std::fprintf(stderr, "; masked %d e-mail, %d phone, %d card, %d IBAN, %d custom\n", counts.emails,
                 counts.phones, counts.cards, counts.ibans, counts.custom);
  } else {
    std::fprintf(stderr, "; NOT masked (--no-mask)\n");
  }
  return 0;
}

Result<std::vector<learning::FeedbackExample>> ReadFeedback(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::vector<learning::FeedbackExample> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    auto ex = learning::DecodeFeedbackLine(line);
    if (!ex) return InvalidArgument(path + ":" + std::to_string(number) + ": " + ex.error().message());
    out.push_back(std::move(*ex));
  }
  return out;
}

// The judged proposals calibration learns from: a verdict on a held
// proposal or an audit of an autonomous one, with a reported confidence.
std::vector<learning::CalibrationSample> Judged(const std::vector<learning::FeedbackExample>& examples,
                                                std::map<std::string, int>* by_source) {
  std::vector<learning::CalibrationSample> out;
  for (const auto& ex : examples) {
    if (!ex.confidence || !ex.agreed) continue;
    if (ex.source != "hold" && ex.source != "audit_sample") continue;
    out.push_back({ex.workflow, ex.intent, *ex.confidence, *ex.agreed});
    if (by_source) ++(*by_source)[ex.source];
  }
  return out;
}

double Ece(const std::vector<std::pair<double, bool>>& scored, int bins) {
  return learning::ComputeReliability(scored, bins).ece;
}

int RunCalibrate(const CalibrateOptions& o) {
  auto examples = ReadFeedback(o.feedback_path);
  if (!examples) return Fail(examples.error().message());
  std::map<std::string, int> by_source;
  const auto samples = Judged(*examples, &by_source);
  if (samples.empty()) {
    return Fail(o.feedback_path + ": no judged proposals with a reported confidence (sources hold, audit_sample)");
  }
  const learning::CalibrationOptions options{.min_samples = o.min_samples, .prior_strength = o.prior_strength};
  const learning::CalibrationMap map = learning::CalibrationMap::Fit(samples, options);
  const std::vector<double> cv = learning::CrossValidatedScores(samples, o.folds, options);

  std::printf("calibration: %zu judged proposals (", samples.size());
  for (const auto& [source, n] : by_source) std::printf(" %s %d", source.c_str(), n);
  std::printf(" ), %zu curves, map %s\n", map.curves().size(), map.version().c_str());
  std::printf("method: isotonic regression (PAV), Beta-prior shrinkage (%.0f pseudo-cases) toward the parent curve; "
              "own curve from %d cases\n\n",
              o.prior_strength, o.min_samples);
  std::printf("%-40s %6s %6s %8s %8s %8s  %s\n", "workflow/intent", "n", "agree", "ECE raw", "ECE fit",
              "ECE cv", "curve used");
  // Per key (and overall): ECE of the reported confidence, of the fitted
  // map on its own data (optimistic) and out of fold (honest).
  struct Scored {
    std::vector<std::pair<double, bool>> raw, fit, cv;
  };
  std::map<std::string, Scored> keys;
  Scored all;
  for (size_t i = 0; i < samples.size(); ++i) {
    const auto& s = samples[i];
    const double fit = map.Calibrate(s.workflow, s.intent, s.confidence);
    for (Scored* k : {&keys[s.workflow + "/" + (s.intent.empty() ? "-" : s.intent)], &all}) {
      k->raw.push_back({s.confidence, s.agreed});
      k->fit.push_back({fit, s.agreed});
      k->cv.push_back({cv[i], s.agreed});
    }
  }
  auto row = [&](const std::string& name, const Scored& k, const std::string& curve) {
    int agreed = 0;
    for (const auto& p : k.raw) agreed += p.second;
    std::printf("%-40s %6zu %5.1f%% %8.4f %8.4f %8.4f  %s\n", name.c_str(), k.raw.size(),
                100.0 * agreed / k.raw.size(), Ece(k.raw, o.bins), Ece(k.fit, o.bins), Ece(k.cv, o.bins),
                curve.c_str());
  };
  for (const auto& [name, k] : keys) {
    const size_t slash = name.find('/');
    row(name, k, map.CurveFor(name.substr(0, slash), name.substr(slash + 1)));
  }
  row("(all)", all, "");

  const learning::Reliability raw = learning::ComputeReliability(all.raw, o.bins);
  const learning::Reliability calibrated = learning::ComputeReliability(all.cv, o.bins);
  std::printf("\nreliability, all proposals: reported confidence | calibrated (%d-fold, out of fold)\n", o.folds);
  std::printf("%-11s %6s %6s %6s | %6s %6s %6s\n", "bin", "n", "conf", "agree", "n", "conf", "agree");
  for (size_t b = 0; b < raw.bins.size(); ++b) {
    const auto& r = raw.bins[b];
    const auto& c = calibrated.bins[b];
    std::printf("[%.2f,%.2f%c %6d %6.3f %6.3f | %6d %6.3f %6.3f\n", r.lo, r.hi, b + 1 == raw.bins.size() ? ']' : ')',
                r.n, r.mean_confidence, r.agree_rate, c.n, c.mean_confidence, c.agree_rate);
  }
  std::printf("ECE: reported %.4f, calibrated %.4f (out of fold)\n", raw.ece, calibrated.ece);

  if (!o.out_path.empty()) {
    std::ofstream out(o.out_path, std::ios::binary | std::ios::trunc);
    out << map.ToJson() << "\n";
    if (!out) return Fail("cannot write " + o.out_path);
    std::printf("wrote %s (%s)\n", o.out_path.c_str(), map.version().c_str());
  }
  return 0;
}

int RunAdvise(const AdviseOptions& o) {
  if (!(o.max_error > 0 && o.max_error < 1)) return Fail("--max-error must be in (0, 1)");
  if (!(o.level > 0.5 && o.level < 1)) return Fail("--level must be in (0.5, 1)");
  auto examples = ReadFeedback(o.feedback_path);
  if (!examples) return Fail(examples.error().message());
  std::optional<learning::CalibrationMap> map;
  if (!o.map_path.empty()) {
    std::ifstream in(o.map_path, std::ios::binary);
    if (!in) return Fail("cannot read " + o.map_path);
    std::stringstream text;
    text << in.rdbuf();
    auto loaded = learning::CalibrationMap::FromJson(text.str());
    if (!loaded) return Fail(o.map_path + ": " + loaded.error().message());
    map = std::move(*loaded);
  }
  const auto samples = Judged(*examples, nullptr);
  if (samples.empty()) return Fail(o.feedback_path + ": no judged proposals with a reported confidence");
  std::vector<learning::ScoredCase> cases;
  for (const auto& s : samples) {
    const double score = map ? map->Calibrate(s.workflow, s.intent, s.confidence) : s.confidence;
    cases.push_back({s.workflow, s.intent.empty() ? "-" : s.intent, score, !s.agreed});
  }
  const auto advice = learning::AdviseThresholds(cases, {.max_error = o.max_error, .level = o.level});
  std::printf("threshold advice: error rate of unreviewed proposals <= %.2f%% with %.0f%% confidence "
              "(one-sided Clopper-Pearson upper bound), on %s confidence\n\n",
              100 * o.max_error, 100 * o.level, map ? "calibrated" : "reported");
  std::printf("%-20s %-24s %6s %7s %9s %9s %10s %10s\n", "workflow", "intent", "n", "errors", "threshold",
              "automated", "error UCB", "escalated");
  int n = 0, automated = 0, automated_errors = 0;
  std::map<std::string, double> per_intent;
  for (const auto& a : advice) {
    n += a.n;
    automated += a.automated;
    automated_errors += a.automated_errors;
    std::printf("%-20s %-24s %6d %7d %9s %8.1f%% %9s %9.1f%%\n", a.workflow.c_str(), a.intent.c_str(), a.n,
                a.observed_errors, a.threshold ? Fixed4(std::ceil(*a.threshold * 1e4) / 1e4).c_str() : "none",
                100 * a.automation_rate(), a.threshold ? (std::to_string(100 * a.error_upper).substr(0, 5) + "%").c_str() : "-",
                100 * a.escalation_rate());
    double& t = per_intent[a.intent];
    t = std::max(t, a.threshold ? *a.threshold : 1.0);
  }
  const double automation = n ? static_cast<double>(automated) / n : 0;
  std::printf("\nof %d judged proposals: %.1f%% would go out without review (%d, %d of them judged wrong), "
              "%.1f%% would still be escalated to a person;\nreviewer workload on these cases: %+.1f%% "
              "(every one was reviewed or audited before)\n",
              n, 100 * automation, automated, automated_errors, 100 * (1 - automation), -100 * automation);
  std::printf("\n# policy rule (intents without a safe threshold stay at 1.0: always reviewed)\n");
  std::printf("- name: confidence-advised\n  when:\n    confidence_below:\n      threshold: 1.0\n"
              "      source: %s\n      per_intent:\n",
              map ? "calibrated" : "reported");
  for (const auto& [intent, t] : per_intent) {
    if (intent == "-") continue;
    // Rounded up: a threshold rounded down would let through cases the
    // bound was not computed for.
    std::printf("        %s: %.4f\n", intent.c_str(), std::max(std::ceil(t * 1e4) / 1e4, 0.0001));
  }
  std::printf("  decision: hold\n");
  return 0;
}

}  // namespace

std::shared_ptr<LearningCommands> AddLearningCommands(CLI::App& app) {
  auto c = std::make_shared<LearningCommands>();
  CLI::App* feedback = app.add_subcommand("feedback", "The learning loop's labeled examples");
  feedback->require_subcommand(1);
  auto& e = c->export_options;
  c->export_cmd = feedback->add_subcommand(
      "export", "Write every verdict, audit flag and supervisor intervention as JSON lines, personal data masked");
  c->export_cmd->add_option("--data", e.data_dir, "The gateway's data folder");
  c->export_cmd->add_option("--from", e.from, "RFC 3339 time, inclusive");
  c->export_cmd->add_option("--to", e.to, "RFC 3339 time, exclusive");
  c->export_cmd->add_flag("--no-mask", e.no_mask, "Keep e-mail addresses, phone, card and IBAN numbers");
  c->export_cmd->add_option("--mask-pattern", e.mask_patterns,
                            "Also mask this RE2 pattern (LABEL=REGEX gives <LABEL>); repeatable");
  c->export_cmd->add_option("--output,-o", e.output, "Output file (- = stdout)");

  auto& k = c->calibrate_options;
  c->calibrate_cmd = app.add_subcommand(
      "calibrate", "Fit reported confidence to human agreement per workflow and intent; print reliability and ECE");
  c->calibrate_cmd->add_option("--feedback", k.feedback_path, "A `feedback export` file")->required();
  c->calibrate_cmd->add_option("--out,-o", k.out_path, "Write the calibration map (JSON) here");
  c->calibrate_cmd->add_option("--min-samples", k.min_samples, "Cases a workflow or intent needs for its own curve")
      ->check(CLI::Range(1, 1000000));
  c->calibrate_cmd->add_option("--prior", k.prior_strength, "Pseudo-cases shrinking a curve toward its parent")
      ->check(CLI::Range(0.0, 1e6));
  c->calibrate_cmd->add_option("--bins", k.bins, "Reliability bins")->check(CLI::Range(1, 100));
  c->calibrate_cmd->add_option("--folds", k.folds, "Folds for the out-of-fold ECE")->check(CLI::Range(2, 100));

  auto& a = c->advise_options;
  c->advise_cmd = app.add_subcommand(
      "advise", "Recommend per-intent confidence thresholds for an error-rate target of unreviewed proposals");
  c->advise_cmd->add_option("--feedback", a.feedback_path, "A `feedback export` file")->required();
  c->advise_cmd->add_option("--map", a.map_path, "A calibration map: thresholds on calibrated confidence");
  c->advise_cmd->add_option("--max-error", a.max_error, "Target error rate, e.g. 0.02");
  c->advise_cmd->add_option("--level", a.level, "Confidence level of the upper bound (default 0.95)");

  c->triage = AddTriageCommands(app);
  c->autonomy = AddAutonomyCommands(app);
  return c;
}

std::optional<int> RunLearningCommands(const LearningCommands& c) {
  if (*c.export_cmd) return RunFeedbackExport(c.export_options);
  if (*c.calibrate_cmd) return RunCalibrate(c.calibrate_options);
  if (*c.advise_cmd) return RunAdvise(c.advise_options);
  if (auto status = RunAutonomyCommands(*c.autonomy)) return status;
  return RunTriageCommands(*c.triage);
}

}  // namespace hitlgate::cli
