"""Scouting: a warp + PCA code (active-appearance style): each map straightened by per-column shifts
smoothed to K cosine terms, then PCA-(256 - K) of the straightened trained maps (with x-mirrored copies).

Usage: /usr/bin/python3 bench/scouting/warp.py K
Measured 2026-12-04 (K = 8): held out 39.09 / 26.58 / 29.45 dB; capped by the shifts' interpolation
(straighten + unstraighten alone: 32 dB on CurveVel-A)."""
import os, numpy as np, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import FAM, heldout_indices
def shiftcol(c, s):  # c(z + s) with linear interp, edge-extended
    z = np.arange(len(c)) + s
    return np.interp(z, np.arange(len(c)), c)
def shift_map(m, s):  # u(x,z) = v(x, z + s(x))
    return np.stack([shiftcol(m[:,j], s[j]) for j in range(m.shape[1])], 1)
S = np.arange(-20, 20.01, 0.5)
def basis(K, n=70):
    x = (np.arange(n)+0.5)/n
    return np.stack([np.cos(np.pi*k*x) for k in range(K)], 1)  # n x K
def estimate(m, K):
    B = basis(K); ref = m[:,35]
    for it in range(3):
        s = np.empty(70)
        for j in range(70):
            e = [((shiftcol(m[:,j], t) - ref)**2)[20:50].sum() for t in S]
            s[j] = S[int(np.argmin(e))]
        c = np.linalg.lstsq(B, s, rcond=None)[0]; s = B @ c; s -= s.mean()
        ref = shift_map(m, s).mean(1)
    return c
def psnr(t, r): return 10*np.log10((t.max()-t.min())**2/((t-r)**2).mean())
K = int(sys.argv[1]); ncode = 256
data = {}
for fam, f in FAM:
    m = np.load(os.environ.get('OPENFWI', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'data', 'openfwi')) + '/'+f)[:,0].astype(np.float64)
    h = heldout_indices(fam, len(m), 0.2, 0)
    data[fam] = (np.delete(m, h, 0), m[h])
def straight(maps):
    cs = [estimate(m, K) for m in maps]
    return np.stack([shift_map(m, basis(K)@c) for m,c in zip(maps, cs)]), cs
st = {fam: (straight(tr), straight(he)) for fam,(tr,he) in data.items()}
X = np.concatenate([st[f][0][0] for f in st]).reshape(-1, 4900)
Xf = np.concatenate([X, np.concatenate([st[f][0][0][:,:,::-1] for f in st]).reshape(-1,4900)])
mu = Xf.mean(0); _,_,vt = np.linalg.svd(Xf-mu, full_matrices=False); P = vt[:ncode-K]
for fam in st:
    for split, idx in (('trained',0),('held',1)):
        maps = data[fam][idx]; u, cs = st[fam][idx]
        r = ((u.reshape(-1,4900)-mu)@P.T@P + mu).reshape(u.shape)
        rec = np.stack([shift_map(ri, -(basis(K)@c)) for ri,c in zip(r,cs)])
        # straighten/unstraighten loss only
        rec0 = np.stack([shift_map(ui, -(basis(K)@c)) for ui,c in zip(u,cs)])
        print(fam, split, 'warp+pca %.2f' % np.mean([psnr(t,x) for t,x in zip(maps,rec)]), 'warp only %.2f' % np.mean([psnr(t,x) for t,x in zip(maps,rec0)]), flush=True)
