// Agents: submit events; wait for a held proposal's verdict (long-poll);
// subscribe to live updates (SSE).
#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <charconv>
#include <memory>
#include <mutex>
#include <optional>

#include "api/handlers/api_context.h"
#include "hitlgate/codec/review_json.h"

namespace hitlgate::api {
namespace {

constexpr std::chrono::milliseconds kMaxWait{60'000};

// "30s", "1500ms", "2m", "30" (seconds). InvalidArgument otherwise.
Result<std::chrono::milliseconds> ParseWait(std::string_view text) {
  if (text.empty()) return std::chrono::milliseconds(0);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string_view unit(end, text.data() + text.size() - end);
  if (ec != std::errc() || value < 0) {
    return InvalidArgument("query 'wait': expected a duration like 30s or 500ms");
  }
  // Bounded before the unit is applied: 9e18 minutes in milliseconds would
  // overflow (undefined behaviour), and no wait is longer than kMaxWait.
  value = std::min<std::int64_t>(value, kMaxWait.count());
  std::chrono::milliseconds wait;
  if (unit.empty() || unit == "s") wait = std::chrono::seconds(value);
  else if (unit == "ms") wait = std::chrono::milliseconds(value);
  else if (unit == "m") wait = std::chrono::minutes(value);
  else return InvalidArgument("query 'wait': unknown unit '" + std::string(unit) + "'");
  return std::min(wait, kMaxWait);
}

// Resumes the calling coroutine once the event's interaction turn is its
// own (at once, or when the turn before ends, on that thread: the handler
// is posted back to the coroutine's executor).
struct AwaitTurnOp {
  gateway::EventService* events;
  gateway::PendingEvent* pending;
  template <typename Handler>
  void operator()(Handler handler) {
    events->AwaitTurn(*pending, [h = std::move(handler)]() mutable {
      auto executor = asio::get_associated_executor(h);
      asio::post(executor, std::move(h));
    });
  }
};

using WriteResult = std::shared_ptr<Result<store::RecordedDecision>>;

// Resumes the calling coroutine with the durable write's result; the
// store's writer thread only posts it back.
struct WriteEventOp {
  gateway::EventService* events;
  gateway::PendingEvent* pending;
  template <typename Handler>
  void operator()(Handler handler) {
    events->Write(*pending, [h = std::move(handler)](Result<store::RecordedDecision> r) mutable {
      auto executor = asio::get_associated_executor(h);
      auto result = std::make_shared<Result<store::RecordedDecision>>(std::move(r));
      asio::post(executor, [h = std::move(h), result]() mutable { std::move(h)(result); });
    });
  }
};

// POST /v1/events on the I/O thread: authenticate (cached keys), decide,
// hand the write to the store's writer and answer when it is durable.
asio::awaitable<Result<gateway::SubmitResult>> SubmitInline(ApiContext& ctx, Request& req) {
  auto who = ctx.gateway.access().Authenticate(BearerToken(req), req.remote_address);
  if (!who) co_return std::unexpected(who.error());
  auto pending = ctx.gateway.events().Accept(*who, req.body);
  if (!pending) co_return std::unexpected(pending.error());
  AwaitTurnOp turn{&ctx.gateway.events(), &*pending};
  co_await asio::async_initiate<const asio::use_awaitable_t<>, void()>(turn, asio::use_awaitable);
  ctx.gateway.events().Decide(*pending);
  WriteEventOp write{&ctx.gateway.events(), &*pending};
  WriteResult written =
      co_await asio::async_initiate<const asio::use_awaitable_t<>, void(WriteResult)>(write, asio::use_awaitable);
  co_return ctx.gateway.events().Finish(*pending, std::move(*written));
}

asio::awaitable<Response> SubmitEvent(ApiContext& ctx, Request& req) {
  Result<gateway::SubmitResult> result = MakeError(ErrorCode::kInternal, "not run");
  if (ctx.inline_events) {
    result = co_await SubmitInline(ctx, req);
  } else {
    std::string token = BearerToken(req);
    result = co_await ctx.pool.Run([&]() -> Result<gateway::SubmitResult> {
      auto who = ctx.gateway.access().Authenticate(token, req.remote_address);
      HITLGATE_RETURN_IF_ERROR(who);
      return ctx.gateway.events().Submit(*who, req.body);
    });
  }
  if (!result) co_return JsonError(result.error());
  const bool replayed = result->duplicate;
  Response response = Json(200, std::move(result->decision_json));
  // A retry gets the recorded answer's bytes; the header says it was one
  // (the name payment APIs use for the same contract).
  if (replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
  co_return response;
}

// GET /v1/tasks/{id}?wait=30s: answers at once when the task is settled,
// else waits for a change (verdict, hold notice, escalation) up to `wait`
// and answers with the task as it is then.
asio::awaitable<Response> WaitForTask(ApiContext& ctx, Request& req) {
  auto wait = ParseWait(req.Query("wait"));
  if (!wait) co_return JsonError(wait.error());
  std::string token = BearerToken(req);
  std::string task_id(req.Param("id"));
  auto who = co_await ctx.pool.Run([&] { return ctx.gateway.access().Authenticate(token, req.remote_address); });
  if (!who) co_return JsonError(who.error());
  std::optional<KeyConnections::Hold> hold;
  if (ctx.connections != nullptr && wait->count() > 0) {
    // Revoking the key wakes this wait; the check after it then refuses.
    auto held = ctx.connections->Open(who->key_id, KeyConnections::Kind::kWait,
                                      [notifier = &ctx.notifier, task_id] { notifier->Notify("task:" + task_id); });
    if (!held) co_return JsonError(held.error());
    hold.emplace(std::move(*held));
  }
  // Armed before reading, so a change recorded between the read and the
  // wait still ends the wait at once.
  std::string key = "task:" + task_id;  // named: see BlockingPool::Run on temporaries
  Notifier::Ticket ticket = co_await ctx.notifier.Arm(std::move(key));
  auto view = co_await ctx.pool.Run([&] { return ctx.gateway.review().AgentTask(*who, task_id); });
  if (!view) co_return JsonError(view.error());
  if (view->settled || wait->count() <= 0) co_return Json(200, codec::AgentTaskJson(*view));
  // An agent's deadline ends the wait early: the read after it settles the
  // task with its fallback and answers with that.
  std::chrono::milliseconds limit = *wait;
  if (view->deadline_in) {
    const auto until = std::chrono::ceil<std::chrono::milliseconds>(*view->deadline_in);
    limit = std::clamp(until + std::chrono::milliseconds(1), std::chrono::milliseconds(0), limit);
  }
  co_await ctx.notifier.Wait(std::move(ticket), limit);
  // The key may have been revoked while it waited (on any node: the
  // revocation reaches every node's KeyConnections).
  if (hold && hold->closed()) {
    co_return JsonError(Error(ErrorCode::kUnauthenticated, "invalid API key (revoked while waiting)"));
  }
  auto after = co_await ctx.pool.Run([&] { return ctx.gateway.review().AgentTask(*who, task_id); });
  if (!after) co_return JsonError(after.error());
  co_return Json(200, codec::AgentTaskJson(*after));
}

// Where a stream's writer is, once it exists, so revoking the key (which may
// happen before the stream starts) can close it.
struct StreamSlot {
  std::mutex mu;
  std::weak_ptr<SseWriter> writer;
  bool revoked = false;
  void Close() {
    std::lock_guard lock(mu);
    revoked = true;
    if (auto w = writer.lock()) w->Close();
  }
};

// Forwards published events to one SSE stream until it closes. Parameters
// by value: they live in the coroutine frame, not in the caller's lambda.
asio::awaitable<void> StreamEvents(Notifier* notifier, gateway::Principal principal,
                                   std::vector<std::string> prefixes,
                                   std::shared_ptr<SseWriter> writer,
                                   std::shared_ptr<StreamSlot> slot,
                                   std::shared_ptr<KeyConnections::Hold> hold) {
  (void)hold;  // kept in the frame: the key's place is released when the stream ends
  if (slot) {
    std::lock_guard lock(slot->mu);
    if (slot->revoked) writer->Close();
    slot->writer = writer;
  }
  auto wants = [principal, prefixes](std::string_view topic, std::string_view workflow) {
    bool topic_ok = prefixes.empty() ||
                    std::any_of(prefixes.begin(), prefixes.end(),
                                [&](const std::string& p) { return topic.starts_with(p); });
    if (!topic_ok) return false;
    // A key scoped to some workflows sees their events only; events of no
    // workflow (policies, autonomy levels) are not theirs.
    if (principal.CoversAllWorkflows()) return true;
    return !workflow.empty() && principal.CoversWorkflow(workflow);
  };
  const std::uint64_t token = notifier->Subscribe(
      [writer, wants](std::string_view topic, std::string_view workflow, std::string_view data) {
        if (wants(topic, workflow)) writer->Send(topic, data);
      });
  writer->Send("hello", "{\"ok\":true}");
  co_await writer->WaitClosed();
  notifier->Unsubscribe(token);
}

// GET /v1/stream?topics=task.,decision: server-sent events. A key sees the
// events of its own workflows only.
asio::awaitable<Response> Stream(ApiContext& ctx, Request& req) {
  std::string token = BearerToken(req);
  auto who = co_await ctx.pool.Run([&] { return ctx.gateway.access().Authenticate(token, req.remote_address); });
  if (!who) co_return JsonError(who.error());
  std::vector<std::string> prefixes;
  std::string_view topics = req.Query("topics");
  while (!topics.empty()) {
    size_t comma = topics.find(',');
    std::string_view one = topics.substr(0, comma);
    if (!one.empty()) prefixes.emplace_back(one);
    if (comma == std::string_view::npos) break;
    topics.remove_prefix(comma + 1);
  }
  auto slot = std::make_shared<StreamSlot>();
  std::shared_ptr<KeyConnections::Hold> hold;
  if (ctx.connections != nullptr) {
    auto held = ctx.connections->Open(who->key_id, KeyConnections::Kind::kStream, [slot] { slot->Close(); });
    if (!held) co_return JsonError(held.error());
    hold = std::make_shared<KeyConnections::Hold>(std::move(*held));
  }
  Response response;
  // The hold travels with the stream: released when its coroutine ends.
  response.sse = [notifier = &ctx.notifier, principal = *who, prefixes = std::move(prefixes), slot,
                  hold](std::shared_ptr<SseWriter> writer) {
    return StreamEvents(notifier, principal, prefixes, std::move(writer), slot, hold);
  };
  co_return response;
}

}  // namespace

void RegisterAgentRoutes(Router& router, ApiContext& ctx) {
  router.Add(http::verb::post, "/v1/events", [&ctx](Request& r) { return SubmitEvent(ctx, r); });
  router.Add(http::verb::get, "/v1/tasks/{id}", [&ctx](Request& r) { return WaitForTask(ctx, r); });
  router.Add(http::verb::get, "/v1/stream", [&ctx](Request& r) { return Stream(ctx, r); });
}

}  // namespace hitlgate::api
