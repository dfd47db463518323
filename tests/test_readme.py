"""Every command the README and the user guide tell a user to type is run (or, where it cannot run here, checked).

The README is short (what the package is, the two commands, a ten-line
example, links into the guide); the installation pages, the walkthrough and the
command-line reference live in docs/. The checks follow the commands there.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from sqresearch.cli import build_parser, main
from sqresearch.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
# The pages whose shell commands a user types, with the README.
PAGES = {
    "README.md": README,
    **{
        f"docs/{name}": (DOCS / name).read_text(encoding="utf-8")
        for name in ("en/install.md", "zh/install.md", "en/walkthrough.md", "zh/walkthrough.md", "reference/cli.md")
    },
}
# A make run of its own, also when the tests themselves run under `make test`.
MAKE_ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}


def bash_commands(text: str) -> list[str]:
    """Shell commands of a page's ```bash blocks, without comments."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" # ")[0].strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def documented_commands() -> list[str]:
    return [c for text in PAGES.values() for c in bash_commands(text)]


def walkthrough(lang: str) -> str:
    """The walkthrough's command block (under "The commands" / "命令一览")."""
    text = PAGES[f"docs/{lang}/walkthrough.md"]
    heading = {"en": "## The commands", "zh": "## 命令一览"}[lang]
    return text.split(heading)[1].split("```bash\n")[1].split("```")[0]


# How each command is exercised. Commands that need the network, root, conda
# or a whole build are checked differently, and the mapping must cover every
# command: a new documented command without a test fails here.
NOT_RUN_HERE = {
    "sudo apt-get install texlive-xetex texlive-lang-chinese texlive-latex-extra latexmk fonts-noto-cjk graphviz":
        "needs root; .ci/run installs the same packages",
    "conda env create -f environment.yml": "no conda here; tests/test_environment.py checks the file",
    "conda activate sqresearch": "no conda here",
    "python -m venv .venv": "make test's own .venv is made the same way (Makefile)",
    ".venv/bin/pip install sqresearch": "needs the package index; `pip install .` installs the same wheel",
    "pip install .": "make test installs the package the same way (pip install -e)",
    "cd my_study": "test_your_own_study_walkthrough runs in the new folder",
}


def test_every_documented_command_is_covered():
    for command in documented_commands():
        assert (
            command in NOT_RUN_HERE
            or command.startswith(("make ", "sqresearch "))
            or re.match(r"sqresearch \w+ (DATA|MODEL_FILE|CONFIG)", command)
        ), f"documented command without a test: {command}"


def test_readme_stays_short_and_points_into_the_guide():
    lines = README.splitlines()
    assert len(lines) < 90, "README.md grew: reference content belongs in docs/"
    contracts = [line for line in lines if re.match(r"#+ `sqresearch \S+", line)]
    assert not contracts, f"move command references to docs/reference/cli.md: {contracts}"
    for link in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (ROOT / link).is_file(), f"README links to a missing page: {link}"


def test_readme_example_runs(tmp_path):
    code = re.findall(r"```python\n(.*?)```", README, flags=re.S)[0]
    assert len(code.strip().splitlines()) <= 12, "the README's example is meant to be about ten lines"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert "alpha" in run.stdout and "ci_lower" in run.stdout


@pytest.mark.parametrize("command", sorted({c for c in documented_commands() if c.startswith("make ")}))
def test_make_targets_are_thin_sqresearch_calls(command):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    args = shlex.split(command)
    dry = subprocess.run(["make", "--no-print-directory", "-n", *args[1:]], cwd=ROOT,
                         capture_output=True, text=True, env=MAKE_ENV)
    assert dry.returncode == 0, dry.stderr
    last = dry.stdout.strip().splitlines()[-1]
    assert "sqresearch " in last or "pytest" in last or "-m bench" in last or "-m sphinx" in last, last


@pytest.mark.parametrize("command", sorted({c for c in documented_commands()
                                            if c.startswith("sqresearch ") and c.split()[1] in ("init", "build")}))
def test_pip_route_commands_parse(command):
    """`sqresearch init` and `build` as documented: the arguments are the parser's (running them is
    test_your_own_study_walkthrough's and tests/test_build*.py's job)."""
    args = shlex.split(command)[1:]
    parsed = build_parser(args[0]).parse_args(args)  # a bad argument exits (SystemExit)
    assert parsed.command == args[0] and callable(parsed.run)


def test_jupyterlab_is_installed():
    jupyter = shutil.which("jupyter", path=os.path.dirname(sys.executable)) or str(ROOT / ".venv/bin/jupyter")
    run = subprocess.run([jupyter, "lab", "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip()


def test_both_walkthroughs_give_the_same_commands():
    assert bash_commands("```bash\n" + walkthrough("zh") + "```") == bash_commands("```bash\n" + walkthrough("en") + "```")


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
def test_your_own_study_walkthrough(tmp_path, monkeypatch):
    """The walkthrough's commands, run literally to a PDF, on a study whose wording and age bands
    differ from the catalogue's; the 问卷星 export is simulated from the student's edited instrument."""
    from sqresearch.constructs.instrument import load_instrument
    from sqresearch.datasets import write_example_data

    monkeypatch.chdir(tmp_path)
    for key, value in SMALL.items():
        monkeypatch.setenv(key, value)
    study_dir = tmp_path / "my_study"
    ran = []
    for line in walkthrough("en").splitlines():
        if line.startswith("# edit instrument.yaml"):
            _student_edits(study_dir / "instrument.yaml")
        elif line.startswith("# field questionnaire"):
            assert (study_dir / "questionnaire.docx").read_bytes()[:2] == b"PK"
            fielded = write_example_data(tmp_path / "fielded", load_instrument(study_dir / "instrument.yaml"))
            shutil.copy(fielded["raw"], study_dir / "data/raw/export.xlsx")
        elif line.startswith("# set data.raw"):
            config = study_dir / "study.yaml"
            doc = yaml.safe_load(config.read_text(encoding="utf-8"))
            doc["data"]["raw"] = "data/raw/export.xlsx"
            config.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        elif line.startswith("cd "):
            monkeypatch.chdir(line.split()[1])
        elif line.startswith("sqresearch "):
            assert main(shlex.split(line)[1:]) == 0, line
        else:
            continue
        ran.append(line.split()[0] if not line.startswith("sqresearch") else " ".join(line.split()[:2]))
    assert ran == ["sqresearch init", "cd", "#", "sqresearch questionnaire", "#", "sqresearch codebook",
                   "#", "sqresearch check", "sqresearch build"]  # fmt: skip
    paper = study_dir / "paper"
    book = yaml.safe_load((study_dir / "data/codebook.yaml").read_text(encoding="utf-8"))
    assert {"CVA1", "ENG2"} <= set(book["items"]) and "WOM4" not in book["items"]
    if shutil.which("xelatex") and shutil.which("latexmk"):
        assert (paper / "main.pdf").stat().st_size > 50_000
    # the student's labels and wording, not the catalogue's
    demographics = (paper / "tables/02_demographics.tex").read_text(encoding="utf-8")
    assert all(level[1].replace("-", "$-$") in demographics for level in OWN_AGES)  # LaTeX minus
    assert "51岁及以上" not in demographics and "31–40岁" not in demographics
    appendix = (paper / "text/00_questionnaire.tex").read_text(encoding="utf-8")
    assert all(text in appendix for text in REWORDED.values())
    chapter = (paper / "chapter.tex").read_text(encoding="utf-8")
    assert "调节" not in chapter  # community_layers has no moderation hypothesis
