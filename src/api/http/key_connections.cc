#include "api/http/key_connections.h"

#include <vector>

namespace hitlgate::api {

KeyConnections::Hold::~Hold() {
  if (owner_ != nullptr) owner_->Release(id_);
}

bool KeyConnections::Hold::closed() const {
  if (owner_ == nullptr) return false;
  std::lock_guard lock(owner_->mu_);
  auto it = owner_->open_.find(id_);
  return it != owner_->open_.end() && it->second.closed;
}

Result<KeyConnections::Hold> KeyConnections::Open(const std::string& key_id, Kind kind,
                                                  std::function<void()> close) {
  std::lock_guard lock(mu_);
  int held = 0;
  for (const auto& [id, e] : open_) held += e.key_id == key_id && e.kind == kind;
  const int cap = kind == Kind::kStream ? limits_.streams_per_key : limits_.waits_per_key;
  if (held >= cap) {
    return MakeError(ErrorCode::kResourceExhausted,
                     std::string("this key already holds ") + std::to_string(held) +
                         (kind == Kind::kStream ? " open event streams" : " open long-polls") +
                         " (the most one key may); close one first; retry after 1s");
  }
  const std::uint64_t id = next_id_++;
  open_.emplace(id, Entry{key_id, kind, std::move(close)});
  return Hold(this, id);
}

void KeyConnections::CloseAll(const std::string& key_id) {
  std::vector<std::function<void()>> closes;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, e] : open_) {
      if (e.key_id != key_id || e.closed) continue;
      e.closed = true;
      if (e.close) closes.push_back(std::exchange(e.close, nullptr));
    }
  }
  for (auto& close : closes) close();
}

int KeyConnections::open_count(const std::string& key_id) const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& [id, e] : open_) n += e.key_id == key_id;
  return n;
}

void KeyConnections::Release(std::uint64_t id) {
  std::lock_guard lock(mu_);
  open_.erase(id);
}

}  // namespace hitlgate::api
