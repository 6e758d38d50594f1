#!/usr/bin/python3
"""Speed of `seisinr forward` and of its gradient against a PyTorch script and deepwave.

Usage: bench/fwi_speed.py [--seisinr build/seisinr] [--maps 6] [--threads 1,2] [--family FaultA]
                          [--boundary damping|cpml] [--deepwave DIR] [--gradient] [--reflection] [--out bench/results/fwi]

All run OpenFWI's survey (docs/fwi.md: 70x70 maps, 5 shots x 1,000 steps of 1 ms, 4th-order
Laplacian, a 15 Hz Ricker) on the first --maps maps of the family in ../shared/data/openfwi.
--boundary damping (the default) pads them by OpenFWI's 120 damping cells (310x310); cpml by a
20-cell C-PML (110x110, `seisinr forward --boundary cpml`). seisinr's time per map is the command
on all maps less the command on one, over maps - 1 (best of 2 each), so the process start is not
charged to the solver. The PyTorch script (damping layer only) is the scheme written the obvious
way in torch (float32 tensors, slicing for the stencil, one shot at a time,
torch.set_num_threads(T)); its gathers are also compared with seisinr's (they must agree to
float32 rounding: a second, independent implementation of the same equations). The
memory-bandwidth floor: each cell update streams 7 float32 values (current and previous field,
the four coefficient arrays, the write), 28 bytes, so updates/s <= bandwidth / 28 B, with the
bandwidth measured here by a NumPy copy of 256 MiB (read + write). Writes OUT/speed[_cpml].json/.md.

--deepwave DIR adds deepwave (github.com/ar4/deepwave; its scalar propagator with a 20-cell
C-PML, accuracy 4, in-process, best of 3 per map after one warm-up call, in a subprocess with
OMP_NUM_THREADS = torch threads = T). DIR holds its Python package with the C library built
beside it. deepwave is not a Debian package; built from its source on this machine:
    fetch github:ar4/deepwave (the snapshot's src/, CMakeLists.txt, pyproject.toml), then
    cmake -S DW -B DW/build -DCMAKE_BUILD_TYPE=Release -DCMAKE_DISABLE_FIND_PACKAGE_CUDAToolkit=ON \
          -DCMAKE_C_FLAGS="-O3 -march=native"
    cmake --build DW/build -j2; cp DW/build/libdeepwave_C.so DW/src/deepwave/      (DIR = DW/src)
and driven with Debian's python3-torch. deepwave resamples time to keep its Courant number below
0.6: a map faster than 4,243 m/s (30% of FaultA's) takes 2 internal steps per 1 ms step. Both
are reported: "as called" (its own choice) and "max_vel 4,200" (1,000 steps for every map, as
seisinr; its PML then tuned for 4,200 m/s).

--gradient: the misfit gradient of one map (5 shots) against the next map's gathers: seisinr's
adjoint-state gradient (`seisinr invert --space grid`: the first evaluation of the process and the
median of the next ones, from its log), PyTorch autograd through the script (damping only), and
deepwave's (autograd through its C adjoint, same survey, best of 3 after a warm-up).

--reflection: the boundary's reflection, as tests/test_wave.cpp measures it: a 70x70 model at
2,500 m/s, a source in the middle, receivers 3 cells from the left edge, at the top-left corner
and at the source, against the same model padded by 250 cells (whose boundary is too far to answer
in 0.7 s): the largest trace difference in dB below the direct wave's peak, for seisinr's 20-cell
C-PML and deepwave's (as called).
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


def src_columns(nx=70):
    return [int(np.round(k * (nx - 1) / 4)) for k in range(5)]


def deepwave_survey(nx=70, shots=None, receivers=None):
    """deepwave's source amplitudes and locations for OpenFWI's survey (or the given positions)."""
    shots = shots if shots is not None else [[1, x] for x in src_columns(nx)]
    receivers = receivers if receivers is not None else [[1, x] for x in range(nx)]
    w = np.zeros(NT, dtype=np.float32)
    r = ricker()
    w[: len(r)] = r
    amps = torch.tensor(np.tile(w, (len(shots), 1, 1)))
    src = torch.tensor([[p] for p in shots], dtype=torch.long)
    rec = torch.tensor([receivers] * len(shots), dtype=torch.long)
    return amps, src, rec


def deepwave_worker(spec):
    """Runs in a subprocess (OMP_NUM_THREADS set): times deepwave and prints a JSON line."""
    sys.path.insert(0, spec["deepwave"])
    import deepwave  # noqa: E402
    torch.set_num_threads(spec["threads"])
    max_vel = spec.get("max_vel")
    amps, src, rec = deepwave_survey()

    def fwd(v, **kw):
        return deepwave.scalar(v, DX, DT, source_amplitudes=amps, source_locations=src, receiver_locations=rec, accuracy=4,
                               pml_width=20, pml_freq=F, max_vel=max_vel, **kw)[-1]
    maps = np.load(spec["maps"]).reshape(-1, 70, 70).astype(np.float32)
    out = {}
    if spec["task"] == "forward":
        times = []
        fwd(torch.tensor(maps[0]))  # warm-up
        for m in maps:
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                d = fwd(torch.tensor(m))
                best = min(best, time.perf_counter() - t0)
            times.append(best)
        out = {"s_per_map": float(np.mean(times))}
        np.save(spec["gathers"], d.numpy().transpose(0, 2, 1)[None])  # the last map's, as seisinr's (1, shots, nt, receivers)
    elif spec["task"] == "gradient":
        obs = fwd(torch.tensor(maps[1])).detach()
        times = []
        for i in range(4):  # the first is the warm-up
            v = torch.tensor(maps[0], requires_grad=True)
            t0 = time.perf_counter()
            loss = 0.5 * ((fwd(v) - obs) ** 2).sum()
            loss.backward()
            times.append(time.perf_counter() - t0)
        out = {"first_s": times[0], "s_per_map": min(times[1:])}
    elif spec["task"] == "reflection":
        n, pad = 70, 250
        shots, recs = [[35, 35]], [[35, 3], [1, 1], [35, 35]]
        res = []
        for N, off in ((n, 0), (n + 2 * pad, pad)):
            a, s_, r_ = deepwave_survey(shots=[[z + off, x + off] for z, x in shots], receivers=[[z + off, x + off] for z, x in recs])
            a = a[:, :, :700]
            v = torch.full((N, N), 2500.0)
            res.append(deepwave.scalar(v, DX, DT, source_amplitudes=a, source_locations=s_, receiver_locations=r_, accuracy=4,
                                       pml_width=20, pml_freq=F)[-1][0].numpy())
        small, big = res
        out = {"reflection_db": reflection_db(small.T, big.T)}
    print(json.dumps(out))


def reflection_db(small, big):
    """Largest |small - big| over the largest |big|, in dB, worst receiver (arrays (nt, receivers))."""
    worst = -1e9
    for r in range(small.shape[1]):
        worst = max(worst, 20 * math.log10(np.abs(small[:, r] - big[:, r]).max() / np.abs(big[:, r]).max()))
    return worst


def run_deepwave(a, task, tmp, maps_file, threads, **extra):
    spec = {"deepwave": a.deepwave, "task": task, "maps": maps_file, "threads": threads,
            "gathers": os.path.join(tmp, f"dw_{task}_{threads}.npy"), **extra}
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--deepwave-worker", json.dumps(spec)], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"deepwave worker failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1]), spec["gathers"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    if len(sys.argv) == 3 and sys.argv[1] == "--deepwave-worker":
        return deepwave_worker(json.loads(sys.argv[2]))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    ap.add_argument("--openfwi", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    ap.add_argument("--maps", type=int, default=6)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--family", default="FaultA", choices=["FlatVelA", "CurveVelA", "FaultA"])
    ap.add_argument("--boundary", default="damping", choices=["damping", "cpml"])
    ap.add_argument("--deepwave", help="deepwave's package folder (its src/, with libdeepwave_C.so built)")
    ap.add_argument("--out", default=os.path.join(here, "results", "fwi"))
    ap.add_argument("--gradient", action="store_true", help="time the misfit gradient instead of the forward")
    ap.add_argument("--reflection", action="store_true", help="measure the boundary's reflection (seisinr's C-PML, deepwave's)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.reflection:
        return reflection_main(a)
    if a.gradient:
        return gradient_main(a)
    if a.maps < 2:
        sys.exit("--maps: at least 2 (the per-map time is the difference between all maps and one)")
    cpml = a.boundary == "cpml"
    v = np.load(os.path.join(a.openfwi, f"{a.family}_200.npy"))[: a.maps]
    side = 70 + 2 * (20 if cpml else NB)
    cells = 5 * NT * side ** 2
    bw = bandwidth()
    floor = bw / 28
    rows, ref, got = [], None, None
    flag = ["--boundary", "cpml"] if cpml else []
    with tempfile.TemporaryDirectory() as tmp:
        vin, vone = os.path.join(tmp, "v.npy"), os.path.join(tmp, "v1.npy")
        np.save(vin, v)
        np.save(vone, v[-1:])

        def command(src, out, t):  # best of 2 runs of the whole command, seconds
            best = float("inf")
            for _ in range(2):
                t0 = time.perf_counter()
                subprocess.run([a.seisinr, "forward", "--velocity", src, "--out", out, "--threads", str(t), "--force"] + flag, check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                best = min(best, time.perf_counter() - t0)
            return best
        for t in (int(x) for x in a.threads.split(",")):
            out = os.path.join(tmp, f"d{t}.npy")
            # Per map: the command on all maps less the command on one, over maps - 1, so the process
            # start (libtorch's loading, ~0.6 s here) is not charged to the solver.
            whole, one = command(vin, out, t), command(vone, os.path.join(tmp, "one.npy"), t)
            s = (whole - one) / (a.maps - 1)
            rows.append({"impl": f"seisinr forward, {'20-cell C-PML' if cpml else '120-cell damping layer'}", "threads": t,
                         "s_per_map": s, "s_per_shot_core": s * t / 5, "updates_per_s": cells / s, "command_s": whole,
                         "command_one_map_s": one})
            ref = np.load(out)
        if not cpml:
            for t in (int(x) for x in a.threads.split(",")):
                torch.set_num_threads(t)
                t0 = time.perf_counter()
                got = torch_forward(v[0, 0])
                s = time.perf_counter() - t0
                rows.append({"impl": "PyTorch script, 120-cell damping layer", "threads": t, "s_per_map": s, "s_per_shot_core": s * t / 5,
                             "updates_per_s": cells / s})
        dw_corr = None
        if a.deepwave:
            dw_cells = 5 * NT * (70 + 2 * 20) ** 2
            for label, extra in (("as called", {}), ("max_vel 4,200: 1,000 steps", {"max_vel": 4200.0})):
                for t in (int(x) for x in a.threads.split(",")):
                    r, gathers = run_deepwave(a, "forward", tmp, vin, t, **extra)
                    rows.append({"impl": f"deepwave, 20-cell C-PML, {label}", "threads": t, "s_per_map": r["s_per_map"],
                                 "s_per_shot_core": r["s_per_map"] * t / 5, "updates_per_s": dw_cells / r["s_per_map"]})
                if cpml and not extra:
                    # deepwave records the field one step earlier and with the opposite sign (docs/fwi.md)
                    dw = np.load(gathers)[0]
                    mine = ref[-1]
                    dw_corr = float(np.corrcoef(mine[:, :-1].ravel(), -dw[:, 1:].ravel())[0, 1])
    diff = float(np.abs(got - ref[0]).max() / np.abs(ref[0]).max()) if got is not None else None
    res = {"date": time.strftime("%Y-%m-%d"), "family": a.family, "boundary": a.boundary, "bandwidth_GBps": bw / 1e9,
           "floor_updates_per_s": floor, "rows": rows, "torch_vs_seisinr_max_rel_diff": diff, "deepwave_correlation": dw_corr,
           "maps": a.maps}
    name = "speed" + ("_cpml" if cpml else "")
    json.dump(res, open(os.path.join(a.out, name + ".json"), "w"), indent=1)
    md = [f"`bench/fwi_speed.py --family {a.family} --boundary {a.boundary}{' --deepwave DIR' if a.deepwave else ''}` ({res['date']}): "
          f"OpenFWI's survey, 70x70 {a.family} maps, 5 shots x 1,000 steps on {side}x{side} cells ({cells:.3g} cell updates per map). "
          f"Memory copy bandwidth {bw / 1e9:.1f} GB/s: floor {floor:.3g} updates/s at 28 B per update."]
    if diff is not None:
        md[0] += f" PyTorch and seisinr gathers agree to {diff:.1e} (max |diff| / max |d|)."
    if dw_corr is not None:
        md[0] += f" seisinr's and deepwave's gathers (aligned by one sample and sign) correlate at {dw_corr:.5f}."
    md += ["", "| implementation | threads | s per map | updates/s |", "| --- | --- | --- | --- |"]
    for r in rows:
        md.append(f"| {r['impl']} | {r['threads']} | {r['s_per_map']:.3f} | {r['updates_per_s']:.3g} |")
    open(os.path.join(a.out, name + ".md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


def reflection_main(a):
    n, pad, nt = 70, 250, 700
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        traces = []
        for N, off in ((n, 0), (n + 2 * pad, pad)):
            vin, sv, out = (os.path.join(tmp, f"{x}{N}.{e}") for x, e in (("v", "npy"), ("s", "json"), ("d", "npy")))
            np.save(vin, np.full((1, 1, N, N), 2500.0, dtype=np.float32))
            json.dump({"nt": nt, "boundary": {"kind": "cpml", "width": 20}, "sources": [[35 + off, 35 + off]],
                       "receivers": [[35 + off, 3 + off], [1 + off, 1 + off], [35 + off, 35 + off]]}, open(sv, "w"))
            subprocess.run([a.seisinr, "forward", "--velocity", vin, "--acquisition", sv, "--out", out, "--threads", "2"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            traces.append(np.load(out)[0, 0])
        rows.append({"impl": "seisinr, 20-cell C-PML", "reflection_db": reflection_db(*traces)})
        if a.deepwave:
            r, _ = run_deepwave(a, "reflection", tmp, os.path.join(tmp, "v70.npy"), 2)
            rows.append({"impl": "deepwave, 20-cell C-PML", "reflection_db": r["reflection_db"]})
    res = {"date": time.strftime("%Y-%m-%d"), "rows": rows}
    json.dump(res, open(os.path.join(a.out, "reflection.json"), "w"), indent=1)
    md = [f"`bench/fwi_speed.py --reflection` ({res['date']}): 70x70 cells at 2,500 m/s, 4th order, 700 steps; the largest trace "
          "difference against the model padded by 250 cells, worst of 3 receivers, in dB below the direct wave's peak.", "",
          "| boundary | reflection |", "| --- | --- |"]
    md += [f"| {r['impl']} | {r['reflection_db']:.1f} dB |" for r in rows]
    open(os.path.join(a.out, "reflection.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


def gradient_main(a):
    cpml = a.boundary == "cpml"
    v = np.load(os.path.join(a.openfwi, f"{a.family}_200.npy"))[:2].astype(np.float32)
    flag = ["--boundary", "cpml"] if cpml else []
    side = 70 + 2 * (20 if cpml else NB)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        vin, start, obs, both = (os.path.join(tmp, f) for f in ("v.npy", "start.npy", "obs.npy", "both.npy"))
        np.save(vin, v[1:2])
        np.save(start, v[0:1])
        np.save(both, v)
        subprocess.run([a.seisinr, "forward", "--velocity", vin, "--out", obs, "--threads", "2"] + flag, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for t in (int(x) for x in a.threads.split(",")):
            out = os.path.join(tmp, f"inv{t}.npy")
            subprocess.run([a.seisinr, "invert", "--data", obs, "--space", "grid", "--optimizer", "adam", "--init", start,
                            "--iters", "5", "--threads", str(t), "--out", out] + flag, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            secs = [json.loads(l)["seconds"] for l in open(out[:-4] + ".log.jsonl") if '"iter"' in l]
            later = sorted(secs[1:])
            rows.append({"impl": f"seisinr adjoint-state gradient, {'20-cell C-PML' if cpml else '120-cell damping layer'}", "threads": t,
                         "first_s": secs[0], "s_per_map": later[len(later) // 2]})
        d = np.load(obs)[0]
        if not cpml:
            for t in (int(x) for x in a.threads.split(",")):
                torch.set_num_threads(t)
                t0 = time.perf_counter()
                torch_misfit_gradient(v[0, 0], d)
                rows.append({"impl": "PyTorch autograd, 120-cell damping layer", "threads": t, "s_per_map": time.perf_counter() - t0})
        if a.deepwave:
            for label, extra in (("as called", {}), ("max_vel 4,200: 1,000 steps", {"max_vel": 4200.0})):
                for t in (int(x) for x in a.threads.split(",")):
                    r, _ = run_deepwave(a, "gradient", tmp, both, t, **extra)
                    rows.append({"impl": f"deepwave, 20-cell C-PML, {label}", "threads": t, "first_s": r["first_s"], "s_per_map": r["s_per_map"]})
    res = {"date": time.strftime("%Y-%m-%d"), "family": a.family, "boundary": a.boundary, "rows": rows}
    name = "gradient_speed" + ("_cpml" if cpml else "")
    json.dump(res, open(os.path.join(a.out, name + ".json"), "w"), indent=1)
    md = [f"`bench/fwi_speed.py --gradient --family {a.family} --boundary {a.boundary}{' --deepwave DIR' if a.deepwave else ''}` "
          f"({res['date']}): the misfit gradient of one 70x70 {a.family} map (5 shots x 1,000 steps on {side}x{side} cells) against "
          "the next map's gathers. First: the first evaluation of the process; then the median (seisinr, of 4 more) or the best "
          "(deepwave, of 3 more).", "",
          "| implementation | threads | s, first call | s per gradient, later calls |", "| --- | --- | --- | --- |"]
    md += [f"| {r['impl']} | {r['threads']} | {r['first_s']:.3f} | {r['s_per_map']:.3f} |" if "first_s" in r else
           f"| {r['impl']} | {r['threads']} | | {r['s_per_map']:.3f} |" for r in rows]
    open(os.path.join(a.out, name + ".md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
