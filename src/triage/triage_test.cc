#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "hitlgate/triage/classifier.h"
#include "hitlgate/triage/evaluation.h"
#include "triage/toy_intents_test_data.h"

namespace hitlgate::triage {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("triage_test_" + std::to_string(::getpid()) + "_" + name)).string();
}

TEST(EvaluationTest, MetricsAsComputedByHand) {
  std::vector<EvaluatedCase> cases = {
      {"a", {"a", 0.9, 0.9}}, {"a", {"b", 0.8, 0.8}}, {"b", {"b", 0.7, 0.7}}, {"b", {"a", 0.6, 0.6}}};
  EvaluationReport r = Evaluate(cases);
  EXPECT_EQ(r.n, 4);
  EXPECT_DOUBLE_EQ(r.accuracy, 0.5);
  EXPECT_DOUBLE_EQ(r.macro_f1, 0.5);  // a: P=R=1/2, b: P=R=1/2
  ASSERT_EQ(r.curve.size(), 4u);
  EXPECT_DOUBLE_EQ(r.curve[0].coverage, 0.25);
  EXPECT_DOUBLE_EQ(r.curve[0].accuracy, 1.0);
  EXPECT_NEAR(r.curve[2].accuracy, 2.0 / 3, 1e-12);
  CoveragePoint p = CoverageAtAccuracy(r, 0.96);
  EXPECT_DOUBLE_EQ(p.coverage, 0.25);
  EXPECT_DOUBLE_EQ(p.threshold, 0.9);
  // ECE: bins .9 (1 right, gap .1), .8 (wrong, .8), .7 (right, .3), .6 (wrong, .6).
  EXPECT_NEAR(r.ece_raw, (0.1 + 0.8 + 0.3 + 0.6) / 4, 1e-12);
}

TEST(EvaluationTest, NoMessageMeetsAnImpossibleTarget) {
  EvaluationReport r = Evaluate({{"a", {"b", 0.9, 0.9}}});
  EXPECT_DOUBLE_EQ(CoverageAtAccuracy(r, 0.96).coverage, 0.0);
}

TEST(NormalizeTextTest, LowerCasesAndSplitsPunctuation) {
  EXPECT_EQ(NormalizeText("Where's my CARD?"), "where's my card ? ");
}

std::vector<LabeledText> Toy() { return ToyIntents(12); }

TEST(FastTextClassifierTest, LearnsToyIntentsAndRoundTripsThroughAFile) {
  TrainOptions options;
  options.epochs = 30;
  auto model = FastTextClassifier::Train(Toy(), options);
  ASSERT_TRUE(model.has_value()) << model.error().ToString();
  auto top = (*model)->Predict("has my card arrived yet?");
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].label, "card_arrival");
  EXPECT_GT(top[0].probability, 0.5);
  EXPECT_EQ((*model)->Predict("refund please", 3).size(), 3u);
  EXPECT_EQ((*model)->Labels().size(), 3u);
  EXPECT_FALSE((*model)->calibration().empty());  // 180 examples: a holdout was used

  const std::string path = TempPath("model.bin");
  ASSERT_TRUE((*model)->Save(path).has_value());
  auto loaded = FastTextClassifier::Load(path);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  auto again = (*loaded)->Predict("has my card arrived yet?");
  EXPECT_EQ(again[0].label, top[0].label);
  EXPECT_DOUBLE_EQ(again[0].probability, top[0].probability);
  EXPECT_DOUBLE_EQ(again[0].calibrated, top[0].calibrated);
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".calibration.json");
}

TEST(FastTextClassifierTest, OneLabelOrNoDataIsRefused) {
  EXPECT_EQ(FastTextClassifier::Train({}, {}).error().code(), ErrorCode::kInvalidArgument);
  auto one = FastTextClassifier::Train({{"a", "x"}, {"b", "x"}}, {});
  ASSERT_FALSE(one.has_value());
  EXPECT_NE(one.error().message().find("at least 2 labels"), std::string::npos);
  EXPECT_EQ(FastTextClassifier::Load(TempPath("missing.bin")).error().code(), ErrorCode::kNotFound);
}

TEST(DatasetTest, CsvWithQuotesAndBadLines) {
  const std::string path = TempPath("data.csv");
  {
    std::ofstream out(path);
    out << "text,category\n\"hello, \"\"world\"\"\",greeting\nplain text,other\n\"\ntwo\nlines\",multi\n";
  }
  auto rows = ReadCsv(path);
  ASSERT_TRUE(rows.has_value()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[2].text, " two lines");
  EXPECT_EQ((*rows)[2].label, "multi");
  EXPECT_EQ((*rows)[0].text, "hello, \"world\"");
  EXPECT_EQ((*rows)[0].label, "greeting");
  {
    std::ofstream out(path);
    out << "text,category\n\"open quote,x\n";
  }
  auto bad = ReadCsv(path);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find(":2:"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(DatasetTest, BadCsvIsRefusedWithTheFileAndLineNamed) {
  const std::string path = TempPath("bad.csv");
  const auto error_for = [&](const std::string& content) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    auto rows = ReadCsv(path);
    return rows ? std::string("(read)") : rows.error().message();
  };
  EXPECT_EQ(error_for("text,category\nwhere is my card,card_arrival\nno label column\n"),
            path + ":3: expected text,label");
  EXPECT_EQ(error_for("text,category\nwhere is my card,\n"), path + ":2: empty label");
  EXPECT_EQ(error_for("text,category\n"), path + ": no rows after the header");
  EXPECT_EQ(error_for(""), path + ": no rows after the header");
  std::filesystem::remove(path);
  auto missing = ReadCsv(path);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message().find(path), std::string::npos);
}

TEST(DatasetTest, ClincSplitsAndOutOfScope) {
  const std::string path = std::string(HITLGATE_SHARED_DATA) + "/clinc150/data_full_train_val.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "clinc150 not found at " << path;
  auto val = ReadClinc(path, "val", true);
  ASSERT_TRUE(val.has_value()) << val.error().ToString();
  EXPECT_EQ(val->size(), 3100u);
  EXPECT_EQ(val->back().label, "oos");
  EXPECT_FALSE(ReadClinc(path, "test", false).has_value());
}

}  // namespace
}  // namespace hitlgate::triage
