// detection_eval: how well the built-in signals agree with people, on the
// public data sets in ../shared/data (read in place, never copied).
//
//   1. Sentiment: Pearson and Spearman correlation of SentimentScorer's
//      compound score with the mean human rating of every VADER ground-truth
//      file present (vader/icwsm2014_ground_truth/*_GroundTruth.txt), once
//      with the built-in contact-center lexicon and once with
//      vader/vader_lexicon.txt merged over it.
//   2. "Asks for a person" (human_request: phrases after spelling
//      normalization, then the learned model), per source, each row saying
//      whether the model saw it in training:
//        - bitext_intent train split (the model's training data: optimistic),
//        - bitext_intent validation split (held out from the model),
//        - tau_bench customer turns (another domain: retail and airline
//          dialogues; positives labelled by hand, listed in kTauPositives),
//        - clinc150 (another domain's assistant data set, no intent for
//          asking for a person: every hit is a false alarm),
//        - non-English tweets (xlmt_sentiment): must not fire,
//        - hand-written negative controls (people mentioned, nobody asked for),
//        - a typo set: held-back positives with one realistic misspelling
//          each (QWERTY neighbour, dropped, doubled, swapped letter, joined
//          words; fixed seed), and held-back negatives with one too.
//      For information, legal_threat and frustration rates on bitext's
//      complaint intent and on everything else.
//
//   detection_eval [DATA_DIR] [--misses N]
//     DATA_DIR defaults to ../shared/data as configured (HITLGATE_SHARED_DATA).
//     --misses N prints up to N false negatives and N false positives per source.
// Exit status 0 (also when the data are absent: it says "skipped"), 1 when
// the built-in phrase sets do not compile.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bench/data_sets.h"
#include "hitlgate/signals/phrase_matcher.h"
#include "hitlgate/signals/sentiment.h"

namespace {

namespace fs = std::filesystem;
using namespace hitlgate;

double Pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  if (x.size() < 2) return NAN;
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : NAN;
}

// Ranks 1..n, ties get their average rank.
std::vector<double> Ranks(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double r = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) rank[order[k]] = r;
    i = j + 1;
  }
  return rank;
}

double Spearman(const std::vector<double>& x, const std::vector<double>& y) {
  return Pearson(Ranks(x), Ranks(y));
}

struct GroundTruth {
  std::string name;  // "tweets", "amazonReviewSnippets", ...
  std::vector<bench::RatedText> rows;
};

std::vector<GroundTruth> LoadGroundTruth(const std::string& data) {
  std::vector<GroundTruth> out;
  const fs::path dir = fs::path(data) / "vader" / "icwsm2014_ground_truth";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.ends_with("_GroundTruth.txt")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    GroundTruth gt;
    gt.name = f.filename().string();
    gt.name.resize(gt.name.size() - std::string_view("_GroundTruth.txt").size());
    gt.rows = bench::ReadRatedTsv(f.string());
    if (!gt.rows.empty()) out.push_back(std::move(gt));
  }
  return out;
}

void SentimentTable(const std::string& data) {
  std::vector<GroundTruth> sets = LoadGroundTruth(data);
  if (sets.empty()) {
    std::printf("sentiment: skipped: no data at %s/vader/icwsm2014_ground_truth\n\n", data.c_str());
    return;
  }
  struct Lexicon {
    std::string name;
    std::shared_ptr<const signals::SentimentScorer> scorer;
  };
  std::vector<Lexicon> lexicons = {{"built-in", signals::SentimentScorer::Default()}};
  const std::string vader = data + "/vader/vader_lexicon.txt";
  if (auto s = signals::SentimentScorer::FromFile(vader); s) {
    lexicons.push_back({"built-in + vader_lexicon.txt", *s});
  } else {
    std::printf("(vader_lexicon.txt not loaded: %s)\n", s.error().message().c_str());
  }
  std::printf("Sentiment: SentimentScorer compound vs. mean human rating (VADER ground truth)\n");
  std::printf("%-22s %-30s %6s %8s %8s %9s\n", "data set", "lexicon", "n", "pearson", "spearman",
              "scored");
  for (const GroundTruth& gt : sets) {
    std::vector<double> human;
    for (const auto& r : gt.rows) human.push_back(r.rating);
    for (const Lexicon& lex : lexicons) {
      std::vector<double> ours;
      size_t nonzero = 0;
      for (const auto& r : gt.rows) {
        ours.push_back(lex.scorer->Score(r.text).compound);
        nonzero += ours.back() != 0.0;
      }
      std::printf("%-22s %-30s %6zu %8.3f %8.3f %8.1f%%\n", gt.name.c_str(), lex.name.c_str(),
                  gt.rows.size(), Pearson(ours, human), Spearman(ours, human),
                  100.0 * static_cast<double>(nonzero) / static_cast<double>(gt.rows.size()));
    }
  }
  std::printf("(scored: share of texts with a non-zero compound score)\n\n");
}

