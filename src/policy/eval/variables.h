// The variables an `if` expression can read, with their types and the range
// of values they can take (used at compile time to find comparisons that can
// never be true). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "policy/eval/value.h"

namespace hitlgate::policy::eval {

enum class Var : std::uint8_t {
  // numbers
  kSentiment,
  kSentimentTrend,
  kConfidence,            // optional
  kCalibratedConfidence,  // optional
  kAmount,                // optional
  kRepeatContacts,
  kMessagesPerMinute,
  kEventIndex,
  kTextLength,
  // bools
  kFrustration,
  kHumanRequest,
  kLegalThreat,
  kOutOfScope,
  kIsCustomerMessage,
  kIsProposal,
  kHasAction,
  // strings
  kIntent,
  kAction,
  kCurrency,
  kWorkflow,
  kChannel,
  kType,
  kLanguage,
  // list<string>
  kTopics,
};

enum class VarType : std::uint8_t { kBool, kNumber, kString, kStringList };

struct VarInfo {
  std::string_view name;
  Var var;
  VarType type;
  bool optional;  // may be missing (numbers) or empty (strings): has() applies
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
};

const std::vector<VarInfo>& Variables();
const VarInfo* FindVariable(std::string_view name);

// The variable's value for this event (kMissing for absent optional numbers).
Value LoadVariable(Var var, const EvalContext& ctx);

}  // namespace hitlgate::policy::eval
