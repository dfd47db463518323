"""Apply a codebook to a raw export: check every cell, recode labels to numbers.

Nothing is coerced silently.  Each problem becomes a row of an issues table
(severity, check, column, row, value, message); errors stop the cleaning
with an :class:`~sqresearch.errors.InputError` naming file, column,
respondent and value, warnings go into the cleaning report.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sqresearch.clean.codebook import Codebook, normalize_label
from sqresearch.errors import InputError

ISSUE_COLUMNS = ["severity", "check", "column", "row", "value", "message"]


@dataclass
class Issues:
    """Problems found while applying a codebook, in the order found."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        severity: str,
        check: str,
        message: str,
        column: Any = None,
        row: Any = None,
        value: Any = None,
    ) -> None:
        self.rows.append(
            dict(
                severity=severity, check=check, column=column, row=row, value=value, message=message
            )
        )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=ISSUE_COLUMNS)

    def errors(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["severity"] == "error"]

    def raise_first(self, file: Any) -> None:
        """Raise the first error (telling how many more there are), if any."""
        errors = self.errors()
        if not errors:
            return
        first = errors[0]
        more = len(errors) - 1
        checks = sorted({e["check"] for e in errors})
        hint = (
            f"{more} more problem(s) of kind {', '.join(checks)}: fix the data or the codebook"
            if more
            else "fix the data or the codebook"
        )
        raise InputError(
            first["message"],
            file=file,
            column=first["column"],
            row=first["row"],
            value=first["value"],
            hint=hint,
        )


@dataclass
class Coded:
    """The export recoded by the codebook: one row per submission, output codes as columns."""

    data: pd.DataFrame
    issues: Issues
    missing_code_counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """The ``sqresearch codebook check --json`` document: ``n`` rows and their ``issues``."""
        return {"n": len(self.data), "issues": self.issues.frame().to_dict("records")}

    def _repr_html_(self) -> str:
        issues = self.issues.frame()
        head = f"<p><b>Recoded by the codebook</b>: {len(self.data)} rows, {len(issues)} issues</p>"
        return head + (issues.to_html(index=False) if len(issues) else "")


def row_labels(raw: pd.DataFrame, book: Codebook) -> pd.Series:
    """How messages name each row: the respondent id (e.g. 序号) when the data has one,
    otherwise the 1-based data row (the first row after the header is 1)."""
    if book.id and book.id in raw.columns:
        return raw[book.id].reset_index(drop=True)
    return pd.Series(np.arange(len(raw)) + 1, name="row")


def apply_codebook(raw: pd.DataFrame, book: Codebook) -> Coded:
    """Recode a raw export with a codebook, checking every mapped cell.

    Parameters
    ----------
    raw : DataFrame
        The export as read (``RawSurvey.data``).
    book : Codebook

    Returns
    -------
    Coded
        ``data`` has ``ID``, ``DURATION``, ``SCREEN`` (1 eligible, 0 not),
        the demographic codes, the items (as answered, 1..points), the
        attention-check codes and the kept columns; ``issues`` lists every
        problem (errors: missing columns, duplicate ids, unmapped labels,
        out-of-range numbers, all-missing or constant items).

    Examples
    --------
    >>> from sqresearch.clean.codebook import Codebook
    >>> book = Codebook.from_dict({"id": "序号", "scales": {"a5": {"points": 5, "labels": {"同意": 4, "非常同意": 5}}},
    ...     "items": {"X1": {"column": "q1", "scale": "a5"}}})
    >>> raw = pd.DataFrame({"序号": [1, 2, 3], "q1": ["同意", "非常同意", None]})
    >>> apply_codebook(raw, book).data["X1"].tolist()
    [4.0, 5.0, nan]
    """
    issues = Issues()
    raw = raw.reset_index(drop=True)
    labels = row_labels(raw, book)
    columns = [str(c) for c in raw.columns]
    for code, column in book.source_columns().items():
        if column not in columns:
            close = difflib.get_close_matches(column, columns, n=1, cutoff=0.6)
            hint = f"; closest header: {close[0]!r}" if close else ""
            issues.add(
                "error",
                "missing_column",
                f"codebook variable {code} names a column the file lacks{hint}",
                column=column,
            )
    if issues.errors():
        return Coded(pd.DataFrame(index=raw.index), issues, {})

    raw, missing_counts = _blank_missing_codes(raw, book)
    out = pd.DataFrame(index=raw.index)
    if book.id:
        ids = raw[book.id]
        if ids.isna().any():
            first = int(np.flatnonzero(ids.isna())[0])
            issues.add(
                "error", "missing_id", "respondent id is empty", column=book.id, row=first + 1
            )
        dup = ids[ids.duplicated(keep=False) & ids.notna()]
        for value in pd.unique(dup):
            issues.add(
                "error",
                "duplicate_id",
                "respondent id occurs more than once",
                column=book.id,
                row=value,
                value=value,
            )
        out["ID"] = ids
    else:
        out["ID"] = labels
    if book.duration:
        duration = pd.to_numeric(raw[book.duration], errors="coerce")
        for i in np.flatnonzero(duration.isna() & raw[book.duration].notna()):
            issues.add(
                "error",
                "duration",
                "completion time is not a number of seconds",
                column=book.duration,
                row=labels[i],
                value=raw[book.duration][i],
            )
        for i in np.flatnonzero(duration < 0):
            issues.add(
                "error",
                "duration",
                "completion time is negative",
                column=book.duration,
                row=labels[i],
                value=duration[i],
            )
        out["DURATION"] = duration
    if book.screening:
        eligible = {normalize_label(v) for v in book.screening.eligible}
        answers = raw[book.screening.column]
        out["SCREEN"] = answers.map(
            lambda v: np.nan if pd.isna(v) else float(normalize_label(v) in eligible)
        )
    for code, spec in book.demographics.items():
        out[code] = _recode_levels(raw[spec.column], spec.levels, code, labels, issues)
    for code, spec in book.items.items():
        scale = book.scales[spec.scale]
        out[code] = _recode_scale(
            raw[spec.column], scale.lookup(), scale.points, code, labels, issues
        )
        _check_variation(out[code], code, spec.column, issues)
    for code, spec in book.attention_checks.items():
        scale = book.scales[spec.scale]
        out[code] = _recode_scale(
            raw[spec.column], scale.lookup(), scale.points, code, labels, issues
        )
    for column, code in book.keep.items():
        out[code] = raw[column]
    return Coded(out, issues, missing_counts)


