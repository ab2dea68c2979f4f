// HITLGATE_CHECK: invariants that must hold in every build. A failed check is
// a bug in hitlgate, never bad input: input errors are returned as Error.
// HITLGATE_DCHECK: the same, compiled only into debug builds (hot paths).
#pragma once

namespace hitlgate::internal {
[[noreturn]] void CheckFailed(const char* expr, const char* file, int line, const char* why);
}  // namespace hitlgate::internal

#define HITLGATE_CHECK(cond, why)                                         \
  do {                                                                    \
    if (!(cond)) [[unlikely]] {                                           \
      ::hitlgate::internal::CheckFailed(#cond, __FILE__, __LINE__, (why)); \
    }                                                                     \
  } while (false)

#ifdef NDEBUG
#define HITLGATE_DCHECK(cond, why) \
  do {                             \
  } while (false)
#else
#define HITLGATE_DCHECK(cond, why) HITLGATE_CHECK(cond, why)
#endif
