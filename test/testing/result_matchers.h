// gMock matchers for Result<T> (std::expected<T, Error>), in the manner of
// Abseil's status_matchers.h:  EXPECT_THAT(r, IsOk());
//                              EXPECT_THAT(r, IsError(ErrorCode::kNotFound));
//                              EXPECT_THAT(r, IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("x")));
#pragma once

#include <gmock/gmock.h>

#include "hitlgate/common/error.h"

namespace hitlgate::testing {

MATCHER(IsOk, "is ok") {
  if (arg.has_value()) return true;
  *result_listener << "error: " << arg.error().ToString();
  return false;
}

MATCHER_P(IsError, code, "is an error with code " + std::string(ErrorCodeName(code))) {
  if (arg.has_value()) {
    *result_listener << "is ok";
    return false;
  }
  *result_listener << "error: " << arg.error().ToString();
  return arg.error().code() == code;
}

MATCHER_P2(IsErrorWith, code, message_matcher,
           "is an error with code " + std::string(ErrorCodeName(code))) {
  if (arg.has_value()) {
    *result_listener << "is ok";
    return false;
  }
  *result_listener << "error: " << arg.error().ToString();
  return arg.error().code() == code &&
         ::testing::ExplainMatchResult(message_matcher, arg.error().message(), result_listener);
}

}  // namespace hitlgate::testing
