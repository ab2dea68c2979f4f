// Grouped k-fold cross-validation of the next-action model with its
// baselines beside it, each trained on the same folds.
#include <algorithm>
#include <map>
#include <set>

#include "hitlgate/assist/next_action.h"

namespace hitlgate::assist {

void Accuracy::Add(const std::string& gold, const std::vector<std::string>& ranked) {
  ++n;
  for (size_t i = 0; i < ranked.size() && i < 3; ++i) {
    if (ranked[i] != gold) continue;
    top1 += i == 0;
    ++top3;
    break;
  }
}

Result<CrossValidation> CrossValidate(const std::vector<LabeledContext>& contexts, const Knowledge& knowledge,
                                      const NextActionOptions& options, int folds) {
  if (folds < 2) return InvalidArgument("cross-validation needs at least 2 folds");
  std::set<std::string> ids;
  for (const auto& c : contexts) ids.insert(c.conversation);
  if (ids.size() < static_cast<size_t>(folds)) return InvalidArgument("fewer conversations than folds");
  std::map<std::string, int> fold_of;
  int i = 0;
  for (const auto& id : ids) fold_of[id] = i++ % folds;

  CrossValidation cv;
  cv.folds = folds;
  cv.conversations = static_cast<int>(ids.size());
  cv.contexts = static_cast<int>(contexts.size());
  Accuracy frequent, text_only, text_mixed, history_only, mixed;
  int answered = 0, answered_right = 0;
  NextActionOptions without_history = options;
  without_history.use_history = false;
  NextActionOptions with_history = options;
  with_history.use_history = true;
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<LabeledContext> train, test;
    for (const auto& c : contexts) (fold_of[c.conversation] == fold ? test : train).push_back(c);
    std::map<std::string, int> counts;
    for (const auto& c : train) ++counts[c.next_actions.front()];
    std::vector<std::pair<int, std::string>> by_count;
    for (const auto& [action, n] : counts) by_count.push_back({-n, action});
    std::sort(by_count.begin(), by_count.end());
    std::vector<std::string> most_frequent;
    for (size_t j = 0; j < by_count.size() && j < 3; ++j) most_frequent.push_back(by_count[j].second);

    auto text_model = NextActionModel::Train(train, knowledge, without_history);
    HITLGATE_RETURN_IF_ERROR(text_model);
    auto model = NextActionModel::Train(train, knowledge, with_history);
    HITLGATE_RETURN_IF_ERROR(model);
    for (const auto& c : test) {
      const std::string& gold = c.next_actions.front();
      frequent.Add(gold, most_frequent);
      text_only.Add(gold, (*text_model)->ClassifierRanking(c.context, 3));
      std::vector<std::string> ranked;
      for (const auto& s : (*text_model)->Suggest(c.context, 3).suggestions) ranked.push_back(s.action);
      text_mixed.Add(gold, ranked);
      history_only.Add(gold, (*model)->ClassifierRanking(c.context, 3));
      const AssistAnswer answer = (*model)->Suggest(c.context, 3);
      ranked.clear();
      for (const auto& s : answer.suggestions) ranked.push_back(s.action);
      mixed.Add(gold, ranked);
      if (!answer.dont_know) {
        ++answered;
        answered_right += ranked.front() == gold;
      }
    }
  }
  cv.rows = {{"most frequent next action", frequent},
             {"fastText only, conversation text", text_only},
             {"procedure + fastText, conversation text", text_mixed},
             {"fastText only, text + done actions", history_only},
             {"procedure + fastText, text + done actions", mixed}};
  cv.answered = static_cast<double>(answered) / std::max(1, mixed.n);
  cv.answered_top1 = answered ? static_cast<double>(answered_right) / answered : 0;
  return cv;
}

}  // namespace hitlgate::assist
