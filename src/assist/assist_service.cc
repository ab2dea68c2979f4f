#include "hitlgate/assist/assist_service.h"

#include <boost/json.hpp>

#include "hitlgate/codec/json.h"

namespace hitlgate::assist {

namespace json = boost::json;

ConversationContext ContextFromTask(const store::Task& task, const std::vector<store::StoredDecision>& transcript) {
  ConversationContext context;
  boost::system::error_code ec;
  const json::value task_context = json::parse(task.context_json, ec);
  if (!ec && task_context.is_object()) {
    if (const json::value* collected = task_context.as_object().if_contains("collected");
        collected != nullptr && collected->is_object()) {
      for (const auto& [name, value] : collected->as_object()) {
        // Numbers and flags keep their JSON spelling; nested values are not slots.
        if (value.is_string()) {
          context.collected[std::string(name)] = std::string(value.as_string());
        } else if (value.is_number() || value.is_bool()) {
          context.collected[std::string(name)] = json::serialize(value);
        }
      }
    }
  }
  for (const store::StoredDecision& d : transcript) {
    auto event = codec::ParseEvent(d.record.event_json);
    if (!event) continue;
    if (!event->text.empty()) {
      if (!context.text.empty()) context.text += ' ';
      context.text += event->text;
    }
    const bool allowed = d.record.outcome == engine::Outcome::kAllow || d.record.outcome == engine::Outcome::kAllowMonitored;
    if (event->action && allowed && !event->action->name.empty()) context.done_actions.push_back(event->action->name);
  }
  return context;
}

AssistService::AssistService(std::unique_ptr<NextActionModel> model, std::unique_ptr<ArticleIndex> index)
    : model_(std::move(model)), index_(std::move(index)) {}

Result<void> AssistService::Start() { return index_->Replace(Model()->knowledge().articles); }

std::shared_ptr<const NextActionModel> AssistService::Model() const {
  std::lock_guard lock(mu_);
  return model_;
}

Result<void> AssistService::ReplaceKnowledge(Knowledge knowledge) {
  std::shared_ptr<const NextActionModel> next = Model()->WithKnowledge(knowledge);
  HITLGATE_RETURN_IF_ERROR(index_->Replace(knowledge.articles));
  std::lock_guard lock(mu_);
  model_ = std::move(next);
  return {};
}

Knowledge AssistService::CurrentKnowledge() const { return Model()->knowledge(); }

Result<std::string> AssistService::AssistJson(const ConversationContext& context, int articles) const {
  const auto model = Model();
  const AssistAnswer answer = model->Suggest(context, 3);
  auto hits = index_->Search(context.text, articles);
  HITLGATE_RETURN_IF_ERROR(hits);

  json::object out;
  json::array done;
  for (const auto& a : context.done_actions) done.emplace_back(a);
  out["done_actions"] = std::move(done);
  if (const Procedure* p = model->knowledge().FindProcedure(answer.procedure)) {
    json::array steps;
    for (size_t i = 0; i < answer.steps.size(); ++i) {
      steps.emplace_back(json::object{{"action", answer.steps[i].action},
                                      {"label", answer.steps[i].label},
                                      {"done", answer.steps[i].done},
                                      {"next", static_cast<int>(i) == answer.next_step}});
    }
    out["procedure"] = json::object{{"id", p->id},
                                    {"title", p->title},
                                    {"flow", p->flow},
                                    {"confidence", answer.procedure_confidence},
                                    {"steps", std::move(steps)}};
  } else {
    out["procedure"] = nullptr;
  }
  json::array suggestions;
  for (const Suggestion& s : answer.suggestions) {
    json::object item{{"action", s.action}, {"confidence", s.confidence}, {"evidence", s.evidence}};
    if (!s.procedure.empty()) {
      item["procedure"] = s.procedure;
      item["step"] = s.step;
      json::array slots;
      for (const SlotValue& slot : s.slots) {
        slots.emplace_back(json::object{{"name", slot.name},
                                        {"value", slot.value ? json::value(*slot.value) : json::value(nullptr)}});
      }
      item["slots"] = std::move(slots);
    }
    suggestions.emplace_back(std::move(item));
  }
  out["suggestions"] = std::move(suggestions);
  out["dont_know"] = answer.dont_know;
  out["threshold"] = model->options().threshold;
  json::array found;
  for (const ArticleHit& h : *hits) {
    json::array marks;
    for (const auto& [begin, end] : h.marks) marks.emplace_back(json::array{begin, end});
    json::array words;
    for (const auto& w : h.matched_words) words.emplace_back(w);
    found.emplace_back(json::object{{"id", h.id},
                                    {"title", h.title},
                                    {"score", h.score},
                                    {"snippet", h.snippet},
                                    {"marks", std::move(marks)},
                                    {"matched_words", std::move(words)}});
  }
  out["articles"] = std::move(found);
  return json::serialize(out);
}

}  // namespace hitlgate::assist
