#!/usr/bin/python3
"""A property test of the Python module (issue 27): random shapes, dtypes, strides, NaN/Inf,
negative and huge values into every public call of `seisinr`.

Usage: test_property.py MODULE_DIR SEISINR_CLI
Each call either works, and then returns finite float32 arrays of a consistent shape, or raises
seisinr.Error (one of its subclasses); it never crashes the interpreter, never raises anything else
(a RuntimeError from libtorch, MemoryError, SystemError) and never takes more than 20 s. Arguments
stay within the types the signatures name (ints within int64, floats, strings, NumPy arrays of any
dtype): a value of another Python type is pybind11's TypeError before seisinr sees it. Every call
must both work and be refused at least once, so a generator that only makes good (or only bad)
inputs shows. A fixed seed; a failing case is printed.
"""
import collections
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, sys.argv[1])
import seisinr  # noqa: E402

cli = sys.argv[2]
rng = np.random.default_rng(20261204)
LIMIT_S = 20
outcomes = collections.defaultdict(lambda: [0, 0])
failures = []


def pick(*values):
    return values[rng.integers(len(values))]


def finite_arrays(result):
    """Every NumPy float array inside `result` (an array, a tuple/list/dict of them) is finite."""
    if isinstance(result, np.ndarray):
        return result.dtype.kind != "f" or bool(np.isfinite(result).all())
    if isinstance(result, (list, tuple)):
        return all(finite_arrays(r) for r in result)
    if isinstance(result, dict):
        return all(finite_arrays(r) for r in result.values())
    return True


def call(name, what, f, check=None):
    t0 = time.monotonic()
    try:
        r = f()
    except seisinr.Error as e:
        outcomes[name][1] += 1
        if not str(e):
            failures.append(f"{name} {what}: an empty message")
    except Exception as e:  # anything that is not the library's error
        failures.append(f"{name} {what}: raised {type(e).__name__}: {e}")
    else:
        outcomes[name][0] += 1
        if not finite_arrays(r):
            failures.append(f"{name} {what}: returned non-finite values")
        elif check:
            problem = check(r)
            if problem:
                failures.append(f"{name} {what}: {problem}")
    s = time.monotonic() - t0
    if s > LIMIT_S:
        failures.append(f"{name} {what}: took {s:.1f} s")


def speeds(shape, dtype=np.float32):
    return rng.uniform(1500, 4500, size=shape).astype(dtype)


def hostile_array(good_shape):
    """A map stack: usually sound, else one of many ways to be wrong."""
    kind = pick("good", "good", "good", "dtype", "shape", "value", "strides", "empty")
    a = speeds(good_shape)
    if kind == "dtype":
        return pick(a.astype(np.float64), a.astype(np.int32), a > 2000, a.astype(np.complex64), a.astype(np.float16),
                    a.astype(">f4"), a.astype(object), a.astype(str))
    if kind == "shape":
        return pick(a.reshape(-1), a[None], a[..., None], np.float32(2000), speeds((1, 2, *good_shape[-2:])),
                    speeds((2, 1, 1, 7)), speeds((2, 1, 70000, 1)))
    if kind == "value":
        b = a.copy()
        flat = b.reshape(-1)
        flat[rng.integers(flat.size)] = pick(np.nan, np.inf, -np.inf, -1.0, 0.0, 1e30, -3e38, 1e-42)
        return b
    if kind == "strides":
        big = speeds(tuple(2 * s for s in good_shape))
        return pick(big[..., ::2, ::2], np.asfortranarray(a), a[..., ::-1, :], np.broadcast_to(a[:1], a.shape))
    if kind == "empty":
        return speeds((0, *good_shape[1:]))
    return a


def options(good, hostile):
    """An options object's fields: the good ones, and half of the time one or two hostile ones. The
    object is made inside the call, so that a constructor's refusal counts as the call's."""
    fields = dict(good)
    for _ in range(pick(0, 0, 1, 2) if hostile else 0):
        key = pick(*hostile.keys())
        fields[key] = pick(*hostile[key])
    return fields


