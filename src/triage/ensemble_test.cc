// The searched ensemble: determinism, the bundle on disk, bad files, and
// the char n-gram linear model on its own.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "hitlgate/triage/ensemble.h"
#include "triage/linear_model.h"
#include "triage/toy_intents_test_data.h"

namespace hitlgate::triage {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string TempPath(const std::string& name) {
  return (fs::temp_directory_path() / ("ensemble_test_" + std::to_string(::getpid()) + "_" + name)).string();
}

// Removes the path (file or directory) when the test ends.
struct Scratch {
  explicit Scratch(const std::string& name) : path(TempPath(name)) { fs::remove_all(path); }
  ~Scratch() { fs::remove_all(path); }
  std::string path;
};

// A label with a space: fastText's labels have none, the ensemble must agree.
std::vector<LabeledText> Toy() { return ToyIntents(8, "human agent"); }

// Small and quick: two fastText candidates, two C values, three mixes.
SearchOptions SmallSearch(int seed) {
  SearchOptions o;
  o.base.dim = 10;
  o.base.buckets = 20000;
  o.base.seed = seed;
  TrainOptions a = o.base, b = o.base;
  a.epochs = 5;
  b.epochs = 15;
  b.min_subword = 0;
  o.fasttext_grid = {a, b};
  o.linear_c = {1, 10};
  o.linear_weights = {0, 0.5, 1};
  return o;
}

const char* kProbes[] = {"has my card arrived yet?", "i would like my money back", "can i speak to a human",
                         "something else entirely"};

TEST(EnsembleSearchTest, SameSeedSameSearchAndSameModel) {
  SearchReport first_report, second_report;
  std::vector<SearchStep> steps;
  SearchOptions options = SmallSearch(7);
  options.on_step = [&](const SearchStep& s) { steps.push_back(s); };
  auto first = EnsembleClassifier::TrainWithSearch(Toy(), options, &first_report);
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  auto second = EnsembleClassifier::TrainWithSearch(Toy(), SmallSearch(7), &second_report);
  ASSERT_TRUE(second.has_value()) << second.error().ToString();

  ASSERT_EQ(first_report.trials.size(), 4u);  // 2 fastText + 2 linear
  ASSERT_EQ(first_report.trials.size(), second_report.trials.size());
  for (size_t i = 0; i < first_report.trials.size(); ++i) {
    EXPECT_EQ(first_report.trials[i].what, second_report.trials[i].what);
    EXPECT_DOUBLE_EQ(first_report.trials[i].accuracy, second_report.trials[i].accuracy);
  }
  EXPECT_EQ(first_report.chosen.what, second_report.chosen.what);
  EXPECT_EQ(first_report.validation_messages, 24);  // 20% of 40 per label
  for (const char* probe : kProbes) {
    auto a = (*first)->Predict(probe, 3);
    auto b = (*second)->Predict(probe, 3);
    ASSERT_EQ(a.size(), 3u);
    for (size_t k = 0; k < a.size(); ++k) {
      EXPECT_EQ(a[k].label, b[k].label) << probe;
      EXPECT_DOUBLE_EQ(a[k].probability, b[k].probability) << probe;
    }
    EXPECT_DOUBLE_EQ(a[0].calibrated, b[0].calibrated);
  }
  EXPECT_EQ((*first)->Predict("has my card arrived yet?")[0].label, "card_arrival");
  EXPECT_EQ((*first)->Predict("can i speak to a human")[0].label, "human_agent");

  // Progress: every step announced once, in order, then a last "finished".
  ASSERT_GE(steps.size(), 2u);
  for (size_t i = 0; i + 1 < steps.size(); ++i) {
    EXPECT_EQ(steps[i].index, static_cast<int>(i) + 1);
    EXPECT_FALSE(steps[i].finished);
  }
  EXPECT_TRUE(steps.back().finished);
  EXPECT_EQ(steps.back().index, steps.back().total);
  EXPECT_LE(steps[steps.size() - 2].index, steps.back().total);
}

TEST(EnsembleSearchTest, MixedProbabilitiesSumToOne) {
  SearchOptions options = SmallSearch(3);
  options.linear_weights = {0.5};  // force a real mix
  auto model = EnsembleClassifier::TrainWithSearch(Toy(), options);
  ASSERT_TRUE(model.has_value()) << model.error().ToString();
  EXPECT_DOUBLE_EQ((*model)->linear_weight(), 0.5);
  double sum = 0;
  for (const auto& p : (*model)->Predict("where is my card", -1)) sum += p.probability;
  EXPECT_NEAR(sum, 1.0, 1e-4);
}

TEST(EnsembleSearchTest, RefusesWhatItCannotSearch) {
  EXPECT_EQ(EnsembleClassifier::TrainWithSearch({}, SmallSearch(1)).error().code(), ErrorCode::kInvalidArgument);
  auto one_label = EnsembleClassifier::TrainWithSearch({{"a", "x"}, {"b", "x"}}, SmallSearch(1));
  ASSERT_FALSE(one_label.has_value());
  EXPECT_NE(one_label.error().message().find("at least 2 labels"), std::string::npos);
  auto tiny = EnsembleClassifier::TrainWithSearch({{"a", "x"}, {"b", "y"}}, SmallSearch(1));
  ASSERT_FALSE(tiny.has_value());
  EXPECT_NE(tiny.error().message().find("--no-search"), std::string::npos);
  SearchOptions bad_weight = SmallSearch(1);
  bad_weight.linear_weights = {1.5};
  EXPECT_FALSE(EnsembleClassifier::TrainWithSearch(Toy(), bad_weight).has_value());
}

class BundleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SearchOptions options = SmallSearch(5);
    options.linear_weights = {0.5};  // both members on disk
    auto trained = EnsembleClassifier::TrainWithSearch(Toy(), options);
    ASSERT_TRUE(trained.has_value()) << trained.error().ToString();
    model_ = trained->release();
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }
  static void Corrupt(const std::string& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  static std::string LoadError(const std::string& path) {
    auto loaded = LoadTextClassifier(path);
    return loaded ? std::string("(loaded)") : loaded.error().message();
  }
  static EnsembleClassifier* model_;
};
EnsembleClassifier* BundleTest::model_ = nullptr;

