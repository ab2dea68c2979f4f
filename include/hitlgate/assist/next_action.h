// Next-best action for a conversation (docs/assist.md): which procedure
// applies, which of its steps the transcript shows done, and the next step,
// mixed with a fastText next-action classifier over the same conversation.
// Each suggestion says why and how sure it is; under the threshold the answer
// is "don't know". A loaded model is immutable and Suggest() is thread-safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/assist/knowledge.h"
#include "hitlgate/common/error.h"
#include "hitlgate/triage/classifier.h"

namespace hitlgate::assist {

struct ConversationContext {
  std::string text;                       // the conversation so far
  std::vector<std::string> done_actions;  // actions the transcript shows taken, in order
  // What the AI collected (the task context's "collected"), by name.
  std::map<std::string, std::string> collected;
};

// One row of a contexts file (the shared derived_guidedtod format).
struct LabeledContext {
  std::string conversation;
  int turn = 0;
  ConversationContext context;
  std::vector<std::string> next_actions;  // the agent's actions from here on; [0] is the next one
};

// JSON lines with convo_id, turn_id, input and target_data. That format
// leaves actions out of the text; done_actions is rebuilt from the same
// conversation's earlier rows: the first target action of each earlier row,
// which is the action taken at that turn (later targets are never read, so
// no row sees its own answer). InvalidArgument names the line.
[[nodiscard]] Result<std::vector<LabeledContext>> ReadContexts(const std::string& path);

struct StepState {
  std::string action;
  std::string label;
  bool done = false;
};

// A slot the suggested step needs, with the value the AI collected under
// the same name (compared without case, '_', '-' or spaces), if any.
struct SlotValue {
  std::string name;
  std::optional<std::string> value;
};

struct Suggestion {
  std::string action;
  double confidence = 0;  // the mixed score, 0..1
  std::string procedure;  // the procedure whose next step this is ("" = the classifier alone)
  int step = -1;          // its index in that procedure
  std::string evidence;   // why, in words
  std::vector<SlotValue> slots;  // of that procedure step, in its order
};

struct AssistAnswer {
  std::string procedure;  // the most likely procedure
  double procedure_confidence = 0;
  std::vector<StepState> steps;  // of that procedure, done or not
  int next_step = -1;
  std::vector<Suggestion> suggestions;  // best first
  bool dont_know = false;               // the best suggestion is under the threshold
};

struct NextActionOptions {
  triage::TrainOptions fasttext;
  double procedure_weight = 0.5;  // how much a procedure's next step adds to the classifier's probability
  double threshold = 0.35;        // under this confidence: don't know
  bool use_history = true;        // show the models the done actions
};

// The procedure a whole conversation followed: the one sharing the longest
// ordered run of actions with it (ties: the shorter procedure, then the first).
const Procedure* ProcedureFollowed(const Knowledge& knowledge, const std::vector<std::string>& actions);

class NextActionModel {
 public:
  [[nodiscard]] static Result<std::unique_ptr<NextActionModel>> Train(const std::vector<LabeledContext>& examples,
                                                                      const Knowledge& knowledge,
                                                                      const NextActionOptions& options);
  // MODEL.actions.bin, MODEL.procedures.bin and MODEL.assist.json.
  [[nodiscard]] static Result<std::unique_ptr<NextActionModel>> Load(const std::string& model,
                                                                     const Knowledge& knowledge);
  [[nodiscard]] Result<void> Save(const std::string& model) const;

  AssistAnswer Suggest(const ConversationContext& context, int k = 3) const;
  // The classifier alone (the baseline the procedures improve on).
  std::vector<std::string> ClassifierRanking(const ConversationContext& context, int k = 3) const;
  const NextActionOptions& options() const { return options_; }
  const Knowledge& knowledge() const { return knowledge_; }
  // The same classifiers over other procedures (an admin loaded a new
  // version): a procedure the classifier never learned is never suggested.
  std::unique_ptr<NextActionModel> WithKnowledge(Knowledge knowledge) const;

 private:
  NextActionModel(std::shared_ptr<const triage::FastTextClassifier> actions,
                  std::shared_ptr<const triage::FastTextClassifier> procedures, Knowledge knowledge,
                  NextActionOptions options);
  std::string Features(const ConversationContext& context) const;

  std::shared_ptr<const triage::FastTextClassifier> actions_;
  std::shared_ptr<const triage::FastTextClassifier> procedures_;
  Knowledge knowledge_;
  NextActionOptions options_;
};

// ---- Evaluation -----------------------------------------------------------

struct Accuracy {
  int n = 0;
  int top1 = 0, top3 = 0;
  double Top1() const { return n ? static_cast<double>(top1) / n : 0; }
  double Top3() const { return n ? static_cast<double>(top3) / n : 0; }
  void Add(const std::string& gold, const std::vector<std::string>& ranked);
};

struct EvaluationRow {
  std::string name;
  Accuracy accuracy;
};

struct CrossValidation {
  int folds = 0, conversations = 0, contexts = 0;
  std::vector<EvaluationRow> rows;
  // The mixed model at its threshold: share answered, and top-1 on those.
  double answered = 0, answered_top1 = 0;
};

// k-fold cross-validation grouped by conversation: conversation i (in sorted
// id order) is in fold i mod k, so no conversation is in train and test.
[[nodiscard]] Result<CrossValidation> CrossValidate(const std::vector<LabeledContext>& contexts,
                                                    const Knowledge& knowledge, const NextActionOptions& options,
                                                    int folds);

}  // namespace hitlgate::assist
