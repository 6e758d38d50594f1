#!/usr/bin/python3
"""Can a decoder's prediction pay for itself under an error bound? (issue 25, item 3)

Usage: bench/bound_predictors.py --model RUN/model.sinr [--seisinr build/seisinr] [--openfwi ../shared/data/openfwi]
                                 [--families CurveVel,Fault] [--bits 8,6,4] [--max-error 5]
                                 [--out bench/results/bound_predictors] [--threads 2]

Under `--max-error E` each value is the integer c = round(v / s), s = 2(E - E/64) (codec/residual.h),
and the file stores c minus a prediction. The plain path predicts with LOCO-I's median edge
detector (MED) on c; the neural path with k = round(p / s), p the decoder's prediction from the
map's quantised code, and pays for the code as well. For the held-out maps of seisinr's split
(holdout 0.2, seed 0), each family in one file, this measures the residual bytes (zigzag + varint +
zstd level 19, the codec's own packing) of every predictor a decompressor holding p could use:

  plain      c - MED(c)                                    (what seisinr's plain path stores)
  neural     c - k                                         (seisinr's neural path)
  med_of_d   d - MED(d), d = c - k                         (MED on the neural residual)
  gap        c - (MED(c) + k - MED(k))                     (MED corrected by the prediction's own edges)
  switch     per value, MED or k, whichever erred less on the causal neighbours (W, N, NW, NE, WW, NN)

and the order-0 entropy of the plain residual with and without the prediction's local jump
|k - k_N| + |k - k_W| as context (5 bins): an ideal context coder's saving, its model cost not
counted. The code's own bytes come from `seisinr compress --latent-bits B` (bytes per map, file
header share included). Writes OUT/bound_predictors.json and prints one table row per family
and latent width.
"""
import argparse
import json
import os
import re
import sys
import tempfile

import numpy as np
import zstandard

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from linear_baselines import FAMILIES, heldout_indices  # noqa: E402
from refined_codec import run  # noqa: E402


def packed_bytes(e):
    """The codec's pack_ints: zigzag, LEB128 varints, zstd level 19."""
    z = ((e.astype(np.int64) << 1) ^ (e.astype(np.int64) >> 63)).astype(np.uint64).ravel()
    out = bytearray()
    for v in z.tolist():
        while v >= 0x80:
            out.append((v & 0x7F) | 0x80)
            v >>= 7
        out.append(v)
    return len(zstandard.ZstdCompressor(level=19).compress(bytes(out)))


def med(c):
    """MED prediction of every value from its known neighbours (the encoder's view: c is known)."""
    p = np.zeros_like(c)
    p[0, 1:] = c[0, :-1]
    p[1:, 0] = c[:-1, 0]
    a, b, d = c[1:, :-1], c[:-1, 1:], c[:-1, :-1]
    p[1:, 1:] = np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), a + b - d))
    return p


def causal_sum(x):
    """Sum of x over the causal neighbours W, N, NW, NE, WW, NN of every position (zero outside)."""
    h, w = x.shape
    pad = np.zeros((h + 2, w + 4), dtype=x.dtype)
    pad[2:, 2:-2] = x
    s = np.zeros_like(x)
    for di, dj in ((0, -1), (-1, 0), (-1, -1), (-1, 1), (0, -2), (-2, 0)):
        s += pad[2 + di:2 + di + h, 2 + dj:2 + dj + w]
    return s


def switch(c, k):
    pm = med(c)
    sp, sn = causal_sum(np.abs(c - pm)), causal_sum(np.abs(c - k))
    return np.where(sn < sp, k, pm)


def entropy_bytes(e):
    _, cnt = np.unique(e, return_counts=True)
    return float(-(cnt * np.log2(cnt / cnt.sum())).sum() / 8)


