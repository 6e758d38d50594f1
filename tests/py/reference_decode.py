"""NumPy reference of seisinr's decoder (model/siren.h), written from its equations, not its code.

Usage: reference_decode.py MODEL.sinr HEIGHT WIDTH OUT.npy
Decodes every row of MODEL's "latents" on a HEIGHT x WIDTH grid of (x, z) = linspace(-1, 1)
in float64 and writes (N, HEIGHT, WIDTH) float32 normalised values. Sine activations only.

  code "global": h0 = sin(w0 (Wc c + Wz z + b0))
  code "grid":   z laid out [channel][row][col] on G x G nodes spanning [-1, 1]^2; the first
                 layer sees its bilinear sample s(x, z) (align_corners) in place of z
  hidden:        h_k = sin(w0 (W_k h + b_k));  out = W_out h + b_out
  linear path:   + m(x, z) + sum_k z_k phi_k(x, z)  (global)  |  + m(x, z) + sum_c a_c s_c(x, z)  (grid)
                 with m, phi bilinear samples of fields on basis_height x basis_width nodes
  refiner conv:  the global path's field F = m + sum_k z_k phi_k on the basis grid becomes
                 F + R(F) before it is sampled; R a U-Net of 13 convolutions (ReLU, zero padding,
                 bilinear resizes with half-pixel centres), spelled out in refine() below; without
                 the SIREN ("siren": false) the output is that sample alone
"""
import sys

import numpy as np

import sinr


def bilinear(field, xs, zs):
    """field (..., Hf, Wf) sampled at every (x, z) of xs (W,) x zs (H,) in [-1, 1] -> (..., H, W)."""
    hf, wf = field.shape[-2:]
    def axis(v, m):
        pos = (v + 1.0) / 2.0 * (m - 1)
        k0 = np.clip(np.floor(pos).astype(int), 0, m - 2)
        return k0, pos - k0
    kz, tz = axis(zs, hf)
    kx, tx = axis(xs, wf)
    f00 = field[..., kz, :][..., :, kx]
    f01 = field[..., kz, :][..., :, kx + 1]
    f10 = field[..., kz + 1, :][..., :, kx]
    f11 = field[..., kz + 1, :][..., :, kx + 1]
    tz, tx = tz[:, None], tx[None, :]
    return (1 - tz) * (1 - tx) * f00 + (1 - tz) * tx * f01 + tz * (1 - tx) * f10 + tz * tx * f11


def conv(x, w, b, stride, pad, dil):
    """Cross-correlation of x (Ci, H, W) with w (Co, Ci, k, k), zero padding, float64."""
    ci, h, wd = x.shape
    k = w.shape[-1]
    xp = np.zeros((ci, h + 2 * pad, wd + 2 * pad))
    xp[:, pad:pad + h, pad:pad + wd] = x
    ho = (h + 2 * pad - dil * (k - 1) - 1) // stride + 1
    wo = (wd + 2 * pad - dil * (k - 1) - 1) // stride + 1
    out = np.zeros((w.shape[0], ho, wo)) + b[:, None, None]
    for ky in range(k):
        for kx in range(k):
            patch = xp[:, ky * dil: ky * dil + stride * (ho - 1) + 1: stride, kx * dil: kx * dil + stride * (wo - 1) + 1: stride]
            out += np.einsum("oi,ihw->ohw", w[:, :, ky, kx], patch)
    return out


def resize(x, h, w):
    """Bilinear resize of x (C, Hi, Wi) to (C, h, w): source (i + 1/2) n_in / n_out - 1/2, clamped at 0."""
    def axis(n_in, n_out):
        src = np.maximum((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0)
        i0 = np.floor(src).astype(int)
        i1 = np.minimum(i0 + 1, n_in - 1)
        return i0, i1, src - i0
    z0, z1, tz = axis(x.shape[1], h)
    x0, x1, tx = axis(x.shape[2], w)
    tz, tx = tz[:, None], tx[None, :]
    g = lambda a, b: x[:, a, :][:, :, b]
    return (1 - tz) * ((1 - tx) * g(z0, x0) + tx * g(z0, x1)) + tz * ((1 - tx) * g(z1, x0) + tx * g(z1, x1))


def refine(field, s):
    """F + R(F) for one field (H, W)."""
    relu = lambda v: np.maximum(v, 0)
    def c(x, name, stride=1, pad=1, dil=1, act=True):
        y = conv(x, s[f"refiner.{name}.weight"], s[f"refiner.{name}.bias"], stride, pad, dil)
        return relu(y) if act else y
    f = field[None]
    a = c(c(f, "e0.0"), "e0.1")
    b = c(c(a, "e1.0", stride=2), "e1.1")
    e = c(c(c(c(b, "e2.0", stride=2), "e2.1", pad=2, dil=2), "e2.2", pad=4, dil=4), "e2.3")
    b2 = c(c(np.concatenate([b, resize(e, *b.shape[1:])]), "u1.0"), "u1.1")
    a2 = c(c(np.concatenate([a, resize(b2, *a.shape[1:])]), "u0.0"), "u0.1")
    return field + c(a2, "u0.2", act=False)[0]


def main():
    path, h, w, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    meta, sec = sinr.read(path)
    o = meta["model"]
    assert o["activation"] == "sine"
    s = {k[len("decoder."):]: v.astype(np.float64) for k, v in sec.items() if k.startswith("decoder.")}
    lat = sec["latents"].astype(np.float64)
    w0 = o["omega0"]
    xs, zs = np.linspace(-1, 1, w), np.linspace(-1, 1, h)
    xx, zz = np.meshgrid(xs, zs)  # (H, W): x along columns, z along rows
    coords = np.stack([xx.ravel(), zz.ravel()], 1)  # (P, 2)
    grid = o.get("code", "global") == "grid"
    res = []
    for z in lat:
        if grid:
            g = o["code_grid"]
            lattice = z.reshape(-1, g, g)
            code = bilinear(lattice, xs, zs).reshape(lattice.shape[0], -1).T  # (P, C)
        else:
            code = np.broadcast_to(z, (coords.shape[0], z.size))
        v = np.zeros(h * w)
        if o.get("siren", True):
            a = np.sin(w0 * (coords @ s["first.coord_weight"].T + code @ s["first.latent_weight"].T + s["first.bias"]))
            for k in range(o["layers"]):
                a = np.sin(w0 * (a @ s[f"hidden.{k}.weight"].T + s[f"hidden.{k}.bias"]))
            v = (a @ s["out.weight"].T)[:, 0] + s["out.bias"][0]
        if o.get("refiner", "none") == "conv":
            v = v + bilinear(refine(s["linear.mean"] + np.tensordot(z, s["linear.basis"], 1), s), xs, zs).ravel()
        elif o.get("linear_path", False):
            v = v + bilinear(s["linear.mean"], xs, zs).ravel()
            if grid:
                v = v + code @ s["linear.readout"]
            else:
                v = v + np.tensordot(z, bilinear(s["linear.basis"], xs, zs), 1).ravel()
        res.append(v.reshape(h, w))
    np.save(out, np.stack(res).astype(np.float32))


if __name__ == "__main__":
    main()
