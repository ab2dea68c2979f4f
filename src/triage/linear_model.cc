#include "triage/linear_model.h"

#include <linear.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>

namespace hitlgate::triage {
namespace {

constexpr int kMinGram = 2;
constexpr int kMaxGram = 5;
constexpr int kMinDocuments = 2;  // a feature seen once cannot generalize
constexpr std::string_view kMagic = "hitlgate.triage-linear.v1\n";

// Calls `emit(feature)` for every feature occurrence in the text. A leading
// byte keeps the three kinds apart ("ab" the bigram of letters vs the word).
template <typename Emit>
void ForEachFeature(std::string_view text, Emit&& emit) {
  const std::string normalized = NormalizeText(text);
  std::vector<std::string_view> words;
  for (size_t i = 0; i < normalized.size();) {
    const size_t end = std::min(normalized.find(' ', i), normalized.size());
    if (end > i) words.push_back(std::string_view(normalized).substr(i, end - i));
    i = end + 1;
  }
  std::string feature;
  std::string bounded;
  for (size_t w = 0; w < words.size(); ++w) {
    bounded.assign("<").append(words[w]).append(">");
    for (int n = kMinGram; n <= kMaxGram; ++n) {
      for (size_t i = 0; i + n <= bounded.size(); ++i) {
        feature.assign("\x01").append(bounded, i, n);
        emit(feature);
      }
    }
    feature.assign("\x02").append(words[w]);
    emit(feature);
    feature.assign("\x03").append(w == 0 ? std::string_view("<s>") : words[w - 1]).append(" ").append(words[w]);
    emit(feature);
  }
  if (!words.empty()) {
    feature.assign("\x03").append(words.back()).append(" </s>");
    emit(feature);
  }
}

void Quiet(const char*) {}

template <typename T>
void Put(std::ostream& out, T value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof value);
}
void PutString(std::ostream& out, std::string_view s) {
  Put<std::uint32_t>(out, static_cast<std::uint32_t>(s.size()));
  out.write(s.data(), static_cast<std::streamsize>(s.size()));
}
template <typename T>
bool Get(std::istream& in, T* value) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(value), sizeof *value));
}
bool GetString(std::istream& in, std::string* s) {
  std::uint32_t n = 0;
  if (!Get(in, &n) || n > (1u << 20)) return false;
  s->resize(n);
  return static_cast<bool>(in.read(s->data(), n));
}

}  // namespace

std::vector<std::pair<int, double>> CharNgramLinearModel::Features(std::string_view text) const {
  std::vector<int> rows;  // sorted below: liblinear wants increasing indices
  rows.reserve(256);
  ForEachFeature(text, [&](const std::string& f) {
    if (auto it = vocabulary_.find(f); it != vocabulary_.end()) rows.push_back(it->second);
  });
  std::sort(rows.begin(), rows.end());
  std::vector<std::pair<int, double>> out;
  out.reserve(rows.size());
  double norm = 0;
  for (size_t i = 0; i < rows.size();) {
    size_t j = i;
    while (j < rows.size() && rows[j] == rows[i]) ++j;
    const double v = (1 + std::log(static_cast<double>(j - i))) * idf_[rows[i]];
    out.push_back({rows[i], v});
    norm += v * v;
    i = j;
  }
  norm = std::sqrt(norm);
  for (auto& [row, v] : out) v /= norm;
  return out;
}