TEST_F(BundleTest, RoundTripsThroughADirectory) {
  Scratch dir("bundle");
  ASSERT_TRUE(model_->Save(dir.path).has_value());
  EXPECT_TRUE(fs::exists(dir.path + "/manifest.json"));
  EXPECT_TRUE(fs::exists(dir.path + "/fasttext.bin"));
  EXPECT_TRUE(fs::exists(dir.path + "/linear.bin"));
  auto loaded = LoadTextClassifier(dir.path);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_EQ((*loaded)->Labels(), model_->Labels());
  for (const char* probe : kProbes) {
    auto a = model_->Predict(probe, -1);
    auto b = (*loaded)->Predict(probe, -1);
    ASSERT_EQ(a.size(), b.size());
    for (size_t k = 0; k < a.size(); ++k) {
      EXPECT_EQ(a[k].label, b[k].label);
      EXPECT_DOUBLE_EQ(a[k].probability, b[k].probability);
      EXPECT_DOUBLE_EQ(a[k].calibrated, b[k].calibrated);
    }
  }
  // Saving again over the same bundle replaces it.
  EXPECT_TRUE(model_->Save(dir.path).has_value());
}

TEST_F(BundleTest, ASingleFastTextFileStillLoads) {
  Scratch file("single.bin");
  TrainOptions options;
  options.epochs = 10;
  options.dim = 10;
  options.buckets = 20000;
  auto model = FastTextClassifier::Train(Toy(), options);
  ASSERT_TRUE(model.has_value()) << model.error().ToString();
  ASSERT_TRUE((*model)->Save(file.path).has_value());
  auto loaded = LoadTextClassifier(file.path);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_DOUBLE_EQ((*loaded)->Predict("where is my card")[0].calibrated,
                   (*model)->Predict("where is my card")[0].calibrated);
  fs::remove(file.path + ".calibration.json");
}

TEST_F(BundleTest, SavingOverAFileIsRefused) {
  Scratch file("a-file");
  Corrupt(file.path, "x");
  auto saved = model_->Save(file.path);
  ASSERT_FALSE(saved.has_value());
  EXPECT_NE(saved.error().message().find("is a file"), std::string::npos);
}