def context_entropy_bytes(e, k):
    g = np.zeros_like(k)
    g[1:, :] += np.abs(k[1:] - k[:-1])
    g[:, 1:] += np.abs(k[:, 1:] - k[:, :-1])
    bins = np.digitize(g, [1, 3, 8, 20])
    return sum(entropy_bytes(e[bins == b]) for b in np.unique(bins))


def measure(truth, pred, max_error):
    s = 2 * (max_error - max_error / 64)
    rows = {name: 0.0 for name in ("plain", "neural", "med_of_d", "gap", "switch", "plain_entropy", "plain_entropy_given_k")}
    for v, p in zip(truth.astype(np.float64), pred.astype(np.float64)):
        c, k = np.rint(v / s).astype(np.int64), np.rint(p / s).astype(np.int64)
        d = c - k
        e = c - med(c)
        rows["plain"] += packed_bytes(e)
        rows["neural"] += packed_bytes(d)
        rows["med_of_d"] += packed_bytes(d - med(d))
        rows["gap"] += packed_bytes(c - (med(c) + k - med(k)))
        rows["switch"] += packed_bytes(c - switch(c, k))
        rows["plain_entropy"] += entropy_bytes(e)
        rows["plain_entropy_given_k"] += context_entropy_bytes(e, k)
    return {name: total / len(truth) for name, total in rows.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    ap.add_argument("--openfwi", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    ap.add_argument("--families", default="CurveVel,Fault")
    ap.add_argument("--bits", default="8,6,4")
    ap.add_argument("--max-error", type=float, default=5.0)
    ap.add_argument("--out", default=os.path.join(here, "results", "bound_predictors"))
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    files = dict(FAMILIES)
    results = []
    print("| family | latent bits | code B/map | PSNR of p (dB) | residual B/map: plain / neural / med_of_d / gap / switch | "
          "plain entropy, without / with k as context | best neural total vs plain |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for fam in a.families.split(","):
            m = np.load(os.path.join(a.openfwi, files[fam]))
            truth = m[heldout_indices(fam, len(m), 0.2, 0)].reshape(-1, 70, 70).astype(np.float32)
            src = os.path.join(tmp, f"{fam}.npy")
            np.save(src, truth)
            for bits in (int(b) for b in a.bits.split(",")):
                lossy, back = os.path.join(tmp, f"{fam}{bits}.sinr"), os.path.join(tmp, f"{fam}{bits}.npy")
                said = run([a.seisinr, "compress", "--model", a.model, "--data", f"{src}:{fam}", "--out", lossy,
                            "--latent-bits", str(bits), "--threads", str(a.threads), "--force"])
                code_bytes = float(re.search(r"\(([0-9.]+) B/map", said).group(1))
                run([a.seisinr, "decompress", lossy, "--model", a.model, "--out", back, "--threads", str(a.threads), "--force"])
                pred = np.load(back).reshape(-1, 70, 70)
                rng = truth.max(axis=(1, 2)) - truth.min(axis=(1, 2))
                mse = ((pred.astype(np.float64) - truth) ** 2).mean(axis=(1, 2))
                psnr = float(np.mean(10 * np.log10(rng ** 2 / mse)))
                r = measure(truth, pred, a.max_error)
                best = min(r["neural"], r["med_of_d"], r["gap"], r["switch"])
                r.update(family=fam, latent_bits=bits, code_bytes_per_map=code_bytes, psnr=psnr,
                         best_neural_total=code_bytes + best, maps=len(truth), max_error=a.max_error)
                results.append(r)
                print(f"| {fam} | {bits} | {code_bytes:.1f} | {psnr:.2f} | {r['plain']:.0f} / {r['neural']:.0f} / "
                      f"{r['med_of_d']:.0f} / {r['gap']:.0f} / {r['switch']:.0f} | {r['plain_entropy']:.0f} / "
                      f"{r['plain_entropy_given_k']:.0f} | {code_bytes + best:.0f} vs {r['plain']:.0f} |", flush=True)
    with open(os.path.join(a.out, "bound_predictors.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
