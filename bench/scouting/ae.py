"""Scouting: a convolutional autoencoder (8x8x4 = 256 latent numbers), trained on the 480 maps.

Usage: /usr/bin/python3 bench/scouting/ae.py MINUTES WIDTH THREADS
Measured 2026-12-04 (3 min, width 24, 1 thread): 20.1 / 19.2 / 20.5 dB held out after 9 epochs,
rising ~0.2 dB per epoch: too slow for a 30-minute CPU budget."""
import sys, time, math, torch, torch.nn as nn, torch.nn.functional as F
from common import *
torch.manual_seed(0)
minutes = float(sys.argv[1]); W = int(sys.argv[2]) if len(sys.argv)>2 else 32
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv)>3 else 2)
tr, trl, he, hel = load()
act = nn.GELU
def cb(i,o,k=3,s=1,p=1): return nn.Sequential(nn.Conv2d(i,o,k,s,p), act())
class Enc(nn.Module):
    def __init__(s, w):
        super().__init__()
        s.n = nn.Sequential(cb(1,w), cb(w,2*w,4,2,1), cb(2*w,2*w), cb(2*w,3*w,4,2,1), cb(3*w,3*w), cb(3*w,4*w,4,2,1), cb(4*w,4*w), nn.Conv2d(4*w,4,1))
    def forward(s,x): return s.n(x)  # 70->35->17->8
class Dec(nn.Module):
    def __init__(s, w):
        super().__init__()
        s.a = nn.Sequential(cb(4,4*w), cb(4*w,4*w))
        s.b = nn.Sequential(cb(4*w,3*w), cb(3*w,3*w))
        s.c = nn.Sequential(cb(3*w,2*w), cb(2*w,2*w))
        s.d = nn.Sequential(cb(2*w,w), nn.Conv2d(w,1,3,1,1))
    def forward(s,z):
        h = s.a(z); h = F.interpolate(h, size=(17,17), mode='bilinear', align_corners=False)
        h = s.b(h); h = F.interpolate(h, size=(35,35), mode='bilinear', align_corners=False)
        h = s.c(h); h = F.interpolate(h, size=(70,70), mode='bilinear', align_corners=False)
        return s.d(h)
E, D = Enc(W), Dec(W)
print('params', sum(p.numel() for p in E.parameters()), sum(p.numel() for p in D.parameters()))
opt = torch.optim.Adam(list(E.parameters())+list(D.parameters()), lr=1e-3)
t0 = time.time(); ep = 0; B = 16
while time.time()-t0 < minutes*60:
    perm = torch.randperm(len(tr)); tot = 0
    frac = (time.time()-t0)/(minutes*60)
    for g in opt.param_groups: g['lr'] = 1e-3*0.5*(1+math.cos(math.pi*min(frac,1)))
    for i in range(0, len(tr), B):
        x = tr[perm[i:i+B]]
        fl = torch.rand(len(x)) < 0.5
        x = torch.where(fl[:,None,None,None], x.flip(-1), x)
        loss = F.mse_loss(D(E(x)), x)
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item()*len(x)
    ep += 1
    if ep % 5 == 0 or time.time()-t0 >= minutes*60:
        with torch.no_grad():
            print('ep %d t %.0fs loss %.3g' % (ep, time.time()-t0, tot/len(tr)), end=' ')
            report('trained', tr, D(E(tr)), trl); report('   held', he, D(E(he)), hel)
torch.save({'E':E.state_dict(),'D':D.state_dict()}, '/tmp/ae_%d.pt' % W)
# refine held-out codes with the decoder frozen
for p in D.parameters(): p.requires_grad_(False)
with torch.no_grad(): z0 = E(he)
z = z0.clone().requires_grad_(True); o = torch.optim.Adam([z], lr=1e-2)
for s in range(200):
    l = F.mse_loss(D(z), he, reduction='sum'); o.zero_grad(); l.backward(); o.step()
with torch.no_grad(): report('held refined', he, D(z), hel)
