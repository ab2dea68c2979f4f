#include "cli/assist_commands.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "hitlgate/assist/feedback_contexts.h"
#include "hitlgate/assist/knowledge.h"
#include "hitlgate/assist/next_action.h"

namespace hitlgate::cli {

struct AssistCommands {
  CLI::App* import_cmd = nullptr;
  CLI::App* train_cmd = nullptr;
  CLI::App* eval_cmd = nullptr;
  CLI::App* suggest_cmd = nullptr;
  std::string guidelines, kb, output = "-";
  std::string contexts, procedures, model;
  std::string feedback;  // `feedback export` lines (train only)
  int feedback_weight = 5;
  int cv = 0;
  bool no_history = false;
  assist::NextActionOptions options;
  std::string text;
  std::vector<std::string> done;
};

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "hitlgate: %s\n", message.c_str());
  return 2;
}

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int RunImport(const AssistCommands& c) {
  auto guidelines = ReadAll(c.guidelines);
  if (!guidelines) return Fail(guidelines.error().message());
  auto kb = ReadAll(c.kb);
  if (!kb) return Fail(kb.error().message());
  auto knowledge = assist::ImportAbcd(*guidelines, *kb);
  if (!knowledge) return Fail(knowledge.error().message());
  const std::string text = assist::EncodeKnowledge(*knowledge) + "\n";
  if (c.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    std::ofstream out(c.output, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return Fail("cannot write " + c.output);
    std::fprintf(stderr, "wrote %zu procedures and %zu articles to %s\n", knowledge->procedures.size(),
                 knowledge->articles.size(), c.output.c_str());
  }
  return 0;
}

assist::NextActionOptions Options(const AssistCommands& c) {
  assist::NextActionOptions o = c.options;
  o.use_history = !c.no_history;
  return o;
}

int RunTrain(const AssistCommands& c) {
  auto knowledge = assist::ReadKnowledgeFile(c.procedures);
  if (!knowledge) return Fail(knowledge.error().message());
  auto contexts = assist::ReadContexts(c.contexts);
  if (!contexts) return Fail(contexts.error().message());
  size_t from_feedback = 0;
  if (!c.feedback.empty()) {
    auto judged = assist::ReadFeedbackContexts(c.feedback, c.feedback_weight);
    if (!judged) return Fail(judged.error().message());
    from_feedback = judged->size();
    contexts->insert(contexts->end(), judged->begin(), judged->end());
  }
  const auto started = std::chrono::steady_clock::now();
  auto model = assist::NextActionModel::Train(*contexts, *knowledge, Options(c));
  if (!model) return Fail(model.error().message());
  if (auto saved = (*model)->Save(c.model); !saved) return Fail(saved.error().message());
  std::printf("trained on %zu contexts (%zu from feedback) in %.1f s; wrote %s.actions.bin, %s.procedures.bin, "
              "%s.assist.json\n",
              contexts->size(), from_feedback, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
              c.model.c_str(), c.model.c_str(), c.model.c_str());
  return 0;
}

int RunEval(const AssistCommands& c) {
  if (c.cv == 0 && c.model.empty()) return Fail("say --model M (a trained model) or --cv K (cross-validate)");
  auto knowledge = assist::ReadKnowledgeFile(c.procedures);
  if (!knowledge) return Fail(knowledge.error().message());
  auto contexts = assist::ReadContexts(c.contexts);
  if (!contexts) return Fail(contexts.error().message());
  if (c.cv > 0) {
    auto cv = assist::CrossValidate(*contexts, *knowledge, Options(c), c.cv);
    if (!cv) return Fail(cv.error().message());
    std::printf("%d-fold cross-validation grouped by conversation: %d contexts, %d conversations (%s)\n", cv->folds,
                cv->contexts, cv->conversations, c.contexts.c_str());
    std::printf("%-44s %6s %6s\n", "next action", "top-1", "top-3");
    for (const auto& row : cv->rows) {
      std::printf("%-44s %6.3f %6.3f\n", row.name.c_str(), row.accuracy.Top1(), row.accuracy.Top3());
    }
    std::printf("at threshold %.2f the last model answers %.1f%% of contexts, top-1 %.3f on those\n",
                c.options.threshold, 100 * cv->answered, cv->answered_top1);
    return 0;
  }
  auto model = assist::NextActionModel::Load(c.model, *knowledge);
  if (!model) return Fail(model.error().message());
  assist::Accuracy accuracy;
  int answered = 0;
  for (const auto& row : *contexts) {
    std::vector<std::string> ranked;
    const auto answer = (*model)->Suggest(row.context, 3);
    for (const auto& s : answer.suggestions) ranked.push_back(s.action);
    accuracy.Add(row.next_actions.front(), ranked);
    answered += !answer.dont_know;
  }
  std::printf("contexts %d  top-1 %.3f  top-3 %.3f  answered %.1f%% (threshold %.2f)\n", accuracy.n,
              accuracy.Top1(), accuracy.Top3(), 100.0 * answered / accuracy.n, (*model)->options().threshold);
  return 0;
}

int RunSuggest(const AssistCommands& c) {
  auto knowledge = assist::ReadKnowledgeFile(c.procedures);
  if (!knowledge) return Fail(knowledge.error().message());
  auto model = assist::NextActionModel::Load(c.model, *knowledge);
  if (!model) return Fail(model.error().message());
  const auto answer = (*model)->Suggest({c.text, c.done}, 3);
  std::printf("procedure %s (p=%.2f)%s\n", answer.procedure.c_str(), answer.procedure_confidence,
              answer.dont_know ? "; don't know the next action" : "");
  for (const auto& s : answer.suggestions) {
    std::printf("  %-20s %.2f  %s\n", s.action.c_str(), s.confidence, s.evidence.c_str());
  }
  return 0;
}

void AddModelOptions(CLI::App* cmd, AssistCommands& c) {
  cmd->add_option("--contexts", c.contexts, "Conversation contexts (JSON lines: convo_id, turn_id, input, target_data)")
      ->required();
  cmd->add_option("--procedures", c.procedures, "The knowledge document with the procedures (docs/assist.md)")
      ->required();
  cmd->add_flag("--no-history", c.no_history, "Ignore the done actions (conversation text only)");
  cmd->add_option("--procedure-weight", c.options.procedure_weight, "Weight of the procedure's next step")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--threshold", c.options.threshold, "Under this confidence the answer is don't know")
      ->check(CLI::Range(0.0, 1.0));
}

}  // namespace

