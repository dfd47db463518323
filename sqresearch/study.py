"""A study: its config file, its paths, and where its artefacts go.

A study is a folder holding ``study.yaml`` (the shipped default study is the
repository root). The config names the raw data, the codebook, the framework,
the language, the seed and the bootstrap counts; every notebook reads it
through :func:`load_study` and writes only its own artefacts through
:meth:`Study.save_table`, :meth:`Study.save_figure`, :meth:`Study.save_text`
and :meth:`Study.save_results`, so that each file in ``paper/`` has exactly
one producer.

Environment overrides (used by ``sqresearch build`` and the tests):
``SQRESEARCH_STUDY`` (path of the config), ``SQRESEARCH_BOOTSTRAP`` and
``SQRESEARCH_SEM_BOOTSTRAP`` (resample counts, e.g. small ones in CI).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sqresearch.errors import InputError
from sqresearch.io.config import read_yaml

REQUIRED = ("name", "framework", "language", "data", "seed")
LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Study:
    """A study config resolved against its folder.

    Attributes
    ----------
    root : Path
        The folder holding the config; every relative path is resolved there.
    name, framework, language : str
        Study name, framework of :mod:`sqresearch.constructs`, ``"zh"`` or ``"en"``.
    raw, codebook, processed, paper : Path
        Raw export, codebook YAML, processed-data folder, paper folder.
    seed, bootstrap, sem_bootstrap : int
        Seed of every random step; PROCESS and SEM bootstrap resample counts.
    config : dict
        The parsed YAML, for keys a notebook needs beyond these.
    """

    root: Path
    name: str
    framework: str
    language: str
    raw: Path
    codebook: Path
    processed: Path
    paper: Path
    seed: int
    bootstrap: int
    sem_bootstrap: int
    config: dict = field(default_factory=dict, repr=False)

    @property
    def tables(self) -> Path:
        return self.paper / "tables"

    @property
    def figures(self) -> Path:
        return self.paper / "figures"

    @property
    def text(self) -> Path:
        return self.paper / "text"

    @property
    def results(self) -> Path:
        return self.paper / "results"

    def analysis_data(self, answered: pd.DataFrame | None = None) -> pd.DataFrame:
        """The cleaned data, reverse-keyed items recoded, ready to analyse.

        Reads ``clean.csv`` (or takes ``answered``, items as answered) and the
        codebook as applied (``codebook.yaml``) from the processed folder
        (both written by the cleaning notebook); the codebook says which items
        are reverse-keyed and on how many points, and they are recoded
        ``points + 1 - x`` here, once.
        """
        from sqresearch.clean.codebook import Codebook
        from sqresearch.measure.items import reverse_code

        clean = self.processed / "clean.csv"
        if answered is None and not clean.is_file():
            raise InputError("no cleaned data yet", file=clean, hint="run the cleaning notebook (01) first")
        data = pd.read_csv(clean, encoding="utf-8-sig") if answered is None else answered
        book = Codebook.load(self.processed / "codebook.yaml")
        by_points: dict[int, list[str]] = {}
        for code in book.reverse_items():
            by_points.setdefault(book.scales[book.items[code].scale].points, []).append(code)
        for points, codes in sorted(by_points.items()):
            data = reverse_code(data, codes, scale_points=points)
        return data

    def save_table(self, table: Any, name: str) -> list[Path]:
        """Render a :class:`~sqresearch.report.tables.ThesisTable` as .tex and .docx."""
        from sqresearch.report.tables import render

        self.tables.mkdir(parents=True, exist_ok=True)
        written = []
        for fmt, suffix in (("latex", ".tex"), ("docx", ".docx")):
            path = self.tables / f"{name}{suffix}"
            render(table, fmt=fmt, path=path)
            written.append(path)
        return written

    def save_figure(self, fig: Any, name: str) -> list[Path]:
        """Save a matplotlib figure as vector PDF and 300-dpi PNG, reproducibly."""
        from sqresearch.report.style import save_figure

        self.figures.mkdir(parents=True, exist_ok=True)
        return list(save_figure(fig, self.figures / name))

    def save_text(self, text: str, name: str, *, latex: bool = False) -> Path:
        """Write generated text as a LaTeX fragment ``paper/text/NAME.tex``.

        Plain text is escaped for LaTeX; ``latex=True`` writes it as it is.
        """
        from sqresearch.report.format import escape_latex

        self.text.mkdir(parents=True, exist_ok=True)
        path = self.text / f"{name}.tex"
        path.write_text((text if latex else escape_latex(text)) + "\n", encoding="utf-8")
        return path

    def save_results(self, results: dict, name: str) -> Path:
        """Write numbers as ``paper/results/NAME.json`` (NaN as null, keys kept in order)."""
        from sqresearch.cli.jsonout import dumps

        self.results.mkdir(parents=True, exist_ok=True)
        path = self.results / f"{name}.json"
        path.write_text(dumps(results) + "\n", encoding="utf-8")
        return path


def find_study(start: Path | None = None) -> Path:
    """The config to use: ``$SQRESEARCH_STUDY``, else the nearest ``study.yaml`` upwards."""
    env = os.environ.get("SQRESEARCH_STUDY")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "study.yaml").is_file():
            return folder / "study.yaml"
    raise InputError(
        "no study.yaml found here or in any parent folder",
        file=here,
        hint="run inside a study folder, or set SQRESEARCH_STUDY",
    )


def load_study(path: str | Path | None = None) -> Study:
    """Read and check a study config.

    Parameters
    ----------
    path : str or Path, optional
        The ``study.yaml``; default :func:`find_study`.

    Returns
    -------
    Study

    Examples
    --------
    >>> from sqresearch.paths import STUDY_CONFIG
    >>> study = load_study(STUDY_CONFIG)
    >>> study.framework, study.language
    ('tea_brand_community', 'zh')
    """
    path = Path(path) if path is not None else find_study()
    config = read_yaml(path, what="study config")
    for key in REQUIRED:
        if key not in config:
            raise InputError(f"missing key {key!r}", file=path)
    language = config["language"]
    if language not in LANGUAGES:
        raise InputError("language must be zh or en", file=path, column="language", value=language)
    data = config["data"]
    for key in ("raw", "codebook"):
        if not isinstance(data, dict) or key not in data:
            raise InputError(f"missing key data.{key}", file=path)
    root = path.resolve().parent

    def count(key: str, default: int, env: str, least: int = 1) -> int:
        value = os.environ.get(env, config.get(key, default))
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InputError("must be a whole number", file=path, column=key, value=value) from None
        if number < least:
            raise InputError(f"must be at least {least}", file=path, column=key, value=number)
        return number

    return Study(
        root=root,
        name=str(config["name"]),
        framework=str(config["framework"]),
        language=language,
        raw=root / data["raw"],
        codebook=root / data["codebook"],
        processed=root / data.get("processed", "data/processed"),
        paper=root / config.get("paper", "paper"),
        seed=count("seed", 0, "SQRESEARCH_SEED", least=0),
        bootstrap=count("bootstrap", 5000, "SQRESEARCH_BOOTSTRAP"),
        sem_bootstrap=count("sem_bootstrap", 1000, "SQRESEARCH_SEM_BOOTSTRAP"),
        config=config,
    )
