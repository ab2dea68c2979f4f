// Action sequences: how much of a procedure a list of actions follows.
#pragma once

#include <string>
#include <vector>

#include "hitlgate/assist/knowledge.h"

namespace hitlgate::assist {

size_t LongestCommonSubsequence(const std::vector<std::string>& a, const std::vector<std::string>& b);
std::vector<std::string> StepActions(const Procedure& p);
// The index of the first step after the last one `done` shows, matching
// done actions in order (an action the procedure does not have is skipped).
size_t NextStepIndex(const Procedure& p, const std::vector<std::string>& done);

}  // namespace hitlgate::assist
