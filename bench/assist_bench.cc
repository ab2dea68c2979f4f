// assist_bench: the time to assist one task (classify the procedure, match
// its steps, suggest the next action, search the articles) with N articles
// in the SQLite FTS5 index, over every context of a contexts file.
// Usage: assist_bench CONTEXTS.jsonl KNOWLEDGE.json MODEL [ARTICLES=1000]
// Articles past the document's own are filler made of its words (seeded), so
// the index has the size asked for. Run pinned to one core (bench/assist_latency.sh).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <sstream>
#include <ctime>

#include "hitlgate/assist/article_index.h"
#include "hitlgate/assist/next_action.h"
#include "hitlgate/store/sqlite_article_index.h"

namespace {

using hitlgate::assist::Article;

std::vector<Article> WithFiller(std::vector<Article> articles, size_t total) {
  std::vector<std::string> vocabulary;
  for (const Article& a : articles) {
    std::istringstream words(a.body);
    for (std::string w; words >> w;) vocabulary.push_back(w);
  }
  if (vocabulary.empty()) vocabulary.push_back("note");
  std::mt19937 rng(17);
  std::uniform_int_distribution<size_t> pick(0, vocabulary.size() - 1);
  for (size_t i = articles.size(); i < total; ++i) {
    std::string body;
    for (int w = 0; w < 150; ++w) body += vocabulary[pick(rng)] + " ";
    articles.push_back({"filler-" + std::to_string(i), vocabulary[pick(rng)] + " " + vocabulary[pick(rng)], body, ""});
  }
  return articles;
}

// On-CPU time of this thread: what the work costs when no other process
// takes the core away (a shared machine's preemptions show in the wall time).
double CpuMicros() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: assist_bench CONTEXTS.jsonl KNOWLEDGE.json MODEL [ARTICLES=1000]\n");
    return 2;
  }
  const size_t article_count = argc > 4 ? std::stoul(argv[4]) : 1000;
  auto contexts = hitlgate::assist::ReadContexts(argv[1]);
  auto knowledge = hitlgate::assist::ReadKnowledgeFile(argv[2]);
  if (!contexts || !knowledge) {
    std::fprintf(stderr, "%s\n", (!contexts ? contexts.error() : knowledge.error()).message().c_str());
    return 2;
  }
  auto model = hitlgate::assist::NextActionModel::Load(argv[3], *knowledge);
  auto index = hitlgate::store::OpenSqliteArticleIndex();
  if (!model || !index) {
    std::fprintf(stderr, "%s\n", (!model ? model.error() : index.error()).message().c_str());
    return 2;
  }
  const auto articles = WithFiller(knowledge->articles, article_count);
  if (auto r = (*index)->Replace(articles); !r) {
    std::fprintf(stderr, "%s\n", r.error().message().c_str());
    return 2;
  }
  std::vector<double> suggest_us, search_us, total_us, total_cpu_us;
  size_t hits = 0;
  for (int round = 0; round < 2; ++round) {  // the first round warms caches and is not counted
    for (const auto& c : *contexts) {
      const double cpu0 = CpuMicros();
      const auto t0 = std::chrono::steady_clock::now();
      const auto answer = (*model)->Suggest(c.context, 3);
      const auto t1 = std::chrono::steady_clock::now();
      auto found = (*index)->Search(c.context.text, 3);
      const auto t2 = std::chrono::steady_clock::now();
      const double cpu2 = CpuMicros();
      if (round == 0) continue;
      total_cpu_us.push_back(cpu2 - cpu0);
      hits += found && !found->empty() && !answer.suggestions.empty();
      suggest_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      search_us.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
      total_us.push_back(std::chrono::duration<double, std::micro>(t2 - t0).count());
    }
  }
  std::printf("%zu tasks (contexts of %s), %zu articles indexed, %zu answered with suggestions and articles\n",
              total_us.size(), argv[1], articles.size(), hits);
  std::printf("%-34s %8s %8s %8s %8s\n", "microseconds per task (wall)", "p50", "p90", "p99", "max");
  for (const auto& [name, v] : {std::pair{"next action (classify, steps)", &suggest_us},
                                std::pair{"article search (FTS5 bm25)", &search_us},
                                std::pair{"assist for one task", &total_us},
                                std::pair{"assist for one task, on-CPU time", &total_cpu_us}}) {
    std::printf("%-34s %8.0f %8.0f %8.0f %8.0f\n", name, Percentile(*v, 0.5), Percentile(*v, 0.9), Percentile(*v, 0.99),
                Percentile(*v, 1.0));
  }
  return 0;
}
