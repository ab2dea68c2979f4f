// Signals: what hitlgate itself observes about a conversation at one event,
// independent of the governed AI's self-assessment. Computed by the engine,
// read by policy evaluation, reported with every decision. Value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hitlgate::engine {

struct Signals {
  // VADER-style compound score of the latest customer message, in [-1, 1].
  double sentiment = 0.0;
  // Exponentially weighted recent sentiment minus the first customer message's
  // sentiment; negative when the conversation is getting worse.
  double sentiment_trend = 0.0;
  bool frustration = false;
  bool human_request = false;  // the latest customer message asks for a person
  bool legal_threat = false;   // legal-threat language anywhere in the interaction
  // The event's `language` when it gave one, else the one detected in its
  // text (ISO 639-1, signals::DetectLanguage); "" when neither says.
  std::string language;
  // Bit i set when phrase category i of the policy's matcher fired in this
  // event's text or (sticky) earlier in the interaction. Names come from
  // the compiled policy's catalog (see policy::Program::CategoryName).
  std::uint64_t category_bits = 0;
  std::vector<std::string> topics;  // names of the sensitive-topic categories set
  int repeat_contacts = 1;          // interactions by this customer in the policy's window
  double messages_per_minute = 0.0;  // customer messages in the last 60 s
  // Filled by the learning loop when a calibration map exists.
  std::optional<double> calibrated_confidence;
  // Filled when a triage classifier is set and a customer message came
  // without an intent: what the classifier read in it (its calibrated
  // probability becomes the event's confidence), or that it fits no known
  // intent (out_of_scope; a policy can escalate it).
  std::string triage_intent;
  std::optional<double> triage_confidence;
  bool out_of_scope = false;
};

}  // namespace hitlgate::engine
