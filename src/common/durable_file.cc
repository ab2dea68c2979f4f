#include "hitlgate/common/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace hitlgate {
namespace {

std::unexpected<Error> Failed(std::string_view what, const std::string& path) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on a chain of +.
  std::string message = "cannot ";
  message.append(what).append(" ").append(path).append(": ").append(std::strerror(errno));
  return Unavailable(std::move(message));
}

// Closes the descriptor however the write ends.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<void> WriteFileDurably(const std::string& path, std::string_view content, unsigned mode) {
  const std::string tmp = path + ".tmp";
  {
    // The mode applies from creation; O_TRUNC covers a tmp left by a crash.
    Fd out{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode))};
    if (out.fd < 0) return Failed("create", tmp);
    // A tmp left by a crash keeps its old mode: set it again.
    if (::fchmod(out.fd, static_cast<mode_t>(mode)) != 0) return Failed("set the mode of", tmp);
    size_t written = 0;
    while (written < content.size()) {
      const ssize_t n = ::write(out.fd, content.data() + written, content.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Failed("write", tmp);
      written += static_cast<size_t>(n);
    }
    if (::fsync(out.fd) != 0) return Failed("flush", tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Failed("replace", path);
  // The rename itself is durable only once the folder is flushed.
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::filesystem::path dir = parent.empty() ? std::filesystem::path(".") : parent;
  Fd folder{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (folder.fd < 0 || ::fsync(folder.fd) != 0) return Failed("flush the folder of", path);
  return {};
}

}  // namespace hitlgate
