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

namespace hitlgate::assist {

class AssistService {
 public:
  AssistService(std::unique_ptr<NextActionModel> model, std::unique_ptr<ArticleIndex> index);
  // Loads the model's knowledge into the index.
  [[nodiscard]] Result<void> Start();
  [[nodiscard]] Result<void> ReplaceKnowledge(Knowledge knowledge);
  // The task JSON as the review API shows it -> the assist JSON (docs/assist.md).
  [[nodiscard]] Result<std::string> AssistJson(std::string_view task_json, int articles = 3) const;
  // {"procedures": N, "articles": N}
  std::string SummaryJson() const;

 private:
  std::shared_ptr<const NextActionModel> Model() const;

  mutable std::mutex mu_;  // guards the swap of model_; readers keep their snapshot
  std::shared_ptr<const NextActionModel> model_;
  std::unique_ptr<ArticleIndex> index_;
};

// The conversation a task's transcript shows: its texts in order, and the
// actions of AI proposals the gateway allowed (done).
ConversationContext ContextFromTaskJson(std::string_view task_json);

}  // namespace hitlgate::assist
