// Notifier: each waiter has a timer on a strand of its own. The wait starts
// on that strand and Notify() cancels through it, so there is no window in
// which a notification arrives but the timer is not yet waiting (timers are
// not thread-safe, and the caller's executor need not be a strand).
#include "api/http/notifier.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace hitlgate::api {

struct NotifierWaiter {
  explicit NotifierWaiter(const asio::any_io_executor& ex) : strand(asio::make_strand(ex)), timer(strand) {}
  asio::strand<asio::any_io_executor> strand;
  asio::steady_timer timer;  // touched only on `strand`
  std::atomic<bool> fired{false};
};

namespace {

// Runs on the waiter's strand.
template <typename W>
asio::awaitable<void> Sleep(std::shared_ptr<W> waiter, std::chrono::milliseconds timeout) {
  if (waiter->fired.load()) co_return;
  waiter->timer.expires_after(timeout);
  co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace

Notifier::Notifier() = default;
Notifier::~Notifier() = default;

Notifier::Ticket::Ticket(Notifier* owner, std::string key, std::shared_ptr<NotifierWaiter> waiter)
    : owner_(owner), key_(std::move(key)), waiter_(std::move(waiter)) {}

Notifier::Ticket::~Ticket() {
  if (owner_ != nullptr && waiter_) owner_->Forget(key_, waiter_);
}

asio::awaitable<Notifier::Ticket> Notifier::Arm(std::string key) {
  auto executor = co_await asio::this_coro::executor;
  auto waiter = std::make_shared<NotifierWaiter>(executor);
  {
    std::lock_guard lock(mu_);
    auto& list = waiters_[key];
    // Drop waiters that are gone, so a key polled forever does not grow.
    std::erase_if(list, [](const std::weak_ptr<NotifierWaiter>& w) { return w.expired(); });
    list.push_back(waiter);
  }
  co_return Ticket(this, std::move(key), std::move(waiter));
}

asio::awaitable<bool> Notifier::Wait(Ticket ticket, std::chrono::milliseconds timeout) {
  std::shared_ptr<NotifierWaiter> waiter = ticket.waiter_;
  auto sleep = Sleep(waiter, timeout);
  co_await asio::co_spawn(waiter->strand, std::move(sleep), asio::use_awaitable);
  co_return waiter->fired.load();  // the ticket forgets the waiter as it goes
}

asio::awaitable<bool> Notifier::WaitFor(std::string key, std::chrono::milliseconds timeout) {
  Ticket ticket = co_await Arm(std::move(key));
  co_return co_await Wait(std::move(ticket), timeout);
}

void Notifier::Forget(const std::string& key, const std::shared_ptr<NotifierWaiter>& waiter) {
  std::lock_guard lock(mu_);
  auto it = waiters_.find(key);
  if (it == waiters_.end()) return;
  std::erase_if(it->second, [&](const std::weak_ptr<NotifierWaiter>& w) {
    auto p = w.lock();
    return !p || p == waiter;
  });
  if (it->second.empty()) waiters_.erase(it);
}

void Notifier::Notify(const std::string& key) {
  std::vector<std::shared_ptr<NotifierWaiter>> wake;
  {
    std::lock_guard lock(mu_);
    auto it = waiters_.find(key);
    if (it == waiters_.end()) return;
    for (auto& w : it->second) {
      if (auto p = w.lock()) wake.push_back(std::move(p));
    }
  }
  for (auto& w : wake) {
    // Set before the cancel is posted: a wait that has not started yet sees
    // the flag and does not start.
    w->fired.store(true);
    asio::post(w->strand, [w] { w->timer.cancel(); });
  }
}

std::uint64_t Notifier::Subscribe(Callback callback) {
  std::lock_guard lock(mu_);
  const std::uint64_t token = next_token_++;
  subscribers_[token] = std::make_shared<Callback>(std::move(callback));
  return token;
}

void Notifier::Unsubscribe(std::uint64_t token) {
  std::lock_guard lock(mu_);
  subscribers_.erase(token);
}

void Notifier::Publish(std::string_view topic, std::string_view workflow, std::string_view data) {
  std::vector<std::shared_ptr<Callback>> targets;
  {
    std::lock_guard lock(mu_);
    if (subscribers_.empty()) return;
    targets.reserve(subscribers_.size());
    for (auto& [token, cb] : subscribers_) targets.push_back(cb);
  }
  // Outside the lock: a callback may Unsubscribe or Publish itself.
  for (auto& cb : targets) (*cb)(topic, workflow, data);
}

size_t Notifier::subscriber_count() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

size_t Notifier::waiter_count() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [key, list] : waiters_) n += list.size();
  return n;
}

}  // namespace hitlgate::api
