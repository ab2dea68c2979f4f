#include "mcp/proxy_session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "hitlgate/codec/json.h"
#include "mcp/log.h"

namespace hitlgate::mcp {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// After a failed long-poll, how long to pause before asking again.
constexpr auto kRetryPause = std::chrono::milliseconds(500);
// Result reports wait until the session has been idle this long: an agent
// that calls again at once keeps its calls off the reports' way.
constexpr auto kReportSettle = std::chrono::milliseconds(20);
// More reports than this waiting, and they go out busy or not.
constexpr size_t kMaxQueuedReports = 1024;
// The proxy's own tools/list: pages it reads at most, and how long it waits for each.
constexpr int kMaxToolPages = 50;
constexpr auto kOwnRequestTimeout = std::chrono::seconds(5);

std::string MetaString(const json::object* meta, std::string_view key) {
  if (meta == nullptr) return {};
  const json::value* v = meta->if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::object StatusToolDefinition() {
  json::object task_id{{"type", "string"},
                       {"description", "The task id that a held call's result named (t-...)."}};
  json::object schema{{"type", "object"},
                      {"properties", json::object{{"task_id", std::move(task_id)}}},
                      {"required", json::array{"task_id"}}};
  return json::object{
      {"name", kStatusToolName},
      {"title", "hitlgate: approval status"},
      {"description",
       "Says whether a tool call that hitlgate held for a person's approval was approved, edited "
       "or "
       "rejected. An approved call runs when you call its tool again with the same arguments."},
      {"inputSchema", std::move(schema)},
      {"annotations", json::object{{"readOnlyHint", true}, {"openWorldHint", false}}}};
}

// The key under which a call waits past the limit: the same tool with the same
// arguments (whatever their key order) picks its task up again.
std::string HeldKey(const std::string& tool, const std::string& arguments_json) {
  auto canonical = codec::CanonicalJson(arguments_json);
  return tool + '\n' + (canonical ? *canonical : arguments_json);
}

CallPlan RefuseKeepingTask(std::string message, std::string task_id) {
  CallPlan plan;
  plan.step = CallPlan::Step::kRefuse;
  plan.message = std::move(message);
  plan.task_id = std::move(task_id);  // still open: calling again asks about it
  return plan;
}

}  // namespace

ProxySession::ProxySession(asio::any_io_executor executor, const McpConfig& config,
                           const ServerConfig& server, std::shared_ptr<GatewayApi> gateway,
                           const Clock& clock, std::string session_id, ClientSink* sink)
    : executor_(executor),
      config_(config),
      server_(server),
      gateway_(std::move(gateway)),
      clock_(clock),
      session_id_(std::move(session_id)),
      sink_(sink) {}

ProxySession::~ProxySession() = default;

void ProxySession::Start(std::shared_ptr<ServerChannel> channel) {
  channel_ = std::move(channel);
  channel_->Start(this);
}

void ProxySession::Close() {
  sink_ = nullptr;
  if (channel_ != nullptr) channel_->Stop();
}

void ProxySession::Reply(std::string_view id, std::string text) {
  if (sink_ != nullptr) sink_->ToClient(std::move(text), id, true);
}

void ProxySession::FromClientText(std::string text) {
  auto message = ParseMessage(text);
  if (!message) {
    if (sink_ != nullptr) {
      sink_->ToClient(ErrorResponse({}, kParseError, "hitlgate mcp: " + message.error().message()),
                      {}, true);
    }
    return;
  }
  FromClient(std::move(*message), std::move(text));
}

void ProxySession::FromClientTooLarge(size_t bytes, std::string_view id) {
  Reply(id, ErrorResponse(id, kMessageTooLarge,
                          "hitlgate mcp: a message of " + std::to_string(bytes) +
                              " bytes is over the limit of " +
                              std::to_string(config_.max_message_bytes) +
                              " (max_message_bytes); it was not forwarded"));
}

void ProxySession::FromClient(Message message, std::string text) {
  switch (message.kind) {
    case MessageKind::kInvalid:
      Reply(message.id,
            ErrorResponse(message.id, kInvalidRequest,
                          "hitlgate mcp: not a JSON-RPC 2.0 message: " + message.problem));
      return;
    case MessageKind::kResponse:
      if (!server_closed_) channel_->Send(std::move(text));
      return;
    case MessageKind::kNotification: {
      if (message.method == "notifications/cancelled") {
        const json::object* params = Params(message);
        const json::value* request = params != nullptr ? params->if_contains("requestId") : nullptr;
        const std::string request_id = request != nullptr ? IdText(*request) : std::string();
        // The server never saw a call that is still at the gateway; ending it here is enough.
        if (at_gateway_.contains(request_id)) {
          cancelled_.insert(request_id);
          return;
        }
      }
      if (!server_closed_) channel_->Send(std::move(text));
      return;
    }
    case MessageKind::kRequest:
      break;
  }
  const std::string& id = message.id;
  if (forwarded_.contains(id) || at_gateway_.contains(id)) {
    Reply(id, ErrorResponse(id, kInvalidRequest,
                            "hitlgate mcp: request id " + id + " is already in use"));
    return;
  }
  if (server_closed_) {
    Reply(id, ErrorResponse(id, kServerUnavailable, "hitlgate mcp: " + closed_why_));
    return;
  }
  if (message.method == "tools/call") {
    at_gateway_.insert(id);
    asio::co_spawn(executor_,
                   HandleToolCall(shared_from_this(), std::move(message), std::move(text)),
                   asio::detached);
    return;
  }
  Forwarded entry;
  entry.method = message.method;
  const json::object* params = Params(message);
  const json::value* meta = params != nullptr ? params->if_contains("_meta") : nullptr;
  if (meta != nullptr && meta->is_object()) {
    const json::value* token = meta->get_object().if_contains("progressToken");
    if (token != nullptr) progress_owner_[IdText(*token)] = id;
  }
  Forward(id, std::move(text), std::move(entry));
}

void ProxySession::Forward(const std::string& id, std::string text, Forwarded entry) {
  if (server_closed_) {
    Reply(id, ErrorResponse(id, kServerUnavailable, "hitlgate mcp: " + closed_why_));
    return;
  }
  forwarded_.emplace(id, std::move(entry));
  channel_->Send(std::move(text));
}

CallContext ProxySession::ContextFor(const json::object* meta) {
  CallContext c;
  c.workflow = server_.workflow.empty() ? config_.workflow : server_.workflow;
  c.interaction_id = config_.interaction_id.empty() ? "mcp-" + session_id_ : config_.interaction_id;
  c.customer_id = config_.customer_id;
  c.channel = config_.channel;
  if (std::string v = MetaString(meta, kMetaWorkflow); !v.empty()) c.workflow = std::move(v);
  if (std::string v = MetaString(meta, kMetaInteraction); !v.empty())
    c.interaction_id = std::move(v);
  if (std::string v = MetaString(meta, kMetaCustomer); !v.empty()) c.customer_id = std::move(v);
  return c;
}

asio::awaitable<void> ProxySession::HandleToolCall(std::shared_ptr<ProxySession> /*self*/,
                                                   Message message, std::string text) {
  const std::string id = message.id;
  // Ends the call's time at the gateway; true when the client cancelled it,
  // which then gets no answer at all.
  auto done = [&] {
    at_gateway_.erase(id);
    if (cancelled_.erase(id) == 0) return false;
    if (sink_ != nullptr) sink_->Abandon(id);
    return true;
  };
  const json::object* params = Params(message);
  const json::value* name = params != nullptr ? params->if_contains("name") : nullptr;
  const json::value* arguments = params != nullptr ? params->if_contains("arguments") : nullptr;
  if (name == nullptr || !name->is_string() || name->get_string().empty()) {
    done();
    Reply(id, ErrorResponse(id, kInvalidParams, "hitlgate mcp: tools/call needs params.name"));
    co_return;
  }
  if (arguments != nullptr && !arguments->is_object() && !arguments->is_null()) {
    done();
    Reply(id, ErrorResponse(id, kInvalidParams,
                            "hitlgate mcp: tools/call params.arguments must be an object"));
    co_return;
  }
  const std::string tool(name->get_string());
  const std::string arguments_json = arguments != nullptr && arguments->is_object()
                                         ? json::serialize(*arguments)
                                         : std::string("{}");
  const json::value* meta_value = params->if_contains("_meta");
  const json::object* meta =
      meta_value != nullptr && meta_value->is_object() ? &meta_value->get_object() : nullptr;
  const json::value* token = meta != nullptr ? meta->if_contains("progressToken") : nullptr;
  const std::string progress_token = token != nullptr ? IdText(*token) : std::string();

  if (config_.status_tool && tool == kStatusToolName) {
    done();
    std::string task_id;
    if (arguments != nullptr && arguments->is_object()) {
      const json::value* t = arguments->get_object().if_contains("task_id");
      if (t != nullptr && t->is_string()) task_id = std::string(t->get_string());
    }
    co_await AnswerStatus(shared_from_this(), id, std::move(task_id));
    co_return;
  }

  const ToolOverride* override = server_.FindOverride(tool);
  const bool kind_given = override != nullptr && override->kind.has_value();
  const bool ask = override == nullptr || override->gate == GateMode::kAsk;
  if (ask && !kind_given && !tools_.contains(tool) && !listed_itself_ && !tools_listed_) {
    // The client never listed the tools (a cached list, a reconnect): ask the
    // server for their annotations rather than take every tool for destructive.
    co_await ListToolsItself();
  }
  ToolCall call;
  call.server = server_.name;
  call.tool = tool;
  call.arguments_json = arguments_json;
  if (auto known = tools_.find(tool); known != tools_.end()) {
    call.kind = known->second.kind;
    call.annotations_json = known->second.annotations_json;
  }
  if (kind_given) call.kind = *override->kind;
  if (override != nullptr && override->gate == GateMode::kRefuse) {
    done();
    Reply(id, ToolResultResponse(id,
                                 "hitlgate refuses calls to " + tool +
                                     " (the proxy's configuration); the call was not made.",
                                 true));
    co_return;
  }
  if (override != nullptr && override->gate == GateMode::kBypass) {
    if (done()) co_return;
    if (!progress_token.empty()) progress_owner_[progress_token] = id;
    Forward(id, std::move(text), Forwarded{.method = "tools/call"});
    co_return;
  }

  const std::string key = HeldKey(tool, arguments_json);
  CallContext context;
  CallPlan plan;
  if (auto held = held_.find(key); held != held_.end()) {
    // The agent calls again after a "pending" answer: ask about that task, no new event.
    context = held->second.context;
    plan = CallPlan{.step = CallPlan::Step::kWait, .task_id = held->second.task_id};
  } else {
    context = ContextFor(meta);
    context.event_id = "mcp-" + session_id_ + "-" + std::to_string(++call_seq_);
    ++deciding_;
    last_activity_ = std::chrono::steady_clock::now();
    auto answer = co_await gateway_->Submit(ProposalEvent(context, call));
    --deciding_;
    last_activity_ = std::chrono::steady_clock::now();
    plan = answer ? PlanForAnswer(*answer, call)
                  : CallPlan{.step = CallPlan::Step::kRefuse,
                             .message = UncheckedText(call, answer.error().message())};
  }
  std::string task_id;
  if (plan.step == CallPlan::Step::kWait) {
    task_id = plan.task_id;
    task_tools_[task_id] = tool;
    plan = co_await WaitForVerdict(id, task_id, call, progress_token);
  }
  if (done()) co_return;  // cancelled by the client: never run it
  switch (plan.step) {
    case CallPlan::Step::kForward:
    case CallPlan::Step::kForwardEdited: {
      held_.erase(key);
      Forwarded entry{.method = "tools/call",
                      .gated = true,
                      .call = call,
                      .context = context,
                      .task_id = task_id};
      if (plan.step == CallPlan::Step::kForwardEdited) {
        json::value doc = message.doc;
        json::object& p = doc.as_object()["params"].as_object();
        boost::system::error_code ec;
        json::value edited = json::parse(plan.arguments_json, ec);
        p["name"] = plan.tool;
        p["arguments"] =
            ec || !edited.is_object() ? json::value(json::object()) : std::move(edited);
        text = json::serialize(doc);
        entry.call.tool = plan.tool;
        entry.call.arguments_json = plan.arguments_json;
      }
      if (!progress_token.empty()) progress_owner_[progress_token] = id;
      Forward(id, std::move(text), std::move(entry));
      break;
    }
    case CallPlan::Step::kRefuse:
      if (plan.task_id.empty()) {
        held_.erase(key);
      } else {
        held_[key] = Held{.task_id = plan.task_id, .context = context};
      }
      Reply(id, ToolResultResponse(id, plan.message, true));
      break;
    case CallPlan::Step::kWait:
      held_[key] = Held{.task_id = task_id, .context = context};
      Reply(id, ToolResultResponse(id, PendingText(call, task_id), true));
      break;
  }
}

asio::awaitable<CallPlan> ProxySession::WaitForVerdict(std::string id, std::string task_id,
                                                       const ToolCall& call,
                                                       std::string progress_token) {
  const TimePoint start = clock_.Now();
  const TimePoint deadline = start + std::chrono::duration_cast<Duration>(config_.wait_limit);
  const double total = std::chrono::duration<double>(config_.wait_limit).count();
  const std::string note =
      "Waiting for a person to approve " + call.tool + " (hitlgate task " + task_id + ")";
  auto progress = [&] {
    if (progress_token.empty() || sink_ == nullptr) return;
    // Whole milliseconds: progress is for people, and must only grow.
    const double waited =
        static_cast<double>(
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now() - start).count()) /
        1000;
    sink_->ToClient(ProgressNotification(progress_token, waited, total, note), id, false);
  };
  progress();
  asio::steady_timer pause(executor_);
  std::string trouble;
  for (;;) {
    const TimePoint now = clock_.Now();
    if (now >= deadline || cancelled_.contains(id)) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    const auto poll =
        std::max(std::chrono::milliseconds(1), std::min(left, config_.progress_interval));
    auto task = co_await gateway_->Task(task_id, poll);
    if (!task) {
      trouble = task.error().message();
      if (task.error().code() != ErrorCode::kUnavailable &&
          task.error().code() != ErrorCode::kDeadlineExceeded) {
        co_return RefuseKeepingTask(UncheckedText(call, trouble), task_id);
      }
      pause.expires_after(std::min(kRetryPause, left));
      co_await pause.async_wait(kTuple);
      continue;
    }
    trouble.clear();
    CallPlan plan = PlanForTask(*task, task_id, call);
    if (plan.step != CallPlan::Step::kWait) co_return plan;
    progress();
  }
  if (!trouble.empty()) {
    co_return RefuseKeepingTask(
        UncheckedText(call, trouble + ", while waiting for task " + task_id), task_id);
  }
  co_return CallPlan{.step = CallPlan::Step::kWait, .task_id = task_id};
}

