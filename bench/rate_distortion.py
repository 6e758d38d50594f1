#!/usr/bin/python3
"""Rate-distortion: seisinr against classical codecs on the same held-out maps.

Usage: bench/rate_distortion.py [--seisinr build/seisinr] [--out bench/results/rd]
                                [--openfwi ../shared/data/openfwi] [--preset fidelity]
                                [--minutes 30 | --epochs E] [--threads 2]

Steps (each skipped when its output already exists, so a rerun resumes where it stopped):
  1. 200 synthetic Style maps (seisinr synth, seed 7).
  2. One decoder, --preset (default: the recommended `fidelity`) trained for --minutes of wall-clock
     time (or --epochs) on 80% of each family of FlatVel-A, CurveVel-A, FaultA (real OpenFWI) and
     Style (synthetic); the other 20% is never seen (seisinr train --holdout 0.2).
  3. Per family, its held-out maps are compressed as new maps:
       seisinr, decoder shared by hash: latent bits 32, 8, 6, 4 (no bound) and 8 bits with
         --max-error 1, 5, 20 m/s, and with 5 m/s again with --no-fallback (every map on the
         neural path, to show what the decoder's prediction is worth as a predictor);
       zstd-19 lossless, each map alone;
       ZFP fixed-accuracy (python3-zfpy), tolerance 1, 5, 20 m/s;
       JPEG 2000 (OpenJPEG via python3-glymur), raw codestream, compression ratios 10 to 300,
         on the maps rounded to uint16 m/s;
       PCA fitted on the same 80% training maps, k = 16, 32, 64, 128, 256 components,
         coefficients quantised to 8 bits per component and zstd-compressed.
  4. OUT/rd.json and OUT/rd.md: per family and method, bytes per map, PSNR, SSIM, max |error|;
     and "at equal PSNR": the bytes JPEG 2000 and PCA need for the PSNR of seisinr's 8-bit
     codes, interpolated linearly in (PSNR, log bytes) between their two settings that bracket
     it (blank where none do), beside zstd's lossless bytes.

Bytes per map are given two ways. "shared": what a file of these maps costs when the decoder
(or PCA basis) is already at the reader, as with `compress --model`. "amortised": plus the
decoder's (basis's) zstd-19 size divided by the 800 maps of this benchmark it serves.
Metrics come from scikit-image (peak_signal_noise_ratio and structural_similarity with the
ground truth's range, Gaussian window sigma 1.5, population covariance), not from seisinr.
A constant map has no PSNR; such maps are counted and left out of the PSNR mean.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import zstandard
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "py"))
import sinr  # noqa: E402

RAW = 70 * 70 * 4
FAMILIES = [("FlatVel", "FlatVelA_200.npy"), ("CurveVel", "CurveVelA_200.npy"), ("Fault", "FaultA_200.npy")]


def run(cmd):
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    return r.stdout


def scores(truth, rec):
    """Mean PSNR (non-constant maps), mean SSIM, max |error| over maps; truth, rec: (N, H, W)."""
    ps, ss, worst, constant = [], [], 0.0, 0
    for t, r in zip(truth.astype(np.float64), rec.astype(np.float64)):
        rng = t.max() - t.min()
        worst = max(worst, float(np.abs(t - r).max()))
        if rng == 0:
            constant += 1
            continue
        err = np.abs(t - r).max()
        ps.append(float("inf") if err == 0 else peak_signal_noise_ratio(t, r, data_range=rng))
        ss.append(structural_similarity(t, r, data_range=rng, gaussian_weights=True, sigma=1.5, use_sample_covariance=False))
    finite = [p for p in ps if np.isfinite(p)]
    return {"psnr": float(np.mean(finite)) if finite else float("inf"), "lossless_maps": len(ps) - len(finite),
            "ssim": float(np.mean(ss)) if ss else float("nan"), "max_abs_error": worst, "constant_maps": constant}


def row(method, setting, nbytes, n, truth, rec, amortised_extra=0.0):
    r = {"method": method, "setting": setting, "bytes_per_map": nbytes / n,
         "bytes_per_map_amortised": nbytes / n + amortised_extra}
    r.update(scores(truth, rec))
    print(f"  {method:10s} {setting:22s} {r['bytes_per_map']:9.1f} B/map  PSNR {r['psnr']:6.2f}  "
          f"SSIM {r['ssim']:.4f}  max {r['max_abs_error']:.3g}", file=sys.stderr, flush=True)
    return r


def equal_psnr(rows):
    """Bytes per map each method needs for the PSNR of seisinr's unbounded 8-bit codes."""
    ref = next(r for r in rows if r["method"] == "seisinr" and r["setting"] == "8-bit latents")
    out = {"psnr": ref["psnr"], "seisinr": ref["bytes_per_map"]}
    for method in ("JPEG 2000", "PCA"):
        pts = sorted((r["psnr"], r["bytes_per_map"]) for r in rows if r["method"] == method and np.isfinite(r["psnr"]))
        out[method] = None
        for (p0, b0), (p1, b1) in zip(pts, pts[1:]):
            if p0 <= ref["psnr"] <= p1 and p1 > p0:
                t = (ref["psnr"] - p0) / (p1 - p0)
                out[method] = float(np.exp(np.log(b0) + t * (np.log(b1) - np.log(b0))))
                break
    out["zstd-19"] = next(r["bytes_per_map"] for r in rows if r["method"] == "zstd-19")
    return out


