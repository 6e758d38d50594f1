#!/usr/bin/python3
"""The house rule: folders of src/seisinr are layers, and a file includes only its own folder,
the folders below it, and the root headers (error.h, fields.h, interrupt.h, names.h, parallel.h,
text.h, threads.h, version.h). The order, lowest first, is LAYERS below (README "Layout"). Exits 1 naming every
include that points upwards.

Inside a folder listed in WITHIN the files are layers too, lowest first: compress/ runs one way
(compress → tiled → decoder), so no file there includes one above it.

No file includes <torch/torch.h>, the whole C++ frontend (nn, optim, data, jit, serialize): a
file names what it uses (torch/types.h for tensors, torch/utils.h for NoGradGuard, one optimiser's
header), which halves the compile time of a torch translation unit (docs/performance.md, "Build").

Usage: check_layers.py SRC_DIR   (the repository's src/seisinr)
"""
import os
import re
import sys

LAYERS = ["io", "dist", "codec", "data", "wave", "model", "optim", "encode", "train", "eval", "report", "invert", "compress", "cli"]

WITHIN = {"compress": ["options", "summary", "decoder", "tiled", "compress"]}


def main():
    root = sys.argv[1]
    rank = {name: i for i, name in enumerate(LAYERS)}
    bad, seen = [], 0
    for folder in sorted(os.listdir(root)):
        path = os.path.join(root, folder)
        if not os.path.isdir(path):
            continue
        if folder not in rank:
            bad.append(f"{folder}/: a folder that is not in the layer list of tests/py/check_layers.py")
            continue
        for name in sorted(os.listdir(path)):
            text = open(os.path.join(path, name), encoding="utf-8").read()
            for m in re.finditer(r'#include "seisinr/([a-z_]+)/', text):
                seen += 1
                target = m.group(1)
                if target not in rank:
                    bad.append(f"{folder}/{name}: includes seisinr/{target}/, which is not a known layer")
                elif rank[target] > rank[folder]:
                    bad.append(f"{folder}/{name}: includes seisinr/{target}/, a layer above {folder}/")
            if "#include <torch/torch.h>" in text:
                bad.append(f"{folder}/{name}: includes <torch/torch.h>; include the headers of what it uses (torch/types.h, torch/utils.h, ...)")
            order = WITHIN.get(folder)
            if order:
                stem = name.split(".")[0]
                for m in re.finditer(r'#include "seisinr/' + folder + r'/([a-z_]+)\.h"', text):
                    if m.group(1) not in order or stem not in order:
                        bad.append(f"{folder}/{name}: {m.group(1)}.h or {stem} is not in WITHIN['{folder}'] of tests/py/check_layers.py")
                    elif order.index(m.group(1)) > order.index(stem):
                        bad.append(f"{folder}/{name}: includes {folder}/{m.group(1)}.h, which is above it in {folder}/")
    if bad:
        print("\n".join(bad))
        return 1
    print(f"{seen} includes between folders, all downwards ({' < '.join(LAYERS)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
