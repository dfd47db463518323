"""The four-step invariance sequence (issue 10 item 8).

The default study's measurement model when the framework catalogue is
available (otherwise a 6-construct, 22-item model), two groups, n = 450,
data simulated with numpy; configural, metric, scalar and strict fits
(joint multi-group ML) against one plain single-group fit. Target: the four
steps in under 2 seconds.

Run: ``python bench/bench_invariance.py`` (or ``make bench``); copy the
output to docs/benchmarks.md.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

from sqresearch.sem.fit import fit_sem
from sqresearch.sem.invariance import measurement_invariance

N = 450


def measurement_model() -> tuple[str, dict[str, list[str]]]:
    """Factor -> items: the default study's constructs, or a 6 x (4, 4, 4, 4, 3, 3) stand-in."""
    try:
        from sqresearch.constructs import get_framework
        from sqresearch.sem.syntax import parse_model

        parsed = parse_model(get_framework().measurement_syntax())
        blocks: dict[str, list[str]] = {}
        for s in parsed.statements:
            if s.op == "=~":
                blocks.setdefault(s.lhs, []).append(s.rhs)
        if blocks:
            return "default study", blocks
    except Exception:  # noqa: BLE001 - the catalogue is another helper's module
        pass
    sizes = [4, 4, 4, 4, 3, 3]
    return "6 x 22 stand-in", {
        f"F{f + 1}": [f"F{f + 1}_{i + 1}" for i in range(k)] for f, k in enumerate(sizes)
    }


def simulate(blocks: dict[str, list[str]], seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_f = len(blocks)
    phi = np.full((n_f, n_f), 0.3) + 0.7 * np.eye(n_f)
    eta = rng.multivariate_normal(np.zeros(n_f), phi, size=N)
    columns = {}
    for f, items in enumerate(blocks.values()):
        for item in items:
            lam = rng.uniform(0.6, 0.8)
            columns[item] = 3 + lam * eta[:, f] + np.sqrt(1 - lam**2) * rng.normal(size=N)
    data = pd.DataFrame(columns)
    data["GENDER"] = np.where(rng.random(N) < 0.45, "男", "女")
    return data


def main() -> None:
    warnings.simplefilter("ignore")
    name, blocks = measurement_model()
    model = "\n".join(f"{f} =~ " + " + ".join(items) for f, items in blocks.items())
    data = simulate(blocks)
    measurement_invariance(model, data, "GENDER")  # warm-up
    start = time.perf_counter()
    single = fit_sem(model, data)
    t_single = time.perf_counter() - start
    start = time.perf_counter()
    inv = measurement_invariance(model, data, "GENDER")
    t_inv = time.perf_counter() - start
    items = sum(len(v) for v in blocks.values())
    print(f"model: {name}, {len(blocks)} factors, {items} items; n = {N}, 2 groups")
    print(f"single-group fit_sem        : {t_single:6.3f} s")
    print(f"invariance, four steps      : {t_inv:6.3f} s (target < 2 s)")
    print(inv.steps[["chisq", "df", "cfi", "rmsea", "srmr", "verdict"]].round(4).to_string())
    print(f"single-group chisq {single.fit['chisq']:.3f} on {single.fit['df']} df")


if __name__ == "__main__":
    main()
