#!/usr/bin/env bash
# fuzz/make_corpus.sh — regenerates the seed corpus in fuzz/corpus/ (committed; run this only to
# refresh it). Needs the main build (build/seisinr), the fuzz build (build-fuzz/fuzz/fuzz_make_seed,
# made by bench/fuzz.sh) and Debian's python3-numpy.
#   fuzz/make_corpus.sh [MAIN_BUILD] [FUZZ_BUILD]
set -euo pipefail
cd "$(dirname "$0")/.."
main=${1:-build} fz=${2:-build-fuzz}
cli=$main/seisinr seed=$fz/fuzz/fuzz_make_seed
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf fuzz/corpus && mkdir -p fuzz/corpus/{npy,sinr,json_config}

# .npy: what NumPy itself writes, in the layouts the reader accepts.
/usr/bin/python3 - fuzz/corpus/npy <<'PY'
import sys, numpy as np
d = sys.argv[1]
v = (1500 + 3000 * np.random.default_rng(1).random((2, 1, 4, 5))).astype('<f4')
np.save(f"{d}/stack_f4.npy", v)
np.save(f"{d}/stack3_f8_big.npy", v[:, 0].astype('>f8'))
np.save(f"{d}/map_fortran.npy", np.asfortranarray(v[0, 0]))
np.lib.format.write_array(open(f"{d}/v2_header.npy", "wb"), v[0], version=(2, 0))
np.save(f"{d}/one_map_2d.npy", v[1, 0])
PY

# .sinr: a model, a checkpoint, and datasets with and without an error bound (tiny sizes).
"$cli" synth --out "$work/maps" --count 3 --size 8x10 --families FlatVel CurveFault --seed 3 >/dev/null
"$cli" train --data "$work/maps" --out "$work/run" --preset tiny --epochs 2 --holdout 0 --threads 1 >/dev/null 2>&1
"$cli" compress --data "$work/maps" --out "$work/bounded.sinr" --model "$work/run/model.sinr" --max-error 5 \
  --latent-bits 6 --encode-steps 5 --threads 1 >/dev/null 2>&1
"$cli" compress --data "$work/maps" --out "$work/embedded.sinr" --preset tiny --epochs 2 --max-error 2 \
  --no-fallback --encode-steps 5 --threads 1 >/dev/null 2>&1
"$cli" compress --data "$work/maps" --out "$work/latents.sinr" --model "$work/run/model.sinr" --latent-bits 32 \
  --encode-steps 5 --threads 1 >/dev/null 2>&1
for f in run/model run/checkpoint bounded embedded latents; do
  "$seed" "$work/$f.sinr" "fuzz/corpus/sinr/$(basename "$f")"
done

# JSON: the resolved configuration of each preset, as config.json holds it.
for p in tiny small paper; do "$cli" train --preset "$p" --data x --out x --print-config > "fuzz/corpus/json_config/$p.json"; done
du -sh fuzz/corpus/*
