#!/usr/bin/python3
"""Markdown for docs/reproduction.md from `seisinr eval --json` files (Tables 6, 7, 9) and the
table `seisinr interp` prints (Table 8).

Usage: reproduction_tables.py EVAL_1x.json [EVAL_2x.json [EVAL_4x.json]] [--interp INTERP.md]
"""
import json
import sys

PAPER = {"psnr": 32.47, "ssim": 0.956, "r": -0.42}


def stat(d, key, f):
    s = d[key]
    return (f.format(s["mean"]), f.format(s["std"]), f.format(s["max"]), f.format(s["min"])) if "mean" in s else ("–",) * 4


def main():
    args = sys.argv[1:]
    interp = None
    if "--interp" in args:
        i = args.index("--interp")
        interp = args[i + 1]
        args = args[:i] + args[i + 2:]
    evals = [json.load(open(a)) for a in args]
    e1 = evals[0]
    out = ["### Table 6: overall (70×70)", "",
           "| set | maps | PSNR mean | std | max | min | SSIM mean | std | max | min | MSE (normalised) mean |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name in ("overall", "trained", "heldout"):
        g = e1[name]
        out.append(f"| seisinr, {name} | {g['maps']} | " + " | ".join(stat(g, "psnr", "{:.2f}")) + " | " +
                   " | ".join(stat(g, "ssim", "{:.4f}")) + f" | {g['mse']['mean']:.2e} |")
    out.append(f"| paper (1,000 maps, trained) | 1000 | {PAPER['psnr']} | | | | {PAPER['ssim']} | | | | |")
    r = e1.get("latent_norm_psnr_r")
    out += ["", f"Latent norm vs PSNR over trained maps: r = {r:.3f} (paper: r = {PAPER['r']}).", "",
            "### Table 7: per family (70×70)", "",
            "| family | split | maps | PSNR mean ± std | min | max | SSIM mean ± std | MSE (normalised) | RMSE (m/s) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for fam, g in e1["families"].items():
        for split in ("trained", "heldout"):
            s = g[split]
            if "mean" not in s["psnr"]:
                continue
            out.append(f"| {fam} | {split} | {s['maps']} | {s['psnr']['mean']:.2f} ± {s['psnr']['std']:.2f} | {s['psnr']['min']:.2f} | "
                       f"{s['psnr']['max']:.2f} | {s['ssim']['mean']:.4f} ± {s['ssim']['std']:.4f} | {s['mse']['mean']:.2e} | "
                       f"{s['rmse']['mean']:.1f} |")
    if interp:
        out += ["", "### Table 8: latent interpolation", "",
                "Trained map 0 (FlatVel-A) to trained map 200 (CurveVel-A), 7 steps; MSE in normalised units against the decoded "
                "end maps (`seisinr interp` output):", ""]
        out += [l.rstrip() for l in open(interp) if l.startswith("|")]
    if len(evals) > 1:
        out += ["", "### Table 9: any-resolution decoding", "",
                "Ground truth resampled bilinearly onto each grid's coordinates (same square); trained and held-out maps together.", "",
                "| family | " + " | ".join(f"{e['resolution']['height']}×{e['resolution']['width']} PSNR / SSIM" for e in evals) + " |",
                "| --- |" + " --- |" * len(evals)]
        for fam in ["overall"] + list(e1["families"].keys()):
            cells = []
            for e in evals:
                g = e["overall"] if fam == "overall" else e["families"][fam]
                cells.append(f"{g['psnr']['mean']:.2f} / {g['ssim']['mean']:.4f}")
            out.append(f"| {'all' if fam == 'overall' else fam} | " + " | ".join(cells) + " |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
