"""MLR, MLM and WLSMV fits against lavaan, timed in the same run (issue 20 item 7).

The Big Five inventory (psych::bfi, 25 six-category items, the n = 2,236 rows
complete on every bfi column, as lavaan users load it with ``na.omit(bfi)``),
five-factor CFA; also MLR with two observed covariates (``A ~ age + gender``,
fixed.x) and WLSMV over the two genders (``group = "gender"``, configural).
R exports the data and times lavaan's ``cfa()``/``sem()`` for each case (CPU seconds, user + system, of ``system.time``; median of the
runs after one warm-up fit); Python times ``fit_sem`` the same way
(``time.process_time``) on the same CSV, one BLAS thread each. CPU time,
not wall time: the shared machine's load moves wall times by a factor 2.
Both sides report their scaled χ², which must agree.

Needs R with lavaan and psych (Debian: r-cran-lavaan, r-cran-psych).
Run: ``python bench/bench_robust.py``; copy the output to docs/benchmarks.md.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from sqresearch.sem.fit import fit_sem

REPEATS = 5
MODEL = "\n".join(f"{f} =~ " + " + ".join(f"{f}{i}" for i in range(1, 6)) for f in "ACENO")
COVARIATES = MODEL + "\nA ~ age + gender"
ITEMS = [f"{f}{i}" for f in "ACENO" for i in range(1, 6)]
#: case: (model, fit_sem keywords); the R script fits the same
CASES = {
    "MLR": (MODEL, {"estimator": "MLR"}),
    "MLM": (MODEL, {"estimator": "MLM"}),
    "WLSMV": (MODEL, {"estimator": "WLSMV", "ordered": True}),
    "MLR+x": (COVARIATES, {"estimator": "MLR"}),
    "WLSMV-2g": (MODEL, {"estimator": "WLSMV", "ordered": ITEMS, "group": "gender"}),
}
R_SCRIPT = """
suppressMessages({library(lavaan); library(psych)})
args <- commandArgs(TRUE)
d <- na.omit(bfi)[, c(1:26, 28)]
write.csv(d, args[1], row.names = FALSE)
m <- '%s'
mx <- paste(m, "A ~ age + gender", sep = "\\n")
items <- names(d)[1:25]
cases <- list(
  MLR = function() sem(m, d, estimator = "MLR"),
  MLM = function() sem(m, d, estimator = "MLM"),
  WLSMV = function() sem(m, d, ordered = items, estimator = "WLSMV"),
  "MLR+x" = function() sem(mx, d, estimator = "MLR"),
  "WLSMV-2g" = function() sem(m, d, ordered = items, estimator = "WLSMV", group = "gender")
)
for (name in names(cases)) {
  f <- cases[[name]]()
  times <- replicate(%d, {t <- system.time(cases[[name]]()); t[["user.self"]] + t[["sys.self"]]})
  cat(name, median(times), fitMeasures(f, "chisq.scaled"), "\\n")
}
"""


def best_of(fn) -> float:
    """Median CPU seconds (user + system) of REPEATS calls, as R's system.time reports them."""
    times = []
    for _ in range(REPEATS):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return float(np.median(times))


def main() -> None:
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "bfi.csv"
        script = Path(tmp) / "lavaan.R"
        script.write_text(R_SCRIPT % (MODEL, REPEATS), encoding="utf-8")
        env = os.environ | {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        out = subprocess.run(
            ["Rscript", str(script), str(csv)], capture_output=True, text=True, check=True, env=env
        ).stdout
        lavaan = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
        data = pd.read_csv(csv)
    print(
        f"bfi: 25 items, 5 factors, n = {len(data)}; CPU s, median of {REPEATS} runs after a warm-up"
    )
    print(f"{'case':10s} {'sqresearch':>11s} {'lavaan':>9s} {'ratio':>6s}  scaled chi2 (ours / lavaan)")
    for name, (model, kwargs) in CASES.items():
        res = fit_sem(model, data, **kwargs)
        ours = best_of(lambda model=model, kwargs=kwargs: fit_sem(model, data, **kwargs))
        theirs, chisq = float(lavaan[name][0]), float(lavaan[name][1])
        print(
            f"{name:10s} {ours:10.2f}s {theirs:8.2f}s {ours / theirs:6.2f}  "
            f"{res.fit['chisq_scaled']:.3f} / {chisq:.3f}"
        )


if __name__ == "__main__":
    main()
