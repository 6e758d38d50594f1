#!/usr/bin/python3
"""A whole model as tiles (issue 18, items 1-3) through the command-line tool, checked with NumPy
and python3-segyio.

Usage: test_tiled.py SEISINR_CLI
An odd-sized synthetic model (301 x 457: a multiple of no tile or block size) with a dipping fault,
written as SEG-Y by segyio. `compress --tiles on` trains a tiny decoder on the model's own tiles
(tile size 24, block 100) and stores it embedded; a second file shares that decoder by hash.
Checked: with --max-error 2 every value comes back within 2 m/s, in place (the model has no two
equal columns or rows, so a shift would show), through `decompress` with no --out (SEG-Y in, SEG-Y
out, geometry kept) and as .npy; windows (`--window`) equal the same samples of the whole decode,
bounded and lossy, and a lossy window at twice the density agrees with the 1x decode on the shared
samples; a window written as SEG-Y keeps its coordinates (CDP_X) and first depth (delay 109), and
one a single sample deep is refused rather than written; a window outside the model, a bounded window at another spacing and --window on a
compressed dataset are refused (exit 2). A tile fit stopped by SIGINT (exit 130) leaves its codes
so far in RUN/tiles.state.sinr; --resume continues from them (a state for other settings is refused)
and the file holds its bound. Seams: the lossy decode's RMSE on samples where tiles
overlap (the former tile borders) against the RMSE elsewhere is printed; the blend must not make
the borders worse than 1.5x the rest.
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import segyio

cli = sys.argv[1]
NZ, NX, DZ, DX = 301, 457, 5.0, 7.5
T, OVERLAP = 24, 4


def model():
    z, x = np.meshgrid(np.arange(NZ, dtype=np.float64), np.arange(NX, dtype=np.float64), indexing="ij")
    v = 1600 + 6.0 * z + 0.25 * x + 120 * np.sin(x / 41.0) * (z > 60) + 0.003 * x * z
    v[z > 150 + 0.35 * (x - 200)] += 350.0  # a dipping fault
    return v.astype(np.float32)


def write_segy(path, v):
    spec = segyio.spec()
    spec.samples = list(range(NZ))
    spec.tracecount = NX
    spec.format = 5
    with segyio.create(path, spec) as f:
        f.bin.update({segyio.BinField.Interval: int(DZ * 1000), segyio.BinField.Samples: NZ, segyio.BinField.Format: 5})
        for j in range(NX):
            f.header[j] = {segyio.TraceField.TRACE_SEQUENCE_LINE: j + 1, segyio.TraceField.CDP_X: int(round(j * DX * 100)),
                           segyio.TraceField.SourceGroupScalar: -100, segyio.TraceField.TRACE_SAMPLE_COUNT: NZ,
                           segyio.TraceField.TRACE_SAMPLE_INTERVAL: int(DZ * 1000)}
            f.trace[j] = np.ascontiguousarray(v[:, j])


def run(*args, expect=0):
    r = subprocess.run([cli, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert r.returncode == expect, f"{args}: exit {r.returncode}, expected {expect}\n{r.stdout}"
    return r.stdout


def load(path):
    return np.load(path)[0, 0]


def main():
    v = model()
    assert len(np.unique(v[:, 0])) == NZ and len(np.unique(v[0, :])) == NX
    with tempfile.TemporaryDirectory() as d:
        sgy = os.path.join(d, "odd.sgy")
        write_segy(sgy, v)
        bounded = os.path.join(d, "odd.sinr")
        out = run("compress", "--data", sgy, "--out", bounded, "--tiles", "on", "--tile-size", str(T), "--tile-overlap", str(OVERLAP),
                  "--preset", "tiny", "--epochs", "60", "--max-error", "2", "--block", "100", "--latent-bits", "8")
        print(out.strip().splitlines()[-1])
        assert re.search(r"PSNR (\d+\.\d\d|inf \(exact\)) dB", out), out  # 2 decimals (was 13)
        # decompress with no --out: SEG-Y in, SEG-Y out, next to the file; never over an existing one.
        run("decompress", bounded)
        back = os.path.join(d, "odd.decompressed.sgy")
        with segyio.open(back, ignore_geometry=True) as f:
            b = np.stack([np.array(t) for t in f.trace[:]], axis=1)
            assert f.tracecount == NX and len(f.samples) == NZ, (f.tracecount, len(f.samples))
            assert f.bin[segyio.BinField.Interval] == int(DZ * 1000)
            h0, h1 = f.header[0], f.header[1]
            scal = h0[segyio.TraceField.SourceGroupScalar]
            dx = (h1[segyio.TraceField.CDP_X] - h0[segyio.TraceField.CDP_X]) / (-scal if scal < 0 else 1 / max(scal, 1))
            assert abs(dx - DX) < 1e-6, dx
        err = np.abs(b - v)
        print(f"bounded 2 m/s: max error {err.max():.4f} m/s over {v.size} values (SEG-Y out)")
        assert b.shape == v.shape and err.max() <= 2.0, err.max()
        out = run("decompress", bounded, expect=2)
        assert "exists" in out, out
        whole = os.path.join(d, "whole.npy")
        assert ": 1 map of 301x457" in run("decompress", bounded, "--out", whole)  # not "1 maps"
        assert np.array_equal(load(whole), b)

        # A second file sharing the first one's decoder by hash, lossy (codes only).
        decoder = os.path.join(d, "odd.sinr.run", "model.sinr")
        lossy = os.path.join(d, "lossy.sinr")
        run("compress", "--data", sgy, "--out", lossy, "--tiles", "on", "--model", decoder, "--tile-overlap", str(OVERLAP), "--encode-steps", "100")
        full = os.path.join(d, "lossy.npy")
        run("decompress", lossy, "--out", full, "--model", decoder)
        l = load(full)
        assert l.shape == v.shape and np.isfinite(l).all()

        # Windows: the same samples as the whole decode; twice the density agrees on shared samples.
        win = os.path.join(d, "w.npy")
        run("decompress", bounded, "--window", "37:211,100:457", "--out", win)
        assert np.array_equal(load(win), b[37:211, 100:457])
        run("decode", lossy, "--window", "37:211,100:457", "--out", win, "--model", decoder)
        assert np.abs(load(win) - l[37:211, 100:457]).max() < 1e-2
        run("decode", lossy, "--window", "37:211,100:457", "--resolution", "347x713", "--out", win, "--model", decoder)
        w2 = load(win)
        assert w2.shape == (347, 713) and np.abs(w2[::2, ::2] - l[37:211, 100:457]).max() < 1e-2
        # A window written as SEG-Y keeps its place: traces at x0 + j*dx, the first sample at z0 (delay 109).
        wsgy = os.path.join(d, "w.sgy")
        run("decompress", bounded, "--window", "37:211,100:457", "--out", wsgy)
        with segyio.open(wsgy, ignore_geometry=True) as f:
            h0, h1 = f.header[0], f.header[1]
            scal = h0[segyio.TraceField.SourceGroupScalar]
            xs = [h[segyio.TraceField.CDP_X] / -scal for h in (h0, h1)]
            tscal = h0[segyio.TraceField.ScalarTraceHeader] or 1
            z0 = h0[segyio.TraceField.DelayRecordingTime] * (tscal if tscal > 0 else 1 / -tscal)
            assert abs(xs[0] - 100 * DX) < 1e-6 and abs(xs[1] - xs[0] - DX) < 1e-6, xs
            assert abs(z0 - 37 * DZ) < 1e-6, z0
            assert np.array_equal(np.stack([np.array(t) for t in f.trace[:]], axis=1), b[37:211, 100:457])
        info = run("info", wsgy)
        assert f"first sample at z {37 * DZ:g} m, x {100 * DX:g} m" in info, info
        # One sample deep: refused before writing a file the reader would refuse.
        out = run("decompress", bounded, "--window", "37:38,100:457", "--out", os.path.join(d, "w1.sgy"), expect=2)
        assert "at least 2 samples" in out and not os.path.exists(os.path.join(d, "w1.sgy")), out
        run("decompress", bounded, "--window", "0:302,0:10", "--out", win, expect=2)
        out = run("decode", lossy, "--window", "0:100,0:100", "--resolution", "65536x65536", "--out", win, "--model", decoder, expect=2)
        assert "needs 16.0 GiB in memory" in out, out  # refused before allocating
        run("decompress", bounded, "--window", "0:100,0:100", "--resolution", "199x199", "--out", win, expect=2)

        # Seams: error where tiles overlap (former borders) against error elsewhere.
        e2 = (l.astype(np.float64) - v) ** 2
        border = np.zeros(v.shape, bool)
        for axis, n in ((0, NZ), (1, NX)):
            starts = tile_starts(n, T, OVERLAP)
            for prev, p in zip(starts, starts[1:]):
                sl = [slice(None), slice(None)]
                sl[axis] = slice(p, prev + T)  # where tile `prev` and tile `p` both reach
                border[tuple(sl)] = True
        rb, ri = np.sqrt(e2[border].mean()), np.sqrt(e2[~border].mean())
        print(f"seams (lossy, {border.sum()} border samples): RMSE at tile borders {rb:.2f} m/s, elsewhere {ri:.2f} m/s, ratio {rb / ri:.2f}")
        assert rb <= 1.5 * ri, (rb, ri)

        # A long fit stopped by SIGINT keeps its codes so far; --resume continues from them.
        big = os.path.join(d, "big.npy")
        zz, xx = np.meshgrid(np.arange(500.0), np.arange(1000.0), indexing="ij")  # 25 x 50 tiles: 5 chunks of 256
        vb = (1600 + 2.0 * zz + 0.3 * xx + 80 * np.sin(xx / 53.0) * np.cos(zz / 37.0)).astype(np.float32)
        np.save(big, vb)
        bout, run_dir = os.path.join(d, "big.sinr"), os.path.join(d, "big.run")
        state = os.path.join(run_dir, "tiles.state.sinr")
        args = [cli, "compress", "--data", big, "--out", bout, "--model", decoder, "--tile-overlap", str(OVERLAP), "--max-error", "5", "--run", run_dir]
        p = subprocess.Popen(args + ["--encode-steps", "150"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(600):
            if os.path.exists(state) or p.poll() is not None:
                break
            time.sleep(0.1)
        assert p.poll() is None, "the fit finished before a state was saved: " + p.communicate()[0]
        p.send_signal(signal.SIGINT)
        text = p.communicate()[0]
        assert p.returncode == 130, (p.returncode, text)
        assert os.path.exists(state) and not os.path.exists(bout)
        out = run("compress", *args[2:], "--encode-steps", "149", "--resume", expect=2)  # another fit's state is refused
        assert "tiles.state.sinr" in out, out
        out = run("compress", *args[2:], "--encode-steps", "150", "--resume")
        done = int(out.split("resuming the fit at tile ")[1].split()[0])
        print(f"resume: the fit stopped by SIGINT continued at tile {done}")
        assert done >= 256 and not os.path.exists(state)
        run("decompress", bout, "--out", os.path.join(d, "big_back.npy"), "--model", decoder)
        assert np.abs(load(os.path.join(d, "big_back.npy")) - vb).max() <= 5.0
    print("tiled: ok")


def tile_starts(n, t, overlap):
    """codec/tiles.h's layout at scale 1, written out independently."""
    f = t
    if n <= f:
        return [0]
    starts, p = [], 0
    while p + f < n:
        starts.append(p)
        p += f - overlap
    starts.append(n - f)
    return starts


if __name__ == "__main__":
    main()
