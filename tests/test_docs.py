"""The user guide (docs/) builds with its examples executed, warning-free, links intact.

``make docs`` runs the same ``sphinx-build -W`` command; the build runs every
``{sq-run}`` example of every page, so a page whose example no
longer runs, or whose link points nowhere, fails here.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys

import pytest

from sqresearch.cli import COMMANDS
from sqresearch.paths import ROOT
from sqresearch.thresholds import THRESHOLDS

DOCS = ROOT / "docs"
pytest.importorskip("myst_parser", reason="the docs build needs the dev extra (sphinx, myst-parser)")
sys.path.insert(0, str(DOCS / "_ext"))
import sqdocs  # noqa: E402  (the guide's Sphinx extension)


def sphinx(source, out, *options: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-q", *options, str(source), str(out)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )


def test_cut_offs_print_as_a_thesis_prints_them():
    assert [sqdocs.format_value(v) for v in (0.7, 0.05, -0.015, 0.001, 3.0, 1 / 3)] == [
        ".70", ".05", "-.015", ".001", "3", "1/3"]


def test_make_docs_is_the_sphinx_build():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    dry = subprocess.run(["make", "--no-print-directory", "-n", "docs"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert "-m sphinx -W --keep-going -b html docs docs/_build/html" in dry.stdout


@pytest.mark.slow
def test_docs_build_executes_every_example_without_a_warning(tmp_path):
    run = sphinx(DOCS, tmp_path / "html")
    assert run.returncode == 0, run.stderr[-4000:]
    # The generated content is there: cut-off tables, CLI help, executed outputs.
    page = (tmp_path / "html/analyses/reliability.html").read_text(encoding="utf-8")
    assert "sq-generated" in page and "sq-output" in page
    for key in ("alpha", "omega", "citc"):  # the cut-off table is sqresearch.thresholds' rows
        row = THRESHOLDS.loc[key]
        assert f"{sqdocs.RULES[row['op']]} {sqdocs.format_value(row['value'])}" in page and html.escape(row["source"]) in page
    cli = (tmp_path / "html/reference/cli.html").read_text(encoding="utf-8")
    assert "usage: sqresearch reliability" in cli


def test_a_broken_internal_link_fails_the_build(tmp_path):
    """The guide's own configuration, on a two-page site: a link to a missing page or heading fails."""
    source = tmp_path / "docs"
    source.mkdir()
    shutil.copy(DOCS / "conf.py", source / "conf.py")
    shutil.copytree(DOCS / "_ext", source / "_ext")
    shutil.copytree(DOCS / "_static", source / "_static")
    (source / "index.md").write_text("# Index\n\n```{toctree}\npage\n```\n", encoding="utf-8")
    page = source / "page.md"
    page.write_text("# Page\n\n## A heading\n\nSee [it](#a-heading) and [the index](index.md).\n", encoding="utf-8")
    assert sphinx(source, tmp_path / "ok").returncode == 0
    for broken in ("[nothing](no-such-page.md)", "[nowhere](index.md#no-such-heading)"):
        page.write_text(f"# Page\n\nSee {broken}.\n", encoding="utf-8")
        run = sphinx(source, tmp_path / "html", "-E")
        assert run.returncode != 0 and "xref_missing" in run.stderr, run.stderr


def test_every_command_has_its_reference_section():
    page = (DOCS / "reference/cli.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^```\{sq-cli\} ([\w-]+)", page, flags=re.M))
    assert set(COMMANDS) <= documented, f"docs/reference/cli.md lacks {sorted(set(COMMANDS) - documented)}"


def test_every_analysis_page_is_in_both_languages_and_runs_an_example():
    pages = sorted(p for p in (DOCS / "analyses").glob("*.md") if p.name != "index.md")
    assert len(pages) >= 16
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for heading in ("When a thesis reports it · 论文何时报告", "What examiners ask · 答辩常见问题",
                        "R / SPSS equivalent · R 与 SPSS 对照", "Example · 示例"):
            assert f"## {heading}" in text, f"{page.name}: no section '{heading}'"
        assert "```{sq-run}" in text, f"{page.name}: no executed example"
