#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "assist/sequence.h"
#include "hitlgate/assist/assist_service.h"
#include "hitlgate/assist/feedback_contexts.h"
#include "hitlgate/assist/knowledge.h"
#include "hitlgate/assist/next_action.h"

namespace hitlgate::assist {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("assist_test_" + std::to_string(::getpid()) + "_" + name)).string();
}

void Write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

const char* kTwoProcedures = R"({"format": "hitlgate-assist/1",
  "procedures": [
    {"id": "refund", "flow": "billing", "title": "Refund", "steps": [
      {"action": "pull-up-account"}, {"action": "validate-purchase", "slots": ["order_id"]}, {"action": "offer-refund"}]},
    {"id": "password", "flow": "access", "steps": [
      {"action": "pull-up-account"}, {"action": "make-password"}]}],
  "articles": [{"id": "a1", "title": "Refunds", "body": "Refund to the card on file.", "procedure": "refund"}]})";

Knowledge TwoProcedures() {
  auto k = ParseKnowledge(kTwoProcedures);
  EXPECT_TRUE(k.has_value()) << k.error().message();
  return *k;
}

TEST(KnowledgeTest, ParsesAndWritesTheSameDocument) {
  Knowledge k = TwoProcedures();
  ASSERT_EQ(k.procedures.size(), 2u);
  EXPECT_EQ(k.procedures[1].title, "password");  // a missing title is the id
  EXPECT_EQ(k.procedures[0].steps[1].slots, std::vector<std::string>{"order_id"});
  auto again = ParseKnowledge(EncodeKnowledge(k));
  ASSERT_TRUE(again.has_value()) << again.error().message();
  EXPECT_EQ(EncodeKnowledge(*again), EncodeKnowledge(k));
}

TEST(KnowledgeTest, RejectsBadDocumentsNamingTheField) {
  auto error_of = [](const std::string& text) {
    auto k = ParseKnowledge(text);
    return k ? std::string("accepted") : k.error().message();
  };
  EXPECT_EQ(error_of("{"), "not JSON: incomplete JSON");
  EXPECT_EQ(error_of(R"({"procedures": []})"), "format must be \"hitlgate-assist/1\"");
  EXPECT_EQ(error_of(R"({"format": "hitlgate-assist/1"})"), "no procedures and no articles");
  EXPECT_EQ(error_of(R"({"format": "hitlgate-assist/1", "procedures": [{"id": "x", "steps": [{"label": "y"}]}]})"),
            "procedures[0].steps[0]: action is missing");
  EXPECT_EQ(error_of(R"({"format": "hitlgate-assist/1", "procedures": [{"id": "x", "steps": []}]})"),
            "procedures[0]: steps must be a non-empty array");
  EXPECT_EQ(error_of(R"({"format": "hitlgate-assist/1", "procedures": [{"id": "x", "steps": [{"action": "a"}]},
                                                                    {"id": "x", "steps": [{"action": "a"}]}]})"),
            "procedures[1]: id 'x' is used twice");
  EXPECT_EQ(error_of(R"({"format": "hitlgate-assist/1", "articles": [{"id": "a", "title": "t", "body": "b",
                                                                  "procedure": "nope"}]})"),
            "articles[0]: procedure 'nope' is not in this document");
  EXPECT_EQ(error_of(R"({"format": "hitlgate-assist/1", "articles": [{"id": "a", "title": 3, "body": "b"}]})"),
            "articles[0]: title must be a string");
}

TEST(SequenceTest, NextStepFollowsDoneActionsInOrder) {
  const Procedure refund = TwoProcedures().procedures[0];
  EXPECT_EQ(NextStepIndex(refund, {}), 0u);
  EXPECT_EQ(NextStepIndex(refund, {"pull-up-account"}), 1u);
  // An action the procedure lacks is skipped; a skipped step counts as passed.
  EXPECT_EQ(NextStepIndex(refund, {"pull-up-account", "search-faq", "offer-refund"}), 3u);
  EXPECT_EQ(LongestCommonSubsequence({"a", "b", "c"}, {"a", "x", "c"}), 2u);
}

