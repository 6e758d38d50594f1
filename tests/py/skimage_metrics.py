#!/usr/bin/python3
"""Reference metrics from scikit-image for tests/test_metrics.cpp.

Usage: skimage_metrics.py TRUTH.npy ESTIMATE.npy  ->  JSON [[psnr, ssim], ...] per map, with
data_range = max − min of each ground-truth map, as docs and DESIGN.md define.
"""
import json
import sys

import numpy as np
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

t = np.load(sys.argv[1]).astype(np.float64)
e = np.load(sys.argv[2]).astype(np.float64)
t = t.reshape(-1, t.shape[-2], t.shape[-1])
e = e.reshape(-1, e.shape[-2], e.shape[-1])
out = []
for a, b in zip(t, e):
    r = a.max() - a.min()
    p = peak_signal_noise_ratio(a, b, data_range=r)
    s = structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=r)
    out.append([float(p), float(s)])
print(json.dumps(out))
