#!/usr/bin/env bash
# bench/fuzz.sh — builds the libFuzzer harnesses (clang, ASan + UBSan, no libtorch) and runs each
# target for a given time from the committed seed corpus (fuzz/corpus/). A crash is copied to
# tests/fuzz-crashes/<target>/, where test_fuzz_regress replays it in every `make test`.
#   bench/fuzz.sh [SECONDS_PER_TARGET=600] [TARGET...]     (targets: npy sinr json_config)
# Results: one line per target in bench/results/fuzz/fuzz.md (executions, corpus, findings) and
# the full libFuzzer logs beside it. Runs the targets one after another, one job each.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(npy sinr json_config)
build=${SEISINR_FUZZ_BUILD:-build-fuzz}
out=bench/results/fuzz
mkdir -p "$out"
[ -f "$out/fuzz.md" ] || printf '| target | date | seconds | executions | coverage | corpus | findings |\n|---|---|---|---|---|---|---|\n' >"$out/fuzz.md"

if ! command -v clang++ >/dev/null; then
  echo "bench/fuzz.sh: clang++ not found (Debian: apt install clang libclang-rt-14-dev)" >&2
  exit 1
fi
cmake -S . -B "$build" -DSEISINR_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null

status=0
for t in "${targets[@]}"; do
  bin=$build/fuzz/fuzz_$t
  work=$(mktemp -d)
  cp -r "fuzz/corpus/$t/." "$work/"
  mkdir -p "$work/crashes"
  log=$out/$t.log
  echo "bench/fuzz.sh: fuzzing $t for ${secs}s" >&2
  set +e
  "$bin" "$work" -max_total_time="$secs" -rss_limit_mb=2048 -max_len=65536 -timeout=20 \
    -artifact_prefix="$work/crashes/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  corpus=$(find "$work" -maxdepth 1 -type f | wc -l)
  found=$(find "$work/crashes" -type f | wc -l)
  if ((found)); then
    mkdir -p "tests/fuzz-crashes/$t"
    cp "$work"/crashes/* "tests/fuzz-crashes/$t/"
    status=1
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$t" "$(date -u +%Y-%m-%d)" "$secs" "$execs" "$cov" "$corpus" \
    "$( ((found)) && echo "$found crash(es), rc $rc: tests/fuzz-crashes/$t/" || echo none)" | tee -a "$out/fuzz.md"
  rm -rf "$work"
done
exit $status
