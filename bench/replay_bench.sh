#!/usr/bin/env bash
# Policy replay throughput: `hitlgate replay` over 1,000,000 generated events
# (bench/make_events, real banking77/bitext messages), retail.yaml against
# retail-candidate.yaml, pinned to one core. One in twenty AI proposals
# carries a human verdict (rejected or approved, alternating) so the
# verdict path is measured too.
#   bench/replay_bench.sh [BUILD_DIR] [EVENTS]
# The target (issue 6) is at least 1,000,000 events a minute on one core.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build/bench}
N=${2:-1000000}
if [[ ! -f "$B/build.ninja" ]]; then
  cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHITLGATE_BUILD_TESTS=OFF >/dev/null
fi
ninja -C "$B" hitlgate make_events >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$B/bench/make_events" --events "$N" |
  awk '/"type":"ai_proposal"/ { if (++p % 20 == 0) { sub(/}$/, ",\"human_verdict\":\"" ((p / 20) % 2 ? "rejected" : "approved") "\"}") } } { print }' \
  > "$tmp/events.jsonl"
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"${pin[@]}" "$B/src/cli/hitlgate" replay --policy examples/policies/retail-candidate.yaml \
  --active examples/policies/retail.yaml --events "$tmp/events.jsonl" --stats --examples 0 \
  -o "$tmp/comparison.txt"
head -30 "$tmp/comparison.txt"
