// Reason categories for feedback: what kind of mistake a human corrected.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "hitlgate/learning/feedback.h"

namespace hitlgate::learning {
namespace {

struct Category {
  std::string_view name;
  std::array<std::string_view, 6> keywords;  // lower case; empty = unused
};

// Checked in order: the first category with a keyword in the reason wins.
constexpr std::array<Category, 8> kCategories = {{
    {"safety", {"unsafe", "harm", "threat", "self-harm", "danger", ""}},
    {"policy_violation", {"policy", "not allowed", "violat", "complian", "terms", "eligib"}},
    {"wrong_amount", {"amount", "too much", "too high", "too low", "overpa", "refund value"}},
    {"wrong_action", {"wrong action", "should not", "shouldn't", "cancel", "wrong order", "action"}},
    {"factual_error", {"wrong", "incorrect", "false", "inaccurate", "not true", "hallucinat"}},
    {"tone", {"tone", "rude", "curt", "impolite", "unfriendly", "empath"}},
    {"incomplete", {"incomplete", "missing", "forgot", "did not answer", "didn't answer", "partial"}},
    {"customer_request", {"customer asked", "customer wants", "requested", "asked for", "", ""}},
}};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string ReasonCategory(std::string_view verdict, std::string_view reason) {
  if (verdict == "approved") return "none";
  const std::string lower = Lower(reason);
  // An explicit "category: detail" prefix from the console wins.
  const size_t colon = lower.find(':');
  const std::string prefix = colon == std::string::npos ? lower : lower.substr(0, colon);
  for (const Category& c : kCategories) {
    if (prefix == c.name) return std::string(c.name);
  }
  for (const Category& c : kCategories) {
    for (std::string_view k : c.keywords) {
      if (!k.empty() && lower.find(k) != std::string::npos) return std::string(c.name);
    }
  }
  if (reason.empty() && verdict == "edited") return "edited";
  return "other";
}

}  // namespace hitlgate::learning
