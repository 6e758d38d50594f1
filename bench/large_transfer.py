#!/usr/bin/python3
"""Which decoder transfers to a large model (issue 18): Marmousi2's right half (2,801 x 6,801) coded
as tiles (--tile-scale 8, codes only) with

  * the OpenFWI decoder (bench/results/rd/run/model.sinr, trained on 70 x 70 OpenFWI maps), frozen;
  * a decoder trained on the tiles of the left half (patches of another model), frozen;
  * a decoder trained on the right half's own tiles (embedded in the file: its bytes count).

Usage: bench/large_transfer.py MARMOUSI_BIN OPENFWI_MODEL.sinr WORKDIR [--epochs 300] [--preset fidelity]
Scores with NumPy / scikit-image; writes bench/results/large/transfer.{json,md}.
"""
import json, os, sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from large_model import HERE, marmousi_arguments, quality, read_marmousi, seams, timed  # noqa: E402


def main():
    ap = marmousi_arguments("openfwi")
    ap.add_argument("--epochs", type=int, default=300)
    ap.add_argument("--preset", default="fidelity")
    a = ap.parse_args()
    S = os.path.abspath(a.seisinr)
    os.makedirs(a.work, exist_ok=True)
    v = read_marmousi(a.bin)
    left, right = np.ascontiguousarray(v[:, :6801]), np.ascontiguousarray(v[:, 6800:])
    paths = {}
    for name, part in (("left", left), ("right", right)):
        paths[name] = os.path.join(a.work, name + ".npy")
        if not os.path.exists(paths[name]):
            np.save(paths[name], part[None, None])
    tile = ["--tiles", "on", "--tile-scale", "8", "--encode-steps", "50", "--force"]
    train = ["--preset", a.preset, "--epochs", str(a.epochs)]
    left_model = os.path.join(a.work, "left.run", "model.sinr")
    if not os.path.exists(left_model):
        t, m = timed([S, "compress", "--data", paths["left"], "--out", os.path.join(a.work, "left.sinr"), "--run", os.path.join(a.work, "left.run")]
                     + tile + train)
        print(f"decoder trained on the left half's tiles: {t:.0f} s, {m:.0f} MiB", flush=True)
    rows = []
    for name, extra in (("OpenFWI decoder (frozen)", ["--model", a.openfwi]),
                        ("decoder trained on the left half's tiles (frozen)", ["--model", left_model]),
                        ("decoder trained on the right half's own tiles (embedded)", ["--run", os.path.join(a.work, "right.run")] + train)):
        out = os.path.join(a.work, "right_%d.sinr" % len(rows))
        ct, cm = timed([S, "compress", "--data", paths["right"], "--out", out] + tile + extra)
        back = out + ".npy"
        model = extra[1] if extra[0] == "--model" else None
        dt, dm = timed([S, "decompress", out, "--out", back, "--force"] + (["--model", model] if model else []))
        r = np.load(back)[0, 0]
        rows.append({"decoder": name, "bytes": os.path.getsize(out), "compress_s": ct, "decode_s": dt, **quality(right, r),
                     "seams": seams(right, r, 8, 6)})
        os.remove(back)
        print(rows[-1], flush=True)
    outdir = os.path.join(HERE, "results", "large")
    os.makedirs(outdir, exist_ok=True)
    json.dump({"openfwi": a.openfwi, "epochs": a.epochs, "preset": a.preset, "rows": rows}, open(os.path.join(outdir, "transfer.json"), "w"), indent=1)
    lines = ["| decoder | file bytes | PSNR (dB) | SSIM | max error (m/s) | compress (s) | decode (s) |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['decoder']} | {r['bytes']:,} | {r['psnr']:.2f} | {r['ssim']:.4f} | {r['max_abs_error']:.0f} | {r['compress_s']:.0f} | {r['decode_s']:.1f} |")
    open(os.path.join(outdir, "transfer.md"), "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
