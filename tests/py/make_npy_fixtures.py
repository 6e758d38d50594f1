#!/usr/bin/python3
"""Writes .npy files with NumPy itself for seisinr's reader tests (tests/test_npy.cpp).

Every file holds the same logical array: element k (in C order) = 1500 + 0.25 * k, exact in
float32 and float64, so the C++ test derives the expected values from the formula, not from
seisinr. Names: <shape>_<dtype>_<order>_v<major>.npy, e.g. n1hw_gt_f8_F_v2.npy.
"""
import itertools
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
shapes = {"n1hw": (3, 1, 5, 4), "nhw": (3, 5, 4), "hw": (5, 4)}
dtypes = {"lt_f4": "<f4", "gt_f4": ">f4", "lt_f8": "<f8", "gt_f8": ">f8"}
count = 0
for (sname, shape), (dname, dt), order, version in itertools.product(
        shapes.items(), dtypes.items(), "CF", (1, 2, 3)):
    k = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    a = (1500.0 + 0.25 * k).astype(dt)
    a = np.asfortranarray(a) if order == "F" else np.ascontiguousarray(a)
    path = os.path.join(out, f"{sname}_{dname}_{order}_v{version}.npy")
    with open(path, "wb") as f:
        np.lib.format.write_array(f, a, version=(version, 0))
    count += 1
print(f"wrote {count} .npy fixtures to {out}")
