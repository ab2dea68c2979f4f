// Retraining the next-action model from what people did with its
// suggestions: the lines of `hitlgate feedback export` that carry "assist"
// judgements become labelled contexts (docs/assist.md, "Retraining").
#pragma once

#include <string>
#include <vector>

#include "hitlgate/assist/next_action.h"

namespace hitlgate::assist {

// One context per example with a label, `weight` times (a few people's
// judgements must count against thousands of contexts):
//  * the label is the first suggestion the person used;
//  * with none used, the action of their final answer, unless they marked
//    it wrong too; an example with only wrong suggestions and no other
//    action teaches nothing about what to do and is left out.
// The context's text is the customer's latest message and the AI's held
// proposal (what the export keeps); its done actions are not in the export.
// InvalidArgument names the file and line of a line that is not an export line.
[[nodiscard]] Result<std::vector<LabeledContext>> ReadFeedbackContexts(const std::string& path, int weight);

}  // namespace hitlgate::assist
