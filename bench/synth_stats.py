#!/usr/bin/python3
"""Real-vs-synthetic calibration table for seisinr's synthetic families.

Regenerate docs/synthetic-data.md (from the repository root, after a build):
    /usr/bin/python3 bench/synth_stats.py --seisinr build/seisinr \
        --real ../shared/data/openfwi --count 200 --out docs/synthetic-data.md

It synthesises `count` maps per family with `seisinr synth` (seed 0), loads the real OpenFWI maps,
and prints per family the statistics that shape what a network must learn. Definitions (per map,
then the median over maps; a "jump" is a step of more than 50 m/s between neighbouring pixels):
  distinct      number of distinct values in the map
  layers        1 + number of vertical jumps down a column, averaged over columns
  vmin/vmax     smallest/largest value in the map (m/s)
  top/bottom    mean of the top row / bottom row (m/s)
  increasing    fraction of vertical jumps that increase with depth
  roughness     std over columns of the depth (px) of the first vertical jump
  near_jump     fraction of pixels with a jump to a 4-neighbour
  integer       fraction of integer-valued pixels
"""
import argparse
import datetime
import os
import subprocess
import tempfile

import numpy as np

JUMP = 50.0


def stats(maps):
    rows = {k: [] for k in ["distinct", "layers", "vmin", "vmax", "top", "bottom", "increasing", "roughness",
                            "near_jump", "integer"]}
    for m in maps.astype(np.float64):
        dz = np.diff(m, axis=0)
        dx = np.diff(m, axis=1)
        vj = np.abs(dz) > JUMP
        rows["distinct"].append(len(np.unique(m)))
        rows["layers"].append(1 + vj.sum(axis=0).mean())
        rows["vmin"].append(m.min())
        rows["vmax"].append(m.max())
        rows["top"].append(m[0].mean())
        rows["bottom"].append(m[-1].mean())
        rows["increasing"].append((dz[vj] > 0).mean() if vj.any() else 1.0)
        has = vj.any(axis=0)
        first = np.argmax(vj, axis=0)[has]
        rows["roughness"].append(first.std() if first.size else 0.0)
        near = np.zeros(m.shape, bool)
        hj = np.abs(dx) > JUMP
        near[:-1] |= vj
        near[1:] |= vj
        near[:, :-1] |= hj
        near[:, 1:] |= hj
        rows["near_jump"].append(near.mean())
        rows["integer"].append((np.floor(m) == m).mean())
    return {k: float(np.median(v)) for k, v in rows.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seisinr", default="build/seisinr")
    ap.add_argument("--real", default="../shared/data/openfwi")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--out", default=None, help="markdown file to write (default: print)")
    a = ap.parse_args()

    pairs = [("FlatVel-A", "FlatVelA_200.npy", "FlatVel"), ("CurveVel-A", "CurveVelA_200.npy", "CurveVel"),
             ("FaultA", "FaultA_200.npy", "FlatFault"), ("FaultA", "FaultA_200.npy", "CurveFault"),
             (None, None, "Style")]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([a.seisinr, "synth", "--out", tmp, "--count", str(a.count), "--seed", "0"], check=True,
                       stdout=subprocess.DEVNULL)
        synth = {f: np.load(os.path.join(tmp, f + ".npy"))[:, 0] for _, _, f in pairs}
    cols = ["distinct", "layers", "vmin", "vmax", "top", "bottom", "increasing", "roughness", "near_jump", "integer"]
    fmt = {"distinct": "{:.0f}", "layers": "{:.1f}", "vmin": "{:.0f}", "vmax": "{:.0f}", "top": "{:.0f}",
           "bottom": "{:.0f}", "increasing": "{:.2f}", "roughness": "{:.1f}", "near_jump": "{:.3f}",
           "integer": "{:.2f}"}
    lines = ["| family | source | maps | " + " | ".join(cols) + " |", "|" + " --- |" * (len(cols) + 3)]
    real_cache = {}
    for real_name, real_file, fam in pairs:
        if real_file:
            path = os.path.join(a.real, real_file)
            if os.path.exists(path):
                if path not in real_cache:
                    real_cache[path] = np.load(path)[:, 0]
                r = real_cache[path]
                s = stats(r)
                lines.append(f"| {fam} | real {real_name} | {len(r)} | " + " | ".join(fmt[c].format(s[c]) for c in cols) + " |")
        s = stats(synth[fam])
        lines.append(f"| {fam} | seisinr synth | {len(synth[fam])} | " + " | ".join(fmt[c].format(s[c]) for c in cols) + " |")
    table = "\n".join(lines)
    if a.out is None:
        print(table)
        return
    with open(a.out) as f:
        doc = f.read()
    begin, end = "<!-- calibration-table:begin -->", "<!-- calibration-table:end -->"
    stamp = f"Generated {datetime.date.today().isoformat()} by `bench/synth_stats.py` (medians over maps)."
    head, rest = doc.split(begin)
    _, tail = rest.split(end)
    with open(a.out, "w") as f:
        f.write(head + begin + "\n" + stamp + "\n\n" + table + "\n" + end + tail)
    print(table)


if __name__ == "__main__":
    main()
