"""The full build of the default study, timed notebook by notebook.

Copies the study (config, raw data, codebook, notebooks, paper skeleton) to a
temporary folder and runs ``sqresearch build`` there with the study's own
resample counts (5000 PROCESS, 1000 SEM bootstrap resamples), then prints
the time of each notebook and of the PDF.

Run: ``python bench/bench_build.py`` (or ``make bench``); set
``SQRESEARCH_BOOTSTRAP`` / ``SQRESEARCH_SEM_BOOTSTRAP`` to try other counts.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from sqresearch.build import build
from sqresearch.paths import ROOT
from sqresearch.scaffold import PAPER_FILES


def copy_study(target: Path) -> Path:
    shutil.copy(ROOT / "study.yaml", target / "study.yaml")
    shutil.copytree(ROOT / "data", target / "data", ignore=shutil.ignore_patterns("processed"))
    shutil.copytree(ROOT / "notebooks", target / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (target / "paper").mkdir()
    for name in PAPER_FILES:
        shutil.copy(ROOT / "paper" / name, target / "paper" / name)
    return target / "study.yaml"


if __name__ == "__main__":
    marks: list[tuple[float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        config = copy_study(Path(tmp))
        start = time.perf_counter()
        build(config, log=lambda line: marks.append((time.perf_counter(), line)))
        end = time.perf_counter()
    marks.append((end, "end"))
    print("step                                         seconds")
    for (at, line), (after, _) in zip(marks, marks[1:], strict=False):
        print(f"{line.replace('running ', ''):44s} {after - at:7.1f}")
    print(f"{'total':44s} {end - start:7.1f}")
