#!/usr/bin/python3
"""PyTorch reference for seisinr's training loop (tests/test_train.cpp).

Usage: reference_train.py CHECKPOINT.sinr MAPS.npy STEPS
Continues training from a seisinr checkpoint with plain PyTorch — the decoder written the way the
paper's Algorithm 1 would be (concatenated (x, z, latent) input, F.linear, torch.sin), the loss
MSE + λ·mean‖z‖², torch.optim.Adam with the checkpoint's moments — one full batch per step, and
prints the loss before each step as a JSON list. MAPS.npy holds the trained maps in m/s, in
latent-row order.
"""
import json
import sys

import numpy as np
import torch

import sinr

torch.set_num_threads(1)
ckpt, maps_path, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
meta, sec = sinr.read(ckpt)
opt = meta["options"]
arch = meta["model"]
assert arch["activation"] == "sine"
w0, lam = arch["omega0"], opt["lambda"]

maps = np.load(maps_path).astype(np.float32)
n, h, w = maps.shape[0], maps.shape[-2], maps.shape[-1]
target = torch.from_numpy(2 * (maps.reshape(n, h * w) - opt["vmin"]) / (opt["vmax"] - opt["vmin"]) - 1)
zz, xx = torch.meshgrid(torch.linspace(-1, 1, h), torch.linspace(-1, 1, w), indexing="ij")
coords = torch.stack([xx.reshape(-1), zz.reshape(-1)], 1)  # (x, z) per point, row-major

t = {k[len("decoder."):]: torch.from_numpy(v).clone().requires_grad_(True) for k, v in sec.items() if k.startswith("decoder.")}
latents = torch.from_numpy(sec["latents"]).clone().requires_grad_(True)
names = ["first.coord_weight", "first.latent_weight", "first.bias"]
for k in range(arch["layers"]):
    names += [f"hidden.{k}.weight", f"hidden.{k}.bias"]
names += ["out.weight", "out.bias"]
params = [t[k] for k in names]


def forward(z):
    p = coords.shape[0]
    x = torch.cat([coords.unsqueeze(0).expand(z.shape[0], p, 2), z.unsqueeze(1).expand(z.shape[0], p, z.shape[1])], -1)
    W = torch.cat([t["first.coord_weight"], t["first.latent_weight"]], 1)
    x = torch.sin(w0 * torch.nn.functional.linear(x, W, t["first.bias"]))
    for k in range(arch["layers"]):
        x = torch.sin(w0 * torch.nn.functional.linear(x, t[f"hidden.{k}.weight"], t[f"hidden.{k}.bias"]))
    return torch.nn.functional.linear(x, t["out.weight"], t["out.bias"]).squeeze(-1)


adam = torch.optim.Adam([{"params": params, "lr": opt["lr"]}, {"params": [latents], "lr": opt["latent_lr"]}],
                        betas=(0.9, 0.999), eps=1e-8)
for k, p in enumerate(params + [latents]):
    adam.state[p] = {"step": torch.tensor(float(meta["adam_steps"])),
                     "exp_avg": torch.from_numpy(sec[f"adam.m.{k}"]).clone(),
                     "exp_avg_sq": torch.from_numpy(sec[f"adam.v.{k}"]).clone()}
losses = []
for _ in range(steps):
    pred = forward(latents)
    loss = ((pred - target) ** 2).mean() + lam * (latents ** 2).sum(1).mean()
    losses.append(loss.item())
    adam.zero_grad()
    loss.backward()
    adam.step()
print(json.dumps(losses))
