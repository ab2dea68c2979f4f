// EnsembleClassifier: mixing, the bundle directory, LoadTextClassifier().
// The search that trains it is in search.cc.
#include "hitlgate/triage/ensemble.h"

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "triage/calibration_file.h"
#include "triage/label_index.h"
#include "triage/linear_model.h"

namespace hitlgate::triage {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

constexpr std::string_view kBundleFormat = "hitlgate.triage-bundle.v1";
constexpr std::string_view kManifest = "manifest.json";
constexpr std::string_view kFastTextFile = "fasttext.bin";
constexpr std::string_view kLinearFile = "linear.bin";

Result<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

EnsembleClassifier::~EnsembleClassifier() = default;

std::vector<double> EnsembleClassifier::Mixed(std::string_view text) const {
  std::vector<double> p(labels_.size(), 0.0);
  if (fasttext_ && linear_weight_ < 1) {
    const std::vector<double> f = fasttext_->Probabilities(text);
    for (size_t i = 0; i < f.size(); ++i) p[fasttext_to_label_[i]] += (1 - linear_weight_) * f[i];
  }
  if (linear_ && linear_weight_ > 0) {
    const std::vector<double> l = linear_->Probabilities(text);
    for (size_t i = 0; i < l.size(); ++i) p[linear_to_label_[i]] += linear_weight_ * l[i];
  }
  return p;
}

std::vector<Prediction> EnsembleClassifier::Predict(std::string_view text, int k) const {
  const std::vector<double> p = Mixed(text);
  std::vector<int> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t n = k <= 0 ? order.size() : std::min(order.size(), static_cast<size_t>(k));
  // Ties go to the label first in sorted order: deterministic.
  std::partial_sort(order.begin(), order.begin() + static_cast<long>(n), order.end(),
                    [&](int a, int b) { return p[a] != p[b] ? p[a] > p[b] : a < b; });
  std::vector<Prediction> out;
  for (size_t i = 0; i < n; ++i) out.push_back({labels_[order[i]], p[order[i]], p[order[i]]});
  if (!out.empty() && !calibration_.empty()) {
    out.front().calibrated = std::clamp(learning::EvaluateBlocks(calibration_, out.front().probability), 0.0, 1.0);
  }
  return out;
}

Result<void> EnsembleClassifier::Save(const std::string& directory) const {
  std::error_code ec;
  if (fs::exists(directory, ec) && !fs::is_directory(directory, ec)) {
    return InvalidArgument(directory + " exists and is a file; a triage bundle is a directory (or pass --no-search "
                                       "for a single fastText file)");
  }
  fs::create_directories(directory, ec);
  if (ec) return MakeError(ErrorCode::kUnavailable, "cannot create " + directory + ": " + ec.message());
  const fs::path dir(directory);
  json::object members;
  if (fasttext_) {
    const std::string path = (dir / kFastTextFile).string();
    HITLGATE_RETURN_IF_ERROR(fasttext_->Save(path));
    fs::remove(path + ".calibration.json", ec);  // the bundle's calibration is of the mix, in the manifest
    members["fasttext"] = json::object{{"file", kFastTextFile}, {"weight", 1 - linear_weight_}};
  } else {
    fs::remove(dir / kFastTextFile, ec);
  }
  if (linear_) {
    HITLGATE_RETURN_IF_ERROR(linear_->Save((dir / kLinearFile).string()));
    members["linear"] = json::object{{"file", kLinearFile}, {"weight", linear_weight_}};
  } else {
    fs::remove(dir / kLinearFile, ec);
  }
  json::object manifest;
  manifest["format"] = kBundleFormat;
  manifest["members"] = std::move(members);
  json::array labels;
  for (const auto& l : labels_) labels.emplace_back(l);
  manifest["labels"] = std::move(labels);
  manifest["calibration"] = json::parse(EncodeCalibrationBlocks(calibration_));
  if (!manifest_extra_.empty()) manifest["search"] = json::parse(manifest_extra_);
  std::ofstream out(dir / kManifest, std::ios::binary | std::ios::trunc);
  out << json::serialize(manifest) << "\n";
  if (!out) return MakeError(ErrorCode::kUnavailable, "cannot write " + (dir / kManifest).string());
  return {};
}

Result<std::unique_ptr<EnsembleClassifier>> EnsembleClassifier::Load(const std::string& directory) {
  const fs::path dir(directory);
  const std::string manifest_path = (dir / kManifest).string();
  auto text = ReadText(dir / kManifest);
  if (!text) return InvalidArgument(directory + " is a directory without " + std::string(kManifest) + ": not a triage bundle");
  const auto bad = [&](const std::string& why) { return InvalidArgument(manifest_path + ": " + why); };
  json::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec || !v.is_object()) return bad("not a JSON object");
  const json::object& o = v.get_object();
  if (!o.contains("format") || !o.at("format").is_string() || o.at("format").get_string() != kBundleFormat) {
    return bad("format must be " + std::string(kBundleFormat));
  }
  auto model = std::unique_ptr<EnsembleClassifier>(new EnsembleClassifier());
  if (!o.contains("labels") || !o.at("labels").is_array()) return bad("'labels' must be an array");
  for (const json::value& l : o.at("labels").get_array()) {
    if (!l.is_string()) return bad("'labels' must hold strings");
    model->labels_.emplace_back(l.get_string());
  }
  if (model->labels_.size() < 2 || !std::is_sorted(model->labels_.begin(), model->labels_.end()) ||
      std::adjacent_find(model->labels_.begin(), model->labels_.end()) != model->labels_.end()) {
    return bad("'labels' must be at least 2 distinct labels in sorted order");
  }
  if (!o.contains("members") || !o.at("members").is_object()) return bad("'members' must be an object");
  const json::object& members = o.at("members").get_object();
  double weight_sum = 0;
  const auto member = [&](std::string_view name, std::string* file, double* weight) -> Result<bool> {
    auto it = members.find(name);
    if (it == members.end()) return false;
    if (!it->value().is_object()) return bad("member '" + std::string(name) + "' must be an object");
    const json::object& m = it->value().get_object();
    if (!m.contains("file") || !m.at("file").is_string() || !m.contains("weight") || !m.at("weight").is_number()) {
      return bad("member '" + std::string(name) + "' needs a 'file' and a numeric 'weight'");
    }
    *file = std::string(m.at("file").get_string());
    *weight = m.at("weight").to_number<double>();
    if (file->empty() || file->find('/') != std::string::npos || file->find("..") != std::string::npos) {
      return bad("member '" + std::string(name) + "': 'file' must name a file inside the bundle");
    }
    if (!(*weight >= 0 && *weight <= 1)) return bad("member '" + std::string(name) + "': weight must be in [0, 1]");
    weight_sum += *weight;
    return true;
  };
  std::string fasttext_file, linear_file;
  double fasttext_weight = 0, linear_weight = 0;
  auto has_fasttext = member("fasttext", &fasttext_file, &fasttext_weight);
  HITLGATE_RETURN_IF_ERROR(has_fasttext);
  auto has_linear = member("linear", &linear_file, &linear_weight);
  HITLGATE_RETURN_IF_ERROR(has_linear);
  if (!*has_fasttext && !*has_linear) return bad("no members (fasttext, linear)");
  if (std::abs(weight_sum - 1) > 1e-6) return bad("member weights must add up to 1");
  model->linear_weight_ = *has_linear ? linear_weight : 0;