asio::awaitable<void> ProxySession::AnswerStatus(std::shared_ptr<ProxySession> /*self*/,
                                                 std::string id, std::string task_id) {
  auto known = task_tools_.find(task_id);
  if (known == task_tools_.end()) {
    Reply(id, ToolResultResponse(
                  id,
                  task_id.empty() ? "Give task_id: the id a held call's result named."
                                  : "hitlgate_task_status answers about this session's tasks only, "
                                    "and " +
                                        task_id + " is not one of them.",
                  true));
    co_return;
  }
  ToolCall call;
  call.tool = known->second;
  auto task = co_await gateway_->Task(task_id, std::chrono::milliseconds(0));
  if (!task) {
    Reply(id,
          ToolResultResponse(
              id, "hitlgate could not ask about task " + task_id + ": " + task.error().message(),
              true));
    co_return;
  }
  const CallPlan plan = PlanForTask(*task, task_id, call);
  std::string text;
  switch (plan.step) {
    case CallPlan::Step::kWait:
      text = "Task " + task_id + " (a call to " + call.tool +
             ") is still waiting for a person's approval.";
      break;
    case CallPlan::Step::kForward:
      text = "Task " + task_id + " was approved: call " + call.tool +
             " again with the same arguments and it will run.";
      break;
    case CallPlan::Step::kForwardEdited:
      text = "Task " + task_id + " was approved with changes: call " + call.tool +
             " again with the same arguments and the reviewer's version will run (" + plan.tool +
             " " + plan.arguments_json + ").";
      break;
    case CallPlan::Step::kRefuse:
      text = plan.message;
      break;
  }
  json::object structured{
      {"task_id", task_id}, {"status", task->status}, {"verdict", task->verdict}};
  if (!task->message.empty()) structured["message"] = task->message;
  Reply(id, ToolResultResponse(id, text, false, json::serialize(structured)));
}

