"""The build of the default study: cold, warm with nothing changed, and after one edit.

Copies the study (config, raw data, codebook, notebooks, paper skeleton) to a
temporary folder and runs ``sqresearch build`` there with the study's own
resample counts (5000 PROCESS, 1000 SEM bootstrap resamples) three times:
from nothing (cold, notebooks in parallel on the cores), again with nothing
changed (every notebook up to date), and after editing the wording of one
hypothesis in ``instrument.yaml`` (the notebooks that read the hypotheses
and the chapter run again).  Prints each build's log with the time of every
line, then the three totals.

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


def copy_study(target: Path) -> Path:
    """The default study's sources (config, instrument, raw data, codebook, notebooks, paper skeleton)."""
    for name in ("study.yaml", "instrument.yaml", "data/codebook.yaml", "paper/main.tex"):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target / name)  # follows the paper/main.tex link
    shutil.copytree(ROOT / "data" / "raw", target / "data" / "raw")
    shutil.copytree(ROOT / "notebooks", target / "notebooks",
                    ignore=shutil.ignore_patterns("*.py", ".ipynb_checkpoints"))  # fmt: skip
    return target / "study.yaml"


def timed(config: Path, title: str) -> float:
    marks: list[tuple[float, str]] = []
    start = time.perf_counter()
    build(config, log=lambda line: marks.append((time.perf_counter() - start, line)))
    total = time.perf_counter() - start
    print(f"--- {title}")
    for at, line in marks:
        print(f"{at:7.1f} s  {line}")
    print(f"{total:7.1f} s  total")
    return total


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        config = copy_study(Path(tmp))
        cold = timed(config, "cold")
        warm = timed(config, "warm, nothing changed")
        instrument = Path(tmp) / "instrument.yaml"
        text = instrument.read_text(encoding="utf-8")
        instrument.write_text(text.replace("有显著正向影响", "有正向影响", 1), encoding="utf-8")
        one = timed(config, "one hypothesis reworded")
    print(f"cold {cold:.1f} s, warm {warm:.1f} s, one change {one:.1f} s")
