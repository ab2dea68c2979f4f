#include "hitlgate/assist/feedback_contexts.h"

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>

namespace hitlgate::assist {
namespace {

namespace json = boost::json;

std::string_view Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

const json::object* Obj(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->as_object() : nullptr;
}

Result<std::vector<std::string>> Names(const json::object& assist, std::string_view key) {
  std::vector<std::string> out;
  const json::value* list = assist.if_contains(key);
  if (list == nullptr) return out;
  if (!list->is_array()) return InvalidArgument("assist." + std::string(key) + " must be a list of actions");
  for (const json::value& a : list->as_array()) {
    if (!a.is_string() || a.as_string().empty()) {
      return InvalidArgument("assist." + std::string(key) + " must be a list of actions");
    }
    out.emplace_back(a.as_string());
  }
  return out;
}

// The label an example teaches, or "" when it teaches none.
std::string Label(const std::vector<std::string>& used, const std::vector<std::string>& wrong,
                  const json::object& line) {
  if (!used.empty()) return used.front();
  const json::object* final = Obj(line, "final");
  const json::object* action = final != nullptr ? Obj(*final, "action") : nullptr;
  const std::string name(action != nullptr ? Str(*action, "name") : std::string_view());
  if (name.empty() || std::find(wrong.begin(), wrong.end(), name) != wrong.end()) return "";
  return name;
}

}  // namespace

Result<std::vector<LabeledContext>> ReadFeedbackContexts(const std::string& path, int weight) {
  if (weight < 1) return InvalidArgument("the feedback weight must be at least 1");
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::vector<LabeledContext> out;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) return InvalidArgument(where + "not a JSON object");
    const json::object& o = v.as_object();
    if (Str(o, "task_id").empty()) return InvalidArgument(where + "task_id is missing: not a feedback export line");
    const json::object* assist = Obj(o, "assist");
    if (assist == nullptr) continue;  // nobody judged a suggestion on this task
    auto used = Names(*assist, "used");
    if (!used) return InvalidArgument(where + used.error().message());
    auto wrong = Names(*assist, "wrong");
    if (!wrong) return InvalidArgument(where + wrong.error().message());
    const std::string label = Label(*used, *wrong, o);
    if (label.empty()) continue;
    LabeledContext row;
    row.conversation = "feedback:" + std::string(Str(o, "task_id"));
    if (const json::object* proposal = Obj(o, "proposal")) {
      row.context.text = std::string(Str(*proposal, "customer_text"));
      if (auto said = Str(*proposal, "text"); !said.empty()) row.context.text += (row.context.text.empty() ? "" : " ") + std::string(said);
    }
    row.next_actions = {label};
    for (int i = 0; i < weight; ++i) out.push_back(row);
  }
  return out;
}

}  // namespace hitlgate::assist
