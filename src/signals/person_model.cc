// Feature extraction and scoring of the "asks for a person" model.
#include "signals/person_model.h"

#include <cmath>
#include <string_view>

#include "signals/phrase_vocabulary.h"
#include "signals/word_index.h"

namespace hitlgate::signals::internal {
namespace {

constexpr bool IsTokenByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' ||
         c >= 0x80;
}

std::uint64_t Mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

std::uint64_t HashToken(std::string_view w) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : w) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return Mix(h);
}

// Word -> WordClass, for the words that have one.
const WordIndex& Classes() {
  static const WordIndex* classes = [] {
    auto* index = new WordIndex;
    index->Reserve(PhraseVocabulary().size() + 8);
    auto add = [&](std::string_view w, WordClass c) { index->Add(w, static_cast<std::uint32_t>(c)); };
    for (const VocabularyWord& w : PhraseVocabulary()) {
      if (w.word_class != WordClass::kOther) add(w.word, w.word_class);
    }
    // Short words the vocabulary (four letters or more) leaves out.
    add("bot", WordClass::kBot);
    add("ai", WordClass::kBot);
    add("rep", WordClass::kPerson);
    add("reps", WordClass::kPerson);
    add("put", WordClass::kPass);
    return index;
  }();
  return *classes;
}

int Bucket(std::uint64_t h) { return static_cast<int>(h & (kPersonModelBuckets - 1)); }

}  // namespace

void ForEachPersonFeature(std::string_view normalized, void (*add)(void*, int), void* context) {
  const auto& classes = Classes();
  // The symbol of a word in bigrams: its class when it has one, else the word.
  std::uint64_t previous = Mix(0x5354415254ull);  // start of message
  std::uint64_t before_previous = previous;
  int tokens = 0;
  std::size_t i = 0;
  while (i < normalized.size() && tokens < kPersonModelMaxTokens) {
    if (!IsTokenByte(static_cast<unsigned char>(normalized[i]))) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < normalized.size() && IsTokenByte(static_cast<unsigned char>(normalized[i]))) ++i;
    const std::string_view word = normalized.substr(start, i - start);
    ++tokens;
    const std::uint64_t raw = HashToken(word);
    std::uint64_t symbol = raw;
    if (const std::uint32_t c = classes.Find(word); c != WordIndex::kAbsent) {
      symbol = Mix(0xC1A550000ull + static_cast<std::uint64_t>(c));
      add(context, Bucket(symbol));  // the class alone
    }
    add(context, Bucket(raw ^ 0x9E3779B97F4A7C15ull));          // the word alone
    add(context, Bucket(Mix(previous * 31 + symbol)));          // bigram
    add(context, Bucket(Mix(before_previous * 961 + previous * 31 + symbol) ^ 0x7777));  // trigram
    before_previous = previous;
    previous = symbol;
  }
}

PersonMentions FindPersonMentions(std::string_view normalized) {
  const auto& classes = Classes();
  PersonMentions out;
  std::size_t i = 0;
  while (i < normalized.size()) {
    if (!IsTokenByte(static_cast<unsigned char>(normalized[i]))) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < normalized.size() && IsTokenByte(static_cast<unsigned char>(normalized[i]))) ++i;
    // Words of a class are 2..15 letters: skip the hash for the rest.
    if (i - start < 2 || i - start > 15) continue;
    const std::uint32_t c = classes.Find(normalized.substr(start, i - start));
    if (c == WordIndex::kAbsent) continue;
    if (c == static_cast<std::uint32_t>(WordClass::kBot)) out.bot = true;
    if (c != static_cast<std::uint32_t>(WordClass::kPerson)) continue;
    if (out.count < PersonMentions::kMax) out.positions[out.count] = static_cast<std::uint32_t>(start);
    ++out.count;
  }
  return out;
}

float PersonModelProbability(std::string_view normalized) {
  const PersonModelParameters& p = PersonModel();
  struct Sum {
    const PersonModelParameters* p;
    int total = 0;
  } sum{&p};
  ForEachPersonFeature(
      normalized, [](void* c, int bucket) { static_cast<Sum*>(c)->total += static_cast<Sum*>(c)->p->weights[bucket]; },
      &sum);
  const double z = p.bias + p.scale * sum.total;
  return static_cast<float>(1.0 / (1.0 + std::exp(-z)));
}

}  // namespace hitlgate::signals::internal
