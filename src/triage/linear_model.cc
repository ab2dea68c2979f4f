#include "triage/linear_model.h"

#include <linear.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>

namespace hitlgate::triage {
namespace {

constexpr int kMinGram = 2;
constexpr int kMaxGram = 5;
constexpr int kMinDocuments = 2;  // a feature seen once cannot generalize
constexpr size_t kLanes = 8;      // label rows padded to a multiple of this
// Four floats at a time, explicitly: -O2 leaves the loop scalar. (GCC/Clang
// vector extension; SSE on any x86-64, NEON on arm64.)
typedef float Vec4 __attribute__((vector_size(16)));
constexpr std::string_view kMagic = "hitlgate.triage-linear.v1\n";

// Features are known by a 64-bit FNV-1a hash of their bytes: no string is
// built per n-gram at decision time. Among ~10^5 features a collision is
// about a one-in-10^9 event. The first byte keeps the three kinds apart
// ("ab" the letter bigram vs the word "ab").
struct Fnv {
  std::uint64_t h = 14695981039346656037ull;
  Fnv& Add(unsigned char c) {
    h = (h ^ c) * 1099511628211ull;
    return *this;
  }
  Fnv& Add(std::string_view s) {
    for (char c : s) Add(static_cast<unsigned char>(c));
    return *this;
  }
  std::uint64_t Key() const { return h ? h : 1; }  // 0 marks an empty slot
};

// Calls `emit(hash)` for every feature occurrence in the text.
template <typename Emit>
void ForEachFeature(std::string_view text, Emit&& emit) {
  const std::string normalized = NormalizeText(text);
  std::vector<std::string_view> words;
  for (size_t i = 0; i < normalized.size();) {
    const size_t end = std::min(normalized.find(' ', i), normalized.size());
    if (end > i) words.push_back(std::string_view(normalized).substr(i, end - i));
    i = end + 1;
  }
  std::string bounded;
  for (size_t w = 0; w < words.size(); ++w) {
    bounded.assign("<").append(words[w]).append(">");
    for (size_t i = 0; i + kMinGram <= bounded.size(); ++i) {
      Fnv gram;
      gram.Add(1).Add(bounded[i]);
      for (size_t n = 2; n <= kMaxGram && i + n <= bounded.size(); ++n) emit(gram.Add(bounded[i + n - 1]).Key());
    }
    emit(Fnv().Add(2).Add(words[w]).Key());
    emit(Fnv().Add(3).Add(w == 0 ? std::string_view("<s>") : words[w - 1]).Add(' ').Add(words[w]).Key());
  }
  if (!words.empty()) emit(Fnv().Add(3).Add(words.back()).Add(" </s>").Key());
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
  ForEachFeature(text, [&](std::uint64_t key) {
    if (const int row = vocabulary_.Find(key); row >= 0) rows.push_back(row);
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

  // Document frequencies; rows numbered in hash order so the model does not
  // depend on the order of the examples' features.
  std::map<std::uint64_t, int> documents;
  std::vector<std::uint64_t> seen;
  for (const auto& e : examples) {
    seen.clear();
    ForEachFeature(e.text, [&](std::uint64_t key) { seen.push_back(key); });
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (std::uint64_t key : seen) ++documents[key];
  }
  const double n = static_cast<double>(examples.size());
  std::vector<std::uint64_t> keys;
  for (const auto& [key, df] : documents) {
    if (df < kMinDocuments) continue;
    keys.push_back(key);
    model->idf_.push_back(static_cast<float>(std::log((1 + n) / (1 + df)) + 1));
  }
  if (model->idf_.empty()) return InvalidArgument("no feature occurs in two training messages");
  model->vocabulary_ = FeatureTable(keys);

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
  model->stride_ = (model->labels_.size() + kLanes - 1) / kLanes * kLanes;
  model->weights_.assign(model->idf_.size() * model->stride_, 0.0f);
  for (int k = 0; k < classes; ++k) {
    const int label = trained->label[k];
    const int column = classes == 2 ? 0 : k;
    const float sign = classes == 2 && k == 1 ? -1.0f : 1.0f;
    for (size_t row = 0; row < model->idf_.size(); ++row) {
      model->weights_[row * model->stride_ + label] = sign * static_cast<float>(trained->w[row * columns + column]);
    }
  }
  free_and_destroy_model(&trained);
  return model;
}

std::vector<double> CharNgramLinearModel::Probabilities(std::string_view text) const {
  std::vector<float> sums(stride_, 0.0f);
  float* __restrict out = sums.data();
  const std::vector<std::pair<int, double>> features = Features(text);
  // The rows are scattered over megabytes: fetching a few rows ahead cut
  // the time per message by about a tenth (bench/triage_bench).
  constexpr size_t kAhead = 4;
  const auto prefetch = [&](size_t i) {
    const char* row = reinterpret_cast<const char*>(&weights_[static_cast<size_t>(features[i].first) * stride_]);
    for (size_t b = 0; b < stride_ * sizeof(float); b += 64) __builtin_prefetch(row + b);
  };
  for (size_t i = 0; i < std::min(kAhead, features.size()); ++i) prefetch(i);
  for (size_t i = 0; i < features.size(); ++i) {
    if (i + kAhead < features.size()) prefetch(i + kAhead);
    const auto& [row, value] = features[i];
    const float* __restrict w = &weights_[static_cast<size_t>(row) * stride_];
    const float v = static_cast<float>(value);
    const Vec4 vv = {v, v, v, v};
    for (size_t k = 0; k < stride_; k += 4) {
      Vec4 acc, weight;
      std::memcpy(&acc, out + k, sizeof acc);
      std::memcpy(&weight, w + k, sizeof weight);
      acc += vv * weight;
      std::memcpy(out + k, &acc, sizeof acc);
    }
  }
  const size_t labels = labels_.size();
  std::vector<double> scores(labels);
  double total = 0;
  for (size_t k = 0; k < labels; ++k) {
    scores[k] = 1 / (1 + std::exp(-static_cast<double>(sums[k])));
    total += scores[k];
  }
  for (double& s : scores) s /= total;
  return scores;
}

// Rows are saved in index order with their hash and idf, then the weights
// row by row, unpadded: labels x float each.
Result<void> CharNgramLinearModel::Save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(kMagic.data(), static_cast<std::streamsize>(kMagic.size()));
  Put<std::uint32_t>(out, static_cast<std::uint32_t>(labels_.size()));
  for (const auto& l : labels_) PutString(out, l);
  const std::vector<std::uint64_t> keys = vocabulary_.KeysByRow(idf_.size());
  Put<std::uint32_t>(out, static_cast<std::uint32_t>(keys.size()));
  for (size_t row = 0; row < keys.size(); ++row) {
    Put<std::uint64_t>(out, keys[row]);
    Put<float>(out, idf_[row]);
  }
  for (size_t row = 0; row < idf_.size(); ++row) {
    out.write(reinterpret_cast<const char*>(&weights_[row * stride_]),
              static_cast<std::streamsize>(labels_.size() * sizeof(float)));
  }
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
  std::vector<std::uint64_t> keys(rows);
  model->idf_.resize(rows);
  for (std::uint32_t row = 0; row < rows; ++row) {
    if (!Get(in, &keys[row]) || keys[row] == 0 || !Get(in, &model->idf_[row])) return truncated();
  }
  model->vocabulary_ = FeatureTable(keys);
  if (model->vocabulary_.size() != rows) return InvalidArgument(path + ": a feature hash appears twice");
  model->stride_ = (labels + kLanes - 1) / kLanes * kLanes;
  model->weights_.assign(static_cast<size_t>(rows) * model->stride_, 0.0f);
  for (std::uint32_t row = 0; row < rows; ++row) {
    if (!in.read(reinterpret_cast<char*>(&model->weights_[row * model->stride_]),
                 static_cast<std::streamsize>(labels * sizeof(float)))) {
      return truncated();
    }
  }
  if (in.peek() != std::char_traits<char>::eof()) return InvalidArgument(path + ": trailing bytes after the model");
  return model;
}

// ---- FeatureTable -----------------------------------------------------------

FeatureTable::FeatureTable(const std::vector<std::uint64_t>& keys) {
  size_t capacity = 16;
  while (capacity < 2 * keys.size()) capacity *= 2;
  keys_.assign(capacity, 0);
  rows_.assign(capacity, -1);
  mask_ = capacity - 1;
  for (size_t row = 0; row < keys.size(); ++row) {
    size_t slot = keys[row] & mask_;
    while (keys_[slot] != 0 && keys_[slot] != keys[row]) slot = (slot + 1) & mask_;
    if (keys_[slot] == 0) ++size_;
    keys_[slot] = keys[row];
    rows_[slot] = static_cast<int>(row);
  }
}

int FeatureTable::Find(std::uint64_t key) const {
  if (keys_.empty()) return -1;
  for (size_t slot = key & mask_;; slot = (slot + 1) & mask_) {
    if (keys_[slot] == key) return rows_[slot];
    if (keys_[slot] == 0) return -1;
  }
}

std::vector<std::uint64_t> FeatureTable::KeysByRow(size_t rows) const {
  std::vector<std::uint64_t> out(rows, 0);
  for (size_t slot = 0; slot < keys_.size(); ++slot) {
    if (keys_[slot] != 0) out[static_cast<size_t>(rows_[slot])] = keys_[slot];
  }
  return out;
}

}  // namespace hitlgate::triage
