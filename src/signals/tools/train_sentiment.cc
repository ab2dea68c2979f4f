// train_sentiment: fits the per-language sentiment models (learned_sentiment.h)
// and prints them as C++ source, or measures the compiled-in ones.
//
//   train_sentiment [DATA_DIR] > src/signals/learned_sentiment_weights.cc
//   train_sentiment --eval [DATA_DIR]
//
// Data, read in place from DATA_DIR/xlmt_sentiment/<language>/ (never copied):
// the TRAIN split fits the models (negative vs positive tweets; neutral ones
// are left out); the regularization strength is chosen by 5-fold
// cross-validation inside the train split. --eval scores the VALIDATION
// split, which training never reads, with the scorer the engine uses (the
// learned model for de/fr/es/it/pt, the English lexicon for en, and the
// English lexicon on every language for comparison) and prints the AUC of
// negative vs positive, and how often DetectLanguage names the language of
// those (negative and positive) tweets.
//
// Logistic regression, full-batch AdaGrad with L2, deterministic (fixed fold
// assignment, no shuffling); features and their negation/intensity
// multipliers come from ForEachSentimentFeature, exactly as at run time.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "hitlgate/signals/language.h"
#include "hitlgate/signals/sentiment.h"
#include "signals/learned_sentiment.h"

namespace {

using namespace hitlgate::signals;

struct Doc {
  std::string text;
  int label;  // 0 negative, 2 positive
};

std::vector<Doc> Read(const std::string& dir, const std::string& split) {
  std::ifstream texts(dir + "/" + split + "_text.txt"), labels(dir + "/" + split + "_labels.txt");
  std::vector<Doc> out;
  std::string t, l;
  while (std::getline(texts, t) && std::getline(labels, l)) {
    const int label = std::atoi(l.c_str());
    if (label == 0 || label == 2) out.push_back({t, label});
  }
  return out;
}

using Sparse = std::vector<std::pair<int, double>>;

struct Featurizer {
  std::unordered_map<std::string, int> index;
  std::vector<std::string> names;
  bool grow = true;

  Sparse Features(const std::string& text, int language) {
    std::map<int, double> sums;
    // The English lexicon's score, for emoji and the English customers mix in.
    {
      static const auto english = SentimentScorer::Default();
      auto it = index.find(std::string(internal::kEnglishFeature));
      if (it == index.end()) {
        it = index.emplace(std::string(internal::kEnglishFeature), static_cast<int>(names.size())).first;
        names.emplace_back(internal::kEnglishFeature);
      }
      sums[it->second] += english->Score(text).compound;
    }
    struct Ctx {
      Featurizer* self;
      std::map<int, double>* sums;
    } ctx{this, &sums};
    internal::ForEachSentimentFeature(
        text, language,
        [](void* c, std::string_view feature, double value) {
          auto* x = static_cast<Ctx*>(c);
          auto it = x->self->index.find(std::string(feature));
          if (it == x->self->index.end()) {
            if (!x->self->grow) return;
            it = x->self->index.emplace(std::string(feature), static_cast<int>(x->self->names.size())).first;
            x->self->names.emplace_back(feature);
          }
          (*x->sums)[it->second] += value;
        },
        &ctx);
    return Sparse(sums.begin(), sums.end());
  }
};

constexpr double kOtherLanguageWeight = 0.25;

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// Weights (last one the bias) minimizing mean log loss + l2/2 |w|^2.
std::vector<double> Fit(const std::vector<Sparse>& x, const std::vector<int>& y, const std::vector<double>& weight,
                        int features, double l2) {
  std::vector<double> w(features + 1, 0.0), g2(features + 1, 1e-8), grad(features + 1);
  constexpr int kEpochs = 300;
  constexpr double kRate = 0.5;
  double n = 0;
  for (double v : weight) n += v;
  for (int epoch = 0; epoch < kEpochs; ++epoch) {
    std::fill(grad.begin(), grad.end(), 0.0);
    for (size_t i = 0; i < x.size(); ++i) {
      double z = w[features];
      for (auto [f, v] : x[i]) z += w[f] * v;
      const double err = (Sigmoid(z) - y[i]) * weight[i];
      for (auto [f, v] : x[i]) grad[f] += err * v / n;
      grad[features] += err / n;
    }
    for (int f = 0; f <= features; ++f) {
      if (f < features) grad[f] += l2 * w[f];
      g2[f] += grad[f] * grad[f];
      w[f] -= kRate * grad[f] / std::sqrt(g2[f]);
    }
  }
  return w;
}

double Auc(const std::vector<double>& scores, const std::vector<int>& y) {
  double pairs = 0, wins = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (y[i] != 1) continue;
    for (size_t j = 0; j < scores.size(); ++j) {
      if (y[j] != 0) continue;
      pairs += 1;
      wins += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
    }
  }
  return pairs > 0 ? wins / pairs : 0.5;
}

