"""Preflight: every problem between a study's instrument, codebook and data, at once.

:func:`preflight` reads the study's ``study.yaml``, its ``instrument.yaml``,
its codebook and its raw export, and lists every problem that would stop or
silently distort the build, before any notebook runs (``sqresearch check
STUDY.yaml``; ``sqresearch build`` runs it first):

- an item a construct of the instrument needs that the codebook does not map,
  or whose column the data lacks; a construct left with fewer than
  :data:`~sqresearch.constructs.instrument.ITEMS_MIN` items (too few for a CFA);
- an item code of the codebook that no construct of the instrument has; an
  item whose reverse key or number of answer points differs between the two;
- answers with no number in the codebook (per column and answer: how many,
  and the first rows), out-of-range numbers, missing or duplicate respondent
  ids, unreadable completion times, items nobody answered or everybody
  answered alike;
- a demographic, control or grouping variable declared but not mapped or not
  in the data; a demographic answer in the data that is not a level the
  instrument declares (``50岁以上`` when the instrument lists ``51岁及以上``) —
  never recoded silently; a codebook label mapped to another level than the
  instrument's;
- an attention check or a screening question declared but not mapped;
- a file that is missing or cannot be read, or an instrument mistake.

Rows are named the same way in every message: by the respondent id (the
codebook's ``id``, e.g. 序号) when the data has one, otherwise by the 1-based
data row (the first row under the header is 1).
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sqresearch.clean.codebook import Codebook, normalize_label
from sqresearch.clean.recode import apply_codebook, row_labels
from sqresearch.constructs.instrument import ITEMS_MIN
from sqresearch.errors import InputError

PROBLEM_COLUMNS = ["file", "column", "row", "value", "problem", "hint"]
#: Rows named in one problem's text (the first ones).
FIRST_ROWS = 5
#: Distinct unmapped answers listed per column; the rest are summed up in one row.
DISTINCT_ANSWERS = 10


@dataclass
class Preflight:
    """What :func:`preflight` found.

    Attributes
    ----------
    study : str
        The ``study.yaml`` checked.
    problems : DataFrame
        One row per problem: ``file``, ``column``, ``row`` (respondent id, else
        1-based data row; empty when the problem is not about one row),
        ``value``, ``problem``, ``hint``.
    checked : dict
        What was looked at: ``constructs``, ``items``, ``demographics``,
        ``respondents`` (rows of the export).
    """

    study: str
    problems: pd.DataFrame
    checked: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing stands in the way of the build."""
        return self.problems.empty

    def messages(self) -> list[str]:
        """Each problem as one line: ``file: column 'c', row r, value v: problem (hint)``."""
        return [
            str(
                InputError(
                    r["problem"],
                    file=r["file"],
                    column=r["column"],
                    row=r["row"],
                    value=r["value"],
                    hint=r["hint"] or None,
                )
            )  # fmt: skip
            for r in self.problems.to_dict("records")
        ]

    def to_dict(self) -> dict[str, Any]:
        """The ``sqresearch check --json`` document."""
        from sqresearch.jsondoc import to_jsonable

        return to_jsonable(
            {
                "study": self.study,
                "ok": self.ok,
                "n_problems": len(self.problems),
                "checked": self.checked,
                "problems": self.problems.to_dict("records"),
            }
        )

    def _repr_html_(self) -> str:
        if self.ok:
            return f"<p>✓ {html.escape(self.study)}: no problems found.</p>"
        return (
            f"<p>✗ {html.escape(self.study)}: {len(self.problems)} problem(s); "
            "fix them before the build.</p>" + self.problems.to_html(index=False, na_rep="")
        )


