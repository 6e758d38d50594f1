#!/usr/bin/python3
"""Speed of `seisinr forward` against a plain PyTorch implementation of the same stencil.

Usage: bench/fwi_speed.py [--seisinr build/seisinr] [--maps 4] [--threads 1,2] [--gradient] [--out bench/results/fwi]

Both run OpenFWI's survey (docs/fwi.md: 70x70 maps padded by 120 damping cells to 310x310,
5 shots x 1,000 steps, 4th-order Laplacian) on the first --maps FlatVel-A maps of
../shared/data/openfwi. seisinr's time per map is the command on all maps less the command on one,
over maps - 1 (best of 2 each), so the process start is not charged to the solver. The PyTorch script is the scheme written the obvious way in torch
(float32 tensors, slicing for the stencil, one shot at a time, torch.set_num_threads(T)); its
gathers are also compared with seisinr's (they must agree to float32 rounding: a second,
independent implementation of the same equations). The memory-bandwidth floor: each cell update
streams 7 float32 values (current and previous field, the four coefficient arrays, the write),
28 bytes, so updates/s <= bandwidth / 28 B, with the bandwidth measured here by a NumPy copy of
256 MiB (read + write). Writes OUT/speed.json and OUT/speed.md.

With --gradient, also the misfit gradient of one map (5 shots): seisinr's adjoint-state
gradient (`seisinr invert --space grid`, the median of 3 evaluations from its log) against
PyTorch autograd through the same script (one shot's graph at a time, the damping held fixed),
against observed gathers of the next map. Writes OUT/gradient_speed.json and .md.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

NB, NT, F, DT, DX = 120, 1000, 15.0, 1e-3, 10.0
W4 = (-5.0 / 2, 4.0 / 3, -1.0 / 12)


def ricker():
    nw = int(2 * math.floor(2.2 / F / DT / 2) + 1)
    c = nw // 2
    a = math.pi * F * DT * (c - np.arange(nw))
    return ((1 - 2 * a * a) * np.exp(-a * a)).astype(np.float32)


def damping_kappa(vmin, nz, nx):
    """kappa = d dt on the padded (nz + 2 NB) x (nx + 2 NB) grid: the damping layer of wave/acoustic.h."""
    A_ = (NB - 1) * DX
    k0 = 3 * vmin * math.log(1e7) / (2 * A_)

    def prof(n, inner):
        i = np.zeros(n)
        i[:NB] = np.arange(NB - 1, -1, -1)
        i[NB + inner:] = np.arange(NB)
        d = k0 * (i * DX / A_) ** 2
        d[NB:NB + inner] = 0
        return d
    return np.maximum(prof(nz + 2 * NB, nz)[:, None], prof(nx + 2 * NB, nx)[None, :]) * DT


def torch_forward(v):
    """Gathers (5, NT, 70) of one 70x70 map, the scheme of wave/acoustic.h in plain torch."""
    nz, nx = v.shape
    vp = np.pad(v, NB, mode="edge").astype(np.float64)
    NZ, NX = vp.shape
    kappa = damping_kappa(float(v.min()), nz, nx)
    alpha = (vp * DT / DX) ** 2
    A = torch.tensor(2 - kappa + W4[0] * 2 * alpha, dtype=torch.float32)
    B = torch.tensor(1 - kappa, dtype=torch.float32)
    al = torch.tensor(alpha, dtype=torch.float32)
    vdt2 = torch.tensor((vp * DT) ** 2, dtype=torch.float32)
    w = torch.tensor(ricker())
    src_x = [int(np.round(k * (nx - 1) / 4)) for k in range(5)]
    out = torch.zeros(5, NT, nx)
    for s, sx in enumerate(src_x):
        cur = torch.zeros(NZ + 4, NX + 4)
        prev = torch.zeros(NZ + 4, NX + 4)
        for n in range(NT):
            c = cur
            lap = (W4[1] * (c[2:-2, 3:-1] + c[2:-2, 1:-3] + c[3:-1, 2:-2] + c[1:-3, 2:-2])
                   + W4[2] * (c[2:-2, 4:] + c[2:-2, :-4] + c[4:, 2:-2] + c[:-4, 2:-2]))
            new = torch.zeros_like(prev)
            new[2:-2, 2:-2] = A * c[2:-2, 2:-2] - B * prev[2:-2, 2:-2] + al * lap
            if n < len(w):
                new[2 + NB + 1, 2 + NB + sx] += vdt2[NB + 1, NB + sx] * w[n]
            out[s, n] = new[2 + NB + 1, 2 + NB:2 + NB + nx]
            prev, cur = cur, new
    return out.numpy()


def torch_misfit_gradient(v, obs):
    """J and dJ/dv of one 70x70 map by autograd through torch_forward's scheme."""
    nz, nx = v.shape
    vt = torch.tensor(v, dtype=torch.float32, requires_grad=True)
    NZ, NX = nz + 2 * NB, nx + 2 * NB
    kappa = torch.tensor(damping_kappa(float(v.min()), nz, nx), dtype=torch.float32)
    B = 1 - kappa
    w = torch.tensor(ricker())
    src_x = [int(np.round(k * (nx - 1) / 4)) for k in range(5)]
    total = 0.0
    for s, sx in enumerate(src_x):  # one shot's graph at a time (its coefficients built in it)
        vp = torch.nn.functional.pad(vt[None, None], (NB, NB, NB, NB), mode="replicate")[0, 0]
        alpha = (vp * DT / DX) ** 2
        A = 2 - kappa + W4[0] * 2 * alpha
        vdt2 = (vp * DT) ** 2
        cur = torch.zeros(NZ + 4, NX + 4)
        prev = torch.zeros(NZ + 4, NX + 4)
        j = 0
        for n in range(NT):
            c = cur
            lap = (W4[1] * (c[2:-2, 3:-1] + c[2:-2, 1:-3] + c[3:-1, 2:-2] + c[1:-3, 2:-2])
                   + W4[2] * (c[2:-2, 4:] + c[2:-2, :-4] + c[4:, 2:-2] + c[:-4, 2:-2]))
            inner = A * c[2:-2, 2:-2] - B * prev[2:-2, 2:-2] + alpha * lap
            if n < len(w):
                src = torch.zeros_like(inner)
                src[NB + 1, NB + sx] = 1.0
                inner = inner + src * vdt2[NB + 1, NB + sx] * w[n]
            new = torch.nn.functional.pad(inner, (2, 2, 2, 2))
            j = j + 0.5 * ((new[2 + NB + 1, 2 + NB:2 + NB + nx] - torch.tensor(obs[s, n])) ** 2).sum()
            prev, cur = cur, new
        j.backward()
        total += float(j)
    return total, vt.grad.numpy()


