// A VADER-style scorer (Hutto & Gilbert, ICWSM 2014), written here because no
// Debian package ships one for C++. The steps, in VADER's order: word
// valences; ALL-CAPS emphasis when the text mixes case; boosters and
// dampeners up to three words back (decaying 1, 0.95, 0.9); negation up to
// three words back (x -0.74); "but" shifts weight to what follows (0.5 before,
// 1.5 after); "!" and "?" amplify; the sum is normalized x / sqrt(x^2 + 15).
#include "hitlgate/signals/sentiment.h"

#include <array>
#include <cctype>
#include <charconv>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <unordered_map>

#include "signals/builtin_lexicon.h"

namespace hitlgate::signals {

namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using WordMap = std::unordered_map<std::string, double, StringHash, std::equal_to<>>;

constexpr double kBoostCaps = 0.733;
constexpr double kNegationScalar = -0.74;
constexpr double kAlpha = 15.0;
constexpr int kMaxWords = 512;       // longer texts: the rest is ignored
constexpr size_t kMaxWordBytes = 48;  // longer tokens are not words we know

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c == '\'' || c == '-' || c >= 0x80; }

bool IsAllCaps(std::string_view w) {
  bool letter = false;
  for (unsigned char c : w) {
    if (std::islower(c)) return false;
    if (std::isupper(c)) letter = true;
  }
  return letter && w.size() > 1;
}

}  // namespace

class SentimentLexicon {
 public:
  WordMap words;
  WordMap boosters;
  WordMap negations;  // value unused

  double Find(const WordMap& m, std::string_view key) const {
    auto it = m.find(key);
    return it == m.end() ? 0.0 : it->second;
  }
  bool Has(const WordMap& m, std::string_view key) const { return m.find(key) != m.end(); }

  static std::shared_ptr<SentimentLexicon> Builtin() {
    auto lex = std::make_shared<SentimentLexicon>();
    for (const auto& e : internal::BuiltinLexicon()) lex->words.emplace(std::string(e.word), e.valence);
    for (const auto& e : internal::Boosters()) lex->boosters.emplace(std::string(e.word), e.valence);
    for (std::string_view n : internal::Negations()) lex->negations.emplace(std::string(n), 0.0);
    return lex;
  }
};

SentimentScorer::SentimentScorer(std::shared_ptr<const SentimentLexicon> lexicon)
    : lexicon_(std::move(lexicon)) {}
SentimentScorer::~SentimentScorer() = default;

std::shared_ptr<const SentimentScorer> SentimentScorer::Default() {
  static const std::shared_ptr<const SentimentScorer> scorer =
      std::make_shared<SentimentScorer>(SentimentLexicon::Builtin());
  return scorer;
}

Result<std::shared_ptr<const SentimentScorer>> SentimentScorer::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound("cannot open lexicon file " + path);
  auto lex = SentimentLexicon::Builtin();
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0) {
      return InvalidArgument(path + ":" + std::to_string(number) +
                             ": expected 'token<TAB>mean valence<TAB>...'");
    }
    size_t end = line.find('\t', tab + 1);
    std::string_view value(line.data() + tab + 1, (end == std::string::npos ? line.size() : end) - tab - 1);
    double valence = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), valence);
    if (ec != std::errc() || ptr != value.data() + value.size() || valence < -4.0 || valence > 4.0) {
      return InvalidArgument(path + ":" + std::to_string(number) + ": valence '" + std::string(value) +
                             "' is not a number in [-4, 4]");
    }
    std::string token = line.substr(0, tab);
    for (char& c : token) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lex->words[token] = valence;
  }
  return std::make_shared<const SentimentScorer>(std::move(lex));
}

