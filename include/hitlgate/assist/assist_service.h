// AssistService: what GET /v1/review/tasks/{id}/assist answers for a task.
// It reads the task's transcript (its texts, and the actions of proposals the
// gateway let through as done), suggests the next action with the model and
// searches the articles. Admins replace the procedures and articles while it
// serves; a refused document changes nothing. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "hitlgate/assist/article_index.h"
#include "hitlgate/assist/knowledge.h"
#include "hitlgate/assist/next_action.h"
#include "hitlgate/store/types.h"

namespace hitlgate::assist {

class AssistService {
 public:
  AssistService(std::unique_ptr<NextActionModel> model, std::unique_ptr<ArticleIndex> index);
  // Loads the model's knowledge into the index.
  [[nodiscard]] Result<void> Start();
  [[nodiscard]] Result<void> ReplaceKnowledge(Knowledge knowledge);
  // What it serves now (a copy: a later replace does not change it).
  Knowledge CurrentKnowledge() const;
  // A task's conversation (ContextFromTask) -> the assist JSON (docs/assist.md).
  [[nodiscard]] Result<std::string> AssistJson(const ConversationContext& context, int articles = 3) const;

 private:
  std::shared_ptr<const NextActionModel> Model() const;

  mutable std::mutex mu_;  // guards the swap of model_; readers keep their snapshot
  std::shared_ptr<const NextActionModel> model_;
  std::unique_ptr<ArticleIndex> index_;
};

// The conversation a task's transcript shows: its texts in order, the actions
// of AI proposals the gateway allowed (done), and the values the task's
// context says the AI collected (the slots). Events that no longer parse are
// left out.
ConversationContext ContextFromTask(const store::Task& task, const std::vector<store::StoredDecision>& transcript);

}  // namespace hitlgate::assist