Result<std::unique_ptr<CharNgramLinearModel>> CharNgramLinearModel::Train(const std::vector<LabeledText>& examples,
                                                                         const LinearOptions& options) {
  if (examples.empty()) return InvalidArgument("no training examples");
  auto model = std::unique_ptr<CharNgramLinearModel>(new CharNgramLinearModel());
  std::map<std::string, int> label_index;
  for (const auto& e : examples) label_index[e.label] = 0;
  if (label_index.size() < 2) {
    return InvalidArgument("a classifier needs at least 2 labels; got " + std::to_string(label_index.size()));
  }
  for (auto& [label, index] : label_index) {
    index = static_cast<int>(model->labels_.size());
    model->labels_.push_back(label);
  }

  // Document frequencies; rows numbered in sorted feature order so the
  // vocabulary (and so the model) does not depend on hash-map iteration.
  std::map<std::string, int> documents;
  for (const auto& e : examples) {
    std::vector<std::string> seen;
    ForEachFeature(e.text, [&](const std::string& f) { seen.push_back(f); });
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (auto& f : seen) ++documents[std::move(f)];
  }
  const double n = static_cast<double>(examples.size());
  for (const auto& [feature, df] : documents) {
    if (df < kMinDocuments) continue;
    model->vocabulary_.emplace(feature, static_cast<int>(model->idf_.size()));
    model->idf_.push_back(static_cast<float>(std::log((1 + n) / (1 + df)) + 1));
  }
  if (model->idf_.empty()) return InvalidArgument("no feature occurs in two training messages");

  // liblinear numbers features from 1 and ends each row with index -1.
  std::vector<std::vector<feature_node>> rows;
  std::vector<feature_node*> x;
  std::vector<double> y;
  rows.reserve(examples.size());
  for (const auto& e : examples) {
    std::vector<feature_node> row;
    for (const auto& [index, value] : model->Features(e.text)) row.push_back({index + 1, value});
    row.push_back({-1, 0});
    rows.push_back(std::move(row));
    y.push_back(label_index[e.label]);
  }
  for (auto& row : rows) x.push_back(row.data());
  problem prob{};
  prob.l = static_cast<int>(rows.size());
  prob.n = static_cast<int>(model->idf_.size());
  prob.y = y.data();
  prob.x = x.data();
  prob.bias = -1;
  parameter param{};
  param.solver_type = L2R_LR_DUAL;
  param.eps = 0.1;
  param.C = options.c;
  if (const char* problem_text = check_parameter(&prob, &param)) {
    return InvalidArgument(std::string("liblinear: ") + problem_text);
  }
  set_print_string_function(&Quiet);
  // The dual solver shuffles with rand(): seeding it makes training
  // reproducible (hitlgate trains on one thread).
  std::srand(static_cast<unsigned>(options.seed));
  struct model* trained = train(&prob, &param);
  if (trained == nullptr) return Internal("liblinear training failed");

  // liblinear keeps w as features x classes in the order of trained->label;
  // with two classes, one column scoring label[0] (label[1] gets its negation).
  const int classes = trained->nr_class;
  const int columns = classes == 2 ? 1 : classes;
  const size_t labels = model->labels_.size();
  model->weights_.assign(model->idf_.size() * labels, 0.0f);
  for (int k = 0; k < classes; ++k) {
    const int label = trained->label[k];
    const int column = classes == 2 ? 0 : k;
    const float sign = classes == 2 && k == 1 ? -1.0f : 1.0f;
    for (size_t row = 0; row < model->idf_.size(); ++row) {
      model->weights_[row * labels + label] = sign * static_cast<float>(trained->w[row * columns + column]);
    }
  }
  free_and_destroy_model(&trained);
  return model;
}

std::vector<double> CharNgramLinearModel::Probabilities(std::string_view text) const {
  const size_t labels = labels_.size();
  // Float sums: the loop over labels is what vectorizes.
  std::vector<float> sums(labels, 0.0f);
  for (const auto& [row, value] : Features(text)) {
    const float* w = &weights_[static_cast<size_t>(row) * labels];
    const float v = static_cast<float>(value);
    for (size_t k = 0; k < labels; ++k) sums[k] += v * w[k];
  }
  std::vector<double> scores(labels);
  double total = 0;
  for (size_t k = 0; k < labels; ++k) {
    scores[k] = 1 / (1 + std::exp(-static_cast<double>(sums[k])));
    total += scores[k];
  }
  for (double& s : scores) s /= total;
  return scores;
}

Result<void> CharNgramLinearModel::Save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(kMagic.data(), static_cast<std::streamsize>(kMagic.size()));
  Put<std::uint32_t>(out, static_cast<std::uint32_t>(labels_.size()));
  for (const auto& l : labels_) PutString(out, l);
  // Rows in index order, so loading needs no sort.
  std::vector<const std::string*> features(idf_.size());
  for (const auto& [feature, row] : vocabulary_) features[row] = &feature;
  Put<std::uint32_t>(out, static_cast<std::uint32_t>(features.size()));
  for (size_t row = 0; row < features.size(); ++row) {
    PutString(out, *features[row]);
    Put<float>(out, idf_[row]);
  }
  out.write(reinterpret_cast<const char*>(weights_.data()),
            static_cast<std::streamsize>(weights_.size() * sizeof(float)));
  if (!out) return MakeError(ErrorCode::kUnavailable, "cannot write " + path);
  return {};
}

Result<std::unique_ptr<CharNgramLinearModel>> CharNgramLinearModel::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::string magic(kMagic.size(), '\0');
  if (!in.read(magic.data(), static_cast<std::streamsize>(magic.size())) || magic != kMagic) {
    return InvalidArgument(path + " is not a hitlgate linear triage model");
  }
  auto model = std::unique_ptr<CharNgramLinearModel>(new CharNgramLinearModel());
  const auto truncated = [&] { return InvalidArgument(path + ": truncated or corrupt linear model"); };
  std::uint32_t labels = 0, rows = 0;
  if (!Get(in, &labels) || labels < 2 || labels > 100000) return truncated();
  model->labels_.resize(labels);
  for (auto& l : model->labels_) {
    if (!GetString(in, &l)) return truncated();
  }
  if (!Get(in, &rows) || rows == 0 || rows > 50'000'000) return truncated();
  model->idf_.resize(rows);
  std::string feature;
  for (std::uint32_t row = 0; row < rows; ++row) {
    if (!GetString(in, &feature) || !Get(in, &model->idf_[row])) return truncated();
    model->vocabulary_.emplace(feature, static_cast<int>(row));
  }
  model->weights_.resize(static_cast<size_t>(rows) * labels);
  if (!in.read(reinterpret_cast<char*>(model->weights_.data()),
               static_cast<std::streamsize>(model->weights_.size() * sizeof(float)))) {
    return truncated();
  }
  if (in.peek() != std::char_traits<char>::eof()) return InvalidArgument(path + ": trailing bytes after the model");
  return model;
}

}  // namespace hitlgate::triage
