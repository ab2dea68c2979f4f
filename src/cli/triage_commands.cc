// `hitlgate train` / `hitlgate eval` for the triage classifier.
#include "cli/triage_commands.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>

#include <unistd.h>

#include "hitlgate/triage/classifier.h"
#include "hitlgate/triage/ensemble.h"
#include "hitlgate/triage/evaluation.h"

namespace hitlgate::cli {

struct DataOptions {
  std::string path;
  std::string format;          // csv | clinc | feedback; empty = by extension
  std::string split = "train";  // clinc150
  bool with_oos = false;       // clinc150: add oos_<split>
};

struct TriageCommands {
  CLI::App* train_cmd = nullptr;
  CLI::App* eval_cmd = nullptr;
  DataOptions train_data;
  std::string out_path;
  bool no_search = false;
  double validation_share = 0.2;
  triage::TrainOptions train;
  DataOptions eval_data;
  std::string model_path;
  int cv = 0;
  double target = 0.96;
  std::string oos_label = "oos";
};

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "hitlgate: %s\n", message.c_str());
  return 2;
}

Result<std::vector<triage::LabeledText>> Load(const DataOptions& d) {
  std::string format = d.format;
  if (format.empty()) {
    if (d.path.ends_with(".csv")) format = "csv";
    else if (d.path.ends_with(".jsonl")) format = "feedback";
    else if (d.path.ends_with(".json")) format = "clinc";
    else return InvalidArgument(d.path + ": say --format csv, clinc or feedback");
  }
  if (format == "csv") return triage::ReadCsv(d.path);
  if (format == "clinc") return triage::ReadClinc(d.path, d.split, d.with_oos);
  if (format == "feedback") return triage::ReadFeedbackExport(d.path);
  return InvalidArgument("--format must be csv, clinc or feedback, not '" + format + "'");
}

void AddDataOptions(CLI::App* cmd, DataOptions& d, const std::string& default_split) {
  d.split = default_split;
  cmd->add_option("--data", d.path, "Labeled text: CSV (text,...,label), clinc150 JSON or a feedback export (.jsonl)")
      ->required();
  cmd->add_option("--format", d.format, "csv, clinc or feedback (default: by extension)");
  cmd->add_option("--split", d.split, "clinc150: train or val");
  cmd->add_flag("--with-oos", d.with_oos, "clinc150: include the out-of-scope queries (label oos)");
}

// A bar redrawn in place on a terminal; one line per step in a log.
void ShowStep(const triage::SearchStep& step, std::chrono::steady_clock::time_point started) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (::isatty(::fileno(stderr))) {
    constexpr int kWidth = 24;
    const int done = step.finished ? kWidth : step.total ? kWidth * (step.index - 1) / step.total : 0;
    std::fprintf(stderr, "\r\x1b[K[%s%s] %d/%d %5.0fs %s", std::string(done, '#').c_str(),
                 std::string(kWidth - done, '.').c_str(), step.index, step.total, seconds, step.what.c_str());
    if (step.finished) std::fputc('\n', stderr);
  } else {
    if (step.finished) {
      std::fprintf(stderr, "train: done at %.0fs\n", seconds);
    } else {
      std::fprintf(stderr, "train: step %d/%d at %.0fs: %s\n", step.index, step.total, seconds, step.what.c_str());
    }
  }
  std::fflush(stderr);
}

int RunTrain(const TriageCommands& c) {
  auto data = Load(c.train_data);
  if (!data) return Fail(data.error().message());
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  if (c.no_search) {
    auto model = triage::FastTextClassifier::Train(*data, c.train);
    if (!model) return Fail(model.error().ToString());
    if (auto saved = (*model)->Save(c.out_path); !saved) return Fail(saved.error().ToString());
    std::printf("trained on %zu examples, %zu labels in %.1f s; wrote %s and %s.calibration.json\n", data->size(),
                (*model)->Labels().size(), elapsed(), c.out_path.c_str(), c.out_path.c_str());
    return 0;
  }
  // Refused before minutes of training, not after.
  if (std::error_code ec; std::filesystem::exists(c.out_path, ec) && !std::filesystem::is_directory(c.out_path, ec)) {
    return Fail(c.out_path + " is a file; the default model is a bundle directory (choose another --out, or "
                             "--no-search for a single fastText file)");
  }
  triage::SearchOptions search{.base = c.train, .validation_share = c.validation_share};
  search.on_step = [&](const triage::SearchStep& step) { ShowStep(step, started); };
  triage::SearchReport report;
  auto model = triage::EnsembleClassifier::TrainWithSearch(*data, search, &report);
  if (!model) return Fail(model.error().ToString());
  if (auto saved = (*model)->Save(c.out_path); !saved) return Fail(saved.error().ToString());
  std::printf("search on %d messages, validated on %d (%.0f%% per label, seed %d); routed = share at >= %.0f%% "
              "accuracy\n  %-72s %8s %7s\n",
              report.fit_messages, report.validation_messages, 100 * c.validation_share, c.train.seed,
              100 * search.target_accuracy, "candidate", "accuracy", "routed");
  for (const auto& t : report.trials) {
    std::printf("  %-72s %8.4f %6.1f%%\n", t.what.c_str(), t.accuracy, 100 * t.routed);
  }
  std::printf("  chosen: %-64s %8.4f %6.1f%%\n", report.chosen.what.c_str(), report.chosen.accuracy,
              100 * report.chosen.routed);
  std::printf("trained on %zu examples, %zu labels in %.1f s; wrote bundle %s/\n", data->size(),
              (*model)->Labels().size(), elapsed(), c.out_path.c_str());
  return 0;
}

