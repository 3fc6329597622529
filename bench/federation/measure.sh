#!/usr/bin/env bash
# The federation against the in-process train (docs/performance.md, "Federation"): the default scenario's joint plan on
# MNIST (or --dataset), run R times each way on one machine over loopback with mutual TLS. `train` is one process;
# the federation is an `edgelearn server` and three `edgelearn device` agents (dev-0..3, 4..6, 7..9) started together.
# Measures each run end to end (first process start to the last exit) and the trainer's own wall clock (summary.json),
# and for the federation the mean fine-tuning round's wall clock and the bytes per device and round (federation.json);
# checks that both runs end with the same model. Writes CSV rows on stdout:
#   how,run,end_to_end_s,training_s,round_s,down_bytes,up_bytes,same_model
# Usage, from the repository root after a Release build (the dataset in the cache: edgelearn data fetch mnist):
#   bash bench/federation/measure.sh [R] [data options…] > docs/federation-bench.csv      (default R: 3)
set -euo pipefail
cli=${EDGELEARN_CLI:-src/EdgeLearn.Cli/bin/Release/net10.0/edgelearn}
repeats=${1:-3}; shift || true
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$cli" federation provision --out "$work/certs" > /dev/null 2>&1
field() { sed -n "s/^ *\"$2\": *\([^,]*\),\{0,1\}\$/\1/p" "$1" | head -n 1; } # FILE KEY: a top-level number of indented JSON
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
device_options=() # the data options without those only train and server know
for option in "$@"; do [ "$option" = --accept-model-size ] || device_options+=("$option"); done
echo "how,run,end_to_end_s,training_s,round_s,down_bytes,up_bytes,same_model"
for r in $(seq 1 "$repeats"); do
  start=$(now)
  "$cli" train "$@" --out "$work/train-$r" > /dev/null 2> "$work/train.err" || { cat "$work/train.err" >&2; exit 1; }
  end=$(now)
  echo "train,$r,$(seconds "$start" "$end"),$(field "$work/train-$r/summary.json" wallClockS),,,,"

  rm -f "$work/state.db"*
  start=$(now)
  : > "$work/server.err"
  "$cli" server "$@" --certs "$work/certs" --state "$work/state.db" --listen 127.0.0.1:0 --out "$work/fed-$r" > /dev/null 2> "$work/server.err" &
  server=$!
  # The devices start as soon as the server has its port (it plans and loads its data first, as they load theirs).
  until address=$(grep -o 'https://127\.0\.0\.1:[0-9]*' "$work/server.err"); do
    kill -0 "$server" 2> /dev/null || { cat "$work/server.err" >&2; exit 1; }
    sleep 0.05
  done
  pids=()
  for ids in dev-0..dev-3 dev-4..dev-6 dev-7..dev-9; do
    "$cli" device "${device_options[@]}" --certs "$work/certs" --server "$address" --ids "$ids" > /dev/null 2>> "$work/devices.err" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || { kill "$server"; cat "$work/devices.err" >&2; exit 1; }; done
  wait "$server" || { cat "$work/server.err" >&2; exit 1; }
  end=$(now)
  fed="$work/fed-$r/federation.json"
  same=$(cmp -s "$work/train-$r/model-final.bin" "$work/fed-$r/model-final.bin" && echo yes || echo no)
  echo "federation,$r,$(seconds "$start" "$end"),$(field "$work/fed-$r/summary.json" wallClockS),$(field "$fed" meanRoundWallClockS),$(field "$fed" assignmentBytesPerDevice),$(field "$fed" updateBytesPerDevice),$same"
done
