// Tokenizing, negation and intensity for the learned per-language sentiment
// (learned_sentiment.h). The text is read once, left to right, with no
// copies but one stack buffer per word.
#include "signals/learned_sentiment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

namespace hitlgate::signals::internal {
namespace {

constexpr std::array<std::string_view, kLearnedLanguages> kCodes = {"de", "fr", "es", "it", "pt"};
constexpr std::array<std::string_view, kLearnedLanguages> kFolders = {"german", "french", "spanish",
                                                                      "italian", "portuguese"};

constexpr double kNegation = -0.74;  // VADER's negation scalar
constexpr double kBoost = 1.3;
constexpr int kNegationReach = 3;    // words back
constexpr std::size_t kMaxWordBytes = 48;
constexpr std::size_t kMaxTextBytes = 4096;

// Negators of each language, lower-case. French "n'" (n'est, n'ai) is
// recognized by its prefix.
constexpr std::string_view kNegDe[] = {"nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines",
                                       "nie", "niemals", "nichts", "nix", "ohne", "weder", "ned", "net", "nich",
                                       "nimmer"};
constexpr std::string_view kNegFr[] = {"ne", "pas", "jamais", "rien", "sans", "aucun", "aucune", "ni",
                                       "personne"};
constexpr std::string_view kNegEs[] = {"no", "nunca", "jamás", "jamas", "sin", "ni", "nada", "tampoco",
                                       "ningún", "ningun", "ninguna", "ninguno", "nadie"};
constexpr std::string_view kNegIt[] = {"non", "mai", "senza", "né", "niente", "nessuno", "nessuna",
                                       "nulla", "no", "nn", "neanche", "nemmeno", "neppure"};
constexpr std::string_view kNegPt[] = {"não", "nao", "nunca", "jamais", "sem", "nem", "nada", "nenhum",
                                       "nenhuma", "n", "ñ", "ninguém", "ninguem"};
// Boosters: the word right after is stronger.
constexpr std::string_view kBoostDe[] = {"sehr", "so", "total", "voll", "echt", "extrem", "mega",
                                         "super", "richtig", "wirklich", "ziemlich", "äußerst",
                                         "besonders", "absolut", "zu", "unglaublich"};
constexpr std::string_view kBoostFr[] = {"très", "tres", "trop", "si", "vraiment", "tellement", "super",
                                         "hyper", "extrêmement", "vachement", "grave", "carrément"};
constexpr std::string_view kBoostEs[] = {"muy", "tan", "demasiado", "súper", "super", "bastante",
                                         "realmente", "sumamente", "re", "mega", "tremendamente"};
constexpr std::string_view kBoostIt[] = {"molto", "troppo", "così", "cosi", "davvero", "veramente",
                                         "super", "proprio", "tanto", "estremamente", "assai", "parecchio"};
constexpr std::string_view kBoostPt[] = {"muito", "tão", "tao", "demais", "super", "bem", "bastante",
                                         "realmente", "mega", "extremamente", "mto", "mt"};

template <std::size_t N>
bool In(std::string_view w, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), w) != std::end(list);
}

bool IsNegator(std::string_view w, int language) {
  switch (language) {
    case 0: return In(w, kNegDe);
    case 1: return In(w, kNegFr) || (w.size() > 2 && w[0] == 'n' && w[1] == '\'');
    case 2: return In(w, kNegEs);
    case 3: return In(w, kNegIt);
    case 4: return In(w, kNegPt);
  }
  return false;
}

bool IsBooster(std::string_view w, int language) {
  switch (language) {
    case 0: return In(w, kBoostDe);
    case 1: return In(w, kBoostFr);
    case 2: return In(w, kBoostEs);
    case 3: return In(w, kBoostIt);
    case 4: return In(w, kBoostPt);
  }
  return false;
}

constexpr bool IsAsciiWord(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'';
}
constexpr bool IsSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr bool EndsClause(unsigned char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?';
}
// Length of the UTF-8 sequence led by c (1 for ASCII and stray bytes).
constexpr std::size_t SeqLen(unsigned char c) {
  return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}
