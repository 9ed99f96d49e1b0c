#!/usr/bin/env python3
"""Reference values for the post-deploy watch's trend statistics, from SciPy (and NumPy).

Writes src/core/watch/__fixtures__/scipy-watch-references.json. CI never runs this: the JSON is
committed; rerun it (python3 scripts/watch-references.py) after changing a case, and commit both.

- theilSen: scipy.stats.theilslopes(y, x, alpha=level, method="separate") -> slope, intercept,
  low_slope, high_slope, on seeded series: with and without x, ties in y, ties in x, a trend in
  AR(1) noise, a short series.
- kendall: scipy.stats.kendalltau(range(n), y, method="asymptotic") -> tau-b and the two-sided
  p-value; with no ties in time, Kendall's S = tau_b * sqrt(n0 * (n0 - n2)) (n0 = n(n-1)/2, n2 the
  tied pairs of y) and the p-value is 2 * sf(|S| / sqrt(Var S)) without continuity correction.
- hamedRao: the variance factor n/n* of Hamed & Rao (1998, J. Hydrology 204, eq. 13-14) as the
  pymannkendall package computes it (Hussain & Mahmud 2019: detrend with Sen's slope, ranks of
  the residuals, autocorrelations at lags 1..n-1 kept when outside +-z_{0.975}/sqrt(n)), written
  here with NumPy independently of candor's TypeScript, and clamped at 1 as candor does.
"""
import json
import math
import pathlib

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parent.parent / "src/core/watch/__fixtures__/scipy-watch-references.json"


def r6(values):
    return [float(f"{float(v):.6g}") for v in values]


def ar1(rng, n, phi, sd=1.0):
    out = np.empty(n)
    out[0] = rng.normal(0, sd / math.sqrt(max(1e-9, 1 - phi * phi)))
    for i in range(1, n):
        out[i] = phi * out[i - 1] + rng.normal(0, sd)
    return out


def theil_cases(rng):
    cases = [
        ("docstring-like line with noise", r6(np.arange(20) * 0.5 + rng.normal(0, 1, 20)), None, 0.95),
        ("explicit x with gaps", r6(rng.normal(0, 1, 15) + np.linspace(0, 3, 15)), r6(np.sort(rng.uniform(0, 30, 15))), 0.9),
        ("ties in y (integers)", r6(rng.integers(0, 5, 40)), None, 0.95),
        ("ties in x", r6(rng.normal(0, 1, 12)), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5], 0.95),
        ("trend in AR(1) 0.8", r6(0.05 * np.arange(120) + ar1(rng, 120, 0.8)), None, 0.95),
        ("flat AR(1) 0.8, 60 points", r6(ar1(rng, 60, 0.8)), None, 0.99),
        ("short", [1.0, 3.0, 2.0, 5.0], None, 0.95),
    ]
    out = []
    for name, y, x, level in cases:
        res = stats.theilslopes(y, x, alpha=level, method="separate")
        out.append({
            "name": name, "y": y, "x": x, "level": level,
            "slope": float(res.slope), "intercept": float(res.intercept),
            "low": float(res.low_slope), "high": float(res.high_slope),
        })
    return out


def kendall_cases(rng):
    cases = [
        ("increasing with noise", r6(np.arange(30) * 0.1 + rng.normal(0, 1, 30))),
        ("no trend", r6(rng.normal(0, 1, 50))),
        ("ties", r6(rng.integers(0, 3, 45))),
        ("decreasing AR(1)", r6(-0.03 * np.arange(100) + ar1(rng, 100, 0.6))),
    ]
    out = []
    for name, y in cases:
        n = len(y)
        res = stats.kendalltau(np.arange(n), y, method="asymptotic")
        _, counts = np.unique(y, return_counts=True)
        n0 = n * (n - 1) / 2
        n2 = float(np.sum(counts * (counts - 1) / 2))
        s = float(res.statistic) * math.sqrt(n0 * (n0 - n2))
        out.append({"name": name, "y": y, "s": round(s), "pValue": float(res.pvalue)})
    return out


def hamed_rao_factor(y):
    y = np.asarray(y, dtype=float)
    n = len(y)
    slope = stats.theilslopes(y, np.arange(n)).slope
    resid = y - slope * np.arange(n)
    ranks = stats.rankdata(resid)
    centred = ranks - ranks.mean()
    denom = np.sum(centred ** 2)
    bound = stats.norm.ppf(0.975) / math.sqrt(n)
    total = 0.0
    for k in range(1, n - 1):
        rho = np.sum(centred[: n - k] * centred[k:]) / denom
        if abs(rho) > bound:
            total += (n - k) * (n - k - 1) * (n - k - 2) * rho
    return max(1.0, 1 + 2.0 / (n * (n - 1) * (n - 2)) * total), float(slope)


def hamed_rao_cases(rng):
    out = []
    for name, y in [
        ("independent", r6(rng.normal(0, 1, 80))),
        ("AR(1) 0.5", r6(ar1(rng, 80, 0.5))),
        ("AR(1) 0.8 with a trend", r6(0.02 * np.arange(120) + ar1(rng, 120, 0.8))),
        ("AR(1) 0.9", r6(ar1(rng, 200, 0.9))),
    ]:
        factor, slope = hamed_rao_factor(y)
        out.append({"name": name, "y": y, "slope": slope, "factor": factor})
    return out


def main():
    rng = np.random.default_rng(20261202)
    data = {
        "generatedBy": f"scripts/watch-references.py with SciPy {scipy.__version__}, NumPy {np.__version__}",
        "theilSen": theil_cases(rng),
        "kendall": kendall_cases(rng),
        "hamedRao": hamed_rao_cases(rng),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
