#include "hitlgate/audit/json_lines.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "hitlgate/audit/payload.h"
#include "testing/result_matchers.h"

namespace hitlgate::audit {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsErrorWith;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;

AuditRecord Sample() {
  std::string payload = PayloadBuilder()
                            .Str("text", "Grüße \"quoted\"\n\ttab \x01 ctl")
                            .Raw("decision", R"({"outcome":"hold","n":1.5})")
                            .Build();
  return Seal({"verdict", "k-rev1", "t-0123456789abcdef", payload}, 42,
              TimePoint(Duration(1'790'000'000'123'456)), std::string(64, 'a'));
}

TEST(JsonLinesTest, RoundTripIsExact) {
  AuditRecord r = Sample();
  std::string line = EncodeJsonLine(r);
  EXPECT_EQ(line.find('\n'), std::string::npos) << "one record per line";
  auto back = DecodeJsonLine(line);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, r);
  EXPECT_EQ(ComputeHash(*back), r.hash);
  EXPECT_THAT(DecodeJsonLine(line + "\r\n"), IsOk());
}

TEST(JsonLinesTest, EncodesMicrosecondTimes) {
  std::string line = EncodeJsonLine(Sample());
  EXPECT_THAT(line, HasSubstr(R"("at":"2026-09-21T)"));
  EXPECT_THAT(line, HasSubstr(R"(.123456Z")"));
  EXPECT_THAT(line, ::testing::StartsWith(R"({"seq":42,)"));
}

struct BadLine {
  const char* name;
  std::string line;
  const char* message;
};

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  auto pos = s.find(from);
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

std::vector<BadLine> BadLines() {
  const std::string good = EncodeJsonLine(Sample());
  const std::string hash(64, 'a');
  return {
      {"empty", "", "not valid JSON"},
      {"not_json", "hello", "not valid JSON"},
      {"array", "[1,2]", "expected a JSON object"},
      {"truncated", good.substr(0, good.size() / 2), "not valid JSON"},
      {"trailing_garbage", good + "x", "not valid JSON"},
      {"unknown_field", Replace(good, "{\"seq\"", "{\"extra\":1,\"seq\""), "'extra': unknown field"},
      {"missing_hash", Replace(good, ",\"hash\":", ",\"hash_\":"), "'hash_': unknown field"},
      {"missing_seq", Replace(good, "\"seq\":42,", ""), "'seq': missing"},
      {"seq_string", Replace(good, "\"seq\":42", "\"seq\":\"42\""), "'seq': expected an integer"},
      {"seq_float", Replace(good, "\"seq\":42", "\"seq\":42.0"), "'seq': expected an integer"},
      {"seq_zero", Replace(good, "\"seq\":42", "\"seq\":0"), "'seq': must be >= 1"},
      {"seq_negative", Replace(good, "\"seq\":42", "\"seq\":-3"), "'seq': must be >= 1"},
      {"seq_huge", Replace(good, "\"seq\":42", "\"seq\":18446744073709551615"), "'seq': out of range"},
      {"seq_overflow", Replace(good, "\"seq\":42", "\"seq\":1e400"), "'seq'"},
      {"bad_time", Replace(good, "2026-09-21T", "2026-13-21T"), "'at'"},
      {"time_number", Replace(good, "\"at\":\"", "\"at\":1,\"x\":\""), "unknown field"},
      {"empty_kind", Replace(good, "\"kind\":\"verdict\"", "\"kind\":\"\""), "'kind': must not be empty"},
      {"actor_null", Replace(good, "\"actor\":\"k-rev1\"", "\"actor\":null"), "'actor': expected a string"},
      {"payload_object", Replace(good, "\"payload_json\":\"", "\"payload_json\":{},\"p\":\""), "unknown field"},
      {"payload_not_object", Replace(good, "\"payload_json\":\"{", "\"payload_json\":\"[1],{"), "'payload_json'"},
      {"short_hash", Replace(good, hash, "abc"), "'prev_hash': expected 64"},
      {"upper_hash", Replace(good, hash, std::string(64, 'A')), "'prev_hash': expected 64"},
      {"deep", std::string(100, '[') + std::string(100, ']'), "not valid JSON"},
      {"bad_utf8", Replace(good, "k-rev1", "k-\xff\xfe"), "not valid JSON"},
  };
}

TEST(JsonLinesTest, MalformedLinesAreRejectedWithAClearError) {
  for (const auto& bad : BadLines()) {
    SCOPED_TRACE(bad.name);
    EXPECT_THAT(DecodeJsonLine(bad.line),
                IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr(bad.message)));
  }
}

TEST(JsonLinesTest, OverlongLineIsResourceExhausted) {
  std::string line(kMaxJsonLineBytes + 1, ' ');
  EXPECT_THAT(DecodeJsonLine(line), IsError(ErrorCode::kResourceExhausted));
}

TEST(JsonLinesTest, TamperedRecordDecodesSoTheVerifierCanNameIt) {
  std::string line = Replace(EncodeJsonLine(Sample()), "k-rev1", "k-rev2");
  auto r = DecodeJsonLine(line);
  ASSERT_THAT(r, IsOk());
  EXPECT_NE(ComputeHash(*r), r->hash);
}

// A poor man's fuzz pass until the libFuzzer target exists: random byte
// edits of a valid line must decode or fail cleanly.
TEST(JsonLinesTest, RandomMutationsNeverCrash) {
  const std::string good = EncodeJsonLine(Sample());
  std::mt19937 rng(1234);
  int ok = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s = good;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng() % s.size();
      switch (rng() % 3) {
        case 0: s[pos] = static_cast<char>(rng() % 256); break;
        case 1: s.erase(pos, 1 + rng() % 8); break;
        default: s.insert(pos, 1, "{}[]\",:\\0e-"[rng() % 11]); break;
      }
      if (s.empty()) s = "x";
    }
    auto r = DecodeJsonLine(s);
    if (r) {
      ++ok;
      EXPECT_GE(r->seq, 1);
      EXPECT_TRUE(IsHashHex(r->hash));
    }
  }
  EXPECT_GT(ok, 0);
}

}  // namespace
}  // namespace hitlgate::audit