// Latin letters with diacritics (U+00C0..U+017F: lead bytes C3..C5) belong
// to words; C2 (¿ ¡ « » ·) does not. Three- and four-byte sequences are
// symbols and emoji, words of their own, except the typographic apostrophe.
constexpr bool IsLetterLead(unsigned char c) { return c >= 0xC3 && c <= 0xC5; }
bool IsTypographicApostrophe(std::string_view text, std::size_t i) {
  return i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 &&
         static_cast<unsigned char>(text[i + 1]) == 0x80 && static_cast<unsigned char>(text[i + 2]) == 0x99;
}

struct Word {
  char buf[kMaxWordBytes + 1];
  std::size_t size = 0;
  bool all_caps = false;
  std::string_view view() const { return {buf, size}; }
};

// Lower-cases ASCII and U+00C0..U+00DE (C3 80..C3 9E, not ×) into w; the
// typographic apostrophe becomes '.
void Lower(std::string_view raw, Word* w) {
  int upper = 0, lower = 0;
  w->size = 0;
  for (std::size_t k = 0; k < raw.size(); ++k) {
    if (IsTypographicApostrophe(raw, k)) {
      w->buf[w->size++] = '\'';
      k += 2;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(raw[k]);
    if (c >= 'A' && c <= 'Z') {
      ++upper;
      c = static_cast<unsigned char>(c + 32);
    } else if (c >= 'a' && c <= 'z') {
      ++lower;
    } else if (k > 0 && static_cast<unsigned char>(raw[k - 1]) == 0xC3 && c >= 0x80 && c <= 0x9E &&
               c != 0x97) {
      c = static_cast<unsigned char>(c + 0x20);
    }
    w->buf[w->size++] = static_cast<char>(c);
  }
  w->all_caps = upper >= 2 && lower == 0;
}

}  // namespace

int LearnedLanguageIndex(std::string_view code) {
  if (code.size() < 2 || (code.size() > 2 && code[2] != '-' && code[2] != '_')) return -1;
  const char a = static_cast<char>(code[0] | 0x20), b = static_cast<char>(code[1] | 0x20);
  for (int l = 0; l < kLearnedLanguages; ++l) {
    if (kCodes[l][0] == a && kCodes[l][1] == b) return l;
  }
  return -1;
}

std::string_view LearnedLanguageCode(int index) { return kCodes[index]; }
std::string_view LearnedLanguageFolder(int index) { return kFolders[index]; }

int CountExclamations(std::string_view text) {
  return static_cast<int>(std::min<std::ptrdiff_t>(std::count(text.begin(), text.end(), '!'), 4));
}

