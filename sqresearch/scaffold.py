"""``sqresearch init DIR --framework NAME``: scaffold a student's own study.

The new folder holds everything the default study has, pointed at the
student's own data: ``study.yaml``; the questionnaire to field (Markdown and
Word); a codebook template whose columns are the headers 问卷星 will write for
that questionnaire; the numbered notebooks and the paper skeleton (copied from
this repository, so they stay the reviewed versions); and a ``Makefile`` with
the same targets as the repository's, which delegates to it with
``STUDY=<this folder>/study.yaml``.

With ``example_data=True`` (default framework only) the shipped simulated
export is copied in as ``data/raw`` so that the new study builds at once;
replace it with the real export and run ``sqresearch codebook infer`` again.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from sqresearch.constructs import DEFAULT_FRAMEWORK, get_framework
from sqresearch.errors import InputError
from sqresearch.paths import DATA_RAW, NOTEBOOKS, PAPER, ROOT

PAPER_FILES = ("main.tex", "chapter_zh.tex", "chapter_en.tex")
EXAMPLE_EXPORT = "wjx_tea_community_text.xlsx"
TEMPLATE_EXPORT = "wjx_header_template.csv"

STUDY_YAML = """\
# Study config: every notebook and `sqresearch build` read it.
name: {name}
framework: {framework}          # a framework of sqresearch.constructs
language: {lang}                # zh | en: tables, text, figures and paper
data:
  raw: data/raw/{raw}    # your 问卷星 export (按选项文本), never modified
  codebook: data/codebook.yaml  # maps its columns to item codes: check it
  processed: data/processed
paper: paper
seed: {seed}
bootstrap: 5000        # PROCESS bootstrap resamples
sem_bootstrap: 1000    # SEM indirect-effect bootstrap resamples
"""

MAKEFILE = """\
# The same targets as the sqresearch repository, run on this study.
SQRESEARCH_REPO ?= {repo}
STUDY := $(abspath study.yaml)

.PHONY: thesis test-study
thesis: ## build this study: notebooks, tables, figures, paper/main.pdf
\t$(MAKE) -C $(SQRESEARCH_REPO) thesis STUDY=$(STUDY)
"""

README = """\
# {name}

A study scaffolded by `sqresearch init` (framework `{framework}`).

1. Field `questionnaire.docx` (or `questionnaire.md`) on 问卷星 and download
   the answers "按选项文本" as xlsx into `data/raw/`.
2. Set `data.raw` in `study.yaml` to that file, then draft the codebook from
   its headers and check it by eye:
   `sqresearch codebook infer data/raw/<export>.xlsx --framework {framework} --out data/codebook.yaml`
3. Build everything: `make thesis` here, or `sqresearch build study.yaml`.
"""


def _codebook_template(framework: str) -> str:
    """A codebook (YAML text) for the headers 问卷星 writes for this framework's questionnaire."""
    from sqresearch.clean.infer import infer_codebook
    from sqresearch.datasets import PLATFORM_COLUMNS, questionnaire_columns
    from sqresearch.io import read_survey

    headers = PLATFORM_COLUMNS + [q.header for q in questionnaire_columns(get_framework(framework))]
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / TEMPLATE_EXPORT
        # One blank answer row: a header-only export is (rightly) refused by the reader.
        blank = pd.DataFrame([[1] + [""] * (len(headers) - 1)], columns=headers)
        blank.to_csv(template, index=False, encoding="utf-8-sig")
        book = infer_codebook(read_survey(template), framework).codebook()
    return book.dumps(header=f"Codebook template for framework {framework}: check every mapping.")


def scaffold(
    folder: str | Path,
    framework: str = DEFAULT_FRAMEWORK,
    *,
    lang: str = "zh",
    example_data: bool = False,
    seed: int = 1,
) -> list[Path]:
    """Write a new study folder; return the files written.

    Parameters
    ----------
    folder : str or Path
        The new study's folder; it must not exist or be empty.
    framework : str
        A framework of :mod:`sqresearch.constructs`.
    lang : {"zh", "en"}
        The study language.
    example_data : bool
        Copy the shipped simulated export (default framework only).
    seed : int
        The study's seed.

    Returns
    -------
    list of Path
    """
    from sqresearch.report.questionnaire import render_questionnaire

    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise InputError("the folder is not empty", file=folder, hint="choose a new folder")
    get_framework(framework)  # an unknown name fails here, before anything is written
    if lang not in ("zh", "en"):
        raise InputError("language must be zh or en", column="--lang", value=lang)
    if example_data and framework != DEFAULT_FRAMEWORK:
        raise InputError(
            f"example data exists only for the framework {DEFAULT_FRAMEWORK}",
            column="--framework", value=framework,
        )
    # Everything that can fail runs before the first file is written.
    codebook = None if example_data else _codebook_template(framework)
    questionnaire = {fmt: render_questionnaire(framework, fmt, lang) for fmt in ("md", "docx")}
    (folder / "data" / "raw").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "processed").mkdir(parents=True, exist_ok=True)
    written = []

    def write(relative: str, content: str | bytes) -> None:
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        written.append(path)

    raw = EXAMPLE_EXPORT if example_data else "your_export.xlsx"
    write("study.yaml", STUDY_YAML.format(name=folder.name, framework=framework, lang=lang, raw=raw, seed=seed))
    write("README.md", README.format(name=folder.name, framework=framework))
    write("Makefile", MAKEFILE.format(repo=ROOT.as_posix()))
    write("questionnaire.md", questionnaire["md"])
    write("questionnaire.docx", questionnaire["docx"])
    if example_data:
        shutil.copy2(DATA_RAW / EXAMPLE_EXPORT, folder / "data" / "raw" / EXAMPLE_EXPORT)
        shutil.copy2(ROOT / "data" / "codebook.yaml", folder / "data" / "codebook.yaml")
        written += [folder / "data" / "raw" / EXAMPLE_EXPORT, folder / "data" / "codebook.yaml"]
    else:
        write("data/codebook.yaml", codebook)
    for source in sorted(NOTEBOOKS.glob("[0-9][0-9]_*")):
        if source.suffix in (".ipynb", ".py"):
            target = folder / "notebooks" / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            written.append(target)
    for name in PAPER_FILES:
        target = folder / "paper" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PAPER / name, target)
        written.append(target)
    return written
