#!/usr/bin/python3
"""Full Marmousi2 (2,801 x 13,601, 1.25 m): seisinr's tiled codec beside zstd-19 and ZFP.

Usage: bench/large_model.py MARMOUSI_BIN MODEL.sinr WORKDIR [--seisinr build/seisinr] [--sz3 PATH] [--only ROWS]

MARMOUSI_BIN is ../shared/data/marmousi2's MODEL_P-WAVE_VELOCITY_1.25m.bin unpacked outside the
repository; MODEL.sinr the decoder to transfer (e.g. bench/results/rd/run/model.sinr, trained on
OpenFWI maps). Every seisinr step runs under /usr/bin/time (wall time, peak resident memory).
Quality is scored here with NumPy and scikit-image (PSNR with the model's range, SSIM as
docs/metrics.md), not by seisinr. Writes bench/results/large/marmousi2.json and a markdown
table (bench/results/large/marmousi2.md). SZ3 is not in Debian 12: build its `sz3` program from
source (github.com/szcompressor/SZ3, cmake + make sz3) and pass it with --sz3.
"""
import argparse, json, os, subprocess, sys, time

import numpy as np
import zfpy
import zstandard
from skimage.metrics import structural_similarity

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, env=None):
    t = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M"] + cmd, capture_output=True, text=True, env=env)
    if t.returncode != 0:
        sys.exit(f"failed ({t.returncode}): {' '.join(cmd)}\n{t.stderr[-3000:]}")
    line = [l for l in t.stderr.splitlines() if l.startswith("TIME ")][-1].split()
    return float(line[1]), int(line[2]) / 1024.0


def quality(v, r):
    err = r.astype(np.float64) - v
    rng = float(v.max() - v.min())
    mse = float((err ** 2).mean())
    ssim = structural_similarity(v, r.astype(np.float32), gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=rng)
    return {"max_abs_error": float(np.abs(err).max()), "rmse": mse ** 0.5,
            "psnr": 10 * np.log10(rng * rng / mse) if mse > 0 else float("inf"), "ssim": float(ssim)}


def tile_starts(n, t, scale, overlap):
    """codec/tiles.h's layout along one axis, written out independently."""
    f = (t - 1) * scale + 1
    if n <= f:
        return [0], n
    starts, p = [], 0
    while p + f < n:
        starts.append(p)
        p += f - overlap * scale
    starts.append(n - f)
    return starts, f


def seams(v, r, scale, overlap, t=70):
    """RMSE where tiles overlap (the former tile borders) against RMSE elsewhere (m/s)."""
    border = np.zeros(v.shape, bool)
    for axis in (0, 1):
        starts, f = tile_starts(v.shape[axis], t, scale, overlap)
        for prev, p in zip(starts, starts[1:]):
            sl = [slice(None), slice(None)]
            sl[axis] = slice(p, prev + f)
            border[tuple(sl)] = True
    e2 = (r.astype(np.float64) - v) ** 2
    return {"border_samples": int(border.sum()), "rmse_border": float(np.sqrt(e2[border].mean())),
            "rmse_elsewhere": float(np.sqrt(e2[~border].mean()))}


def marmousi_arguments(model_name):
    """The arguments the Marmousi2 benches share: the raw model, a decoder, a work folder, the CLI."""
    ap = argparse.ArgumentParser()
    ap.add_argument("bin", help="MODEL_P-WAVE_VELOCITY_1.25m.bin (little-endian float32, 13,601 traces of 2,801 samples)")
    ap.add_argument(model_name, help="a trained model (.sinr) whose decoder is frozen")
    ap.add_argument("work", help="folder for the inputs and outputs (large)")
    ap.add_argument("--seisinr", default=os.path.join(HERE, "..", "build", "seisinr"))
    return ap


def read_marmousi(path):
    """Marmousi2 as a (2,801 depth, 13,601 x) float32 array."""
    return np.ascontiguousarray(np.fromfile(path, "<f4").reshape(13601, 2801).T)


