#!/usr/bin/python3
"""Checks a .npy file that seisinr wrote, with NumPy: dtype, order, shape, and values given by
the formula 1500 + 0.25 * k (k = C-order index). Usage: check_npy.py FILE D0 D1 ... Exit 0 when
all hold; prints what differs otherwise."""
import sys

import numpy as np

path, shape = sys.argv[1], tuple(int(s) for s in sys.argv[2:])
a = np.load(path)
problems = []
if a.dtype != np.dtype("<f4"):
    problems.append(f"dtype {a.dtype.str}, expected <f4")
if a.shape != shape:
    problems.append(f"shape {a.shape}, expected {shape}")
if np.isfortran(a) and a.ndim > 1:
    problems.append("Fortran order, expected C order")
if not problems:
    want = (1500.0 + 0.25 * np.arange(np.prod(shape))).reshape(shape).astype("<f4")
    if not np.array_equal(a, want):
        problems.append(f"values differ at {np.argwhere(a != want)[:3].tolist()}")
print("; ".join(problems) or "ok")
sys.exit(1 if problems else 0)
