#!/usr/bin/python3
"""Latent-space FWI against grid FWI on held-out OpenFWI maps (issue 16, item 4).

Usage: bench/fwi_compare.py [--seisinr build/seisinr] [--model bench/results/rd/run/model.sinr]
                            [--maps 2] [--iters 20] [--optimizer lbfgs] [--threads 2]
                            [--out bench/results/fwi]

The model is the `fidelity` decoder of bench/rate_distortion.py (trained 30 min on 80% of
../shared/data/openfwi plus synthetic Style maps); the maps inverted are the first --maps of
each real family that it was NOT trained on (its meta marks them held out). For each family,
start and noise level, `seisinr forward` makes the observed gathers (OpenFWI's survey) and
`seisinr invert` runs both spaces from the same start at equal gradient evaluations:
  starts: smooth:10 (the true map blurred by a Gaussian of 10 cells, the literature's start)
          and mean (the mean of the model's trained maps of that family)
  noise:  none, and Gaussian noise at 10 dB SNR (seed 0)
Writes OUT/compare.json (every map's summary) and OUT/compare.md (means per family), and keeps
each run's log.jsonl under OUT/run/.
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import time

import numpy as np

FAMILIES = [("FlatVel", "FlatVelA_200.npy"), ("CurveVel", "CurveVelA_200.npy"), ("Fault", "FaultA_200.npy")]


def model_meta(path):
    with open(path, "rb") as f:
        f.seek(16)
        n = struct.unpack("<Q", f.read(8))[0]
        f.seek(32)
        return json.loads(f.read(n))["meta"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    p.add_argument("--model", default=os.path.join(here, "results", "rd", "run", "model.sinr"))
    p.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    p.add_argument("--maps", type=int, default=2)
    p.add_argument("--iters", type=int, default=20)
    p.add_argument("--optimizer", default="lbfgs")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--starts", default="smooth:10,mean")
    p.add_argument("--noise", default="none,10")
    p.add_argument("--out", default=os.path.join(here, "results", "fwi"))
    a = p.parse_args()
    if not os.path.exists(a.model):
        sys.exit(f"{a.model}: no model; run bench/rate_distortion.py first (it trains the fidelity decoder used here)")
    run = os.path.join(a.out, "run")
    os.makedirs(run, exist_ok=True)
    meta = model_meta(a.model)
    rows = []
    t_all = time.time()
    for fam, fname in FAMILIES:
        held = sorted(m["index"] for m in meta["maps"] if m["family"] == fam and m.get("split") != "trained" and m["file"].endswith(fname))
        idx = held[: a.maps]
        truth = os.path.join(run, f"{fam}_truth.npy")
        np.save(truth, np.load(os.path.join(a.data, fname))[idx].astype(np.float32))
        data = os.path.join(run, f"{fam}_data.npy")
        subprocess.run([a.seisinr, "forward", "--velocity", truth, "--out", data, "--threads", str(a.threads), "--force"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for start in a.starts.split(","):
            for noise in a.noise.split(","):
                for space in ("latent", "grid"):
                    tag = f"{fam}_{start.replace(':', '')}_{noise}_{space}"
                    out = os.path.join(run, tag + ".npy")
                    cmd = [a.seisinr, "invert", "--data", data, "--truth", truth, "--model", a.model, "--space", space,
                           "--init", start, "--family", fam, "--iters", str(a.iters), "--optimizer", a.optimizer,
                           "--threads", str(a.threads), "--out", out, "--force"]
                    if noise != "none":
                        cmd += ["--noise-snr", noise, "--seed", "0"]
                    t0 = time.time()
                    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    for line in open(out[:-4] + ".log.jsonl"):
                        j = json.loads(line)
                        if j.get("final"):
                            j.update(family=fam, file_index=idx[j["map"]], noise=noise, start=start)
                            rows.append(j)
                    print(f"{tag}: {time.time() - t0:.0f} s", flush=True)
                    json.dump({"command": " ".join(sys.argv), "iters": a.iters, "optimizer": a.optimizer, "model": a.model,
                               "rows": rows}, open(os.path.join(a.out, "compare.json"), "w"), indent=1)
    # Means per (family, start, noise, space).
    lines = [f"`bench/fwi_compare.py --maps {a.maps} --iters {a.iters} --optimizer {a.optimizer} --threads {a.threads}`, "
             f"{time.strftime('%Y-%m-%d')}, {time.time() - t_all:.0f} s in all. Means over {a.maps} held-out maps per family; "
             "misfit = ½‖d − d_obs‖² against the (noisy) observed gathers; seconds per map (maps run side by side, one thread each).", "",
             "| family | start | noise | space | misfit start -> end | PSNR start -> end (dB) | SSIM start -> end | s per map |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    keys = []
    for r in rows:
        k = (r["family"], r["start"], r["noise"], r["space"])
        if k not in keys:
            keys.append(k)
    for k in keys:
        g = [r for r in rows if (r["family"], r["start"], r["noise"], r["space"]) == k]
        m = lambda f: float(np.mean([f(r) for r in g]))
        noise = "none" if k[2] == "none" else f"{k[2]} dB SNR"
        lines.append(f"| {k[0]} | {k[1]} | {noise} | {k[3]} | {m(lambda r: r['misfit_start']):.4g} -> {m(lambda r: r['misfit']):.4g} | "
                     f"{m(lambda r: r['start_psnr']):.2f} -> {m(lambda r: r['psnr']):.2f} | {m(lambda r: r['start_ssim']):.3f} -> "
                     f"{m(lambda r: r['ssim']):.3f} | {m(lambda r: r['seconds']):.0f} |")
    open(os.path.join(a.out, "compare.md"), "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
