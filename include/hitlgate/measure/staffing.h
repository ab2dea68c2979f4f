// Staffing: how many reviewers a review queue needs for a service level
// ("80% of holds answered within 60 s"), from the queueing formulas and from
// a discrete-event simulation that checks them.
//
//  * Erlang C (M/M/N): Poisson arrivals, exponential handling, N reviewers,
//    nobody gives up. Closed form.
//  * Erlang A (M/M/N+M): the same, with exponential patience: a waiting task
//    is abandoned (the customer leaves, the agent stops waiting) after a
//    mean `patience`. Solved numerically (birth-death chain and the waiting
//    time of a tagged arrival); used where patience is given, since Erlang C
//    then overstates the wait.
//  * Simulate: the queue itself, first come first served, with an injected
//    seed, so the formulas' assumptions can be checked (and later replaced by
//    measured arrival and handling times).
//
// Definitions used everywhere here: service level = share of all arriving
// tasks answered (a reviewer starts on them) within the target wait;
// abandoned tasks count as not answered. Mean wait = mean time in queue over
// all arrivals. Occupancy = share of reviewer time spent handling.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/common/error.h"

namespace hitlgate::measure {

struct StaffingInput {
  double arrivals_per_hour = 0;      // conversations (or events) per hour
  double escalation_rate = 1.0;      // share of them that become review tasks, (0, 1]
  double handle_seconds = 0;         // mean handling time of one task
  double target_level = 0.8;         // e.g. 0.8
  double target_wait_seconds = 60;   // e.g. 60
  std::optional<double> patience_seconds;  // mean patience; nullopt = nobody abandons

  double TasksPerSecond() const { return arrivals_per_hour * escalation_rate / 3600.0; }
  // Offered load in Erlangs: the reviewers kept busy on average.
  double OfferedLoad() const { return TasksPerSecond() * handle_seconds; }
};

// InvalidArgument naming the field for rates <= 0, an escalation rate
// outside (0, 1], a target level outside (0, 1), a negative wait, a patience
// <= 0.
[[nodiscard]] Result<void> Validate(const StaffingInput& input);

struct QueueFigures {
  int agents = 0;
  double service_level = 0;  // share answered within the target wait
  double wait_probability = 0;  // share that waits at all
  double mean_wait_seconds = 0;  // over all arrivals ("ASA" when nobody abandons)
  double occupancy = 0;
  double abandonment = 0;    // share abandoned (0 without patience)
  bool stable = true;        // false: Erlang C with agents <= load (the queue grows forever)
};

// Erlang C probability that an arrival waits, for `agents` servers and
// `load` Erlangs (1 when agents <= load). Computed with the stable Erlang B
// recursion.
double ErlangC(int agents, double load);
// Erlang C figures (the input's patience is ignored).
QueueFigures ErlangCFigures(const StaffingInput& input, int agents);
// Erlang A figures; the input must have a patience.
QueueFigures ErlangAFigures(const StaffingInput& input, int agents);
// Erlang A when the input has a patience, else Erlang C.
QueueFigures FormulaFigures(const StaffingInput& input, int agents);

// The fewest agents whose formula service level meets the target (at most
// `max_agents`; NotFound beyond).
[[nodiscard]] Result<int> AgentsNeeded(const StaffingInput& input, int max_agents = 10000);

struct SimulationOptions {
  std::uint64_t seed = 1;
  std::int64_t tasks = 200000;  // arrivals measured
  std::int64_t warmup_tasks = 10000;  // arrivals simulated first and not measured
};

// Simulates the queue with `agents` reviewers (FIFO; exponential arrivals,
// handling and, where given, patience). Deterministic for a seed.
QueueFigures Simulate(const StaffingInput& input, int agents, const SimulationOptions& options);

struct StaffingRow {
  QueueFigures formula;
  QueueFigures simulated;
};

struct StaffingTable {
  double tasks_per_hour = 0;
  double offered_load = 0;
  int recommended_agents = 0;  // by the formula
  std::vector<StaffingRow> rows;
};

// Rows from just above the load up to two past the recommendation.
[[nodiscard]] Result<StaffingTable> BuildStaffingTable(const StaffingInput& input,
                                                       const SimulationOptions& simulation);

// The table as JSON: {"tasks_per_hour", "offered_load", "model",
// "recommended_agents", "target": {level, within_seconds}, "patience_seconds",
// "simulated_tasks", "rows": [{agents, formula: {...}, simulated: {...}}]}
// (QueueFigures' fields; an infinite mean wait is null). `hitlgate staff
// --json` and POST /v1/staffing.
std::string StaffingJson(const StaffingInput& input, const StaffingTable& table,
                         const SimulationOptions& simulation);

}  // namespace hitlgate::measure
