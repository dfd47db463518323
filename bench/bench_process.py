"""PROCESS model 4 (3 parallel mediators, 2 covariates, n = 500, 5000 resamples):
sqresearch vs pingouin.mediation_analysis vs pyprocessmacro on the same data.

Run: ``python bench/bench_process.py`` (or ``python -m bench process``).
Every library runs on one BLAS thread (threadpoolctl).  pingouin offers only
bias-corrected intervals; its percentile interval is computed here from the
draws it returns (``return_dist=True``), so all three columns compare
percentile intervals from 5000 resamples.  pingouin's "Y ~ M" rows omit X
and the covariates, so only a, c', c and the indirect effects are compared.
Figures go by hand into docs/benchmarks.md (marker ``bench:process``).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from sqresearch.model.process import process

N, BOOT, SEED = 500, 5000, 2026
MEDIATORS, COVARIATES = ["M1", "M2", "M3"], ["C1", "C2"]


def simulate(n: int = N, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    d = pd.DataFrame(rng.normal(size=(n, 3)), columns=["X", "C1", "C2"])
    for m, a in zip(MEDIATORS, (0.4, 0.3, 0.1), strict=True):
        d[m] = a * d.X + 0.1 * d.C1 + rng.normal(size=n)
    d["Y"] = 0.3 * d.M1 + 0.2 * d.M2 + 0.1 * d.M3 + 0.15 * d.X + 0.1 * d.C2 + rng.normal(size=n)
    return d


def best_of(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def ours(d: pd.DataFrame) -> tuple[float, dict]:
    t, r = best_of(
        lambda: process(
            d, 4, x="X", y="Y", m=MEDIATORS, covariates=COVARIATES, n_boot=BOOT, seed=SEED
        ),
        5,
    )
    rows = {f"a {m}": (r.coef(m, "X"), np.nan, np.nan) for m in MEDIATORS}
    rows["c' (direct)"] = (r.direct.effect[0], r.direct.ci_lower[0], r.direct.ci_upper[0])
    rows["c (total)"] = (r.total.effect[0], r.total.ci_lower[0], r.total.ci_upper[0])
    for row in r.indirect.itertuples():
        rows[f"ab {row.path}"] = (row.effect, row.ci_lower, row.ci_upper)
    return t, rows


def with_pingouin(d: pd.DataFrame) -> tuple[float, dict]:
    import pingouin as pg

    t, (res, dist) = best_of(
        lambda: pg.mediation_analysis(
            d, x="X", m=MEDIATORS, y="Y", covar=COVARIATES, n_boot=BOOT, seed=SEED, return_dist=True
        ),
        1,
    )
    res = res.set_index("path")
    rows = {f"a {m}": (res.loc[f"{m} ~ X", "coef"], np.nan, np.nan) for m in MEDIATORS}
    rows["c' (direct)"] = (
        res.loc["Direct", "coef"],
        res.loc["Direct", "CI2.5"],
        res.loc["Direct", "CI97.5"],
    )
    rows["c (total)"] = (
        res.loc["Total", "coef"],
        res.loc["Total", "CI2.5"],
        res.loc["Total", "CI97.5"],
    )
    for j, m in enumerate(MEDIATORS):
        lo, hi = np.percentile(dist[:, j], [2.5, 97.5])
        rows[f"ab {m}"] = (res.loc[f"Indirect {m}", "coef"], lo, hi)
    lo, hi = np.percentile(dist.sum(axis=1), [2.5, 97.5])
    rows["ab total"] = (res.loc[[f"Indirect {m}" for m in MEDIATORS], "coef"].sum(), lo, hi)
    return t, rows


def with_pyprocessmacro(d: pd.DataFrame) -> tuple[float, dict]:
    from pyprocessmacro import Process

    def fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Process(
                data=d,
                model=4,
                x="X",
                y="Y",
                m=MEDIATORS,
                controls=COVARIATES,
                boot=BOOT,
                seed=SEED,
                percent=True,
                total=True,
                suppr_init=True,
                detail=False,
            )

    t, p = best_of(fit, 3)
    tidy = p.tidy()
    out = tidy[tidy.component == "outcome"].set_index(["outcome", "term"])
    rows = {f"a {m}": (out.loc[(m, "X"), "estimate"], np.nan, np.nan) for m in MEDIATORS}
    direct = tidy[tidy.component == "direct"].iloc[0]
    rows["c' (direct)"] = (direct.estimate, direct.conf_low, direct.conf_high)
    ind = tidy[tidy.component == "indirect"].set_index("term")
    for m in MEDIATORS:
        rows[f"ab {m}"] = (ind.loc[m, "estimate"], ind.loc[m, "conf_low"], ind.loc[m, "conf_high"])
    total = tidy[tidy.component == "total"]
    if not total.empty:
        rows["ab total"] = (total.estimate.iloc[0], total.conf_low.iloc[0], total.conf_high.iloc[0])
    return t, rows


def fmt(value: tuple | None) -> str:
    if value is None:
        return "—"
    est, lo, hi = value
    return f"{est:.4f}" if np.isnan(lo) else f"{est:.4f} [{lo:.4f}, {hi:.4f}]"


def main() -> None:
    d = simulate()
    results = {}
    with threadpool_limits(1):
        results["sqresearch"] = ours(d)
        results["pyprocessmacro"] = with_pyprocessmacro(d)
        results["pingouin"] = with_pingouin(d)
    keys = list(results["sqresearch"][1])
    print(
        f"PROCESS model 4, 3 mediators, 2 covariates, n = {N}, {BOOT} resamples, percentile 95% CI, 1 thread\n"
    )
    header = "| effect | " + " | ".join(results) + " |"
    print(header)
    print("|" + "---|" * (len(results) + 1))
    for k in keys:
        print(f"| {k} | " + " | ".join(fmt(rows.get(k)) for _, rows in results.values()) + " |")
    t0 = results["sqresearch"][0]
    print("| time (s) | " + " | ".join(f"{t:.3f}" for t, _ in results.values()) + " |")
    print(
        "| time / sqresearch | " + " | ".join(f"{t / t0:.1f}×" for t, _ in results.values()) + " |"
    )


if __name__ == "__main__":
    main()
