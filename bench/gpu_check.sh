#!/usr/bin/env bash
# bench/gpu_check.sh — the one prepared GPU run (issue 26). About 6 minutes, no exploration.
#
#   bash bench/gpu_prepare.sh                 here, once: packages and maps into build-gpu-deps/
#   bash bench/gpu_check.sh [OUT_DIR]         on the GPU machine (device tool: carry build-gpu-deps)
#
# OUT_DIR gets logs and JSON only (run folders go to a temporary folder). Every step appends to OUT_DIR/summary.txt as it finishes, so a run cut short keeps what it measured;
# a step that fails is logged and the independent steps after it still run.
#
# 1. Unpacks build-gpu-deps/debs into /opt/deps (dpkg -x; the machine has no -dev packages), then
#    configures seisinr against the libtorch inside the machine's PyTorch wheel (Torch_DIR from
#    `import torch`) with ninja into build-gpu/ and builds the seisinr program and bench/cuda_layers,
#    which compares the fused layers' CUDA kernels and libtorch's operations with float32.
# 2. Tiny preset, 80 synthetic maps (16 per family), 20 epochs, on the CPU and on the GPU: mean PSNR of each and
#    their difference (issue 26: within 0.1 dB; the kernels differ, so not bitwise).
# 3. The paper configuration (512 x 4, d = 256, batch 32, all 4,900 points, bf16) on the 600 shared
#    maps, 10 epochs: seisinr --device cuda, with and without its CUDA kernels (SEISINR_CUDA_KERNELS=0),
#    beside bench/reference/paper_siren_ad.py --device cuda
#    --amp (the plain PyTorch script, same GPU, same maps); seconds per epoch (median after the first),
#    their ratio, and the fraction of the floor: 6 L H^2 FLOPs per point and step at the card's
#    dense bf16 rate (H100 SXM and H200: 989 TFLOP/s; H100 PCIe: 756; A100: 312; another card:
#    BF16_TFLOPS=N, else 989 is assumed and the line says so).
# 4. The default preset (refined) on the 600 maps, 10 epochs on the GPU: seconds per epoch.
# 5. The paper's recipe on 1,000 maps (600 shared + 400 synthetic) for 10 epochs: seconds per
#    epoch and the projection for its 3,000 epochs.
# 6. Encoding: the default preset trained 10 epochs on 480 of the maps (--holdout 0.2), then
#    `seisinr eval --device cuda` timed end to end (it encodes the 120 held-out maps, 200 Adam steps
#    each, and decodes the trained ones); the same command on 2 CPU cores is timed where the
#    docs say (docs/performance.md).
# Without a CUDA device it says so after step 2 (exit 0). GPU_CHECK_STEPS="layers tiny paper refined
# encode recipe" (any subset; default all) runs only those steps, for a rerun on little device time.
set -uo pipefail
OUT=${1:-gpu-check-out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d)  # run folders and data: large, not brought back
DEPS="$ROOT/build-gpu-deps"
T0=$(date +%s)
log() { echo "gpu_check [$(( $(date +%s) - T0 )) s]: $*" | tee -a "$OUT/summary.txt"; }
: > "$OUT/summary.txt"
PY=${PYTHON:-python3}
NPROC=$(nproc)
STEPS=${GPU_CHECK_STEPS:-all}
want() { [ "$STEPS" = all ] || [[ " $STEPS " == *" $1 "* ]]; }