std::shared_ptr<AssistCommands> AddAssistCommands(CLI::App& app) {
  auto c = std::make_shared<AssistCommands>();
  CLI::App* assist = app.add_subcommand("assist", "Agent assist: procedures, knowledge and the next-best action");
  assist->require_subcommand(1);
  c->import_cmd = assist->add_subcommand("import-abcd", "Write the knowledge document from ABCD's guidelines and kb");
  c->import_cmd->add_option("--guidelines", c->guidelines, "ABCD guidelines.json")->required();
  c->import_cmd->add_option("--kb", c->kb, "ABCD kb.json")->required();
  c->import_cmd->add_option("--output,-o", c->output, "Output file (- = stdout)");

  c->train_cmd = assist->add_subcommand("train", "Train the next-action model");
  AddModelOptions(c->train_cmd, *c);
  c->train_cmd->add_option("--out", c->model, "Model path prefix")->required();
  c->train_cmd->add_option("--feedback", c->feedback,
                           "`hitlgate feedback export` lines: suggestions people used (or their own action, "
                           "where they marked the suggestions wrong) become labelled contexts");
  c->train_cmd->add_option("--feedback-weight", c->feedback_weight, "Each feedback context counts this many times")
      ->check(CLI::Range(1, 1000));

  c->eval_cmd = assist->add_subcommand("eval", "Top-1 / top-3 next-action accuracy");
  AddModelOptions(c->eval_cmd, *c);
  c->eval_cmd->add_option("--model", c->model, "A trained model's path prefix");
  c->eval_cmd->add_option("--cv", c->cv, "Cross-validate with K folds grouped by conversation instead")
      ->check(CLI::Range(2, 20));

  c->suggest_cmd = assist->add_subcommand("suggest", "Suggest the next action for one conversation");
  c->suggest_cmd->add_option("--model", c->model, "A trained model's path prefix")->required();
  c->suggest_cmd->add_option("--procedures", c->procedures, "The knowledge document")->required();
  c->suggest_cmd->add_option("--text", c->text, "The conversation so far")->required();
  c->suggest_cmd->add_option("--done", c->done, "Actions already taken, in order")->delimiter(',');
  return c;
}

std::optional<int> RunAssistCommands(const AssistCommands& c) {
  if (*c.import_cmd) return RunImport(c);
  if (*c.train_cmd) return RunTrain(c);
  if (*c.eval_cmd) return RunEval(c);
  if (*c.suggest_cmd) return RunSuggest(c);
  return std::nullopt;
}

}  // namespace hitlgate::cli
