#!/usr/bin/python3
"""Held-out fidelity against the number of training maps (issue 14, item 3).

Usage: bench/scaling.py [--sizes 600,2000,10000] [--minutes 30] [--preset fidelity]
                        [--extra SCRATCH] [--work SCRATCH/scaling] [--out bench/results/scaling]
                        [--openfwi ../shared/data/openfwi] [--seisinr build/seisinr] [--threads 2]

The held-out maps are always the same: the 120 maps (40 per family) that seisinr's 80/20 split
(holdout 0.2, seed 0) keeps out of FlatVel-A, CurveVel-A and FaultA in ../shared/data/openfwi.
Size 600 trains on the 480 maps the split keeps in (the standard run); a larger size N adds
(N - 480) / 2 maps of FlatVel-A and as many of CurveVel-A from OpenFWI's training sets
(../shared/data/openfwi-train, unpacked into SCRATCH/FlatVelA and SCRATCH/CurveVelA, vmodel1.npy
onward, in order). No FaultA training set exists, so FaultA keeps its 160 maps at every size.

Per size: the training maps are written to WORK/<tag>/<family>.npy (outside the repository: up to
200 MB), `seisinr train --holdout 0 --out WORK/<tag>/run
--preset P --time-limit M` learns them, and `seisinr eval` on the three openfwi files scores the
trained maps (found by hash) and encodes the held-out ones with the decoder frozen (default
encode budget). Beside each size: PCA with as many components as the code has numbers, fitted on
the same N training maps (all families pooled, as bench/linear_baselines.py does), applied to the
held-out maps; scikit-image metrics. Results: OUT/<tag>/{eval.json,train.json,*.log}, OUT/scaling.json and
OUT/scaling.md. A size whose
eval.json exists is not rerun. The budget is wall-clock time: nothing else should run meanwhile.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from linear_baselines import FAMILIES, heldout_indices, pca_apply, pca_fit, scores  # noqa: E402

EXTRA = {"FlatVel": "FlatVelA", "CurveVel": "CurveVelA"}


def run(cmd, log):
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    with open(log, "w") as f:
        r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}; see {log}")


def load_extra(folder, count):
    """The first `count` maps of folder/vmodel1.npy, vmodel2.npy, ... as (count, 70, 70) float32."""
    out, k = [], 1
    while sum(len(x) for x in out) < count:
        p = os.path.join(folder, f"vmodel{k}.npy")
        if not os.path.exists(p):
            sys.exit(f"{folder} holds fewer than {count} maps (missing {p}); unpack openfwi-train there")
        m = np.load(p)
        if m.ndim != 4 or m.shape[1:] != (1, 70, 70) or m.dtype != np.float32:
            sys.exit(f"{p}: expected (n, 1, 70, 70) float32, found {m.shape} {m.dtype}")
        out.append(m.reshape(len(m), 70, 70))
        k += 1
    return np.concatenate(out)[:count]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="600,2000,10000")
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--preset", default="fidelity")
    ap.add_argument("--numbers", type=int, default=256, help="values per map: the code size and PCA's k")
    ap.add_argument("--extra", default=os.path.join(here, "..", "..", "scratch"),
                    help="folder holding the unpacked openfwi-train sets FlatVelA/ and CurveVelA/")
    ap.add_argument("--work", default=os.path.join(here, "..", "..", "scratch", "scaling"),
                    help="where the training sets and run folders go (large; keep it outside the repository)")
    ap.add_argument("--out", default=os.path.join(here, "results", "scaling"))
    ap.add_argument("--openfwi", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    ap.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    exe, out = os.path.abspath(a.seisinr), os.path.abspath(a.out)

    test_specs, trained, heldout = [], {}, {}
    for fam, f in FAMILIES:
        p = os.path.join(a.openfwi, f)
        if not os.path.exists(p):
            sys.exit(f"missing {p}")
        m = np.load(p)
        m = m.reshape(len(m), 70, 70).astype(np.float32)
        held = heldout_indices(fam, len(m), 0.2, 0)
        trained[fam], heldout[fam] = np.delete(m, held, axis=0), m[held]
        test_specs += ["--data", f"{p}:{fam}"]
    base = sum(len(v) for v in trained.values())

    results_path = os.path.join(out, "scaling.json")
    results = json.load(open(results_path)) if os.path.exists(results_path) else {}
    for size in (int(s) for s in a.sizes.split(",")):
        extra = 0 if size <= 600 else (size - base) // 2
        tag = f"{a.preset}-{size}@{a.minutes:g}min"
        d, w = os.path.join(out, tag), os.path.join(os.path.abspath(a.work), tag)
        os.makedirs(d, exist_ok=True)
        os.makedirs(w, exist_ok=True)
        maps = {fam: trained[fam] if fam not in EXTRA or extra == 0 else
                np.concatenate([trained[fam], load_extra(os.path.join(a.extra, EXTRA[fam]), extra)])
                for fam, _ in FAMILIES}
        n_train = sum(len(v) for v in maps.values())
        specs = []
        for fam, m in maps.items():
            p = os.path.join(w, f"{fam}.npy")
            if not os.path.exists(p):
                np.save(p, m.reshape(len(m), 1, 70, 70))
            specs += ["--data", f"{p}:{fam}"]
        ev_path = os.path.join(d, "eval.json")
        if not os.path.exists(ev_path):
            t0 = time.time()
            run([exe, "train", *specs, "--holdout", "0", "--preset", a.preset, "--latent-dim", str(a.numbers),
                 "--time-limit", str(a.minutes), "--threads", str(a.threads), "--out", os.path.join(w, "run"),
                 "--force"], os.path.join(d, "train.log"))
            wall = time.time() - t0
            run([exe, "eval", "--model", os.path.join(w, "run", "model.sinr"), *test_specs, "--threads", str(a.threads),
                 "--json", ev_path], os.path.join(d, "eval.log"))
            log = [json.loads(l) for l in open(os.path.join(w, "run", "log.jsonl"))]
            with open(os.path.join(d, "train.json"), "w") as f:
                json.dump({"train_wall_s": wall, "epochs": len(log), "train_seconds": log[-1]["elapsed"],
                           "last_epoch": log[-1]}, f, indent=1)
        ev, tr = json.load(open(ev_path)), json.load(open(os.path.join(d, "train.json")))
        mean, basis = pca_fit(np.concatenate(list(maps.values())), a.numbers)
        r = {"size": size, "training_maps": {f: len(m) for f, m in maps.items()}, "n_train": n_train,
             "preset": a.preset, "minutes": a.minutes, "epochs": tr["epochs"],
             "train_seconds": tr["train_seconds"], "families": {}}
        for fam, _ in FAMILIES:
            e = ev["families"][fam]
            pca = scores(heldout[fam], pca_apply(heldout[fam], mean, basis).astype(np.float32))
            r["families"][fam] = {
                "heldout": {"psnr": e["heldout"]["psnr"]["mean"], "ssim": e["heldout"]["ssim"]["mean"]},
                "trained": {"psnr": e["trained"]["psnr"]["mean"], "ssim": e["trained"]["ssim"]["mean"]},
                "pca_heldout": {"psnr": pca["psnr"], "ssim": pca["ssim"]}}
            print(f"{size:6d} {fam:9s} seisinr held-out {e['heldout']['psnr']['mean']:6.2f}  "
                  f"PCA-{a.numbers} {pca['psnr']:6.2f}", file=sys.stderr, flush=True)
        results[tag] = r
        with open(results_path, "w") as f:
            json.dump(results, f, indent=1)

    lines = ["# Held-out fidelity against the number of training maps", "",
             f"`/usr/bin/python3 bench/scaling.py --sizes ... --minutes M`: the same 120 held-out maps (seisinr's split "
             "of ../shared/data/openfwi) at every size; extra training maps from OpenFWI's FlatVel-A and CurveVel-A "
             f"training sets (none exist for FaultA); {a.threads} threads. PSNR dB / SSIM, means per family; "
             "seisinr: `seisinr eval` (held-out maps encoded, decoder frozen); PCA: as many components as the "
             "code has numbers, fitted on the same training maps.", "",
             "| preset, budget | training maps (Flat / Curve / Fault) | epochs | method | "
             + " | ".join(f for f, _ in FAMILIES) + " |", "|---|---|---|---|" + "---|" * len(FAMILIES)]
    for tag, r in sorted(results.items(), key=lambda kv: kv[1]["n_train"]):
        tm = r["training_maps"]
        who = f"{r['n_train']:,} ({tm['FlatVel']} / {tm['CurveVel']} / {tm['Fault']})"
        cells = [f"{r['families'][f]['heldout']['psnr']:.2f} / {r['families'][f]['heldout']['ssim']:.3f}" for f, _ in FAMILIES]
        lines.append(f"| {r['preset']}, {r['minutes']:g} min | {who} | {r['epochs']} | seisinr held-out | " + " | ".join(cells) + " |")
        cells = [f"{r['families'][f]['pca_heldout']['psnr']:.2f} / {r['families'][f]['pca_heldout']['ssim']:.3f}" for f, _ in FAMILIES]
        lines.append(f"| | | | PCA-{a.numbers} held-out | " + " | ".join(cells) + " |")
        cells = [f"{r['families'][f]['trained']['psnr']:.2f} / {r['families'][f]['trained']['ssim']:.3f}" for f, _ in FAMILIES]
        lines.append(f"| | | | seisinr trained (of the 480) | " + " | ".join(cells) + " |")
    lines.append("")
    with open(os.path.join(out, "scaling.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