NAN, INF = float("nan"), float("inf")
BIG = 2 ** 62
ENCODE_GOOD = dict(steps=2, batch=8, points=64)
ENCODE_HOSTILE = dict(steps=(-1, BIG), lr=(NAN, -1.0, 0.0, INF), lambda_=(NAN, -1.0, INF), batch=(0, -5, BIG), points=(-1, BIG),
                      init=("bogus", ""), target_psnr=(NAN, -3.0, INF), check_every=(-1,))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        p = lambda name: os.path.join(tmp, name)
        for args in (("synth", "--out", p("d"), "--count", "3", "--size", "12x12", "--families", "FlatVel"),
                     ("train", "--data", p("d/FlatVel.npy"), "--out", p("run"), "--preset", "tiny", "--epochs", "3", "--holdout", "0",
                      "--threads", "1"),
                     ("compress", "--data", p("d/FlatVel.npy"), "--model", p("run/model.sinr"), "--out", p("c.sinr"), "--max-error", "5",
                      "--encode-steps", "2", "--threads", "1")):
            subprocess.run([cli, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seisinr.set_threads(1)
        model = seisinr.Model.load(p("run/model.sinr"))
        d = model.latent_dim
        for path in ("", "/", p("none.sinr"), p("d/FlatVel.npy"), p("c.sinr"), p("run/model.sinr")):
            call("Model.load", path, lambda: seisinr.Model.load(path))

        for it in range(300):
            good = rng.random() < 0.5
            size = lambda: pick(0, 12) if good else pick(0, -1, 1, 5, 65537, BIG)
            h, w = size(), size()
            rows = [int(pick(0, 2)) if good else int(pick(-1, 0, 2, 3, BIG)) for _ in range(pick(0, 1, 2))]
            shape = lambda m: None if m.ndim == 4 and m.shape[1] == 1 and m.dtype == np.float32 else f"shape {m.shape} {m.dtype}"
            call("decode", f"{rows} {h}x{w}", lambda: model.decode(rows, h, w), shape)
            batch = pick(0, 100) if good else pick(-1, 0, BIG)
            call("decode_to_npy", f"{rows} {h}x{w} batch {batch}", lambda: model.decode_to_npy(p("o.npy"), rows, h, w, batch))
            codes = rng.normal(size=(pick(1, 2), d)).astype(np.float32)
            if not good:
                codes = pick(codes, codes[:, :-1], codes.astype(np.int64), codes.astype(np.float64) * 1e30, np.full_like(codes, np.nan),
                             codes.T.copy(), codes[:, ::-1], np.zeros((0, d), np.float32), codes.reshape(-1))
            call("decode_codes", f"{getattr(codes, 'shape', '?')} {getattr(codes, 'dtype', '?')} {h}x{w}",
                 lambda: model.decode_codes(codes, h, w), shape)
            maps = speeds((pick(1, 2), 1, 12, 12)) if good else hostile_array((2, 1, 12, 12))
            fields = options(ENCODE_GOOD, {} if good else ENCODE_HOSTILE)
            enc = lambda: seisinr.EncodeOptions(**fields)
            what = f"{getattr(maps, 'shape', '?')} {getattr(maps, 'dtype', '?')} {fields}"
            call("encode", what, lambda: model.encode(maps, enc()),
                 lambda z: None if z.shape == (maps.shape[0] if maps.ndim > 2 else 1, d) else f"codes of shape {z.shape}")
            ef = options({}, {} if good else dict(height=(-1, 1, BIG), width=(-3, 65537)))
            call("evaluate", what + f" {ef}", lambda: model.evaluate(maps, seisinr.EvalOptions(encode=enc(), **ef), family="F"))
            cf = options(dict(model=p("run/model.sinr"), threads=1),
                         {} if good else dict(latent_bits=(-1, 0, 17, 33), max_error=(NAN, -1.0, INF), threads=(-1, BIG),
                                              epochs=(-1,), preset=("bogus",), tiling=("sideways", "on")))
            call("compress", what + f" {cf}", lambda: seisinr.compress(maps, p("x.sinr"), seisinr.CompressOptions(encode=enc(), **cf), family="F"))
            df = options(dict(model=p("run/model.sinr"), threads=1),
                         {} if good else dict(height=(-1, 1, BIG), width=(-2, 65537), threads=(-1, BIG), model=("", p("c.sinr"))))
            src = pick(p("c.sinr"), p("x.sinr")) if good else pick(p("c.sinr"), p("x.sinr"), p("run/model.sinr"), p("none.sinr"), "")
            window = "" if good else pick("", "0:4,0:4", "bad", "4:0,0:4")
            call("decompress", f"{src} {df} window '{window}'", lambda: seisinr.decompress(src, seisinr.DecompressOptions(**df), window=window))
            out = p("w.npy")
            call("write_npy", what, lambda: seisinr.write_npy(out, maps))
            src_npy = out if good else pick(out, p("none.npy"), p("c.sinr"), tmp, "")
            call("read_npy", src_npy, lambda: seisinr.read_npy(src_npy))
            fam = pick("FlatVel", "CurveFault") if good else pick("FlatVel", "", "nope", "FlatVel\0")
            count = pick(1, 3) if good else pick(-1, 0, 1, BIG)
            sf = options(dict(height=12, width=pick(12, 9)),
                         {} if good else dict(height=(-1, 0, 1, BIG), width=(-5, 70000), vmin=(NAN, -1.0, 5000.0), vmax=(INF, 0.0)))
            call("synth", f"{fam} {count} {sf}", lambda: seisinr.synth(fam, count, int(rng.integers(2 ** 63)), seisinr.SynthOptions(**sf)),
                 lambda m: None if m.shape == (count, 1, sf["height"], sf["width"]) else f"shape {m.shape}")
            threads = pick(0, 1, 2) if good else pick(-1, BIG, 10 ** 6)
            call("set_threads", str(threads), lambda: seisinr.set_threads(threads))
            seisinr.set_threads(1)

    for name, (ok, refused) in sorted(outcomes.items()):
        print(f"  {name:14s} returned {ok:4d}, refused {refused:4d}")
        if ok == 0 or refused == 0:
            failures.append(f"{name}: returned {ok} times and was refused {refused} times; both must happen")
    if failures:
        print("\n".join(failures[:40]))
        print(f"{len(failures)} failures")
        sys.exit(1)
    print("python property test: every call worked with finite results or raised seisinr.Error")


main()
