// StaffingJson: the staffing table for `hitlgate staff --json` and
// POST /v1/staffing; see staffing.h.
#include <cmath>

#include "hitlgate/codec/json_writer.h"
#include "hitlgate/measure/staffing.h"

namespace hitlgate::measure {
namespace {

void WriteFigures(const QueueFigures& f, codec::JsonWriter& w) {
  w.BeginObject();
  w.Key("service_level").Number(f.service_level, 4);
  w.Key("wait_probability").Number(f.wait_probability, 4);
  w.Key("mean_wait_seconds");
  if (std::isfinite(f.mean_wait_seconds)) {
    w.Number(f.mean_wait_seconds, 2);
  } else {
    w.Null();
  }
  w.Key("occupancy").Number(f.occupancy, 4);
  w.Key("abandonment").Number(f.abandonment, 4);
  w.Field("stable", f.stable);
  w.EndObject();
}

}  // namespace

std::string StaffingJson(const StaffingInput& input, const StaffingTable& table,
                         const SimulationOptions& simulation) {
  codec::JsonWriter w;
  w.BeginObject();
  w.Key("tasks_per_hour").Number(table.tasks_per_hour, 3);
  w.Key("offered_load").Number(table.offered_load, 4);
  w.Field("model", input.patience_seconds ? "Erlang A" : "Erlang C");
  w.Field("recommended_agents", table.recommended_agents);
  w.Key("target").BeginObject();
  w.Key("level").Number(input.target_level, 4);
  w.Key("within_seconds").Number(input.target_wait_seconds, 3);
  w.EndObject();
  w.Key("patience_seconds");
  if (input.patience_seconds) {
    w.Number(*input.patience_seconds, 3);
  } else {
    w.Null();
  }
  w.Field("simulated_tasks", simulation.tasks);
  w.Key("rows").BeginArray();
  for (const StaffingRow& row : table.rows) {
    w.BeginObject().Field("agents", row.formula.agents);
    w.Key("formula");
    WriteFigures(row.formula, w);
    w.Key("simulated");
    WriteFigures(row.simulated, w);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

}  // namespace hitlgate::measure