struct Counts {
  size_t tp = 0, fp = 0, fn = 0, tn = 0;
  double Precision() const { return tp + fp ? static_cast<double>(tp) / (tp + fp) : NAN; }
  double Recall() const { return tp + fn ? static_cast<double>(tp) / (tp + fn) : NAN; }
  double F1() const {
    const double p = Precision(), r = Recall();
    return p + r > 0 ? 2 * p * r / (p + r) : NAN;
  }
};

struct Rate {
  size_t hits = 0, total = 0;
  double Percent() const { return total ? 100.0 * static_cast<double>(hits) / total : NAN; }
};

// ---- "asks for a person" ----

// tau_bench customer turns that ask for a person, labelled by hand after
// reading every customer turn that mentions a person, a bot, a transfer or
// an escalation (`file dialogue turn`, see bench::TauBenchUserTurns). All
// other turns are negatives, among them "I don't want to be transferred to
// another agent" and "I can't wait for a human agent right now".
constexpr const char* kTauPositives[] = {"0 8 6", "0 9 2", "0 9 3",  "0 11 5", "0 15 6", "1 0 3",
                                         "1 1 2", "1 4 5", "1 5 4", "1 6 6",  "1 12 6", "1 18 10"};

// Messages that mention people, agents or the company but ask for nobody.
// Written for this evaluation, not taken from any data set.
constexpr const char* kNegativeControls[] = {
    "my colleague paid me back yesterday",
    "can I have my colleague's phone number?",
    "what is the phone number of my account manager's assistant?",
    "a sales representative called me about an upgrade",
    "the delivery person left the parcel at my neighbour's door",
    "someone stole my card",
    "I made a transfer to someone by mistake",
    "how do I add another person to my account?",
    "my husband wants to use my card",
    "the agent I spoke to yesterday was very helpful, thanks",
    "your support team fixed it, thank you",
    "I don't need to talk to anyone, just send the tracking link",
    "no need for an agent, the bot answered my question",
    "are you a real person?",
    "am I talking to a human?",
    "I'm not a bot, are you?",
    "can my son call you on my behalf?",
    "please tell the manager that the store was lovely",
    "I am a travel agent booking for a client",
    "I need someone to pick up the package at 5pm",
    "is the live chat open on Sundays?",
    "who is the human resources contact for my contract?",
    "send the invoice to my personal email",
    "the person at the counter said I could return it",
    "I talked to a real person last week and they promised a refund",
};

struct Row {
  std::string text;
  bool positive = false;
};

struct Tally {
  size_t tp = 0, fp = 0, fn = 0, tn = 0;
  size_t by_phrase = 0, by_spelling = 0, by_model = 0;  // how true positives fired
  std::vector<std::string> misses, false_alarms;
  double Precision() const { return tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : NAN; }
  double Recall() const { return tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : NAN; }
  double FalseAlarmRate() const {
    return fp + tn ? static_cast<double>(fp) / static_cast<double>(fp + tn) : NAN;
  }
};