TEST(SequenceTest, ProcedureFollowedSharesTheLongestRun) {
  const Knowledge k = TwoProcedures();
  EXPECT_EQ(ProcedureFollowed(k, {"pull-up-account", "make-password"})->id, "password");
  EXPECT_EQ(ProcedureFollowed(k, {"pull-up-account", "validate-purchase"})->id, "refund");
  // Ties go to the shorter procedure.
  EXPECT_EQ(ProcedureFollowed(k, {"pull-up-account"})->id, "password");
  EXPECT_EQ(ProcedureFollowed(k, {"search-faq"}), nullptr);
}

TEST(AbcdImportTest, PairsGuidelineSubflowsWithKbIdsAndWritesArticles) {
  // Shaped like ABCD's files, written for this test.
  const std::string guidelines = R"({"Account Access": {"description": "logins", "subflows": {
      "Recover Password": {"actions": [{"type": "interaction", "button": "Pull up Account", "text": "Ask for the name.",
                                        "subtext": []},
                                       {"button": "Make Password", "text": "Make a new one.", "subtext": ["Tell them."]}],
                           "instructions": ["Wrap up nicely."]},
      "Reset Two-Factor Auth": {"actions": [{"button": "Pull up Account", "text": "Ask.", "subtext": []},
                                            {"button": "Send Link", "text": "Send it.", "subtext": []}]}}}})";
  const std::string kb = R"({"reset_2fa": ["pull-up-account", "send-link"],
                             "recover_password": ["pull-up-account", "make-password"]})";
  auto k = ImportAbcd(guidelines, kb);
  ASSERT_TRUE(k.has_value()) << k.error().message();
  const Procedure* p = k->FindProcedure("recover_password");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->title, "Recover Password");
  EXPECT_EQ(p->flow, "account_access");
  EXPECT_EQ(p->steps[1].label, "Make Password");
  EXPECT_EQ(p->steps[1].text, "Make a new one.");
  EXPECT_EQ(k->FindProcedure("reset_2fa")->title, "Reset Two-Factor Auth");
  ASSERT_EQ(k->articles.size(), 2u);  // in kb order
  EXPECT_EQ(k->articles[1].procedure, "recover_password");
  EXPECT_NE(k->articles[1].body.find("2. **Make Password**: Make a new one.\n   - Tell them.\n"), std::string::npos)
      << k->articles[1].body;
  EXPECT_TRUE(ParseKnowledge(EncodeKnowledge(*k)).has_value());
}

TEST(AbcdImportTest, RejectsAKbSubflowWithoutGuideline) {
  auto k = ImportAbcd(R"({"F": {"subflows": {}}})", R"({"x": ["a"]})");
  ASSERT_FALSE(k.has_value());
  EXPECT_EQ(k.error().message(), "guidelines: no subflow matches kb 'x'");
  EXPECT_FALSE(ImportAbcd("[]", "{}").has_value());
  EXPECT_EQ(ImportAbcd(R"({"F": {}})", "{}").error().message(), "guidelines: flow 'F' has no subflows object");
}

std::string ContextLine(int convo, int turn, const std::string& text, const std::string& targets) {
  return R"({"convo_id": )" + std::to_string(convo) + R"(, "turn_id": )" + std::to_string(turn) +
         R"(, "input": "Context: )" + text + R"(", "target_data": ")" + targets + "\"}\n";
}

