// Agents: submit events; wait for a held proposal's verdict (long-poll);
// subscribe to live updates (SSE).
#include <algorithm>
#include <charconv>

#include "api/handlers/api_context.h"

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
  std::chrono::milliseconds wait;
  if (unit.empty() || unit == "s") wait = std::chrono::seconds(value);
  else if (unit == "ms") wait = std::chrono::milliseconds(value);
  else if (unit == "m") wait = std::chrono::minutes(value);
  else return InvalidArgument("query 'wait': unknown unit '" + std::string(unit) + "'");
  return std::min(wait, kMaxWait);
}

asio::awaitable<Response> SubmitEvent(ApiContext& ctx, Request& req) {
  std::string token = BearerToken(req);
  auto result = co_await ctx.pool.Run([&]() -> Result<gateway::SubmitResult> {
    auto who = ctx.gateway.Authenticate(token);
    if (!who) return std::unexpected(who.error());
    return ctx.gateway.SubmitEvent(*who, req.body);
  });
  if (!result) co_return JsonError(result.error());
  co_return Json(200, std::move(result->decision_json));
}

// GET /v1/tasks/{id}?wait=30s: answers at once when the task is settled,
// else waits for a change (verdict, hold notice, escalation) up to `wait`.
asio::awaitable<Response> WaitForTask(ApiContext& ctx, Request& req) {
  auto wait = ParseWait(req.Query("wait"));
  if (!wait) co_return JsonError(wait.error());
  std::string token = BearerToken(req);
  std::string task_id(req.Param("id"));
  auto who = co_await ctx.pool.Run([&] { return ctx.gateway.Authenticate(token); });
  if (!who) co_return JsonError(who.error());
  const auto deadline = std::chrono::steady_clock::now() + *wait;
  for (;;) {
    // Subscribe before reading, so a verdict between the read and the wait
    // is not missed: WaitFor only counts notifications after it began, and
    // the re-read after waking sees the change.
    auto view = co_await ctx.pool.Run([&] { return ctx.gateway.TaskStatusJson(*who, task_id); });
    if (!view) co_return JsonError(view.error());
    const bool pending = view->find("\"status\":\"pending\"") != std::string::npos;
    const bool noticed = view->find("\"holding_message\"") != std::string::npos;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                      std::chrono::steady_clock::now());
    if (!pending || left.count() <= 0) co_return Json(200, std::move(*view));
    std::string key = "task:" + task_id;  // named: see BlockingPool::Run on temporaries
    const bool changed = co_await ctx.notifier.WaitFor(std::move(key), left);
    if (!changed) {
      auto last = co_await ctx.pool.Run([&] { return ctx.gateway.TaskStatusJson(*who, task_id); });
      if (!last) co_return JsonError(last.error());
      co_return Json(200, std::move(*last));
    }
    // A hold notice wakes the agent once, with the holding message.
    auto after = co_await ctx.pool.Run([&] { return ctx.gateway.TaskStatusJson(*who, task_id); });
    if (!after) co_return JsonError(after.error());
    const bool now_noticed = after->find("\"holding_message\"") != std::string::npos;
    if (after->find("\"status\":\"pending\"") == std::string::npos || (now_noticed && !noticed)) {
      co_return Json(200, std::move(*after));
    }
  }
}

// Forwards published events to one SSE stream until it closes. Parameters
// by value: they live in the coroutine frame, not in the caller's lambda.
asio::awaitable<void> StreamEvents(Notifier* notifier, gateway::Principal principal,
                                   std::vector<std::string> prefixes,
                                   std::shared_ptr<SseWriter> writer) {
  auto wants = [principal, prefixes](std::string_view topic, std::string_view data) {
    bool topic_ok = prefixes.empty() ||
                    std::any_of(prefixes.begin(), prefixes.end(),
                                [&](const std::string& p) { return topic.starts_with(p); });
    if (!topic_ok) return false;
    if (principal.role != store::Role::kAgent || principal.workflows.empty()) return true;
    return std::any_of(principal.workflows.begin(), principal.workflows.end(), [&](const std::string& w) {
      return data.find("\"workflow\":\"" + w + "\"") != std::string_view::npos;
    });
  };
  const std::uint64_t token = notifier->Subscribe(
      [writer, wants](std::string_view topic, std::string_view data) {
        if (wants(topic, data)) writer->Send(topic, data);
      });
  writer->Send("hello", "{\"ok\":true}");
  co_await writer->WaitClosed();
  notifier->Unsubscribe(token);
}

// GET /v1/stream?topics=task.,decision: server-sent events. Agents only see
// events of their own workflows.
asio::awaitable<Response> Stream(ApiContext& ctx, Request& req) {
  std::string token = BearerToken(req);
  auto who = co_await ctx.pool.Run([&] { return ctx.gateway.Authenticate(token); });
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
  Response response;
  response.sse = [notifier = &ctx.notifier, principal = *who,
                  prefixes = std::move(prefixes)](std::shared_ptr<SseWriter> writer) {
    return StreamEvents(notifier, principal, prefixes, std::move(writer));
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
