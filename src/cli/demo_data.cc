// Loads demo conversations from ../shared/data; see demo_data.h.
#include "cli/demo_data.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <fstream>
#include <sstream>

#include "bench/data_sets.h"

namespace hitlgate::cli::demo {
namespace {

namespace json = boost::json;

std::optional<json::value> ReadJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(ss.str(), ec);
  if (ec) return std::nullopt;
  return v;
}

std::string Str(const json::value* v) {
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// "#W2378156" or a long number ("3348917502") in a text, if any.
std::string FindOrderId(std::string_view text) {
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '#' && text[i + 1] == 'W') {
      size_t j = i + 2;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      if (j - i >= 6) return std::string(text.substr(i, j - i));
    }
  }
  return {};
}

std::optional<double> FindDollars(std::string_view text) {
  size_t at = text.find('$');
  if (at == std::string_view::npos) return std::nullopt;
  std::string digits;
  for (size_t i = at + 1; i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.' || text[i] == ','); ++i) {
    if (text[i] != ',') digits.push_back(text[i]);
  }
  if (digits.empty()) return std::nullopt;
  return std::strtod(digits.c_str(), nullptr);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// An action an agent's reply announces, from its wording (tau_bench
// transcripts show replies, not tool calls).
std::optional<DemoAction> ActionInReply(std::string_view reply, std::mt19937_64& rng) {
  const std::string l = Lower(reply);
  DemoAction a;
  a.order_id = FindOrderId(reply);
  std::uniform_real_distribution<double> price(15, 400);
  if (l.find("refund") != std::string::npos) {
    a.name = "refund";
    a.amount = FindDollars(reply).value_or(price(rng));
  } else if (l.find("exchange") != std::string::npos) {
    a.name = "exchange_item";
    a.amount = FindDollars(reply).value_or(price(rng));
  } else if (l.find("cancel") != std::string::npos) {
    a.name = "cancel_order";
  } else if (l.find("address") != std::string::npos && l.find("updat") != std::string::npos) {
    a.name = "modify_address";
  } else if (l.find("return") != std::string::npos) {
    a.name = "return_items";
    a.amount = FindDollars(reply).value_or(price(rng));
  } else {
    return std::nullopt;
  }
  return a;
}

double Confidence(std::mt19937_64& rng) {
  // Mostly confident, with a tail of unsure proposals that low-confidence
  // rules hold.
  std::uniform_real_distribution<double> u(0, 1);
  const double x = u(rng);
  return x < 0.2 ? 0.35 + 0.3 * u(rng) : 0.7 + 0.29 * u(rng);
}

std::string IntentOfAction(const std::string& action) {
  if (action == "refund" || action == "return_items") return "return_item";
  if (action == "exchange_item") return "exchange_item";
  if (action == "cancel_order") return "cancel_order";
  if (action == "modify_address") return "change_address";
  return "order_help";
}

void TauBench(const std::string& path, const std::string& workflow, std::mt19937_64& rng,
              std::vector<DemoConversation>* out) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const std::string display = Str(v.as_object().if_contains("messages_display"));
    DemoConversation c;
    c.source = "tau_bench";
    c.workflow = workflow;
    c.channel = rng() % 4 == 0 ? "voice" : "chat";
    std::istringstream lines(display);
    std::string l;
    std::vector<std::pair<std::string, std::string>> collected;
    while (std::getline(lines, l)) {
      if (l.starts_with("user: ")) {
        DemoTurn t;
        t.text = l.substr(6);
        if (std::string id = FindOrderId(t.text); !id.empty()) collected.emplace_back("order_id", id);
        if (auto at = t.text.find('@'); at != std::string::npos) {
          size_t b = t.text.rfind(' ', at);
          size_t e = t.text.find_first_of(" ,", at);
          std::string email = t.text.substr(b == std::string::npos ? 0 : b + 1,
                                            (e == std::string::npos ? t.text.size() : e) - (b == std::string::npos ? 0 : b + 1));
          while (!email.empty() && email.back() == '.') email.pop_back();
          collected.emplace_back("email", email);
        }
        c.turns.push_back(std::move(t));
      } else if (l.starts_with("assistant: ") && l != "assistant: None") {
        DemoTurn t;
        t.customer = false;
        t.text = l.substr(11);
        t.action = ActionInReply(t.text, rng);
        t.intent = t.action ? IntentOfAction(t.action->name) : "order_help";
        t.confidence = Confidence(rng);
        t.collected = collected;
        c.turns.push_back(std::move(t));
      }
    }
    if (c.turns.size() >= 2) out->push_back(std::move(c));
  }
}

// "You received your order..." -> "I received my order...".
std::string FirstPerson(std::string s) {
  const std::pair<std::string_view, std::string_view> swaps[] = {
      {"You are ", "I am "}, {"You ", "I "}, {" you ", " I "}, {" your ", " my "}, {"Your ", "My "},
      {" you'd ", " I'd "}, {" you're ", " I'm "}, {" yourself", " myself"}};
  for (const auto& [from, to] : swaps) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  }
  return s;
}

