// EnsembleClassifier::TrainWithSearch: a small grid on a validation split.
// Every candidate member is trained once on the fit part and scored on the
// validation part; the mixes are scored from those probabilities without
// retraining. One thread and fixed seeds: the same data gives the same model.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <random>

#include <boost/json.hpp>

#include "hitlgate/triage/ensemble.h"
#include "hitlgate/triage/evaluation.h"
#include "triage/label_index.h"
#include "triage/linear_model.h"

namespace hitlgate::triage {
namespace {

namespace json = boost::json;

using Matrix = std::vector<std::vector<double>>;  // validation message x label

// fastText makes a label one token: the ensemble names labels the same way.
std::string TokenLabel(std::string_view label) {
  std::string out(label);
  for (char& c : out) {
    if (std::isspace(static_cast<unsigned char>(c))) c = '_';
  }
  return out;
}

std::string Describe(const TrainOptions& t) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "fastText epochs=%d lr=%g ngrams=%d subwords=%d", t.epochs, t.learning_rate,
                t.word_ngrams, t.min_subword);
  return buf;
}

// Per label, a seeded shuffle; the first share of each goes to validation
// (at least one message stays in the fit part).
void StratifiedSplit(const std::vector<LabeledText>& examples, double share, int seed, std::vector<LabeledText>* fit,
                     std::vector<LabeledText>* validation) {
  std::map<std::string, std::vector<size_t>> by_label;
  for (size_t i = 0; i < examples.size(); ++i) by_label[examples[i].label].push_back(i);
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
  std::vector<bool> held(examples.size(), false);
  for (auto& [label, indices] : by_label) {
    std::shuffle(indices.begin(), indices.end(), rng);
    const size_t n = std::min(static_cast<size_t>(share * indices.size() + 0.5), indices.size() - 1);
    for (size_t i = 0; i < n; ++i) held[indices[i]] = true;
  }
  for (size_t i = 0; i < examples.size(); ++i) (held[i] ? validation : fit)->push_back(examples[i]);
}

SearchTrial Score(const std::string& what, const Matrix& p, const std::vector<int>& gold,
                  const std::vector<std::string>& labels, double target) {
  std::vector<EvaluatedCase> cases;
  cases.reserve(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    const size_t top = std::max_element(p[i].begin(), p[i].end()) - p[i].begin();
    cases.push_back({labels[gold[i]], {labels[top], p[i][top], p[i][top]}});
  }
  const EvaluationReport r = Evaluate(cases);
  return {what, r.accuracy, CoverageAtAccuracy(r, target).coverage};
}

// Accuracy first; the routed share breaks near-ties (it is noisier on a
// small validation split).
double Objective(const SearchTrial& t) { return t.accuracy + 0.5 * t.routed; }

}  // namespace

std::vector<TrainOptions> DefaultFastTextGrid(const TrainOptions& base) {
  std::vector<TrainOptions> grid;
  const auto add = [&](int epochs, double lr, int ngrams, int subwords) {
    TrainOptions t = base;
    t.epochs = epochs;
    t.learning_rate = lr;
    t.word_ngrams = ngrams;
    t.min_subword = subwords;
    t.calibration_holdout = 0;
    grid.push_back(t);
  };
  add(25, 0.5, 2, 3);  // `--no-search`'s defaults
  add(50, 0.5, 2, 3);
  add(100, 1.0, 2, 3);
  add(100, 1.0, 1, 3);
  add(100, 0.5, 2, 0);
  return grid;
}

