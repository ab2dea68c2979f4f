#include "api/http/notifier.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace hitlgate::api {

asio::awaitable<bool> Notifier::WaitFor(std::string key, std::chrono::milliseconds timeout) {
  auto executor = co_await asio::this_coro::executor;
  auto waiter = std::make_shared<Waiter>(executor);
  waiter->timer.expires_after(timeout);
  {
    std::lock_guard lock(mu_);
    auto& list = waiters_[key];
    // Drop waiters that are gone, so a key polled forever does not grow.
    std::erase_if(list, [](const std::weak_ptr<Waiter>& w) { return w.expired(); });
    list.push_back(waiter);
  }
  co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  {
    std::lock_guard lock(mu_);
    auto it = waiters_.find(key);
    if (it != waiters_.end()) {
      std::erase_if(it->second, [&](const std::weak_ptr<Waiter>& w) {
        auto p = w.lock();
        return !p || p == waiter;
      });
      if (it->second.empty()) waiters_.erase(it);
    }
  }
  co_return waiter->fired.load();
}

void Notifier::Notify(const std::string& key) {
  std::vector<std::shared_ptr<Waiter>> wake;
  {
    std::lock_guard lock(mu_);
    auto it = waiters_.find(key);
    if (it == waiters_.end()) return;
    for (auto& w : it->second) {
      if (auto p = w.lock()) wake.push_back(std::move(p));
    }
  }
  for (auto& w : wake) {
    w->fired = true;
    asio::post(w->executor, [w] { w->timer.cancel(); });
  }
}

std::uint64_t Notifier::Subscribe(Callback callback) {
  std::lock_guard lock(mu_);
  std::uint64_t token = next_token_++;
  subscribers_[token] = std::make_shared<Callback>(std::move(callback));
  return token;
}

void Notifier::Unsubscribe(std::uint64_t token) {
  std::lock_guard lock(mu_);
  subscribers_.erase(token);
}

void Notifier::Publish(std::string_view topic, std::string_view data) {
  std::vector<std::shared_ptr<Callback>> targets;
  {
    std::lock_guard lock(mu_);
    if (subscribers_.empty()) return;
    targets.reserve(subscribers_.size());
    for (auto& [token, cb] : subscribers_) targets.push_back(cb);
  }
  for (auto& cb : targets) (*cb)(topic, data);
}

size_t Notifier::subscriber_count() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

}  // namespace hitlgate::api
