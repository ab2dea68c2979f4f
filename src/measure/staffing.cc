// Erlang C, Erlang A and a queue simulation; see staffing.h.
#include "hitlgate/measure/staffing.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <random>

namespace hitlgate::measure {
namespace {

// Erlang A's birth-death chain is cut where the remaining probability is
// negligible; this bounds it for absurd inputs.
constexpr int kMaxChainStates = 200000;
constexpr double kTailCutoff = 1e-16;

}  // namespace

Result<void> Validate(const StaffingInput& in) {
  if (!(in.arrivals_per_hour > 0) || !std::isfinite(in.arrivals_per_hour)) {
    return InvalidArgument("arrivals per hour: expected a number > 0");
  }
  if (!(in.escalation_rate > 0 && in.escalation_rate <= 1)) {
    return InvalidArgument("escalation rate: expected a share in (0, 1]");
  }
  if (!(in.handle_seconds > 0) || !std::isfinite(in.handle_seconds)) {
    return InvalidArgument("handle seconds: expected a number > 0");
  }
  if (!(in.target_level > 0 && in.target_level < 1)) {
    return InvalidArgument("target: expected a share in (0, 1), e.g. 0.8");
  }
  if (!(in.target_wait_seconds >= 0) || !std::isfinite(in.target_wait_seconds)) {
    return InvalidArgument("within: expected a wait >= 0 seconds");
  }
  if (in.patience_seconds && (!(*in.patience_seconds > 0) || !std::isfinite(*in.patience_seconds))) {
    return InvalidArgument("patience: expected a number of seconds > 0");
  }
  return {};
}

double ErlangC(int agents, double load) {
  if (agents <= 0 || load >= agents) return 1.0;
  if (load <= 0) return 0.0;
  // Erlang B by the recursion B(n) = A B(n-1) / (n + A B(n-1)): no
  // factorials, no overflow for thousands of agents.
  double b = 1.0;
  for (int n = 1; n <= agents; ++n) b = load * b / (n + load * b);
  return agents * b / (agents - load * (1 - b));
}

QueueFigures ErlangCFigures(const StaffingInput& in, int agents) {
  QueueFigures f;
  f.agents = agents;
  const double load = in.OfferedLoad();
  if (agents <= load) {
    f.stable = false;
    f.wait_probability = 1.0;
    f.service_level = 0.0;
    f.mean_wait_seconds = INFINITY;
    f.occupancy = 1.0;
    return f;
  }
  const double c = ErlangC(agents, load);
  f.wait_probability = c;
  f.service_level = 1.0 - c * std::exp(-(agents - load) * in.target_wait_seconds / in.handle_seconds);
  f.mean_wait_seconds = c * in.handle_seconds / (agents - load);
  f.occupancy = load / agents;
  return f;
}

QueueFigures ErlangAFigures(const StaffingInput& in, int agents) {
  QueueFigures f;
  f.agents = agents;
  const double lambda = in.TasksPerSecond();
  const double mu = 1.0 / in.handle_seconds;
  const double theta = 1.0 / in.patience_seconds.value_or(1e18);
  // Stationary distribution, unnormalized, computed forward with rescaling.
  std::vector<double> pi;
  pi.reserve(static_cast<size_t>(agents) * 2 + 64);
  pi.push_back(1.0);
  double total = 1.0, peak = 1.0;
  for (int n = 1; n < kMaxChainStates; ++n) {
    const double death = std::min(n, agents) * mu + std::max(n - agents, 0) * theta;
    const double p = pi.back() * lambda / death;
    pi.push_back(p);
    total += p;
    peak = std::max(peak, p);
    if (n > agents && p < kTailCutoff * peak) break;
    if (total > 1e250) {  // rescale to stay finite for large loads
      for (double& x : pi) x /= total;
      peak /= total;
      total = 1.0;
    }
  }
  for (double& x : pi) x /= total;
  const int states = static_cast<int>(pi.size());
  double waits = 0, queue_length = 0, busy = 0, no_wait = 0;
  for (int n = 0; n < states; ++n) {
    if (n >= agents) waits += pi[n];
    else no_wait += pi[n];
    queue_length += std::max(n - agents, 0) * pi[n];
    busy += std::min(n, agents) * pi[n];
  }
  f.wait_probability = waits;
  f.mean_wait_seconds = queue_length / lambda;
  f.abandonment = theta * queue_length / lambda;
  f.occupancy = busy / agents;

  // Service level: a tagged arrival that finds n >= agents present has
  // j = n - agents tasks ahead; ahead-count falls at rate agents*mu + j*theta
  // (a reviewer frees up, or someone ahead gives up), the tagged task gives
  // up at rate theta, and at j = 0 the next free reviewer answers it. The
  // probability mass is integrated over [0, t] with RK4.
  const int queue_states = std::max(states - agents, 0);
  std::vector<double> p(queue_states);
  for (int j = 0; j < queue_states; ++j) p[j] = pi[agents + j];
  double answered = 0;
  const double t = in.target_wait_seconds;
  if (queue_states > 0 && t > 0) {
    const double max_rate = agents * mu + queue_states * theta + theta;
    const int steps = std::max(100, static_cast<int>(std::ceil(t * max_rate / 0.2)));
    const double dt = t / steps;
    auto derivative = [&](const std::vector<double>& x, std::vector<double>& dx, double& served) {
      for (int j = 0; j < queue_states; ++j) {
        double inflow = j + 1 < queue_states ? (agents * mu + (j + 1) * theta) * x[j + 1] : 0.0;
        dx[j] = -(agents * mu + j * theta + theta) * x[j] + inflow;
      }
      served = agents * mu * x[0];
    };
    std::vector<double> k1(queue_states), k2(queue_states), k3(queue_states), k4(queue_states),
        tmp(queue_states);
    for (int s = 0; s < steps; ++s) {
      double s1, s2, s3, s4;
      derivative(p, k1, s1);
      for (int j = 0; j < queue_states; ++j) tmp[j] = p[j] + 0.5 * dt * k1[j];
      derivative(tmp, k2, s2);
      for (int j = 0; j < queue_states; ++j) tmp[j] = p[j] + 0.5 * dt * k2[j];
      derivative(tmp, k3, s3);
      for (int j = 0; j < queue_states; ++j) tmp[j] = p[j] + dt * k3[j];
      derivative(tmp, k4, s4);
      for (int j = 0; j < queue_states; ++j) p[j] += dt / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
      answered += dt / 6 * (s1 + 2 * s2 + 2 * s3 + s4);
    }
  }
  f.service_level = std::clamp(no_wait + answered, 0.0, 1.0);
  return f;
}

QueueFigures FormulaFigures(const StaffingInput& in, int agents) {
  return in.patience_seconds ? ErlangAFigures(in, agents) : ErlangCFigures(in, agents);
}

Result<int> AgentsNeeded(const StaffingInput& in, int max_agents) {
  HITLGATE_RETURN_IF_ERROR(Validate(in));
  const int first = std::max(1, in.patience_seconds ? 1 : static_cast<int>(std::floor(in.OfferedLoad())) + 1);
  for (int n = first; n <= max_agents; ++n) {
    if (FormulaFigures(in, n).service_level >= in.target_level) return n;
  }
  return NotFound("no staffing up to " + std::to_string(max_agents) + " reviewers meets the target");
}

QueueFigures Simulate(const StaffingInput& in, int agents, const SimulationOptions& options) {
  QueueFigures f;
  f.agents = agents;
  std::mt19937_64 rng(options.seed);
  std::exponential_distribution<double> interarrival(in.TasksPerSecond());
  std::exponential_distribution<double> handling(1.0 / in.handle_seconds);
  std::exponential_distribution<double> patience(in.patience_seconds ? 1.0 / *in.patience_seconds : 1.0);
  // First come, first served: each task in arrival order goes to the
  // reviewer free earliest; a task whose wait would pass its patience leaves
  // and takes no reviewer (exact for FIFO, so no event list is needed).
  std::priority_queue<double, std::vector<double>, std::greater<>> free_at;
  for (int i = 0; i < agents; ++i) free_at.push(0.0);
  double now = 0, first_measured = 0, last_measured = 0, busy = 0, wait_sum = 0;
  std::int64_t measured = 0, answered_in_time = 0, waited = 0, abandoned = 0;
  const std::int64_t total = options.warmup_tasks + options.tasks;
  for (std::int64_t i = 0; i < total; ++i) {
    now += interarrival(rng);
    const double service = handling(rng);
    const double limit = in.patience_seconds ? patience(rng) : INFINITY;
    const double start = std::max(now, free_at.top());
    const double wait = start - now;
    const bool measure = i >= options.warmup_tasks;
    if (measure) {
      if (measured == 0) first_measured = now;
      last_measured = now;
      ++measured;
    }
    if (wait > limit) {
      if (measure) {
        ++abandoned;
        ++waited;
        wait_sum += limit;
      }
      continue;
    }
    free_at.pop();
    free_at.push(start + service);
    if (measure) {
      if (wait > 0) ++waited;
      if (wait <= in.target_wait_seconds) ++answered_in_time;
      wait_sum += wait;
      busy += service;
    }
  }
  if (measured == 0) return f;
  f.service_level = double(answered_in_time) / measured;
  f.wait_probability = double(waited) / measured;
  f.mean_wait_seconds = wait_sum / measured;
  f.abandonment = double(abandoned) / measured;
  const double span = last_measured - first_measured;
  f.occupancy = span > 0 ? std::min(1.0, busy / (agents * span)) : 0.0;
  return f;
}

Result<StaffingTable> BuildStaffingTable(const StaffingInput& in, const SimulationOptions& simulation) {
  HITLGATE_RETURN_IF_ERROR(Validate(in));
  auto needed = AgentsNeeded(in);
  HITLGATE_RETURN_IF_ERROR(needed);
  StaffingTable table;
  table.tasks_per_hour = in.TasksPerSecond() * 3600;
  table.offered_load = in.OfferedLoad();
  table.recommended_agents = *needed;
  const int first = std::max(1, std::min(*needed - 3, static_cast<int>(std::ceil(in.OfferedLoad()))));
  for (int n = first; n <= *needed + 2; ++n) {
    StaffingRow row;
    row.formula = FormulaFigures(in, n);
    SimulationOptions per_row = simulation;
    per_row.seed = simulation.seed + static_cast<std::uint64_t>(n);
    // An unstable queue without abandonment grows forever: nothing to simulate.
    if (row.formula.stable) row.simulated = Simulate(in, n, per_row);
    else row.simulated = row.formula;
    table.rows.push_back(row);
  }
  return table;
}

}  // namespace hitlgate::measure