std::vector<triage::EvaluatedCase> Score(const triage::TextClassifier& model,
                                         const std::vector<triage::LabeledText>& data) {
  std::vector<triage::EvaluatedCase> out;
  out.reserve(data.size());
  for (const auto& e : data) {
    auto top = model.Predict(e.text, 1);
    out.push_back({e.label, top.empty() ? triage::Prediction{"", 0, 0} : top.front()});
  }
  return out;
}

void PrintReport(const std::vector<triage::EvaluatedCase>& cases, const TriageCommands& c) {
  const triage::EvaluationReport r = triage::Evaluate(cases);
  std::printf("messages %d  accuracy %.4f  macro-F1 %.4f  ECE: probability %.4f, calibrated %.4f\n", r.n, r.accuracy,
              r.macro_f1, r.ece_raw, r.ece_calibrated);
  const triage::CoveragePoint at = triage::CoverageAtAccuracy(r, c.target);
  std::printf("routed automatically at >= %.0f%% accuracy: %.1f%% of messages (probability >= %.4f, calibrated %.4f)\n",
              100 * c.target, 100 * at.coverage, at.threshold, at.calibrated);
  std::printf("selective accuracy / coverage:\n  %8s %9s %11s %10s\n", "coverage", "accuracy", "probability", "calibrated");
  size_t next = 0;
  for (int step = 1; step <= 10; ++step) {
    const double want = step / 10.0;
    while (next + 1 < r.curve.size() && r.curve[next].coverage + 1e-12 < want) ++next;
    if (r.curve.empty()) break;
    const auto& p = r.curve[next];
    std::printf("  %7.1f%% %8.2f%% %11.4f %10.4f\n", 100 * p.coverage, 100 * p.accuracy, p.threshold, p.calibrated);
  }

  // Out of scope: as a class (the model knows the label), and by a
  // probability threshold (messages under it are declared out of scope).
  int oos = 0;
  for (const auto& e : cases) oos += e.gold == c.oos_label;
  if (oos == 0) return;
  int predicted_oos = 0, caught = 0;
  for (const auto& e : cases) {
    if (e.top.label == c.oos_label) {
      ++predicted_oos;
      caught += e.gold == c.oos_label;
    }
  }
  const int in_scope = static_cast<int>(cases.size()) - oos;
  std::printf("out of scope (label '%s', %d of %d messages):\n", c.oos_label.c_str(), oos, r.n);
  std::printf("  as a class: recall %.3f, precision %.3f\n", static_cast<double>(caught) / oos,
              predicted_oos ? static_cast<double>(caught) / predicted_oos : 0.0);
  std::printf("  by threshold on the calibrated probability (under it = out of scope):\n");
  std::printf("  %9s %10s %13s %19s\n", "threshold", "oos recall", "oos precision", "in-scope accuracy");
  for (double t : {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}) {
    int flagged = 0, flagged_oos = 0, in_scope_right = 0;
    for (const auto& e : cases) {
      const bool out = e.top.calibrated < t || e.top.label == c.oos_label;
      if (out) {
        ++flagged;
        flagged_oos += e.gold == c.oos_label;
      } else if (e.gold != c.oos_label && e.top.label == e.gold) {
        ++in_scope_right;
      }
    }
    std::printf("  %9.2f %10.3f %13.3f %19.3f\n", t, static_cast<double>(flagged_oos) / oos,
                flagged ? static_cast<double>(flagged_oos) / flagged : 0.0,
                in_scope ? static_cast<double>(in_scope_right) / in_scope : 0.0);
  }
}

