#!/usr/bin/python3
"""The Python module `seisinr` against the command-line tool (issue 17).

Usage: test_python.py MODULE_DIR SEISINR_CLI
Trains a tiny model with the CLI, then checks through `import seisinr`: load, decode (bit for bit
against `seisinr decode`, at the training grid and at 2x), encode (a trained map gets exactly its
trained code, so decode_codes(encode(maps)) equals decode(rows) bit for bit; a new map is
fitted better than the mean code), read_npy/write_npy (against NumPy), and a bad file raising
seisinr.Error with the file's name in it.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, sys.argv[1])
import seisinr  # noqa: E402

cli = sys.argv[2]


def run(*args):
    subprocess.run([cli, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


with tempfile.TemporaryDirectory() as tmp:
    p = lambda name: os.path.join(tmp, name)
    run("synth", "--out", p("d"), "--count", "6", "--size", "16x20", "--families", "FlatVel", "CurveVel")
    run("train", "--data", p("d/FlatVel.npy"), "--out", p("run"), "--preset", "tiny", "--epochs", "30", "--holdout", "0", "--threads", "1")
    model = seisinr.Model.load(p("run/model.sinr"))
    assert (model.latent_dim, model.trained_maps, model.height, model.width) == (16, 6, 16, 20), \
        (model.latent_dim, model.trained_maps, model.height, model.width)

    for res, flag in (((16, 20), []), ((32, 40), ["--resolution", "32x40"])):
        run("decode", "--model", p("run/model.sinr"), "--maps", "0,3", "--out", p("cli.npy"), "--force", *flag)
        got = model.decode([0, 3], *res)
        want = np.load(p("cli.npy"))
        assert got.dtype == np.float32 and got.shape == want.shape == (2, 1) + res, (got.shape, want.shape)
        assert np.array_equal(got, want), f"decode at {res} differs from seisinr decode"

    trained = seisinr.read_npy(p("d/FlatVel.npy"))
    assert np.array_equal(trained, np.load(p("d/FlatVel.npy")).astype(np.float32).reshape(trained.shape))
    codes = model.encode(trained)
    assert codes.shape == (6, 16)
    assert np.array_equal(model.decode_codes(codes), model.decode(list(range(6)))), "trained maps must get their trained codes"

    new = seisinr.read_npy(p("d/CurveVel.npy"))[:2]
    fitted = model.decode_codes(model.encode(new))
    mean = model.decode_codes(np.repeat(codes.mean(0, keepdims=True), 2, axis=0))
    assert ((fitted - new) ** 2).mean() < ((mean - new) ** 2).mean(), "encoding a new map must beat the mean code"

    seisinr.write_npy(p("w.npy"), fitted[:, 0])  # (N, H, W) in, (N, 1, H, W) out
    assert np.array_equal(np.load(p("w.npy")), fitted)

    for bad in (p("missing.sinr"), p("d/FlatVel.npy")):
        try:
            seisinr.Model.load(bad)
        except seisinr.Error as e:
            assert os.path.basename(bad) in str(e), str(e)
            assert isinstance(e, RuntimeError)
        else:
            raise AssertionError(f"{bad} loaded")
    try:
        model.decode([99])
    except seisinr.Error as e:
        assert "no trained map 99" in str(e), str(e)
    else:
        raise AssertionError("row 99 decoded")
print("python module: load, decode (1x, 2x), encode, decode_codes, read/write_npy and errors agree with the CLI")
