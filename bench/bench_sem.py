"""The SEM engine against R lavaan in the same run (issue 18 item 6).

Single ML fits of three models — HolzingerSwineford1939's 3-factor CFA, the
5-factor Big Five CFA on psych::bfi (25 items, listwise n = 2,436) and the
default study's SEM (6 factors, 25 indicators, the cleaned example data) —
the four-step invariance sequence (HS1939 by school; the default study's
measurement model by gender), and 1000 bootstrap resamples of the default
study's SEM on 2 cores (wall time, and CPU time summed over the process and
its workers: the machine is shared, so CPU time is the steadier figure).
Each is timed here and by lavaan 0.6 in an Rscript
started by this script (the R side times its own calls, so R's start-up is
not counted), in alternating rounds; the figures are medians. The estimates
of both sides are compared row by row (lhs, op, rhs, group).

Run: ``OPENBLAS_NUM_THREADS=1 python bench/bench_sem.py`` (needs ``Rscript``
with lavaan; ``BENCH_ROUNDS`` rounds, default 3); copy the output to
docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from sqresearch.sem.fit import bootstrap_sem, fit_sem
from sqresearch.sem.invariance import measurement_invariance

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
REPEATS = 5
N_BOOT = 1000
HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
BFI_MODEL = "\n".join(f"{f} =~ " + " + ".join(f"{f}{i}" for i in range(1, 6)) for f in "ACENO")

R_SCRIPT = r"""
suppressMessages(library(lavaan)); suppressMessages(library(jsonlite))
args <- commandArgs(TRUE); dir <- args[1]; repeats <- as.integer(args[2]); n_boot <- as.integer(args[3])
cases <- fromJSON(file.path(dir, "cases.json"))
timed <- function(f) {
  f()  # warm-up
  t <- sapply(seq_len(repeats), function(i) { s <- system.time(f()); c(s[["elapsed"]], s[["user.self"]] + s[["sys.self"]]) })
  list(wall = median(t[1, ]), cpu = median(t[2, ]))
}
data_of <- function(name) {
  if (name == "HS1939") return(HolzingerSwineford1939)
  read.csv(file.path(dir, paste0(name, ".csv")), check.names = FALSE)
}
out <- list()
for (case in names(cases$fit)) {
  spec <- cases$fit[[case]]; d <- data_of(spec$data)
  fit <- sem(spec$model, d)
  pe <- parameterEstimates(fit)
  # the optimum itself: BFGS run to a tight tolerance (nlminb stops early on bfi)
  tight <- parameterEstimates(sem(spec$model, d, optim.method = "BFGS",
                                  control = list(reltol = 1e-15, maxit = 1e5)))
  out$fit[[case]] <- c(timed(function() sem(spec$model, d)),
                       list(est = data.frame(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, est = pe$est),
                            tight = data.frame(lhs = tight$lhs, op = tight$op, rhs = tight$rhs,
                                               est = tight$est)))
}
for (case in names(cases$invariance)) {
  spec <- cases$invariance[[case]]; d <- data_of(spec$data)
  steps <- list("", "loadings", c("loadings", "intercepts"), c("loadings", "intercepts", "residuals"))
  run <- function() lapply(steps, function(eq) cfa(spec$model, d, group = spec$group, group.equal = eq))
  chisq <- sapply(run(), function(f) fitMeasures(f, "chisq"))
  out$invariance[[case]] <- c(timed(run), list(chisq = unname(chisq)))
}
spec <- cases$boot; d <- data_of(spec$data); fit <- sem(spec$model, d)
s <- system.time(b <- bootstrapLavaan(fit, R = n_boot, FUN = "coef", parallel = "multicore", ncpus = 2, iseed = 1))
# CPU: this process and the forked workers (mclapply reaps them, so they count as children)
out$boot <- list(wall = s[["elapsed"]], cpu = sum(s[c("user.self", "sys.self", "user.child", "sys.child")], na.rm = TRUE),
                 failed = sum(!complete.cases(b)))
