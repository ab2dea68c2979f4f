// `hitlgate staff`: reviewers needed for a service level, from Erlang C (or
// Erlang A with patience) and a queue simulation side by side (src/measure).
#include <cmath>
#include <cstdio>
#include <string>

#include "cli/measure_commands.h"
#include "hitlgate/measure/staffing.h"

namespace hitlgate::cli {
namespace {

std::string Cell(double v, const char* format) {
  if (!std::isfinite(v)) return "inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

Result<double> ParseSeconds(std::string_view text) {
  // "60", "60s", "2m", "1.5h"
  if (text.empty()) return InvalidArgument("expected a duration like 60s, 2m or 1h");
  double scale = 1;
  std::string number(text);
  switch (text.back()) {
    case 's': number.pop_back(); break;
    case 'm': scale = 60; number.pop_back(); break;
    case 'h': scale = 3600; number.pop_back(); break;
    default: break;
  }
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(number, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != number.size() || !std::isfinite(value) || value < 0) {
    return InvalidArgument("expected a duration like 60s, 2m or 1h, got '" + std::string(text) + "'");
  }
  return value * scale;
}

int RunStaff(const StaffOptions& o) {
  measure::StaffingInput in;
  in.arrivals_per_hour = o.arrivals_per_hour;
  in.escalation_rate = o.escalation_rate;
  in.handle_seconds = o.handle_seconds;
  in.target_level = o.target;
  auto within = ParseSeconds(o.within);
  if (!within) {
    std::fprintf(stderr, "hitlgate staff: --within: %s\n", within.error().message().c_str());
    return 2;
  }
  in.target_wait_seconds = *within;
  if (!o.patience.empty()) {
    auto patience = ParseSeconds(o.patience);
    if (!patience) {
      std::fprintf(stderr, "hitlgate staff: --patience: %s\n", patience.error().message().c_str());
      return 2;
    }
    in.patience_seconds = *patience;
  }
  measure::SimulationOptions sim;
  sim.seed = o.seed;
  sim.tasks = o.simulated_tasks;
  auto table = measure::BuildStaffingTable(in, sim);
  if (!table) {
    std::fprintf(stderr, "hitlgate staff: %s\n", table.error().message().c_str());
    return 2;
  }
  const char* model = in.patience_seconds ? "Erlang A" : "Erlang C";
  if (o.json) {
    std::printf("%s\n", measure::StaffingJson(in, *table, sim).c_str());
    return 0;
  }
  std::printf("review tasks: %.1f per hour (%.0f arrivals x %.1f%% escalated), %.0f s each: %.2f Erlangs\n",
              table->tasks_per_hour, in.arrivals_per_hour, 100 * in.escalation_rate,
              in.handle_seconds, table->offered_load);
  std::printf("target: %.0f%% answered within %.0f s; %s%s; simulation: %lld tasks, seed %llu\n\n",
              100 * in.target_level, in.target_wait_seconds, model,
              in.patience_seconds ? (", mean patience " + Cell(*in.patience_seconds, "%.0f") + " s").c_str() : "",
              static_cast<long long>(sim.tasks), static_cast<unsigned long long>(sim.seed));
  std::printf("%6s | %-35s | %-35s\n", "", model, "simulation");
  std::printf("%6s | %8s %8s %8s %8s | %8s %8s %8s %8s\n", "agents", "SL", "ASA s", "occup.", "abandon",
              "SL", "ASA s", "occup.", "abandon");
  for (const measure::StaffingRow& row : table->rows) {
    const auto& f = row.formula;
    const auto& s = row.simulated;
    // An unstable queue (Erlang C at or below the load) is not simulated.
    auto simulated = [&](double v, const char* format) { return f.stable ? Cell(v, format) : std::string("-"); };
    std::printf("%6d | %8s %8s %8s %8s | %8s %8s %8s %8s%s\n", f.agents,
                Cell(100 * f.service_level, "%.1f%%").c_str(), Cell(f.mean_wait_seconds, "%.1f").c_str(),
                Cell(100 * f.occupancy, "%.1f%%").c_str(), Cell(100 * f.abandonment, "%.1f%%").c_str(),
                simulated(100 * s.service_level, "%.1f%%").c_str(), simulated(s.mean_wait_seconds, "%.1f").c_str(),
                simulated(100 * s.occupancy, "%.1f%%").c_str(), simulated(100 * s.abandonment, "%.1f%%").c_str(),
                f.agents == table->recommended_agents ? "  <- needed" : "");
  }
  std::printf("\nASA here is the mean wait over all tasks (abandoned ones count with the time they waited).\n");
  return 0;
}

}  // namespace hitlgate::cli