bool ProxySession::Busy() const {
  if (deciding_ > 0) return true;
  for (const auto& [id, entry] : forwarded_) {
    if (entry.gated) return true;
  }
  return false;
}

void ProxySession::QueueReport(Forwarded call, std::string result_text, bool is_error) {
  reports_.push_back(Report{std::move(call), std::move(result_text), is_error});
  if (!reporting_) {
    reporting_ = true;
    asio::co_spawn(executor_, ReportResults(shared_from_this()), asio::detached);
  }
}

asio::awaitable<void> ProxySession::ReportResults(std::shared_ptr<ProxySession> /*self*/) {
  asio::steady_timer timer(executor_);
  while (!reports_.empty()) {
    const auto idle_for = std::chrono::steady_clock::now() - last_activity_;
    if (reports_.size() <= kMaxQueuedReports && (Busy() || idle_for < kReportSettle)) {
      timer.expires_after(
          Busy() ? std::chrono::milliseconds(2)
                 : std::chrono::duration_cast<std::chrono::milliseconds>(kReportSettle - idle_for) +
                       std::chrono::milliseconds(1));
      co_await timer.async_wait(kTuple);
      continue;
    }
    Report report = std::move(reports_.front());
    reports_.pop_front();
    auto reported = co_await gateway_->Report(ResultEvent(
        report.call.context, report.call.call, report.text, report.is_error, report.call.task_id));
    if (!reported) {
      LogServer(server_.name, "the result of " + report.call.call.tool +
                                  " was not recorded: " + reported.error().message());
    }
  }
  reporting_ = false;
}

