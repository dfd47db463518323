"""fit_sem against a plain semopy fit (issue 4 item 8), and the FIML fit.

A 6-construct, 22-item CFA (4+4+4+4+3+3 items) on n = 500 cases simulated
with numpy from fixed loadings and factor correlations. Both sides use the
same solver and tolerance (SLSQP, ftol 1e-12, NOTES.md); ``fit_sem`` adds
parsing, lavaan's parameter table, Fisher-scoring polish, standard errors,
std.all, R², fit indices and checks. Its overhead should stay under 20% of
the semopy fit. The last block times ``missing="fiml"`` on the same data
with 5% of the values of 20 items blanked at random (EM saturated model,
two-stage start, fixed-metric scoring, observed information).

Run: ``python bench/bench_sem.py`` (or ``make bench``); copy the output to
docs/benchmarks.md.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
import semopy

import sqresearch.sem.fit as sem_module
from sqresearch.sem.fit import SEMOPY_FIT_OPTIONS, fit_sem

SIZES = [4, 4, 4, 4, 3, 3]
N = 500
REPEATS = 7


def simulate(seed: int = 2026) -> tuple[str, pd.DataFrame]:
    """The model text and a data set from it (loadings .6-.8, factor correlations .3)."""
    rng = np.random.default_rng(seed)
    n_f = len(SIZES)
    phi = np.full((n_f, n_f), 0.3) + 0.7 * np.eye(n_f)
    eta = rng.multivariate_normal(np.zeros(n_f), phi, size=N)
    columns, lines = {}, []
    for f, size in enumerate(SIZES):
        names = [f"F{f + 1}_{i + 1}" for i in range(size)]
        lines.append(f"F{f + 1} =~ " + " + ".join(names))
        for name in names:
            lam = rng.uniform(0.6, 0.8)
            columns[name] = lam * eta[:, f] + np.sqrt(1 - lam**2) * rng.normal(size=N)
    return "\n".join(lines), pd.DataFrame(columns)


def best_of(fn) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main() -> None:
    model, data = simulate()
    warnings.simplefilter("ignore")

    def plain() -> None:
        semopy.Model(model).fit(data, **SEMOPY_FIT_OPTIONS)

    def ours() -> None:
        fit_sem(model, data)

    plain(), ours()  # warm-up
    t_plain, t_ours = best_of(plain), best_of(ours)

    # the same split inside one fit_sem call: time spent in semopy vs. in the wrapper
    # (robust to a loaded machine, where two separate timings drift apart)
    inner = sem_module._semopy_estimates
    spent = []

    def timed(*args, **kwargs):
        start = time.perf_counter()
        out = inner(*args, **kwargs)
        spent.append(time.perf_counter() - start)
        return out

    sem_module._semopy_estimates = timed
    totals = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        res = fit_sem(model, data)
        totals.append(time.perf_counter() - start)
    sem_module._semopy_estimates = inner
    wrapper = np.array(totals) - np.array(spent)
    share = float(np.median(wrapper / np.array(spent)))

    print(f"model: {len(SIZES)} factors, {sum(SIZES)} items, n = {N}; median of {REPEATS} runs")
    print(f"plain semopy Model.fit (SLSQP, ftol 1e-12): {t_plain * 1000:8.1f} ms")
    print(f"fit_sem end to end                        : {t_ours * 1000:8.1f} ms")
    print(f"  of which semopy's fit                   : {np.median(spent) * 1000:8.1f} ms")
    print(
        f"  of which the wrapper (table, polish, SE, fit indices): {np.median(wrapper) * 1000:8.1f} ms"
    )
    print(f"wrapper overhead: {100 * share:.1f}% of the semopy fit (target < 20%)")
    print(
        f"chisq {res.fit['chisq']:.3f} on {res.fit['df']} df, CFI {res.fit['cfi']:.3f}, converged {res.converged}"
    )

    rng = np.random.default_rng(5)
    holes = data.copy()
    items = list(holes.columns[:20])
    holes[items] = holes[items].mask(rng.random((N, len(items))) < 0.05)
    fiml = fit_sem(model, holes, missing="fiml")  # warm-up
    t_fiml = best_of(lambda: fit_sem(model, holes, missing="fiml"))
    print(
        f"FIML (5% missing in 20 items, {int((~holes.isna().any(axis=1)).sum())} complete rows): "
        f"{t_fiml * 1000:8.1f} ms; chisq {fiml.fit['chisq']:.3f} on {fiml.fit['df']} df, "
        f"converged {fiml.converged}"
    )


if __name__ == "__main__":
    main()
