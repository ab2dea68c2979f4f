// Reads the tau-bench / tau2-bench data sets (/work/shared/data, README):
// tau2's tasks_train.json lists each task's gold actions; tau-bench's
// few-shot dialogues show only tool *results*, so a write is inferred where
// an order's status changes between two results in one dialogue
// (pending -> cancelled: cancel_pending_order, ...) or a transfer succeeds.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <boost/json.hpp>

#include "hitlgate/autonomy/simulation.h"

namespace hitlgate::autonomy {
namespace {

namespace json = boost::json;

const std::set<std::string, std::less<>> kWrites = {
    "return_delivered_order_items", "exchange_delivered_order_items", "modify_pending_order_items",
    "cancel_pending_order", "modify_pending_order_address", "modify_user_address", "transfer_to_human_agents",
    "cancel_reservation", "update_reservation_flights", "update_reservation_baggages",
    "update_reservation_passengers", "book_reservation"};

Result<std::string> ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<void> LoadTau2(const std::filesystem::path& file, const std::string& workflow, std::vector<GoldAction>* out) {
  auto text = ReadFile(file);
  HITLGATE_RETURN_IF_ERROR(text);
  json::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec || !v.is_array()) return InvalidArgument(file.string() + ": expected a JSON array of tasks");
  for (const json::value& task : v.get_array()) {
    const json::object* t = task.if_object();
    if (t == nullptr) continue;
    const json::value* criteria = t->if_contains("evaluation_criteria");
    if (criteria == nullptr || !criteria->is_object()) continue;
    const json::value* actions = criteria->get_object().if_contains("actions");
    if (actions == nullptr || !actions->is_array()) continue;
    for (const json::value& a : actions->get_array()) {
      if (!a.is_object()) continue;
      const json::value* name = a.get_object().if_contains("name");
      if (name == nullptr || !name->is_string() || !kWrites.contains(std::string_view(name->get_string()))) continue;
      const json::value* args = a.get_object().if_contains("arguments");
      out->push_back({workflow, std::string(name->get_string()),
                      args != nullptr ? json::serialize(*args) : std::string("{}"), "tau2_bench"});
    }
  }
  return {};
}

Result<void> LoadTauDialogues(const std::filesystem::path& file, const std::string& workflow,
                              std::vector<GoldAction>* out) {
  static const std::map<std::string, std::string, std::less<>> kOrderStatus = {
      {"cancelled", "cancel_pending_order"},
      {"return requested", "return_delivered_order_items"},
      {"exchange requested", "exchange_delivered_order_items"},
      {"pending (item modified)", "modify_pending_order_items"}};
  std::ifstream in(file);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot read " + file.string());
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    json::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object() || !v.get_object().contains("messages_display")) {
      return InvalidArgument(file.string() + ":" + std::to_string(number) + ": expected {\"messages_display\": ...}");
    }
    const json::value& display = v.get_object().at("messages_display");
    if (!display.is_string()) continue;
    std::map<std::string, std::string> status;  // order or reservation id -> last status seen
    std::istringstream turns{std::string(display.get_string())};
    std::string turn;
    while (std::getline(turns, turn)) {
      if (!turn.starts_with("tool: ")) continue;
      std::string_view body = std::string_view(turn).substr(6);
      if (body.starts_with("Transfer successful")) {
        out->push_back({workflow, "transfer_to_human_agents", "{}", "tau_bench"});
        continue;
      }
      json::value result = json::parse(body, ec);
      if (ec || !result.is_object()) continue;
      const json::object& o = result.get_object();
      for (std::string_view id_key : {"order_id", "reservation_id"}) {
        const json::value* id = o.if_contains(id_key);
        const json::value* st = o.if_contains("status");
        if (id == nullptr || st == nullptr || !id->is_string() || !st->is_string()) continue;
        const std::string key(id->get_string());
        const std::string now(st->get_string());
        auto prev = status.find(key);
        if (prev != status.end() && prev->second != now) {
          std::string name;
          if (id_key == "order_id") {
            if (auto it = kOrderStatus.find(now); it != kOrderStatus.end()) name = it->second;
          } else if (now == "cancelled") {
            name = "cancel_reservation";
          }
          if (!name.empty()) {
            out->push_back({workflow, name, "{\"" + std::string(id_key) + "\":" + json::serialize(*id) + "}",
                            "tau_bench"});
          }
        }
        status[key] = now;
      }
    }
  }
  return {};
}

}  // namespace

Result<std::vector<GoldAction>> LoadTauGoldActions(const std::string& data_dir) {
  namespace fs = std::filesystem;
  const fs::path root(data_dir);
  std::vector<GoldAction> out;
  bool any = false;
  for (const std::string domain : {"retail", "airline"}) {
    const fs::path tau2 = root / "tau2_bench" / domain / "tasks_train.json";
    if (fs::exists(tau2)) {
      any = true;
      HITLGATE_RETURN_IF_ERROR(LoadTau2(tau2, domain, &out));
    }
    const std::string env = domain == "retail" ? "MockRetailDomainEnv" : "MockAirlineDomainEnv";
    const fs::path tau = root / "tau_bench" / (env + "-few_shot.jsonl");
    if (fs::exists(tau)) {
      any = true;
      HITLGATE_RETURN_IF_ERROR(LoadTauDialogues(tau, domain, &out));
    }
  }
  if (!any) return MakeError(ErrorCode::kNotFound, "no tau_bench or tau2_bench data under " + data_dir);
  return out;
}

}  // namespace hitlgate::autonomy
