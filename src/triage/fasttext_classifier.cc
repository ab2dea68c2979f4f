// FastTextClassifier: the one place hitlgate calls libfasttext.
#include <fasttext/densematrix.h>
#include <fasttext/fasttext.h>
#include <fasttext/vector.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "hitlgate/triage/classifier.h"
#include "triage/calibration_file.h"

namespace hitlgate::triage {
namespace {

constexpr std::string_view kLabelPrefix = "__label__";

std::string ScratchPath(const TrainOptions& options) {
  static std::atomic<int> counter{0};
  const std::filesystem::path dir =
      options.scratch_dir.empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(options.scratch_dir);
  return (dir / ("hitlgate-train-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".txt")).string();
}

// Labels become one token: spaces would split them.
std::string LabelToken(std::string_view label) {
  std::string out(kLabelPrefix);
  for (char c : label) out.push_back(std::isspace(static_cast<unsigned char>(c)) ? '_' : c);
  return out;
}

Result<std::shared_ptr<fasttext::FastText>> TrainModel(const std::vector<LabeledText>& examples,
                                                       const TrainOptions& options) {
  const std::string path = ScratchPath(options);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const LabeledText& e : examples) out << LabelToken(e.label) << ' ' << NormalizeText(e.text) << '\n';
    if (!out) return MakeError(ErrorCode::kUnavailable, "cannot write training file " + path);
  }
  fasttext::Args args;
  args.input = path;
  args.model = fasttext::model_name::sup;
  args.loss = fasttext::loss_name::softmax;
  args.epoch = options.epochs;
  args.lr = options.learning_rate;
  args.dim = options.dim;
  args.wordNgrams = options.word_ngrams;
  args.minCount = 1;
  args.minn = options.min_subword;
  args.maxn = options.min_subword > 0 ? options.max_subword : 0;
  args.bucket = options.word_ngrams > 1 || options.min_subword > 0 ? options.buckets : 0;
  args.thread = std::max(options.threads, 1);
  args.seed = options.seed;
  args.verbose = 0;
  auto model = std::make_shared<fasttext::FastText>();
  try {
    model->train(args);
  } catch (const std::exception& e) {
    std::filesystem::remove(path);
    return Internal(std::string("fastText training failed: ") + e.what());
  }
  std::filesystem::remove(path);
  return model;
}

std::vector<Prediction> PredictWith(const fasttext::FastText& model, std::string_view text, int k) {
  std::istringstream in(NormalizeText(text) + "\n");
  std::vector<std::pair<fasttext::real, std::string>> raw;
  model.predictLine(in, raw, k <= 0 ? -1 : k, 0.0);
  std::vector<Prediction> out;
  for (const auto& [p, label] : raw) {
    std::string name = label.starts_with(kLabelPrefix) ? label.substr(kLabelPrefix.size()) : label;
    out.push_back({std::move(name), static_cast<double>(p), static_cast<double>(p)});
  }
  return out;
}

}  // namespace

struct FastTextClassifier::Model {
  explicit Model(std::shared_ptr<fasttext::FastText> model) : fasttext(std::move(model)) {
    // A plain softmax model's probabilities are softmax(output x hidden): read
    // directly, without fastText's top-k heap and a log and exp per label.
    if (!fasttext->isQuant() && fasttext->getArgs().loss == fasttext::loss_name::softmax) {
      output = fasttext->getOutputMatrix();
    }
  }
  std::shared_ptr<fasttext::FastText> fasttext;
  std::shared_ptr<const fasttext::DenseMatrix> output;  // null: go through predict()
};

FastTextClassifier::FastTextClassifier(std::unique_ptr<Model> model) : model_(std::move(model)) {}
FastTextClassifier::~FastTextClassifier() = default;

std::string NormalizeText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x80 && std::ispunct(u) && c != '\'') {
      out += ' ';
      out += c;
      out += ' ';
    } else if (std::isspace(u)) {
      out += ' ';
    } else {
      out += static_cast<char>(u < 0x80 ? std::tolower(u) : u);
    }
  }
  return out;
}

