#!/usr/bin/python3
"""Fidelity of seisinr's code kinds and presets on the real OpenFWI maps, by wall-clock budget.

Usage: bench/fidelity.py [--variants NAME,...] [--minutes M] [--out bench/results/fidelity]
                         [--openfwi ../shared/data/openfwi] [--seisinr build/seisinr] [--threads 2]

Each variant is one `seisinr train` on the 600 maps of FlatVel-A, CurveVel-A and FaultA with the
project's 80/20 split (--holdout 0.2, seed 0), stopped by `--time-limit M` (the first epoch to
end past M minutes is the last), then `seisinr eval` (held-out maps encoded with the decoder
frozen, the default encode budget) and, with --superres, `seisinr eval --resolution 280x280`
(ground truth resampled bilinearly). Results: OUT/NAME/ (run folder, eval.json), OUT/fidelity.json
and OUT/fidelity.md, with bench/linear_baselines.py's figures beside them (run it first).
A variant whose eval.json exists is not rerun. Nothing else should run on the machine meanwhile:
the budget is wall-clock time.
"""
import argparse
import json
import os
import subprocess
import sys
import time

FAMILIES = [("FlatVel", "FlatVelA_200.npy"), ("CurveVel", "CurveVelA_200.npy"), ("Fault", "FaultA_200.npy")]

# name -> (what it is, train arguments). The scouting runs of docs/fidelity.md.
VARIANTS = {
    "small": ("the previous default: global code, SIREN 256x3, random start", ["--preset", "small"]),
    "paper": ("the paper's Table 2 (global code, SIREN 512x4, all points)", ["--preset", "paper"]),
    "fidelity": ("global code + linear path from the PCA start, network's code inputs whitened, "
                 "linear path and codes slow (the recommended preset)", ["--preset", "fidelity"]),
    "linear-same-rates": ("fidelity's model, every part at the network's rate (lr 2e-4, latents 2e-4)",
                          ["--preset", "fidelity", "--linear-lr", "0", "--latent-lr", "2e-4"]),
    "linear-latent-2e-3": ("fidelity's model, latents 2e-3, linear path at lr 2e-4",
                           ["--preset", "fidelity", "--linear-lr", "0", "--latent-lr", "2e-3"]),
    "linear-all-points": ("linear-same-rates with all 4,900 points per map per step",
                          ["--preset", "fidelity", "--linear-lr", "0", "--latent-lr", "2e-4", "--points", "0"]),
    "linear-lr-1e-3": ("linear-same-rates with the network at lr 1e-3",
                       ["--preset", "fidelity", "--linear-lr", "0", "--latent-lr", "2e-4", "--lr", "1e-3"]),
    "grid-8x8x4": ("grid code: 4 channels on 8x8 nodes, bilinear, SIREN 128x3, linear readout from the "
                   "least-squares lattice", ["--preset", "small", "--code", "grid", "--code-grid", "8", "--hidden", "128",
                                             "--linear-path", "--code-init", "linear", "--warmup-steps", "300",
                                             "--lr", "5e-4", "--latent-lr", "5e-3"]),
    "grid-16x16x1": ("grid code: 1 channel on 16x16 nodes, otherwise as grid-8x8x4",
                     ["--preset", "small", "--code", "grid", "--code-grid", "16", "--hidden", "128", "--linear-path",
                      "--code-init", "linear", "--warmup-steps", "300", "--lr", "5e-4", "--latent-lr", "5e-3"]),
    "fidelity-1024": ("fidelity with 1,024 numbers per map", ["--preset", "fidelity", "--latent-dim", "1024"]),
    "refined": ("PCA code, its image sharpened by a convolutional refiner (no SIREN), cross-fitted in 5 folds, "
                "mirrored batches, cosine schedule over 200 epochs", ["--preset", "refined"]),
}


def run(cmd, log):
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    with open(log, "w") as f:
        r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}; see {log}")


