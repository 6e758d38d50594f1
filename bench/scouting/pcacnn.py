"""Scouting: the PCA-256 projection and a small U-Net that repairs it, trained on cross-fitted
reconstructions (5 folds) and in-sample ones, x-mirrored at random; the prototype of the `refined`
preset (model/refiner.h), with GELU where the library uses ReLU.

Usage: /usr/bin/python3 bench/scouting/pcacnn.py MINUTES WIDTH THREADS REPROJECT [ENCODE_LR]
  REPROJECT 1: the cross-fitted images projected again on the full basis (what a code can express)
Measured 2026-12-04 (20 min, width 16, 1 thread, REPROJECT 0; projection only, no encoding):
41 epochs, held out 43.34 / 28.19 / 35.99 dB, trained 47.31 / 44.14 / 40.70. REPROJECT 1 learned
more slowly (15 min, 33 epochs: 42.25 / 27.76 / 35.09). The final encoding step through the network
is slow in PyTorch on one thread; seisinr's encoder measures it (docs/fidelity.md)."""
# Linear code (PCA-256 projection) + a convolutional decoder that sharpens its reconstruction.
import sys, time, math, torch, torch.nn as nn, torch.nn.functional as F
from common import *
torch.manual_seed(0)
minutes = float(sys.argv[1]); W = int(sys.argv[2]); torch.set_num_threads(int(sys.argv[3]))
K = 256
REPROJ = int(sys.argv[4])
tr, trl, he, hel = load()
def pca(x, k):
    X = x.flatten(1).double(); mu = X.mean(0)
    U,S,V = torch.linalg.svd(X-mu, full_matrices=False)
    return mu, V[:k]
def proj(x, mu, P): return (((x.flatten(1).double()-mu)@P.T@P)+mu).float().view_as(x)
mu, P = pca(tr, K)
# held-out-like inputs for the trained maps: 5 folds, PCA of the other folds
perm = torch.randperm(len(tr)); folds = perm.chunk(5); cv = torch.empty_like(tr)
for f in folds:
    rest = torch.tensor([i for i in range(len(tr)) if i not in set(f.tolist())])
    m_, P_ = pca(tr[rest], K); cv[f] = proj(tr[f], m_, P_)
if REPROJ: cv = proj(cv, mu, P)
ins = proj(tr, mu, P); hin = proj(he, mu, P)
report('pca trained', tr, ins, trl); report('pca cv', tr, cv, trl); report('pca held', he, hin, hel)
def cb(i,o,d=1): return nn.Sequential(nn.Conv2d(i,o,3,1,d,dilation=d), nn.GELU())
class Net(nn.Module):
    def __init__(s,w):
        super().__init__()
        s.e0 = nn.Sequential(cb(1,w), cb(w,w))
        s.d1 = nn.Sequential(nn.Conv2d(w,2*w,4,2,1), nn.GELU(), cb(2*w,2*w))   # 35
        s.d2 = nn.Sequential(nn.Conv2d(2*w,4*w,3,2,1), nn.GELU(), cb(4*w,4*w,2), cb(4*w,4*w,4), cb(4*w,4*w))  # 18
        s.u1 = nn.Sequential(cb(6*w,2*w), cb(2*w,2*w))
        s.u0 = nn.Sequential(cb(3*w,w), cb(w,w), nn.Conv2d(w,1,3,1,1))
    def forward(s,x):
        a = s.e0(x); b = s.d1(a); c = s.d2(b)
        c = F.interpolate(c, size=b.shape[-2:], mode='bilinear', align_corners=False)
        b = s.u1(torch.cat([b,c],1))
        b = F.interpolate(b, size=a.shape[-2:], mode='bilinear', align_corners=False)
        return x + s.u0(torch.cat([a,b],1))
net = Net(W); print('params', sum(p.numel() for p in net.parameters()))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
t0 = time.time(); ep = 0; B = 16
X = torch.cat([cv, ins]); Y = torch.cat([tr, tr])
while time.time()-t0 < minutes*60:
    frac = (time.time()-t0)/(minutes*60)
    for g in opt.param_groups: g['lr'] = 1e-3*0.5*(1+math.cos(math.pi*min(frac,1)))
    p = torch.randperm(len(X)); tot = 0
    for i in range(0, len(X), B):
        x, y = X[p[i:i+B]], Y[p[i:i+B]]
        fl = torch.rand(len(x)) < 0.5
        x = torch.where(fl[:,None,None,None], x.flip(-1), x); y = torch.where(fl[:,None,None,None], y.flip(-1), y)
        loss = F.mse_loss(net(x), y); opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item()*len(x)
    ep += 1
    if ep % 3 == 0 or time.time()-t0 >= minutes*60:
        with torch.no_grad():
            print('ep %d t %.0fs loss %.3g' % (ep, time.time()-t0, tot/len(X)), end=' ')
            report('trained', tr, net(ins), trl); report('  cv', tr, net(cv), trl); report('  held', he, net(hin), hel)
torch.save(net.state_dict(), '/tmp/pcacnn_%d_%d.pt' % (W, REPROJ))
# encode: refine the codes through the frozen network from the projection, keep if better
for p_ in net.parameters(): p_.requires_grad_(False)
Pf = P.float(); muf = mu.float()
def dec(z): return net((z@Pf + muf).view(-1,1,70,70))
for name, x, lab in (('trained', tr, trl), ('held', he, hel)):
    z0 = ((x.flatten(1)-muf)@Pf.T); z = z0.clone().requires_grad_(True)
    o = torch.optim.Adam([z], lr=float(sys.argv[5]) if len(sys.argv)>5 else 1e-3)
    for s_ in range(200):
        l = ((dec(z)-x)**2).sum(); o.zero_grad(); l.backward(); o.step()
    with torch.no_grad():
        r0 = dec(z0); r1 = dec(z); e0 = ((r0-x)**2).flatten(1).sum(1); e1 = ((r1-x)**2).flatten(1).sum(1)
        r = torch.where((e1<e0)[:,None,None,None], r1, r0)
        report(name+' start', x, r0, lab); report(name+' refined', x, r, lab)