def main():
    ap = marmousi_arguments("model")
    ap.add_argument("--only", default="", help="comma-separated row names to run (default all)")
    ap.add_argument("--sz3", default="", help="SZ3's sz3 program, built from source (not in Debian 12); no SZ3 rows without it")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    S = os.path.abspath(a.seisinr)
    env = dict(os.environ, SEISINR_MODEL_PATH=os.path.dirname(os.path.abspath(a.model)))
    v = read_marmousi(a.bin)
    raw = v.nbytes
    sgy = os.path.join(a.work, "marmousi2.sgy")
    if not os.path.exists(sgy):
        timed([S, "convert", a.bin, "--shape", "2801x13601", "--dz", "1.25", "--dx", "1.25", "--out", sgy])
    rows = []
    only = set(filter(None, a.only.split(",")))

    def want(name):
        return not only or name in only

    if want("zstd"):
        t = time.time(); b = zstandard.ZstdCompressor(level=19, threads=2).compress(v.tobytes()); ct = time.time() - t
        t = time.time(); r = np.frombuffer(zstandard.ZstdDecompressor().decompress(b), "<f4").reshape(v.shape); dt = time.time() - t
        rows.append({"method": "zstd -19 (lossless, 2 threads)", "bytes": len(b), "fit_s": ct, "decode_s": dt, **quality(v, r)})
    for tol in (1, 5, 25):
        if not want(f"zfp{tol}"):
            continue
        t = time.time(); b = zfpy.compress_numpy(v, tolerance=tol); ct = time.time() - t
        t = time.time(); r = zfpy.decompress_numpy(b); dt = time.time() - t
        rows.append({"method": f"ZFP fixed accuracy {tol} m/s", "bytes": len(b), "fit_s": ct, "decode_s": dt, **quality(v, r)})
    for rate in (1, 2):  # zfpy 1.0.0 segfaults on rates below 1 (measured: rate=0.25)
        if not want(f"zfprate{rate}"):
            continue
        t = time.time(); b = zfpy.compress_numpy(v, rate=rate); ct = time.time() - t
        t = time.time(); r = zfpy.decompress_numpy(b); dt = time.time() - t
        rows.append({"method": f"ZFP fixed rate {rate} bit/value", "bytes": len(b), "fit_s": ct, "decode_s": dt, **quality(v, r)})

    if a.sz3:
        rawf = os.path.join(a.work, "marmousi2.f32")
        if not os.path.exists(rawf):
            v.tofile(rawf)
        for mode, val in (("ABS", 1), ("ABS", 5), ("ABS", 25), ("PSNR", 25), ("PSNR", 28), ("PSNR", 30), ("PSNR", 33)):
            if not want(f"sz3{mode}{val}"):
                continue
            z, o = os.path.join(a.work, "m.sz3"), os.path.join(a.work, "m.sz3.out")
            ct, cm = timed([a.sz3, "-f", "-i", rawf, "-z", z, "-2", str(v.shape[1]), str(v.shape[0]), "-M", mode, str(val)])
            dt, dm = timed([a.sz3, "-f", "-z", z, "-o", o, "-2", str(v.shape[1]), str(v.shape[0]), "-M", mode, str(val)])
            r = np.fromfile(o, "<f4").reshape(v.shape)
            rows.append({"method": f"SZ3 {'absolute error' if mode == 'ABS' else 'PSNR'} {val}{' m/s' if mode == 'ABS' else ' dB'}",
                         "bytes": os.path.getsize(z), "fit_s": ct, "decode_s": dt, "fit_peak_mib": cm, "decode_peak_mib": dm, **quality(v, r)})
            os.remove(o)

    def seisinr(name, extra):
        out = os.path.join(a.work, name + ".sinr")
        js = os.path.join(a.work, name + ".json")
        ct, cm = timed([S, "compress", "--data", sgy, "--model", a.model, "--out", out, "--tiles", "on", "--json", js, "--force"] + extra, env)
        back = os.path.join(a.work, name + ".npy")
        dt, dm = timed([S, "decompress", out, "--out", back, "--force"], env)
        r = np.load(back, mmap_mode="r")[0, 0]
        st = json.load(open(js))
        seam = seams(v, np.asarray(r), st["tiles"]["scale"], 6)
        rows.append({"seams": seam, "method": f"seisinr {name}: " + " ".join(extra), "bytes": os.path.getsize(out), "fit_s": ct, "decode_s": dt,
                     "fit_peak_mib": cm, "decode_peak_mib": dm, "tiles": st["tiles"]["count"], "blocks": st["blocks"], **quality(v, np.asarray(r))})
        os.remove(back)
        return out

    common = ["--encode-steps", "50", "--prediction-stride", "8"]
    for e in (0.4, 1, 5, 25):
        if want(f"bound{e}"):
            seisinr(f"bound{e}", ["--max-error", str(e), "--tile-scale", "8"] + common)
    for scale in (8, 4):
        if want(f"lossy{scale}"):
            f = seisinr(f"lossy{scale}", ["--tile-scale", str(scale), "--encode-steps", "50"])
    win = {}
    for name in ("bound5", "lossy8"):
        f = os.path.join(a.work, name + ".sinr")
        if os.path.exists(f) and want("window"):
            out = os.path.join(a.work, "window.npy")
            t, m = timed([S, "decompress", f, "--window", "1000:2000,6000:7000", "--out", out, "--force"], env)
            r = np.load(out)[0, 0]
            win[name] = {"seconds": t, "peak_mib": m, **quality(v[1000:2000, 6000:7000], r)}
    res = {"model": a.model, "raw_bytes": raw, "rows": rows, "window_1000x1000": win}
    outdir = os.path.join(HERE, "results", "large")
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, "marmousi2.json")
    old = json.load(open(path)) if os.path.exists(path) and only else {"rows": [], "window_1000x1000": {}}
    keep = [r for r in old["rows"] if r["method"] not in {x["method"] for x in rows}]
    res["rows"] = keep + rows
    res["window_1000x1000"] = {**old.get("window_1000x1000", {}), **win}
    json.dump(res, open(path, "w"), indent=1)
    lines = ["| method | bytes | ratio | max error (m/s) | PSNR (dB) | SSIM | fit / compress (s) | decode (s) | peak MiB (fit / decode) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    group = lambda m: next(i for i, g in enumerate(("zstd", "ZFP", "SZ3", "seisinr bound", "seisinr lossy", "")) if m.startswith(g))
    res["rows"].sort(key=lambda r: (group(r["method"]), -r["bytes"]))
    json.dump(res, open(path, "w"), indent=1)
    for r in res["rows"]:
        peak = f"{r['fit_peak_mib']:.0f} / {r['decode_peak_mib']:.0f}" if "fit_peak_mib" in r else "—"
        lines.append(f"| {r['method']} | {r['bytes']:,} | {raw / r['bytes']:.0f} | {r['max_abs_error']:.3g} | {r['psnr']:.2f} | {r['ssim']:.4f} | "
                     f"{r['fit_s']:.1f} | {r['decode_s']:.1f} | {peak} |")
    lines.append("\nSeams (RMSE in m/s where tiles overlap, against elsewhere):\n")
    lines.append("| method | border samples | RMSE at tile borders | RMSE elsewhere | ratio |\n| --- | ---: | ---: | ---: | ---: |")
    for r in res["rows"]:
        if "seams" in r:
            sm = r["seams"]
            lines.append(f"| {r['method']} | {sm['border_samples']:,} | {sm['rmse_border']:.2f} | {sm['rmse_elsewhere']:.2f} | "
                         f"{sm['rmse_border'] / sm['rmse_elsewhere']:.2f} |")
    for k, wv in res["window_1000x1000"].items():
        lines.append(f"\nwindow 1000:2000,6000:7000 of {k}: {wv['seconds']:.1f} s, peak {wv['peak_mib']:.0f} MiB, max error {wv['max_abs_error']:.3g} m/s")
    open(os.path.join(outdir, "marmousi2.md"), "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
