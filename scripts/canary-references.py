#!/usr/bin/env python3
"""Reference values for the canary judge's statistics, from SciPy (and NumPy).

Writes src/core/canary/__fixtures__/scipy-references.json. CI never runs this: the JSON is
committed; rerun it (python3 scripts/canary-references.py) after changing a case, and commit both.

- normal: scipy.special.ndtr / ndtri at fixed points.
- mannWhitneyU: scipy.stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True,
  alternative=..., nan_policy="omit") on seeded samples: small and large, heavy ties, all tied,
  unequal sizes, NaN values, plus SciPy's own gh-9184 case and the docstring example.
- hodgesLehmann: the exact median of all pairwise differences x_i - y_j and the order
  statistics at ranks k and n*m + 1 - k, k = floor(n*m/2 - z * sqrt(n*m*(n+m+1)/12)) clamped to
  [1, n*m] (the distribution-free interval of Lehmann 1975 / Hollander & Wolfe with the normal
  approximation), computed by sorting all n*m differences with NumPy.
"""
import json
import math
import pathlib

import numpy as np
import scipy
from scipy import special, stats

OUT = pathlib.Path(__file__).resolve().parent.parent / "src/core/canary/__fixtures__/scipy-references.json"


def clean(values):
    """Samples as JSON: NaN as null, values rounded to 6 significant digits (the rounded values
    are the input, so nothing is lost)."""
    return [None if math.isnan(float(v)) else float(f"{float(v):.6g}") for v in values]


def unclean(values):
    return [float("nan") if v is None else v for v in values]


def mwu_cases():
    rng = np.random.default_rng(20260811)
    cases = [
        ("docstring example", [19, 22, 16, 29, 24], [20, 11, 17, 12]),
        ("scipy gh-9184", [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46],
         [1.15, 0.88, 0.90, 0.74, 1.21]),
        ("one value each", [1.0], [2.0]),
        ("small, no ties", rng.normal(0, 1, 6).tolist(), rng.normal(0.5, 1, 7).tolist()),
        ("large, continuous, shifted", rng.normal(0.1, 1, 800).tolist(), rng.normal(0, 1, 900).tolist()),
        ("large, equal", rng.normal(0, 1, 1000).tolist(), rng.normal(0, 1, 1000).tolist()),
        ("unequal sizes 3 vs 300", rng.normal(1, 1, 3).tolist(), rng.normal(0, 1, 300).tolist()),
        ("unequal sizes 500 vs 7", rng.exponential(2, 500).tolist(), rng.exponential(1, 7).tolist()),
        ("heavy ties, integers 0..3", rng.integers(0, 4, 120).astype(float).tolist(),
         rng.integers(0, 4, 100).astype(float).tolist()),
        ("heavy ties, mostly zeros", (rng.random(200) < 0.1).astype(float).tolist(),
         (rng.random(210) < 0.03).astype(float).tolist()),
        ("heavy ties, latency in 0.5 steps", (np.round(rng.gamma(4, 1, 90) * 2) / 2).tolist(),
         (np.round(rng.gamma(4, 1.1, 90) * 2) / 2).tolist()),
        ("all tied", [3.0] * 10, [3.0] * 12),
        ("one side constant", [1.0] * 8, rng.normal(1, 1, 9).tolist()),
        ("complete separation", (rng.random(40) + 10).tolist(), rng.random(40).tolist()),
        ("with NaN values", [1.5, float("nan"), 2.5, 3.1, float("nan"), 0.2, 4.4],
         [0.3, 1.1, float("nan"), 0.9, 2.0]),
        ("negative and zero values", rng.normal(-2, 3, 50).round(1).tolist(), rng.normal(-1, 3, 45).round(1).tolist()),
        ("large with ties, 5000 vs 4000", rng.poisson(3.0, 5000).astype(float).tolist(),
         rng.poisson(3.1, 4000).astype(float).tolist()),
    ]
    out = []
    for name, x, y in cases:
        x, y = unclean(clean(x)), unclean(clean(y))
        entry = {"name": name, "x": clean(x), "y": clean(y), "results": {}}
        for alternative in ("two-sided", "less", "greater"):
            r = stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True,
                                   alternative=alternative, nan_policy="omit")
            entry["results"][alternative] = {"statistic": float(r.statistic), "pValue": float(r.pvalue)}
        out.append(entry)
    return out


def hl_reference(x, y, confidence):
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    d = np.sort((x[:, None] - y[None, :]).ravel())
    n, m = len(x), len(y)
    nm = n * m
    z = special.ndtri(1 - (1 - confidence) / 2)
    k = math.floor(nm / 2 - z * math.sqrt(nm * (n + m + 1) / 12))
    k = min(max(k, 1), nm)
    mid = (nm - 1) // 2
    estimate = float(d[mid]) if nm % 2 == 1 else float((d[mid] + d[mid + 1]) / 2)
    return {"estimate": estimate, "low": float(d[k - 1]), "high": float(d[nm - k]), "k": k}


def hl_cases():
    rng = np.random.default_rng(7)
    cases = [
        ("kayenta simple case", [10, 20, 30, 40], [1, 2, 3, 4], 0.95),
        ("small shifted", rng.normal(1, 1, 9).tolist(), rng.normal(0, 1, 11).tolist(), 0.95),
        ("lognormal latency", rng.lognormal(0, 0.5, 300).tolist(), rng.lognormal(0.1, 0.5, 250).tolist(), 0.99),
        ("heavy ties", rng.integers(0, 5, 400).astype(float).tolist(), rng.integers(0, 5, 350).astype(float).tolist(), 0.99),
        ("mostly zeros", (rng.random(500) < 0.05).astype(float).tolist(), (rng.random(600) < 0.02).astype(float).tolist(), 0.95),
        ("unequal 2000 vs 30", rng.normal(5, 2, 2000).tolist(), rng.normal(5.5, 2, 30).tolist(), 0.99),
        ("all equal", [2.0] * 20, [2.0] * 25, 0.95),
        ("one each", [3.0], [1.0], 0.95),
    ]
    return [{"name": name, "x": clean(x), "y": clean(y), "confidence": conf,
             **hl_reference(unclean(clean(x)), unclean(clean(y)), conf)}
            for name, x, y, conf in cases]


def normal_cases():
    zs = [-38.0, -30.0, -20.0, -10.0, -8.3, -5.0, -3.0, -1.96, -1.0, -0.5, -0.3, -1e-10, 0.0, 0.2,
          0.46875, 0.7, 1.0, 2.5, 2.82842712474619, 3.0, 5.0, 6.0, 9.0]
    ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.3, 0.5,
          0.7, 0.925, 0.95, 0.975, 0.99, 0.999, 1 - 1e-10]
    return {
        "cdf": [{"z": z, "p": float(special.ndtr(z))} for z in zs],
        "quantile": [{"p": p, "z": float(special.ndtri(p))} for p in ps],
    }


def main():
    doc = {
        "generator": "scripts/canary-references.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "normal": normal_cases(),
        "mannWhitneyU": mwu_cases(),
        "hodgesLehmann": hl_cases(),
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
