#!/usr/bin/python3
"""The paper's Algorithm 1 written the way its authors would: a plain PyTorch script.

SIREN auto-decoder (Liu, Luo and Xiong 2026): input (x, z, latent) concatenated per point,
nn.Linear layers, torch.sin(omega0 * .), one nn.Embedding row of latent code per map, loss
MSE + lambda * mean ||z||^2, torch.optim.Adam with one group for the decoder and one for the
codes, ReduceLROnPlateau (patience 50, factor 0.5) on the epoch's mean loss, and
torch.autocast(bfloat16) for mixed precision. Run with Debian's python3-torch, which is the
same libtorch 1.13 seisinr links, so a speed difference comes from the design, not the engine.

Usage: paper_siren_ad.py --data MAPS.npy [--data ...] [--hidden 512] [--layers 4] [--latent-dim 256]
         [--batch 32] [--epochs 3] [--points 0] [--lr 2e-4] [--latent-lr 2e-4] [--lambda 1e-4]
         [--first-layer-init paper|coord_half] [--amp] [--threads 1] [--seed 0] [--device cpu|cuda]
         [--json OUT]

Prints one line per epoch; --json writes seconds per epoch and the final mean PSNR (per map,
10 log10(range^2 / MSE) with the map's own range, in m/s, on the full grid).
"""
import argparse
import json
import math
import time

import numpy as np
import torch
from torch import nn


class Siren(nn.Module):
    def __init__(self, latent_dim, hidden, layers, omega0, first_layer_init):
        super().__init__()
        self.omega0 = omega0
        d_in = 2 + latent_dim
        self.first = nn.Linear(d_in, hidden)
        self.hidden = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(layers))
        self.out = nn.Linear(hidden, 1)
        with torch.no_grad():
            self.first.weight.uniform_(-1 / d_in, 1 / d_in)
            if first_layer_init == "coord_half":
                self.first.weight[:, :2].uniform_(-0.5, 0.5)
            bound = math.sqrt(6 / hidden) / omega0
            for layer in list(self.hidden) + [self.out]:
                layer.weight.uniform_(-bound, bound)

    def forward(self, coords, z):
        # coords (B, P, 2), z (B, d): concatenate the code to every point, as Algorithm 1 does.
        x = torch.cat([coords, z.unsqueeze(1).expand(-1, coords.shape[1], -1)], -1)
        x = torch.sin(self.omega0 * self.first(x))
        for layer in self.hidden:
            x = torch.sin(self.omega0 * layer(x))
        return self.out(x).squeeze(-1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", action="append", required=True)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--latent-dim", type=int, default=256)
    ap.add_argument("--omega0", type=float, default=30.0)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--points", type=int, default=0, help="random points per map per step; 0 = all")
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--latent-lr", type=float, default=2e-4)
    ap.add_argument("--lambda", dest="lam", type=float, default=1e-4)
    ap.add_argument("--first-layer-init", default="paper")
    ap.add_argument("--amp", action="store_true")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--vmin", type=float, default=1500.0)
    ap.add_argument("--vmax", type=float, default=4500.0)
    ap.add_argument("--device", default="cpu", help="cpu | cuda (autocast and all tensors on it)")
    ap.add_argument("--json")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    maps = np.concatenate([np.load(p.split(":")[0]).reshape(-1, 70, 70) for p in a.data]).astype(np.float32)
    n, h, w = maps.shape
    target = torch.from_numpy(2 * (maps.reshape(n, h * w) - a.vmin) / (a.vmax - a.vmin) - 1)
    zz, xx = torch.meshgrid(torch.linspace(-1, 1, h), torch.linspace(-1, 1, w), indexing="ij")
    grid = torch.stack([xx.reshape(-1), zz.reshape(-1)], 1)
    dev = torch.device(a.device)
    target, grid = target.to(dev), grid.to(dev)

    model = Siren(a.latent_dim, a.hidden, a.layers, a.omega0, a.first_layer_init)
    codes = nn.Embedding(n, a.latent_dim)
    nn.init.normal_(codes.weight, 0.0, 0.01)
    model, codes = model.to(dev), codes.to(dev)
    opt = torch.optim.Adam([{"params": model.parameters(), "lr": a.lr}, {"params": codes.parameters(), "lr": a.latent_lr}])
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=50, factor=0.5)

    seconds = []
    for epoch in range(a.epochs):
        t0 = time.perf_counter()
        order = torch.randperm(n, device=dev)
        total, steps = 0.0, 0
        for b0 in range(0, n, a.batch):
            idx = order[b0:b0 + a.batch]
            z = codes(idx)
            if a.points:
                pidx = torch.randint(h * w, (len(idx), a.points), device=dev)
                coords, t = grid[pidx], target[idx].gather(1, pidx)
            else:
                coords, t = grid.unsqueeze(0).expand(len(idx), -1, -1), target[idx]
            with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.amp):
                pred = model(coords, z)
            loss = ((pred.float() - t) ** 2).mean() + a.lam * (z ** 2).sum(1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            steps += 1
        sched.step(total / steps)
        if dev.type == "cuda":
            torch.cuda.synchronize()
        seconds.append(time.perf_counter() - t0)
        print(f"epoch {epoch + 1}/{a.epochs}  loss {total / steps:.3e}  {seconds[-1]:.2f} s", flush=True)

    with torch.no_grad():
        psnr = []
        for i in range(n):
            pred = model(grid.unsqueeze(0), codes.weight[i:i + 1])[0]
            v = (pred + 1) * (a.vmax - a.vmin) / 2 + a.vmin
            truth = torch.from_numpy(maps[i].reshape(-1)).to(dev)
            rng = float(truth.max() - truth.min())
            mse = float(((v - truth) ** 2).mean())
            if rng > 0 and mse > 0:
                psnr.append(10 * math.log10(rng * rng / mse))
    result = {"seconds_per_epoch": seconds, "psnr_mean": float(np.mean(psnr)), "maps": n, "epochs": a.epochs,
              "threads": a.threads, "device": a.device, "torch": torch.__version__}
    print(json.dumps({k: v for k, v in result.items() if k != "seconds_per_epoch"}))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