TEST(ContextsTest, DoneActionsComeFromEarlierRowsFirstActionOnly) {
  const std::string path = TempPath("contexts.jsonl");
  // Written out of order on purpose: rows are ordered by conversation and turn.
  Write(path, ContextLine(7, 9, "later", R"([[\"offer-refund\", [\"40\"]]])") +
                  ContextLine(7, 2, "hello", R"([[\"pull-up-account\", []], [\"validate-purchase\", []], [\"offer-refund\", []]])") +
                  ContextLine(7, 5, "order id", R"([[\"validate-purchase\", []], [\"offer-refund\", []]])"));
  auto rows = ReadContexts(path);
  ASSERT_TRUE(rows.has_value()) << rows.error().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].context.text, " hello");
  EXPECT_TRUE((*rows)[0].context.done_actions.empty());
  EXPECT_EQ((*rows)[1].context.done_actions, std::vector<std::string>{"pull-up-account"});
  // Row 3 is not told that validate-purchase came before it from row 1's
  // whole target, only from row 2's first action.
  EXPECT_EQ((*rows)[2].context.done_actions, (std::vector<std::string>{"pull-up-account", "validate-purchase"}));
  EXPECT_EQ((*rows)[2].next_actions, std::vector<std::string>{"offer-refund"});
  std::filesystem::remove(path);
}

TEST(ContextsTest, BadLinesAreNamed) {
  const std::string path = TempPath("bad.jsonl");
  auto error_of = [&](const std::string& text) {
    Write(path, text);
    auto rows = ReadContexts(path);
    return rows ? std::string("accepted") : rows.error().message();
  };
  EXPECT_EQ(error_of(ContextLine(1, 1, "a", R"([[\"x\", []]])") + "nonsense\n"), path + ":2: not a JSON object");
  EXPECT_EQ(error_of(R"({"convo_id": 1, "turn_id": "3", "input": "", "target_data": "[]"})"),
            path + ":1: turn_id must be an integer");
  EXPECT_EQ(error_of(ContextLine(1, 1, "a", "[]")), path + ":1: target_data must list at least one action");
  EXPECT_EQ(error_of(ContextLine(1, 1, "a", "[oops")), path + ":1: target_data is not JSON");
  EXPECT_EQ(error_of("\n"), path + ": no contexts");
  EXPECT_EQ(ReadContexts(TempPath("missing")).error().code(), ErrorCode::kNotFound);
  std::filesystem::remove(path);
}

NextActionOptions Small() {
  NextActionOptions o;
  o.fasttext.buckets = 10000;  // small tables train in a blink; the data is tiny
  return o;
}

// Two kinds of conversation, each walked through its procedure: the model
// must name the step that follows the done ones, with the procedure as why.
std::vector<LabeledContext> Walkthroughs() {
  std::vector<LabeledContext> out;
  for (int i = 0; i < 40; ++i) {
    const bool refund = i % 2 == 0;
    const std::vector<std::string> steps =
        refund ? std::vector<std::string>{"pull-up-account", "validate-purchase", "offer-refund"}
               : std::vector<std::string>{"pull-up-account", "make-password"};
    std::string text = refund ? "i want my money back for the jacket" : "i forgot my password and cannot log in";
    for (size_t s = 0; s < steps.size(); ++s) {
      LabeledContext c;
      c.conversation = std::to_string(i);
      c.turn = static_cast<int>(s);
      c.context.text = text;
      c.context.done_actions.assign(steps.begin(), steps.begin() + s);
      c.next_actions.assign(steps.begin() + s, steps.end());
      out.push_back(c);
      text += " ok next";
    }
  }
  return out;
}

TEST(NextActionTest, SuggestsTheProcedureStepAfterTheDoneOnes) {
  NextActionOptions options = Small();
  options.fasttext.epochs = 30;
  auto model = NextActionModel::Train(Walkthroughs(), TwoProcedures(), options);
  ASSERT_TRUE(model.has_value()) << model.error().message();
  const AssistAnswer a = (*model)->Suggest({"i want my money back for the jacket ok next", {"pull-up-account"}});
  EXPECT_EQ(a.procedure, "refund");
  ASSERT_EQ(a.steps.size(), 3u);
  EXPECT_TRUE(a.steps[0].done);
  EXPECT_FALSE(a.steps[1].done);
  EXPECT_EQ(a.next_step, 1);
  ASSERT_FALSE(a.suggestions.empty());
  EXPECT_EQ(a.suggestions[0].action, "validate-purchase");
  EXPECT_EQ(a.suggestions[0].procedure, "refund");
  EXPECT_EQ(a.suggestions[0].step, 1);
  EXPECT_NE(a.suggestions[0].evidence.find("step 2 of 3 of 'Refund'"), std::string::npos) << a.suggestions[0].evidence;
  EXPECT_FALSE(a.dont_know);

  const std::string prefix = TempPath("model");
  ASSERT_TRUE((*model)->Save(prefix).has_value());
  auto loaded = NextActionModel::Load(prefix, TwoProcedures());
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  EXPECT_EQ((*loaded)->Suggest({"i forgot my password and cannot log in ok next", {"pull-up-account"}})
                .suggestions[0].action,
            "make-password");
  for (const char* suffix : {".actions.bin", ".procedures.bin", ".assist.json"}) std::filesystem::remove(prefix + suffix);
}

