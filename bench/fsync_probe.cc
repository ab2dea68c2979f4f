// fsync_probe: how long the disk takes to make a small write durable, for
// bench/event_path_bench.sh. Appends 4 KiB (one SQLite page, about what one
// group commit adds to the WAL) to a new file in DIR and calls fdatasync()
// after each append, as SQLite does for a WAL commit with synchronous=FULL,
// for at most --seconds or --count flushes, whichever comes first. Prints:
//   flush_p50_us X flush_mean_us X flush_p99_us X flushes N
// The file is removed afterwards.
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

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fsync_probe DIR [--seconds 2] [--count 2000]\n");
    return 2;
  }
  const std::string path = std::string(argv[1]) + "/fsync_probe.tmp";
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
  int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
  if (fd < 0) {
    std::perror("fsync_probe: open");
    return 1;
  }
  std::vector<char> page(4096, 'x');
  std::vector<double> us;
  using Clock = std::chrono::steady_clock;
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (static_cast<long>(us.size()) < count && Clock::now() < deadline) {
    const auto t0 = Clock::now();
    if (::write(fd, page.data(), page.size()) != static_cast<ssize_t>(page.size()) ||
        ::fdatasync(fd) != 0) {
      std::perror("fsync_probe: write/fdatasync");
      ::close(fd);
      ::unlink(path.c_str());
      return 1;
    }
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  ::close(fd);
  ::unlink(path.c_str());
  double mean = 0;
  for (double v : us) mean += v;
  mean /= static_cast<double>(us.size());
  std::sort(us.begin(), us.end());
  const auto at = [&](double p) { return us[static_cast<size_t>(p * static_cast<double>(us.size() - 1))]; };
  std::printf("flush_p50_us %.1f flush_mean_us %.1f flush_p99_us %.1f flushes %zu\n", at(0.5), mean,
              at(0.99), us.size());
  return 0;
}
