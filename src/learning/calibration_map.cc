// Fitting, storing and applying calibration curves; reliability tables.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "hitlgate/crypto/hash.h"
#include "hitlgate/learning/calibration.h"

namespace hitlgate::learning {
namespace {

namespace json = boost::json;

constexpr std::string_view kFormat = "hitlgate.calibration.v1";
constexpr std::string_view kAny = "*";

// Stored numbers are rounded to 12 decimals: Boost.JSON's default parser
// may read a double one ulp off, and a map read back must hash to the same
// version. Rounding again after parsing absorbs that ulp.
double Quantize(double x) { return std::round(x * 1e12) / 1e12; }

// Isotonic fit, then each block shrunk toward `prior` with `m` pseudo-cases
// (a Beta prior centred on the parent curve), then made monotone again:
// blocks with few cases move more, which could otherwise break the order.
template <typename Prior>
std::vector<IsotonicBlock> FitShrunk(const std::vector<std::pair<double, double>>& points, Prior prior,
                                     double m) {
  std::vector<IsotonicBlock> blocks = FitIsotonic(points);
  for (IsotonicBlock& b : blocks) {
    b.value = (b.value * b.weight + m * std::clamp(prior(b.x_mean), 0.0, 1.0)) / (b.weight + m);
  }
  return PoolAdjacentViolators(std::move(blocks));
}

CalibrationCurve MakeCurve(std::string workflow, std::string intent,
                           const std::vector<std::pair<double, double>>& points,
                           std::vector<IsotonicBlock> blocks) {
  CalibrationCurve c;
  c.workflow = std::move(workflow);
  c.intent = std::move(intent);
  c.n = static_cast<int>(points.size());
  double agreed = 0;
  for (const auto& p : points) agreed += p.second;
  c.agree_rate = points.empty() ? 0 : agreed / points.size();
  c.agree_rate = Quantize(c.agree_rate);
  for (IsotonicBlock& b : blocks) {
    for (double* v : {&b.lo, &b.hi, &b.x_mean, &b.value, &b.weight}) *v = Quantize(*v);
  }
  c.blocks = std::move(blocks);
  return c;
}

json::array CurvesJson(const std::vector<CalibrationCurve>& curves) {
  json::array out;
  for (const CalibrationCurve& c : curves) {
    json::object o;
    o["workflow"] = c.workflow;
    o["intent"] = c.intent;
    o["n"] = c.n;
    o["agree_rate"] = c.agree_rate;
    json::array blocks;
    for (const IsotonicBlock& b : c.blocks) {
      json::object bo;
      bo["lo"] = b.lo;
      bo["hi"] = b.hi;
      bo["x"] = b.x_mean;
      bo["p"] = b.value;
      bo["n"] = b.weight;
      blocks.push_back(std::move(bo));
    }
    o["blocks"] = std::move(blocks);
    out.push_back(std::move(o));
  }
  return out;
}

std::string VersionOf(const std::vector<CalibrationCurve>& curves, const CalibrationOptions& options) {
  json::object o;
  o["min_samples"] = options.min_samples;
  o["prior_strength"] = options.prior_strength;
  o["curves"] = CurvesJson(curves);
  return "sha256:" + crypto::Sha256Hex(json::serialize(o));
}

Result<double> Number(const json::object& o, std::string_view key, std::string_view where) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_number()) {
    return InvalidArgument(std::string(where) + ": '" + std::string(key) + "' must be a number");
  }
  return Quantize(it->value().to_number<double>());
}

Result<std::string> Text(const json::object& o, std::string_view key, std::string_view where) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) {
    return InvalidArgument(std::string(where) + ": '" + std::string(key) + "' must be a string");
  }
  return std::string(it->value().get_string());
}

}  // namespace