# 1. Dependencies and build.
if [ -d "$DEPS/debs" ]; then
  mkdir -p /opt/deps
  for d in "$DEPS"/debs/*.deb; do dpkg -x "$d" /opt/deps; done
  sed -i 's|^prefix=/usr$|prefix=/opt/deps/usr|' /opt/deps/usr/lib/x86_64-linux-gnu/pkgconfig/*.pc /opt/deps/usr/share/pkgconfig/*.pc 2>/dev/null
  export LD_LIBRARY_PATH=/opt/deps/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  export PKG_CONFIG_PATH=/opt/deps/usr/lib/x86_64-linux-gnu/pkgconfig:/opt/deps/usr/share/pkgconfig
  PREFIX=(-DCMAKE_PREFIX_PATH=/opt/deps/usr)
  command -v pkg-config >/dev/null || PREFIX+=(-DPKG_CONFIG_EXECUTABLE=/opt/deps/usr/bin/pkgconf)
  log "unpacked $(ls "$DEPS"/debs/*.deb | wc -l) packages into /opt/deps"
else
  PREFIX=()
  log "no $DEPS/debs (run bench/gpu_prepare.sh first where apt works): using the system's packages"
fi
TORCH_CMAKE=$($PY -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "share", "cmake", "Torch"))' 2>/dev/null || true)
[ -n "$TORCH_CMAKE" ] && [ -d "$TORCH_CMAKE" ] || TORCH_CMAKE=""
log "torch: $($PY -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no device")' 2>&1 | tail -1)"
GEN=()
command -v ninja >/dev/null && GEN=(-G Ninja)
cmake -S "$ROOT" -B "$ROOT/build-gpu" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release -DSEISINR_BUILD_TESTS=OFF \
  -DSEISINR_BUILD_BENCH=ON -DSEISINR_MPI=OFF "${PREFIX[@]}" ${TORCH_CMAKE:+-DTorch_DIR="$TORCH_CMAKE"} \
  > "$OUT/configure.log" 2>&1 || { log "configure failed:"; tail -20 "$OUT/configure.log" | tee -a "$OUT/summary.txt"; exit 1; }
cmake --build "$ROOT/build-gpu" --target seisinr cuda_layers -j "$NPROC" > "$OUT/build.log" 2>&1 || {
  log "build failed:"; grep -m 20 -B2 -A6 "error" "$OUT/build.log" | tee -a "$OUT/summary.txt"; exit 1; }
S="$ROOT/build-gpu/seisinr"
log "built $("$S" --version) against ${TORCH_CMAKE:-the system libtorch}"
log "$(grep -m1 'seisinr: CUDA' "$OUT/configure.log" || echo 'no CUDA kernels configured')"

psnr() { $PY -c "import json,sys; print(json.load(open(sys.argv[1]))['trained']['psnr']['mean'])" "$1"; }
epoch_s() {  # median seconds per epoch after the first, from a run folder's log.jsonl
  $PY -c "
import json, statistics, sys
e = [json.loads(l) for l in open(sys.argv[1] + '/log.jsonl')]
e = [x['seconds'] for x in e if 'seconds' in x]
print(statistics.median(e[1:] or e))" "$1"; }

last() {  # a field of the last line of a run folder's log.jsonl
  $PY -c "import json, sys; print(json.loads(open(sys.argv[1] + '/log.jsonl').read().splitlines()[-1])[sys.argv[2]])" "$1" "$2"; }

# 1b. The fused layers alone: CUDA kernels and libtorch's operations against float32 (bench/cuda_layers.cpp).
if ! want layers; then :
elif "$ROOT/build-gpu/bench/cuda_layers" --maps 32 > "$OUT/cuda_layers.json" 2> "$OUT/cuda_layers.err"; then
  log "fused layers, 32 maps x 4,900 points: $($PY -c "
import json, sys
j = json.load(open(sys.argv[1]))
print('; '.join(f\"{p['path']}: output {p['output_rel']:.2e}, worst gradient {p['worst_grad_rel']:.2e} (relative to float32), {p['ms']:.2f} ms forward + backward\" for p in j['paths']))" "$OUT/cuda_layers.json")"
else
  log "cuda_layers failed: $(tail -2 "$OUT/cuda_layers.err")"
fi

# 2. Tiny preset, CPU against GPU.
if want tiny; then
"$S" synth --out "$W/tiny_data" --count 16 --size 70x70 > /dev/null
"$S" train --data "$W/tiny_data" --preset tiny --epochs 20 --holdout 0 --threads 0 --device cpu --out "$W/tiny_cpu" --force \
  > "$OUT/tiny_cpu.log" 2>&1 && "$S" eval --model "$W/tiny_cpu/model.sinr" --data "$W/tiny_data" --json "$OUT/tiny_cpu_eval.json" > /dev/null \
  && CPU_PSNR=$(psnr "$OUT/tiny_cpu_eval.json") && log "tiny, CPU: mean PSNR $CPU_PSNR dB" || log "tiny CPU run failed (tiny_cpu.log)"
fi
if ! $PY -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  log "no CUDA device visible: GPU parts not run"; exit 0
fi
if want tiny; then
"$S" train --data "$W/tiny_data" --preset tiny --epochs 20 --holdout 0 --device cuda --out "$W/tiny_gpu" --force \
  > "$OUT/tiny_gpu.log" 2>&1 && "$S" eval --model "$W/tiny_gpu/model.sinr" --data "$W/tiny_data" --json "$OUT/tiny_gpu_eval.json" > /dev/null \
  && GPU_PSNR=$(psnr "$OUT/tiny_gpu_eval.json") && log "tiny, GPU: mean PSNR $GPU_PSNR dB; |GPU - CPU| = $($PY -c "print(f'{abs($GPU_PSNR - ${CPU_PSNR:-nan}):.4f}')") dB" \
  || { log "tiny GPU run failed:"; tail -5 "$OUT/tiny_gpu.log" | tee -a "$OUT/summary.txt"; }
fi

# 3. Paper configuration, 600 maps, seisinr against the PyTorch script.
MAPS=()
for f in "$DEPS"/data/*.npy; do MAPS+=(--data "$f"); done
FLOOR_PY="
import sys
s, maps = float(sys.argv[1]), int(sys.argv[2])
flops = 6 * 4 * 512 ** 2 * 4900 * maps
import os, torch
name = torch.cuda.get_device_name(0)
rates = {'H100 PCIe': 756, 'H100 NVL': 835, 'H100': 989, 'H200': 989, 'A100': 312}
rate = os.environ.get('BF16_TFLOPS') or next((r for k, r in rates.items() if k in name), None)
said = f'{name}, {rate} TFLOP/s' if rate else f'{name} not in the table: 989 TFLOP/s assumed'
rate = float(rate or 989) * 1e12
print(f'{flops / rate / s * 100:.1f}% of the bf16 floor ({flops / rate:.4f} s per epoch; {said})')"
if [ ${#MAPS[@]} -gt 0 ] && want paper; then
  timeout 120 "$S" train "${MAPS[@]}" --preset paper --epochs 10 --holdout 0 --device cuda --checkpoint-every 1000000 \
    --out "$W/paper600" --force > "$OUT/paper600.log" 2>&1 && SE=$(epoch_s "$W/paper600") \
    && log "paper config, 600 maps, seisinr: $SE s/epoch; $($PY -c "$FLOOR_PY" "$SE" 600)" \
    || { log "seisinr paper run failed:"; tail -5 "$OUT/paper600.log" | tee -a "$OUT/summary.txt"; }
  # The same without the CUDA kernels (libtorch's elementwise operations): what they bring, and
  # the loss they reach (the two paths round differently; the losses should be close).
  SEISINR_CUDA_KERNELS=0 timeout 120 "$S" train "${MAPS[@]}" --preset paper --epochs 10 --holdout 0 --device cuda \
    --checkpoint-every 1000000 --out "$W/paper600_nok" --force > "$OUT/paper600_nok.log" 2>&1 && SN=$(epoch_s "$W/paper600_nok") \
    && log "paper config, 600 maps, seisinr without its CUDA kernels: $SN s/epoch; last loss: kernels $(last "$W/paper600" loss), without $(last "$W/paper600_nok" loss); psnr_est $(last "$W/paper600" psnr_est) / $(last "$W/paper600_nok" psnr_est)" \
    || { log "seisinr paper run without kernels failed:"; tail -5 "$OUT/paper600_nok.log" | tee -a "$OUT/summary.txt"; }
  timeout 120 $PY "$ROOT/bench/reference/paper_siren_ad.py" "${MAPS[@]}" --epochs 10 --amp --device cuda \
    --json "$OUT/pytorch600.json" > "$OUT/pytorch600.log" 2>&1 \
    && PT=$($PY -c "import json,statistics; s=json.load(open('$OUT/pytorch600.json'))['seconds_per_epoch']; print(statistics.median(s[1:]))") \
    && log "paper config, 600 maps, PyTorch script: $PT s/epoch; $($PY -c "$FLOOR_PY" "$PT" 600); last loss $(tail -2 "$OUT/pytorch600.log" | head -1)" \
    || { log "PyTorch script failed:"; tail -5 "$OUT/pytorch600.log" | tee -a "$OUT/summary.txt"; }
  [ -n "${SE:-}" ] && [ -n "${PT:-}" ] && log "seisinr / PyTorch time per epoch: $($PY -c "print(f'{$SE / $PT:.2f}')") (issue 26: at most 0.5)"
fi

if [ ${#MAPS[@]} -gt 0 ] && want refined; then  # 4. The default preset on the GPU.
  timeout 90 "$S" train "${MAPS[@]}" --epochs 10 --holdout 0 --device cuda --checkpoint-every 1000000 \
    --out "$W/refined600" --force > "$OUT/refined600.log" 2>&1 && RE=$(epoch_s "$W/refined600") \
    && log "default preset (refined), 600 maps: $RE s/epoch (its 200 epochs: $($PY -c "print(f'{200 * $RE:.0f}')") s)" \
    || { log "refined run failed:"; tail -5 "$OUT/refined600.log" | tee -a "$OUT/summary.txt"; }
fi

# 6. Encoding held-out maps on the GPU.
if [ ${#MAPS[@]} -gt 0 ] && want encode; then
  timeout 90 "$S" train "${MAPS[@]}" --epochs 10 --holdout 0.2 --device cuda --checkpoint-every 1000000 \
    --out "$W/refined_ho" --force > "$OUT/refined_ho.log" 2>&1 || log "refined --holdout 0.2 run failed (refined_ho.log)"
  T1=$(date +%s.%N)
  timeout 120 "$S" eval --model "$W/refined_ho/model.sinr" "${MAPS[@]}" --device cuda --json "$OUT/encode_gpu.json" \
    > "$OUT/encode_gpu.log" 2>&1 && T2=$(date +%s.%N) \
    && log "eval --device cuda (120 held-out maps encoded, 480 trained decoded): $($PY -c "print(f'{$T2 - $T1:.1f}')") s; held-out PSNR $($PY -c "import json; print(round(json.load(open('$OUT/encode_gpu.json'))['heldout']['psnr']['mean'], 2))") dB" \
    || { log "eval --device cuda failed:"; tail -5 "$OUT/encode_gpu.log" | tee -a "$OUT/summary.txt"; }
fi

# 5. The paper's recipe on 1,000 maps, 10 epochs.
if want recipe; then
"$S" synth --out "$W/synth400" --count 80 --size 70x70 > /dev/null
timeout 120 "$S" train "${MAPS[@]}" --data "$W/synth400" --preset paper --epochs 10 --holdout 0 --device cuda \
  --checkpoint-every 1000000 --out "$W/paper1000" --force > "$OUT/paper1000.log" 2>&1 && P1=$(epoch_s "$W/paper1000") \
  && log "paper recipe, 1,000 maps: $P1 s/epoch, loss $(last "$W/paper1000" loss); 3,000 epochs projected $($PY -c "print(f'{3000 * $P1 / 60:.1f}')") min (issue 26: at most 5)" \
  || { log "1,000-map run failed:"; tail -5 "$OUT/paper1000.log" | tee -a "$OUT/summary.txt"; }
fi
log "done"