def jpeg2000_rows(truth, tmp):
    """JPEG 2000 (OpenJPEG via glymur, raw codestream, 9/7 wavelet, 4 levels) of the maps rounded to
    uint16 m/s, each map alone, at compression ratios 10 to 300: one row per ratio."""
    import glymur
    n, rows = len(truth), []
    ints = np.clip(np.rint(truth), 0, 65535).astype(np.uint16)
    for ratio in (10, 20, 40, 60, 100, 150, 300):
        total, rec = 0, []
        for k, m in enumerate(ints):
            p = os.path.join(tmp, f"j{k}.j2k")
            glymur.Jp2k(p, data=m, cratios=[ratio], irreversible=True, numres=4)
            total += os.path.getsize(p)
            rec.append(glymur.Jp2k(p)[:])
        rows.append(row("JPEG 2000", f"ratio {ratio} (uint16)", total, n, truth, np.stack(rec).astype(np.float32)))
    return rows


def zstd_bytes(b):
    return len(zstandard.ZstdCompressor(level=19).compress(b))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    ap.add_argument("--out", default=os.path.join(here, "results", "rd"))
    ap.add_argument("--openfwi", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    ap.add_argument("--preset", default="fidelity")
    ap.add_argument("--minutes", type=float, default=30, help="training budget (seisinr train --time-limit)")
    ap.add_argument("--epochs", type=int, default=0, help="train this many epochs instead of --minutes")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    exe, out = os.path.abspath(a.seisinr), os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    t0 = time.time()

    # 1-2. Data and the decoder.
    style = os.path.join(out, "synth", "Style.npy")
    if not os.path.exists(style):
        run([exe, "synth", "--out", os.path.join(out, "synth"), "--count", "200", "--families", "Style", "--seed", "7"])
    sources = [(fam, os.path.join(a.openfwi, f)) for fam, f in FAMILIES] + [("Style", style)]
    for fam, p in sources:
        if not os.path.exists(p):
            sys.exit(f"missing {p}: the real OpenFWI maps are expected in --openfwi")
    model = os.path.join(out, "run", "model.sinr")
    if not os.path.exists(model):
        budget = ["--epochs", str(a.epochs)] if a.epochs else ["--time-limit", str(a.minutes)]
        cmd = [exe, "train", "--preset", a.preset, "--holdout", "0.2", *budget, "--threads", str(a.threads),
               "--out", os.path.join(out, "run")]
        for fam, p in sources:
            cmd += ["--data", f"{p}:{fam}"]
        if os.path.exists(os.path.join(out, "run", "checkpoint.sinr")):
            cmd.append("--resume")
        run(cmd)
    meta, secs = sinr.read(model)
    decoder_bytes = sum(zstd_bytes(v.tobytes()) for k, v in secs.items() if k.startswith("decoder."))
    served = len(meta["maps"])

    # The split, as the trainer drew it.
    maps = {fam: np.load(p).reshape(-1, 70, 70).astype(np.float32) for fam, p in sources}
    split = {fam: {"trained": [], "heldout": []} for fam, _ in sources}
    for m in meta["maps"]:
        split[m["family"]][m["split"]].append(m["index"])
    train_all = np.concatenate([maps[f][sorted(split[f]["trained"])] for f, _ in sources]).reshape(-1, 4900).astype(np.float64)
    mean = train_all.mean(0)
    _, _, vt = np.linalg.svd(train_all - mean, full_matrices=False)

    results = {"date": time.strftime("%Y-%m-%d"), "decoder_bytes_zstd": decoder_bytes, "maps_served": served,
               "model": os.path.relpath(model, out), "families": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for fam, _ in sources:
            idx = sorted(split[fam]["heldout"])
            truth = maps[fam][idx]
            n = len(truth)
            print(f"{fam}: {n} held-out maps", file=sys.stderr, flush=True)
            held = os.path.join(tmp, f"{fam}.npy")
            np.save(held, truth.reshape(n, 1, 70, 70))
            rows = []
            dec_share = decoder_bytes / served
            for bits, err, fallback in [(32, 0, True), (8, 0, True), (6, 0, True), (4, 0, True), (8, 1, True), (8, 5, True),
                                        (8, 20, True), (8, 5, False)]:
                z = os.path.join(tmp, f"{fam}_{bits}_{err}.sinr")
                cmd = [exe, "compress", "--model", model, "--data", f"{held}:{fam}", "--out", z, "--latent-bits", str(bits),
                       "--threads", str(a.threads)]
                if err:
                    cmd += ["--max-error", str(err)]
                if not fallback:
                    cmd.append("--no-fallback")
                js = os.path.join(tmp, "stats.json")
                run(cmd + ["--json", js])
                paths = json.load(open(js))["paths"]
                back = os.path.join(tmp, "back.npy")
                run([exe, "decompress", z, "--out", back, "--model", model, "--threads", str(a.threads)])
                rec = np.load(back).reshape(n, 70, 70)
                setting = f"{bits}-bit latents" + (f", E = {err} m/s" if err else "") + ("" if fallback else ", neural path only")
                rows.append(row("seisinr", setting, os.path.getsize(z), n, truth, rec, dec_share))
                rows[-1]["paths"] = paths
            rows.append(row("zstd-19", "lossless", sum(zstd_bytes(m.tobytes()) for m in truth), n, truth, truth))
            import zfpy
            for tol in (1, 5, 20):
                blobs = [zfpy.compress_numpy(m.astype(np.float32), tolerance=tol) for m in truth]
                rec = np.stack([zfpy.decompress_numpy(b) for b in blobs])
                rows.append(row("ZFP", f"accuracy {tol} m/s", sum(len(b) for b in blobs), n, truth, rec))
            rows += jpeg2000_rows(truth, tmp)
            for k in (16, 32, 64, 128, 256):
                basis = vt[:k]
                coef = (truth.reshape(n, -1).astype(np.float64) - mean) @ basis.T
                tc = (train_all - mean) @ basis.T
                lo, hi = tc.min(0), tc.max(0)
                q = np.clip(np.rint((coef - lo) / (hi - lo) * 255), 0, 255).astype(np.uint8)
                rec = ((q.astype(np.float64) / 255) * (hi - lo) + lo) @ basis + mean
                basis_bytes = zstd_bytes(basis.astype(np.float32).tobytes()) + zstd_bytes(mean.astype(np.float32).tobytes()) + 8 * k
                rows.append(row("PCA", f"k = {k}, 8-bit", zstd_bytes(q.tobytes()), n, truth,
                                rec.reshape(n, 70, 70).astype(np.float32), basis_bytes / served))
            results["families"][fam] = {"maps": n, "rows": rows, "equal_psnr": equal_psnr(rows)}
    results["seconds"] = time.time() - t0
    log = [json.loads(l) for l in open(os.path.join(out, "run", "log.jsonl"))]
    results["training"] = {"preset": a.preset, "epochs": len(log),
                           "seconds": log[-1]["elapsed"] if log else 0}
    with open(os.path.join(out, "rd.json"), "w") as f:
        json.dump(results, f, indent=1)
    tr = results["training"]
    md = [f"Rate-distortion on held-out maps (`bench/rate_distortion.py`, {results['date']}). Raw float32: {RAW} B/map. "
          f"Decoder: `{tr['preset']}` preset, {tr['epochs']} epochs ({tr['seconds'] / 60:.1f} min), {decoder_bytes} B "
          f"after zstd-19, amortised over the {served} maps it serves. "
          "PSNR and SSIM from scikit-image; PSNR mean over maps that are not constant and not reconstructed exactly "
          "(exact maps are counted in the last column).", ""]
    md += ["**At equal PSNR**: bytes per held-out map (shared: decoder or basis at the reader) that each "
           "method needs for the PSNR of seisinr's 8-bit codes without a bound; JPEG 2000 and PCA interpolated "
           "between their bracketing settings, '—' where their settings do not reach it.", "",
           "| family | seisinr 8-bit: PSNR, B/map | JPEG 2000 B/map | PCA (8-bit coefficients) B/map | zstd-19 lossless B/map |",
           "| --- | --- | --- | --- | --- |"]
    for fam, g in results["families"].items():
        e = g["equal_psnr"]
        cell = lambda v: "—" if v is None else f"{v:.0f}"  # noqa: E731
        md.append(f"| {fam} | {e['psnr']:.2f} dB, {e['seisinr']:.0f} | {cell(e['JPEG 2000'])} | {cell(e['PCA'])} | "
                  f"{cell(e['zstd-19'])} |")
    md.append("")
    for fam, g in results["families"].items():
        md += [f"**{fam}** ({g['maps']} held-out maps)", "",
               "| method | setting | B/map (shared) | B/map (amortised) | PSNR (dB) | SSIM | max abs error (m/s) | exact maps |",
               "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for r in g["rows"]:
            paths = r.get("paths", {})
            if paths and (len(paths) > 1 or "neural" not in paths):
                r = dict(r, setting=r["setting"] + " (paths: " + ", ".join(f"{k} {v}" for k, v in sorted(paths.items())) + ")")
            md.append(f"| {r['method']} | {r['setting']} | {r['bytes_per_map']:.0f} | {r['bytes_per_map_amortised']:.0f} | "
                      f"{r['psnr']:.2f} | {r['ssim']:.4f} | {r['max_abs_error']:.3g} | {r['lossless_maps']} |")
        md.append("")
    with open(os.path.join(out, "rd.md"), "w") as f:
        f.write("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