cat(toJSON(out, digits = NA, auto_unbox = TRUE))
"""


def default_study() -> tuple[str, str, pd.DataFrame]:
    """The default study's SEM and CFA syntax and its cleaned, reverse-keyed data."""
    from sqresearch.clean.codebook import Codebook
    from sqresearch.clean.pipeline import clean_survey
    from sqresearch.constructs import get_framework
    from sqresearch.measure.items import reverse_code
    from sqresearch.study import load_study

    study = load_study(ROOT / "study.yaml")
    cleaned = clean_survey(study.raw, study.codebook)
    with tempfile.TemporaryDirectory() as tmp:
        cleaned.write(Path(tmp))
        book = Codebook.load(Path(tmp) / "codebook.yaml")
    data = cleaned.data
    for code in book.reverse_items():
        data = reverse_code(data, [code], scale_points=book.scales[book.items[code].scale].points)
    framework = get_framework()
    return framework.model_syntax(), framework.measurement_syntax(), data


def timed(fn) -> dict:
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(REPEATS):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return {"wall": float(np.median(wall)), "cpu": float(np.median(cpu))}


def _cpu_with_descendants() -> float:
    """CPU seconds of this process and of its live descendants (joblib's workers), Linux."""
    ticks = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parent[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / ticks
    mine, frontier = set(), {os.getpid()}
    while frontier:
        mine |= frontier
        frontier = {pid for pid, ppid in parent.items() if ppid in frontier} - mine
    children = sum(cpu.get(pid, 0.0) for pid in mine - {os.getpid()})
    return time.process_time() + children


def max_difference(ours: pd.DataFrame, theirs: dict) -> float:
    """Largest |est − lavaan est| over the rows both list (defined parameters too)."""
    r = pd.DataFrame(theirs).set_index(["lhs", "op", "rhs"])["est"]
    o = ours.set_index(["lhs", "op", "rhs"])["est"]
    common = o.index.intersection(r.index)
    return float(np.abs(o[common] - r[common]).max())


def objective_gap(result, theirs: dict) -> float:
    """F_ML at lavaan's estimates minus F_ML at ours (≥ 0: ours is the better optimum)."""
    problem = result._problem
    table = problem.table
    r = pd.DataFrame(theirs).set_index(["lhs", "op", "rhs"])["est"]
    keys = list(zip(table["lhs"], table["op"], table["rhs"], strict=True))
    values = r.reindex(keys).to_numpy()
    return float(problem.objective(problem.theta(values)) - problem.objective(result._theta))


def main() -> None:
    if shutil.which("Rscript") is None:
        print("bench_sem compares with R lavaan: Rscript (with lavaan and jsonlite) is not on PATH")
        return
    warnings.simplefilter("ignore")
    from semopy.examples import holzinger39

    sem_model, cfa_model, study = default_study()
    hs = holzinger39.get_data()
    bfi = pd.read_csv(ROOT / "tests" / "data" / "bfi.csv.gz")
    frames = {"HS1939": hs, "bfi": bfi, "study": study}
    fits = {
        "HS1939 3-factor CFA": (HS_MODEL, "HS1939"),
        "bfi 5-factor CFA": (BFI_MODEL, "bfi"),
        "default study SEM": (sem_model, "study"),
    }
    invariance = {
        "HS1939 by school": (HS_MODEL, "HS1939", "school"),
        "default study by GENDER": (cfa_model, "study", "GENDER"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("bfi", "study"):
            frames[name].to_csv(folder / f"{name}.csv", index=False)
        cases = {
            "fit": {k: {"model": m, "data": d} for k, (m, d) in fits.items()},
            "invariance": {
                k: {"model": m, "data": d, "group": g} for k, (m, d, g) in invariance.items()
            },
            "boot": {"model": sem_model, "data": "study"},
        }
        (folder / "cases.json").write_text(json.dumps(cases), encoding="utf-8")
        (folder / "bench.R").write_text(R_SCRIPT, encoding="utf-8")
        r_rounds, py_rounds = [], []
        for _ in range(ROUNDS):
            run = subprocess.run(
                ["Rscript", str(folder / "bench.R"), str(folder), str(REPEATS), str(N_BOOT)],
                capture_output=True,
                text=True,
                check=False,
            )
            if run.returncode:
                raise SystemExit(f"Rscript failed:\n{run.stderr}")
            r_rounds.append(json.loads(run.stdout))
            ours = {"fit": {}, "invariance": {}}
            for name, (model, data) in fits.items():
                ours["fit"][name] = timed(lambda m=model, d=data: fit_sem(m, frames[d]))
            for name, (model, data, group) in invariance.items():
                ours["invariance"][name] = timed(
                    lambda m=model, d=data, g=group: measurement_invariance(m, frames[d], g)
                )
            bootstrap_sem(
                sem_model, study, n_boot=20, seed=0, n_jobs=2, progress=False
            )  # workers up
            w, c = time.perf_counter(), _cpu_with_descendants()
            boot = bootstrap_sem(sem_model, study, n_boot=N_BOOT, seed=1, n_jobs=2, progress=False)
            ours["boot"] = {
                "wall": time.perf_counter() - w,
                "cpu": _cpu_with_descendants() - c,
                "failed": boot.n_failed,
            }
            py_rounds.append(ours)

    def median(rounds, *keys):
        values = []
        for r in rounds:
            for k in keys:
                r = r[k]
            values.append(r)
        return float(np.median(values))

    print(f"median of {REPEATS} calls per round, {ROUNDS} rounds (medians over rounds); ms")
    print(
        f"{'':28s} {'ours wall':>10s} {'lavaan':>10s} {'ratio':>6s} {'ours cpu':>10s} {'lavaan':>10s} {'ratio':>6s}"
    )
    for section, names in (("fit", fits), ("invariance", invariance)):
        for name in names:
            row = [
                1000 * median(rounds, section, name, key)
                for rounds, key in (
                    (py_rounds, "wall"),
                    (r_rounds, "wall"),
                    (py_rounds, "cpu"),
                    (r_rounds, "cpu"),
                )
            ]
            print(
                f"{name:28s} {row[0]:10.1f} {row[1]:10.1f} {row[0] / row[1]:6.2f} "
                f"{row[2]:10.1f} {row[3]:10.1f} {row[2] / row[3]:6.2f}"
            )
    for name, (model, data) in fits.items():
        res = fit_sem(model, frames[data])
        theirs = r_rounds[-1]["fit"][name]["est"]
        tight = r_rounds[-1]["fit"][name]["tight"]
        print(
            f"{name}: largest |estimate − lavaan| = {max_difference(res.estimates, theirs):.1e} "
            f"(− lavaan BFGS, reltol 1e-15: {max_difference(res.estimates, tight):.1e}); "
            f"F_ML at lavaan's estimates − at ours = {objective_gap(res, theirs):.1e}"
        )
    for name, (model, data, group) in invariance.items():
        ours = measurement_invariance(model, frames[data], group).steps["chisq"].to_numpy()
        theirs = np.array(r_rounds[-1]["invariance"][name]["chisq"])
        print(
            f"{name}: largest |χ² − lavaan| over the four steps = {np.abs(ours - theirs).max():.1e}"
        )
    py_boot, r_boot = median(py_rounds, "boot", "wall"), median(r_rounds, "boot", "wall")
    py_cpu, r_cpu = median(py_rounds, "boot", "cpu"), median(r_rounds, "boot", "cpu")
    print(
        f"bootstrap, default study SEM, {N_BOOT} resamples on 2 cores: wall {py_boot:.2f} s "
        f"(lavaan bootstrapLavaan, multicore: {r_boot:.2f} s; ratio {py_boot / r_boot:.2f}), "
        f"CPU over all workers {py_cpu:.2f} s (lavaan {r_cpu:.2f} s; ratio {py_cpu / r_cpu:.2f}); "
        f"failed: ours {py_rounds[-1]['boot']['failed']}, lavaan {r_rounds[-1]['boot']['failed']}"
    )


if __name__ == "__main__":
    main()