Tally Evaluate(const signals::PhraseMatcher& m, int human, const std::vector<Row>& rows) {
  Tally t;
  for (const Row& r : rows) {
    const bool hit = ((m.Match(r.text) >> human) & 1) != 0;
    if (r.positive && hit) {
      ++t.tp;
      for (const signals::MatchEvidence& e : m.Explain(r.text)) {
        if (e.category != human) continue;
        if (e.source == signals::EvidenceSource::kModel) {
          ++t.by_model;
        } else if (!e.corrections.empty()) {
          ++t.by_spelling;
        } else {
          ++t.by_phrase;
        }
        break;
      }
    }
    if (r.positive && !hit) {
      ++t.fn;
      t.misses.push_back(r.text);
    }
    if (!r.positive && hit) {
      ++t.fp;
      std::string why;
      for (const signals::MatchEvidence& e : m.Explain(r.text))
        if (e.category == human) why = e.detail;
      t.false_alarms.push_back(r.text + "   [" + why + "]");
    }
    if (!r.positive && !hit) ++t.tn;
  }
  return t;
}

void PrintHeader() {
  std::printf("%-44s %6s %6s %9s %7s %5s %5s %5s %6s %6s %6s %6s\n", "source", "pos", "neg",
              "precision", "recall", "TP", "FP", "FN", "FPrate", "phrase", "spell", "model");
}

void PrintTally(const std::string& name, const Tally& t, int show_misses) {
  auto num = [](double v, int width) {
    char b[32];
    if (std::isnan(v)) {
      std::snprintf(b, sizeof b, "%*s", width, "-");
    } else {
      std::snprintf(b, sizeof b, "%*.3f", width, v);
    }
    return std::string(b);
  };
  std::printf("%-44s %6zu %6zu %s %s %5zu %5zu %5zu %s %6zu %6zu %6zu\n", name.c_str(),
              t.tp + t.fn, t.fp + t.tn, num(t.Precision(), 9).c_str(), num(t.Recall(), 7).c_str(),
              t.tp, t.fp, t.fn, num(t.FalseAlarmRate() * 100, 5).c_str(), t.by_phrase,
              t.by_spelling, t.by_model);
  for (int i = 0; i < show_misses && i < static_cast<int>(t.misses.size()); ++i)
    std::printf("    miss: %s\n", t.misses[static_cast<size_t>(i)].c_str());
  for (int i = 0; i < show_misses && i < static_cast<int>(t.false_alarms.size()); ++i)
    std::printf("    false alarm: %s\n", t.false_alarms[static_cast<size_t>(i)].c_str());
}

// ---- typo injection (fixed seed) ----

enum class Typo { kNeighbourKey, kDropped, kDoubled, kSwapped, kJoined };
constexpr const char* kTypoNames[] = {"QWERTY neighbour key", "dropped letter", "doubled letter",
                                      "swapped letters", "joined words"};

char NeighbourKey(char c, std::mt19937& rng) {
  static constexpr std::string_view kRows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
  const char lower = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  std::string options;
  for (int r = 0; r < 3; ++r) {
    const size_t p = kRows[r].find(lower);
    if (p == std::string_view::npos) continue;
    for (int dr = -1; dr <= 1; ++dr) {
      if (r + dr < 0 || r + dr > 2) continue;
      for (int dc = -1; dc <= 1; ++dc) {
        const int col = static_cast<int>(p) + dc;
        if ((dr == 0 && dc == 0) || col < 0 || col >= static_cast<int>(kRows[r + dr].size())) continue;
        options.push_back(kRows[r + dr][static_cast<size_t>(col)]);
      }
    }
  }
  return options.empty() ? c : options[rng() % options.size()];
}