TEST(NextActionTest, TheNextStepsSlotsAreFilledFromWhatTheAiCollected) {
  NextActionOptions options = Small();
  options.fasttext.epochs = 30;
  auto model = NextActionModel::Train(Walkthroughs(), TwoProcedures(), options);
  ASSERT_TRUE(model.has_value()) << model.error().message();
  ConversationContext context{"i want my money back for the jacket ok next", {"pull-up-account"}, {}};
  context.collected = {{"Order ID", "A-77"}, {"email", "x@example.com"}};
  const AssistAnswer filled = (*model)->Suggest(context);
  ASSERT_FALSE(filled.suggestions.empty());
  ASSERT_EQ(filled.suggestions[0].action, "validate-purchase");
  ASSERT_EQ(filled.suggestions[0].slots.size(), 1u);
  EXPECT_EQ(filled.suggestions[0].slots[0].name, "order_id");
  EXPECT_EQ(filled.suggestions[0].slots[0].value, "A-77");
  // Nothing collected under that name: the slot is named, without a value.
  context.collected = {{"order", "A-77"}};
  const AssistAnswer empty = (*model)->Suggest(context);
  ASSERT_EQ(empty.suggestions[0].slots.size(), 1u);
  EXPECT_FALSE(empty.suggestions[0].slots[0].value.has_value());
}

store::StoredDecision Recorded(std::string event_json, engine::Outcome outcome) {
  store::StoredDecision d;
  d.record.event_json = std::move(event_json);
  d.record.outcome = outcome;
  return d;
}

TEST(AssistContextTest, CollectedValuesComeFromTheTaskContextAndNestedOnesAreNotSlots) {
  store::Task task;
  task.context_json = R"({"collected":{"order_id":"A-1","amount":20,"gift":true,"address":{"city":"Lyon"}}})";
  const ConversationContext c = ContextFromTask(
      task, {Recorded(R"({"interaction_id":"i","workflow":"w","type":"customer_message","text":"refund please"})", engine::Outcome::kAllow)});
  EXPECT_EQ(c.collected.size(), 3u);
  EXPECT_EQ(c.collected.at("order_id"), "A-1");
  EXPECT_EQ(c.collected.at("amount"), "20");
  EXPECT_EQ(c.collected.at("gift"), "true");
  EXPECT_EQ(c.text, "refund please");
}

TEST(AssistContextTest, OnlyActionsTheGatewayLetThroughAreDone) {
  const std::string pull = R"({"interaction_id":"i","workflow":"w","type":"ai_proposal","text":"one moment","action":{"name":"pull-up-account"}})";
  const std::string refund = R"({"interaction_id":"i","workflow":"w","type":"ai_proposal","text":"refunding","action":{"name":"offer-refund"}})";
  const std::string notify = R"({"interaction_id":"i","workflow":"w","type":"ai_proposal","action":{"name":"notify-team"}})";
  const ConversationContext c =
      ContextFromTask(store::Task{}, {Recorded(pull, engine::Outcome::kAllow),
                                      Recorded(notify, engine::Outcome::kAllowMonitored),
                                      Recorded("not json", engine::Outcome::kAllow),
                                      Recorded(refund, engine::Outcome::kHold)});
  EXPECT_THAT(c.done_actions, ::testing::ElementsAre("pull-up-account", "notify-team"));
  EXPECT_EQ(c.text, "one moment refunding") << "the held proposal's text is part of the conversation";
}