class _Found:
    """Problems collected in order."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, file, problem, *, column=None, row=None, value=None, hint="") -> None:
        self.rows.append(
            dict(
                file=None if file is None else str(file),
                column=column,
                row=row,
                value=value,
                problem=problem,
                hint=hint,
            )  # fmt: skip
        )

    def error(self, exc: InputError, file: Any) -> None:
        self.add(exc.file if exc.file is not None else file, exc.message, column=exc.column,
                 row=exc.row, value=exc.value, hint=exc.hint or "")  # fmt: skip

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS)


def preflight(study: Any) -> Preflight:
    """Check a study's instrument, codebook and raw export against each other.

    Parameters
    ----------
    study : Study, str or Path
        A loaded :class:`~sqresearch.study.Study` or the path of its
        ``study.yaml`` (a config or instrument that does not load is reported
        as a problem, not raised).

    Returns
    -------
    Preflight
        ``ok`` when there is nothing to fix; otherwise ``problems`` lists every
        problem (see the module docstring), rows named by the respondent id
        when the data has one, otherwise by the 1-based data row.

    Examples
    --------
    >>> from sqresearch.paths import STUDY_CONFIG
    >>> result = preflight(STUDY_CONFIG)
    >>> result.ok, result.checked["items"], result.checked["respondents"]
    (True, 46, 520)
    """
    from sqresearch.study import Study, load_study

    found = _Found()
    if not isinstance(study, Study):
        path = Path(study)
        try:
            study = load_study(path)
        except InputError as exc:
            found.error(exc, path)
            return Preflight(str(path), found.frame())
    config = str(study.root / "study.yaml")
    fw = study.framework
    cat = fw.catalogue
    instrument = study.instrument or config
    checked: dict[str, Any] = {"constructs": len(fw.constructs), "items": len(fw.items()),
                               "demographics": len(fw.demographics), "respondents": None}  # fmt: skip

    book = None
    if not study.codebook.is_file():
        found.add(study.codebook, "the codebook does not exist", column="data.codebook",
                  hint="draft one with `sqresearch codebook infer RAW`")  # fmt: skip
    else:
        try:
            book = Codebook.load(study.codebook)
        except InputError as exc:
            found.error(exc, study.codebook)
    raw = None
    if not study.raw.is_file():
        found.add(study.raw, "the raw export does not exist", column="data.raw",
                  hint="put the export into data/raw and name it in study.yaml")  # fmt: skip
    else:
        from sqresearch.io import read_survey

        try:
            raw = read_survey(study.raw, platform=(book.platform if book else None) or "auto")
        except InputError as exc:
            found.error(exc, study.raw)
    if book is None:
        return Preflight(config, found.frame(), checked)
    data = None if raw is None else raw.data.reset_index(drop=True)
    columns = set() if data is None else {str(c) for c in data.columns}
    if data is not None:
        checked["respondents"] = len(data)

    def present(column: str) -> bool:
        return data is None or column in columns

    def closest(*texts: str) -> str:
        if data is None:
            return ""
        for text in texts:
            hit = difflib.get_close_matches(text, [str(c) for c in data.columns], n=1, cutoff=0.5)
            if hit:
                return f"closest column of the data: {hit[0]!r}"
        return ""

    codebook, raw_file = str(study.codebook), str(study.raw)
    # 1. items the constructs need
    for code in fw.constructs:
        construct = cat.constructs[code]
        if construct.kind != "latent":
            item = construct.items[0]
            spec = book.demographics.get(item.code) or book.items.get(item.code)
            if spec is None:
                found.add(codebook, f"the question {item.code} of construct {code} is not mapped "
                          "by the codebook", column=item.code,
                          hint=f"add demographics.{item.code} with its column and levels; "
                          + closest(item.text_zh, item.text_en))  # fmt: skip
            elif not present(spec.column):
                found.add(raw_file, f"the data has no column for {item.code} (construct {code})",
                          column=spec.column, value=item.code, hint=closest(item.text_zh))  # fmt: skip
            continue
        usable = 0
        for item in construct.items:
            spec = book.items.get(item.code)
            if spec is None:
                found.add(codebook, f"item {item.code} of construct {code} is not mapped by the "
                          "codebook", column=item.code,
                          hint=f"add items.{item.code}: {{column: ..., scale: ...}}; "
                          + closest(item.text_zh, item.text_en))  # fmt: skip
                continue
            if not present(spec.column):
                found.add(raw_file, f"the data has no column for item {item.code} (construct "
                          f"{code})", column=spec.column, value=item.code,
                          hint=closest(item.text_zh, item.text_en) or "fix the column in the "
                          "codebook")  # fmt: skip
                continue
            usable += 1
            scale = book.scales[spec.scale]
            if spec.reverse != item.reverse:
                found.add(codebook, f"item {item.code} is reverse-keyed in "
                          f"{'the codebook' if spec.reverse else 'the instrument'} only",
                          column=item.code, value=spec.reverse,
                          hint="make reverse agree in instrument.yaml and the codebook")  # fmt: skip
            if scale.points != item.scale.points:
                found.add(codebook, f"item {item.code} is answered on {scale.points} points in "
                          f"the codebook, {item.scale.points} in the instrument",
                          column=item.code, value=scale.points,
                          hint="make the scales agree")  # fmt: skip
        if usable < ITEMS_MIN and len(construct.items) >= ITEMS_MIN:
            found.add(codebook, f"construct {code} has {usable} usable item(s); a CFA needs at "
                      f"least {ITEMS_MIN}", column=code, value=usable,
                      hint="map the missing items (see above)")  # fmt: skip
    # 2. codebook items the instrument does not have
    known = fw.items()
    for code in book.items:
        if code not in known:
            found.add(codebook, f"the codebook maps item {code}, which no construct of the "
                      "instrument has", column=code, value=book.items[code].column,
                      hint=f"add it to a construct in {Path(instrument).name} or remove it "
                      "from the codebook")  # fmt: skip
    # 3. attention checks and screening declared but not mapped
    for check in cat.attention_checks:
        spec = book.attention_checks.get(check.code)
        if spec is None:
            found.add(codebook, f"attention check {check.code} is not mapped by the codebook",
                      column=check.code, hint=f"add attention_checks.{check.code} with its "
                      f"column, scale and expected answer {check.expected}")  # fmt: skip
        elif not present(spec.column):
            found.add(raw_file, f"the data has no column for attention check {check.code}",
                      column=spec.column, value=check.code)  # fmt: skip
    if cat.instrument.screening is not None:
        if book.screening is None:
            found.add(codebook, "the instrument has a screening question the codebook does not "
                      "map", column=cat.instrument.screening.code,
                      hint="add screening: {column: ..., eligible: [...]}")  # fmt: skip
        elif not present(book.screening.column):
            found.add(raw_file, "the data has no column for the screening question",
                      column=book.screening.column)  # fmt: skip
    # 4. demographics, controls and grouping variables
    roles: dict[str, list[str]] = {}
    for code in fw.demographics:
        roles.setdefault(code, []).append("demographic")
    for code in fw.controls:
        roles.setdefault(code, []).append("control")
    for code in [*fw.groups, *([fw.invariance] if fw.invariance else [])]:
        roles.setdefault(code, []).append("grouping variable")
    for code in fw.constructs:  # a single-item construct's question is answered by level
        item = cat.constructs[code].items[0]
        if cat.constructs[code].kind != "latent" and item.code in cat.demographics:
            roles.setdefault(item.code, []).append(f"the question of construct {code}")
    labels = row_labels(data, book) if data is not None else None
    for code, role in roles.items():
        what = " and ".join(dict.fromkeys(role))
        spec = book.demographics.get(code)
        if spec is None:
            found.add(codebook, f"{code} ({what}) is declared in the instrument but the "
                      "codebook does not map it", column=code,
                      hint=f"add demographics.{code}: {{column: ..., levels: {{...}}}}")  # fmt: skip
            continue
        if not present(spec.column):
            found.add(raw_file, f"the data has no column for {code} ({what})",
                      column=spec.column, value=code, hint=closest(spec.column))  # fmt: skip
            continue
        if code not in cat.demographics:
            continue
        declared = cat.demographics[code].levels
        _check_levels(found, code, declared, spec.levels, codebook)
        if data is not None:
            _check_answers(found, code, declared, data[spec.column], labels, raw_file, instrument)
    # 5. every answer the codebook recodes (items, checks, ids, durations, screening)
    if data is not None:
        _check_cells(found, book, data, columns, raw_file)
    return Preflight(config, found.frame(), checked)


def _check_levels(found: _Found, code: str, declared, levels: dict[str, int], codebook: str):
    """A codebook label that is a declared level's label must map to that level's value."""
    by_label = {}
    for level in declared:
        by_label.setdefault(normalize_label(level.label_zh), level.value)
        by_label.setdefault(normalize_label(level.label_en), level.value)
    values = {level.value for level in declared}
    for label, value in levels.items():
        expected = by_label.get(normalize_label(label))
        if expected is not None and expected != value:
            found.add(codebook, f"the codebook maps {label!r} of {code} to {value}, the "
                      f"instrument to {expected}", column=code, value=label,
                      hint="make the codebook's levels agree with instrument.yaml")  # fmt: skip
        elif expected is None and value not in values:
            found.add(codebook, f"the codebook maps {label!r} of {code} to {value}, which is not "
                      "a level the instrument declares", column=code, value=label,
                      hint=f"declared: {', '.join(f'{lv.value} {lv.label_zh}' for lv in declared)}")  # fmt: skip


def _check_answers(found, code, declared, values: pd.Series, labels, raw_file, instrument):
    """Each answer must be a declared level: its label (zh or en) or, in a numeric export, its value."""
    known = {normalize_label(lv.label_zh) for lv in declared} | {
        normalize_label(lv.label_en) for lv in declared
    }
    numbers = {float(lv.value) for lv in declared}
    bad: dict[Any, list[int]] = {}
    for i, value in enumerate(values):
        if pd.isna(value) or normalize_label(value) in known:
            continue
        try:
            if float(normalize_label(value)) in numbers:
                continue
        except ValueError:
            pass
        bad.setdefault(value, []).append(i)
    for value, rows in list(bad.items())[:DISTINCT_ANSWERS]:
        found.add(raw_file, f"{len(rows)} answer(s) {value!r} to {code}, which is not a level "
                  f"the instrument declares (rows {_rows(labels, rows)})", column=values.name,
                  row=_label(labels, rows[0]), value=value,
                  hint=f"declare it under demographics {code} levels in {Path(instrument).name} "
                  "(in the order fielded) and map it in the codebook")  # fmt: skip
    if len(bad) > DISTINCT_ANSWERS:
        rest = [i for rows in list(bad.values())[DISTINCT_ANSWERS:] for i in rows]
        found.add(raw_file, f"{len(bad) - DISTINCT_ANSWERS} more undeclared answers to {code} in "
                  f"{len(rest)} rows", column=values.name, row=_label(labels, rest[0]))  # fmt: skip


def _check_cells(found: _Found, book: Codebook, data: pd.DataFrame, columns: set[str], raw_file):
    """Recode with the codebook restricted to the columns the data has; group its issues."""
    from dataclasses import replace

    sub = replace(
        book,
        items={c: s for c, s in book.items.items() if s.column in columns},
        attention_checks={c: s for c, s in book.attention_checks.items() if s.column in columns},
        demographics={},  # checked against the instrument's levels above
        screening=book.screening if book.screening and book.screening.column in columns else None,
        id=book.id if book.id in columns else None,
        duration=book.duration if book.duration in columns else None,
        submitted=book.submitted if book.submitted in columns else None,
        keep={k: v for k, v in book.keep.items() if k in columns},
    )
    for name in ("id", "duration", "submitted"):
        column = getattr(book, name)
        if column and column not in columns:
            found.add(raw_file, f"the data has no column {column!r} (the codebook's {name})",
                      column=column, hint=f"fix or remove {name} in the codebook")  # fmt: skip
    if not sub.items:
        return
    issues = apply_codebook(data, sub).issues.frame()
    issues = issues[issues["severity"] == "error"]
    if issues.empty:
        return
    scale_of = {**{s.column: s.scale for s in sub.items.values()},
                **{s.column: s.scale for s in sub.attention_checks.values()}}  # fmt: skip
    grouped = issues.groupby(["check", "column", "value"], sort=False, dropna=False)
    for (check, column, value), block in grouped:
        rows = block["row"].tolist()
        if check == "unmapped_label":
            problem = (f"{len(rows)} answer(s) {value!r} have no number in the codebook's scale "
                       f"{scale_of.get(column)} (rows {_join(rows)})")  # fmt: skip
            hint = (
                f"add {value!r}: <number> to scales.{scale_of.get(column)}.labels in the codebook"
            )
        elif check == "out_of_range":
            problem = f"{len(rows)} answer(s) {value!r} out of range: {block['message'].iloc[0]} (rows {_join(rows)})"
            hint = "fix the data or the codebook's scale"
        else:
            problem, hint = block["message"].iloc[0], "fix the data or the codebook"
        found.add(raw_file, problem, column=column, row=None if pd.isna(rows[0]) else rows[0],
                  value=None if pd.isna(value) else value, hint=hint)  # fmt: skip


def _label(labels: pd.Series, i: int) -> Any:
    value = labels.iloc[i]
    return (
        int(value)
        if isinstance(value, (int, float, np.integer, np.floating)) and float(value).is_integer()
        else value
    )


def _rows(labels: pd.Series, rows: list[int]) -> str:
    return _join([_label(labels, i) for i in rows])


def _join(rows: list[Any]) -> str:
    shown = ", ".join(str(int(r) if isinstance(r, float) and r.is_integer() else r)
                      for r in rows[:FIRST_ROWS])  # fmt: skip
    return shown + (f", … ({len(rows)} in all)" if len(rows) > FIRST_ROWS else "")
