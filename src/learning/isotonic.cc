// Isotonic regression by pool-adjacent-violators (Barlow et al. 1972).
#include <algorithm>

#include "hitlgate/learning/calibration.h"

namespace hitlgate::learning {

std::vector<IsotonicBlock> PoolAdjacentViolators(std::vector<IsotonicBlock> blocks) {
  std::vector<IsotonicBlock> stack;
  stack.reserve(blocks.size());
  for (IsotonicBlock& b : blocks) {
    stack.push_back(b);
    // Merge backwards while the last two blocks violate monotonicity.
    while (stack.size() >= 2 && stack[stack.size() - 2].value >= stack.back().value) {
      IsotonicBlock right = stack.back();
      stack.pop_back();
      IsotonicBlock& left = stack.back();
      const double w = left.weight + right.weight;
      if (w > 0) {
        left.value = (left.value * left.weight + right.value * right.weight) / w;
        left.x_mean = (left.x_mean * left.weight + right.x_mean * right.weight) / w;
      }
      left.lo = std::min(left.lo, right.lo);
      left.hi = std::max(left.hi, right.hi);
      left.weight = w;
    }
  }
  return stack;
}

std::vector<IsotonicBlock> FitIsotonic(std::vector<std::pair<double, double>> points) {
  std::sort(points.begin(), points.end());
  std::vector<IsotonicBlock> blocks;
  for (const auto& [x, y] : points) {
    if (!blocks.empty() && blocks.back().lo == x) {
      // Equal confidences are one block: their order carries no information.
      IsotonicBlock& b = blocks.back();
      b.value = (b.value * b.weight + y) / (b.weight + 1);
      b.weight += 1;
      continue;
    }
    blocks.push_back({x, x, x, y, 1});
  }
  return PoolAdjacentViolators(std::move(blocks));
}

double EvaluateBlocks(const std::vector<IsotonicBlock>& blocks, double x) {
  if (blocks.empty()) return x;
  if (x <= blocks.front().hi) return blocks.front().value;
  if (x >= blocks.back().lo) return blocks.back().value;
  // First block whose upper end reaches x.
  auto it = std::lower_bound(blocks.begin(), blocks.end(), x,
                             [](const IsotonicBlock& b, double v) { return b.hi < v; });
  if (x >= it->lo) return it->value;
  const IsotonicBlock& prev = *(it - 1);
  const double t = (x - prev.hi) / (it->lo - prev.hi);
  return prev.value + t * (it->value - prev.value);
}

}  // namespace hitlgate::learning
