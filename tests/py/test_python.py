#!/usr/bin/python3
"""The Python module `seisinr` against the command-line tool (issue 17).

Usage: test_python.py MODULE_DIR SEISINR_CLI
Trains a tiny model with the CLI, then checks through `import seisinr`: load, decode (bit for bit
against `seisinr decode`, at the training grid and at 2x), encode (a trained map gets exactly its
trained code, so decode_codes(encode(maps)) equals decode(rows) bit for bit; a new map is
fitted better than the mean code), read_npy/write_npy (against NumPy), synth, compress,
decompress and evaluate (bit for bit against `seisinr synth`, `compress`, `decompress` and
`eval --json`, all with one thread), a model compressed as tiles (tiling="on") whose window
(decompress window=...) equals `seisinr decompress --window` bit for bit, and bad input raising the seisinr.Error subclass of its kind
with the file's name in it.
"""
import json
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
        model.decode_to_npy(p("streamed.npy"), [0, 3], *res)
        assert np.array_equal(np.load(p("streamed.npy")), want), f"decode_to_npy at {res} differs from seisinr decode"
        run("decode", "--model", p("run/model.sinr"), "--maps", "0,3", "--out", p("cli64.npy"), "--force", "--batch-points", "64", *flag)
        model.decode_to_npy(p("streamed64.npy"), [0, 3], *res, batch_points=64)  # blocks of whole rows
        assert np.array_equal(np.load(p("streamed64.npy")), np.load(p("cli64.npy"))), f"decode_to_npy in blocks at {res}"

    trained = seisinr.read_npy(p("d/FlatVel.npy"))
    assert np.array_equal(trained, np.load(p("d/FlatVel.npy")).astype(np.float32).reshape(trained.shape))
    codes = model.encode(trained)
    assert codes.shape == (6, 16)
    assert np.array_equal(model.decode_codes(codes), model.decode(list(range(6)))), "trained maps must get their trained codes"

    new = seisinr.read_npy(p("d/CurveVel.npy"))[:2]
    fitted = model.decode_codes(model.encode(new))
    mean = model.decode_codes(np.repeat(codes.mean(0, keepdims=True), 2, axis=0))
    assert ((fitted - new) ** 2).mean() < ((mean - new) ** 2).mean(), "encoding a new map must beat the mean code"

    # sample: the same maps as `seisinr sample` for the same seed (issue 29).
    run("sample", "--model", p("run/model.sinr"), "--family", "FlatVel", "--count", "4", "--seed", "9", "--out", p("s.npy"))
    drawn = model.sample("FlatVel", 4, seed=9)
    assert drawn.shape == (4, 1, 16, 20) and np.array_equal(drawn, np.load(p("s.npy"))), "sample differs from seisinr sample"
    run("sample", "--model", p("run/model.sinr"), "--family", "FlatVel", "--count", "4", "--seed", "9", "--density", "gaussian",
        "--out", p("sg.npy"))
    assert np.array_equal(model.sample("FlatVel", 4, seed=9, density="gaussian"), np.load(p("sg.npy"))), "density differs from the CLI"
    assert model.sample("FlatVel", 2, seed=9, height=32, width=40).shape == (2, 1, 32, 40)

    # invert with a Laplace posterior: the same files as `seisinr invert` (issue 29).
    with open(p("survey.json"), "w") as f:
        f.write('{"nt": 120, "boundary": 10, "sources": [[1, 3], [1, 16]], "receivers": [[1, 0], [1, 7], [1, 14], [1, 19]]}')
    run("forward", "--velocity", p("d/CurveVel.npy"), "--acquisition", p("survey.json"), "--out", p("g.npy"))
    np.save(p("g2.npy"), np.load(p("g.npy"))[:2])
    args = ["--model", p("run/model.sinr"), "--acquisition", p("survey.json"), "--iters", "2", "--threads", "1", "--uncertainty", "laplace",
            "--rank", "3", "--samples", "2"]
    run("invert", "--data", p("g2.npy"), "--out", p("cli_inv.npy"), *args)
    summary = seisinr.invert(p("g2.npy"), p("py_inv.npy"), model=p("run/model.sinr"), acquisition=p("survey.json"), iters=2, threads=1,
                             uncertainty="laplace", rank=3, samples=2)
    assert [m["uncertainty"]["method"] for m in summary["maps"]] == ["laplace", "laplace"], summary
    for what in ("", ".mean", ".std", ".samples"):
        a, b = np.load(p(f"cli_inv{what}.npy")), np.load(p(f"py_inv{what}.npy"))
        assert np.array_equal(a, b), f"invert{what} differs from seisinr invert"
    assert np.load(p("py_inv.samples.npy")).shape == (2, 2, 16, 20)
    assert seisinr.InversionOptions().rank == 16 and seisinr.InversionOptions(uncertainty="ensemble").uncertainty == "ensemble"

    seisinr.write_npy(p("w.npy"), fitted[:, 0])  # (N, H, W) in, (N, 1, H, W) out
    assert np.array_equal(np.load(p("w.npy")), fitted)

    # synth: the same values as `seisinr synth` writes.
    assert np.array_equal(seisinr.synth("CurveVel", 6, seed=0, height=16, width=20), np.load(p("d/CurveVel.npy")))
    assert np.array_equal(seisinr.synth("FlatVel", 2, seed=3, options=seisinr.SynthOptions(height=16, width=20)),
                          seisinr.synth("FlatVel", 2, seed=3, height=16, width=20))

    # compress / decompress against the CLI, with a shared decoder and an error bound.
    seisinr.set_threads(1)
    opts = seisinr.CompressOptions(model=p("run/model.sinr"), max_error=5.0, latent_bits=6, threads=1)
    opts.encode.steps = 20
    stats = seisinr.compress(p("d/CurveVel.npy"), p("py.sinr"), opts)
    printed = subprocess.run([cli, "compress", "--data", p("d/CurveVel.npy"), "--model", p("run/model.sinr"), "--max-error", "5",
                              "--latent-bits", "6", "--encode-steps", "20", "--threads", "1", "--out", p("cli.sinr"), "--json",
                              p("cli.json")], check=True, capture_output=True, text=True).stdout
    cli_stats = json.load(open(p("cli.json")))
    assert stats["bytes"] == cli_stats["bytes"] and stats["paths"] == cli_stats["paths"], (stats["bytes"], cli_stats["bytes"])
    assert [m["psnr"] for m in stats["per_map"]] == [m["psnr"] for m in cli_stats["per_map"]]
    summary = seisinr.compress_summary(stats, p("cli.sinr"))
    assert summary == printed, (summary, printed)
    assert "| CurveVel | 6 |" in summary and "paths: " in summary, summary
    run("decompress", p("cli.sinr"), "--out", p("cli_back.npy"), "--threads", "1")
    back = seisinr.decompress(p("py.sinr"), threads=1)
    assert np.array_equal(back, np.load(p("cli_back.npy"))), "decompress differs from seisinr decompress"
    new_all = seisinr.read_npy(p("d/CurveVel.npy"))
    assert np.abs(back - new_all).max() <= 5.0, np.abs(back - new_all).max()
    # Codes only (no bound), decompressed at 2x: an array in, the family given.
    seisinr.compress(new_all, p("codes.sinr"), family="CurveVel", model=p("run/model.sinr"), threads=1,
                     encode=seisinr.EncodeOptions(steps=20))
    run("decompress", p("codes.sinr"), "--out", p("cli_2x.npy"), "--resolution", "32x40", "--threads", "1", "--model", p("run/model.sinr"))
    fine = seisinr.decompress(p("codes.sinr"), seisinr.DecompressOptions(height=32, width=40), model=p("run/model.sinr"))
    assert fine.shape == (6, 1, 32, 40) and np.array_equal(fine, np.load(p("cli_2x.npy")))

    # One larger model as tiles (tiling="on"), and a window of it, against the CLI.
    zz, xx = np.meshgrid(np.arange(61.0), np.arange(83.0), indexing="ij")
    big = (1800 + 9 * zz + 2 * xx + 60 * np.sin(xx / 7.0)).astype(np.float32)[None, None]
    np.save(p("big.npy"), big)
    seisinr.compress(big, p("big.sinr"), model=p("run/model.sinr"), max_error=4.0, tiling="on", threads=1,
                     tiles=seisinr.TileOptions(overlap=3, block=32), encode=seisinr.EncodeOptions(steps=20))
    run("decompress", p("big.sinr"), "--window", "5:50,20:83", "--out", p("cli_win.npy"), "--model", p("run/model.sinr"), "--threads", "1")
    win = seisinr.decompress(p("big.sinr"), window="5:50,20:83", model=p("run/model.sinr"), threads=1)
    assert win.shape == (1, 1, 45, 63) and np.array_equal(win, np.load(p("cli_win.npy")))
    assert np.abs(win[0, 0] - big[0, 0, 5:50, 20:83]).max() <= 4.0

    # evaluate against `seisinr eval --json`, from a path and from an array.
    run("eval", "--model", p("run/model.sinr"), "--data", p("d/CurveVel.npy") + ":CurveVel", "--encode-steps", "20",
        "--threads", "1", "--json", p("eval.json"))
    want = json.load(open(p("eval.json")))
    got = model.evaluate(p("d/CurveVel.npy") + ":CurveVel", encode=seisinr.EncodeOptions(steps=20))
    for key in ("psnr", "ssim", "mse", "rmse"):
        assert [m[key] for m in got["per_map"]] == [m[key] for m in want["per_map"]], key
    assert got["codes"].shape == (6, 16)
    from_array = model.evaluate(new_all, family="CurveVel", encode=seisinr.EncodeOptions(steps=20), keep_reconstructions=True)
    assert [m["psnr"] for m in from_array["per_map"]] == [m["psnr"] for m in want["per_map"]]
    assert from_array["reconstructions"].shape == (6, 1, 16, 20)

    # Errors: the subclass of the kind, the file's name in the message.
    raw = open(p("py.sinr"), "rb").read()
    open(p("cut.sinr"), "wb").write(raw[: len(raw) // 2])
    cases = ((lambda: seisinr.Model.load(p("missing.sinr")), seisinr.IoError, "missing.sinr"),
             (lambda: seisinr.Model.load(p("d/FlatVel.npy")), seisinr.UsageError, "FlatVel.npy"),
             (lambda: seisinr.Model.load(p("run/model.sinr"), device="gpu"), seisinr.UsageError, "device must be cpu or cuda"),
             (lambda: seisinr.decompress(p("cut.sinr")), seisinr.CorruptError, "cut.sinr"),
             (lambda: seisinr.decompress(p("cli.sinr"), bogus=1), seisinr.UsageError, "bogus"),
             (lambda: model.decode([99]), seisinr.UsageError, "no trained map 99"),
             (lambda: model.sample("FlatVel", 2, density="flow"), seisinr.UsageError, "--density must be kernel or gaussian"),
             (lambda: model.sample("FlatVel", 2, bandwidth=0.0), seisinr.UsageError, "--bandwidth"))
    cases += ((lambda: seisinr.set_threads(10**6), seisinr.UsageError, "1000000 threads"),
              (lambda: seisinr.set_threads(-1), seisinr.UsageError, "-1 threads"),
              (lambda: seisinr.decompress(p("cli.sinr"), threads=10**6), seisinr.UsageError, "threads"))
    # Arrays are checked like files (issue 27): no NaN in or out, no silent dtype conversion.
    holed = new.copy()
    holed[1, 0, 3, 4] = np.nan
    nan_codes = codes[:2].copy()
    nan_codes[0, 5] = np.inf
    cases += ((lambda: model.encode(holed), seisinr.UsageError, "NaN in map 1 at row 3, column 4"),
              (lambda: model.evaluate(holed, family="CurveVel"), seisinr.UsageError, "NaN in map 1"),
              (lambda: model.decode_codes(nan_codes), seisinr.UsageError, "infinite value in code 0 at position 5"),
              (lambda: seisinr.write_npy(p("nan.npy"), holed), seisinr.UsageError, "NaN in map 1"),
              (lambda: model.decode_codes(codes[:1], height=-5), seisinr.UsageError, "height -5"),
              (lambda: model.decode([0], 16, 1), seisinr.UsageError, "width 1"),
              (lambda: model.encode(new, seisinr.EncodeOptions(steps=-5)), seisinr.UsageError, "encode steps -5"),
              (lambda: model.encode(new, seisinr.EncodeOptions(lr=float("inf"))), seisinr.UsageError, "encode lr inf"),
              (lambda: seisinr.synth("FlatVel", -2), seisinr.UsageError, "count must be at least 1"),
              (lambda: model.encode(new > 2000), seisinr.UsageError, "dtype bool"),
              (lambda: model.encode(new.astype(np.complex64)), seisinr.UsageError, "dtype complex64"),
              (lambda: model.decode_codes(codes.astype(np.int32)), seisinr.UsageError, "dtype int32"),
              (lambda: model.sample("FlatVel", 0), seisinr.UsageError, "the count must be positive, got 0"),
              (lambda: model.sample("Fault", 3), seisinr.UsageError, "no trained maps of family 'Fault' (it holds: FlatVel)"),
              (lambda: seisinr.invert(p("g2.npy"), p("bad.npy"), model=p("run/model.sinr"), space="grid", uncertainty="laplace"),
               seisinr.UsageError, "--space latent"),
              (lambda: seisinr.InversionOptions(uncertainty="mcmc"), seisinr.UsageError, "none, laplace or ensemble"))
    np.save(p("ints.npy"), np.zeros((2, 16, 20), dtype=np.int64))
    cases += ((lambda: seisinr.read_npy(p("ints.npy")), seisinr.UnsupportedError, "ints.npy"),)
    for call, kind, text in cases:
        try:
            call()
        except seisinr.Error as e:
            assert isinstance(e, kind) and isinstance(e, RuntimeError), (type(e), kind)
            assert text in str(e), str(e)
        else:
            raise AssertionError(f"no error; expected {kind.__name__} with '{text}'")
    assert issubclass(seisinr.IoError, OSError) and issubclass(seisinr.UsageError, ValueError)
    assert not os.path.exists(p("nan.npy")), "write_npy of NaN must write nothing"
    # Speeds outside 100..10,000 m/s load, with one UserWarning per file naming it and the place.
    import warnings
    kms = np.load(p("d/CurveVel.npy")) / 1000.0
    np.save(p("kms.npy"), kms)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.evaluate(p("kms.npy"), encode=seisinr.EncodeOptions(steps=1))
        model.evaluate(p("d/CurveVel.npy"), encode=seisinr.EncodeOptions(steps=1))
    texts = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert len(texts) == 1 and "kms.npy" in texts[0] and "map 0, row 0, column 0" in texts[0], texts
print("python module: load, decode (1x, 2x), encode, decode_codes, sample, read/write_npy, synth, compress, decompress, "
      "evaluate and errors agree with the CLI")
