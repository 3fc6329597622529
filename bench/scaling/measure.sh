#!/usr/bin/env bash
# Scaling of the edgelearn tool with the fleet size K (docs/performance.md, "Scaling"): for each K, the wall-clock time
# and peak resident memory (GNU time) of `scenario generate`, `plan --json` and `compare --json` on the generated fleet
# (seed 1). Writes CSV rows on stdout: what,K,seconds,peak_mb. Usage, from the repository root after a Release build:
#   bash bench/scaling/measure.sh [K ...] > docs/scaling.csv     (default K: 10 100 1000 10000 100000 1000000)
set -euo pipefail
cli=${EDGELEARN_CLI:-src/EdgeLearn.Cli/bin/Release/net10.0/edgelearn}
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000 10000 100000 1000000)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
run() { # what K command...
  local what=$1 k=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r seconds kb < "$work/time"
  echo "$what,$k,$seconds,$((kb / 1024))"
}
echo "what,K,seconds,peak_mb"
for k in "${sizes[@]}"; do
  run generate "$k" "$cli" scenario generate --devices "$k" --seed 1 --out "$work/fleet.json"
  run plan "$k" "$cli" plan --scenario "$work/fleet.json" --json "$work/plan.json"
  run compare "$k" "$cli" compare --scenario "$work/fleet.json" --json "$work/plans.json"
  rm -f "$work/fleet.json" "$work/plan.json" "$work/plans.json"
done