int RunEval(const TriageCommands& c) {
  auto data = Load(c.eval_data);
  if (!data) return Fail(data.error().message());
  if (c.cv > 0) {
    if (!c.model_path.empty()) return Fail("--model and --cv exclude each other");
    if (c.cv < 2) return Fail("--cv needs at least 2 folds");
    // Seeded shuffle, then fold = position mod k; out-of-fold predictions pooled.
    std::vector<size_t> order(data->size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937_64 rng(static_cast<std::uint64_t>(c.train.seed));
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<triage::EvaluatedCase> cases;
    for (int f = 0; f < c.cv; ++f) {
      std::vector<triage::LabeledText> train, test;
      for (size_t i = 0; i < order.size(); ++i) {
        (static_cast<int>(i % c.cv) == f ? test : train).push_back((*data)[order[i]]);
      }
      auto model = triage::FastTextClassifier::Train(train, c.train);
      if (!model) return Fail(model.error().ToString());
      auto scored = Score(**model, test);
      cases.insert(cases.end(), scored.begin(), scored.end());
      std::fprintf(stderr, "fold %d/%d done\n", f + 1, c.cv);
    }
    std::printf("%d-fold cross-validation on %s (%zu messages)\n", c.cv, c.eval_data.path.c_str(), data->size());
    PrintReport(cases, c);
    return 0;
  }
  if (c.model_path.empty()) return Fail("say --model MODEL (or --cv K to cross-validate on --data)");
  auto model = triage::LoadTextClassifier(c.model_path);
  if (!model) return Fail(model.error().ToString());
  std::printf("model %s on %s (%zu messages)\n", c.model_path.c_str(), c.eval_data.path.c_str(), data->size());
  PrintReport(Score(**model, *data), c);
  return 0;
}

void AddTrainingFlags(CLI::App* cmd, triage::TrainOptions& t) {
  cmd->add_option("--epochs", t.epochs, "Training epochs (train: with --no-search; the search tries its own)")->check(CLI::Range(1, 1000));
  cmd->add_option("--lr", t.learning_rate, "Learning rate (train: with --no-search)")->check(CLI::Range(0.001, 10.0));
  cmd->add_option("--dim", t.dim, "Vector size")->check(CLI::Range(2, 1000));
  cmd->add_option("--word-ngrams", t.word_ngrams, "Word n-grams (train: with --no-search)")->check(CLI::Range(1, 5));
  cmd->add_option("--buckets", t.buckets, "Hash buckets for n-grams (model size ~ buckets x dim x 4 bytes)")
      ->check(CLI::Range(1000, 10000000));
  cmd->add_option("--subwords", t.min_subword, "Shortest character n-gram (0 = none; longest is 5; train: with --no-search)")
      ->check(CLI::Range(0, 5));
  cmd->add_option("--threads", t.threads, "Training threads (1 = reproducible)")->check(CLI::Range(1, 64));
  cmd->add_option("--seed", t.seed, "Random seed");
  cmd->add_option("--calibration-holdout", t.calibration_holdout,
                  "Share of the data held out to calibrate probabilities (0 = none; train: with --no-search)")
      ->check(CLI::Range(0.0, 0.49));
}

}  // namespace

std::shared_ptr<TriageCommands> AddTriageCommands(CLI::App& app) {
  auto c = std::make_shared<TriageCommands>();
  c->train_cmd = app.add_subcommand(
      "train", "Train the triage classifier from labeled text: a searched fastText + char n-gram ensemble (a bundle "
               "directory), or with --no-search one fastText model file");
  AddDataOptions(c->train_cmd, c->train_data, "train");
  c->train_cmd->add_option("--out,-o", c->out_path, "Bundle directory (or, with --no-search, model file) to write")
      ->required();
  c->train_cmd->add_flag("--no-search", c->no_search,
                         "Train one fastText model with the flags below instead of searching (fast; weaker)");
  c->train_cmd->add_option("--validation-share", c->validation_share,
                           "Search: share of each label held out to choose the parameters and fit the calibration")
      ->check(CLI::Range(0.05, 0.5));
  AddTrainingFlags(c->train_cmd, c->train);

  c->eval_cmd = app.add_subcommand(
      "eval", "Accuracy, macro-F1, calibration and the selective-accuracy/coverage curve of a triage classifier");
  AddDataOptions(c->eval_cmd, c->eval_data, "val");
  c->eval_cmd->add_option("--model", c->model_path, "A model from `hitlgate train`");
  c->eval_cmd->add_option("--cv", c->cv, "Instead of --model: K-fold cross-validation on --data");
  c->eval_cmd->add_option("--target", c->target, "Accuracy for the routed-automatically figure")
      ->check(CLI::Range(0.5, 1.0));
  c->eval_cmd->add_option("--oos-label", c->oos_label, "The out-of-scope label");
  AddTrainingFlags(c->eval_cmd, c->train);
  return c;
}

std::optional<int> RunTriageCommands(const TriageCommands& c) {
  if (*c.train_cmd) return RunTrain(c);
  if (*c.eval_cmd) return RunEval(c);
  return std::nullopt;
}

}  // namespace hitlgate::cli
