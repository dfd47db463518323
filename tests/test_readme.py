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
from sqresearch.paths import ROOT

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


SMALL = {"SQRESEARCH_BOOTSTRAP": "200", "SQRESEARCH_SEM_BOOTSTRAP": "50"}
#: The student's own wording of some items and their own age bands.
REWORDED = {"CVA1": "在这个茶友群里，我能学到不少关于茶的知识。", "ENG2": "我经常在群里发言、参加群里的活动。"}
OWN_AGES = [[1, "25岁及以下", "25 or younger"], [2, "26-35岁", "26-35"], [3, "36岁及以上", "36 or older"]]


def _student_edits(instrument):
    """What the student does to the template: reword items, set their own age bands, drop an item."""
    doc = yaml.safe_load(instrument.read_text(encoding="utf-8"))
    for construct in doc["constructs"]:
        for item in construct.get("items", []):
            if item["code"] in REWORDED:
                item["text_zh"] = REWORDED[item["code"]]
        if construct["code"] == "WOM":
            construct["items"] = construct["items"][:-1]
    for demographic in doc["demographics"]:
        if demographic["code"] == "AGE":
            demographic["levels"] = OWN_AGES
    instrument.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.slow
def test_your_own_data_walkthrough(tmp_path, monkeypatch):
    """The "Now use your own data" block, run literally, on a study whose wording differs from the
    catalogue's; the 问卷星 export is simulated from the student's edited instrument."""
    from sqresearch.constructs.instrument import load_instrument
    from sqresearch.datasets import write_example_data

    block = README.split("Now use your own data")[1].split("```bash\n")[1].split("```")[0]
    monkeypatch.chdir(tmp_path)
    for key, value in SMALL.items():
        monkeypatch.setenv(key, value)
    study_dir = tmp_path / "my_study"
    for line in block.splitlines():
        if line.startswith("# edit my_study/instrument.yaml"):
            _student_edits(study_dir / "instrument.yaml")
        elif line.startswith("# field the questionnaire"):
            fielded = write_example_data(tmp_path / "fielded", load_instrument(study_dir / "instrument.yaml"))
            shutil.copy(fielded["raw"], study_dir / "data/raw/export.xlsx")
        elif line.startswith("# set data.raw"):
            config = study_dir / "study.yaml"
            doc = yaml.safe_load(config.read_text(encoding="utf-8"))
            doc["data"]["raw"] = "data/raw/export.xlsx"
            config.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        elif line.startswith("sqresearch "):
            assert main(shlex.split(line)[1:]) == 0, line
        else:
            assert not line.strip() or line.startswith("#"), line
    paper = study_dir / "paper"
    book = yaml.safe_load((study_dir / "data/codebook.yaml").read_text(encoding="utf-8"))
    assert {"CVA1", "ENG2"} <= set(book["items"]) and "WOM4" not in book["items"]
    if shutil.which("xelatex") and shutil.which("latexmk"):
        assert (paper / "main.pdf").stat().st_size > 50_000
    # the student's labels, not the catalogue's
    demographics = (paper / "tables/02_demographics.tex").read_text(encoding="utf-8")
    assert all(level[1].replace("-", "$-$") in demographics for level in OWN_AGES)  # LaTeX minus
    assert "51岁及以上" not in demographics and "31–40岁" not in demographics
    appendix = (paper / "text/00_questionnaire.tex").read_text(encoding="utf-8")
    assert all(text in appendix for text in REWORDED.values())
    chapter = (paper / "chapter.tex").read_text(encoding="utf-8")
    assert "moderation" not in chapter and "调节" not in chapter  # community_layers has none
