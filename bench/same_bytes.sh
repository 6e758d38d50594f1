#!/bin/bash
# bench/same_bytes.sh — does a change keep seisinr's outputs byte for byte? Runs the same short
# jobs with two builds of the tool on small synthetic data (the tests' scale) and compares every
# file they write: model.sinr and config.json of training runs (tiny, small, fidelity and refined
# presets, a grid code, relu_ff, cosine schedule), --print-config of every preset, eval's
# reconstructions and scores, decode, encode-and-compress, decompress, tiles, report, forward,
# invert (latent and grid, with --uncertainty laplace) and sample. A refactoring must print
# "all N outputs identical"; any difference is listed (cmp) and the script exits 1.
#
# Usage: bash bench/same_bytes.sh BASE_SEISINR NEW_SEISINR [WORK_DIR]
#   e.g. git worktree add /tmp/base <commit>; build it; then
#        bash bench/same_bytes.sh /tmp/base/build/seisinr build/seisinr
# Logs with timings (log.jsonl, *.log.jsonl) and JSON fields that hold seconds (also in the headers
# of model.sinr and checkpoint.sinr, whose sections are compared byte for byte) are left out of the
# comparison; everything else must match exactly. About 4 minutes on 2 cores.
set -u
BASE=$(realpath "$1"); NEW=$(realpath "$2"); WORK=${3:-$(mktemp -d)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$WORK"
run_all() {  # $1: the tool, $2: its output folder
  local S=$1 O=$2
  rm -rf "$O"; mkdir -p "$O"
  cd "$O" || exit 2
  "$S" synth --families FlatVel CurveVel FlatFault --count 12 --seed 7 --size 24x24 --out maps >/dev/null
  "$S" synth --families CurveVel --count 1 --seed 3 --size 60x60 --out big >/dev/null
  for p in paper small fidelity refined tiny; do "$S" train --preset $p --print-config > config_$p.json; done
  "$S" train --data maps --preset tiny --epochs 6 --threads 1 --holdout 0.25 --out tiny >/dev/null 2>&1
  "$S" train --data maps --preset tiny --epochs 4 --threads 1 --code grid --code-grid 2 --latent-dim 16 --out grid >/dev/null 2>&1
  "$S" train --data maps --preset tiny --epochs 4 --threads 1 --activation relu_ff --lr-schedule cosine --out ff >/dev/null 2>&1
  "$S" train --data maps --preset small --epochs 2 --threads 1 --hidden 32 --out small >/dev/null 2>&1
  "$S" train --data maps --preset fidelity --epochs 3 --threads 1 --hidden 32 --latent-dim 8 --out fidelity >/dev/null 2>&1
  "$S" train --data maps --preset refined --epochs 3 --threads 1 --latent-dim 8 --refiner-width 4 --out refined >/dev/null 2>&1
  "$S" eval --model tiny/model.sinr --data maps --threads 1 --encode-steps 20 --json eval.json --save eval.npy >/dev/null 2>&1
  "$S" eval --model refined/model.sinr --data maps --threads 1 --encode-steps 10 --json eval_refined.json --save eval_refined.npy >/dev/null 2>&1
  "$S" decode --model tiny/model.sinr --all --resolution 30x30 --threads 1 --out decode.npy >/dev/null 2>&1
  "$S" compress --data maps --model tiny/model.sinr --max-error 20 --encode-steps 10 --threads 1 --out packed.sinr --json packed.json >/dev/null 2>&1
  "$S" compress --data maps --model fidelity/model.sinr --init mean --encode-steps 10 --threads 1 --out packed_mean.sinr >/dev/null 2>&1
  "$S" decompress packed.sinr --threads 1 --out unpacked.npy >/dev/null 2>&1
  "$S" compress --data big --model tiny/model.sinr --tiles on --max-error 30 --encode-steps 5 --threads 1 --out tiled.sinr >/dev/null 2>&1
  "$S" decompress tiled.sinr --threads 1 --out untiled.npy >/dev/null 2>&1
  "$S" report --model tiny/model.sinr --data maps --encode-steps 10 --threads 1 --out report >/dev/null 2>&1
  "$S" forward --velocity maps/FlatVel.npy --threads 1 --out gathers.npy >/dev/null 2>&1
  "$S" invert --data gathers.npy --model tiny/model.sinr --iters 3 --threads 1 --out inv_latent.npy >/dev/null 2>&1
  "$S" invert --data gathers.npy --model tiny/model.sinr --iters 2 --threads 1 --uncertainty laplace --rank 2 --samples 2 --out inv_post.npy >/dev/null 2>&1
  "$S" invert --data gathers.npy --model tiny/model.sinr --space grid --optimizer adam --iters 2 --threads 1 --out inv_grid.npy >/dev/null 2>&1
  "$S" sample --model tiny/model.sinr --family FlatVel --count 3 --seed 1 --threads 1 --out sample.npy >/dev/null 2>&1
  # Seconds and paths are not outputs: drop them from the JSON files before comparing.
  for j in eval.json eval_refined.json packed.json; do
    [ -f "$j" ] && /usr/bin/python3 -c "
import json, sys
def strip(v):
    if isinstance(v, dict): return {k: strip(x) for k, x in v.items() if 'second' not in k and k not in ('time', 'elapsed', 'path', 'file', 'out')}
    if isinstance(v, list): return [strip(x) for x in v]
    return v
json.dump(strip(json.load(open('$j'))), open('$j.cmp', 'w'), sort_keys=True)" && rm "$j"
  done
  # A training run's files record its seconds (meta.training.seconds_this_run): compare everything
  # else — the header without fields named *second*, and every section's bytes.
  for f in */model.sinr */checkpoint.sinr; do
    [ -f "$f" ] && /usr/bin/python3 -c "
import hashlib, json, sys
sys.path.insert(0, '$ROOT/tests/py')
import sinr
meta, sections = sinr.read('$f')
def strip(v):
    if isinstance(v, dict): return {k: strip(x) for k, x in v.items() if 'second' not in k}
    if isinstance(v, list): return [strip(x) for x in v]
    return v
out = {'header': strip(meta), 'sections': {k: hashlib.sha256(v.tobytes()).hexdigest() + str(v.dtype) + str(v.shape) for k, v in sections.items()}}
json.dump(out, open('$f.cmp', 'w'), sort_keys=True)" && rm "$f"
  done
  find . -name "*.log.jsonl" -delete; find . -name "log.jsonl" -delete; find . -name "*.lock" -delete
}
run_all "$BASE" "$WORK/base"
run_all "$NEW" "$WORK/new"
cd "$WORK" || exit 2
n=0; bad=0
while IFS= read -r f; do
  n=$((n + 1))
  if [ ! -f "new/$f" ]; then echo "missing in new: $f"; bad=$((bad + 1)); continue; fi
  cmp -s "base/$f" "new/$f" || { echo "differs: $f"; bad=$((bad + 1)); }
done < <(cd base && find . -type f | sort)
extra=$(cd new && find . -type f | sort | while read -r f; do [ -f "../base/$f" ] || echo "$f"; done)
[ -n "$extra" ] && { echo "only in new: $extra"; bad=$((bad + 1)); }
if [ "$bad" -eq 0 ]; then echo "all $n outputs identical ($WORK)"; exit 0; fi
echo "$bad of $n outputs differ ($WORK)"; exit 1
