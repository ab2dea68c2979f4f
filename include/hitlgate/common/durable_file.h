// Writing a small file so that it is either wholly there or not at all, and
// private from its first byte: secrets (the key pepper, signing keys) and
// signed checkpoints. POSIX; thread-compatible (one writer per path).
#pragma once

#include <string>
#include <string_view>

#include "hitlgate/common/error.h"

namespace hitlgate {

// Writes `content` to `path` + ".tmp" created with `mode` (no window in which
// another user could open it), flushes it to disk, renames it over `path`
// and flushes the folder, so a crash leaves the old file or the new one.
// Unavailable, naming the path, when any step fails.
[[nodiscard]] Result<void> WriteFileDurably(const std::string& path, std::string_view content,
                                            unsigned mode = 0600);

}  // namespace hitlgate
