#!/usr/bin/env python3
"""The best any drift detector can do on bench (w)'s leak, from NumPy/SciPy (issue 12 item 5).

Writes src/core/watch/__fixtures__/watch-power-bound.json. CI never runs this; rerun it
(python3 scripts/watch-power-bound.py) after changing the scenario, and commit both.

Scenario (bench/watch.ts, src/core/watch/calibration/simulate-watch.ts): a one-minute gauge,
AR(1) noise with phi = 0.8 and marginal sd 1.1% of the level, a leak of 0.1% of the level per
minute from minute 0. For a window of n minutes, with Sigma the exact AR(1) covariance:
- gls: mu = slope / sd of the GLS slope, sd^2 = [(X' Sigma^-1 X)^-1]_11 (the most efficient
  unbiased linear estimate with phi known);
- ols: mu = slope / sd of the OLS slope, sd^2 = [(X'X)^-1 X' Sigma X (X'X)^-1]_11;
- ar1Ratio: ols / (sd^2 [(X'X)^-1]_11), the finite-sample variance inflation of the OLS slope
  (candor's ar1SlopeVarianceRatio, detectDrift `correction: "exact"`); asymptotically (1+phi)/(1-phi);
- npPower: Neyman-Pearson power Phi(mu_gls - z_alpha) of the best single-look test at level alpha.
Any sequential detector whose false-alarm chance over a whole watch is <= alpha has, at minute n,
a rejection region of null probability <= alpha, so its chance of having found the leak by minute
n is at most npPower(n, alpha). alpha = 1/360 is "1 false alarm per 30 service-days" of 2 h watches.
"""
import json
import pathlib

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parent.parent / "src/core/watch/__fixtures__/watch-power-bound.json"
PHI, SD, SLOPE = 0.8, 1.1, 0.1  # percent of the level; slope per minute

rows = []
for n in [15, 30, 35, 40, 45, 50, 55, 60, 120]:
    t = np.arange(n)
    sigma = SD**2 * PHI ** np.abs(t[:, None] - t[None, :])
    X = np.c_[np.ones(n), t]
    gls = np.linalg.inv(X.T @ np.linalg.inv(sigma) @ X)[1, 1]
    bread = np.linalg.inv(X.T @ X)
    ols = (bread @ X.T @ sigma @ X @ bread)[1, 1]
    mu = SLOPE / np.sqrt(gls)
    for alpha in [1 / 360, 0.01]:
        rows.append(
            {
                "minutes": n,
                "alpha": alpha,
                "muGls": round(float(mu), 4),
                "muOls": round(float(SLOPE / np.sqrt(ols)), 4),
                "ar1Ratio": float(ols / (SD**2 * bread[1, 1])),
                "npPower": round(float(stats.norm.cdf(mu - stats.norm.isf(alpha))), 4),
            }
        )

OUT.write_text(
    json.dumps(
        {
            "provenance": f"scripts/watch-power-bound.py, numpy {np.__version__}, scipy {scipy.__version__}",
            "scenario": {"phi": PHI, "noisePercent": SD, "leakPercentPerMinute": SLOPE},
            "rows": rows,
        },
        indent=2,
    )
    + "\n"
)
print(OUT)
