#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hitlgate/codec/json_reader.h"
#include "hitlgate/codec/json_writer.h"
#include "testing/result_matchers.h"

namespace hitlgate::codec {
namespace {

using ::hitlgate::testing::IsErrorWith;
using ::testing::HasSubstr;

TEST(JsonWriterTest, WritesNestedDocumentsWithCommas) {
  JsonWriter w;
  w.BeginObject().Field("a", "x").Key("list").BeginArray().Int(1).Number(2.50).Bool(true).EndArray();
  w.Key("obj").BeginObject().Field("n", 3).EndObject().Key("raw").Raw(R"({"k":[]})");
  w.Key("skills").Strings({"billing", "de"}).Key("none").Null().EndObject();
  EXPECT_EQ(w.str(),
            R"({"a":"x","list":[1,2.5,true],"obj":{"n":3},"raw":{"k":[]},"skills":["billing","de"],"none":null})");
  EXPECT_NO_THROW(boost::json::parse(w.str()));
}

TEST(JsonObjectReaderTest, ReadsTypedFieldsAndRejectsUnknownOnes) {
  auto r = JsonObjectReader::Parse(R"({"kind":"edited","amount":12.5,"n":3,"tags":["a"],"params":{"b":1,"a":2},"extra":1})");
  ASSERT_THAT(r, testing::IsOk());
  EXPECT_EQ(*r->String("kind"), "edited");
  EXPECT_DOUBLE_EQ(**r->OptNumber("amount"), 12.5);
  EXPECT_EQ(**r->OptInt("n"), 3);
  EXPECT_EQ(**r->OptStrings("tags"), std::vector<std::string>{"a"});
  EXPECT_EQ(**r->OptObject("params"), R"({"a":2,"b":1})");
  EXPECT_FALSE(r->OptString("missing")->has_value());
  EXPECT_THAT(r->Finish(), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'extra': unknown field")));
}

TEST(JsonObjectReaderTest, WrongTypesAndMissingFieldsNameTheField) {
  auto r = JsonObjectReader::Parse(R"({"kind":7,"n":1.5,"tags":[1]})");
  ASSERT_TRUE(r.has_value());
  EXPECT_THAT(r->String("kind"), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("field 'kind': expected a string")));
  EXPECT_THAT(r->OptInt("n"), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("field 'n': expected an integer")));
  EXPECT_THAT(r->OptStrings("tags"), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("field 'tags'")));
  EXPECT_THAT(r->String("absent"), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("'absent': required")));
  EXPECT_THAT(JsonObjectReader::Parse("[]"), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("JSON object")));
  EXPECT_THAT(JsonObjectReader::Parse("{"), IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("invalid JSON")));
}

}  // namespace
}  // namespace hitlgate::codec

namespace hitlgate::codec {
namespace {

TEST(StrictJsonTest, ADuplicateKeyIsRefusedNamingIt) {
  auto top = JsonObjectReader::Parse(R"({"text":"a","text":"b"})");
  ASSERT_FALSE(top.has_value());
  EXPECT_EQ(top.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(top.error().message(), ::testing::HasSubstr("duplicate key 'text'"));
  auto nested = JsonObjectReader::Parse(R"({"action":{"params":{"id":1,"amount":2,"amount":3}}})");
  ASSERT_FALSE(nested.has_value());
  EXPECT_THAT(nested.error().message(), ::testing::HasSubstr("duplicate key 'action.params.amount'"));
  // Keys split across escapes are compared whole.
  auto escaped = JsonObjectReader::Parse(R"({"te\u0078t":"a","text":"b"})");
  ASSERT_FALSE(escaped.has_value());
  EXPECT_THAT(escaped.error().message(), ::testing::HasSubstr("duplicate key 'text'"));
}

TEST(StrictJsonTest, TheSameKeyInSiblingObjectsIsFine) {
  auto ok = JsonObjectReader::Parse(R"({"a":{"id":1},"b":{"id":2},"c":[{"id":3},{"id":4}]})");
  EXPECT_TRUE(ok.has_value()) << ok.error().ToString();
}

}  // namespace
}  // namespace hitlgate::codec
