#include "storage/postgres/conversation_state.h"

#include <algorithm>
#include <charconv>
#include <system_error>

namespace hitlgate::store::postgres {
namespace {

using engine::Contact;
using engine::ConversationSnapshot;
using engine::EventType;
using engine::StableHash;

constexpr std::string_view kInteractionTag = "i1";
constexpr std::string_view kCustomerTag = "c1";

class Writer {
 public:
  explicit Writer(std::string_view tag) : out_(tag) {}
  template <typename T>
  Writer& Put(T value) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out_.push_back(' ');
    out_.append(buf, end);
    return *this;
  }
  Writer& Put(TimePoint t) { return Put(static_cast<std::int64_t>(t.time_since_epoch().count())); }
  Writer& Put(bool b) { return Put(b ? 1 : 0); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(std::string_view text, std::string_view tag) : p_(text.data()), end_(text.data() + text.size()) {
    ok_ = text.starts_with(tag);
    p_ += ok_ ? tag.size() : 0;
  }
  template <typename T>
  Reader& Get(T& value) {
    if (!ok_ || p_ == end_ || *p_ != ' ') {
      ok_ = false;
      return *this;
    }
    ++p_;
    auto [next, ec] = std::from_chars(p_, end_, value);
    ok_ = ec == std::errc();
    p_ = next;
    return *this;
  }
  Reader& Get(TimePoint& t) {
    std::int64_t us = 0;
    Get(us);
    t = TimePoint(Duration(us));
    return *this;
  }
  Reader& Get(bool& b) {
    int v = 0;
    Get(v);
    b = v != 0;
    return *this;
  }
  bool Done() const { return ok_ && p_ == end_; }
  bool ok() const { return ok_; }

 private:
  const char* p_;
  const char* end_;
  bool ok_;
};

}  // namespace

std::string EncodeInteraction(const InteractionState& s) {
  Writer w(kInteractionTag);
  w.Put(s.event_count).Put(s.last_seen).Put(s.customer_message_count);
  w.Put(s.first_sentiment).Put(s.smoothed_sentiment).Put(s.last_sentiment);
  w.Put(s.last_human_request).Put(s.legal_threat_seen).Put(s.last_frustration);
  w.Put(s.sticky_bits).Put(s.intent_hash).Put(s.recent_count);
  for (int i = 0; i < s.recent_count; ++i) w.Put(s.recent[i]);
  return w.Take();
}

std::optional<InteractionState> DecodeInteraction(std::string_view text) {
  if (text.empty()) return std::nullopt;
  InteractionState s;
  Reader r(text, kInteractionTag);
  r.Get(s.event_count).Get(s.last_seen).Get(s.customer_message_count);
  r.Get(s.first_sentiment).Get(s.smoothed_sentiment).Get(s.last_sentiment);
  r.Get(s.last_human_request).Get(s.legal_threat_seen).Get(s.last_frustration);
  r.Get(s.sticky_bits).Get(s.intent_hash).Get(s.recent_count);
  if (!r.ok() || s.recent_count < 0 || s.recent_count > ConversationSnapshot::kMaxRecentMessages) {
    return std::nullopt;
  }
  for (int i = 0; i < s.recent_count; ++i) r.Get(s.recent[i]);
  if (!r.Done()) return std::nullopt;
  return s;
}

std::string EncodeCustomer(const CustomerState& c) {
  Writer w(kCustomerTag);
  w.Put(c.count);
  for (int i = 0; i < c.count; ++i) {
    w.Put(c.contacts[i].interaction_hash).Put(c.contacts[i].first_at).Put(c.contacts[i].intent_hash);
  }
  return w.Take();
}

std::optional<CustomerState> DecodeCustomer(std::string_view text) {
  if (text.empty()) return std::nullopt;
  CustomerState c;
  Reader r(text, kCustomerTag);
  r.Get(c.count);
  if (!r.ok() || c.count < 0 || c.count > ConversationSnapshot::kMaxContacts) return std::nullopt;
  for (int i = 0; i < c.count; ++i) {
    r.Get(c.contacts[i].interaction_hash).Get(c.contacts[i].first_at).Get(c.contacts[i].intent_hash);
  }
  if (!r.Done()) return std::nullopt;
  return c;
}

ConversationSnapshot Snapshot(const std::optional<InteractionState>& interaction,
                              const std::optional<CustomerState>& customer,
                              const engine::Event& event, TimePoint at,
                              const ConversationRules& rules) {
  ConversationSnapshot snap;
  snap.now = at;
  const std::uint64_t self_hash = StableHash(event.interaction_id);
  const InteractionState* s = interaction ? &*interaction : nullptr;
  if (s != nullptr && at - s->last_seen > rules.idle_ttl) s = nullptr;  // idle: a new start
  if (s != nullptr) {
    snap.known_interaction = true;
    snap.event_index = s->event_count;
    std::copy_n(s->recent.begin(), s->recent_count, snap.recent_messages.begin());
    snap.recent_message_count = s->recent_count;
    snap.customer_message_count = s->customer_message_count;
    snap.first_sentiment = s->first_sentiment;
    snap.smoothed_sentiment = s->smoothed_sentiment;
    snap.last_sentiment = s->last_sentiment;
    snap.last_human_request = s->last_human_request;
    snap.legal_threat_seen = s->legal_threat_seen;
    snap.last_frustration = s->last_frustration;
    snap.sticky_category_bits = s->sticky_bits;
    snap.intent_hash = s->intent_hash;
  }
  if (event.type == EventType::kCustomerMessage) {
    // The current message counts toward its own rate.
    if (snap.recent_message_count == ConversationSnapshot::kMaxRecentMessages) {
      std::shift_left(snap.recent_messages.begin(), snap.recent_messages.end(), 1);
      --snap.recent_message_count;
    }
    snap.recent_messages[snap.recent_message_count++] = at;
  }
  const std::uint64_t intent = event.intent.empty() ? snap.intent_hash : StableHash(event.intent);
  if (!event.customer_id.empty() && customer) {
    for (int i = 0; i < customer->count; ++i) {
      if (at - customer->contacts[i].first_at > rules.contact_horizon) continue;
      snap.contacts[snap.contact_count++] = customer->contacts[i];
    }
  }
  bool self_listed = false;
  for (int i = 0; i < snap.contact_count; ++i) {
    if (snap.contacts[i].interaction_hash == self_hash) {
      self_listed = true;
      if (intent != 0) snap.contacts[i].intent_hash = intent;
    }
  }
  if (!self_listed) {
    if (snap.contact_count == ConversationSnapshot::kMaxContacts) {
      std::shift_left(snap.contacts.begin(), snap.contacts.end(), 1);
      --snap.contact_count;
    }
    snap.contacts[snap.contact_count++] = Contact{self_hash, at, intent};
  }
  return snap;
}

void Fold(std::optional<InteractionState>& interaction, std::optional<CustomerState>& customer,
          const engine::Event& event, TimePoint at, const engine::ConversationUpdate& update,
          const ConversationRules& rules) {
  const std::uint64_t self_hash = StableHash(event.interaction_id);
  const std::uint64_t intent = event.intent.empty() ? 0 : StableHash(event.intent);
  if (event.type == EventType::kInteractionClosed) {
    interaction.reset();
  } else {
    if (!interaction) interaction.emplace();
    InteractionState& s = *interaction;
    if (s.event_count > 0 && at - s.last_seen > rules.idle_ttl) s = InteractionState{};
    ++s.event_count;
    s.last_seen = std::max(s.last_seen, at);
    if (intent != 0) s.intent_hash = intent;
    s.sticky_bits |= update.category_bits;
    s.legal_threat_seen |= update.legal_threat;
    if (event.type == EventType::kCustomerMessage) {
      if (s.recent_count == ConversationSnapshot::kMaxRecentMessages) {
        std::shift_left(s.recent.begin(), s.recent.end(), 1);
        --s.recent_count;
      }
      s.recent[s.recent_count++] = at;
      if (s.customer_message_count == 0) {
        s.first_sentiment = update.sentiment;
        s.smoothed_sentiment = update.sentiment;
      } else {
        s.smoothed_sentiment = 0.5 * update.sentiment + 0.5 * s.smoothed_sentiment;
      }
      ++s.customer_message_count;
      s.last_sentiment = update.sentiment;
      s.last_human_request = update.human_request;
      s.last_frustration = update.frustration;
    }
  }
  if (event.customer_id.empty()) return;
  if (!customer) customer.emplace();
  CustomerState& c = *customer;
  for (int i = 0; i < c.count; ++i) {
    if (c.contacts[i].interaction_hash == self_hash) {
      if (intent != 0) c.contacts[i].intent_hash = intent;
      return;
    }
  }
  if (c.count == ConversationSnapshot::kMaxContacts) {
    std::shift_left(c.contacts.begin(), c.contacts.end(), 1);
    --c.count;
  }
  c.contacts[c.count++] = Contact{self_hash, at, intent};
}

}  // namespace hitlgate::store::postgres
