// Error: the one error type every fallible call below main() returns, inside
// std::expected. Modeled on absl::Status: a canonical code chosen by what the
// caller should do next (retry, fix the input, give up), plus a message for a
// person. Value type; cheap to copy; thread-compatible.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace hitlgate {

enum class ErrorCode {
  kInvalidArgument,     // the caller's input is wrong; retrying will not help
  kNotFound,            // the named thing does not exist
  kAlreadyExists,       // creating something that is already there
  kAborted,             // a race was lost (e.g. lease expired); retry from the top
  kFailedPrecondition,  // the system is not in the state the call needs
  kPermissionDenied,    // authenticated, but not allowed
  kUnauthenticated,     // no valid credentials
  kResourceExhausted,   // a limit was hit (size, rate, memory)
  kUnavailable,         // transient; retry with backoff
  kDeadlineExceeded,    // ran out of time
  kDataLoss,            // stored data is corrupt (e.g. audit chain broken)
  kInternal,            // a bug or an invariant broke
};

// Stable snake_case name, used in JSON error bodies and logs.
std::string_view ErrorCodeName(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_argument: field 'x': expected a number"
  std::string ToString() const;

 private:
  ErrorCode code_;
  std::string message_;
};

template <typename T>
using Result = std::expected<T, Error>;

// Shorthands so call sites read like prose: return InvalidArgument("...").
inline std::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error(code, std::move(message)));
}
inline std::unexpected<Error> InvalidArgument(std::string m) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(m));
}
inline std::unexpected<Error> NotFound(std::string m) {
  return MakeError(ErrorCode::kNotFound, std::move(m));
}
inline std::unexpected<Error> FailedPrecondition(std::string m) {
  return MakeError(ErrorCode::kFailedPrecondition, std::move(m));
}
inline std::unexpected<Error> Aborted(std::string m) {
  return MakeError(ErrorCode::kAborted, std::move(m));
}
inline std::unexpected<Error> Internal(std::string m) {
  return MakeError(ErrorCode::kInternal, std::move(m));
}
inline std::unexpected<Error> Unavailable(std::string m) {
  return MakeError(ErrorCode::kUnavailable, std::move(m));
}
inline std::unexpected<Error> ResourceExhausted(std::string m) {
  return MakeError(ErrorCode::kResourceExhausted, std::move(m));
}
inline std::unexpected<Error> DataLoss(std::string m) {
  return MakeError(ErrorCode::kDataLoss, std::move(m));
}

}  // namespace hitlgate

// Propagate-or-return (Abseil's RETURN_IF_ERROR): evaluates `expr`, a
// Result, once; when it holds an error, returns that error from the calling
// function. A macro because only a macro can return from its caller.
//   HITLGATE_RETURN_IF_ERROR(store_.Save(x));
#define HITLGATE_RETURN_IF_ERROR(expr)                                        \
  do {                                                                        \
    auto&& hitlgate_result_ = (expr);                                         \
    if (!hitlgate_result_) return ::std::unexpected(hitlgate_result_.error()); \
  } while (false)
