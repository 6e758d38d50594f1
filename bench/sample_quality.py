#!/usr/bin/python3
"""New maps drawn by `seisinr sample` against real maps the model never saw (issue 29, item 4).

Usage: bench/sample_quality.py --model RUN/model.sinr [--seisinr build/seisinr] [--count 1000]
                               [--densities gaussian,kernel:0.5] [--offset 0] [--names FlatVel,CurveVel,Fault]
                               [--openfwi ../shared/data/openfwi] [--train ../shared/data/openfwi-train]
                               [--scratch /tmp/seisinr-openfwi-train] [--out bench/results/sample]

For each family the model was trained on and each density named by --densities (model/sampler.h:
`gaussian`, or `kernel:H` at bandwidth H), `seisinr sample --count N --seed 0 --density ...` draws
N maps, and they are compared with N real maps never trained on: for FlatVel-A and CurveVel-A N
maps of ../shared/data/openfwi-train from map --offset on, unzipped into --scratch (outside the
repository); the default bandwidth was chosen at --offset 2000 and is reported at 0. FaultA has no
training set there, so its reference is the maps of the 200-map test file the model held out
(40 with the project's split: a small reference, said so in the table). Measured:

  speed W1       Wasserstein-1 distance between the speed histograms (m/s)
  gradient W1    the same for the vertical gradient v[z+1] - v[z] (m/s per cell)
  precision      the fraction of drawn maps inside the real maps' manifold, recall the fraction of
                 real maps inside the drawn maps' (Kynkaenniemi et al. 2019: k = 3 nearest-neighbour
                 balls in the space of the real maps' first 32 principal components)
  nearest        the median RMSE (m/s) from each map to its nearest trained map of the family

against two references: a second set of N real maps (FlatVel-A, CurveVel-A: the next N of the
training set), the floor any generator is measured against; and the family's trained maps
themselves (perfect copies: high precision, low recall, nearest = 0). Writes OUT/sample.json and .md.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import numpy as np
from scipy.stats import wasserstein_distance

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from linear_baselines import FAMILIES, heldout_indices  # noqa: E402

TRAIN_ZIPS = {"FlatVel": "FlatVelA_train.zip", "CurveVel": "CurveVelA_train.zip"}


def real_maps(a, fam, count, offset):
    """count real maps of the family's training set from map `offset` on (None for FaultA)."""
    if fam not in TRAIN_ZIPS:
        return None
    folder = os.path.join(a.scratch, fam)
    if not os.path.isdir(folder):
        with zipfile.ZipFile(os.path.join(a.train, TRAIN_ZIPS[fam])) as z:
            z.extractall(folder)
    out, k = [], 1
    while sum(len(x) for x in out) < offset + count:
        path = next((os.path.join(r, f) for r, _, fs in os.walk(folder) for f in fs if f == f"vmodel{k}.npy"), None)
        if path is None:
            sys.exit(f"{folder}: no vmodel{k}.npy for {offset + count} maps")
        out.append(np.load(path).reshape(-1, 70, 70))
        k += 1
    return np.concatenate(out)[offset:offset + count].astype(np.float64)


def precision_recall(real, fake, k=3, dims=32):
    mean = real.reshape(len(real), -1).mean(0)
    _, _, vt = np.linalg.svd(real.reshape(len(real), -1) - mean, full_matrices=False)
    basis = vt[:dims].T
    r = (real.reshape(len(real), -1) - mean) @ basis
    f = (fake.reshape(len(fake), -1) - mean) @ basis

    def radii(x):
        d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
        return np.sort(d, axis=1)[:, k]  # column 0 is the point itself

    def inside(points, centres, rad):
        d = np.sqrt(((points[:, None, :] - centres[None, :, :]) ** 2).sum(-1))
        return float((d <= rad[None, :]).any(1).mean())
    return inside(f, r, radii(r)), inside(r, f, radii(f))


def nearest_rmse(maps, trained):
    t = trained.reshape(len(trained), -1)
    best = []
    for m in maps.reshape(len(maps), -1):
        best.append(np.sqrt(((t - m) ** 2).mean(1)).min())
    return float(np.median(best))


