#!/usr/bin/python3
"""How well calibrated is `seisinr invert --uncertainty`? (issue 29, items 1-3)

Usage: bench/uncertainty.py --model RUN/model.sinr [--seisinr build/seisinr] [--maps 6] [--iters 20]
                            [--rank 16] [--samples 16] [--members 6] [--threads 2] [--ranks 8,16,32,64,0]
                            [--out bench/results/uncertainty]

For each real family (FlatVel, CurveVel, Fault) the first --maps maps of ../shared/data/openfwi
the model was NOT trained on (its meta marks them held out) are simulated with OpenFWI's survey
(`seisinr forward`), Gaussian noise at 10 dB SNR is added (seed 0), and each map is inverted in
the latent space from the mean of the family's trained maps (--init mean; or --init nearest, the
trained map closest in data) with 20 L-BFGS evaluations, then:
  laplace:  --uncertainty laplace --rank R (sigma from the residual, the default)
  ensemble: --uncertainty ensemble --members M (the check)
Per map: the fraction of cells whose true speed lies in the central 90% interval (mean +- 1.645
std, and for laplace also the 5-95% percentiles of the decoded samples), the correlation between
the standard deviation and |error| per cell, and the cost against the inversion's own seconds
(maps run two at a time, one thread each, so both are one core's seconds). Laplace against
ensemble: the correlation of their standard-deviation maps and the ratio of their means.
--ranks: the rank study on the first Fault map (2 threads, one map): each rank's mean standard
deviation and coverage against the exact posterior (rank 0), and its seconds.
Writes OUT/uncertainty.json and OUT/uncertainty.md.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fwi_compare import FAMILIES, model_meta  # noqa: E402  (the same maps as the latent-vs-grid comparison)

Z90 = 1.6448536269514722  # eval::kZ90


def final_lines(log):
    return [json.loads(l) for l in open(log) if '"final":true' in l.replace(" ", "")]


def scores(truth, stem, samples=True):
    """Per map: coverage of the 90% intervals, corr(std, |err|), rmse, mean std."""
    t = np.load(truth).reshape(len(np.load(truth)), -1).astype(np.float64)
    m = np.load(stem + ".mean.npy").reshape(len(t), -1).astype(np.float64)
    s = np.load(stem + ".std.npy").reshape(len(t), -1).astype(np.float64)
    smp = np.load(stem + ".samples.npy")
    smp = smp.reshape(smp.shape[0], smp.shape[1], -1)
    out = []
    for i in range(len(t)):
        e = np.abs(t[i] - m[i])
        r = {"coverage90": float((e <= Z90 * s[i]).mean()), "corr_std_err": float(np.corrcoef(s[i], e)[0, 1]) if s[i].std() > 0 else 0.0,
             "rmse": float(np.sqrt((e ** 2).mean())), "mean_std": float(s[i].mean())}
        if samples:
            lo, hi = np.percentile(smp[i], 5, axis=0), np.percentile(smp[i], 95, axis=0)
            r["coverage90_samples"] = float(((t[i] >= lo) & (t[i] <= hi)).mean())
        out.append(r)
    return out, s


def run(cmd):
    t0 = time.time()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.time() - t0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    p.add_argument("--model", required=True)
    p.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    p.add_argument("--maps", type=int, default=6)
    p.add_argument("--iters", type=int, default=20)
    p.add_argument("--rank", type=int, default=16)
    p.add_argument("--samples", type=int, default=16)
    p.add_argument("--members", type=int, default=6)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--ranks", default="", help="comma-separated ranks for the rank study (0 = exact); empty: none")
    p.add_argument("--methods", default="laplace,ensemble")
    p.add_argument("--init", default="mean", help="the inversions' start: mean (of the family's trained maps) or nearest (in data)")
    p.add_argument("--out", default=os.path.join(here, "results", "uncertainty"))
    a = p.parse_args()
    run_dir = os.path.join(a.out, "run")
    os.makedirs(run_dir, exist_ok=True)
    meta = model_meta(a.model)
    result = {"command": " ".join(sys.argv), "date": time.strftime("%Y-%m-%d"), "families": {}}
    t_all = time.time()
    for fam, fname in FAMILIES:
        held = sorted(m["index"] for m in meta["maps"] if m["family"] == fam and m.get("split") != "trained" and m["file"].endswith(fname))
        truth = os.path.join(run_dir, f"{fam}_truth.npy")
        np.save(truth, np.load(os.path.join(a.data, fname))[held[: a.maps]].astype(np.float32))
        data = os.path.join(run_dir, f"{fam}_data.npy")
        run([a.seisinr, "forward", "--velocity", truth, "--out", data, "--threads", str(a.threads), "--force"])
        base = [a.seisinr, "invert", "--data", data, "--truth", truth, "--model", a.model, "--init", a.init, "--family", fam,
                "--iters", str(a.iters), "--noise-snr", "10", "--seed", "0", "--threads", str(a.threads), "--force"]
        fr = result["families"][fam] = {"maps": held[: a.maps]}
        stds = {}
        for method in a.methods.split(","):
            stem = os.path.join(run_dir, f"{fam}_{method}")
            extra = ["--rank", str(a.rank), "--samples", str(a.samples)] if method == "laplace" else ["--members", str(a.members)]
            wall = run(base + ["--uncertainty", method, "--out", stem + ".npy"] + extra)
            per, stds[method] = scores(truth, stem, samples=(method == "laplace"))
            lines = final_lines(stem + ".log.jsonl")
            for r, l in zip(per, lines):
                u = l["uncertainty"]
                r.update(inversion_s=l["seconds"], uncertainty_s=u["seconds"], cost_ratio=u["seconds"] / l["seconds"], sigma=u["sigma"],
                         psnr_answer=l.get("psnr"), psnr_mean=u.get("mean_psnr"))
            fr[method] = {"per_map": per, "wall_s": wall}
            for k in ("coverage90", "coverage90_samples", "corr_std_err", "rmse", "mean_std", "cost_ratio", "inversion_s", "uncertainty_s"):
                if k in per[0]:
                    fr[method][k] = float(np.mean([r[k] for r in per]))
            print(fam, method, {k: round(v, 3) for k, v in fr[method].items() if isinstance(v, float)}, flush=True)
        if "laplace" in stds and "ensemble" in stds:
            L, E = stds["laplace"], stds["ensemble"]
            fr["laplace_vs_ensemble"] = {"corr": float(np.mean([np.corrcoef(L[i], E[i])[0, 1] for i in range(len(L))])),
                                         "ratio_of_means": float(L.mean() / E.mean())}
    if a.ranks:
        fam, fname = FAMILIES[2]
        truth1 = os.path.join(run_dir, "rank_truth.npy")
        np.save(truth1, np.load(os.path.join(run_dir, f"{fam}_truth.npy"))[:1])
        data1 = os.path.join(run_dir, "rank_data.npy")
        np.save(data1, np.load(os.path.join(run_dir, f"{fam}_data.npy"))[:1])
        study = {}
        for rank in [int(r) for r in a.ranks.split(",")]:
            stem = os.path.join(run_dir, f"rank{rank}")
            run([a.seisinr, "invert", "--data", data1, "--truth", truth1, "--model", a.model, "--init", a.init, "--family", fam,
                 "--iters", str(a.iters), "--noise-snr", "10", "--seed", "0", "--threads", str(a.threads), "--force",
                 "--uncertainty", "laplace", "--rank", str(rank), "--samples", str(a.samples), "--out", stem + ".npy"])
            per, s = scores(truth1, stem)
            l = final_lines(stem + ".log.jsonl")[0]
            study[rank] = {"mean_std": per[0]["mean_std"], "coverage90": per[0]["coverage90"], "seconds": l["uncertainty"]["seconds"],
                           "inversion_s": l["seconds"], "std": s[0]}
        ex = study.get(0)
        for rank, r in study.items():
            if ex is not None:
                r["corr_with_exact"] = float(np.corrcoef(r["std"], ex["std"])[0, 1])
                r["ratio_to_exact"] = float(r["std"].mean() / ex["std"].mean())
            del r["std"]
        result["rank_study"] = {str(k): v for k, v in study.items()}
    result["seconds"] = time.time() - t_all
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "uncertainty.json"), "w") as f:
        json.dump(result, f, indent=1)
    md = [f"`{result['command']}`, {result['date']}, {result['seconds']:.0f} s. Means over {a.maps} held-out maps per family, 10 dB SNR, "
          f"{a.init} start, {a.iters} L-BFGS evaluations; coverage = fraction of cells whose true speed lies in the central 90% interval.", "",
          "| family | method | coverage (mean ± 1.645 sd) | coverage (samples 5–95%) | corr(sd, abs err) | mean sd (m/s) | RMSE (m/s) | cost / inversion |",
          "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for fam, fr in result["families"].items():
        for method in a.methods.split(","):
            r = fr[method]
            cs = f"{r['coverage90_samples']:.3f}" if "coverage90_samples" in r else "—"
            md.append(f"| {fam} | {method} | {r['coverage90']:.3f} | {cs} | {r['corr_std_err']:.3f} | {r['mean_std']:.1f} | {r['rmse']:.1f} | "
                      f"{r['cost_ratio']:.2f} ({r['uncertainty_s']:.0f} s / {r['inversion_s']:.0f} s) |")
    if any("laplace_vs_ensemble" in fr for fr in result["families"].values()):
        md += ["", "| family | corr(Laplace sd, ensemble sd) | mean Laplace sd / mean ensemble sd |", "| --- | --- | --- |"]
        for fam, fr in result["families"].items():
            if "laplace_vs_ensemble" in fr:
                c = fr["laplace_vs_ensemble"]
                md.append(f"| {fam} | {c['corr']:.3f} | {c['ratio_of_means']:.2f} |")
    if "rank_study" in result:
        md += ["", "Rank study (first Fault map, one map on 2 threads):", "",
               "| rank | mean sd (m/s) | coverage | corr with exact | sd / exact sd | seconds (inversion) |", "| --- | --- | --- | --- | --- | --- |"]
        for rank, r in result["rank_study"].items():
            md.append(f"| {'exact' if rank == '0' else rank} | {r['mean_std']:.1f} | {r['coverage90']:.3f} | {r.get('corr_with_exact', float('nan')):.3f} | "
                      f"{r.get('ratio_to_exact', float('nan')):.2f} | {r['seconds']:.1f} ({r['inversion_s']:.1f}) |")
    with open(os.path.join(a.out, "uncertainty.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
