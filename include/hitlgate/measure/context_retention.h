// Handoff context retention: after the AI hands a conversation to a person,
// did the customer have to repeat what the AI had already collected?
//
// How a repetition is detected (no model, so it can be explained to an
// auditor): texts are cut into lower-case tokens (letters, digits, '@', '.',
// '#', '-', '_' kept inside a token). A customer message after the handoff
// repeats something when
//   * it contains an identifier seen before the handoff: a token with a digit
//     and at least 4 characters (order, account, phone, card or zip numbers:
//     "#W2378156", "12345678"), or an e-mail address; or
//   * it contains most (>= 60%, at least 2) of the content tokens of a slot the
//     AI collected ("address": "12 Elm Street Springfield"), or the slot's
//     value whole when it is a single identifier-like token; or
//   * it restates the problem: at least 5 content tokens (stop words and
//     tokens under 3 letters dropped), of which >= 60% already appeared in the
//     customer's messages before the handoff.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hitlgate::measure {

struct RepetitionFinding {
  bool repeated = false;
  std::string kind;   // "identifier", "slot", "problem"
  std::string what;   // the identifier, slot name, or the overlapping words
};

// What the customer and the AI had established before the handoff.
class HandoffContext {
 public:
  void AddCustomerMessage(std::string_view text);
  void AddSlot(std::string_view name, std::string_view value);
  // Whether `message` (a customer message after the handoff) repeats any of it.
  RepetitionFinding Check(std::string_view message) const;

 private:
  std::vector<std::string> identifiers_;
  std::vector<std::string> problem_tokens_;
  struct Slot {
    std::string name;
    std::vector<std::string> tokens;
  };
  std::vector<Slot> slots_;
};

// The tokenizer used above, exposed for tests.
std::vector<std::string> Tokenize(std::string_view text);
bool IsIdentifier(std::string_view token);
bool IsContentWord(std::string_view token);

}  // namespace hitlgate::measure
