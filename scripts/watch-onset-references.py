#!/usr/bin/env python3
"""Reference values for the pre-deploy drift test (detectDriftSinceDeploy), from NumPy/SciPy.

Writes src/core/watch/__fixtures__/watch-onset-references.json, read by
src/core/watch/fit-slope-onset.test.ts. CI never runs this; rerun it
(python3 scripts/watch-onset-references.py, about a minute) after changing the method, and commit
both.

Independent of candor's code paths:
- information: 1/Var(slope) of y = level + slope*h + AR(1) noise (innovation sd 1), h = 0 on the
  `before` points and 1, 2, ... after the deploy, by explicit GLS with the exact AR(1) covariance
  Sigma_ij = phi^|i-j| / (1 - phi^2) (np.linalg), at every look n = 1..K (candor: Prais-Winsten
  sums, onsetInformation);
- gls: the same GLS on one seeded series with gaps (the covariance of the finite points only),
  level, slope and se (candor: fitSlopeOnset);
- ar1: phi by least squares of x_t on (1, x_{t-1}) over the consecutive finite pairs
  (np.linalg.lstsq), then + (1 + 3 phi)/n, sigma^2 = RSS/(pairs - 2) (candor: fitAr1);
- bound: P(Z_1 >= c) + sum_k P(Z_{k-1} < c <= Z_k) with each term from SciPy's bivariate normal
  (scipy.stats.multivariate_normal.cdf, Genz) (candor: crossingBound, by Simpson's rule);
- monteCarlo: the chance that max over looks first..K of z_n = slope_n/se_n reaches c, by
  simulating AR(1) series with phi known (400,000 per phi): the false-alarm chance of the
  constant boundary c over a watch, and the check that the bound is above it.
"""
import json
import pathlib

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parent.parent / "src/core/watch/__fixtures__/watch-onset-references.json"
BEFORE, LOOKS, FIRST = 120, 120, 5


def ar1_cov(times, phi):
    t = np.asarray(times, dtype=float)
    return phi ** np.abs(t[:, None] - t[None, :]) / (1 - phi**2)


def design(times):
    t = np.asarray(times)
    return np.c_[np.ones(len(t)), np.where(t >= 0, t + 1, 0)]


def gls(times, y, phi):
    X = design(times)
    Si = np.linalg.inv(ar1_cov(times, phi))
    A = np.linalg.inv(X.T @ Si @ X)
    beta = A @ X.T @ Si @ y
    return beta, A


def information(before, looks, phi):
    out = []
    for n in range(1, looks + 1):
        times = np.arange(-before, n)
        _, A = gls(times, np.zeros(len(times)), phi)
        out.append(1 / A[1, 1])
    return out


def simulate(rng, count, length, phi):
    e = rng.standard_normal((count, length))
    x = np.empty((count, length))
    x[:, 0] = e[:, 0] / np.sqrt(1 - phi**2)
    for t in range(1, length):
        x[:, t] = phi * x[:, t - 1] + e[:, t]
    return x


def z_weights(phi):
    """Rows: the GLS slope's weights at look n (zero-padded), divided by its sd."""
    length = BEFORE + LOOKS
    W = np.zeros((LOOKS - FIRST + 1, length))
    for row, n in enumerate(range(FIRST, LOOKS + 1)):
        times = np.arange(-BEFORE, n)
        X = design(times)
        Si = np.linalg.inv(ar1_cov(times, phi))
        A = np.linalg.inv(X.T @ Si @ X)
        W[row, : len(times)] = (A @ X.T @ Si)[1] / np.sqrt(A[1, 1])
    return W


def crossing_bound(info, c):
    total = stats.norm.sf(c)
    for k in range(1, len(info)):
        rho = np.sqrt(info[k - 1] / info[k])
        both_below = stats.multivariate_normal.cdf(
            [c, c], mean=[0, 0], cov=[[1, rho], [rho, 1]], abseps=1e-13, releps=1e-13, maxpts=10**7
        )
        total += stats.norm.cdf(c) - both_below
    return float(total)


rng = np.random.default_rng(20261202)
out = {
    "provenance": f"scripts/watch-onset-references.py, numpy {np.__version__}, scipy {scipy.__version__}",
    "design": {"before": BEFORE, "looks": LOOKS, "firstLook": FIRST},
    "information": [],
    "bound": [],
    "monteCarlo": [],
}

for phi in [0.0, 0.5, 0.8, 0.95]:
    out["information"].append({"before": BEFORE, "looks": LOOKS, "phi": phi, "values": information(BEFORE, LOOKS, phi)})
out["information"].append({"before": 30, "looks": 40, "phi": 0.8, "values": information(30, 40, 0.8)})

# One series with gaps for the GLS fit, and the AR(1) fit of its before window.
phi, sigma = 0.8, 1.3
series = 100 + sigma * simulate(rng, 1, 150, phi)[0]
series[120:] += 0.05 * np.arange(1, 31)
series[[7, 50, 51, 130]] = np.nan
times = np.arange(-120, 30)
keep = ~np.isnan(series)
beta, A = gls(times[keep], series[keep], phi)
before = series[:120]
pairs = [(before[i - 1], before[i]) for i in range(1, 120) if not np.isnan(before[i - 1]) and not np.isnan(before[i])]
prev, nxt = np.array(pairs).T
coef, *_ = np.linalg.lstsq(np.c_[np.ones(len(prev)), prev], nxt, rcond=None)
points = int(np.sum(~np.isnan(before)))
phi_hat = coef[1] + (1 + 3 * coef[1]) / points
resid = nxt - nxt.mean() - phi_hat * (prev - prev.mean())
out["gls"] = {
    "series": [None if np.isnan(v) else float(v) for v in series],
    "before": 120,
    "phi": phi,
    "sigma": sigma,
    "level": float(beta[0]),
    "slope": float(beta[1]),
    "se": float(sigma * np.sqrt(A[1, 1])),
}
out["ar1"] = {
    "phi": float(phi_hat),
    "sigma": float(np.sqrt(resid @ resid / (len(pairs) - 2))),
    "points": points,
    "pairs": len(pairs),
}

for phi in [0.5, 0.8, 0.95]:
    info = information(BEFORE, LOOKS, phi)[FIRST - 1 :]
    for c in [3.6, 3.8, 4.0]:
        out["bound"].append({"phi": phi, "c": c, "value": crossing_bound(info, c)})
    W = z_weights(phi)
    cs = np.round(np.arange(3.5, 4.01, 0.05), 2)
    hits = np.zeros(len(cs))
    total = 0
    for _ in range(20):
        z = simulate(rng, 20_000, BEFORE + LOOKS, phi) @ W.T
        peak = z.max(axis=1)
        hits += (peak[:, None] >= cs[None, :]).sum(axis=0)
        total += len(peak)
    out["monteCarlo"].append(
        {
            "phi": phi,
            "simulations": total,
            "rows": [
                {"c": float(c), "p": float(h / total), "se": float(np.sqrt(h / total * (1 - h / total) / total))}
                for c, h in zip(cs, hits)
            ],
        }
    )

OUT.write_text(json.dumps(out, indent=1) + "\n")
print(OUT)
