#!/usr/bin/python3
"""Held-out encoding: which starting code and how many steps, measured.

Usage: bench/encode_init.py MODEL.sinr DATA.npy:FAMILY... [--seisinr build/seisinr] [--out DIR]
       [--threads 1] [--steps 100,200,400]

MODEL must have been trained with --holdout (e.g. bench/rate_distortion.py's run): the maps its
header marks as held out are written to DIR/heldout.npy and encoded with `seisinr encode` for
every --init (mean, zero, nearest) and step budget. Writes DIR/encode_init.json and prints a
markdown table of held-out PSNR/SSIM per family (seisinr's metrics, which the test suite checks
against scikit-image) and seconds per map.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "py"))
import sinr  # noqa: E402


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("data", nargs="+")
    ap.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    ap.add_argument("--out", default=os.path.join(here, "results", "encode_init"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", default="100,200,400")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    meta, _ = sinr.read(a.model)
    held = {}
    for m in meta["maps"]:
        if m["split"] == "heldout":
            held.setdefault(m["family"], []).append(m["index"])
    args = []
    for spec in a.data:
        path, fam = spec.rsplit(":", 1)
        if fam not in held:
            continue
        maps = np.load(path).reshape(-1, 1, 70, 70)[sorted(held[fam])]
        p = os.path.join(a.out, f"heldout_{fam}.npy")
        np.save(p, maps.astype(np.float32))
        args += ["--data", f"{p}:{fam}"]
    results = []
    for steps in [int(s) for s in a.steps.split(",")]:
        for init in ("mean", "zero", "nearest"):
            js = os.path.join(a.out, f"{init}_{steps}.json")
            t = time.time()
            subprocess.run([a.seisinr, "encode", "--model", a.model, *args, "--out", os.path.join(a.out, "codes.sinr"),
                            "--init", init, "--encode-steps", str(steps), "--threads", str(a.threads), "--json", js],
                           check=True, stdout=subprocess.DEVNULL)
            s = json.load(open(js))
            fams = {}
            for m in s["per_map"]:
                fams.setdefault(m["family"], []).append((m["psnr"], m["ssim"]))
            results.append({"init": init, "steps": steps, "seconds_per_map": s["seconds_per_map"],
                            "families": {f: {"maps": len(v), "psnr": float(np.mean([x[0] for x in v])),
                                             "ssim": float(np.mean([x[1] for x in v]))} for f, v in fams.items()},
                            "psnr": s["psnr"]["mean"], "ssim": s["ssim"]["mean"]})
            print(f"{init} {steps}: {s['psnr']['mean']:.2f} dB, {time.time() - t:.0f} s", file=sys.stderr, flush=True)
    json.dump(results, open(os.path.join(a.out, "encode_init.json"), "w"), indent=1)
    fams = list(results[0]["families"])
    print("| init | steps | " + " | ".join(f"{f} PSNR / SSIM" for f in fams) + " | all PSNR | s/map |")
    print("| --- | --- | " + " | ".join("---" for _ in fams) + " | --- | --- |")
    for r in results:
        print(f"| {r['init']} | {r['steps']} | " +
              " | ".join(f"{r['families'][f]['psnr']:.2f} / {r['families'][f]['ssim']:.3f}" for f in fams) +
              f" | {r['psnr']:.2f} | {r['seconds_per_map']:.3f} |")


if __name__ == "__main__":
    main()