def _blank_missing_codes(raw: pd.DataFrame, book: Codebook) -> tuple[pd.DataFrame, dict[str, int]]:
    if not book.missing_codes:
        return raw, {}
    codes = {normalize_label(c) for c in book.missing_codes}
    mapped = [c for c in book.source_columns().values() if c != book.id]
    raw = raw.copy()
    counts = {}
    for column in mapped:
        hit = raw[column].map(lambda v: pd.notna(v) and normalize_label(v) in codes).astype(bool)
        if hit.any():
            counts[column] = int(hit.sum())
            raw[column] = raw[column].mask(hit)
    return raw, counts


def _number(value: Any) -> float | None:
    """The number a cell holds; None for text, true/false, infinity and NaN written as text."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
    else:
        try:
            number = float(normalize_label(value))
        except ValueError:
            return None
    return number if np.isfinite(number) else None


def _recode_scale(
    values: pd.Series,
    lookup: dict[str, int],
    points: int,
    code: str,
    labels: pd.Series,
    issues: Issues,
) -> pd.Series:
    column = values.name
    out = np.full(len(values), np.nan)
    for i, value in enumerate(values):
        if pd.isna(value):
            continue
        key = normalize_label(value)
        if key in lookup:
            out[i] = lookup[key]
            continue
        number = _number(value)
        if number is None:
            issues.add(
                "error",
                "unmapped_label",
                f"answer to {code} is not a label of its scale (add it to the codebook's scale labels)",
                column=column,
                row=labels[i],
                value=value,
            )
        elif number != round(number) or not 1 <= number <= points:
            issues.add(
                "error",
                "out_of_range",
                f"{code} must be a whole number from 1 to {points}",
                column=column,
                row=labels[i],
                value=value,
            )
        else:
            out[i] = number
    return pd.Series(out, index=values.index, name=code)


def _recode_levels(
    values: pd.Series, levels: dict[str, int], code: str, labels: pd.Series, issues: Issues
) -> pd.Series:
    column = values.name
    lookup = {normalize_label(k): v for k, v in levels.items()}
    codes = set(levels.values())
    out = np.full(len(values), np.nan)
    for i, value in enumerate(values):
        if pd.isna(value):
            continue
        key = normalize_label(value)
        if key in lookup:
            out[i] = lookup[key]
            continue
        number = _number(value)
        if number is not None and (not levels or number in codes):
            out[i] = number
        elif number is not None:
            issues.add(
                "error",
                "out_of_range",
                f"{code} code is not one of {sorted(codes)}",
                column=column,
                row=labels[i],
                value=value,
            )
        else:
            issues.add(
                "error",
                "unmapped_label",
                f"answer to {code} is not one of its levels (add it to the codebook)",
                column=column,
                row=labels[i],
                value=value,
            )
    return pd.Series(out, index=values.index, name=code)


def _check_variation(values: pd.Series, code: str, column: str, issues: Issues) -> None:
    present = values.dropna()
    if present.empty:
        issues.add("error", "all_missing", f"item {code} has no answers at all", column=column)
    elif present.nunique() == 1:
        issues.add(
            "error",
            "zero_variance",
            f"every respondent gave item {code} the same answer",
            column=column,
            value=int(present.iloc[0]) if float(present.iloc[0]).is_integer() else present.iloc[0],
        )