// One typo of the given kind in a random word of three letters or more
// (joined words: a random space between two words). Unchanged when the
// text has no such place.
std::string InjectTypo(const std::string& text, Typo kind, std::mt19937& rng) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (kind == Typo::kJoined) {
    std::vector<size_t> spaces;
    for (size_t i = 1; i + 1 < text.size(); ++i)
      if (text[i] == ' ' && letter(text[i - 1]) && letter(text[i + 1])) spaces.push_back(i);
    if (spaces.empty()) return text;
    std::string out = text;
    out.erase(spaces[rng() % spaces.size()], 1);
    return out;
  }
  std::vector<std::pair<size_t, size_t>> words;  // start, length
  for (size_t i = 0; i < text.size();) {
    if (!letter(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && letter(text[j])) ++j;
    if (j - i >= 3) words.push_back({i, j - i});
    i = j;
  }
  if (words.empty()) return text;
  const auto [start, length] = words[rng() % words.size()];
  std::string out = text;
  const size_t at = start + rng() % length;
  switch (kind) {
    case Typo::kNeighbourKey: out[at] = NeighbourKey(out[at], rng); break;
    case Typo::kDropped: out.erase(at, 1); break;
    case Typo::kDoubled: out.insert(at, 1, out[at]); break;
    case Typo::kSwapped: {
      const size_t a = start + rng() % (length - 1);
      std::swap(out[a], out[a + 1]);
      break;
    }
    case Typo::kJoined: break;
  }
  return out;
}

std::vector<Row> BitextRows(const std::vector<bench::LabeledText>& rows) {
  std::vector<Row> out;
  for (const auto& r : rows) out.push_back({r.text, r.label == "contact_human_agent"});
  return out;
}