// A feedback export line for a task where the person judged suggestions.
std::string FeedbackLine(int task, const std::string& customer, const std::string& assist,
                         const std::string& final_action = "null") {
  return R"({"task_id":"t-)" + std::to_string(task) + R"(","proposal":{"customer_text":")" + customer +
         R"(","text":"let me look","action":{"name":"pull-up-account"}},"final":{"action":)" + final_action +
         R"(},"assist":)" + assist + "}\n";
}

TEST(FeedbackContextsTest, UsedSuggestionsLabelTheContextAndWrongOnesGiveWayToThePersonsAction) {
  const std::string path = TempPath("feedback.jsonl");
  Write(path, FeedbackLine(1, "charged twice", R"({"used":["offer-refund"],"wrong":["pull-up-account"]})") +
                  FeedbackLine(2, "charged twice", R"({"used":[],"wrong":["pull-up-account"]})",
                               R"({"name":"validate-purchase"})") +
                  // Their own action was the one they marked wrong: nothing to learn.
                  FeedbackLine(3, "charged twice", R"({"wrong":["offer-refund"]})", R"({"name":"offer-refund"})") +
                  FeedbackLine(4, "charged twice", R"({"wrong":["offer-refund"]})") +
                  R"({"task_id":"t-5","proposal":{"customer_text":"no judgements"}})" "\n");
  auto rows = ReadFeedbackContexts(path, 2);
  ASSERT_TRUE(rows.has_value()) << rows.error().message();
  ASSERT_EQ(rows->size(), 4u) << "two labelled examples, twice each";
  EXPECT_EQ((*rows)[0].next_actions, std::vector<std::string>{"offer-refund"});
  EXPECT_EQ((*rows)[0].context.text, "charged twice let me look");
  EXPECT_TRUE((*rows)[0].context.done_actions.empty());
  EXPECT_EQ((*rows)[0].conversation, "feedback:t-1");
  EXPECT_EQ((*rows)[2].next_actions, std::vector<std::string>{"validate-purchase"});
  std::filesystem::remove(path);
}

TEST(FeedbackContextsTest, ABadLineIsNamedWithItsFileAndLine) {
  const std::string path = TempPath("bad_feedback.jsonl");
  Write(path, FeedbackLine(1, "hi", R"({"used":["offer-refund"]})") + "{\"task_id\":\"t-2\",\"assist\":{\"used\":[3]}}\n");
  auto rows = ReadFeedbackContexts(path, 1);
  ASSERT_FALSE(rows.has_value());
  EXPECT_EQ(rows.error().message(), path + ":2: assist.used must be a list of actions");
  Write(path, "[1, 2]\n");
  EXPECT_EQ(ReadFeedbackContexts(path, 1).error().message(), path + ":1: not a JSON object");
  Write(path, R"({"convo_id": 1, "turn_id": 0})" "\n");
  EXPECT_EQ(ReadFeedbackContexts(path, 1).error().message(),
            path + ":1: task_id is missing: not a feedback export line");
  EXPECT_EQ(ReadFeedbackContexts(path, 0).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ReadFeedbackContexts(TempPath("missing.jsonl"), 1).error().code(), ErrorCode::kNotFound);
  std::filesystem::remove(path);
}

