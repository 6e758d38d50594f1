#!/usr/bin/python3
"""Training speed: seisinr against the plain PyTorch script of the paper's Algorithm 1.

Usage: bench/train_speed.py [--seisinr build/seisinr] [--threads 2] [--runs 3] [--out bench/results/speed]
                            [--openfwi ../shared/data/openfwi] [--quick]

For each configuration, runs `seisinr train` and bench/reference/paper_siren_ad.py on the same
maps with the same architecture, batch, points per step, learning rates, epochs, precision and
thread count, alternating (seisinr, reference, seisinr, ...) --runs times each. Reports the median
over runs of each run's median seconds per epoch, their ratio, and the final mean PSNR of each
(full 70x70 grid, per map, the map's own range; seisinr's from `seisinr eval`).

  paper: 512 x 4 hidden, d = 256, batch 32, all 4,900 points, bf16 (the paper's Table 2),
         first 64 FaultA maps, 5 epochs (the first two fault the process's memory in);
  small: 256 x 3, d = 256, batch 32, 490 random points per map and step, bf16, coordinate
         columns U(+-1/2), latents at lr 2e-3: 256 maps (FaultA and CurveVelA), 30 epochs.
  fidelity: small's network with the linear path (encode/code_init.h) on the same maps; seisinr
         only (no reference script has the linear path); its floor adds the basis products.

Also runs build/bench/matmul_rate for this machine's matrix-product rate, and from it the FLOP
floor of each configuration: 6 L H^2 FLOPs per point and step (forward, backward to inputs,
backward to weights of the L hidden layers; the first and last layers add under 1%).
Writes OUT/train_speed.json and OUT/train_speed.md, and (unless --quick) puts the tables into
docs/performance.md between its train_speed markers. `make bench-speed` builds and runs it.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, **kw):
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r.stdout


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seisinr", default=os.path.join(HERE, "..", "build", "seisinr"))
    ap.add_argument("--matmul", default=os.path.join(HERE, "..", "build", "bench", "matmul_rate"))
    ap.add_argument("--decoder-step", default=os.path.join(HERE, "..", "build", "bench", "decoder_step"))
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(HERE, "results", "speed"))
    ap.add_argument("--openfwi", default=os.path.join(HERE, "..", "..", "shared", "data", "openfwi"))
    ap.add_argument("--quick", action="store_true", help="1 run, 1-2 epochs, few maps: checks the harness only")
    ap.add_argument("--configs", default="", help="comma-separated subset of paper,small,fidelity (default: all)")
    a = ap.parse_args()
    exe = os.path.abspath(a.seisinr)
    os.makedirs(a.out, exist_ok=True)
    fault = np.load(os.path.join(a.openfwi, "FaultA_200.npy")).astype(np.float32)
    curve = np.load(os.path.join(a.openfwi, "CurveVelA_200.npy")).astype(np.float32)
    configs = [
        {"name": "paper", "maps": fault[:64], "epochs": 5, "preset": "paper",
         "ref": ["--hidden", "512", "--layers", "4", "--latent-dim", "256", "--batch", "32", "--points", "0",
                 "--lr", "2e-4", "--latent-lr", "2e-4", "--first-layer-init", "paper", "--amp"],
         "hidden": 512, "layers": 4, "points": 4900},
        {"name": "small", "maps": np.concatenate([fault[:128], curve[:128]]), "epochs": 30, "preset": "small",
         "ref": ["--hidden", "256", "--layers", "3", "--latent-dim", "256", "--batch", "32", "--points", "490",
                 "--lr", "2e-4", "--latent-lr", "2e-3", "--first-layer-init", "coord_half", "--amp"],
         "hidden": 256, "layers": 3, "points": 490},
        # The fidelity preset: small's network plus the linear path (a 256-field basis on the 70x70
        # grid, all of it in each step's product); no reference script implements it.
        {"name": "fidelity", "maps": np.concatenate([fault[:128], curve[:128]]), "epochs": 30, "preset": "fidelity",
         "ref": None, "hidden": 256, "layers": 3, "points": 490, "basis": 256 * 4900},
    ]
    if a.configs:
        configs = [c for c in configs if c["name"] in a.configs.split(",")]
    runs = a.runs
    if a.quick:
        runs = 1
        for c in configs:
            c["maps"], c["epochs"] = c["maps"][:32], 2

    # The machine's product rate: this VM's timings wander by ~10% (docs/performance.md), and
    # noise only ever slows a measurement down, so the best of several runs spread over the
    # benchmark estimates the rate; one slow measurement would put the floor too low.
    rates = [json.loads(run([a.matmul, "--threads", str(a.threads)]))]
    # The decoder's forward and backward alone, per precision, at each configuration's shapes.
    steps = {c["name"]: json.loads(run([a.decoder_step, "--threads", str(a.threads), "--hidden", str(c["hidden"]),
                                        "--layers", str(c["layers"]), "--points", str(c["points"]),
                                        "--reps", "4" if c["name"] == "paper" else "10"]))
             for c in configs}
    results = {"date": time.strftime("%Y-%m-%d"), "cpu": cpu_name(), "threads": a.threads, "decoder_step": steps,
               "configs": []}
    measured = []  # per configuration: its runs' times and PSNRs
    with tempfile.TemporaryDirectory() as tmp:
        for c in configs:
            data = os.path.join(tmp, f"{c['name']}.npy")
            np.save(data, c["maps"].reshape(-1, 1, 70, 70))
            n = len(c["maps"])
            ours, ref, ours_psnr, ref_psnr = [], [], [], []
            # Also the steady state a long run sees: epochs after the first two, whose steps still
            # fault the process's memory in (both implementations).
            ours_steady, ref_steady = [], []
            for r in range(runs):
                run_dir = os.path.join(tmp, f"run_{c['name']}_{r}")
                run([exe, "train", "--data", data, "--preset", c["preset"], "--epochs", str(c["epochs"]), "--holdout", "0",
                     "--threads", str(a.threads), "--checkpoint-every", "1000000", "--out", run_dir, "--force"])
                log = [json.loads(l) for l in open(os.path.join(run_dir, "log.jsonl"))]
                ours.append(statistics.median(e["seconds"] for e in log))
                if len(log) > 2:
                    ours_steady.append(statistics.median(e["seconds"] for e in log[2:]))
                ev = os.path.join(run_dir, "eval.json")
                run([exe, "eval", "--model", os.path.join(run_dir, "model.sinr"), "--data", data, "--threads", str(a.threads),
                     "--json", ev])
                ours_psnr.append(json.load(open(ev))["trained"]["psnr"]["mean"])
                if c["ref"] is None:
                    continue
                rj = os.path.join(tmp, f"ref_{c['name']}_{r}.json")
                run(["/usr/bin/python3", os.path.join(HERE, "reference", "paper_siren_ad.py"), "--data", data, *c["ref"],
                     "--epochs", str(c["epochs"]), "--threads", str(a.threads), "--json", rj])
                rr = json.load(open(rj))
                ref.append(statistics.median(rr["seconds_per_epoch"]))
                if len(rr["seconds_per_epoch"]) > 2:
                    ref_steady.append(statistics.median(rr["seconds_per_epoch"][2:]))
                ref_psnr.append(rr["psnr_mean"])
            rates.append(json.loads(run([a.matmul, "--threads", str(a.threads)])))
            measured.append(dict(c, n=n, ours=ours, ref=ref, ours_psnr=ours_psnr, ref_psnr=ref_psnr,
                                 ours_steady=ours_steady, ref_steady=ref_steady))
    # Best of the measurements for each shape and dtype.
    rate = dict(rates[0])
    rate["results"] = [dict(x, gflops=max(y["gflops"] for r in rates for y in r["results"]
                                          if y["hidden"] == x["hidden"] and y["dtype"] == x["dtype"]))
                       for x in rates[0]["results"]]
    rate["measurements"] = len(rates)
    results["matmul"] = rate
    for c in measured:
        n, ours, ref, ours_psnr, ref_psnr = c["n"], c["ours"], c["ref"], c["ours_psnr"], c["ref_psnr"]
        ours_steady, ref_steady = c["ours_steady"], c["ref_steady"]
        # The linear path's fields m + z·basis: one (d × H·W) product per map, forward and the two
        # backward products (float32; counted at the bf16 rate, so the floor stays a floor).
        flops = 6 * c["layers"] * c["hidden"] ** 2 * c["points"] * n + 6 * c.get("basis", 0) * n
        best = max(x["gflops"] for x in rate["results"] if x["hidden"] == c["hidden"] and x["dtype"] == "bfloat16")
        nan = float("nan")
        entry = {"name": c["name"], "maps": n, "epochs": c["epochs"], "runs": runs,
                 "seisinr_s_per_epoch": statistics.median(ours), "reference_s_per_epoch": statistics.median(ref) if ref else nan,
                 "seisinr_runs": ours, "reference_runs": ref,
                 "speedup": statistics.median(ref) / statistics.median(ours) if ref else nan,
                 "seisinr_psnr": statistics.mean(ours_psnr), "reference_psnr": statistics.mean(ref_psnr) if ref else nan,
                 "flops_per_epoch": flops, "bf16_gflops": best, "floor_s_per_epoch": flops / (best * 1e9)}
        entry["achieved_of_floor"] = entry["floor_s_per_epoch"] / entry["seisinr_s_per_epoch"]
        if ours_steady:
            entry["seisinr_steady_s_per_epoch"] = statistics.median(ours_steady)
            entry["reference_steady_s_per_epoch"] = statistics.median(ref_steady) if ref_steady else nan
            entry["steady_speedup"] = entry["reference_steady_s_per_epoch"] / entry["seisinr_steady_s_per_epoch"]
            entry["steady_achieved_of_floor"] = entry["floor_s_per_epoch"] / entry["seisinr_steady_s_per_epoch"]
        results["configs"].append(entry)
        print(json.dumps(entry), file=sys.stderr, flush=True)
    with open(os.path.join(a.out, "train_speed.json"), "w") as f:
        json.dump(results, f, indent=1)
    md = [f"Measured {results['date']} on {results['cpu']}, {a.threads} threads, with `bench/train_speed.py`"
          f"{' --quick' if a.quick else ''} (median of {runs} alternating runs each).", "",
          "| config | maps | epochs | seisinr s/epoch | reference s/epoch | speed-up | seisinr PSNR | reference PSNR | "
          "FLOP floor s/epoch | achieved / floor |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for e in results["configs"]:
        md.append(f"| {e['name']} | {e['maps']} | {e['epochs']} | {e['seisinr_s_per_epoch']:.2f} | {e['reference_s_per_epoch']:.2f} | "
                  f"{e['speedup']:.2f}x | {e['seisinr_psnr']:.2f} | {e['reference_psnr']:.2f} | {e['floor_s_per_epoch']:.2f} | "
                  f"{100 * e['achieved_of_floor']:.0f}% |")
    md += ["", "Steady state (median over the epochs after the first two, which still fault memory in):", "",
           "| config | seisinr s/epoch | reference s/epoch | speed-up | achieved / floor |", "| --- | --- | --- | --- | --- |"]
    for e in results["configs"]:
        if "steady_speedup" in e:
            md.append(f"| {e['name']} | {e['seisinr_steady_s_per_epoch']:.2f} | {e['reference_steady_s_per_epoch']:.2f} | "
                      f"{e['steady_speedup']:.2f}x | {100 * e['steady_achieved_of_floor']:.0f}% |")
    md += ["", "Matrix-product rate (`build/bench/matmul_rate`, the three products of a hidden layer's step on "
           f"{rate['rows']} rows; best of {rate['measurements']} measurements spread over the benchmark):", "",
           "| hidden | dtype | GFLOP/s |", "| --- | --- | --- |"]
    for x in rate["results"]:
        md.append(f"| {x['hidden']} | {x['dtype']} | {x['gflops']:.1f} |")
    md += ["", "The decoder's step alone (`build/bench/decoder_step`: forward and backward of one batch of 32 maps, "
           "no data, sampling or optimiser; median):", "",
           "| config | precision | forward ms | backward ms | hidden-layer GFLOP/s | of the bf16 rate |", "| --- | --- | --- | --- | --- | --- |"]
    for c in configs:
        best = max(x["gflops"] for x in rate["results"] if x["hidden"] == c["hidden"] and x["dtype"] == "bfloat16")
        for x in steps[c["name"]]["results"]:
            md.append(f"| {c['name']} | {x['precision']} | {x['forward_ms']:.1f} | {x['backward_ms']:.1f} | "
                      f"{x['hidden_gflops']:.1f} | {100 * x['hidden_gflops'] / best:.0f}% |")
    with open(os.path.join(a.out, "train_speed.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    # The measured tables also go into docs/performance.md, between its markers.
    doc = os.path.join(HERE, "..", "docs", "performance.md")
    begin, end = "<!-- train_speed:begin -->", "<!-- train_speed:end -->"
    if not a.quick and not a.configs and os.path.exists(doc):  # only a full run replaces the doc's tables
        text = open(doc).read()
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            with open(doc, "w") as f:
                f.write(head + begin + "\n" + "\n".join(md) + "\n" + end + rest.split(end, 1)[1])
    print("\n".join(md))


if __name__ == "__main__":
    main()
