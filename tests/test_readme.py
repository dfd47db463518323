"""Every command the README tells a user to type is run (or, where it cannot run here, checked)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess

import pytest
import yaml

from sqresearch.cli import main
from sqresearch.paths import DATA_RAW, ROOT
from sqresearch.study import load_study

README = (ROOT / "README.md").read_text(encoding="utf-8")
# A make run of its own, also when the tests themselves run under `make test`.
MAKE_ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}


def readme_commands() -> list[str]:
    """Shell commands of the README's ```bash blocks, without comments."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" # ")[0].strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


# How each command is exercised. Commands that need the network, root, conda
# or a whole build are checked differently, and the mapping must cover every
# command: a new README command without a test fails here.
NOT_RUN_HERE = {
    "git clone <this repository> sqresearch && cd sqresearch": "needs the network; CI runs on a clean clone",
    "sudo apt-get install texlive-xetex texlive-lang-chinese texlive-latex-extra latexmk fonts-noto-cjk graphviz":
        "needs root; .ci/run installs the same packages",
    "conda env create -f environment.yml": "no conda here; tests/test_environment.py checks the file",
    "conda activate sqresearch": "no conda here",
    "python -m pytest": "this is the test suite itself",
}


def test_every_readme_command_is_covered():
    for command in readme_commands():
        assert (
            command in NOT_RUN_HERE
            or command.startswith(("make ", ".venv/bin/sqresearch ", "sqresearch ", ".venv/bin/jupyter "))
            or re.match(r"sqresearch \w+ (DATA|MODEL_FILE|CONFIG)", command)
        ), f"README command without a test: {command}"


@pytest.mark.parametrize("command", [c for c in readme_commands() if c.startswith("make ")])
def test_make_targets_are_thin_sqresearch_calls(command):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    args = shlex.split(command)
    dry = subprocess.run(["make", "--no-print-directory", "-n", *args[1:]], cwd=ROOT,
                         capture_output=True, text=True, env=MAKE_ENV)
    assert dry.returncode == 0, dry.stderr
    last = dry.stdout.strip().splitlines()[-1]
    assert "sqresearch " in last or "pytest" in last or "-m bench" in last, last


def test_jupyterlab_is_installed():
    run = subprocess.run([str(ROOT / ".venv/bin/jupyter"), "lab", "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip()


def test_your_own_data_walkthrough(tmp_path, monkeypatch):
    """The "Now use your own data" block, with a 问卷星 export standing in for the student's."""
    block = README.split("Now use your own data:")[1].split("```bash\n")[1].split("```")[0]
    repo = tmp_path / "sqresearch"
    repo.mkdir()
    monkeypatch.chdir(repo)
    for line in block.splitlines():
        if line.startswith("# field the questionnaire"):
            # The student downloads the answers into data/raw.
            shutil.copy(DATA_RAW / "wjx_tea_community_text.xlsx", tmp_path / "my_study/data/raw/export.xlsx")
            continue
        if line.startswith("# set data.raw"):
            config = tmp_path / "my_study/study.yaml"
            doc = yaml.safe_load(config.read_text(encoding="utf-8"))
            doc["data"]["raw"] = "data/raw/export.xlsx"
            config.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
            continue
        if line.startswith(".venv/bin/sqresearch "):
            assert main(shlex.split(line)[1:]) == 0, line
        elif line.startswith("make thesis STUDY="):
            study = load_study(tmp_path / "my_study/study.yaml")
            assert study.raw.is_file() and study.codebook.is_file()
            dry = subprocess.run(["make", "--no-print-directory", "-n", "-C", str(ROOT), "thesis",
                                  f"STUDY={study.root / 'study.yaml'}"], capture_output=True, text=True, env=MAKE_ENV)
            assert f"sqresearch build {study.root / 'study.yaml'}" in dry.stdout
    book = yaml.safe_load((tmp_path / "my_study/data/codebook.yaml").read_text(encoding="utf-8"))
    assert "CVA1" in book["items"]
    assert (tmp_path / "my_study/questionnaire.docx").read_bytes()[:2] == b"PK"
