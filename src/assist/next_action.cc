// The next-action model: two fastText classifiers (next action; procedure
// followed) over the conversation plus tokens for the done actions, mixed
// with the procedure's own next step.
#include "hitlgate/assist/next_action.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "assist/sequence.h"

namespace hitlgate::assist {
namespace {

namespace json = boost::json;

constexpr std::string_view kModelFormat = "hitlgate-assist-model/1";
constexpr std::string_view kNoProcedure = "none";

// fastText's tokenizer (triage::NormalizeText) splits at punctuation, so the
// marker tokens are letters and digits only.
std::string Token(std::string_view prefix, std::string_view action) {
  std::string out(prefix);
  for (char c : action) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

Result<std::vector<std::string>> TargetActions(const json::value& v) {
  if (!v.is_array() || v.as_array().empty()) return InvalidArgument("target_data must list at least one action");
  std::vector<std::string> out;
  for (const json::value& item : v.as_array()) {
    if (item.is_array() && !item.as_array().empty() && item.as_array()[0].is_string()) {
      out.emplace_back(item.as_array()[0].as_string());
    } else {
      return InvalidArgument("target_data: each item must be [action, [values]]");
    }
  }
  return out;
}

triage::TrainOptions ClassifierDefaults(triage::TrainOptions o) {
  o.min_subword = 0;           // whole words: transcripts are long and typos rare
  o.calibration_holdout = 0;   // the mixed score is what the threshold applies to
  return o;
}

// Slot names and the agent's field names are written by different people
// ("order_id", "Order ID", "order-id"): compared without case or separators.
std::string SlotKey(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (c == '_' || c == '-' || c == ' ') continue;
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

std::vector<SlotValue> FillSlots(const std::vector<std::string>& slots,
                                 const std::map<std::string, std::string>& collected) {
  std::vector<SlotValue> out;
  for (const std::string& slot : slots) {
    SlotValue v{slot, std::nullopt};
    const std::string key = SlotKey(slot);
    for (const auto& [name, value] : collected) {
      if (SlotKey(name) == key) {
        v.value = value;
        break;
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

Result<std::vector<LabeledContext>> ReadContexts(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::vector<LabeledContext> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) return InvalidArgument(where + "not a JSON object");
    const json::object& o = v.as_object();
    const json::value* convo = o.if_contains("convo_id");
    const json::value* turn = o.if_contains("turn_id");
    const json::value* input = o.if_contains("input");
    const json::value* target = o.if_contains("target_data");
    if (convo == nullptr || !(convo->is_int64() || convo->is_string())) return InvalidArgument(where + "convo_id is missing");
    if (turn == nullptr || !turn->is_int64()) return InvalidArgument(where + "turn_id must be an integer");
    if (input == nullptr || !input->is_string()) return InvalidArgument(where + "input must be a string");
    if (target == nullptr || !target->is_string()) return InvalidArgument(where + "target_data must be a JSON string");
    json::value parsed_target = json::parse(target->as_string(), ec);
    if (ec) return InvalidArgument(where + "target_data is not JSON");
    auto actions = TargetActions(parsed_target);
    if (!actions) return InvalidArgument(where + actions.error().message());
    LabeledContext row;
    row.conversation = convo->is_int64() ? std::to_string(convo->as_int64()) : std::string(convo->as_string());
    row.turn = static_cast<int>(turn->as_int64());
    std::string text(input->as_string());
    if (text.starts_with("Context:")) text.erase(0, 8);
    row.context.text = std::move(text);
    row.next_actions = std::move(*actions);
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return InvalidArgument(path + ": no contexts");
  std::stable_sort(rows.begin(), rows.end(), [](const LabeledContext& a, const LabeledContext& b) {
    return a.conversation != b.conversation ? a.conversation < b.conversation : a.turn < b.turn;
  });
  for (size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].conversation != rows[i - 1].conversation) continue;
    rows[i].context.done_actions = rows[i - 1].context.done_actions;
    rows[i].context.done_actions.push_back(rows[i - 1].next_actions.front());
  }
  return rows;
}

const Procedure* ProcedureFollowed(const Knowledge& knowledge, const std::vector<std::string>& actions) {
  const Procedure* best = nullptr;
  size_t best_common = 0;
  for (const Procedure& p : knowledge.procedures) {
    const size_t common = LongestCommonSubsequence(StepActions(p), actions);
    if (common > best_common || (common == best_common && best != nullptr && p.steps.size() < best->steps.size())) {
      best = &p;
      best_common = common;
    }
  }
  return best_common == 0 ? nullptr : best;
}

NextActionModel::NextActionModel(std::shared_ptr<const triage::FastTextClassifier> actions,
                                 std::shared_ptr<const triage::FastTextClassifier> procedures, Knowledge knowledge,
                                 NextActionOptions options)
    : actions_(std::move(actions)),
      procedures_(std::move(procedures)),
      knowledge_(std::move(knowledge)),
      options_(std::move(options)) {}

std::string NextActionModel::Features(const ConversationContext& context) const {
  std::string out = context.text;
  // The transcript's length tells roughly how far along the procedure is.
  size_t words = 0;
  bool in_word = false;
  for (char c : context.text) {
    const bool space = std::isspace(static_cast<unsigned char>(c));
    words += !space && !in_word;
    in_word = !space;
  }
  out += " hglen" + std::to_string(static_cast<int>(std::log2(words + 1.0) * 2));
  if (!options_.use_history) return out;
  for (const std::string& a : context.done_actions) out += " " + Token("hgdone", a);
  out += " " + Token("hglast", context.done_actions.empty() ? "nothing" : context.done_actions.back());
  out += " hgdonecount" + std::to_string(context.done_actions.size());
  return out;
}

Result<std::unique_ptr<NextActionModel>> NextActionModel::Train(const std::vector<LabeledContext>& examples,
                                                                const Knowledge& knowledge,
                                                                const NextActionOptions& options) {
  if (knowledge.procedures.empty()) return InvalidArgument("no procedures to learn from");
  if (examples.empty()) return InvalidArgument("no training contexts");
  // A conversation's whole action sequence: its earliest row's done + next.
  std::map<std::string, const LabeledContext*> first;
  for (const LabeledContext& e : examples) {
    auto [it, fresh] = first.emplace(e.conversation, &e);
    if (!fresh && e.turn < it->second->turn) it->second = &e;
  }
  std::map<std::string, std::string> followed;
  for (const auto& [conversation, row] : first) {
    std::vector<std::string> all = row->context.done_actions;
    all.insert(all.end(), row->next_actions.begin(), row->next_actions.end());
    const Procedure* p = ProcedureFollowed(knowledge, all);
    followed[conversation] = p != nullptr ? p->id : std::string(kNoProcedure);
  }
  NextActionModel shape(nullptr, nullptr, knowledge, options);
  std::vector<triage::LabeledText> by_action, by_procedure;
  for (const LabeledContext& e : examples) {
    const std::string features = shape.Features(e.context);
    by_action.push_back({features, e.next_actions.front()});
    by_procedure.push_back({features, followed[e.conversation]});
  }
  const triage::TrainOptions fasttext = ClassifierDefaults(options.fasttext);
  auto actions = triage::FastTextClassifier::Train(by_action, fasttext);
  if (!actions) return InvalidArgument("next-action classifier: " + actions.error().message());
  auto procedures = triage::FastTextClassifier::Train(by_procedure, fasttext);
  if (!procedures) return InvalidArgument("procedure classifier: " + procedures.error().message());
  return std::unique_ptr<NextActionModel>(
      new NextActionModel(std::move(*actions), std::move(*procedures), knowledge, options));
}

Result<void> NextActionModel::Save(const std::string& model) const {
  HITLGATE_RETURN_IF_ERROR(actions_->Save(model + ".actions.bin"));
  HITLGATE_RETURN_IF_ERROR(procedures_->Save(model + ".procedures.bin"));
  std::ofstream out(model + ".assist.json", std::ios::binary | std::ios::trunc);
  out << json::serialize(json::object{{"format", kModelFormat},
                                      {"procedure_weight", options_.procedure_weight},
                                      {"threshold", options_.threshold},
                                      {"use_history", options_.use_history}})
      << "\n";
  if (!out) return MakeError(ErrorCode::kUnavailable, "cannot write " + model + ".assist.json");
  return {};
}

Result<std::unique_ptr<NextActionModel>> NextActionModel::Load(const std::string& model, const Knowledge& knowledge) {
  std::ifstream in(model + ".assist.json", std::ios::binary);
  if (!in) return NotFound("no assist model at " + model + " (" + model + ".assist.json is missing)");
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(text.str(), ec);
  if (ec || !v.is_object() || v.as_object().if_contains("format") == nullptr ||
      v.as_object().at("format") != json::value(kModelFormat)) {
    return InvalidArgument(model + ".assist.json: not a " + std::string(kModelFormat) + " file");
  }
  NextActionOptions options;
  const json::object& o = v.as_object();
  if (auto* w = o.if_contains("procedure_weight"); w && w->is_number()) options.procedure_weight = w->to_number<double>();
  if (auto* t = o.if_contains("threshold"); t && t->is_number()) options.threshold = t->to_number<double>();
  if (auto* h = o.if_contains("use_history"); h && h->is_bool()) options.use_history = h->as_bool();
  auto actions = triage::FastTextClassifier::Load(model + ".actions.bin");
  HITLGATE_RETURN_IF_ERROR(actions);
  auto procedures = triage::FastTextClassifier::Load(model + ".procedures.bin");
  HITLGATE_RETURN_IF_ERROR(procedures);
  return std::unique_ptr<NextActionModel>(
      new NextActionModel(std::move(*actions), std::move(*procedures), knowledge, options));
}

std::unique_ptr<NextActionModel> NextActionModel::WithKnowledge(Knowledge knowledge) const {
  return std::unique_ptr<NextActionModel>(new NextActionModel(actions_, procedures_, std::move(knowledge), options_));
}

std::vector<std::string> NextActionModel::ClassifierRanking(const ConversationContext& context, int k) const {
  std::vector<std::string> out;
  for (const auto& p : actions_->Predict(Features(context), k)) out.push_back(p.label);
  return out;
}

AssistAnswer NextActionModel::Suggest(const ConversationContext& context, int k) const {
  const std::string features = Features(context);
  // A model trained blind to the done actions stays blind to them here too.
  static const std::vector<std::string> kNothingDone;
  const std::vector<std::string>& done_actions = options_.use_history ? context.done_actions : kNothingDone;
  struct Score {
    double total = 0, classifier = 0, from_procedure = 0;
    const Procedure* procedure = nullptr;
    double procedure_probability = 0;
    size_t step = 0;
  };
  std::map<std::string, Score> scores;
  for (const auto& p : actions_->Predict(features, -1)) scores[p.label].classifier = p.probability;
  AssistAnswer answer;
  for (const auto& p : procedures_->Predict(features, -1)) {
    const Procedure* procedure = knowledge_.FindProcedure(p.label);
    if (procedure == nullptr) continue;
    const size_t next = NextStepIndex(*procedure, done_actions);
    if (answer.procedure.empty()) {
      answer.procedure = procedure->id;
      answer.procedure_confidence = p.probability;
      for (size_t i = 0; i < procedure->steps.size(); ++i) {
        answer.steps.push_back({procedure->steps[i].action, procedure->steps[i].label, i < next});
      }
      answer.next_step = next < procedure->steps.size() ? static_cast<int>(next) : -1;
    }
    if (next >= procedure->steps.size()) continue;
    Score& s = scores[procedure->steps[next].action];
    const double added = options_.procedure_weight * p.probability;
    s.from_procedure += added;
    if (s.procedure == nullptr || p.probability > s.procedure_probability) {
      s.procedure = procedure;
      s.procedure_probability = p.probability;
      s.step = next;
    }
  }
  for (auto& [action, s] : scores) s.total = (s.classifier + s.from_procedure) / (1 + options_.procedure_weight);
  std::vector<std::pair<std::string, Score>> ranked(scores.begin(), scores.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second.total > b.second.total; });
  if (k > 0 && ranked.size() > static_cast<size_t>(k)) ranked.resize(k);
  const std::string done = done_actions.empty() ? "none" : Join(done_actions, ", ");
  for (const auto& [action, s] : ranked) {
    Suggestion out{action, s.total, "", -1, ""};
    if (s.procedure != nullptr) {
      out.procedure = s.procedure->id;
      out.step = static_cast<int>(s.step);
      out.slots = FillSlots(s.procedure->steps[s.step].slots, context.collected);
      out.evidence = "step " + std::to_string(s.step + 1) + " of " + std::to_string(s.procedure->steps.size()) +
                     " of '" + s.procedure->title + "' (procedure p=" + Fixed(s.procedure_probability) +
                     "); done so far: " + done + "; the conversation's words give p=" + Fixed(s.classifier);
    } else {
      out.evidence = "the conversation's words give p=" + Fixed(s.classifier) + "; no likely procedure has it next";
    }
    answer.suggestions.push_back(std::move(out));
  }
  answer.dont_know = answer.suggestions.empty() || answer.suggestions.front().confidence < options_.threshold;
  return answer;
}

}  // namespace hitlgate::assist
