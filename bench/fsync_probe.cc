// fsync_probe: how long the disk takes to make a small write durable, for
// bench/event_path_bench.sh. Two files in DIR, flushed in turn:
//   overwrite: 4 KiB pwrite() into a preallocated 4 MiB file (cycling through
//              it) + fdatasync(). This is SQLite's WAL in steady state: after
//              a checkpoint the WAL is rewritten from its start, so a commit
//              is a write in place and one fdatasync (synchronous=FULL).
//   append:    4 KiB write() at the end of a growing file + fdatasync(); the
//              file's size changes too, which on most file systems costs a
//              journal commit besides the data (a WAL before it first wraps).
// Alternating the two keeps both under the same background disk traffic.
// Runs for at most --seconds or --count flushes of each kind. Prints:
//   overwrite_p50_us X overwrite_mean_us X overwrite_p99_us X
//   append_p50_us X append_mean_us X append_p99_us X flushes N
// The files are removed afterwards.
//
//   fsync_probe DIR [--seconds 2] [--count 2000]
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kPage = 4096;
constexpr size_t kPages = 1024;  // 4 MiB, about SQLite's default WAL before a checkpoint

struct Stats {
  double p50 = 0, mean = 0, p99 = 0;
};

Stats Summarize(std::vector<double> us) {
  Stats s;
  if (us.empty()) return s;
  for (double v : us) s.mean += v;
  s.mean /= static_cast<double>(us.size());
  std::sort(us.begin(), us.end());
  const auto at = [&](double p) { return us[static_cast<size_t>(p * static_cast<double>(us.size() - 1))]; };
  s.p50 = at(0.5);
  s.p99 = at(0.99);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fsync_probe DIR [--seconds 2] [--count 2000]\n");
    return 2;
  }
  const std::string dir = argv[1];
  double seconds = 2;
  long count = 2000;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seconds") == 0) {
      seconds = std::atof(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--count") == 0) {
      count = std::atol(argv[i + 1]);
    }
  }
  if (seconds <= 0 || seconds > 60 || count < 1) {
    std::fprintf(stderr, "fsync_probe: --seconds in (0, 60], --count >= 1\n");
    return 2;
  }
  const std::string over_path = dir + "/fsync_probe.overwrite.tmp";
  const std::string append_path = dir + "/fsync_probe.append.tmp";
  int over = ::open(over_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
  int append = ::open(append_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
  const auto fail = [&](const char* what) {
    std::perror(what);
    if (over >= 0) ::close(over);
    if (append >= 0) ::close(append);
    ::unlink(over_path.c_str());
    ::unlink(append_path.c_str());
    return 1;
  };
  if (over < 0 || append < 0) return fail("fsync_probe: open");
  std::vector<char> page(kPage, 'x');
  // Preallocate with real blocks (written, not a hole), and make that durable.
  for (size_t i = 0; i < kPages; ++i) {
    if (::write(over, page.data(), kPage) != static_cast<ssize_t>(kPage)) return fail("fsync_probe: write");
  }
  if (::fsync(over) != 0) return fail("fsync_probe: fsync");

  std::vector<double> over_us, append_us;
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (size_t i = 0; static_cast<long>(over_us.size()) < count && Clock::now() < deadline; ++i) {
    auto t0 = Clock::now();
    if (::pwrite(over, page.data(), kPage, static_cast<off_t>((i % kPages) * kPage)) !=
            static_cast<ssize_t>(kPage) ||
        ::fdatasync(over) != 0) {
      return fail("fsync_probe: overwrite");
    }
    over_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    t0 = Clock::now();
    if (::write(append, page.data(), kPage) != static_cast<ssize_t>(kPage) || ::fdatasync(append) != 0) {
      return fail("fsync_probe: append");
    }
    append_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  ::close(over);
  ::close(append);
  ::unlink(over_path.c_str());
  ::unlink(append_path.c_str());
  const Stats o = Summarize(over_us);
  const Stats a = Summarize(append_us);
  std::printf(
      "overwrite_p50_us %.1f overwrite_mean_us %.1f overwrite_p99_us %.1f append_p50_us %.1f "
      "append_mean_us %.1f append_p99_us %.1f flushes %zu\n",
      o.p50, o.mean, o.p99, a.p50, a.mean, a.p99, over_us.size());
  return 0;
}