def scores(real, maps, trained):
    grad = lambda x: np.diff(x, axis=1).ravel()
    p, r = precision_recall(real, maps)
    return {"speed_w1": float(wasserstein_distance(real.ravel(), maps.ravel())),
            "gradient_w1": float(wasserstein_distance(grad(real), grad(maps))),
            "precision": p, "recall": r, "nearest_rmse": nearest_rmse(maps, trained)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--openfwi", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    ap.add_argument("--train", default=os.path.join(here, "..", "..", "shared", "data", "openfwi-train"))
    ap.add_argument("--scratch", default=os.path.join(tempfile.gettempdir(), "seisinr-openfwi-train"))
    ap.add_argument("--out", default=os.path.join(here, "results", "sample"))
    ap.add_argument("--densities", default="gaussian,kernel:0.5", help="comma-separated: gaussian | kernel:BANDWIDTH, one 'drawn' row each")
    ap.add_argument("--offset", type=int, default=0, help="the real maps' first index in openfwi-train (the second set follows them)")
    ap.add_argument("--names", default="FlatVel,CurveVel,Fault",
                    help="the model's names of FlatVel-A, CurveVel-A and FaultA (a model trained on the three files directly "
                         "calls them FlatVelA_200,CurveVelA_200,FaultA_200)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    files = dict(FAMILIES)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fam, name in zip(("FlatVel", "CurveVel", "Fault"), a.names.split(",")):
            test = np.load(os.path.join(a.openfwi, files[fam])).reshape(-1, 70, 70).astype(np.float64)
            held = heldout_indices(fam, len(test), 0.2, 0)
            trained = np.delete(test, held, axis=0)
            real = real_maps(a, fam, a.count, a.offset)
            reference = "openfwi-train, first %d" % a.count if a.offset == 0 else f"openfwi-train, {a.offset}..{a.offset + a.count - 1}"
            if real is None:
                real, reference = test[held], f"the {len(held)} held-out maps of the test file"
            row = {"family": fam, "reference": reference}
            for density in a.densities.split(","):
                kind, _, bandwidth = density.partition(":")
                out = os.path.join(tmp, f"{fam}.npy")
                subprocess.run([a.seisinr, "sample", "--model", a.model, "--family", name, "--count", str(a.count), "--seed", "0",
                                "--density", kind] + (["--bandwidth", bandwidth] if bandwidth else []) +
                               ["--out", out, "--threads", "2", "--force"], check=True, stdout=subprocess.DEVNULL)
                drawn = np.load(out).reshape(-1, 70, 70).astype(np.float64)
                row[f"drawn, {density}"] = scores(real, drawn, trained)
            row["trained maps (copies)"] = scores(real, trained, trained)
            second = real_maps(a, fam, a.count, a.offset + a.count)
            if second is not None:
                row["real maps (next %d)" % a.count] = scores(real, second, trained)
            rows.append(row)
            print(json.dumps(row), flush=True)
    json.dump({"model": a.model, "count": a.count, "densities": a.densities.split(","), "offset": a.offset, "rows": rows}, open(os.path.join(a.out, "sample.json"), "w"), indent=1)
    md = [f"`bench/sample_quality.py --model M --count {a.count} --densities {a.densities} --offset {a.offset}`: maps drawn by `seisinr sample` (seed 0) against real maps never "
          "trained on; W1 in m/s (speeds) and m/s per cell (vertical gradients); precision/recall with k = 3 in the real maps' "
          "PCA-32 space; nearest: median RMSE (m/s) to the nearest trained map of the family.", "",
          "| family | maps | reference | speed W1 | gradient W1 | precision | recall | nearest trained |",
          "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        for key in [k for k in row if k not in ("family", "reference")]:
            s = row[key]
            md.append(f"| {row['family']} | {key} | {row['reference']} | {s['speed_w1']:.1f} | {s['gradient_w1']:.2f} | "
                      f"{s['precision']:.3f} | {s['recall']:.3f} | {s['nearest_rmse']:.1f} |")
    open(os.path.join(a.out, "sample.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
