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

}  // namespace hitlgate::store::postgres
