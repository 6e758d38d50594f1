#!/usr/bin/env bash
# bench/gpu_check.sh — the one prepared GPU run (issue: speed). Under 10 minutes, no exploration.
#
#   bash bench/gpu_check.sh [OUT_DIR]        (default: gpu-check-out; everything is written there)
#
# 1. Configures and builds seisinr against the libtorch that ships with the machine's PyTorch
#    (python3 -c 'import torch' finds it), with ninja, into build-gpu/.
# 2. CPU-side parts, which run everywhere: synthesises 64 maps, trains the tiny preset for 20
#    epochs on the CPU, and times build-gpu/bench/matmul_rate on the CPU.
# 3. With a CUDA device: trains the same run with --device cuda and compares mean PSNR with the
#    CPU run (same seed; not bitwise, the kernels differ): they must agree within 1 dB.
#    Then times the paper configuration (512 x 4, d = 256, batch 32, all points, bf16) on 1,000
#    synthetic maps for 5 epochs, and prints seconds per epoch, the projection for 3,000 epochs,
#    and the fraction of the card's dense bf16 rate (H200: 989 TFLOP/s) it achieves, from
#    6 L H^2 FLOPs per point and step.
# Without a CUDA device it says so and stops after step 2 (exit 0).
set -euo pipefail
OUT=${1:-gpu-check-out}
mkdir -p "$OUT"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
log() { echo "gpu_check: $*" | tee -a "$OUT/summary.txt"; }
: > "$OUT/summary.txt"

PY=${PYTHON:-python3}
TORCH_CMAKE=$($PY -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "share", "cmake", "Torch"))' 2>/dev/null || true)
if [ -z "$TORCH_CMAKE" ] || [ ! -d "$TORCH_CMAKE" ]; then
  TORCH_CMAKE=""
  log "no PyTorch with a CMake package found; configuring with the system libtorch"
fi
GEN=()
command -v ninja >/dev/null && GEN=(-G Ninja)
log "configure: torch at ${TORCH_CMAKE:-system}"
cmake -S "$ROOT" -B "$ROOT/build-gpu" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release -DSEISINR_BUILD_TESTS=OFF \
  ${TORCH_CMAKE:+-DTorch_DIR="$TORCH_CMAKE"} > "$OUT/configure.log" 2>&1 || {
  log "configure failed (see $OUT/configure.log); missing development packages are named there"; exit 1; }
cmake --build "$ROOT/build-gpu" --target seisinr matmul_rate -j "$(nproc)" > "$OUT/build.log" 2>&1 || {
  log "build failed (see $OUT/build.log)"; exit 1; }
S="$ROOT/build-gpu/seisinr"
log "built $("$S" --version)"

# CPU-side parts.
"$S" synth --out "$OUT/data" --count 16 --size 70x70 > /dev/null
"$S" train --data "$OUT/data" --preset tiny --epochs 20 --holdout 0 --threads 0 --device cpu --out "$OUT/cpu" --force \
  > "$OUT/cpu.log" 2>&1
"$S" eval --model "$OUT/cpu/model.sinr" --data "$OUT/data" --json "$OUT/cpu_eval.json" > /dev/null
CPU_PSNR=$($PY -c "import json; print(json.load(open('$OUT/cpu_eval.json'))['trained']['psnr']['mean'])")
log "CPU tiny run: mean PSNR $CPU_PSNR dB"
"$ROOT/build-gpu/bench/matmul_rate" --threads "$(nproc)" > "$OUT/matmul_cpu.json"
log "CPU matmul rate: $(cat "$OUT/matmul_cpu.json")"

if ! $PY -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  log "no CUDA device visible: GPU parts not run"
  exit 0
fi

# Correctness on the GPU against the CPU run.
"$S" train --data "$OUT/data" --preset tiny --epochs 20 --holdout 0 --device cuda --out "$OUT/gpu" --force \
  > "$OUT/gpu.log" 2>&1
"$S" eval --model "$OUT/gpu/model.sinr" --data "$OUT/data" --json "$OUT/gpu_eval.json" > /dev/null
GPU_PSNR=$($PY -c "import json; print(json.load(open('$OUT/gpu_eval.json'))['trained']['psnr']['mean'])")
log "GPU tiny run: mean PSNR $GPU_PSNR dB (CPU $CPU_PSNR dB)"
$PY -c "import sys; sys.exit(0 if abs($GPU_PSNR - $CPU_PSNR) < 1.0 else 1)" || { log "GPU and CPU disagree by 1 dB or more"; exit 1; }

# Timing: the paper's configuration, 1,000 maps, 5 epochs.
"$S" synth --out "$OUT/data1000" --count 200 --size 70x70 > /dev/null
"$S" train --data "$OUT/data1000" --preset paper --epochs 5 --holdout 0 --device cuda --checkpoint-every 1000000 \
  --out "$OUT/paper" --force > "$OUT/paper.log" 2>&1
$PY - "$OUT" <<'EOF' | tee -a "$OUT/summary.txt"
import json, statistics, sys
out = sys.argv[1]
log = [json.loads(l) for l in open(f"{out}/paper/log.jsonl")]
s = statistics.median(e["seconds"] for e in log[1:] or log)
flops = 6 * 4 * 512 ** 2 * 4900 * 1000
print(f"gpu_check: paper config on 1,000 maps: {s:.2f} s/epoch (median after the first), "
      f"3,000 epochs projected {3000 * s / 60:.1f} min; {flops / s / 1e12:.1f} TFLOP/s = "
      f"{100 * flops / s / 989e12:.1f}% of the H200's dense bf16 rate")
EOF
