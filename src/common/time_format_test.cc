#include "hitlgate/common/time_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/result_matchers.h"

namespace hitlgate {
namespace {

using ::hitlgate::testing::IsError;
using ::testing::HasSubstr;

TEST(TimeFormatTest, ParsesUtcAndRoundTrips) {
  auto t = ParseRfc3339("2026-11-22T10:00:03Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatRfc3339(*t), "2026-11-22T10:00:03Z");
}

TEST(TimeFormatTest, AppliesOffsetAndFraction) {
  auto t = ParseRfc3339("2026-11-22T11:00:03.250+01:00");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatRfc3339(*t), "2026-11-22T10:00:03.250Z");
}

TEST(TimeFormatTest, RejectsMissingZoneAndBadDates) {
  EXPECT_THAT(ParseRfc3339("2026-11-22T10:00:03"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseRfc3339("2026-02-30T10:00:03Z"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseRfc3339("yesterday"), IsError(ErrorCode::kInvalidArgument));
  auto r = ParseRfc3339("2026-11-22T25:00:00Z");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message(), HasSubstr("RFC 3339"));
}

}  // namespace
}  // namespace hitlgate
