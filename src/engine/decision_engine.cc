#include <bit>

#include "hitlgate/engine/engine.h"
#include "hitlgate/signals/language.h"

namespace hitlgate::engine {
namespace {

bool HasBit(std::uint64_t bits, int category) {
  return category >= 0 && (bits >> category) & 1u;
}

std::uint64_t Bit(int category) { return category >= 0 ? (std::uint64_t{1} << category) : 0; }

// A strongly negative message written in capitals or with several '!' reads
// as frustration even without a frustration phrase.
bool ShoutedNegative(const signals::SentimentScore& s) {
  return s.compound <= -0.5 && (s.exclamations >= 2 || s.caps_ratio >= 0.5);
}

}  // namespace

DecisionEngine::DecisionEngine(std::shared_ptr<const policy::Program> program,
                               std::shared_ptr<ConversationStore> conversations,
                               std::shared_ptr<const signals::SentimentScorer> scorer,
                               const Clock& clock)
    : program_(std::move(program)),
      conversations_(std::move(conversations)),
      scorer_(std::move(scorer)),
      clock_(clock) {}

void DecisionEngine::SetPolicy(std::shared_ptr<const policy::Program> program) {
  program_.store(std::move(program));
}

std::shared_ptr<const policy::Program> DecisionEngine::policy() const { return program_.load(); }

void DecisionEngine::SetCalibrator(std::shared_ptr<const ConfidenceCalibrator> calibrator) {
  calibrator_.store(std::move(calibrator));
}

void DecisionEngine::SetIntentClassifier(std::shared_ptr<const IntentClassifier> classifier) {
  classifier_.store(std::move(classifier));
}

std::shared_ptr<const IntentClassifier> DecisionEngine::intent_classifier() const {
  return classifier_.load();
}

Signals DecisionEngine::ComputeSignals(const policy::Program& program, const Event& event,
                                       const ConversationSnapshot& snap,
                                       ConversationUpdate* update) const {
  Signals s;
  s.language = !event.language.empty() ? event.language
               : event.text.empty()    ? std::string()
                                       : std::string(signals::DetectLanguage(event.text));
  const std::uint64_t topic_mask = program.topic_bits();
  const int human = program.human_request_category();
  const int legal = program.legal_threat_category();
  const int frustration = program.frustration_category();
  std::uint64_t matched = event.text.empty() ? 0 : program.matcher().Match(event.text, s.language);
  // Topics the policy ties to intents (the AI's or the triage classifier's).
  matched |= program.TopicBitsForIntent(event.intent);

  if (event.type == EventType::kCustomerMessage) {
    const signals::SentimentScore score = scorer_->Score(event.text, s.language);
    s.sentiment = score.compound;
    const bool first = snap.customer_message_count == 0;
    const double first_sentiment = first ? score.compound : snap.first_sentiment;
    const double smoothed =
        first ? score.compound : 0.5 * score.compound + 0.5 * snap.smoothed_sentiment;
    s.sentiment_trend = smoothed - first_sentiment;
    s.human_request = HasBit(matched, human);
    s.legal_threat = HasBit(matched, legal) || snap.legal_threat_seen;
    s.frustration = HasBit(matched, frustration) || ShoutedNegative(score);
    update->sentiment = score.compound;
  } else {
    // Proposals are judged in the light of the customer's latest state; the
    // AI's own words only add topics (a refund mentioned is financial).
    s.sentiment = snap.last_sentiment;
    s.sentiment_trend =
        snap.customer_message_count > 0 ? snap.smoothed_sentiment - snap.first_sentiment : 0.0;
    s.human_request = snap.last_human_request;
    s.legal_threat = snap.legal_threat_seen;
    s.frustration = snap.last_frustration;
    matched &= topic_mask;
  }
  const std::uint64_t topics = (matched & topic_mask) | snap.sticky_category_bits;
  s.category_bits = topics | (s.human_request ? Bit(human) : 0) | (s.legal_threat ? Bit(legal) : 0) |
                    (s.frustration ? Bit(frustration) : 0);
  for (std::uint64_t rest = topics; rest != 0; rest &= rest - 1) {
    s.topics.push_back(program.matcher().category_name(std::countr_zero(rest)));
  }
  s.repeat_contacts = snap.ContactsWithin(program.repeat_contact_window(), 0);
  s.messages_per_minute = snap.MessagesWithin(std::chrono::seconds(60));

  update->human_request = s.human_request;
  update->legal_threat = s.legal_threat;
  update->frustration = s.frustration;
  update->category_bits = topics;  // only topics are sticky
  return s;
}

Decision DecisionEngine::Decide(const Event& event, const policy::AutonomyLevels* autonomy,
                                StateChange* change) {
  if (event.type == EventType::kCustomerMessage && event.intent.empty() && !event.text.empty()) {
    if (std::shared_ptr<const IntentClassifier> classifier = classifier_.load()) {
      // The copy is paid only by deployments that triage, on messages
      // without an intent; the policy and the state must see the intent.
      const IntentGuess guess = classifier->Classify(event.text);
      if (guess.out_of_scope || guess.intent.empty()) {
        return DecideEvent(event, autonomy, Triage{&guess, false}, change);
      }
      Event triaged = event;
      triaged.intent = guess.intent;
      const bool supplies_confidence = !triaged.confidence.has_value();
      if (supplies_confidence) triaged.confidence = guess.confidence;
      Decision d = DecideEvent(triaged, autonomy, Triage{&guess, supplies_confidence}, change);
      change->triaged_intent = guess.intent;
      return d;
    }
  }
  return DecideEvent(event, autonomy, Triage{}, change);
}

void DecisionEngine::Commit(const Event& event, const StateChange& change) {
  if (change.triaged_intent.empty()) {
    conversations_->Record(event, change.at, change.update);
    return;
  }
  Event triaged = event;
  triaged.intent = change.triaged_intent;
  conversations_->Record(triaged, change.at, change.update);
}

void DecisionEngine::Abandon(const Event& event) { conversations_->Abandon(event); }

Decision DecisionEngine::DecideAndRecord(const Event& event, const policy::AutonomyLevels* autonomy) {
  StateChange change;
  Decision d = Decide(event, autonomy, &change);
  Commit(event, change);
  return d;
}

Decision DecisionEngine::DecideEvent(const Event& event, const policy::AutonomyLevels* autonomy,
                                     Triage triage, StateChange* change) {
  const IntentGuess* guess = triage.guess;
  std::shared_ptr<const policy::Program> program = program_.load();
  const TimePoint at = event.at.value_or(clock_.Now());
  ConversationSnapshot snap = conversations_->Load(event, at);
  change->at = at;
  change->triaged_intent.clear();
  Decision d;
  d.interaction_id = event.interaction_id;
  d.event_index = snap.event_index;
  d.signals = ComputeSignals(*program, event, snap, &change->update);
  d.policy_version = program->version();
  if (guess != nullptr) {
    d.signals.triage_intent = guess->intent;
    d.signals.triage_confidence = guess->confidence;
    d.signals.out_of_scope = guess->out_of_scope || guess->intent.empty();
  }
  if (triage.supplied_confidence) {
    // Already calibrated by the classifier; the AI's calibration map does
    // not apply to it.
    d.signals.calibrated_confidence = guess->confidence;
  } else if (event.confidence) {
    if (std::shared_ptr<const ConfidenceCalibrator> calibrator = calibrator_.load()) {
      d.signals.calibrated_confidence = calibrator->Calibrate(event);
    }
  }
  program->Evaluate(policy::EvalInput{event, d.signals, snap, autonomy}, &d);
  return d;
}

}  // namespace hitlgate::engine
