#!/usr/bin/env bash
# How fast the explorer answers (docs/performance.md, "Explorer"): starts `edgelearn explore` on a free port and times,
# with curl over 127.0.0.1, what a slider move asks for and what the background sweeps cost:
#   move      /api/plan at N distinct energy budgets (equal ratios from 3 J to 3 kJ: none is answered from memory)
#   fleet     /api/plan at K = 100, 1000, 10000 devices (energy budget 30 J per device, the generator's)
#   compare   /api/compare (all six schemes) at the default levers
#   curves    /api/curves to the end (17 energies × 6 schemes)
#   heatmap   /api/heatmap to the end (21 × 21 budgets)
# Writes CSV rows on stdout: kind,value,total_ms,server_ms (server_ms: the planner's own time, plan and fleet only).
# Usage, from the repository root after a Release build: bash bench/explore/measure.sh [N] [--scenario FILE]  (N: 40)
set -euo pipefail
cli=${EDGELEARN_CLI:-src/EdgeLearn.Cli/bin/Release/net10.0/edgelearn}
moves=${1:-40}; shift || true
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$cli" explore "$@" > "$work/url" 2> "$work/err" &
for _ in $(seq 1 600); do [ -s "$work/url" ] && break; sleep 0.05; done
url=$(head -n 1 "$work/url")
[ -n "$url" ] || { cat "$work/err" >&2; exit 1; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", 1000 * s }'; }
server_ms() { sed -n 's/.*"elapsedMs":\([0-9.]*\).*/\1/p' "$1"; }
get() { # KIND VALUE PATH: one timed request
  local seconds
  seconds=$(curl -sS -o "$work/body" -w '%{time_total}' "$url$3")
  grep -q '"error"' "$work/body" && { echo "$1 $2: $(cat "$work/body")" >&2; exit 1; }
  echo "$1,$2,$(ms "$seconds"),$(server_ms "$work/body")"
}
echo "kind,value,total_ms,server_ms"
get warmup 300 "api/plan" > /dev/null # the first request compiles the server's code paths
for i in $(seq 0 $((moves - 1))); do
  energy=$(awk -v i="$i" -v n="$moves" 'BEGIN { printf "%.6g", 3 * 10 ^ (n > 1 ? 3 * i / (n - 1) : 0) }')
  get move "$energy" "api/plan?budget.energyJ=$energy"
done
for k in 100 1000 10000; do get fleet "$k" "api/plan?devices=$k&budget.energyJ=$((30 * k))"; done
get compare default "api/compare"
get curves default "api/curves"
get heatmap default "api/heatmap"
