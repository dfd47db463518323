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
from sqresearch.paths import DATA_RAW, ROOT
from sqresearch.study import load_study

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
    build_parser(args[0]).parse_args(args)


def test_jupyterlab_is_installed():
    jupyter = shutil.which("jupyter", path=os.path.dirname(sys.executable)) or str(ROOT / ".venv/bin/jupyter")
    run = subprocess.run([jupyter, "lab", "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip()


def test_both_walkthroughs_give_the_same_commands():
    assert bash_commands("```bash\n" + walkthrough("zh") + "```") == bash_commands("```bash\n" + walkthrough("en") + "```")


def test_your_own_study_walkthrough(tmp_path, monkeypatch):
    """The walkthrough's commands, with a 问卷星 export standing in for the student's."""
    monkeypatch.chdir(tmp_path)
    ran = []
    for line in walkthrough("en").splitlines():
        if line.startswith("# field questionnaire"):
            # The student fields the questionnaire and downloads the answers into data/raw.
            assert (tmp_path / "my_study/questionnaire.docx").read_bytes()[:2] == b"PK"
            shutil.copy(DATA_RAW / "wjx_tea_community_text.xlsx", tmp_path / "my_study/data/raw/export.xlsx")
        elif line.startswith("# set data.raw"):
            config = tmp_path / "my_study/study.yaml"
            doc = yaml.safe_load(config.read_text(encoding="utf-8"))
            doc["data"]["raw"] = "data/raw/export.xlsx"
            config.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        elif line.startswith("cd "):
            monkeypatch.chdir(line.split()[1])
        elif line.startswith("sqresearch build "):
            # A whole build takes minutes (tests/test_build*.py run it); here: the study it would build.
            args = shlex.split(line)[1:]
            study = load_study(build_parser("build").parse_args(args).config)
            assert study.raw.is_file() and study.codebook.is_file()
        elif line.startswith("sqresearch "):
            assert main(shlex.split(line)[1:]) == 0, line
        else:
            continue
        ran.append(line.split()[0] if not line.startswith("sqresearch") else " ".join(line.split()[:2]))
    assert ran == ["sqresearch init", "cd", "#", "sqresearch codebook", "#", "sqresearch check", "sqresearch build"]
    book = yaml.safe_load((tmp_path / "my_study/data/codebook.yaml").read_text(encoding="utf-8"))
    assert "CVA1" in book["items"]
