#!/usr/bin/python3
"""Time the compilation of translation units, one by one, from a build folder's compile commands.

Usage: bench/compile_time.py [--build build] [--jobs 2] [--json OUT] [--torch] [FILE ...]

FILE: source paths (a suffix is enough: "api.cpp"); --torch adds every translation unit of the
build whose source includes a torch or ATen header. Each is compiled as the build would (its exact
command, output to a temporary file), `--jobs` at a time; prints the seconds of each and the sum.
The build folder needs compile_commands.json: configure it with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON.
Used for docs/performance.md, "Build".
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor


def includes_torch(path):
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return False
    return re.search(r"#include <(torch|ATen)/", text) is not None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json")
    ap.add_argument("--torch", action="store_true")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    db_path = os.path.join(a.build, "compile_commands.json")
    if not os.path.isfile(db_path):
        sys.exit(f"compile_time: no {db_path}; configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON")
    if a.jobs < 1:
        sys.exit("compile_time: --jobs must be 1 or more")
    db = json.load(open(db_path))
    chosen = []
    for f in a.files:
        hits = [e for e in db if e["file"].endswith("/" + f) or e["file"] == f]
        if not hits:
            sys.exit(f"compile_time: {f} is not a translation unit of {a.build}")
        chosen.append(hits[0])
    if a.torch:
        chosen += [e for e in db if includes_torch(e["file"]) and e not in chosen]
    if not chosen:
        sys.exit("compile_time: name files, or give --torch")
    tmp = tempfile.mkdtemp()

    def run(i_e):
        i, e = i_e
        args = shlex.split(e["command"]) if "command" in e else list(e["arguments"])
        k = args.index("-o")
        args[k + 1] = os.path.join(tmp, f"{i}.o")
        t = time.monotonic()
        r = subprocess.run(args, cwd=e["directory"], capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"compile_time: {e['file']} failed:\n{r.stderr[-2000:]}")
        return os.path.relpath(e["file"]), time.monotonic() - t

    with ThreadPoolExecutor(a.jobs) as ex:
        times = list(ex.map(run, enumerate(chosen)))
    for f, s in times:
        print(f"{s:7.1f} s  {f}")
    total = sum(s for _, s in times)
    print(f"{total:7.1f} s  in all, {len(times)} translation units, {a.jobs} at a time")
    if a.json:
        json.dump({"jobs": a.jobs, "seconds": dict(times), "total": total}, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