CalibrationMap CalibrationMap::Fit(const std::vector<CalibrationSample>& samples,
                                   const CalibrationOptions& options) {
  CalibrationMap map;
  map.options_ = options;
  map.options_.prior_strength = Quantize(options.prior_strength);
  const double m = std::max(options.prior_strength, 0.0);
  std::vector<std::pair<double, double>> all;
  std::map<std::string, std::vector<std::pair<double, double>>> by_workflow;
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<double, double>>> by_intent;
  for (const CalibrationSample& s : samples) {
    const std::pair<double, double> p{std::clamp(s.confidence, 0.0, 1.0), s.agreed ? 1.0 : 0.0};
    all.push_back(p);
    by_workflow[s.workflow].push_back(p);
    if (!s.intent.empty()) by_intent[{s.workflow, s.intent}].push_back(p);
  }
  if (all.empty()) {
    map.Index();
    return map;
  }
  // The pooled curve always exists (shrunk toward the identity when small).
  map.curves_.push_back(MakeCurve(std::string(kAny), std::string(kAny), all,
                                  FitShrunk(all, [](double x) { return x; }, m)));
  std::map<std::string, size_t> workflow_curve;
  for (const auto& [workflow, points] : by_workflow) {
    if (static_cast<int>(points.size()) < options.min_samples) continue;
    const std::vector<IsotonicBlock> parent = map.curves_.front().blocks;
    workflow_curve[workflow] = map.curves_.size();
    map.curves_.push_back(MakeCurve(workflow, std::string(kAny), points,
                                    FitShrunk(points, [&](double x) { return EvaluateBlocks(parent, x); }, m)));
  }
  for (const auto& [key, points] : by_intent) {
    if (static_cast<int>(points.size()) < options.min_samples) continue;
    auto wf = workflow_curve.find(key.first);
    const std::vector<IsotonicBlock> parent =
        wf != workflow_curve.end() ? map.curves_[wf->second].blocks : map.curves_.front().blocks;
    map.curves_.push_back(MakeCurve(key.first, key.second, points,
                                    FitShrunk(points, [&](double x) { return EvaluateBlocks(parent, x); }, m)));
  }
  map.Index();
  return map;
}

void CalibrationMap::Index() {
  index_.clear();
  for (size_t i = 0; i < curves_.size(); ++i) index_[{curves_[i].workflow, curves_[i].intent}] = i;
  version_ = VersionOf(curves_, options_);
}

const CalibrationCurve* CalibrationMap::Find(std::string_view workflow, std::string_view intent) const {
  for (const auto& key : {std::pair<std::string_view, std::string_view>{workflow, intent},
                          {workflow, kAny},
                          {kAny, kAny}}) {
    if (key.second.empty()) continue;
    auto it = index_.find(std::pair<std::string, std::string>(key.first, key.second));
    if (it != index_.end()) return &curves_[it->second];
  }
  return nullptr;
}

double CalibrationMap::Calibrate(std::string_view workflow, std::string_view intent,
                                 double confidence) const {
  const CalibrationCurve* c = Find(workflow, intent);
  const double x = std::clamp(confidence, 0.0, 1.0);
  return c == nullptr ? x : std::clamp(EvaluateBlocks(c->blocks, x), 0.0, 1.0);
}

std::optional<double> CalibrationMap::Calibrate(const engine::Event& event) const {
  if (!event.confidence) return std::nullopt;
  return Calibrate(event.workflow, event.intent, *event.confidence);
}

std::string CalibrationMap::CurveFor(std::string_view workflow, std::string_view intent) const {
  const CalibrationCurve* c = Find(workflow, intent);
  return c == nullptr ? "identity" : c->workflow + "/" + c->intent;
}

std::string CalibrationMap::ToJson() const {
  json::object o;
  o["format"] = kFormat;
  o["version"] = version_;
  o["method"] = "isotonic regression (pool-adjacent-violators), Beta-prior shrinkage toward the parent curve";
  o["min_samples"] = options_.min_samples;
  o["prior_strength"] = options_.prior_strength;
  o["curves"] = CurvesJson(curves_);
  return json::serialize(o);
}