bool ProxySession::RememberTools(const json::object& result) {
  const json::value* tools = result.if_contains("tools");
  if (tools == nullptr || !tools->is_array()) return false;
  bool has_status_tool = false;
  for (const json::value& tool : tools->get_array()) {
    if (!tool.is_object()) continue;
    const json::value* name = tool.get_object().if_contains("name");
    if (name == nullptr || !name->is_string()) continue;
    const json::value* annotations = tool.get_object().if_contains("annotations");
    const json::object* a =
        annotations != nullptr && annotations->is_object() ? &annotations->get_object() : nullptr;
    tools_[std::string(name->get_string())] =
        ToolInfo{.kind = KindFromAnnotations(a),
                 .annotations_json = a != nullptr ? json::serialize(*a) : ""};
    has_status_tool = has_status_tool || name->get_string() == kStatusToolName;
  }
  tools_listed_ = true;
  return has_status_tool;
}

std::string ProxySession::AugmentToolsList(const Message& response, const std::string& text) {
  const json::object* result = ResultObject(response);
  const json::value* tools = result != nullptr ? result->if_contains("tools") : nullptr;
  if (tools == nullptr || !tools->is_array()) return text;
  const bool has_status_tool = RememberTools(*result);
  const json::value* cursor = result->if_contains("nextCursor");
  const bool last_page = cursor == nullptr || cursor->is_null();
  if (!config_.status_tool || has_status_tool || !last_page) return text;
  json::value doc = response.doc;
  doc.as_object()["result"].as_object()["tools"].as_array().push_back(StatusToolDefinition());
  return json::serialize(doc);
}

