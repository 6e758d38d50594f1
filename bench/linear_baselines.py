#!/usr/bin/python3
"""Linear baselines with the same number of values per map as a seisinr code.

Usage: bench/linear_baselines.py [--openfwi ../shared/data/openfwi] [--numbers 256]
                                 [--holdout 0.2] [--seed 0] [--out bench/results/baselines]

Per family of the real OpenFWI maps, on seisinr's own train/held-out split (data/split.h:
per family a Fisher-Yates shuffle on SplitMix64 seeded by seed ^ XXH3-64(family name), the
first round(holdout * n) held out), each map is represented by K numbers (K = --numbers,
default 256, the paper's code size) and reconstructed:

  coarse + cubic   the map sampled on a sqrt(K) x sqrt(K) grid (area average), upsampled with a
                   cubic spline (scipy.ndimage.zoom, order 3) to 70 x 70
  DCT              the lowest sqrt(K) x sqrt(K) coefficients of the orthonormal 2-D DCT-II
  PCA              K principal components of the trained maps of all families (mean removed),
                   a map's K coefficients = its projection
  PCA per family   the same with each family's own trained maps (K capped at their count - 1);
                   this one needs the family's label and basis at the decoder

Scores are the project's metrics via scikit-image: PSNR with the ground truth's range, SSIM with
an 11x11 Gaussian window (sigma 1.5, population covariance). Both splits are reported: held-out
(what a new map gets) and trained (what PCA gives the maps it was fitted on). Constant maps are
counted and left out of the PSNR mean. Writes OUT/baselines.json and OUT/baselines.md.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import xxhash
from scipy.fft import dctn, idctn
from scipy.ndimage import zoom
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

FAMILIES = [("FlatVel", "FlatVelA_200.npy"), ("CurveVel", "CurveVelA_200.npy"), ("Fault", "FaultA_200.npy")]
MASK = (1 << 64) - 1


def splitmix_next(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def heldout_indices(family, n, holdout, seed):
    """seisinr's split (src/seisinr/data/split.cpp), rewritten from its description."""
    idx = list(range(n))
    state = (seed ^ xxhash.xxh3_64_intdigest(family.encode())) & MASK
    for k in range(n, 1, -1):
        state, r = splitmix_next(state)
        j = r % k
        idx[k - 1], idx[j] = idx[j], idx[k - 1]
    n_held = int(np.floor(holdout * n + 0.5))
    return sorted(idx[:n_held])


def scores(truth, rec):
    ps, ss, constant = [], [], 0
    for t, r in zip(truth.astype(np.float64), rec.astype(np.float64)):
        rng = t.max() - t.min()
        if rng == 0:
            constant += 1
            continue
        ps.append(peak_signal_noise_ratio(t, r, data_range=rng))
        ss.append(structural_similarity(t, r, data_range=rng, gaussian_weights=True, sigma=1.5, use_sample_covariance=False))
    return {"psnr": float(np.mean(ps)), "ssim": float(np.mean(ss)), "constant_maps": constant, "maps": len(truth)}


def coarse_cubic(maps, side):
    h, w = maps.shape[1:]
    out = []
    for m in maps.astype(np.float64):
        # area average onto side x side cells (edges of the cells at linspace(0, h, side + 1))
        ze, xe = np.linspace(0, h, side + 1).round().astype(int), np.linspace(0, w, side + 1).round().astype(int)
        c = np.array([[m[ze[i]:ze[i + 1], xe[j]:xe[j + 1]].mean() for j in range(side)] for i in range(side)])
        out.append(zoom(c, (h / side, w / side), order=3, mode="nearest", grid_mode=True))
    return np.stack(out)


def dct_lowpass(maps, side):
    out = []
    for m in maps.astype(np.float64):
        c = dctn(m, norm="ortho")
        k = np.zeros_like(c)
        k[:side, :side] = c[:side, :side]
        out.append(idctn(k, norm="ortho"))
    return np.stack(out)


