"""The build of the default study: cold, warm with nothing changed, and after one edit.

Copies the study (config, raw data, codebook, notebooks, paper skeleton) to a
temporary folder and runs ``sqresearch build`` there with the study's own
resample counts (5000 PROCESS, 1000 SEM bootstrap resamples) three times:
from nothing (cold, notebooks in parallel on the cores), again with nothing
changed (every notebook up to date), and after editing the wording of one
hypothesis in ``instrument.yaml`` (the notebooks that read the hypotheses
and the chapter run again).  Prints each build's log with the time of every
line, then the three totals with the CPU time they used (this process, the notebook
workers and their kernels) and the load average of the machine before each build: on
a shared machine the wall time follows the load, the CPU time does not.

Run: ``python bench/bench_build.py`` (or ``make bench``); set
``SQRESEARCH_BOOTSTRAP`` / ``SQRESEARCH_SEM_BOOTSTRAP`` to try other counts.
"""

from __future__ import annotations

import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from sqresearch.build import build
from sqresearch.paths import ROOT


def copy_study(target: Path) -> Path:
    """The default study's sources (config, instrument, raw data, codebook, notebooks, paper skeleton)."""
    for name in ("study.yaml", "instrument.yaml", "data/codebook.yaml", "paper/main.tex"):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target / name)  # follows the paper/main.tex link
    shutil.copytree(ROOT / "data" / "raw", target / "data" / "raw")
    shutil.copytree(ROOT / "notebooks", target / "notebooks",
                    ignore=shutil.ignore_patterns("*.py", ".ipynb_checkpoints"))  # fmt: skip
    return target / "study.yaml"


def cpu_seconds() -> float:
    """User + system time of this process and of its finished children (workers, kernels)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(config: Path, title: str) -> tuple[float, float]:
    """Wall and CPU seconds of one build (its log printed with the time of each line)."""
    marks: list[tuple[float, str]] = []
    load = os.getloadavg()[0]
    cpu, start = cpu_seconds(), time.perf_counter()
    build(config, log=lambda line: marks.append((time.perf_counter() - start, line)))
    total, used = time.perf_counter() - start, cpu_seconds() - cpu
    print(f"--- {title} (load average {load:.1f} before)")
    for at, line in marks:
        print(f"{at:7.1f} s  {line}")
    print(f"{total:7.1f} s  total, {used:.1f} s CPU")
    return total, used


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        config = copy_study(Path(tmp))
        cold = timed(config, "cold")
        warm = timed(config, "warm, nothing changed")
        instrument = Path(tmp) / "instrument.yaml"
        text = instrument.read_text(encoding="utf-8")
        instrument.write_text(text.replace("有显著正向影响", "有正向影响", 1), encoding="utf-8")
        one = timed(config, "one hypothesis reworded")
    print(
        f"cold {cold[0]:.1f} s ({cold[1]:.1f} s CPU), warm {warm[0]:.1f} s ({warm[1]:.1f} s CPU), "
        f"one change {one[0]:.1f} s ({one[1]:.1f} s CPU)"
    )
