#!/usr/bin/python3
"""The Python module's decode and encode against the CLI's, on the same work (issue 17, item 3).

Usage: bench/python_speed.py [--model bench/results/rd/run/model.sinr] [--seisinr build/seisinr]
                             [--module build/python] [--maps 200] [--encode 40] [--runs 3]

decode: the first --maps trained maps of the model at its grid, `seisinr decode --maps ...`
against `seisinr.Model.load(m).decode(rows)` (both load the model; the CLI also starts a process
and writes the .npy). encode: --encode held-out OpenFWI CurveVel-A maps, `seisinr encode`
against `Model.encode` (+ read_npy). Best of --runs wall times; writes OUT/python_speed.json/.md.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(here, "results", "rd", "run", "model.sinr"))
    ap.add_argument("--seisinr", default=os.path.join(here, "..", "build", "seisinr"))
    ap.add_argument("--module", default=os.path.join(here, "..", "build", "python"))
    ap.add_argument("--openfwi", default=os.path.join(here, "..", "..", "shared", "data", "openfwi"))
    ap.add_argument("--maps", type=int, default=200)
    ap.add_argument("--encode", type=int, default=40)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(here, "results", "api"))
    a = ap.parse_args()
    sys.path.insert(0, a.module)
    import seisinr
    os.makedirs(a.out, exist_ok=True)
    rows = list(range(a.maps))
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        new = os.path.join(tmp, "new.npy")
        np.save(new, np.load(os.path.join(a.openfwi, "CurveVelA_200.npy"))[200 - a.encode:])

        def best(f):
            t = []
            for _ in range(a.runs):
                t0 = time.perf_counter()
                f()
                t.append(time.perf_counter() - t0)
            return min(t)

        out = os.path.join(tmp, "d.npy")
        res["decode_cli"] = best(lambda: subprocess.run([a.seisinr, "decode", "--model", a.model, "--maps", ",".join(map(str, rows)),
                                                         "--out", out, "--force"], check=True, stdout=subprocess.DEVNULL,
                                                        stderr=subprocess.DEVNULL))
        res["decode_python"] = best(lambda: seisinr.Model.load(a.model).decode(rows))
        assert np.array_equal(np.load(out), seisinr.Model.load(a.model).decode(rows))
        codes = os.path.join(tmp, "c.sinr")
        res["encode_cli"] = best(lambda: subprocess.run([a.seisinr, "encode", "--model", a.model, "--data", new, "--out", codes, "--force"],
                                                        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        res["encode_python"] = best(lambda: seisinr.Model.load(a.model).encode(seisinr.read_npy(new)))
    res.update(date=time.strftime("%Y-%m-%d"), maps=a.maps, encode=a.encode, runs=a.runs, model=a.model)
    json.dump(res, open(os.path.join(a.out, "python_speed.json"), "w"), indent=1)
    md = [f"`bench/python_speed.py` ({res['date']}, best of {a.runs}): decode {a.maps} trained maps, encode {a.encode} new "
          "CurveVel-A maps, model load included on both sides.", "",
          "| work | CLI (s) | Python (s) | Python / CLI |", "| --- | --- | --- | --- |"]
    for w in ("decode", "encode"):
        md.append(f"| {w} | {res[w + '_cli']:.2f} | {res[w + '_python']:.2f} | {res[w + '_python'] / res[w + '_cli']:.3f} |")
    open(os.path.join(a.out, "python_speed.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
