// Replayer: both policies decide every history event; see replay.h.
#include "hitlgate/measure/replay.h"

#include "hitlgate/codec/json.h"
#include "hitlgate/engine/memory_conversation_store.h"

namespace hitlgate::measure {
namespace {

constexpr std::string_view kVerdictKey = "\"human_verdict\"";

struct Member {
  size_t begin = 0;  // where the member (with its separating comma) starts
  size_t end = 0;    // one past its value (and its trailing comma, if it took that one)
  std::string_view value;  // the string value, without quotes
};

// Finds a top-level `"human_verdict": "<value>"` member with a plain string
// value by walking the line once (strings and nesting tracked), so a nested
// key or a text that mentions it is never taken for it. nullopt when absent;
// InvalidArgument when present with a non-string value.
Result<std::optional<Member>> FindVerdictMember(std::string_view line) {
  int depth = 0;
  size_t last_separator = std::string_view::npos;  // the ',' or '{' before the current key
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      const size_t start = i;
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\') ++i;
      }
      if (depth != 1 || line.compare(start, kVerdictKey.size(), kVerdictKey) != 0 ||
          i != start + kVerdictKey.size() - 1) {
        continue;
      }
      size_t j = i + 1;
      while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
      if (j >= line.size() || line[j] != ':') continue;  // a value, not a key
      ++j;
      while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
      if (j >= line.size() || line[j] != '"') {
        return InvalidArgument("field 'human_verdict': expected a string");
      }
      const size_t value_begin = j + 1;
      size_t value_end = value_begin;
      while (value_end < line.size() && line[value_end] != '"' && line[value_end] != '\\') ++value_end;
      if (value_end >= line.size() || line[value_end] != '"') {
        return InvalidArgument("field 'human_verdict': expected one of approved, edited, rejected, taken_over");
      }
      Member m;
      m.value = line.substr(value_begin, value_end - value_begin);
      m.end = value_end + 1;
      if (last_separator != std::string_view::npos && line[last_separator] == ',') {
        m.begin = last_separator;  // drop the comma before it
      } else {
        m.begin = start;  // first member: drop the comma after it instead
        size_t k = m.end;
        while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) ++k;
        if (k < line.size() && line[k] == ',') m.end = k + 1;
      }
      return m;
    }
    if (c == '{' || c == '[') {
      ++depth;
      if (depth == 1) last_separator = i;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      last_separator = i;
    }
  }
  return std::optional<Member>();
}

}  // namespace

Result<HistoryEvent> ParseHistoryLine(std::string_view line) {
  HistoryEvent out;
  if (line.find(kVerdictKey) == std::string_view::npos) {
    auto event = codec::ParseEvent(line);
    HITLGATE_RETURN_IF_ERROR(event);
    out.event = std::move(*event);
    return out;
  }
  auto member = FindVerdictMember(line);
  HITLGATE_RETURN_IF_ERROR(member);
  if (!*member) {
    auto event = codec::ParseEvent(line);
    HITLGATE_RETURN_IF_ERROR(event);
    out.event = std::move(*event);
    return out;
  }
  auto verdict = ParseHumanVerdict((*member)->value);
  if (!verdict) {
    return InvalidArgument("field 'human_verdict': expected one of approved, edited, rejected, "
                           "taken_over, got '" + std::string((*member)->value) + "'");
  }
  std::string rest;
  rest.reserve(line.size());
  rest.append(line.substr(0, (*member)->begin));
  rest.append(line.substr((*member)->end));
  auto event = codec::ParseEvent(rest);
  HITLGATE_RETURN_IF_ERROR(event);
  out.event = std::move(*event);
  out.verdict = *verdict;
  return out;
}

void VerdictIndex::Add(std::string_view event_id, std::string_view interaction_id,
                       std::int64_t event_index, HumanVerdict verdict) {
  if (!event_id.empty()) by_event_id_[std::string(event_id)] = verdict;
  std::string key(interaction_id);
  key.push_back('\x1f');
  key.append(std::to_string(event_index));
  by_position_[std::move(key)] = verdict;
}

HumanVerdict VerdictIndex::Find(const engine::Event& event, std::int64_t event_index) const {
  if (!event.event_id.empty()) {
    auto it = by_event_id_.find(event.event_id);
    if (it != by_event_id_.end()) return it->second;
  }
  if (by_position_.empty()) return HumanVerdict::kNone;
  std::string key = event.interaction_id;
  key.push_back('\x1f');
  key.append(std::to_string(event_index));
  auto it = by_position_.find(key);
  return it == by_position_.end() ? HumanVerdict::kNone : it->second;
}

void Replayer::SetLearningModels(std::shared_ptr<const engine::ConfidenceCalibrator> calibrator,
                                 std::shared_ptr<const engine::IntentClassifier> classifier) {
  for (engine::DecisionEngine* e : {&active_, &candidate_}) {
    e->SetCalibrator(calibrator);
    e->SetIntentClassifier(classifier);
  }
}

Replayer::Replayer(std::shared_ptr<const policy::Program> active,
                   std::shared_ptr<const policy::Program> candidate,
                   std::shared_ptr<const signals::SentimentScorer> scorer,
                   int max_examples_per_change, const VerdictIndex* verdicts)
    : clock_(TimePoint{}),
      active_program_(active),
      candidate_program_(candidate),
      active_(std::move(active), std::make_shared<engine::MemoryConversationStore>(), scorer, clock_),
      candidate_(std::move(candidate), std::make_shared<engine::MemoryConversationStore>(), scorer,
                 clock_),
      verdicts_(verdicts),
      comparison_(max_examples_per_change) {}

void Replayer::Add(const HistoryEvent& history) {
  if (history.event.at) clock_.Set(*history.event.at);
  engine::Decision a = active_.DecideAndRecord(history.event);
  engine::Decision c = candidate_.DecideAndRecord(history.event);
  HumanVerdict verdict = history.verdict;
  if (verdict == HumanVerdict::kNone && verdicts_ != nullptr) {
    verdict = verdicts_->Find(history.event, a.event_index);
  }
  comparison_.Add(history.event, a, c, verdict);
}

Result<void> Replayer::AddLine(std::string_view line) {
  auto history = ParseHistoryLine(line);
  HITLGATE_RETURN_IF_ERROR(history);
  Add(*history);
  return {};
}

}  // namespace hitlgate::measure