Result<CalibrationMap> CalibrationMap::FromJson(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return InvalidArgument("calibration map: not a JSON object");
  const json::object& o = v.get_object();
  auto format = Text(o, "format", "calibration map");
  HITLGATE_RETURN_IF_ERROR(format);
  if (*format != kFormat) return InvalidArgument("calibration map: unknown format '" + *format + "'");
  CalibrationMap map;
  auto min_samples = Number(o, "min_samples", "calibration map");
  auto prior = Number(o, "prior_strength", "calibration map");
  HITLGATE_RETURN_IF_ERROR(min_samples);
  HITLGATE_RETURN_IF_ERROR(prior);
  map.options_.min_samples = static_cast<int>(*min_samples);
  map.options_.prior_strength = *prior;
  auto curves = o.find("curves");
  if (curves == o.end() || !curves->value().is_array()) {
    return InvalidArgument("calibration map: 'curves' must be an array");
  }
  for (const json::value& cv : curves->value().get_array()) {
    const std::string where = "calibration map: curve " + std::to_string(map.curves_.size() + 1);
    if (!cv.is_object()) return InvalidArgument(where + ": not an object");
    const json::object& co = cv.get_object();
    CalibrationCurve c;
    auto wf = Text(co, "workflow", where);
    auto intent = Text(co, "intent", where);
    auto n = Number(co, "n", where);
    auto rate = Number(co, "agree_rate", where);
    for (const auto* r : {&wf, &intent}) {
      if (!*r) return std::unexpected(r->error());
    }
    HITLGATE_RETURN_IF_ERROR(n);
    HITLGATE_RETURN_IF_ERROR(rate);
    c.workflow = *wf;
    c.intent = *intent;
    c.n = static_cast<int>(*n);
    c.agree_rate = *rate;
    auto blocks = co.find("blocks");
    if (blocks == co.end() || !blocks->value().is_array()) return InvalidArgument(where + ": 'blocks' must be an array");
    for (const json::value& bv : blocks->value().get_array()) {
      if (!bv.is_object()) return InvalidArgument(where + ": a block is not an object");
      const json::object& bo = bv.get_object();
      IsotonicBlock b;
      for (auto [key, into] : {std::pair<std::string_view, double*>{"lo", &b.lo}, {"hi", &b.hi},
                               {"x", &b.x_mean}, {"p", &b.value}, {"n", &b.weight}}) {
        auto x = Number(bo, key, where);
        HITLGATE_RETURN_IF_ERROR(x);
        *into = *x;
      }
      const bool in_range = b.lo >= 0 && b.hi <= 1 && b.lo <= b.hi && b.value >= 0 && b.value <= 1;
      const bool ordered = c.blocks.empty() || (c.blocks.back().hi <= b.lo && c.blocks.back().value <= b.value);
      if (!in_range || !ordered) {
        return InvalidArgument(where + ": blocks must lie in [0, 1] in increasing order with non-decreasing values");
      }
      c.blocks.push_back(b);
    }
    map.curves_.push_back(std::move(c));
  }
  map.Index();
  auto version = Text(o, "version", "calibration map");
  HITLGATE_RETURN_IF_ERROR(version);
  if (*version != map.version_) {
    return InvalidArgument("calibration map: version " + *version + " does not match its curves (" +
                           map.version_ + "); was it edited by hand?");
  }
  return map;
}

Reliability ComputeReliability(const std::vector<std::pair<double, bool>>& scored, int bins) {
  Reliability r;
  bins = std::max(bins, 1);
  r.bins.resize(bins);
  for (int i = 0; i < bins; ++i) {
    r.bins[i].lo = static_cast<double>(i) / bins;
    r.bins[i].hi = static_cast<double>(i + 1) / bins;
  }
  for (const auto& [score, agreed] : scored) {
    const int i = std::clamp(static_cast<int>(std::floor(score * bins)), 0, bins - 1);
    ReliabilityBin& b = r.bins[i];
    b.mean_confidence += score;
    b.agree_rate += agreed ? 1 : 0;
    ++b.n;
  }
  r.n = static_cast<int>(scored.size());
  for (ReliabilityBin& b : r.bins) {
    if (b.n == 0) continue;
    b.mean_confidence /= b.n;
    b.agree_rate /= b.n;
    r.ece += static_cast<double>(b.n) / r.n * std::abs(b.agree_rate - b.mean_confidence);
  }
  return r;
}

std::vector<double> CrossValidatedScores(const std::vector<CalibrationSample>& samples, int folds,
                                         const CalibrationOptions& options) {
  folds = std::max(folds, 2);
  std::vector<double> out(samples.size(), 0);
  for (int f = 0; f < folds; ++f) {
    std::vector<CalibrationSample> train;
    for (size_t i = 0; i < samples.size(); ++i) {
      if (static_cast<int>(i % folds) != f) train.push_back(samples[i]);
    }
    const CalibrationMap map = CalibrationMap::Fit(train, options);
    for (size_t i = f; i < samples.size(); i += folds) {
      out[i] = map.Calibrate(samples[i].workflow, samples[i].intent, samples[i].confidence);
    }
  }
  return out;
}

}  // namespace hitlgate::learning