double Score(const std::vector<double>& w, const Sparse& x, int features) {
  double z = 0;
  for (auto [f, v] : x) z += (f < features ? w[f] : 0.0) * v;
  return z;
}

// Features seen in at least two training texts: rarer ones are noise.
std::vector<bool> Frequent(const std::vector<Sparse>& x, int features) {
  std::vector<int> docs(features, 0);
  for (const Sparse& s : x) {
    for (auto [f, v] : s) ++docs[f];
  }
  std::vector<bool> keep(features);
  for (int f = 0; f < features; ++f) keep[f] = docs[f] >= 2;
  return keep;
}

std::vector<Sparse> Filter(const std::vector<Sparse>& x, const std::vector<bool>& keep) {
  std::vector<Sparse> out;
  for (const Sparse& s : x) {
    Sparse t;
    for (auto p : s) {
      if (keep[p.first]) t.push_back(p);
    }
    out.push_back(std::move(t));
  }
  return out;
}

bool ValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

std::string Literal(const std::string& s) {
  const bool raw = ValidUtf8(s);
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && !raw)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

int Generate(const std::string& data) {
  std::printf(
      "// Generated by src/signals/tools/train_sentiment.cc from the XLM-T tweets'\n"
      "// train splits (../shared/data/xlmt_sentiment); do not edit. Regenerate:\n"
      "//   build/<dir>/src/signals/train_sentiment > src/signals/learned_sentiment_weights.cc\n"
      "#include \"signals/learned_sentiment.h\"\n\nnamespace hitlgate::signals::internal {\nnamespace {\n\n");
  std::string models;
  for (int l = 0; l < internal::kLearnedLanguages; ++l) {
    const std::string dir = data + "/xlmt_sentiment/" + std::string(internal::LearnedLanguageFolder(l));
    const std::vector<Doc> train = Read(dir, "train");
    if (train.empty()) {
      std::fprintf(stderr, "train_sentiment: no training data in %s\n", dir.c_str());
      return 1;
    }
    Featurizer fz;
    std::vector<Sparse> x;
    std::vector<int> y;
    for (const Doc& d : train) {
      x.push_back(fz.Features(d.text, l));
      y.push_back(d.label == 2 ? 1 : 0);
    }
    const size_t own = x.size();
    // The other four languages' tweets, at a lower weight: emoji, English
    // words, names and cognates mean the same there, and there are few
    // tweets per language.
    for (int other = 0; other < internal::kLearnedLanguages; ++other) {
      if (other == l) continue;
      for (const Doc& d : Read(data + "/xlmt_sentiment/" + std::string(internal::LearnedLanguageFolder(other)), "train")) {
        x.push_back(fz.Features(d.text, l));
        y.push_back(d.label == 2 ? 1 : 0);
      }
    }
    std::vector<double> weight(x.size(), kOtherLanguageWeight);
    std::fill(weight.begin(), weight.begin() + static_cast<std::ptrdiff_t>(own), 1.0);
    const int features = static_cast<int>(fz.names.size());
    x = Filter(x, Frequent(x, features));
    // Regularization by 5-fold cross-validation within the train split.
    double best_l2 = 0, best_auc = -1;
    for (double l2 : {1e-4, 3e-4, 1e-3, 3e-3, 1e-2}) {
      // Folds over this language's tweets; the others are always trained on.
      std::vector<double> scores(own);
      for (int fold = 0; fold < 5; ++fold) {
        std::vector<Sparse> fx;
        std::vector<int> fy;
        std::vector<double> fw;
        for (size_t i = 0; i < x.size(); ++i) {
          if (i >= own || static_cast<int>(i % 5) != fold) fx.push_back(x[i]), fy.push_back(y[i]), fw.push_back(weight[i]);
        }
        const std::vector<double> w = Fit(fx, fy, fw, features, l2);
        for (size_t i = 0; i < own; ++i) {
          if (static_cast<int>(i % 5) == fold) scores[i] = Score(w, x[i], features);
        }
      }
      const double auc = Auc(scores, std::vector<int>(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(own)));
      std::fprintf(stderr, "%s l2=%g cv auc %.3f\n", std::string(internal::LearnedLanguageCode(l)).c_str(), l2, auc);
      if (auc > best_auc) best_auc = auc, best_l2 = l2;
    }
    const std::vector<double> w = Fit(x, y, weight, features, best_l2);
    // Only what this language's tweets use is kept: a word seen only in the
    // other languages would hardly ever be looked up.
    std::vector<bool> seen(features, false);
    for (size_t i = 0; i < own; ++i) {
      for (auto [f, v] : x[i]) seen[f] = true;
    }
    std::vector<std::pair<std::string, double>> kept;
    for (int f = 0; f < features; ++f) {
      if (!seen[f]) continue;
      const double rounded = std::round(w[f] * 1000) / 1000;
      if (std::abs(rounded) >= 0.01) kept.emplace_back(fz.names[f], rounded);
    }
    std::sort(kept.begin(), kept.end());
    const std::string code(internal::LearnedLanguageCode(l));
    std::printf("// %s: %zu training texts (+ %zu of the other languages at weight %g), %zu features,\n"
                "// l2 %g (cross-validated AUC on the train split %.3f)\n",
                code.c_str(), own, x.size() - own, kOtherLanguageWeight, kept.size(), best_l2, best_auc);
    std::printf("constexpr LearnedWeight k_%s[] = {\n", code.c_str());
    for (const auto& [name, w_f] : kept) std::printf("    {%s, %.3ff},\n", Literal(name).c_str(), w_f);
    std::printf("};\n\n");
    models += "      LearnedModel{k_" + code + ", std::size(k_" + code + "), kExclamation},\n";
  }
  std::printf(
      "// Per \"!\" (up to four), added in the direction of the sum, like VADER's\n"
      "// punctuation emphasis; set by hand, not learned.\n"
      "constexpr float kExclamation = 0.15f;\n\n"
      "}  // namespace\n\nconst LearnedModel& LearnedSentimentModel(int language) {\n"
      "  static constexpr LearnedModel kModels[] = {\n%s  };\n  return kModels[language];\n}\n\n"
      "}  // namespace hitlgate::signals::internal\n",
      models.c_str());
  return 0;
}