  if (*has_fasttext) {
    auto ft = FastTextClassifier::Load((dir / fasttext_file).string());
    HITLGATE_RETURN_IF_ERROR(ft);
    auto labels = (*ft)->Labels();
    model->fasttext_to_label_ = IndexIn(model->labels_, labels);
    std::sort(labels.begin(), labels.end());
    if (labels != model->labels_) return bad(fasttext_file + " knows other labels than the manifest");
    model->fasttext_ = std::move(*ft);
  }
  if (*has_linear) {
    auto linear = CharNgramLinearModel::Load((dir / linear_file).string());
    HITLGATE_RETURN_IF_ERROR(linear);
    model->linear_to_label_ = IndexIn(model->labels_, (*linear)->labels());
    for (size_t i = 0; i < model->linear_to_label_.size(); ++i) {
      if (model->linear_to_label_[i] < 0) {
        return bad(linear_file + " knows label '" + (*linear)->labels()[i] + "' the manifest does not");
      }
    }
    if ((*linear)->labels().size() != model->labels_.size()) return bad(linear_file + " knows fewer labels than the manifest");
    model->linear_ = std::move(*linear);
  }
  if (!o.contains("calibration")) return bad("no 'calibration'");
  auto blocks = ParseCalibrationBlocks(json::serialize(o.at("calibration")));
  if (!blocks) return bad("calibration: " + blocks.error().message());
  model->calibration_ = std::move(*blocks);
  if (o.contains("search")) model->manifest_extra_ = json::serialize(o.at("search"));
  return model;
}

Result<std::unique_ptr<TextClassifier>> LoadTextClassifier(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    auto bundle = EnsembleClassifier::Load(path);
    HITLGATE_RETURN_IF_ERROR(bundle);
    return std::unique_ptr<TextClassifier>(std::move(*bundle));
  }
  auto single = FastTextClassifier::Load(path);
  HITLGATE_RETURN_IF_ERROR(single);
  return std::unique_ptr<TextClassifier>(std::move(*single));
}

}  // namespace hitlgate::triage
