"""Shared by the scouting scripts of issue 25 (docs/fidelity.md, "Scouting"): the 600 real maps on
seisinr's split (bench/linear_baselines.py), normalised to (v - 3000) / 1500, and PSNR per family."""
import os, sys, time, numpy as np, torch
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from linear_baselines import heldout_indices
FAM = [("FlatVel", "FlatVelA_200.npy"), ("CurveVel", "CurveVelA_200.npy"), ("Fault", "FaultA_200.npy")]
def load():
    tr, he = [], []
    trl, hel = [], []
    for k,(fam,f) in enumerate(FAM):
        m = np.load(os.environ.get('OPENFWI', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'data', 'openfwi')) + '/'+f)[:,0].astype(np.float32)
        h = heldout_indices(fam, len(m), 0.2, 0)
        tr.append(np.delete(m, h, 0)); he.append(m[h]); trl += [k]*(len(m)-len(h)); hel += [k]*len(h)
    n = lambda a: torch.from_numpy((np.concatenate(a)-3000.0)/1500.0)[:,None]
    return n(tr), torch.tensor(trl), n(he), torch.tensor(hel)
def psnr(truth, rec):
    t = truth.double()*1500+3000; r = rec.double()*1500+3000
    t = t.flatten(1); r = r.flatten(1)
    rng = t.max(1).values - t.min(1).values
    mse = ((t-r)**2).mean(1)
    return 10*torch.log10(rng**2/mse)
def report(tag, truth, rec, lab):
    p = psnr(truth, rec)
    s = ' / '.join('%.2f' % p[lab==k].mean().item() for k in range(3))
    print(tag, s, flush=True)
    return [p[lab==k].mean().item() for k in range(3)]