int Evaluate(const std::string& data) {
  const char* folders[] = {"english", "german", "french", "spanish", "italian", "portuguese"};
  const char* codes[] = {"en", "de", "fr", "es", "it", "pt"};
  const auto english = SentimentScorer::Default();
  std::printf("validation split, negative vs positive: AUC\n");
  std::printf("%-4s %6s %15s %16s %11s %17s\n", "lang", "texts", "english lexicon", "engine (learned)",
              "zero scores", "language detected");
  for (int k = 0; k < 6; ++k) {
    const std::vector<Doc> val = Read(data + "/xlmt_sentiment/" + folders[k], "val");
    if (val.empty()) {
      std::printf("%-4s skipped (no data)\n", codes[k]);
      continue;
    }
    std::vector<double> before, after;
    std::vector<int> y;
    int zeros = 0, detected = 0;
    for (const Doc& d : val) {
      detected += DetectLanguage(d.text) == codes[k];
      y.push_back(d.label == 2 ? 1 : 0);
      before.push_back(english->Score(d.text).compound);
      after.push_back(english->Score(d.text, codes[k]).compound);
      zeros += after.back() == 0.0;
    }
    std::printf("%-4s %6zu %15.3f %16.3f %10.0f%% %16.1f%%\n", codes[k], val.size(), Auc(before, y), Auc(after, y),
                100.0 * zeros / static_cast<double>(val.size()), 100.0 * detected / static_cast<double>(val.size()));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool eval = false;
  std::string data = HITLGATE_SHARED_DATA;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--eval") {
      eval = true;
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: train_sentiment [--eval] [DATA_DIR]\n");
      return 0;
    } else {
      data = a;
    }
  }
  return eval ? Evaluate(data) : Generate(data);
}
