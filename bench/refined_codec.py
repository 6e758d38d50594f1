#!/usr/bin/python3
"""The codec on a trained decoder, against JPEG 2000 at equal PSNR, on held-out maps (issue 25, item 3).

Usage: bench/refined_codec.py --model RUN/model.sinr [--seisinr build/seisinr] [--openfwi ../shared/data/openfwi]
                              [--families CurveVel,Fault] [--out bench/results/refined_codec] [--threads 2]

For each family, the held-out maps of seisinr's split (holdout 0.2, seed 0; bench/linear_baselines.py)
are written to one .npy and compressed as new maps with the shared decoder:
  seisinr compress --model M (8-bit latents, no bound), decompressed and scored;
  seisinr compress --model M --max-error 5, with the count of maps per prediction path;
  JPEG 2000 (OpenJPEG via python3-glymur, uint16 m/s), ratios 10 to 300;
and the bytes JPEG 2000 needs for the PSNR of seisinr's 8-bit codes (linear in PSNR, log bytes;
bench/rate_distortion.py's rule). Metrics: scikit-image. Writes OUT/refined_codec.json.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from linear_baselines import FAMILIES, heldout_indices  # noqa: E402
from rate_distortion import equal_psnr, jpeg2000_rows, row  # noqa: E402


def run(cmd):
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}")
    return r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    ap.add_argument("--openfwi", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    ap.add_argument("--families", default="CurveVel,Fault")
    ap.add_argument("--out", default=os.path.join(here, "results", "refined_codec"))
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    files = dict(FAMILIES)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fam in a.families.split(","):
            m = np.load(os.path.join(a.openfwi, files[fam]))
            truth = m[heldout_indices(fam, len(m), 0.2, 0)].reshape(-1, 70, 70).astype(np.float32)
            n = len(truth)
            src = os.path.join(tmp, f"{fam}.npy")
            np.save(src, truth)
            rows = []
            lossy, back = os.path.join(tmp, f"{fam}.sinr"), os.path.join(tmp, f"{fam}.back.npy")
            run([a.seisinr, "compress", "--model", a.model, "--data", f"{src}:{fam}", "--out", lossy, "--threads", str(a.threads)])
            run([a.seisinr, "decompress", lossy, "--model", a.model, "--out", back, "--threads", str(a.threads)])
            rows.append(row("seisinr", "8-bit latents", os.path.getsize(lossy), n, truth, np.load(back).reshape(n, 70, 70)))
            bounded = os.path.join(tmp, f"{fam}.e5.sinr")
            out = run([a.seisinr, "compress", "--model", a.model, "--data", f"{src}:{fam}", "--max-error", "5", "--out", bounded,
                       "--threads", str(a.threads)])
            paths = next((l for l in out.splitlines() if l.startswith("paths:")), "")
            rows += jpeg2000_rows(truth, tmp)
            rows.append({"method": "zstd-19", "bytes_per_map": float("nan")})
            eq = equal_psnr(rows)
            eq.pop("zstd-19", None)
            results[fam] = {"maps": n, "rows": rows[:-1], "equal_psnr": eq, "max_error_5": {"bytes_per_map": os.path.getsize(bounded) / n,
                                                                                          "paths": paths}}
            print(fam, json.dumps(eq), paths, file=sys.stderr, flush=True)
    with open(os.path.join(a.out, "refined_codec.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