def family_rows(ev):
    out = {}
    for fam, _ in FAMILIES:
        f = ev["families"][fam]
        out[fam] = {s: {"psnr": f[s]["psnr"]["mean"], "ssim": f[s]["ssim"]["mean"]} for s in ("trained", "heldout")}
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variants", default="fidelity,small")
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--out", default=os.path.join(here, "results", "fidelity"))
    ap.add_argument("--openfwi", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    ap.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--superres", action="store_true", help="also score 280x280 decodes of every map")
    a = ap.parse_args()
    exe, out = os.path.abspath(a.seisinr), os.path.abspath(a.out)
    data = []
    for fam, f in FAMILIES:
        p = os.path.join(a.openfwi, f)
        if not os.path.exists(p):
            sys.exit(f"missing {p}")
        data += ["--data", f"{p}:{fam}"]
    results_path = os.path.join(out, "fidelity.json")
    results = json.load(open(results_path)) if os.path.exists(results_path) else {}
    for name in a.variants.split(","):
        if name not in VARIANTS:
            sys.exit(f"unknown variant {name}: one of {', '.join(VARIANTS)}")
        what, args = VARIANTS[name]
        tag = f"{name}@{a.minutes:g}min"
        d = os.path.join(out, tag)
        ev_path = os.path.join(d, "eval.json")
        if not os.path.exists(ev_path):
            os.makedirs(d, exist_ok=True)
            t0 = time.time()
            run([exe, "train", *data, "--holdout", "0.2", "--time-limit", str(a.minutes), "--threads", str(a.threads),
                 "--out", os.path.join(d, "run"), "--force", *args], os.path.join(d, "train.log"))
            wall = time.time() - t0
            run([exe, "eval", "--model", os.path.join(d, "run", "model.sinr"), *data, "--threads", str(a.threads),
                 "--json", ev_path], os.path.join(d, "eval.log"))
            with open(os.path.join(d, "wall.json"), "w") as f:
                json.dump({"train_wall_s": wall}, f)
        ev = json.load(open(ev_path))
        log = [json.loads(l) for l in open(os.path.join(d, "run", "log.jsonl"))]
        r = {"variant": name, "what": what, "args": args, "minutes": a.minutes, "epochs": len(log),
             "train_seconds": log[-1]["elapsed"] if log else 0, "families": family_rows(ev),
             "trained": ev["trained"]["psnr"]["mean"], "heldout": ev["heldout"]["psnr"]["mean"]}
        if a.superres:
            sr_path = os.path.join(d, "eval-280.json")
            if not os.path.exists(sr_path):
                run([exe, "eval", "--model", os.path.join(d, "run", "model.sinr"), *data, "--threads", str(a.threads),
                     "--resolution", "280x280", "--json", sr_path], os.path.join(d, "eval-280.log"))
            r["superres_280"] = family_rows(json.load(open(sr_path)))
        results[tag] = r
        with open(results_path, "w") as f:
            json.dump(results, f, indent=1)

    base = {}
    bp = os.path.join(here, "results", "baselines", "baselines.json")
    if os.path.exists(bp):
        for x in json.load(open(bp))["results"]:
            base.setdefault((x["family"], x["split"]), []).append(x)
    lines = ["# Fidelity by wall-clock budget", "",
             f"`/usr/bin/python3 bench/fidelity.py --variants ... --minutes M`: 600 real OpenFWI maps, 80/20 split, "
             f"{a.threads} threads; PSNR dB / SSIM, means per family (seisinr eval; held-out maps encoded, decoder frozen).", ""]
    for split in ("trained", "heldout"):
        lines += [f"## {split}", "", "| variant | budget | epochs | " + " | ".join(f for f, _ in FAMILIES) + " |",
                  "|---|---|---|" + "---|" * len(FAMILIES)]
        for tag, r in results.items():
            cells = [f"{r['families'][f][split]['psnr']:.2f} / {r['families'][f][split]['ssim']:.3f}" for f, _ in FAMILIES]
            lines.append(f"| {r['variant']} | {r['minutes']:g} min | {r['epochs']} | " + " | ".join(cells) + " |")
        for method in dict.fromkeys(x["method"] for k, v in base.items() if k[1] == split for x in v):
            cells = []
            for f, _ in FAMILIES:
                x = next(x for x in base[(f, split)] if x["method"] == method)
                cells.append(f"{x['psnr']:.2f} / {x['ssim']:.3f}")
            lines.append(f"| baseline: {method} | | | " + " | ".join(cells) + " |")
        lines.append("")
    with open(os.path.join(out, "fidelity.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