def pca_fit(train, k):
    x = train.reshape(len(train), -1).astype(np.float64)
    mean = x.mean(0)
    _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
    k = min(k, int((s > s[0] * 1e-10).sum()))
    return mean, vt[:k]


def pca_apply(maps, mean, basis):
    x = maps.reshape(len(maps), -1).astype(np.float64)
    return ((x - mean) @ basis.T @ basis + mean).reshape(maps.shape)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--openfwi", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    ap.add_argument("--numbers", type=int, default=256, help="values per map (a square number for coarse and DCT)")
    ap.add_argument("--holdout", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(here, "results", "baselines"))
    a = ap.parse_args()
    side = int(round(a.numbers ** 0.5))
    if side * side != a.numbers:
        sys.exit("--numbers must be a square (coarse grid and DCT block are side x side)")
    t0 = time.time()
    data, held = {}, {}
    for fam, f in FAMILIES:
        p = os.path.join(a.openfwi, f)
        if not os.path.exists(p):
            sys.exit(f"missing {p}")
        m = np.load(p)
        data[fam] = m.reshape(len(m), m.shape[-2], m.shape[-1]).astype(np.float32)
        held[fam] = heldout_indices(fam, len(m), a.holdout, a.seed)
    trained = {fam: np.delete(m, held[fam], axis=0) for fam, m in data.items()}
    heldout = {fam: m[held[fam]] for fam, m in data.items()}
    mean_all, basis_all = pca_fit(np.concatenate(list(trained.values())), a.numbers)

    results = []
    for fam, _ in FAMILIES:
        mean_f, basis_f = pca_fit(trained[fam], a.numbers)
        for split, maps in (("heldout", heldout[fam]), ("trained", trained[fam])):
            methods = [
                (f"coarse {side}x{side} + cubic", side * side, coarse_cubic(maps, side)),
                (f"DCT lowest {side}x{side}", side * side, dct_lowpass(maps, side)),
                ("PCA, trained maps of all families", basis_all.shape[0], pca_apply(maps, mean_all, basis_all)),
                ("PCA, trained maps of the map's family", basis_f.shape[0], pca_apply(maps, mean_f, basis_f)),
            ]
            for name, used, rec in methods:
                r = {"family": fam, "split": split, "method": name, "numbers": used}
                r.update(scores(maps, rec))
                results.append(r)
                print(f"{fam:9s} {split:8s} {name:38s} k={used:3d} PSNR {r['psnr']:6.2f}  SSIM {r['ssim']:.4f}", file=sys.stderr, flush=True)

    os.makedirs(a.out, exist_ok=True)
    meta = {"command": " ".join(["bench/linear_baselines.py"] + sys.argv[1:]), "seconds": time.time() - t0,
            "holdout": a.holdout, "seed": a.seed, "heldout_indices": held}
    with open(os.path.join(a.out, "baselines.json"), "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    lines = [f"# Linear baselines, {a.numbers} numbers per map", "",
             f"`/usr/bin/python3 {meta['command']}`; seisinr's split (holdout {a.holdout}, seed {a.seed}); "
             "scikit-image PSNR / SSIM, mean over maps; k = numbers used where fewer than asked "
             "(a family's PCA has at most as many components as the family has trained maps, less one).", ""]
    for split in ("heldout", "trained"):
        lines += [f"## {split}", "", "| method | " + " | ".join(f for f, _ in FAMILIES) + " |",
                  "|---|" + "---|" * len(FAMILIES)]
        for name in dict.fromkeys(r["method"] for r in results if r["split"] == split):
            cells = []
            for fam, _ in FAMILIES:
                r = next(x for x in results if x["family"] == fam and x["split"] == split and x["method"] == name)
                k = f" (k = {r['numbers']})" if r["numbers"] != a.numbers else ""
                cells.append(f"{r['psnr']:.2f} / {r['ssim']:.3f}{k}")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
    with open(os.path.join(a.out, "baselines.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
