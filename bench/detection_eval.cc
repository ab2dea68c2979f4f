// detection_eval: how well the built-in signals agree with people, on the
// public data sets in ../shared/data (read in place, never copied).
//
//   1. Sentiment: Pearson and Spearman correlation of SentimentScorer's
//      compound score with the mean human rating of every VADER ground-truth
//      file present (vader/icwsm2014_ground_truth/*_GroundTruth.txt), once
//      with the built-in contact-center lexicon and once with
//      vader/vader_lexicon.txt merged over it.
//   2. "Asks for a person": precision, recall and F1 of the built-in
//      human_request phrase set on bitext_intent train + validation, where
//      the positives are the rows with intent contact_human_agent and every
//      other row is a negative. For information, the hit rate on the nearest
//      confuser (contact_customer_service) and the legal_threat and
//      frustration rates on complaint vs. all other intents, and the
//      human_request rate on banking77, which has no such intent.
//
//   detection_eval [DATA_DIR] [--misses N]
//     DATA_DIR defaults to ../shared/data as configured (HITLGATE_SHARED_DATA).
//     --misses N prints up to N false negatives and N false positives.
// Exit status 0 (also when the data are absent: it says "skipped"), 1 when
// the built-in phrase sets do not compile.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>
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

int PhraseTable(const std::string& data, int show_misses) {
  const std::vector<bench::LabeledText> rows = bench::BitextIntents(data);
  if (rows.empty()) {
    std::printf("human_request: skipped: no data at %s/bitext_intent\n", data.c_str());
    return 0;
  }
  auto matcher = signals::PhraseMatcher::Build(signals::PhraseMatcher::BuiltinCategories());
  if (!matcher) {
    std::fprintf(stderr, "detection_eval: the built-in phrase sets do not compile\n");
    return 1;
  }
  const signals::PhraseMatcher& m = **matcher;
  const int human = m.FindCategory("human_request");
  const int legal = m.FindCategory("legal_threat");
  const int frustration = m.FindCategory("frustration");
  auto has = [](std::uint64_t bits, int c) { return c >= 0 && ((bits >> c) & 1) != 0; };

  Counts counts;
  Rate confuser, legal_complaint, legal_other, frus_complaint, frus_other;
  std::vector<std::string> misses, false_alarms;
  for (const auto& r : rows) {
    const std::uint64_t bits = m.Match(r.text);
    const bool positive = r.label == "contact_human_agent";
    const bool hit = has(bits, human);
    if (positive && hit) ++counts.tp;
    if (positive && !hit) {
      ++counts.fn;
      misses.push_back(r.text);
    }
    if (!positive && hit) {
      ++counts.fp;
      false_alarms.push_back(r.label + ": " + r.text);
    }
    if (!positive && !hit) ++counts.tn;
    if (r.label == "contact_customer_service") {
      ++confuser.total;
      confuser.hits += hit;
    }
    const bool complaint = r.label == "complaint";
    Rate& lr = complaint ? legal_complaint : legal_other;
    Rate& fr = complaint ? frus_complaint : frus_other;
    ++lr.total;
    lr.hits += has(bits, legal);
    ++fr.total;
    fr.hits += has(bits, frustration);
  }
  std::printf(
      "human_request (built-in phrase set) on bitext_intent train+validation, %zu rows\n"
      "  positive = intent contact_human_agent, negative = every other intent\n",
      rows.size());
  std::printf("%-10s %10s %10s %10s %6s %6s %6s %6s\n", "category", "precision", "recall", "F1",
              "TP", "FP", "FN", "TN");
  std::printf("%-10s %10.3f %10.3f %10.3f %6zu %6zu %6zu %6zu\n", "human_req",
              counts.Precision(), counts.Recall(), counts.F1(), counts.tp, counts.fp, counts.fn,
              counts.tn);
  std::printf("\nFor information (rates of rows where the category fired):\n");
  std::printf("  %-52s %6.2f%% (%zu/%zu)\n", "human_request on contact_customer_service",
              confuser.Percent(), confuser.hits, confuser.total);
  std::printf("  %-52s %6.2f%% (%zu/%zu)\n", "legal_threat on complaint", legal_complaint.Percent(),
              legal_complaint.hits, legal_complaint.total);
  std::printf("  %-52s %6.2f%% (%zu/%zu)\n", "legal_threat on all other intents",
              legal_other.Percent(), legal_other.hits, legal_other.total);
  std::printf("  %-52s %6.2f%% (%zu/%zu)\n", "frustration on complaint", frus_complaint.Percent(),
              frus_complaint.hits, frus_complaint.total);
  std::printf("  %-52s %6.2f%% (%zu/%zu)\n", "frustration on all other intents",
              frus_other.Percent(), frus_other.hits, frus_other.total);
  // banking77 has no intent for asking for a person: a hit there is most
  // likely a false alarm (read them with --misses).
  const std::vector<bench::LabeledText> bank = bench::Banking77(data);
  Rate bank_rate;
  std::vector<std::string> bank_hits;
  for (const auto& r : bank) {
    ++bank_rate.total;
    if (has(m.Match(r.text), human)) {
      ++bank_rate.hits;
      bank_hits.push_back(r.label + ": " + r.text);
    }
  }
  if (!bank.empty()) {
    std::printf("  %-52s %6.2f%% (%zu/%zu)\n", "human_request on banking77 (no such intent)",
                bank_rate.Percent(), bank_rate.hits, bank_rate.total);
  }
  if (show_misses > 0) {
    std::printf("\nbanking77 hits (up to %d):\n", show_misses);
    for (int i = 0; i < show_misses && i < static_cast<int>(bank_hits.size()); ++i)
      std::printf("  %s\n", bank_hits[i].c_str());
    std::printf("\nFalse negatives (up to %d):\n", show_misses);
    for (int i = 0; i < show_misses && i < static_cast<int>(misses.size()); ++i)
      std::printf("  %s\n", misses[i].c_str());
    std::printf("False positives (up to %d):\n", show_misses);
    for (int i = 0; i < show_misses && i < static_cast<int>(false_alarms.size()); ++i)
      std::printf("  %s\n", false_alarms[i].c_str());
  }
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