TEST_F(BundleTest, BadBundlesGiveClearErrors) {
  Scratch dir("bad");
  const std::string manifest = dir.path + "/manifest.json";
  ASSERT_TRUE(model_->Save(dir.path).has_value());
  std::ifstream in(manifest);
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto edited = [&](auto&& edit) {
    json::value v = json::parse(good);
    edit(v.as_object());
    return json::serialize(v);
  };

  EXPECT_NE(LoadError(TempPath("nowhere")).find("no model at"), std::string::npos);
  Corrupt(manifest, "{not json");
  EXPECT_NE(LoadError(dir.path).find("not a JSON object"), std::string::npos);
  Corrupt(manifest, edited([](json::object& o) { o["format"] = "something.else"; }));
  EXPECT_NE(LoadError(dir.path).find("format must be hitlgate.triage-bundle.v1"), std::string::npos);
  Corrupt(manifest, edited([](json::object& o) { o["members"].as_object()["linear"].as_object()["weight"] = 0.9; }));
  EXPECT_NE(LoadError(dir.path).find("add up to 1"), std::string::npos);
  Corrupt(manifest, edited([](json::object& o) { o["members"].as_object()["linear"].as_object()["file"] = "../linear.bin"; }));
  EXPECT_NE(LoadError(dir.path).find("inside the bundle"), std::string::npos);
  Corrupt(manifest, edited([](json::object& o) { o["labels"].as_array().erase(o["labels"].as_array().begin()); }));
  EXPECT_NE(LoadError(dir.path).find("other labels"), std::string::npos);
  Corrupt(manifest, good);
  ASSERT_EQ(LoadError(dir.path), "(loaded)");

  std::ifstream linear_in(dir.path + "/linear.bin", std::ios::binary);
  const std::string linear((std::istreambuf_iterator<char>(linear_in)), std::istreambuf_iterator<char>());
  Corrupt(dir.path + "/linear.bin", linear.substr(0, linear.size() / 2));
  EXPECT_NE(LoadError(dir.path).find("truncated or corrupt linear model"), std::string::npos);
  Corrupt(dir.path + "/linear.bin", "GIF89a not a model");
  EXPECT_NE(LoadError(dir.path).find("not a hitlgate linear triage model"), std::string::npos);
  Corrupt(dir.path + "/linear.bin", linear + "x");
  EXPECT_NE(LoadError(dir.path).find("trailing bytes"), std::string::npos);
  Corrupt(dir.path + "/linear.bin", linear);
  Corrupt(dir.path + "/fasttext.bin", "not fastText");
  EXPECT_NE(LoadError(dir.path).find("cannot load fastText model"), std::string::npos);
  fs::remove(manifest);
  EXPECT_NE(LoadError(dir.path).find("without manifest.json"), std::string::npos);
}

TEST(CharNgramLinearModelTest, LearnsToyIntentsAndSurvivesTypos) {
  auto model = CharNgramLinearModel::Train(Toy(), {.c = 10});
  ASSERT_TRUE(model.has_value()) << model.error().ToString();
  ASSERT_EQ((*model)->labels().size(), 3u);
  const auto best = [&](const std::string& text) {
    const auto p = (*model)->Probabilities(text);
    return (*model)->labels()[std::max_element(p.begin(), p.end()) - p.begin()];
  };
  EXPECT_EQ(best("wheer is my crad"), "card_arrival");  // character n-grams, not whole words
  EXPECT_EQ(best("refnud please"), "refund");
}

TEST(CharNgramLinearModelTest, TwoLabelsScoreBothWays) {
  std::vector<LabeledText> two;
  for (int i = 0; i < 10; ++i) {
    two.push_back({"where is my card", "card"});
    two.push_back({"i want a refund now", "refund"});
  }
  auto model = CharNgramLinearModel::Train(two, {});
  ASSERT_TRUE(model.has_value()) << model.error().ToString();
  const auto card = (*model)->Probabilities("my card");
  const auto refund = (*model)->Probabilities("a refund");
  EXPECT_GT(card[0], 0.5);    // labels sorted: card, refund
  EXPECT_GT(refund[1], 0.5);
  EXPECT_NEAR(card[0] + card[1], 1.0, 1e-9);
}

TEST(CharNgramLinearModelTest, NothingToLearnFromIsRefused) {
  EXPECT_FALSE(CharNgramLinearModel::Train({}, {}).has_value());
  auto once = CharNgramLinearModel::Train({{"xyz", "a"}, {"qwv", "b"}}, {});
  ASSERT_FALSE(once.has_value());
  EXPECT_NE(once.error().message().find("two training messages"), std::string::npos);
}

}  // namespace
}  // namespace hitlgate::triage