int PhraseTable(const std::string& data, int show_misses) {
  auto matcher = signals::PhraseMatcher::Build(signals::PhraseMatcher::BuiltinCategories());
  if (!matcher) {
    std::fprintf(stderr, "detection_eval: the built-in phrase sets do not compile\n");
    return 1;
  }
  const signals::PhraseMatcher& m = **matcher;
  const int human = m.FindCategory("human_request");
  const auto train = bench::ReadLabeledCsv(
      data + "/bitext_intent/Bitext_Sample_Customer_Service_Training_Dataset.csv", 0, 1);
  const auto validation = bench::ReadLabeledCsv(
      data + "/bitext_intent/Bitext_Sample_Customer_Service_Validation_Dataset.csv", 0, 1);
  if (train.empty() || validation.empty()) {
    std::printf("human_request: skipped: no data at %s/bitext_intent\n", data.c_str());
    return 0;
  }
  std::printf(
      "human_request (phrases after spelling normalization, then the learned model)\n"
      "positive = asks for a person; pos/neg = rows; FPrate = false alarms per 100 negatives;\n"
      "phrase/spell/model = true positives fired by a phrase as typed / a phrase after\n"
      "spelling correction / the model\n\n");
  PrintHeader();
  const std::vector<Row> train_rows = BitextRows(train);
  const std::vector<Row> validation_rows = BitextRows(validation);
  PrintTally("bitext train split (model trained on it)", Evaluate(m, human, train_rows), 0);
  PrintTally("bitext validation split (held out)", Evaluate(m, human, validation_rows),
             show_misses);

  std::vector<Row> tau;
  const std::set<std::string> tau_positive(std::begin(kTauPositives), std::end(kTauPositives));
  for (const auto& r : bench::TauBenchUserTurns(data)) tau.push_back({r.text, tau_positive.count(r.label) > 0});
  if (!tau.empty()) PrintTally("tau_bench customer turns (other domain)", Evaluate(m, human, tau), show_misses);

  std::vector<Row> clinc;
  for (const auto& r : bench::Clinc150(data)) clinc.push_back({r.text, false});
  if (!clinc.empty()) PrintTally("clinc150 train+val+oos (other domain, no pos.)", Evaluate(m, human, clinc), show_misses);

  std::vector<Row> bank;
  for (const auto& r : bench::Banking77(data)) bank.push_back({r.text, false});
  if (!bank.empty()) PrintTally("banking77 (model's training negatives)", Evaluate(m, human, bank), show_misses);

  std::vector<Row> foreign;
  for (const char* language : {"arabic", "french", "german", "hindi", "italian", "portuguese", "spanish"}) {
    for (const char* split : {"train_text.txt", "val_text.txt"}) {
      for (std::string& line : bench::ReadLines(data + "/xlmt_sentiment/" + language + "/" + split))
        foreign.push_back({std::move(line), false});
    }
  }
  if (!foreign.empty()) PrintTally("xlmt tweets in 7 other languages", Evaluate(m, human, foreign), show_misses);

  std::vector<Row> controls;
  for (const char* text : kNegativeControls) controls.push_back({text, false});
  PrintTally("hand-written negative controls", Evaluate(m, human, controls), show_misses);

  // Typos in held-back positives (bitext validation + tau_bench) and in the
  // validation negatives.
  std::vector<Row> held_back;
  for (const Row& r : validation_rows)
    if (r.positive) held_back.push_back(r);
  for (const Row& r : tau)
    if (r.positive) held_back.push_back(r);
  std::mt19937 rng(19);
  std::vector<Row> all_typos;
  std::printf("\ntypo set: %zu held-back positives, one typo each, seed 19\n", held_back.size());
  PrintHeader();
  PrintTally("held-back positives as typed", Evaluate(m, human, held_back), 0);
  for (int k = 0; k < 5; ++k) {
    std::vector<Row> typos;
    for (const Row& r : held_back) typos.push_back({InjectTypo(r.text, static_cast<Typo>(k), rng), true});
    all_typos.insert(all_typos.end(), typos.begin(), typos.end());
    PrintTally(std::string("  + ") + kTypoNames[k], Evaluate(m, human, typos), show_misses);
  }
  PrintTally("all typo kinds", Evaluate(m, human, all_typos), 0);
  std::vector<Row> negative_typos;
  for (const Row& r : validation_rows) {
    if (!r.positive) negative_typos.push_back({InjectTypo(r.text, static_cast<Typo>(rng() % 5), rng), false});
  }
  PrintTally("bitext validation negatives + one typo", Evaluate(m, human, negative_typos), show_misses);

  // legal_threat and frustration have no labelled data here: rates only.
  const int legal = m.FindCategory("legal_threat");
  const int frustration = m.FindCategory("frustration");
  auto has = [](std::uint64_t bits, int c) { return c >= 0 && ((bits >> c) & 1) != 0; };
  Rate legal_complaint, legal_other, frus_complaint, frus_other;
  for (const auto* set : {&train, &validation}) {
    for (const auto& r : *set) {
      const std::uint64_t bits = m.Match(r.text);
      const bool complaint = r.label == "complaint";
      Rate& lr = complaint ? legal_complaint : legal_other;
      Rate& fr = complaint ? frus_complaint : frus_other;
      ++lr.total;
      lr.hits += has(bits, legal);
      ++fr.total;
      fr.hits += has(bits, frustration);
    }
  }
  std::printf("\nFor information (rates of bitext train+validation rows where the category fired):\n");
  std::printf("  %-52s %6.2f%% (%zu/%zu)\n", "legal_threat on complaint", legal_complaint.Percent(),
              legal_complaint.hits, legal_complaint.total);
  std::printf("  %-52s %6.2f%% (%zu/%zu)\n", "legal_threat on all other intents",
              legal_other.Percent(), legal_other.hits, legal_other.total);
  std::printf("  %-52s %6.2f%% (%zu/%zu)\n", "frustration on complaint", frus_complaint.Percent(),
              frus_complaint.hits, frus_complaint.total);
  std::printf("  %-52s %6.2f%% (%zu/%zu)\n", "frustration on all other intents",
              frus_other.Percent(), frus_other.hits, frus_other.total);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = HITLGATE_SHARED_DATA;
  int show_misses = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--misses" && i + 1 < argc) {
      show_misses = std::atoi(argv[++i]);
    } else if (arg == "-h" || arg == "--help") {
      std::printf("usage: detection_eval [DATA_DIR] [--misses N]\n");
      return 0;
    } else {
      data = std::string(arg);
    }
  }
  std::error_code ec;
  if (!fs::is_directory(data, ec)) {
    std::printf("detection_eval: skipped: no data at %s\n", data.c_str());
    return 0;
  }
  std::printf("data: %s\n\n", data.c_str());
  SentimentTable(data);
  return PhraseTable(data, show_misses);
}