void Tau2Bench(const std::string& path, const std::string& workflow, std::mt19937_64& rng,
               std::vector<DemoConversation>* out) {
  auto v = ReadJson(path);
  if (!v || !v->is_array()) return;
  std::uniform_real_distribution<double> price(20, 900);
  for (const json::value& task : v->as_array()) {
    if (!task.is_object()) continue;
    const json::object& o = task.as_object();
    const json::value* scenario = o.if_contains("user_scenario");
    if (scenario == nullptr || !scenario->is_object()) continue;
    const json::value* instructions = scenario->as_object().if_contains("instructions");
    if (instructions == nullptr || !instructions->is_object()) continue;
    const std::string reason = Str(instructions->as_object().if_contains("reason_for_call"));
    const std::string known = Str(instructions->as_object().if_contains("known_info"));
    if (reason.empty()) continue;
    DemoConversation c;
    c.source = "tau2_bench";
    c.workflow = workflow;
    c.channel = rng() % 3 == 0 ? "voice" : "chat";
    c.turns.push_back({true, "Hi. " + FirstPerson(reason), "", 0, std::nullopt, {}});
    if (!known.empty()) c.turns.push_back({true, FirstPerson(known), "", 0, std::nullopt, {}});
    std::vector<std::pair<std::string, std::string>> collected;
    if (std::string id = FindOrderId(reason); !id.empty()) collected.emplace_back("order_id", id);
    const json::value* criteria = o.if_contains("evaluation_criteria");
    const json::value* actions = criteria != nullptr && criteria->is_object() ? criteria->as_object().if_contains("actions") : nullptr;
    if (actions == nullptr || !actions->is_array()) continue;
    for (const json::value& a : actions->as_array()) {
      if (!a.is_object()) continue;
      const std::string name = Str(a.as_object().if_contains("name"));
      DemoAction act;
      if (const json::value* args = a.as_object().if_contains("arguments"); args && args->is_object()) {
        act.order_id = Str(args->as_object().if_contains("order_id"));
        if (act.order_id.empty()) act.order_id = Str(args->as_object().if_contains("reservation_id"));
      }
      if (name == "transfer_to_human_agents") {
        c.turns.push_back({true, "Can I please talk to a human agent about this?", "", 0, std::nullopt, {}});
        continue;
      }
      if (name.starts_with("get_") || name.starts_with("find_") || name == "calculate" || name == "think" ||
          name.starts_with("search_") || name.starts_with("list_")) {
        continue;  // reads: the AI does them without asking anyone
      }
      if (name.find("exchange") != std::string::npos) act.name = "exchange_item", act.amount = price(rng);
      else if (name.find("return") != std::string::npos) act.name = "refund", act.amount = price(rng);
      else if (name.find("cancel") != std::string::npos) act.name = "cancel_order";
      else if (name.find("address") != std::string::npos) act.name = "modify_address";
      else if (name.find("modify_pending_order_items") != std::string::npos) act.name = "modify_items";
      else if (name.find("certificate") != std::string::npos) act.name = "issue_store_credit", act.amount = price(rng) / 4;
      else if (name.find("book") != std::string::npos) act.name = "book_reservation", act.amount = price(rng);
      else act.name = name;
      DemoTurn t;
      t.customer = false;
      t.text = "I will now " + name + (act.order_id.empty() ? "" : " for " + act.order_id) + ".";
      t.intent = IntentOfAction(act.name);
      t.confidence = Confidence(rng);
      t.action = act;
      t.collected = collected;
      c.turns.push_back(std::move(t));
    }
    if (c.turns.size() >= 2) out->push_back(std::move(c));
  }
}

void Abcd(const std::string& path, std::mt19937_64& rng, std::vector<DemoConversation>* out) {
  auto v = ReadJson(path);
  if (!v || !v->is_array()) return;
  for (const json::value& convo : v->as_array()) {
    if (!convo.is_object()) continue;
    const json::value* original = convo.as_object().if_contains("original");
    if (original == nullptr || !original->is_array()) continue;
    DemoConversation c;
    c.source = "abcd";
    c.workflow = "retail-bot";
    c.channel = "chat";
    std::vector<std::pair<std::string, std::string>> collected;
    for (const json::value& turn : original->as_array()) {
      if (!turn.is_array() || turn.as_array().size() < 2) continue;
      const std::string who = Str(&turn.as_array()[0]);
      const std::string text = Str(&turn.as_array()[1]);
      if (who == "customer") {
        c.turns.push_back({true, text, "", 0, std::nullopt, {}});
        if (auto at = text.find('@'); at != std::string::npos) collected.emplace_back("email", text);
      } else if (who == "agent") {
        DemoTurn t{false, text, "order_help", Confidence(rng), std::nullopt, collected};
        c.turns.push_back(std::move(t));
      } else if (who == "action") {
        if (auto a = ActionInReply(text, rng); a) {
          DemoTurn t{false, text, IntentOfAction(a->name), Confidence(rng), a, collected};
          c.turns.push_back(std::move(t));
        }
      }
    }
    if (c.turns.size() >= 2) out->push_back(std::move(c));
  }
}