TEST(FeedbackContextsTest, RetrainingWithFeedbackChangesTheTopSuggestionWherePeopleUsedAnotherAction) {
  // On "charged twice" conversations the model, knowing nothing of those
  // words, starts where every procedure starts; people kept using the refund.
  const ConversationContext charged{"my card was charged twice this month", {}};
  NextActionOptions options = Small();
  options.fasttext.epochs = 30;
  auto before = NextActionModel::Train(Walkthroughs(), TwoProcedures(), options);
  ASSERT_TRUE(before.has_value());
  ASSERT_EQ((*before)->Suggest(charged).suggestions[0].action, "pull-up-account");

  const std::string path = TempPath("charged.jsonl");
  std::string lines;
  for (int i = 0; i < 4; ++i) {
    lines += FeedbackLine(i, "my card was charged twice this month", R"({"used":["offer-refund"],"wrong":["pull-up-account"]})");
  }
  Write(path, lines);
  auto judged = ReadFeedbackContexts(path, 5);
  ASSERT_TRUE(judged.has_value()) << judged.error().message();
  std::vector<LabeledContext> rows = Walkthroughs();
  rows.insert(rows.end(), judged->begin(), judged->end());
  auto after = NextActionModel::Train(rows, TwoProcedures(), options);
  ASSERT_TRUE(after.has_value());
  const AssistAnswer answer = (*after)->Suggest(charged);
  EXPECT_EQ(answer.suggestions[0].action, "offer-refund") << answer.suggestions[0].evidence;
  // Where nobody judged anything, the model still follows the procedure.
  EXPECT_EQ((*after)->Suggest({"i forgot my password and cannot log in ok next", {"pull-up-account"}}).suggestions[0].action,
            "make-password");
  std::filesystem::remove(path);
}

TEST(NextActionTest, UnderTheThresholdItSaysItDoesNotKnow) {
  NextActionOptions options = Small();
  options.threshold = 0.9;
  auto model = NextActionModel::Train(Walkthroughs(), TwoProcedures(), options);
  ASSERT_TRUE(model.has_value());
  // After the account is up, words that are neither refund nor password
  // leave two next steps about as likely.
  const AssistAnswer unsure = (*model)->Suggest({"hello there", {"pull-up-account"}});
  EXPECT_TRUE(unsure.dont_know) << unsure.suggestions[0].confidence;
  EXPECT_FALSE((*model)->Suggest({"i forgot my password and cannot log in ok next", {"pull-up-account"}}).dont_know);
}

TEST(NextActionTest, LoadNamesAMissingModel) {
  auto m = NextActionModel::Load(TempPath("nothing"), TwoProcedures());
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().code(), ErrorCode::kNotFound);
}

TEST(CrossValidationTest, CountsEveryContextOnceAndLearnsProceduresFollowedExactly) {
  auto cv = CrossValidate(Walkthroughs(), TwoProcedures(), Small(), 4);
  ASSERT_TRUE(cv.has_value()) << cv.error().message();
  EXPECT_EQ(cv->conversations, 40);
  EXPECT_EQ(cv->contexts, 100);
  ASSERT_EQ(cv->rows.size(), 5u);
  for (const auto& row : cv->rows) EXPECT_EQ(row.accuracy.n, 100) << row.name;
  // The walkthroughs follow their procedures exactly, so the mixed model
  // with done actions gets them right.
  EXPECT_GE(cv->rows.back().accuracy.Top1(), 0.95);
  EXPECT_FALSE(CrossValidate(Walkthroughs(), TwoProcedures(), Small(), 1).has_value());
}

TEST(CrossValidationTest, NoConversationIsInTrainAndTest) {
  // Only a word unique to each conversation tells its procedure. A model
  // that trained on the test conversation's first row would know the second
  // row's next step; grouped by conversation it can only guess.
  std::vector<LabeledContext> rows;
  for (int i = 0; i < 40; ++i) {
    const bool refund = (i * 7919) % 5 < 2 || i % 3 == 0;
    const std::string second = refund ? "validate-purchase" : "make-password";
    const std::string text = "hello from conversation zq" + std::to_string(i * 7919);
    rows.push_back({std::to_string(i), 0, {text, {}}, {"pull-up-account", second}});
    rows.push_back({std::to_string(i), 1, {text, {"pull-up-account"}}, {second}});
  }
  auto cv = CrossValidate(rows, TwoProcedures(), Small(), 4);
  ASSERT_TRUE(cv.has_value()) << cv.error().message();
  // First rows are always right (every procedure starts the same way);
  // second rows at chance: about 0.75 in all, far from the 1.0 of a leak.
  EXPECT_LT(cv->rows.back().accuracy.Top1(), 0.9);
  EXPECT_GE(cv->rows.back().accuracy.Top1(), 0.5);
}

}  // namespace
}  // namespace hitlgate::assist
