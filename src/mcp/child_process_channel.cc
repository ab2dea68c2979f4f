#include "mcp/child_process_channel.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace hitlgate::mcp {

namespace asio = boost::asio;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kPoll = std::chrono::milliseconds(20);
constexpr auto kTermAfter = std::chrono::seconds(2);
constexpr auto kKillAfter = std::chrono::seconds(4);

std::string Describe(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  return "stopped";
}

// The proxy's environment with the configuration's variables set over it.
std::vector<std::string> ChildEnvironment(
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    bool replaced = false;
    for (const auto& [name, value] : extra) {
      replaced = replaced || (entry.starts_with(name) && entry.size() > name.size() &&
                              entry[name.size()] == '=');
    }
    if (!replaced) out.emplace_back(entry);
  }
  for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

ChildProcessChannel::ChildProcessChannel(asio::any_io_executor executor, const ServerConfig& server,
                                         size_t max_message_bytes)
    : executor_(executor),
      name_(server.name),
      command_(server.command),
      env_(server.env),
      cwd_(server.cwd),
      framer_(max_message_bytes),
      to_child_(executor),
      from_child_(executor) {}

ChildProcessChannel::~ChildProcessChannel() = default;

void ChildProcessChannel::Start(ServerListener* listener) {
  listener_ = listener;
  int in[2];
  int out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return Closed(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return Closed(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  if (!cwd_.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd_.c_str());
  std::vector<std::string> args = command_;
  std::vector<char*> argv = Pointers(args);
  std::vector<std::string> env = ChildEnvironment(env_);
  std::vector<char*> envp = Pointers(env);
  const int rc = ::posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  if (rc != 0) {
    ::close(in[1]);
    ::close(out[0]);
    pid_ = -1;
    return Closed("could not start '" + command_.front() + "': " + std::strerror(rc));
  }
  to_child_.assign(in[1]);
  from_child_.assign(out[0]);
  asio::co_spawn(executor_, ReadLoop(shared_from_this()), asio::detached);
}

asio::awaitable<void> ChildProcessChannel::ReadLoop(std::shared_ptr<ChildProcessChannel> /*self*/) {
  std::vector<char> buffer(64 * 1024);
  for (;;) {
    auto [ec, n] = co_await from_child_.async_read_some(asio::buffer(buffer), kTuple);
    if (n > 0) {
      framer_.Feed(std::string_view(buffer.data(), n), [this](Frame frame) {
        if (listener_ == nullptr) return;
        if (frame.oversize) {
          listener_->OnServerMessageTooLarge(frame.bytes, std::move(frame.id));
        } else {
          listener_->OnServerMessage(std::move(frame.text));
        }
      });
    }
    if (ec) break;
  }
  co_await Reap(/*terminate=*/true);
  Closed("the MCP server '" + name_ + "' " + Describe(exit_status_));
}

asio::awaitable<void> ChildProcessChannel::Reap(bool terminate) {
  if (pid_ <= 0 || reaping_) co_return;
  reaping_ = true;
  asio::steady_timer timer(executor_);
  const auto start = std::chrono::steady_clock::now();
  bool termed = false;
  bool killed = false;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      exit_status_ = r == pid_ ? status : 0;
      break;
    }
    // Its stdout is closed, so it cannot answer any more: do not let it linger.
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (terminate && !termed && elapsed >= kTermAfter) {
      ::kill(pid_, SIGTERM);
      termed = true;
    }
    if (terminate && !killed && elapsed >= kKillAfter) {
      ::kill(pid_, SIGKILL);
      killed = true;
    }
    timer.expires_after(kPoll);
    co_await timer.async_wait(kTuple);
  }
  pid_ = -1;
}

void ChildProcessChannel::Closed(std::string why) {
  if (listener_ == nullptr) return;
  ServerListener* listener = listener_;
  listener_ = nullptr;
  listener->OnServerClosed(std::move(why));
}

void ChildProcessChannel::Send(std::string text) {
  if (listener_ == nullptr || !to_child_.is_open()) return;
  text += '\n';
  outbox_.push_back(std::move(text));
  if (!writing_) {
    writing_ = true;
    asio::co_spawn(executor_, WriteLoop(shared_from_this()), asio::detached);
  }
}

asio::awaitable<void> ChildProcessChannel::WriteLoop(
    std::shared_ptr<ChildProcessChannel> /*self*/) {
  while (!outbox_.empty() && to_child_.is_open()) {
    auto [ec, n] = co_await asio::async_write(to_child_, asio::buffer(outbox_.front()), kTuple);
    if (ec) {
      // The child closed its stdin (it is exiting): the read loop reports it.
      outbox_.clear();
      break;
    }
    outbox_.pop_front();
  }
  writing_ = false;
  if (stopping_ && to_child_.is_open()) {
    boost::system::error_code ignored;
    to_child_.close(ignored);
  }
}

void ChildProcessChannel::Stop() {
  listener_ = nullptr;
  stopping_ = true;
  if (!writing_ && to_child_.is_open()) {
    boost::system::error_code ignored;
    to_child_.close(ignored);
  }
  if (pid_ > 0) asio::co_spawn(executor_, Watchdog(shared_from_this()), asio::detached);
}

asio::awaitable<void> ChildProcessChannel::Watchdog(std::shared_ptr<ChildProcessChannel> /*self*/) {
  // The read loop reaps once stdout ends; this makes sure it ends.
  asio::steady_timer timer(executor_);
  const auto start = std::chrono::steady_clock::now();
  bool termed = false;
  while (pid_ > 0) {
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (!termed && elapsed >= kTermAfter) {
      ::kill(pid_, SIGTERM);
      termed = true;
    }
    if (elapsed >= kKillAfter) {
      ::kill(pid_, SIGKILL);
      break;
    }
    timer.expires_after(kPoll);
    co_await timer.async_wait(kTuple);
  }
}

}  // namespace hitlgate::mcp
