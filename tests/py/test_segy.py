#!/usr/bin/python3
"""SEG-Y in and out (issue 18, item 1) against segyio's own Python package.

Usage: test_segy.py SEISINR_CLI
python3-segyio writes an odd-sized 2D model (37 samples x 53 traces, dz 2.5 m, dx 12.5 m) as IEEE
and as IBM floats; for each, `seisinr info` reports the geometry, `seisinr compress --max-error 1`
(a tiny decoder trained on the model) and `seisinr decompress --out back.sgy` bring it back, and
segyio reads the result: every value within 1 m/s of what segyio reads from the input, trace and
sample counts, dz and dx unchanged. `seisinr convert` brings raw float32 (trace order, little- and
big-endian, as Marmousi2 and SU ship models; and x-fastest) to SEG-Y and .npy with the values in
place. Bad files (truncated, a trace with another sample count, an unsupported sample format, a raw
file that does not match --shape) are refused with the file named and the kind's exit code; files
that are not SEG-Y at all (text, a renamed .npy, too short) are refused as such (exit 2); 65,535
samples per trace read as such; speeds outside 100..10,000 m/s (a negative or zero value, a raw file
read in the wrong byte order) load with a warning naming the file and the first place; --dz must be
a finite number.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import segyio

cli = sys.argv[1]
NZ, NX, DZ, DX = 37, 53, 2.5, 12.5


def model():
    z, x = np.meshgrid(np.arange(NZ) * DZ, np.arange(NX) * DX, indexing="ij")
    v = 1500.0 + 25.0 * z + 80.0 * np.sin(x / 90.0) + 0.37 * ((3 * np.arange(NZ)[:, None] + np.arange(NX)[None, :]) % 7)
    v[z > 40 + 0.2 * x] += 400.0  # a dipping interface
    return v.astype(np.float32)


def write(path, v, fmt):
    spec = segyio.spec()
    spec.samples = list(range(NZ))
    spec.tracecount = NX
    spec.format = fmt
    with segyio.create(path, spec) as f:
        f.bin.update({segyio.BinField.Interval: int(DZ * 1000), segyio.BinField.Samples: NZ, segyio.BinField.Format: fmt})
        for j in range(NX):
            f.header[j] = {segyio.TraceField.TRACE_SEQUENCE_LINE: j + 1, segyio.TraceField.CDP_X: int(round(j * DX * 100)),
                           segyio.TraceField.SourceGroupScalar: -100, segyio.TraceField.TRACE_SAMPLE_COUNT: NZ,
                           segyio.TraceField.TRACE_SAMPLE_INTERVAL: int(DZ * 1000)}
            f.trace[j] = v[:, j].astype(np.float32)


def read(path):
    with segyio.open(path, ignore_geometry=True) as f:
        v = np.stack([np.array(t) for t in f.trace[:]], axis=1)
        h0, h1 = f.header[0], f.header[1]
        scal = h0[segyio.TraceField.SourceGroupScalar]
        s = (lambda c: c / -scal) if scal < 0 else (lambda c: c * (scal or 1))
        dx = s(h1[segyio.TraceField.CDP_X]) - s(h0[segyio.TraceField.CDP_X])
        return v, f.bin[segyio.BinField.Interval] / 1000.0, dx, f.tracecount, len(f.samples)


def run(*args, expect=0):
    r = subprocess.run([cli, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert r.returncode == expect, f"{args}: exit {r.returncode}, expected {expect}\n{r.stdout}"
    return r.stdout


with tempfile.TemporaryDirectory() as tmp:
    p = lambda name: os.path.join(tmp, name)
    v = model()
    for name, fmt in (("ieee", 5), ("ibm", 1)):
        src = p(f"{name}.sgy")
        write(src, v, fmt)
        truth, dz, dx, traces, samples = read(src)
        assert (traces, samples, dz, dx) == (NX, NZ, DZ, DX), (traces, samples, dz, dx)
        info = json.loads(run("info", src, "--json"))
        info = info[0] if isinstance(info, list) else info
        assert (info["samples"], info["traces"], info["dz"], info["dx"]) == (NZ, NX, DZ, DX), info
        run("compress", "--data", src, "--out", p(f"{name}.sinr"), "--max-error", "1", "--preset", "tiny", "--epochs", "20",
            "--threads", "1")
        run("decompress", p(f"{name}.sinr"), "--out", p(f"{name}-back.segy"), "--threads", "1")
        back, bdz, bdx, btraces, bsamples = read(p(f"{name}-back.segy"))
        with segyio.open(p(f"{name}-back.segy"), ignore_geometry=True) as f:  # the textual header, as segyio decodes it
            text = f.text[0].decode("ascii", "replace")
        lines = [text[80 * k:80 * k + 80] for k in range(40)]
        assert all(l.startswith(f"C{k + 1:2d} ") for k, l in enumerate(lines)), lines
        assert "SEISINR" in lines[0] and lines[39].startswith("C40 END TEXTUAL HEADER"), lines
        assert f"SAMPLES {NZ}  TRACES {NX}" in lines[2], lines[2]
        assert (btraces, bsamples, bdz, bdx) == (NX, NZ, DZ, DX), (btraces, bsamples, bdz, bdx)
        err = np.abs(back.astype(np.float64) - truth).max()
        assert err <= 1.0, f"{name}: max error {err} m/s"
        print(f"{name}: {NZ}x{NX}, dz {bdz} m, dx {bdx} m, max error {err:.3f} m/s")

    # Raw float32 -> SEG-Y / .npy with `convert`: every value in place, the spacing given.
    for order, byte_order, data in (("z-fastest", "little", v.T.astype("<f4")), ("z-fastest", "big", v.T.astype(">f4")),
                                     ("x-fastest", "little", v.astype("<f4"))):
        data.tofile(p("model.bin"))
        run("convert", p("model.bin"), "--shape", f"{NZ}x{NX}", "--order", order, "--byte-order", byte_order, "--dz", str(DZ),
            "--dx", str(DX), "--out", p("model.sgy"), "--force")
        got, gdz, gdx, gtraces, gsamples = read(p("model.sgy"))
        assert np.array_equal(got, v) and (gdz, gdx, gtraces, gsamples) == (DZ, DX, NX, NZ), (order, byte_order)
        run("convert", p("model.bin"), "--shape", f"{NZ}x{NX}", "--order", order, "--byte-order", byte_order, "--out", p("model.npy"),
            "--force")
        assert np.array_equal(np.load(p("model.npy"))[0, 0], v), (order, byte_order)
    out = run("convert", p("model.bin"), "--shape", f"{NZ}x{NX + 1}", "--out", p("wrong.sgy"), expect=2)
    assert "model.bin" in out and "check --shape" in out and not os.path.exists(p("wrong.sgy")), out

    # Bad files: the file named, the kind's exit code (4 corrupt, 5 unsupported).
    raw = open(p("ieee.sgy"), "rb").read()
    open(p("cut.sgy"), "wb").write(raw[:-100])
    out = run("info", p("cut.sgy"), expect=4)
    assert "cut.sgy" in out and "not a whole number" in out, out
    bad = bytearray(raw)
    t3 = 3600 + 3 * (240 + 4 * NZ)
    bad[t3 + 114:t3 + 116] = (NZ + 1).to_bytes(2, "big")
    open(p("count.sgy"), "wb").write(bytes(bad))
    out = run("info", p("count.sgy"), expect=4)
    assert "count.sgy" in out and "trace 3 says it holds 38 samples" in out, out
    ints = bytearray(raw)
    ints[3224:3226] = (3).to_bytes(2, "big")
    open(p("int16.sgy"), "wb").write(bytes(ints))
    out = run("compress", "--data", p("int16.sgy"), "--out", p("x.sinr"), expect=5)
    assert "int16.sgy" in out and "sample format 3" in out, out
    assert not os.path.exists(p("x.sinr"))

    # Not SEG-Y at all (issue 27): a text file and a .npy named .sgy are refused as such (exit 2).
    open(p("notes.sgy"), "w").write("velocity model notes\n" * 300)
    out = run("info", p("notes.sgy"), expect=2)
    assert "notes.sgy" in out and "not a SEG-Y file" in out and "sample format" in out, out
    np.save(p("maps.npy"), v[None, None])
    os.replace(p("maps.npy"), p("maps.sgy"))
    out = run("info", p("maps.sgy"), expect=2)
    assert "not a SEG-Y file" in out and "NumPy" in out, out
    open(p("short.sgy"), "wb").write(b"\0" * 1000)
    out = run("info", p("short.sgy"), expect=2)
    assert "not a SEG-Y file" in out and "1000 bytes" in out, out

    # 65,535 samples per trace (the 16-bit count's largest), written byte by byte: read as 65535.
    n = 65535
    text = b"C 1 SEISINR TEST".ljust(3200, b" ")
    binh = bytearray(400)
    binh[16:18] = (1000).to_bytes(2, "big")  # interval 3217
    binh[20:22] = n.to_bytes(2, "big")  # samples 3221
    binh[24:26] = (5).to_bytes(2, "big")  # IEEE 3225
    traces = b""
    for j in range(2):
        th = bytearray(240)
        th[114:116] = n.to_bytes(2, "big")
        traces += bytes(th) + np.full(n, 2000.0 + j, ">f4").tobytes()
    open(p("deep.sgy"), "wb").write(text + bytes(binh) + traces)
    info = json.loads(run("info", p("deep.sgy"), "--json"))
    info = info[0] if isinstance(info, list) else info
    assert (info["samples"], info["traces"], info["min"], info["max"]) == (n, 2, 2000.0, 2001.0), info

    # Speeds outside 100..10,000 m/s load with a warning naming the file and the first place.
    odd = v.copy()
    odd[7, 3] = -5.0
    odd[9, 4] = 0.0
    write(p("odd.sgy"), odd, 5)
    out = run("convert", p("odd.sgy"), "--out", p("odd.npy"))
    assert "warning" in out and "odd.sgy" in out and "2 of" in out and "trace 3, sample 7" in out, out
    assert np.array_equal(np.load(p("odd.npy"))[0, 0], odd)
    out = run("info", p("ieee.sgy"))
    assert "warning" not in out, out
    np.round(v).T.astype("<f4").tofile(p("model.bin"))  # whole m/s, little-endian read as big: ~1e-41 m/s
    out = run("convert", p("model.bin"), "--shape", f"{NZ}x{NX}", "--byte-order", "big", "--out", p("swapped.npy"))
    assert "warning" in out and f"{NZ * NX} of {NZ * NX} values" in out and "--byte-order" in out, out

    # Spacings must be finite numbers (NaN was taken as 0 m).
    for bad in ("nan", "inf", "-1"):
        out = run("convert", p("ieee.sgy"), "--out", p("dz.sgy"), "--dz", bad, "--force", expect=2)
        assert "--dz" in out and not os.path.exists(p("dz.sgy")), out

print("SEG-Y: IEEE and IBM models compressed with --max-error 1 come back as SEG-Y within 1 m/s, geometry kept; "
      "bad files refused")
