// Language detection in two stages, because CLD2 costs about 10 µs per call
// (it allocates and clears its scoring buffers every time) and the whole
// decision must stay under 10 µs:
//   1. function words of the six languages contact centers here mostly see
//      ("ich", "nicht", "je", "pas", "quiero", "voglio", "não"...): a message
//      with at least two of one language's and clearly fewer of any other's
//      is that language. Most customer messages are decided here, in well
//      under a microsecond, with no allocation.
//   2. otherwise CLD2 (Debian's libcld2), which knows some eighty languages;
//      an answer it does not call reliable is "" for a short text.
#include "hitlgate/signals/language.h"

// compact_lang_det.h uses FILE without including <cstdio>.
#include <cstdio>
#include <cld2/public/compact_lang_det.h>
#include <cld2/internal/lang_script.h>

#include <array>
#include <cstdint>

namespace hitlgate::signals {
namespace {

constexpr int kLanguages = 6;
constexpr std::array<std::string_view, kLanguages> kCodes = {"en", "de", "fr", "es", "it", "pt"};

// Frequent words that are (nearly) only one language's; words two languages
// share ("a", "de", "la", "que", "no", "con", "es", "do") are left out or
// listed under each, so they cancel.
constexpr std::string_view kEnglish[] = {
    "the", "and", "is", "are", "you", "your", "my", "to", "not", "this", "with", "what",
    "can", "have", "was", "it", "of", "for", "want", "please", "why", "don't", "order"};
constexpr std::string_view kGerman[] = {
    "ich", "nicht", "und", "ist", "das", "die", "der", "mit", "sie", "mein", "meine", "ein",
    "eine", "einen", "einem", "bitte", "wie", "warum", "kein", "keine", "sprechen", "habe",
    "auf", "sich", "noch", "auch", "möchte", "wir", "zum", "bei", "schon", "immer",
    "jetzt", "sofort", "mir", "mich", "dass", "aber", "oder", "wieder", "endlich", "ihr", "ihnen"};
constexpr std::string_view kFrench[] = {
    "je", "pas", "est", "les", "des", "vous", "une", "et", "avec", "mon", "ma", "mes", "pour",
    "sur", "ce", "cette", "qui", "il", "nous", "au", "aux", "du", "suis", "veux", "voudrais",
    "parler", "ne", "j'ai", "c'est", "n'est", "toujours", "encore", "merci", "votre", "vos",
    "être", "fait", "rien", "mais", "avocat", "tout"};
constexpr std::string_view kSpanish[] = {
    "el", "los", "las", "y", "una", "por", "para", "pero", "mi", "mis", "quiero",
    "hablar", "usted", "ustedes", "yo", "su", "muy", "nada", "está", "estoy", "hay", "también",
    "ya", "otra", "vez", "gracias", "pedido", "abogado", "todavía", "aún", "necesito", "porque",
    "del", "al", "qué", "cómo", "sí", "he", "ha"};
constexpr std::string_view kItalian[] = {
    "il", "di", "che", "non", "è", "sono", "per", "una", "gli", "mi", "io", "voglio",
    "parlare", "ho", "ha", "mio", "mia", "ancora", "grazie", "perché", "questo", "questa",
    "nel", "della", "del", "alla", "anche", "già", "vostro", "avvocato", "niente", "ordine",
    "sempre", "molto", "ma", "ed", "qualcuno", "sei"};
constexpr std::string_view kPortuguese[] = {
    "não", "é", "eu", "um", "uma", "os", "da", "dos", "das", "com", "para",
    "meu", "minha", "quero", "falar", "você", "vocês", "está", "estou", "isso", "isto", "mais",
    "ainda", "obrigado", "obrigada", "pedido", "advogado", "nada", "já", "também", "muito",
    "porque", "tenho", "preciso", "em", "na", "ao", "pelo", "pela", "vou", "foi", "sem"};

struct WordList {
  const std::string_view* words;
  size_t size;
};
constexpr std::array<WordList, kLanguages> kLists = {
    WordList{kEnglish, std::size(kEnglish)},       WordList{kGerman, std::size(kGerman)},
    WordList{kFrench, std::size(kFrench)},         WordList{kSpanish, std::size(kSpanish)},
    WordList{kItalian, std::size(kItalian)},       WordList{kPortuguese, std::size(kPortuguese)}};

constexpr bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'' || c >= 0x80;
}

// Lower-cases ASCII and the Latin-1 capitals of UTF-8 (Ä Ö Ü É À Ç ...,
// U+00C0..U+00DE: C3 80..C3 9E -> C3 A0..C3 BE) into `out`; false when the
// word does not fit.
bool LowerWord(std::string_view w, char* out, size_t cap, size_t* len) {
  if (w.size() > cap) return false;
  for (size_t k = 0; k < w.size(); ++k) {
    unsigned char c = static_cast<unsigned char>(w[k]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    if (k > 0 && static_cast<unsigned char>(w[k - 1]) == 0xC3 && c >= 0x80 && c <= 0x9E && c != 0x97)
      c = static_cast<unsigned char>(c + 0x20);
    out[k] = static_cast<char>(c);
  }
  *len = w.size();
  return true;
}

// Typographic apostrophe (U+2019) as '.
size_t StraightenApostrophes(char* w, size_t n) {
  size_t o = 0;
  for (size_t k = 0; k < n; ++k) {
    if (k + 2 < n && static_cast<unsigned char>(w[k]) == 0xE2 &&
        static_cast<unsigned char>(w[k + 1]) == 0x80 && static_cast<unsigned char>(w[k + 2]) == 0x99) {
      w[o++] = '\'';
      k += 2;
    } else {
      w[o++] = w[k];
    }
  }
  return o;
}

// Stage 1: which language's function words dominate, or -1.
int ByFunctionWords(std::string_view text) {
  std::array<int, kLanguages> hits{};
  size_t i = 0;
  int words = 0;
  constexpr int kMaxWords = 64;  // enough to tell; bounds the cost of long texts
  while (i < text.size() && words < kMaxWords) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    const size_t start = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) break;
    ++words;
    char buf[24];
    size_t n = 0;
    if (!LowerWord(text.substr(start, i - start), buf, sizeof buf, &n)) continue;
    n = StraightenApostrophes(buf, n);
    const std::string_view w(buf, n);
    for (int l = 0; l < kLanguages; ++l) {
      for (size_t k = 0; k < kLists[l].size; ++k) {
        if (kLists[l].words[k] == w) {
          ++hits[l];
          break;
        }
      }
    }
  }
  int best = -1, best_hits = 0, second = 0;
  for (int l = 0; l < kLanguages; ++l) {
    if (hits[l] > best_hits) {
      second = best_hits;
      best_hits = hits[l];
      best = l;
    } else if (hits[l] > second) {
      second = hits[l];
    }
  }
  if (best_hits >= 2 && best_hits >= 2 * second + 1) return best;
  return -1;
}

}  // namespace

std::string_view DetectLanguage(std::string_view text) {
  if (text.empty()) return "";
  if (const int l = ByFunctionWords(text); l >= 0) return kCodes[l];
  // CLD2 reads at most this much: more tells it nothing new about a message.
  constexpr size_t kCld2Limit = 4096;
  const int length = static_cast<int>(std::min(text.size(), kCld2Limit));
  bool reliable = false;
  int valid = 0;
  CLD2::Language lang =
      CLD2::DetectLanguageCheckUTF8(text.data(), length, true, &reliable, &valid);
  if (valid < length && valid > 0) {
    lang = CLD2::DetectLanguageCheckUTF8(text.data(), valid, true, &reliable, &valid);
  }
  if (lang == CLD2::UNKNOWN_LANGUAGE || !reliable) return "";
  const char* code = CLD2::LanguageCode(lang);
  return code != nullptr ? std::string_view(code) : std::string_view();
}

}  // namespace hitlgate::signals