asio::awaitable<void> ProxySession::ListToolsItself() {
  if (listing_) {
    // Another call is asking already: wait for its answer.
    asio::steady_timer timer(executor_);
    while (listing_) {
      timer.expires_after(std::chrono::milliseconds(5));
      co_await timer.async_wait(kTuple);
    }
    co_return;
  }
  listing_ = true;
  std::string cursor;
  for (int page = 0; page < kMaxToolPages && !server_closed_; ++page) {
    const std::string id = "\"hitlgate-mcp-" + std::to_string(++own_request_seq_) + "\"";
    json::object params;
    if (!cursor.empty()) params["cursor"] = cursor;
    json::object request{
        {"jsonrpc", "2.0"}, {"id", json::parse(id)}, {"method", "tools/list"}, {"params", params}};
    auto answer = std::make_shared<AsyncQueue<std::string>>(executor_);
    own_requests_[id] = answer;
    channel_->Send(json::serialize(request));
    auto text = co_await answer->Pop(kOwnRequestTimeout);
    own_requests_.erase(id);
    if (!text) break;
    auto message = ParseMessage(*text);
    const json::object* result = message ? ResultObject(*message) : nullptr;
    if (result == nullptr) break;
    RememberTools(*result);
    const json::value* next = result->if_contains("nextCursor");
    if (next == nullptr || !next->is_string()) break;
    cursor = std::string(next->get_string());
  }
  listing_ = false;
  listed_itself_ = true;
}