Result<std::unique_ptr<EnsembleClassifier>> EnsembleClassifier::TrainWithSearch(
    const std::vector<LabeledText>& raw_examples, const SearchOptions& options, SearchReport* report) {
  if (raw_examples.empty()) return InvalidArgument("no training examples");
  std::vector<LabeledText> examples = raw_examples;
  for (auto& e : examples) e.label = TokenLabel(e.label);
  std::vector<std::string> labels;
  for (const auto& e : examples) labels.push_back(e.label);
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  if (labels.size() < 2) return InvalidArgument("a classifier needs at least 2 labels; got " + std::to_string(labels.size()));
  const std::vector<TrainOptions> grid =
      options.fasttext_grid.empty() ? DefaultFastTextGrid(options.base) : options.fasttext_grid;
  if (options.linear_weights.empty()) return InvalidArgument("no linear weights to try");
  const bool any_linear = std::any_of(options.linear_weights.begin(), options.linear_weights.end(),
                                      [](double w) { return w > 0; });
  const bool any_fasttext = std::any_of(options.linear_weights.begin(), options.linear_weights.end(),
                                        [](double w) { return w < 1; });
  if (any_linear && options.linear_c.empty()) return InvalidArgument("no linear C values to try");
  for (double w : options.linear_weights) {
    if (!(w >= 0 && w <= 1)) return InvalidArgument("linear weights must be in [0, 1]");
  }

  std::vector<LabeledText> fit, validation;
  StratifiedSplit(examples, options.validation_share, options.base.seed, &fit, &validation);
  if (validation.empty()) return InvalidArgument("too few examples for a validation split; train with --no-search");
  const auto label_index = [&](const std::string& l) {
    return static_cast<int>(std::lower_bound(labels.begin(), labels.end(), l) - labels.begin());
  };
  std::vector<int> gold;
  for (const auto& e : validation) gold.push_back(label_index(e.label));

  const int total = (any_fasttext ? static_cast<int>(grid.size()) + 1 : 0) +
                    (any_linear ? static_cast<int>(options.linear_c.size()) + 1 : 0);
  int step = 0;
  const auto announce = [&](const std::string& what) {
    ++step;
    if (options.on_step) options.on_step({step, total, what});
  };

  SearchReport local;
  SearchReport& r = report ? *report : local;
  r = SearchReport{};
  r.fit_messages = static_cast<int>(fit.size());
  r.validation_messages = static_cast<int>(validation.size());

  std::vector<Matrix> fasttext_p, linear_p;
  if (any_fasttext) {
    for (const TrainOptions& t : grid) {
      announce("validating " + Describe(t));
      TrainOptions member = t;
      member.calibration_holdout = 0;
      auto model = FastTextClassifier::Train(fit, member);
      HITLGATE_RETURN_IF_ERROR(model);
      Matrix p(validation.size(), std::vector<double>(labels.size(), 0.0));
      const std::vector<int> to_label = IndexIn(labels, (*model)->Labels());
      for (size_t i = 0; i < validation.size(); ++i) {
        const std::vector<double> q = (*model)->Probabilities(validation[i].text);
        for (size_t k = 0; k < q.size(); ++k) p[i][to_label[k]] = q[k];
      }
      r.trials.push_back(Score(Describe(t), p, gold, labels, options.target_accuracy));
      fasttext_p.push_back(std::move(p));
    }
  }
  if (any_linear) {
    for (double c : options.linear_c) {
      char what[64];
      std::snprintf(what, sizeof what, "linear C=%g", c);
      announce(std::string("validating ") + what);
      auto model = CharNgramLinearModel::Train(fit, {.c = c, .seed = options.base.seed});
      HITLGATE_RETURN_IF_ERROR(model);
      const std::vector<int> to_label = IndexIn(labels, (*model)->labels());
      Matrix p(validation.size(), std::vector<double>(labels.size(), 0.0));
      for (size_t i = 0; i < validation.size(); ++i) {
        const std::vector<double> q = (*model)->Probabilities(validation[i].text);
        for (size_t k = 0; k < q.size(); ++k) p[i][to_label[k]] = q[k];
      }
      r.trials.push_back(Score(what, p, gold, labels, options.target_accuracy));
      linear_p.push_back(std::move(p));
    }
  }

  // Every mix; the first best wins, so the order above decides ties.
  struct Choice {
    size_t fasttext = 0, linear = 0;
    double weight = 0;
    SearchTrial trial;
    Matrix p;
  } best;
  bool have_best = false;
  for (double w : options.linear_weights) {
    const size_t nf = w < 1 ? fasttext_p.size() : 1;
    const size_t nl = w > 0 ? linear_p.size() : 1;
    for (size_t f = 0; f < nf; ++f) {
      for (size_t l = 0; l < nl; ++l) {
        Matrix p(validation.size(), std::vector<double>(labels.size(), 0.0));
        for (size_t i = 0; i < p.size(); ++i) {
          for (size_t k = 0; k < labels.size(); ++k) {
            p[i][k] = (w < 1 ? (1 - w) * fasttext_p[f][i][k] : 0) + (w > 0 ? w * linear_p[l][i][k] : 0);
          }
        }
        char linear[48];
        std::snprintf(linear, sizeof linear, "linear C=%g", w > 0 ? options.linear_c[l] : 0.0);
        char what[200];
        if (w == 0) {
          std::snprintf(what, sizeof what, "%s alone", Describe(grid[f]).c_str());
        } else if (w == 1) {
          std::snprintf(what, sizeof what, "%s alone", linear);
        } else {
          std::snprintf(what, sizeof what, "%g x %s + %g x %s", w, linear, 1 - w, Describe(grid[f]).c_str());
        }
        SearchTrial trial = Score(what, p, gold, labels, options.target_accuracy);
        if (!have_best || Objective(trial) > Objective(best.trial)) {
          best = {f, l, w, std::move(trial), std::move(p)};
          have_best = true;
        }
      }
    }
  }
  r.chosen = best.trial;
  r.fasttext = grid[best.fasttext];
  r.linear_c = any_linear ? options.linear_c[best.linear] : 0;
  r.linear_weight = best.weight;

  // The calibration: the chosen mix's top probability against correctness
  // on the validation split, which none of its members trained on.
  std::vector<std::pair<double, double>> points;
  for (size_t i = 0; i < best.p.size(); ++i) {
    const size_t top = std::max_element(best.p[i].begin(), best.p[i].end()) - best.p[i].begin();
    points.push_back({best.p[i][top], static_cast<int>(top) == gold[i] ? 1.0 : 0.0});
  }

  auto model = std::unique_ptr<EnsembleClassifier>(new EnsembleClassifier());
  model->labels_ = labels;
  model->linear_weight_ = best.weight;
  model->calibration_ = learning::FitIsotonic(std::move(points));
  if (best.weight < 1) {
    announce("training " + Describe(r.fasttext) + " on all examples");
    TrainOptions final_options = r.fasttext;
    final_options.calibration_holdout = 0;
    auto ft = FastTextClassifier::Train(examples, final_options);
    HITLGATE_RETURN_IF_ERROR(ft);
    model->fasttext_to_label_ = IndexIn(labels, (*ft)->Labels());
    model->fasttext_ = std::move(*ft);
  } else if (any_fasttext) {
    ++step;  // announced in the total, not needed
  }
  if (best.weight > 0) {
    char what[64];
    std::snprintf(what, sizeof what, "training linear C=%g on all examples", r.linear_c);
    announce(what);
    auto linear = CharNgramLinearModel::Train(examples, {.c = r.linear_c, .seed = options.base.seed});
    HITLGATE_RETURN_IF_ERROR(linear);
    model->linear_to_label_ = IndexIn(labels, (*linear)->labels());
    model->linear_ = std::move(*linear);
  }
  if (options.on_step) options.on_step({total, total, "done", true});

  json::object search{{"fit_messages", r.fit_messages},
                      {"validation_messages", r.validation_messages},
                      {"validation_accuracy", r.chosen.accuracy},
                      {"validation_routed", r.chosen.routed},
                      {"target_accuracy", options.target_accuracy},
                      {"seed", options.base.seed}};
  if (best.weight < 1) {
    search["fasttext"] = json::object{{"epochs", r.fasttext.epochs},       {"lr", r.fasttext.learning_rate},
                                      {"dim", r.fasttext.dim},             {"word_ngrams", r.fasttext.word_ngrams},
                                      {"subwords", r.fasttext.min_subword}, {"buckets", r.fasttext.buckets}};
  }
  if (best.weight > 0) search["linear_c"] = r.linear_c;
  model->manifest_extra_ = json::serialize(search);
  return model;
}

}  // namespace hitlgate::triage