def bandwidth():
    a = np.ones(64 * 1024 * 1024, dtype=np.float32)
    b = np.empty_like(a)
    best = 0
    for _ in range(5):
        t = time.perf_counter()
        np.copyto(b, a)
        best = max(best, 2 * a.nbytes / (time.perf_counter() - t))
    return best


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    ap.add_argument("--openfwi", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    ap.add_argument("--maps", type=int, default=4)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--out", default=os.path.join(here, "results", "fwi"))
    ap.add_argument("--gradient", action="store_true", help="time the misfit gradient instead of the forward")
    a = ap.parse_args()
    if a.gradient:
        return gradient_main(a)
    os.makedirs(a.out, exist_ok=True)
    if a.maps < 2:
        sys.exit("--maps: at least 2 (the per-map time is the difference between all maps and one)")
    v = np.load(os.path.join(a.openfwi, "FlatVelA_200.npy"))[: a.maps]
    cells = 5 * NT * (70 + 2 * NB) ** 2
    bw = bandwidth()
    floor = bw / 28
    rows, ref = [], None
    with tempfile.TemporaryDirectory() as tmp:
        vin, vone = os.path.join(tmp, "v.npy"), os.path.join(tmp, "v1.npy")
        np.save(vin, v)
        np.save(vone, v[:1])

        def command(src, out, t):  # best of 2 runs of the whole command, seconds
            best = float("inf")
            for _ in range(2):
                t0 = time.perf_counter()
                subprocess.run([a.seisinr, "forward", "--velocity", src, "--out", out, "--threads", str(t), "--force"], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                best = min(best, time.perf_counter() - t0)
            return best
        for t in (int(x) for x in a.threads.split(",")):
            out = os.path.join(tmp, f"d{t}.npy")
            # Per map: the command on all maps less the command on one, over maps - 1, so the process
            # start (libtorch's loading, ~0.6 s here) is not charged to the solver.
            whole, one = command(vin, out, t), command(vone, os.path.join(tmp, "one.npy"), t)
            s = (whole - one) / (a.maps - 1)
            rows.append({"impl": "seisinr forward", "threads": t, "s_per_map": s, "s_per_shot_core": s * t / 5,
                         "updates_per_s": cells / s, "command_s": whole, "command_one_map_s": one})
            ref = np.load(out)
        for t in (int(x) for x in a.threads.split(",")):
            torch.set_num_threads(t)
            t0 = time.perf_counter()
            got = torch_forward(v[0, 0])
            s = time.perf_counter() - t0
            rows.append({"impl": "PyTorch script", "threads": t, "s_per_map": s, "s_per_shot_core": s * t / 5,
                         "updates_per_s": cells / s})
    diff = float(np.abs(got - ref[0]).max() / np.abs(ref[0]).max())
    res = {"date": time.strftime("%Y-%m-%d"), "bandwidth_GBps": bw / 1e9, "floor_updates_per_s": floor, "rows": rows,
           "torch_vs_seisinr_max_rel_diff": diff, "maps": a.maps}
    json.dump(res, open(os.path.join(a.out, "speed.json"), "w"), indent=1)
    md = [f"`bench/fwi_speed.py` ({res['date']}): OpenFWI's survey, 70x70 FlatVel-A maps, 5 shots x 1,000 steps on "
          f"310x310 cells ({cells:.3g} cell updates per map). Memory copy bandwidth {bw / 1e9:.1f} GB/s: floor "
          f"{floor:.3g} updates/s at 28 B per update. PyTorch and seisinr gathers agree to {diff:.1e} (max |diff| / max |d|).", "",
          "| implementation | threads | s per map | updates/s | updates/s over the DRAM copy floor (arrays in cache can pass 1) |", "| --- | --- | --- | --- | --- |"]
    for r in rows:
        md.append(f"| {r['impl']} | {r['threads']} | {r['s_per_map']:.2f} | {r['updates_per_s']:.3g} | "
                  f"{r['updates_per_s'] / floor:.2f} |")
    open(os.path.join(a.out, "speed.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


def gradient_main(a):
    os.makedirs(a.out, exist_ok=True)
    v = np.load(os.path.join(a.openfwi, "FlatVelA_200.npy"))[:2].astype(np.float32)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        vin, start, obs = (os.path.join(tmp, f) for f in ("v.npy", "start.npy", "obs.npy"))
        np.save(vin, v[1:2])
        np.save(start, v[0:1])
        subprocess.run([a.seisinr, "forward", "--velocity", vin, "--out", obs, "--threads", "2"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for t in (int(x) for x in a.threads.split(",")):
            out = os.path.join(tmp, f"inv{t}.npy")
            subprocess.run([a.seisinr, "invert", "--data", obs, "--space", "grid", "--optimizer", "adam", "--init", start,
                            "--iters", "3", "--threads", str(t), "--out", out], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            secs = sorted(json.loads(l)["seconds"] for l in open(out[:-4] + ".log.jsonl") if '"iter"' in l)
            rows.append({"impl": "seisinr adjoint-state gradient", "threads": t, "s_per_map": secs[len(secs) // 2]})
        d = np.load(obs)[0]
    for t in (int(x) for x in a.threads.split(",")):
        torch.set_num_threads(t)
        t0 = time.perf_counter()
        torch_misfit_gradient(v[0, 0], d)
        rows.append({"impl": "PyTorch autograd", "threads": t, "s_per_map": time.perf_counter() - t0})
    res = {"date": time.strftime("%Y-%m-%d"), "rows": rows}
    json.dump(res, open(os.path.join(a.out, "gradient_speed.json"), "w"), indent=1)
    md = [f"`bench/fwi_speed.py --gradient` ({res['date']}): the misfit gradient of one 70x70 FlatVel-A map "
          "(5 shots x 1,000 steps on 310x310 cells) against the next map's gathers.", "",
          "| implementation | threads | s per gradient |", "| --- | --- | --- |"]
    md += [f"| {r['impl']} | {r['threads']} | {r['s_per_map']:.2f} |" for r in rows]
    open(os.path.join(a.out, "gradient_speed.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