void Messages(const std::vector<bench::LabeledText>& rows, const std::string& source, const std::string& workflow,
              size_t limit, std::mt19937_64& rng, std::vector<DemoConversation>* out) {
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    const auto& row = rows[rng() % rows.size()];
    DemoConversation c;
    c.source = source;
    c.workflow = workflow;
    c.channel = rng() % 5 == 0 ? "voice" : "chat";
    c.turns.push_back({true, row.text, "", 0, std::nullopt, {}});
    DemoTurn reply{false, "Thanks for reaching out. I can help with that right away.", row.label, Confidence(rng),
                   std::nullopt, {}};
    if (row.label == "get_refund" || row.label == "Refund_not_showing_up" || row.label == "request_refund") {
      reply.action = DemoAction{"refund", std::uniform_real_distribution<double>(10, 300)(rng), ""};
    } else if (row.label == "cancel_order") {
      reply.action = DemoAction{"cancel_order", std::nullopt, ""};
    } else if (row.label == "change_shipping_address" || row.label == "set_up_shipping_address") {
      reply.action = DemoAction{"modify_address", std::nullopt, ""};
    }
    c.turns.push_back(std::move(reply));
    out->push_back(std::move(c));
  }
}

}  // namespace

std::vector<DemoConversation> BuiltInConversations() {
  std::vector<DemoConversation> out;
  auto conv = [&](std::string workflow, std::string channel, std::vector<DemoTurn> turns) {
    out.push_back({"built-in", std::move(workflow), std::move(channel), std::move(turns)});
  };
  const std::vector<std::pair<std::string, std::string>> order = {{"order_id", "#W2378156"}};
  conv("retail-bot", "chat",
       {{true, "Hi, where is my order #W2378156? It was supposed to arrive yesterday.", "", 0, {}, {}},
        {false, "Your order #W2378156 is out for delivery and should arrive today.", "track_order", 0.93, {}, order}});
  conv("retail-bot", "chat",
       {{true, "The blender I got is broken. This is the third time I'm writing about this!", "", 0, {}, {}},
        {false, "I'm sorry. I refunded 249.99 USD to your card.", "return_item", 0.88,
         DemoAction{"refund", 249.99, "#W2378156"}, order}});
  conv("retail-bot", "voice",
       {{true, "I want to speak to a real person, now.", "", 0, {}, {}},
        {true, "It's about order #W2378156, the blender.", "", 0, {}, {}}});
  conv("retail-bot", "chat",
       {{true, "Please cancel order #W5555123, I ordered it by mistake.", "", 0, {}, {}},
        {false, "I cancelled order #W5555123.", "cancel_order", 0.52, DemoAction{"cancel_order", {}, "#W5555123"},
         {{"order_id", "#W5555123"}}}});
  conv("retail-bot", "chat",
       {{true, "I moved. New address: 12 Elm Street, Springfield 62701.", "", 0, {}, {}},
        {false, "I updated the shipping address of your pending order.", "change_address", 0.91,
         DemoAction{"modify_address", {}, "#W7001234"}, {{"address", "12 Elm Street, Springfield 62701"}}}});
  conv("retail-bot", "chat",
       {{true, "My lawyer will hear about this if the refund doesn't come through.", "", 0, {}, {}},
        {true, "I already told you, order #W2378156 and 12 Elm Street.", "", 0, {}, {}}});
  return out;
}

std::vector<DemoConversation> LoadDemoConversations(const std::string& data_dir, std::mt19937_64& rng,
                                                    std::vector<std::string>* counts) {
  std::vector<DemoConversation> out;
  auto note = [&](const std::string& source, size_t before) {
    if (counts != nullptr && out.size() > before) {
      counts->push_back(source + ": " + std::to_string(out.size() - before) + " conversations");
    }
  };
  size_t before = out.size();
  TauBench(data_dir + "/tau_bench/MockRetailDomainEnv-few_shot.jsonl", "retail-bot", rng, &out);
  TauBench(data_dir + "/tau_bench/MockAirlineDomainEnv-few_shot.jsonl", "airline-bot", rng, &out);
  note("tau_bench", before);
  before = out.size();
  Tau2Bench(data_dir + "/tau2_bench/retail/tasks_train.json", "retail-bot", rng, &out);
  Tau2Bench(data_dir + "/tau2_bench/airline/tasks_train.json", "airline-bot", rng, &out);
  note("tau2_bench", before);
  before = out.size();
  Abcd(data_dir + "/abcd/abcd_sample.json", rng, &out);
  note("abcd", before);
  before = out.size();
  Messages(bench::Banking77(data_dir), "banking77", "bank-bot", 400, rng, &out);
  note("banking77", before);
  before = out.size();
  Messages(bench::BitextIntents(data_dir), "bitext_intent", "retail-bot", 400, rng, &out);
  note("bitext_intent", before);
  if (out.empty()) {
    if (counts != nullptr) counts->push_back("no data under " + data_dir + ": the built-in script");
    return BuiltInConversations();
  }
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

}  // namespace hitlgate::cli::demo