void ForEachSentimentFeature(std::string_view text, int language,
                             void (*f)(void* ctx, std::string_view feature, double value), void* ctx) {
  text = text.substr(0, kMaxTextBytes);
  bool has_lower = false;
  for (char c : text) has_lower = has_lower || (c >= 'a' && c <= 'z');
  // Words since the last negator of this clause (kNegationReach + 1 = none).
  int since_negator = kNegationReach + 1;
  bool boost_next = false;
  std::size_t i = 0;
  Word w;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (EndsClause(c)) {
      since_negator = kNegationReach + 1;
      boost_next = false;
      ++i;
      continue;
    }
    // Mentions and links say nothing about the mood: skip to the next space.
    if (c == '@' || text.substr(i, 4) == "http") {
      while (i < text.size() && !IsSpace(static_cast<unsigned char>(text[i]))) ++i;
      continue;
    }
    const std::size_t len = SeqLen(c);
    if (len >= 3 && !IsTypographicApostrophe(text, i)) {
      // A symbol or emoji: a word of its own, not negated or boosted.
      if (i + len <= text.size()) f(ctx, text.substr(i, len), 1.0);
      i += len;
      continue;
    }
    if (!IsAsciiWord(c) && !IsLetterLead(c) && !IsTypographicApostrophe(text, i)) {
      i += len;  // other punctuation, C2 symbols, stray bytes
      continue;
    }
    const std::size_t start = i;
    while (i < text.size()) {
      const unsigned char d = static_cast<unsigned char>(text[i]);
      if (IsAsciiWord(d)) {
        ++i;
      } else if (IsLetterLead(d) && i + 1 < text.size()) {
        i += 2;
      } else if (IsTypographicApostrophe(text, i)) {
        i += 3;
      } else {
        break;
      }
    }
    const std::string_view raw = text.substr(start, i - start);
    if (raw.size() > kMaxWordBytes) continue;
    Lower(raw, &w);
    const std::string_view word = w.view();
    const bool negator = IsNegator(word, language), booster = IsBooster(word, language);
    if (negator || booster) {
      // As in VADER, they change the words after them and have no valence
      // of their own: "nicht gut" is "gut" negated, not "nicht" + "gut".
      since_negator = negator ? 1 : since_negator + 1;
      boost_next = booster;
      continue;
    }
    double value = 1.0;
    if (since_negator <= kNegationReach) value *= kNegation;
    if (boost_next) value *= kBoost;
    if (w.all_caps && has_lower) value *= kBoost;
    f(ctx, word, value);
    if (const double valence = ContactCenterValence(word, language); valence != 0.0) {
      f(ctx, kLexiconFeature, value * valence);
    }
    if (word.size() > kStemBytes) {
      // The stem must not end inside a UTF-8 sequence.
      std::size_t cut = kStemBytes;
      while (cut > 0 && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) --cut;
      char stem[kStemBytes + 1];
      std::copy_n(word.data(), cut, stem);
      stem[cut] = '~';
      f(ctx, std::string_view(stem, cut + 1), value);
    }
    ++since_negator;
    boost_next = false;
  }
}

namespace {

// One hash map per language over the compiled-in weights, built on first
// use: a lookup per word is one hash and one compare, where a binary search
// over ~2,500 strings was a dozen compares (measured: a tenth of a decision).
using WeightMap = std::unordered_map<std::string_view, float>;

const WeightMap& Weights(int language) {
  static const std::array<WeightMap, kLearnedLanguages>* maps = [] {
    auto* m = new std::array<WeightMap, kLearnedLanguages>;
    for (int l = 0; l < kLearnedLanguages; ++l) {
      const LearnedModel& model = LearnedSentimentModel(l);
      (*m)[l].reserve(model.count);
      for (std::size_t k = 0; k < model.count; ++k) (*m)[l].emplace(model.weights[k].feature, model.weights[k].weight);
    }
    return m;
  }();
  return (*maps)[language];
}

double WeightOf(const WeightMap& weights, std::string_view feature) {
  const auto it = weights.find(feature);
  return it == weights.end() ? 0.0 : it->second;
}

}  // namespace

SentimentScore ScoreLearned(std::string_view text, int language, double english_compound) {
  const LearnedModel& model = LearnedSentimentModel(language);
  struct Sum {
    const WeightMap* weights;
    double total = 0, positive = 0, negative = 0;
    int words = 0;
  } sum{&Weights(language)};
  {
    const double v = english_compound * WeightOf(*sum.weights, kEnglishFeature);
    sum.total += v;
    (v > 0 ? sum.positive : sum.negative) += std::abs(v);
  }
  ForEachSentimentFeature(
      text, language,
      [](void* ctx, std::string_view feature, double value) {
        auto* s = static_cast<Sum*>(ctx);
        if (feature != kLexiconFeature && (feature.empty() || feature.back() != '~')) ++s->words;
        const double weight = WeightOf(*s->weights, feature);
        if (weight == 0.0) return;
        const double v = value * weight;
        s->total += v;
        (v > 0 ? s->positive : s->negative) += std::abs(v);
      },
      &sum);
  SentimentScore score;
  score.exclamations = CountExclamations(text);
  double logit = sum.total;
  if (logit != 0) logit += (logit > 0 ? 1 : -1) * model.exclamation * score.exclamations;
  score.compound = std::tanh(logit / 2);
  const double mass = sum.positive + sum.negative + std::max(0, sum.words) * 0.1;
  if (mass > 0) {
    score.positive = sum.positive / mass;
    score.negative = sum.negative / mass;
  }
  return score;
}

}  // namespace hitlgate::signals::internal
