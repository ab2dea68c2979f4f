#include "cli/autonomy_commands.h"

#include <cstdio>
#include <fstream>
#include <map>

#include "hitlgate/autonomy/simulation.h"

namespace hitlgate::cli {

struct AutonomyCommands {
  CLI::App* simulate_cmd = nullptr;
  std::string data_dir = "../shared/data";
  std::string svg_path;
  autonomy::SimulationOptions options;
};

std::shared_ptr<AutonomyCommands> AddAutonomyCommands(CLI::App& app) {
  auto c = std::make_shared<AutonomyCommands>();
  CLI::App* autonomy_cmd = app.add_subcommand("autonomy", "Earned autonomy");
  autonomy_cmd->require_subcommand(1);
  c->simulate_cmd = autonomy_cmd->add_subcommand(
      "simulate", "Replay tau-bench/tau2-bench gold actions with a simulated AI and print levels over time");
  auto& o = c->options;
  c->simulate_cmd->add_option("--data", c->data_dir, "The shared data folder (tau_bench/, tau2_bench/)");
  c->simulate_cmd->add_option("--seed", o.seed, "Seed of the simulated AI, reviewers and traffic order");
  c->simulate_cmd->add_option("--passes", o.passes, "Times the gold actions are replayed (shuffled each time)")
      ->check(CLI::Range(1, 1000));
  c->simulate_cmd->add_option("--signoff-delay", o.signoff_delay,
                              "Cases of the key before the simulated supervisor signs a promotion off");
  c->simulate_cmd->add_option("--drift-action", o.drift_action, "Action whose AI gets worse (empty: none)");
  c->simulate_cmd->add_option("--drift-at", o.drift_at, "Share of the stream where the drift starts")
      ->check(CLI::Range(0.0, 1.0));
  c->simulate_cmd->add_option("--drift-error", o.drift_error, "The drifted action's error rate")
      ->check(CLI::Range(0.0, 1.0));
  c->simulate_cmd->add_option("--svg", c->svg_path, "Also write the chart as SVG to this file");
  return c;
}

namespace {

char Letter(engine::Oversight o) {
  switch (o) {
    case engine::Oversight::kHitl: return 'I';
    case engine::Oversight::kHotl: return 'O';
    case engine::Oversight::kHootl: return '-';
  }
  return '?';
}

int RunSimulate(const AutonomyCommands& c) {
  auto gold = autonomy::LoadTauGoldActions(c.data_dir);
  if (!gold) {
    std::fprintf(stderr, "hitlgate autonomy simulate: %s\n", gold.error().message().c_str());
    return 1;
  }
  std::map<std::string, int> by_source;
  for (const auto& g : *gold) ++by_source[g.source];
  autonomy::SimulationResult r = autonomy::Simulate(*gold, c.options);
  std::printf("gold write actions: %zu (tau2_bench %d, tau_bench %d), replayed %d times: %d proposals, seed %llu\n",
              gold->size(), by_source["tau2_bench"], by_source["tau_bench"], c.options.passes, r.steps,
              static_cast<unsigned long long>(c.options.seed));
  const auto& cfg = c.options.config;
  std::printf("promotion: one-sided 95%% Wilson lower bound of agreement over the last %d judged cases (>= %d since "
              "the last change) >= %.0f%% (hotl) / %.0f%% (hootl), signed off after %d more cases; demotion: "
              "Bernoulli CUSUM, severe audit flag, or upper bound < target; audits at %.0f%% (hotl) / %.0f%% (hootl)\n",
              cfg.window, cfg.min_cases, 100 * cfg.hotl_target, 100 * cfg.hootl_target, c.options.signoff_delay,
              100 * cfg.audit_rate_hotl, 100 * cfg.audit_rate_hootl);
  if (r.drift_step >= 0) {
    std::printf("drift: %s errs %.0f%% from proposal %d on\n", c.options.drift_action.c_str(),
                100 * c.options.drift_error, r.drift_step);
  }
  std::printf("\nlevel over time (I = hitl, O = hotl, - = hootl), one column per %d proposals\n\n",
              std::max(1, r.steps / 40));
  std::printf("%-42s %6s %6s %8s %8s %9s  %s\n", "workflow / action", "AI err", "n", "reviewed", "unrev.", "err out",
              "timeline");
  int proposals = 0, reviewed = 0, errors_out = 0, errors = 0;
  for (const auto& t : r.keys) {
    std::string line;
    for (int col = 0; col < 40; ++col) line += Letter(autonomy::LevelAt(t, r.steps * col / 40));
    const std::string name = t.key.workflow + " / " + t.key.subject.substr(t.key.subject.find(':') + 1);
    const int unreviewed = t.proposals - t.reviewed;
    std::printf("%-42s %5.1f%% %6d %7.0f%% %7.0f%% %9d  %s%s\n", name.c_str(), 100 * t.error_rate, t.proposals,
                100.0 * t.reviewed / std::max(1, t.proposals), 100.0 * unreviewed / std::max(1, t.proposals),
                t.errors_unreviewed, line.c_str(), t.demotions.empty() ? "" : "  (demoted)");
    proposals += t.proposals;
    reviewed += t.reviewed;
    errors_out += t.errors_unreviewed;
    errors += t.errors;
  }
  const int unreviewed = proposals - reviewed;
  std::printf("\ntotal: %d proposals, %d reviewed by a person (%.1f%%), %d went out unreviewed; errors %d, of which "
              "%d went out unreviewed (%.2f%% of unreviewed proposals)\n",
              proposals, reviewed, 100.0 * reviewed / std::max(1, proposals), unreviewed, errors, errors_out,
              100.0 * errors_out / std::max(1, unreviewed));
  if (!c.svg_path.empty()) {
    std::ofstream out(c.svg_path, std::ios::binary);
    out << autonomy::RenderSimulationSvg(r, c.options);
    if (!out) {
      std::fprintf(stderr, "hitlgate autonomy simulate: cannot write %s\n", c.svg_path.c_str());
      return 1;
    }
    std::printf("chart: %s\n", c.svg_path.c_str());
  }
  return 0;
}

}  // namespace

std::optional<int> RunAutonomyCommands(const AutonomyCommands& c) {
  if (*c.simulate_cmd) return RunSimulate(c);
  return std::nullopt;
}

}  // namespace hitlgate::cli