Result<std::unique_ptr<FastTextClassifier>> FastTextClassifier::Train(const std::vector<LabeledText>& examples,
                                                                      const TrainOptions& options) {
  std::vector<std::string> labels;
  for (const auto& e : examples) labels.push_back(e.label);
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  if (examples.empty()) return InvalidArgument("no training examples");
  if (labels.size() < 2) return InvalidArgument("a classifier needs at least 2 labels; got " + std::to_string(labels.size()));

  std::vector<learning::IsotonicBlock> calibration;
  if (options.calibration_holdout > 0 && options.calibration_holdout < 0.5 && examples.size() >= 50) {
    // Hold out a seeded random share, fit the calibration on it, then train
    // the final model on everything.
    std::vector<size_t> order(examples.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937_64 rng(static_cast<std::uint64_t>(options.seed));
    std::shuffle(order.begin(), order.end(), rng);
    const size_t held = static_cast<size_t>(options.calibration_holdout * examples.size());
    std::vector<LabeledText> fit, holdout;
    for (size_t i = 0; i < order.size(); ++i) (i < held ? holdout : fit).push_back(examples[order[i]]);
    auto first = TrainModel(fit, options);
    HITLGATE_RETURN_IF_ERROR(first);
    std::vector<std::pair<double, double>> points;
    for (const LabeledText& e : holdout) {
      auto top = PredictWith(**first, e.text, 1);
      if (top.empty()) continue;
      points.push_back({top.front().probability, top.front().label == e.label ? 1.0 : 0.0});
    }
    calibration = learning::FitIsotonic(std::move(points));
  }
  auto model = TrainModel(examples, options);
  HITLGATE_RETURN_IF_ERROR(model);
  auto classifier = std::unique_ptr<FastTextClassifier>(new FastTextClassifier(std::make_unique<Model>(*model)));
  classifier->calibration_ = std::move(calibration);
  return classifier;
}

std::vector<Prediction> FastTextClassifier::Predict(std::string_view text, int k) const {
  std::vector<Prediction> out = PredictWith(*model_->fasttext, text, k);
  if (!out.empty() && !calibration_.empty()) {
    out.front().calibrated = std::clamp(learning::EvaluateBlocks(calibration_, out.front().probability), 0.0, 1.0);
  }
  return out;
}

std::vector<double> FastTextClassifier::Probabilities(std::string_view text) const {
  fasttext::FastText& model = *model_->fasttext;
  std::istringstream in(NormalizeText(text) + "\n");
  if (const fasttext::DenseMatrix* output = model_->output.get()) {
    // getSentenceVector only reads the model: safe from many threads.
    fasttext::Vector hidden(output->size(1));
    model.getSentenceVector(in, hidden);
    std::vector<double> out(static_cast<size_t>(output->size(0)));
    double max = -1e300, sum = 0;
    for (size_t i = 0; i < out.size(); ++i) {
      out[i] = output->dotRow(hidden, static_cast<int64_t>(i));
      max = std::max(max, out[i]);
    }
    for (double& p : out) sum += (p = std::exp(p - max));
    for (double& p : out) p /= sum;
    return out;
  }
  std::vector<int32_t> words, labels;
  model.getDictionary()->getLine(in, words, labels);
  fasttext::Predictions predictions;  // (log probability, label id)
  model.predict(-1, words, predictions, 0.0);
  std::vector<double> out(static_cast<size_t>(model.getDictionary()->nlabels()), 0.0);
  for (const auto& [log_p, id] : predictions) out[static_cast<size_t>(id)] = std::exp(log_p);
  return out;
}

std::vector<std::string> FastTextClassifier::Labels() const {
  std::vector<std::string> out;
  auto dict = model_->fasttext->getDictionary();
  for (int32_t i = 0; i < dict->nlabels(); ++i) {
    std::string label = dict->getLabel(i);
    out.push_back(label.starts_with(kLabelPrefix) ? label.substr(kLabelPrefix.size()) : label);
  }
  return out;
}

Result<void> FastTextClassifier::Save(const std::string& path) const {
  try {
    model_->fasttext->saveModel(path);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kUnavailable, "cannot write model " + path + ": " + e.what());
  }
  // The calibration rides next to the model.
  std::ofstream real(path + ".calibration.json", std::ios::binary | std::ios::trunc);
  real << EncodeCalibrationBlocks(calibration_) << "\n";
  if (!real) return MakeError(ErrorCode::kUnavailable, "cannot write " + path + ".calibration.json");
  return {};
}

Result<std::unique_ptr<FastTextClassifier>> FastTextClassifier::Load(const std::string& path) {
  if (!std::filesystem::exists(path)) return NotFound("no model at " + path);
  auto model = std::make_shared<fasttext::FastText>();
  try {
    model->loadModel(path);
  } catch (const std::exception& e) {
    return InvalidArgument("cannot load fastText model " + path + ": " + e.what());
  }
  if (model->getArgs().model != fasttext::model_name::sup) {
    return InvalidArgument(path + " is not a supervised (classifier) model");
  }
  auto classifier = std::unique_ptr<FastTextClassifier>(new FastTextClassifier(std::make_unique<Model>(model)));
  std::ifstream in(path + ".calibration.json", std::ios::binary);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    auto blocks = ParseCalibrationBlocks(text.str());
    if (!blocks) return InvalidArgument(path + ".calibration.json: " + blocks.error().message());
    classifier->calibration_ = std::move(*blocks);
  }
  return classifier;
}

}  // namespace hitlgate::triage
