"""A study: its config file, its paths, and where its artefacts go.

A study is a folder holding ``study.yaml`` (the shipped default study is the
repository root). The config names the study's instrument (``instrument.yaml``:
its constructs, demographics and hypotheses, see
:mod:`sqresearch.constructs.instrument`), the raw data, the codebook, the
language, the seed and the bootstrap counts; every notebook reads it through
:func:`load_study` and writes only its own artefacts through
:meth:`Study.save_table`, :meth:`Study.save_figure`, :meth:`Study.save_text`
and :meth:`Study.save_results`, so that each file in ``paper/`` has exactly
one producer. What a notebook saves after ``study.chapter("NN")`` is also
recorded for the chapter (:mod:`sqresearch.report.chapter`).

Every path in the config resolves inside the study folder; a path that leaves
it is refused unless the config says ``allow_outside_paths: true``.

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

REQUIRED = ("name", "language", "data", "seed")
LANGUAGES = ("zh", "en")
KEYS = {
    "name", "framework", "instrument", "language", "data", "paper", "seed", "bootstrap",
    "sem_bootstrap", "allow_outside_paths", "pilot", "method", "estimator", "marker",
}  # fmt: skip
METHODS = ("sem", "pls")
#: Chapter logs of this process, by (study folder, notebook number): re-running a
#: notebook's cells replaces its entries.
_LOGS: dict[tuple[Path, str], Any] = {}


@dataclass(frozen=True)
class Study:
    """A study config resolved against its folder.

    Attributes
    ----------
    root : Path
        The folder holding the config; every relative path is resolved there.
    name, language : str
        Study name; ``"zh"`` or ``"en"``.
    framework : Framework
        The study's research model, from its instrument (or, without one, the
        shipped template named by ``framework``).
    instrument : Path or None
        The study's ``instrument.yaml``.
    raw, codebook, processed, paper : Path
        Raw export, codebook YAML, processed-data folder, paper folder.
    seed, bootstrap, sem_bootstrap : int
        Seed of every random step; PROCESS and SEM bootstrap resample counts.
    pilot : Path or None
        A pilot (预调研) export, analysed by item analysis when given.
    method : {"sem", "pls"}
        How the structural model is estimated.
    config : dict
        The parsed YAML, for keys a notebook needs beyond these.
    """

    root: Path
    name: str
    framework: Any
    language: str
    raw: Path
    codebook: Path
    processed: Path
    paper: Path
    seed: int
    bootstrap: int
    sem_bootstrap: int
    config: dict = field(default_factory=dict, repr=False)
    instrument: Path | None = None
    pilot: Path | None = None
    method: str = "sem"

    @property
    def catalogue(self):
        """The study's constructs, demographics and attention checks (its instrument)."""
        return self.framework.catalogue

    @property
    def plan(self):
        """The analyses this study needs (:class:`~sqresearch.plan.AnalysisPlan`)."""
        from sqresearch.plan import analysis_plan

        return analysis_plan(self)

    def chapter(self, number: str):
        """Start notebook ``number``'s part of the chapter (``paper/chapter/NN.json``).

        Everything saved afterwards with :meth:`save_table`, :meth:`save_figure`
        (with a caption) and :meth:`save_text` is recorded in it, in order;
        headings and fixed sentences are added on the returned
        :class:`~sqresearch.report.chapter.ChapterLog`.
        """
        from sqresearch.report.chapter import ChapterLog

        log = ChapterLog(number, self.language, self.paper / "chapter" / f"{number}.json")
        _LOGS[(self.root, "current")] = log
        return log

    def _log(self):
        return _LOGS.get((self.root, "current"))

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
        """Render a :class:`~sqresearch.report.tables.ThesisTable` as .tex and .docx.

        The table's label becomes ``tab:NAME``; it is recorded for the chapter.
        """
        from sqresearch.report.tables import render

        table.label = f"tab:{name}"
        self.tables.mkdir(parents=True, exist_ok=True)
        written = []
        for fmt, suffix in (("latex", ".tex"), ("docx", ".docx")):
            path = self.tables / f"{name}{suffix}"
            render(table, fmt=fmt, path=path)
            written.append(path)
        if self._log() is not None:
            self._log().table(name, table.label, table.caption)
        return written

    def save_figure(
        self, fig: Any, name: str, *, caption: str | None = None, width: float = 1.0
    ) -> list[Path]:
        """Save a matplotlib figure as vector PDF and 300-dpi PNG, reproducibly.

        With a ``caption`` the figure is recorded for the chapter (label ``fig:NAME``,
        ``width`` a share of the text width).
        """
        from sqresearch.report.style import save_figure

        self.figures.mkdir(parents=True, exist_ok=True)
        written = list(save_figure(fig, self.figures / name))
        if caption is not None and self._log() is not None:
            self._log().figure(name, caption, width)
        return written

    def save_text(self, text: str, name: str, *, latex: bool = False, chapter: bool = True) -> Path:
        """Write generated text as a LaTeX fragment ``paper/text/NAME.tex``.

        Plain text is escaped for LaTeX; ``latex=True`` writes it as it is. The
        text is recorded for the chapter unless ``chapter=False`` (settings,
        appendix).
        """
        from sqresearch.report.format import escape_latex

        self.text.mkdir(parents=True, exist_ok=True)
        path = self.text / f"{name}.tex"
        path.write_text((text if latex else escape_latex(text)) + "\n", encoding="utf-8")
        if chapter and self._log() is not None:
            self._log().text(name)
        return path

    def save_results(self, results: dict, name: str) -> Path:
        """Write numbers as ``paper/results/NAME.json`` (NaN as null, keys kept in order)."""
        from sqresearch.jsondoc import dumps

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
    >>> study.framework.constructs[:3], study.language
    (['CVA', 'IRI', 'CEX'], 'zh')
    """
    path = Path(path) if path is not None else find_study()
    config = read_yaml(path, what="study config")
    unknown = sorted(set(config) - KEYS)
    if unknown:
        raise InputError(
            "unknown key", file=path, column=unknown[0], hint=f"allowed: {', '.join(sorted(KEYS))}"
        )
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
    outside_ok = config.get("allow_outside_paths", False)
    if not isinstance(outside_ok, bool):
        raise InputError("must be true or false", file=path, column="allow_outside_paths",
                         value=outside_ok)  # fmt: skip

    def resolve(key: str, value: Any) -> Path:
        if not isinstance(value, str) or not value.strip():
            raise InputError("must be a path (text)", file=path, column=key, value=value)
        target = (root / value).resolve()
        if not outside_ok and not target.is_relative_to(root):
            raise InputError(
                "the path leaves the study folder", file=path, column=key, value=value,
                hint="keep the study's files inside its folder, or set allow_outside_paths: true",
            )  # fmt: skip
        return target

    def count(key: str, default: int, env: str, least: int = 1) -> int:
        value = os.environ.get(env, config.get(key, default))
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InputError("must be a whole number", file=path, column=key, value=value) from None
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise InputError("must be a whole number", file=path, column=key, value=value)
        if number < least:
            raise InputError(f"must be at least {least}", file=path, column=key, value=number)
        return number

    instrument = resolve("instrument", config["instrument"]) if "instrument" in config else None
    if instrument is not None:
        from sqresearch.constructs.instrument import load_instrument

        framework = load_instrument(instrument, name=str(config["name"]))
    elif "framework" in config:
        from sqresearch.constructs import get_framework

        try:
            framework = get_framework(str(config["framework"]))
        except InputError as exc:
            raise exc.with_file(path) from None
    else:
        raise InputError(
            "missing key 'instrument'", file=path,
            hint="name the study's instrument.yaml (`sqresearch init` writes one)",
        )  # fmt: skip
    method = config.get("method", "sem")
    if method not in METHODS:
        raise InputError("method must be sem or pls", file=path, column="method", value=method)
    from sqresearch.report.labels import use_catalogue, use_language

    use_catalogue(framework.catalogue)
    use_language(language)  # tables, text and figures default to the study's language
    return Study(
        root=root,
        name=str(config["name"]),
        framework=framework,
        language=language,
        raw=resolve("data.raw", data["raw"]),
        codebook=resolve("data.codebook", data["codebook"]),
        processed=resolve("data.processed", data.get("processed", "data/processed")),
        paper=resolve("paper", config.get("paper", "paper")),
        seed=count("seed", 0, "SQRESEARCH_SEED", least=0),
        bootstrap=count("bootstrap", 5000, "SQRESEARCH_BOOTSTRAP"),
        sem_bootstrap=count("sem_bootstrap", 1000, "SQRESEARCH_SEM_BOOTSTRAP"),
        config=config,
        instrument=instrument,
        pilot=resolve("pilot", config["pilot"]) if config.get("pilot") else None,
        method=method,
    )