void ProxySession::OnServerMessage(std::string text) {
  auto message = ParseMessage(text);
  if (!message) {
    LogServer(server_.name, "the server sent a message that is not JSON (" +
                                message.error().message() + "); dropped");
    return;
  }
  if (message->kind == MessageKind::kInvalid) {
    auto it = forwarded_.find(message->id);
    if (it == forwarded_.end()) {
      LogServer(server_.name,
                "the server sent an invalid message (" + message->problem + "); dropped");
      return;
    }
    forwarded_.erase(it);
    Reply(message->id, ErrorResponse(message->id, kInternalError,
                                     "hitlgate mcp: the server answered with an invalid message: " +
                                         message->problem));
    return;
  }
  if (message->kind == MessageKind::kResponse) {
    if (auto own = own_requests_.find(message->id); own != own_requests_.end()) {
      own->second->Push(std::move(text));
      return;
    }
    auto it = forwarded_.find(message->id);
    if (it == forwarded_.end()) {
      if (sink_ != nullptr) sink_->ToClient(std::move(text), message->id, true);
      return;
    }
    Forwarded entry = std::move(it->second);
    forwarded_.erase(it);
    if (entry.gated) last_activity_ = std::chrono::steady_clock::now();
    std::erase_if(progress_owner_, [&](const auto& p) { return p.second == message->id; });
    const json::object* result = ResultObject(*message);
    if (entry.method == "tools/list" && result != nullptr) text = AugmentToolsList(*message, text);
    if (entry.gated && config_.report_results) {
      bool is_error = result == nullptr;
      std::string result_text;
      if (result != nullptr) {
        const json::value* flag = result->if_contains("isError");
        is_error = flag != nullptr && flag->is_bool() && flag->get_bool();
        result_text = ResultText(*result);
      } else {
        const json::value* error = message->doc.as_object().if_contains("error");
        const json::value* m = error != nullptr && error->is_object()
                                   ? error->get_object().if_contains("message")
                                   : nullptr;
        result_text = m != nullptr && m->is_string() ? std::string(m->get_string()) : "error";
      }
      QueueReport(std::move(entry), std::move(result_text), is_error);
    }
    if (sink_ != nullptr) sink_->ToClient(std::move(text), message->id, true);
    return;
  }
  std::string related;
  if (message->method == "notifications/progress") {
    const json::object* params = Params(*message);
    const json::value* token = params != nullptr ? params->if_contains("progressToken") : nullptr;
    if (token != nullptr) {
      auto owner = progress_owner_.find(IdText(*token));
      if (owner != progress_owner_.end()) related = owner->second;
    }
  }
  if (sink_ != nullptr) sink_->ToClient(std::move(text), related, false);
}

void ProxySession::OnServerMessageTooLarge(size_t bytes, std::string id) {
  const std::string why = "the server's message of " + std::to_string(bytes) +
                          " bytes is over the limit of " +
                          std::to_string(config_.max_message_bytes) + " (max_message_bytes)";
  auto it = forwarded_.find(id);
  if (id.empty() || it == forwarded_.end()) {
    LogServer(server_.name, why + "; dropped");
    return;
  }
  forwarded_.erase(it);
  Reply(id, ErrorResponse(id, kMessageTooLarge, "hitlgate mcp: " + why + "; it was not passed on"));
}

void ProxySession::OnServerClosed(std::string why) {
  server_closed_ = true;
  closed_why_ = std::move(why);
  LogServer(server_.name, closed_why_);
  for (auto& [id, answer] : own_requests_) answer->Close();
  auto pending = std::move(forwarded_);
  forwarded_.clear();
  for (const auto& [id, entry] : pending) {
    Reply(id, ErrorResponse(id, kServerUnavailable,
                            "hitlgate mcp: " + closed_why_ + " before answering"));
  }
  if (sink_ != nullptr) sink_->SessionEnded(closed_why_);
}

}  // namespace hitlgate::mcp
