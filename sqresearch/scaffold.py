"""``sqresearch init DIR --framework NAME``: a student's own study folder.

The new folder is self-contained and needs no source checkout:

- ``study.yaml`` (language, seed, data paths, bootstrap counts) naming
- ``instrument.yaml``: the study's own instrument — constructs, items,
  demographics with their levels, attention checks, controls, groups and
  hypotheses — written out from a shipped template (``--framework NAME``) or
  the blank one (``--framework blank``), ready to edit;
- the questionnaire to field (``questionnaire.md`` / ``.docx``) and a codebook
  template whose columns are the headers 问卷星 writes for it;
- ``notebooks/`` and ``paper/main.tex`` from the package's templates (package
  data, found with :mod:`importlib.resources`);
- a ``README.md`` saying how to open it in JupyterLab and build it, and a
  ``Makefile`` whose targets are one-line calls of the installed
  ``sqresearch`` (on Windows, run the same commands without make).

With ``example_data=True`` a simulated export of the instrument and its
codebook are written to ``data/`` (every shipped template), so the study
builds at once; replace them with the real export and its codebook later.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqresearch.constructs import DEFAULT_FRAMEWORK, list_frameworks
from sqresearch.constructs.instrument import instrument_template, load_instrument
from sqresearch.datasets import example_codebook, write_example_data
from sqresearch.errors import InputError
from sqresearch.paths import TEMPLATES

BLANK = "blank"

STUDY_YAML = """\
# Study config: every notebook and `sqresearch build` read it.
name: {name}
instrument: instrument.yaml     # your questionnaire and hypotheses (from the template {template})
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
# Each target is one call of the installed `sqresearch`; without make (e.g. on
# Windows) run the command after the colon's recipe yourself.
.PHONY: check thesis
check: ## check instrument, codebook and data before building
\tsqresearch check study.yaml
thesis: ## build everything: notebooks, tables, figures, paper/main.pdf
\tsqresearch build study.yaml
"""

README = """\
# {name}

A study written by `sqresearch init` from the template `{template}`.
Everything here belongs to the study; nothing refers to where sqresearch is installed.

| file | what it is |
|---|---|
| `instrument.yaml` | your constructs, items, demographics and hypotheses: edit it first |
| `study.yaml` | language, seed, data paths, bootstrap resamples |
| `questionnaire.md`, `questionnaire.docx` | the questionnaire to field (regenerate: `sqresearch questionnaire`) |
| `data/raw/` | your export from 问卷星 (按选项文本), never modified |
| `data/codebook.yaml` | which export column is which item, how answers are scored |
| `notebooks/` | the analysis, one numbered notebook per chapter section |
| `paper/` | the generated chapter: `main.pdf`, `tables/`, `figures/`, `text/` |

## Steps

1. Edit `instrument.yaml` (reword items, drop or add constructs, set the
   demographic levels exactly as your questionnaire asks them, write your
   hypotheses), then field the questionnaire.
2. Download the answers 按选项文本 as xlsx into `data/raw/`, set `data.raw`
   in `study.yaml`, and draft the codebook from its headers:
   `sqresearch codebook infer data/raw/<export>.xlsx --instrument instrument.yaml --out data/codebook.yaml`
   and read it through.
3. Check everything at once: `sqresearch check study.yaml`.
4. Build: `sqresearch build study.yaml` (or `make thesis`; `python -m sqresearch build
   study.yaml` works the same on Windows). Only the analyses your hypotheses need run.

## In JupyterLab

`jupyter lab` in this folder, then open `notebooks/00_questionnaire.ipynb` and
run the notebooks in order; each shows its tables as HTML and writes its part
of `paper/`. `sqresearch build` runs them all headless and compiles the PDF.
"""


def _copy_templates(folder: Path, written: list[Path]) -> None:
    for part, pattern in (("notebooks", ".ipynb"), ("paper", ".tex")):
        source = TEMPLATES / part
        for entry in sorted(source.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(pattern):
                target = folder / part / entry.name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(entry.read_bytes())
                written.append(target)


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
        A shipped template (:func:`~sqresearch.constructs.list_frameworks`) or
        ``"blank"``.
    lang : {"zh", "en"}
        The study language.
    example_data : bool
        Write a simulated export of the instrument and its codebook into
        ``data/`` (any template but the blank one).
    seed : int
        The study's seed (also the example data's).

    Returns
    -------
    list of Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "my study"
    >>> names = sorted(p.relative_to(folder).as_posix() for p in scaffold(folder, "maslow_belonging"))
    >>> [n for n in names if not n.startswith("notebooks/")]  # doctest: +NORMALIZE_WHITESPACE
    ['Makefile', 'README.md', 'data/codebook.yaml', 'instrument.yaml', 'paper/main.tex',
     'questionnaire.docx', 'questionnaire.md', 'study.yaml']
    """
    from sqresearch.report.questionnaire import render_questionnaire

    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError("the folder is not empty", file=folder, hint="choose a new folder")
    templates = [*list_frameworks(), BLANK]
    if framework not in templates:
        raise InputError(
            f"unknown template {framework!r}", column="--framework", value=framework,
            hint=f"one of: {', '.join(templates)}",
        )  # fmt: skip
    if lang not in ("zh", "en"):
        raise InputError("language must be zh or en", column="--lang", value=lang)
    if example_data and framework == BLANK:
        raise InputError(
            "the blank template has no example data: write your instrument first",
            column="--example-data",
        )
    # Everything that can fail runs before the first file is written.
    instrument_text = instrument_template(None if framework == BLANK else framework)
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "instrument.yaml"
        draft.write_text(instrument_text, encoding="utf-8")
        fw = load_instrument(draft, name=folder.name)
    codebook = None if example_data else example_codebook(fw, lang)
    questionnaire = {fmt: render_questionnaire(fw, fmt, lang) for fmt in ("md", "docx")}
    written: list[Path] = []

    def write(relative: str, content: str | bytes) -> None:
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        written.append(path)

    (folder / "data" / "raw").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "processed").mkdir(parents=True, exist_ok=True)
    raw = "your_export.xlsx"
    if example_data:
        example = write_example_data(folder, fw, seed, lang=lang)
        written += [example["raw"], example["codebook"]]
        raw = example["raw"].name
    else:
        write("data/codebook.yaml", codebook)
    template = framework
    write("study.yaml", STUDY_YAML.format(name=folder.name, template=template, lang=lang, raw=raw,
                                          seed=seed))  # fmt: skip
    write("instrument.yaml", instrument_text)
    write("README.md", README.format(name=folder.name, template=template))
    write("Makefile", MAKEFILE)
    write("questionnaire.md", questionnaire["md"])
    write("questionnaire.docx", questionnaire["docx"])
    _copy_templates(folder, written)
    return written
