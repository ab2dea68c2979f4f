// ServerProcess: runs the real `hitlgate serve` binary for integration tests
// (fork + exec), learns its port from its first lines of output, and can kill
// it with SIGKILL to test crash safety. Test-only; not thread-safe.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace hitlgate::testing {

class ServerProcess {
 public:
  // Starts `binary serve --data data_dir --port 0 args...` with
  // HITLGATE_ADMIN_KEY=admin_key; waits (bounded) for "listening on".
  bool Start(const std::string& binary, const std::string& data_dir, const std::string& admin_key,
             const std::vector<std::string>& args = {}) {
    int out[2];
    if (pipe(out) != 0) return false;
    pid_ = fork();
    if (pid_ < 0) return false;
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      setenv("HITLGATE_ADMIN_KEY", admin_key.c_str(), 1);
      std::vector<std::string> argv_s = {binary, "serve", "--data", data_dir, "--port", "0"};
      // These tests drive load through a few keys; rate limits have their own tests.
      for (const char* role : {"agent", "reviewer", "supervisor", "auditor", "admin"}) {
        argv_s.insert(argv_s.end(), {"--rate-limit", std::string(role) + "=0"});
      }
      argv_s.insert(argv_s.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& a : argv_s) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_ = fdopen(out[0], "r");
    char line[1024];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && std::fgets(line, sizeof line, stdout_)) {
      output_ += line;
      const char* at = std::strstr(line, "listening on http://");
      if (at == nullptr) continue;
      const char* colon = std::strchr(at + std::strlen("listening on http://"), ':');
      if (colon == nullptr) return false;
      port_ = static_cast<unsigned short>(std::atoi(colon + 1));
      return port_ != 0;
    }
    return false;
  }

  void Kill() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (stdout_ != nullptr) {
      std::fclose(stdout_);
      stdout_ = nullptr;
    }
  }

  // SIGTERM and wait: a clean shutdown.
  int Stop() {
    int status = -1;
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    if (stdout_ != nullptr) {
      std::fclose(stdout_);
      stdout_ = nullptr;
    }
    return status;
  }

  ~ServerProcess() { Kill(); }

  unsigned short port() const { return port_; }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  unsigned short port_ = 0;
  std::string output_;
};

}  // namespace hitlgate::testing
