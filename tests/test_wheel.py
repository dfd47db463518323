"""The installable package: `python -m build`, then init and build from the wheel, no checkout.

The wheel is installed into a fresh virtual environment that has no editable
install of sqresearch on its path: its site-packages holds the wheel's
``sqresearch`` and a ``.pth`` line pointing at the test environment's
site-packages for the dependencies only (its ``.pth`` files, the editable
finder among them, are not processed). Every command runs from a temporary
folder named with a space and Chinese characters.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from sqresearch.paths import ROOT

SMALL = {"SQRESEARCH_BOOTSTRAP": "200", "SQRESEARCH_SEM_BOOTSTRAP": "50"}
#: What init and build need from the package, as wheel paths.
PACKAGE_DATA = (
    "sqresearch/templates/notebooks/00_questionnaire.ipynb",
    "sqresearch/templates/notebooks/09_hypotheses_robustness.ipynb",
    "sqresearch/templates/paper/main.tex",
    "sqresearch/constructs/catalogue.yaml",
    "sqresearch/constructs/frameworks.yaml",
    "sqresearch/constructs/references.bib",
    "sqresearch/datasets.py",
)


def _run(command, **kwargs):
    run = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert run.returncode == 0, f"{command}\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    return run


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--no-isolation", "--skip-dependency-check",
          "--outdir", str(out), str(ROOT)])  # fmt: skip
    return out


@pytest.mark.slow
def test_build_makes_an_sdist_and_a_wheel_with_the_package_data(dist):
    wheels, sdists = list(dist.glob("*.whl")), list(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    missing = [name for name in PACKAGE_DATA if name not in names]
    assert not missing, missing
    assert not any(name.startswith(("tests/", "notebooks/", "data/")) for name in names)


@pytest.mark.slow
def test_init_and_build_from_the_installed_wheel(dist, tmp_path):
    env = tmp_path / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env)])
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
                .stdout.strip())  # fmt: skip
    _run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site),
          str(next(dist.glob("*.whl")))])  # fmt: skip
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    work = tmp_path / "我的 论文"
    work.mkdir()
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SQRESEARCH_STUDY")}
    environ.update(SMALL, PATH=f"{python.parent}{os.pathsep}{environ.get('PATH', '')}")
    where = _run([str(python), "-c", "import sqresearch; print(sqresearch.__file__)"], cwd=work,
                 env=environ).stdout  # fmt: skip
    assert Path(where.strip()).is_relative_to(site), where
    _run([str(python), "-m", "sqresearch", "init", "研究", "--framework", "maslow_belonging",
          "--example-data"], cwd=work, env=environ)  # fmt: skip
    study = work / "研究"
    build = _run([str(python), "-m", "sqresearch", "build", "study.yaml"], cwd=study, env=environ)
    paper = study / "paper"
    if shutil.which("xelatex") and shutil.which("latexmk"):
        assert (paper / "main.pdf").stat().st_size > 50_000
    else:
        assert "TeX is not installed" in build.stderr
    assert (paper / "chapter.tex").is_file() and any((paper / "tables").glob("*.tex"))
    for path in [*study.rglob("*.tex"), *study.rglob("*.json"), *study.rglob("*.yaml"),
                 study / "Makefile", study / "README.md"]:  # fmt: skip
        assert str(ROOT) not in path.read_text(encoding="utf-8", errors="replace"), path
