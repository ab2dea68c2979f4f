// The simulation as a small hand-written SVG (no plotting library): one lane
// per workflow/action, coloured by level along the stream of proposals.
#include <cstdio>

#include "hitlgate/autonomy/simulation.h"

namespace hitlgate::autonomy {
namespace {

const char* Colour(Oversight o) {
  switch (o) {
    case Oversight::kHitl: return "#d9534f";
    case Oversight::kHotl: return "#f0ad4e";
    case Oversight::kHootl: return "#5cb85c";
  }
  return "#999";
}

std::string Fmt(const char* format, double a, double b = 0, double c = 0, double d = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, format, a, b, c, d);
  return buf;
}

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

}  // namespace

std::string RenderSimulationSvg(const SimulationResult& r, const SimulationOptions& options) {
  constexpr double kLeft = 330, kPlot = 560, kLane = 22, kTop = 44;
  const double height = kTop + kLane * static_cast<double>(r.keys.size()) + 60;
  const double width = kLeft + kPlot + 20;
  const double steps = std::max(1, r.steps);
  auto x = [&](double step) { return kLeft + kPlot * step / steps; };
  std::string svg = Fmt(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" "
      "font-size=\"11\">\n",
      width, height);
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += Fmt("<text x=\"10\" y=\"18\" font-size=\"13\" font-weight=\"bold\">Earned autonomy over %.0f replayed "
             "tau-bench/tau2-bench actions (seed %.0f)</text>\n",
             r.steps, static_cast<double>(options.seed));
  for (std::size_t i = 0; i < r.keys.size(); ++i) {
    const KeyTimeline& t = r.keys[i];
    const double y = kTop + kLane * static_cast<double>(i);
    const std::string label = t.key.workflow + " / " + t.key.subject.substr(t.key.subject.find(':') + 1);
    svg += Fmt("<text x=\"10\" y=\"%.1f\">", y + 14) + Escape(label) +
           Fmt(" (AI errs %.1f%%)</text>\n", 100 * t.error_rate);
    for (std::size_t j = 0; j < t.levels.size(); ++j) {
      const double from = t.levels[j].first;
      const double to = j + 1 < t.levels.size() ? t.levels[j + 1].first : steps;
      if (to <= from) continue;
      svg += Fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" ", x(from), y + 3, x(to) - x(from),
                 kLane - 6) +
             "fill=\"" + Colour(t.levels[j].second) + "\"/>\n";
    }
    for (int d : t.demotions) {
      svg += Fmt("<path d=\"M%.1f %.1f l-4 -6 h8 z\" fill=\"black\"/>\n", x(d), y + 9);
    }
  }
  const double bottom = kTop + kLane * static_cast<double>(r.keys.size());
  if (r.drift_step >= 0) {
    svg += Fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\" stroke-dasharray=\"4 3\"/>\n",
               x(r.drift_step), kTop - 4, x(r.drift_step), bottom);
    svg += Fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x(r.drift_step), kTop - 8) +
           Escape(options.drift_action) + Fmt(" drifts to %.0f%% errors</text>\n", 100 * options.drift_error);
  }
  for (int k = 0; k <= 4; ++k) {
    const double s = steps * k / 4;
    svg += Fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.0f</text>\n", x(s), bottom + 14, s);
  }
  svg += Fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">proposals</text>\n", x(steps / 2), bottom + 28);
  const double ly = bottom + 44;
  double lx = kLeft;
  for (Oversight o : {Oversight::kHitl, Oversight::kHotl, Oversight::kHootl}) {
    svg += Fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" ", lx, ly - 10) + "fill=\"" + Colour(o) +
           "\"/>\n";
    svg += Fmt("<text x=\"%.1f\" y=\"%.1f\">", lx + 16, ly) + std::string(engine::OversightName(o)) + "</text>\n";
    lx += 70;
  }
  svg += Fmt("<path d=\"M%.1f %.1f l-4 -6 h8 z\" fill=\"black\"/>", lx + 4, ly - 1);
  svg += Fmt("<text x=\"%.1f\" y=\"%.1f\">demotion</text>\n", lx + 12, ly);
  svg += "</svg>\n";
  return svg;
}

}  // namespace hitlgate::autonomy
