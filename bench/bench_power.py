"""Monte Carlo power benchmarks (issue 8).

1. Replications per second of the default study's SEM (6 constructs, 25
   indicators, 5-point Likert data) at n = 300, on 1 and 2 cores, and the
   scaling between them.
2. The mediation power run: PROCESS model 4, 1000 replications x 5 sample
   sizes x 2000 bootstrap resamples, on all cores (target: under 2 minutes on
   a 2-core machine).

Run: ``python bench/bench_power.py`` (or ``make bench``). Results are
printed; copy them to docs/benchmarks.md.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from sqresearch.constructs import get_framework  # noqa: E402
from sqresearch.datasets import population_model  # noqa: E402
from sqresearch.model.power import MediationAnalysis, SEMAnalysis, power_analysis  # noqa: E402

SEM_REPS = int(os.environ.get("BENCH_SEM_REPS", "40"))
MEDIATION = """
M ~ 0.3*X
Y ~ 0.3*M + 0.1*X
"""


def sem_rate(n_jobs: int) -> float:
    analysis = SEMAnalysis(get_framework().model_syntax(), params=("a1", "a2", "a3", "b1", "b2"))
    # Warm-up: start the worker processes (and their imports) before timing.
    power_analysis(population_model(), analysis, [300], n_rep=2 * n_jobs, seed=0, likert=5,
                   n_jobs=n_jobs, chunk_size=1, truth={}, progress=False)
    start = time.perf_counter()
    power_analysis(
        population_model(), analysis, [300], n_rep=SEM_REPS, seed=1, likert=5, n_jobs=n_jobs,
        chunk_size=max(1, SEM_REPS // (4 * n_jobs)), truth={}, progress=False,
    )
    return SEM_REPS / (time.perf_counter() - start)


def mediation_seconds() -> float:
    analysis = MediationAnalysis("X", ("M",), "Y", n_boot=2000)
    power_analysis(MEDIATION, analysis, [50], n_rep=4, seed=0, n_jobs=-1, chunk_size=1, truth={}, progress=False)
    start = time.perf_counter()
    result = power_analysis(
        MEDIATION, analysis, [50, 100, 150, 200, 300],
        n_rep=1000, seed=2, n_jobs=-1, chunk_size=100, progress=False,
    )
    seconds = time.perf_counter() - start
    print(result.summary[result.summary["param"] == "indirect M"][["n", "power", "coverage"]].to_string(index=False))
    return seconds


if __name__ == "__main__":
    cores = os.cpu_count()
    one = sem_rate(1)
    two = sem_rate(2)
    print(f"SEM power, default study model, n = 300, {SEM_REPS} replications ({cores} cores available)")
    print(f"  1 core : {one:6.2f} replications/s")
    print(f"  2 cores: {two:6.2f} replications/s  (speed-up {two / one:.2f}x)")
    seconds = mediation_seconds()
    verdict = "meets" if seconds < 120 else "MISSES"
    print(f"Mediation power, 1000 reps x 5 n x 2000 resamples: {seconds:.1f} s ({verdict} the 120 s target)")
