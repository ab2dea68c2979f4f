// Feedback: every human judgement of the AI's work as a labeled example for
// retraining and calibration. Examples are *derived* from what the store
// already keeps durably (no table of their own): the audit log says what
// happened and when ("verdict" on a task, "control_set" by a supervisor),
// the task and interaction records give the texts the audit log carries only
// as digests (docs/audit-format.md, "Personal data").
//
// Sources (FeedbackExample::source):
//   "hold"          a reviewer's verdict on a held proposal
//   "handoff"       a person's verdict on a conversation handed to them
//   "contest"       a verdict on a customer's contest of an automated decision
//   "audit_sample"  an auditor's verdict on a sampled autonomous conversation
//                   (rejected = an audit flag: autonomous work was wrong)
//   "intervention"  a supervisor took a conversation over, held its next turn
//                   or paused a workflow (control_set)
//
// Functions are thread-compatible; the store must outlive the call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/learning/masking.h"
#include "hitlgate/store/store.h"

namespace hitlgate::learning {

// Word-level difference between the AI's proposal and what was delivered.
struct TextDiff {
  bool text_changed = false;
  bool action_changed = false;
  int words_removed = 0;
  int words_added = 0;
  double similarity = 1.0;  // 2 * common words / (words before + words after)
  // The text with changes marked in wdiff style: "[-old words-] {+new words+}".
  std::string marked;
};

// Word-level LCS diff (texts over 4,000 words each are compared as one change).
TextDiff DiffTexts(std::string_view before, std::string_view after);

struct FeedbackExample {
  std::int64_t audit_seq = 0;  // the audit record it was derived from
  TimePoint at;                // when the human acted
  std::string source;          // see above
  std::string task_id;         // empty for interventions
  std::string interaction_id;
  std::string workflow;
  std::string actor;           // reviewer, auditor or supervisor key id

  // The AI's proposal (empty text/action when the example has none).
  std::string intent;
  std::optional<double> confidence;
  std::string proposal_text;
  std::string proposal_action_json;  // canonical JSON object; empty when none
  std::string customer_text;         // the customer's latest message before it

  // The human's final version.
  std::string verdict;  // approved|edited|rejected|taken_over|hold_next|workflow_paused
  bool delivered = false;            // did the AI's (possibly edited) proposal go out
  std::string final_text;            // what the customer got (edited text, or the proposal)
  std::string final_action_json;
  std::string reason;                // as the human wrote it
  std::string reason_category;       // ReasonCategory(verdict, reason)
  TextDiff diff;

  // True when the human kept the proposal exactly as the AI made it
  // (approved); false otherwise; nullopt where the example judges no
  // proposal (a paused workflow, a handoff without one).
  std::optional<bool> agreed;

  // The engine's view when it decided.
  std::string outcome;         // allow|allow_monitored|hold|handoff|block
  std::string signals_json;    // the decision's signals object
  std::vector<std::string> triggers;  // the reasons' triggers
  std::string policy_version;

  // Agent assist (docs/assist.md): the suggested actions the person used or
  // marked wrong on this task before the verdict (audit "assist_feedback";
  // CollectFeedback only, not FeedbackFromRecord).
  std::vector<std::string> assist_used;
  std::vector<std::string> assist_wrong;
};

// The category of a human's reason: "none" for approvals; the reviewer's
// own category when the reason starts with a known one ("tone: too curt"
// gives "tone"); otherwise a category from keywords; "other" when nothing
// fits. Known: factual_error, policy_violation, wrong_action, wrong_amount,
// tone, incomplete, customer_request, safety, edited (an edit without a reason).
std::string ReasonCategory(std::string_view verdict, std::string_view reason);

struct CollectOptions {
  std::optional<TimePoint> from;  // inclusive, by audit record time
  std::optional<TimePoint> to;    // exclusive
};

// Walks the audit log in order and builds one example per verdict (except
// on autonomy-change tasks) and per supervisor control_set.
// Errors: whatever the store returns while reading.
[[nodiscard]] Result<std::vector<FeedbackExample>> CollectFeedback(store::Store& store,
                                                                   const CollectOptions& options);

// The example one audit record gives (a "verdict" or "control_set"), or
// nullopt (other kinds, autonomy-change tasks, erased tasks): what
// CollectFeedback does per record, for callers that follow the log
// incrementally (earned autonomy).
[[nodiscard]] Result<std::optional<FeedbackExample>> FeedbackFromRecord(store::Store& store,
                                                                        const audit::AuditRecord& record);

// Replaces personal data in every free-text field (texts, reason, action
// parameters, diff) using `masker`.
void MaskExample(const PersonalDataMasker& masker, FeedbackExample* example, MaskCounts* counts);

// One JSON object per example, on one line (no newline); the format of
// `hitlgate feedback export` (docs/learning.md).
std::string EncodeFeedbackLine(const FeedbackExample& example);
// Parses a line written by EncodeFeedbackLine. InvalidArgument naming the
// field for malformed lines; unknown fields are ignored (newer writers).
[[nodiscard]] Result<FeedbackExample> DecodeFeedbackLine(std::string_view line);

}  // namespace hitlgate::learning
