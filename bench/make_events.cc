// make_events: builds a realistic event stream (JSON lines) for benchmarks
// and replays from real customer messages in ../shared/data (banking77 and
// bitext), interleaved with AI proposals: replies with intents and
// confidences, and actions (refunds with amounts, cancellations, address
// changes, exchanges). Deterministic for a given seed.
//
//   make_events [--events N] [--seed S] [--data DIR] > events.jsonl
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>

#include "bench/data_sets.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/common/time_format.h"

namespace {

struct ActionKind {
  const char* name;
  bool has_amount;
};
constexpr ActionKind kActions[] = {
    {"refund", true}, {"cancel_order", false}, {"modify_address", false}, {"exchange_item", true}};

std::string Time(long long seconds) {
  static const hitlgate::TimePoint kStart = *hitlgate::ParseRfc3339("2026-11-01T00:00:00Z");
  return hitlgate::FormatRfc3339(kStart + std::chrono::seconds(seconds));
}

}  // namespace

int main(int argc, char** argv) {
  long long total = 1'000'000;
  unsigned seed = 42;
  std::string data = HITLGATE_SHARED_DATA;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    if (flag == "--events") total = std::atoll(argv[i + 1]);
    else if (flag == "--seed") seed = static_cast<unsigned>(std::atoi(argv[i + 1]));
    else if (flag == "--data") data = argv[i + 1];
  }
  auto messages = hitlgate::bench::Banking77(data);
  auto bitext = hitlgate::bench::BitextIntents(data);
  messages.insert(messages.end(), bitext.begin(), bitext.end());
  if (messages.empty()) {
    std::fprintf(stderr, "make_events: no data under %s (banking77, bitext_intent); skipping\n",
                 data.c_str());
    return 3;
  }
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::string line;
  long long written = 0, interaction = 0, clock = 0;
  while (written < total) {
    ++interaction;
    const std::string id = "c-" + std::to_string(interaction);
    const std::string customer = "u-" + std::to_string(rng() % (interaction / 3 + 50));
    const int turns = 1 + static_cast<int>(rng() % 4);
    clock += 1 + static_cast<long long>(rng() % 30);
    for (int t = 0; t < turns && written < total; ++t) {
      const auto& m = messages[rng() % messages.size()];
      line.clear();
      line += "{\"interaction_id\":\"" + id + "\",\"customer_id\":\"" + customer +
              "\",\"workflow\":\"retail-bot\",\"channel\":\"chat\",\"type\":\"customer_message\",\"text\":";
      hitlgate::codec::AppendJsonString(m.text, &line);
      line += ",\"at\":\"" + Time(clock) + "\"}\n";
      std::fwrite(line.data(), 1, line.size(), stdout);
      ++written;
      clock += 2 + static_cast<long long>(rng() % 20);
      if (written >= total) break;
      line.clear();
      line += "{\"interaction_id\":\"" + id + "\",\"customer_id\":\"" + customer +
              "\",\"workflow\":\"retail-bot\",\"channel\":\"chat\",\"type\":\"ai_proposal\","
              "\"text\":\"Thanks, I can help with that.\",\"intent\":";
      hitlgate::codec::AppendJsonString(m.label, &line);
      char conf[32];
      std::snprintf(conf, sizeof conf, "%.2f", 0.35 + 0.65 * unit(rng));
      line += ",\"confidence\":";
      line += conf;
      if (unit(rng) < 0.3) {
        const ActionKind& a = kActions[rng() % std::size(kActions)];
        line += ",\"action\":{\"name\":\"";
        line += a.name;
        line += "\"";
        if (a.has_amount) {
          char amount[32];
          std::snprintf(amount, sizeof amount, "%.2f", 5.0 + 295.0 * unit(rng));
          line += ",\"amount\":";
          line += amount;
          line += ",\"currency\":\"USD\"";
        }
        line += ",\"params\":{\"order_id\":\"#W" + std::to_string(1000000 + rng() % 9000000) + "\"}}";
      }
      line += ",\"at\":\"" + Time(clock) + "\"}\n";
      std::fwrite(line.data(), 1, line.size(), stdout);
      ++written;
      clock += 1 + static_cast<long long>(rng() % 10);
    }
  }
  return 0;
}
