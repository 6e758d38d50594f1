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
        a = np.sin(w0 * (coords @ s["first.coord_weight"].T + code @ s["first.latent_weight"].T + s["first.bias"]))
        for k in range(o["layers"]):
            a = np.sin(w0 * (a @ s[f"hidden.{k}.weight"].T + s[f"hidden.{k}.bias"]))
        v = (a @ s["out.weight"].T)[:, 0] + s["out.bias"][0]
        if o.get("linear_path", False):
            v = v + bilinear(s["linear.mean"], xs, zs).ravel()
            if grid:
                v = v + code @ s["linear.readout"]
            else:
                v = v + np.tensordot(z, bilinear(s["linear.basis"], xs, zs), 1).ravel()
        res.append(v.reshape(h, w))
    np.save(out, np.stack(res).astype(np.float32))


if __name__ == "__main__":
    main()