SentimentScore SentimentScorer::Score(std::string_view text) const {
  SentimentScore out;
  struct Word {
    std::string_view raw;
    std::array<char, kMaxWordBytes> lower;
    size_t size;
    std::string_view Lower() const { return {lower.data(), size}; }
  };
  std::array<Word, kMaxWords> words;
  int n = 0;
  int caps_words = 0, alpha_words = 0;

  // Push one word (lower-cased copy kept beside the raw view).
  auto push = [&](std::string_view raw) {
    if (n >= kMaxWords || raw.empty() || raw.size() > kMaxWordBytes) return;
    Word& w = words[n++];
    w.raw = raw;
    w.size = raw.size();
    for (size_t k = 0; k < raw.size(); ++k) {
      w.lower[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(raw[k])));
    }
    if (std::any_of(raw.begin(), raw.end(), [](unsigned char c) { return std::isalpha(c); })) {
      ++alpha_words;
      if (IsAllCaps(raw)) ++caps_words;
    }
  };
  // Tokenize on whitespace; strip surrounding punctuation unless the token
  // itself is in the lexicon (emoticons like ":)").
  size_t i = 0;
  std::array<char, kMaxWordBytes> probe;
  while (i < text.size() && n < kMaxWords) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) break;
    std::string_view token = text.substr(start, i - start);
    for (char c : token) out.exclamations += c == '!';
    if (token.size() <= kMaxWordBytes) {
      for (size_t k = 0; k < token.size(); ++k) {
        probe[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(token[k])));
      }
      if (lexicon_->Has(lexicon_->words, std::string_view(probe.data(), token.size()))) {
        push(token);
        continue;
      }
    }
    // Emoji glued to words ("thanks🙏") count on their own.
    for (const auto& emoji : internal::BuiltinEmoji()) {
      if (token.find(emoji.word) != std::string_view::npos) push(emoji.word);
    }
    size_t b = 0, e = token.size();
    while (b < e && !IsWordByte(static_cast<unsigned char>(token[b]))) ++b;
    while (e > b && !IsWordByte(static_cast<unsigned char>(token[e - 1]))) --e;
    push(token.substr(b, e - b));
  }
  out.caps_ratio = alpha_words ? static_cast<double>(caps_words) / alpha_words : 0.0;
  const bool caps_differ = caps_words > 0 && caps_words < alpha_words;

  std::array<double, kMaxWords> valences{};
  int but_index = -1;
  for (int k = 0; k < n; ++k) {
    std::string_view lw = words[k].Lower();
    if (lw == "but" && but_index < 0) but_index = k;
    double v = lexicon_->Find(lexicon_->words, lw);
    if (v == 0.0) {
      for (const auto& emoji : internal::BuiltinEmoji()) {
        if (lw == emoji.word) v = emoji.valence;
      }
    }
    if (v == 0.0 || lexicon_->Has(lexicon_->boosters, lw)) continue;
    if (caps_differ && IsAllCaps(words[k].raw)) v += v > 0 ? kBoostCaps : -kBoostCaps;
    static constexpr double kDecay[] = {1.0, 0.95, 0.9};
    for (int back = 1; back <= 3 && k - back >= 0; ++back) {
      const Word& prev = words[k - back];
      double boost = lexicon_->Find(lexicon_->boosters, prev.Lower());
      if (boost != 0.0) {
        double scalar = v > 0 ? boost : -boost;
        if (caps_differ && IsAllCaps(prev.raw)) scalar += v > 0 ? kBoostCaps : -kBoostCaps;
        v += scalar * kDecay[back - 1];
      }
    }
    for (int back = 1; back <= 3 && k - back >= 0; ++back) {
      std::string_view pw = words[k - back].Lower();
      if (lexicon_->Has(lexicon_->negations, pw) || pw.ends_with("n't")) {
        v *= kNegationScalar;
        break;
      }
    }
    valences[k] = v;
  }
  if (but_index >= 0) {
    for (int k = 0; k < n; ++k) {
      if (k < but_index) valences[k] *= 0.5;
      else if (k > but_index) valences[k] *= 1.5;
    }
  }
  double sum = 0, pos = 0, neg = 0;
  int neutral = 0;
  for (int k = 0; k < n; ++k) {
    double v = valences[k];
    sum += v;
    if (v > 0) pos += v + 1;
    else if (v < 0) neg += v - 1;
    else ++neutral;
  }
  int questions = 0;
  for (char c : text) questions += c == '?';
  double emphasis = std::min(out.exclamations, 4) * 0.292;
  if (questions > 1) emphasis += std::min(questions * 0.18, 0.96);
  if (sum > 0) {
    sum += emphasis;
    pos += emphasis;
  } else if (sum < 0) {
    sum -= emphasis;
    neg -= emphasis;
  }
  out.compound = sum == 0 ? 0.0 : std::clamp(sum / std::sqrt(sum * sum + kAlpha), -1.0, 1.0);
  double total = pos + std::fabs(neg) + neutral;
  if (total > 0) {
    out.positive = pos / total;
    out.negative = std::fabs(neg) / total;
  }
  return out;
}

}  // namespace hitlgate::signals
