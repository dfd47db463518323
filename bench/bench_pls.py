"""PLS-SEM: one fit and 1000 bootstrap resamples, sqresearch vs R seminr, same data and load.

Data: ``tests/data/pls_sim.csv`` (5 constructs, one formative, 18 indicators,
n = 420). Timings are the best of several runs on one BLAS thread per
worker. When R and seminr are installed (``R_LIBS`` pointing at a library
with seminr, e.g. one built from github.com/sem-in-r/seminr), seminr is timed
in the same run, so both sides see the same machine load; otherwise its row
is skipped. Run: ``python bench/bench_pls.py`` (or ``python -m bench pls``).
Figures go by hand into docs/benchmarks.md (section "PLS-SEM").
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pandas as pd
from threadpoolctl import threadpool_limits

from sqresearch.model.pls import bootstrap_pls, fit_pls

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "pls_sim.csv"
MODEL = (DATA.parent / "pls_sim.lav").read_text(encoding="utf-8")
SEMINR = """
suppressMessages(library(seminr))
sim <- read.csv("{data}")
mm <- constructs(
  composite("EXO1", multi_items("a", 1:4)), composite("EXO2", multi_items("b", 1:3), weights = mode_B),
  composite("MED", multi_items("m", 1:4)), composite("OUT1", multi_items("y", 1:4)),
  composite("OUT2", multi_items("z", 1:3)))
sm <- relationships(paths(from = c("EXO1", "EXO2"), to = "MED"), paths(from = c("MED", "EXO1"), to = "OUT1"),
  paths(from = c("OUT1", "MED", "EXO2"), to = "OUT2"))
fit <- function() suppressMessages(estimate_pls(sim, mm, sm))
m <- fit()
best <- Inf
for (i in 1:10) best <- min(best, system.time(fit())[["elapsed"]])
boot <- system.time(suppressMessages(bootstrap_model(m, nboot = 1000, cores = 1, seed = 1)))[["elapsed"]]
cat(best, boot, "\\n")
"""


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def seminr_times() -> tuple[float, float] | None:
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench.R"
        script.write_text(SEMINR.format(data=DATA.as_posix()), encoding="utf-8")
        run = subprocess.run(
            ["Rscript", str(script)], capture_output=True, text=True, env=os.environ
        )
    if run.returncode != 0:
        return None
    fit, boot = (float(v) for v in run.stdout.split())
    return fit, boot


def main() -> None:
    data = pd.read_csv(DATA)
    with threadpool_limits(limits=1):
        result = fit_pls(MODEL, data)
        fit = best_of(lambda: fit_pls(MODEL, data), 20)
        tables = best_of(lambda: fit_pls(MODEL, data).to_dict(), 10)
        boot1 = best_of(lambda: bootstrap_pls(result, 1000, seed=1, n_jobs=1), 3)
        boot2 = best_of(lambda: bootstrap_pls(result, 1000, seed=1, n_jobs=2), 3)
        boot5000 = best_of(lambda: bootstrap_pls(result, 5000, seed=1, n_jobs=2), 1)
    print(f"load average {os.getloadavg()[0]:.1f}; n = {result.n}, {result.iterations} iterations")
    print(f"{'task':44s} {'seconds':>9s}")
    print(f"{'fit_pls (estimates, f², reliability numbers)':44s} {fit:9.4f}")
    print(f"{'fit_pls + every table (to_dict)':44s} {tables:9.4f}")
    print(f"{'bootstrap 1000 (+ BCa jackknife), 1 thread':44s} {boot1:9.3f}")
    print(f"{'bootstrap 1000 (+ BCa jackknife), 2 threads':44s} {boot2:9.3f}")
    print(f"{'bootstrap 5000 (+ BCa jackknife), 2 threads':44s} {boot5000:9.3f}")
    ref = seminr_times()
    if ref is None:
        print("seminr: not available (set R_LIBS to a library with seminr)")
    else:
        print(f"{'seminr estimate_pls':44s} {ref[0]:9.4f}")
        print(f"{'seminr bootstrap_model(nboot = 1000, cores = 1)':44s} {ref[1]:9.3f}")


if __name__ == "__main__":
    main()
