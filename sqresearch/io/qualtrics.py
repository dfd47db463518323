"""Qualtrics CSV/xlsx exports with their three header rows.

Row 1 holds the column names (StartDate, ..., Q1, Q2_1), row 2 the question
wording, row 3 the import ids as JSON (``{"ImportId":"QID2_1"}``); data
rows follow.  The reader keeps row 1 as the header, the wording as
``questions`` and drops rows 2-3.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sqresearch.errors import InputError
from sqresearch.io.tables import RawSurvey, read_file
from sqresearch.io.wjx import durations

#: Platform column -> role.
QUALTRICS_COLUMNS = {
    "ResponseId": "id",
    "ResponseID": "id",
    "StartDate": "started",
    "EndDate": "submitted",
    "RecordedDate": "recorded",
    "Duration (in seconds)": "duration",
    "IPAddress": "ip",
    "Status": "status",
    "Progress": "progress",
    "Finished": "finished",
    "RecipientLastName": "contact",
    "RecipientFirstName": "contact",
    "RecipientEmail": "contact",
    "ExternalReference": "external_id",
    "LocationLatitude": "location",
    "LocationLongitude": "location",
    "DistributionChannel": "source",
    "UserLanguage": "language",
}


def import_id(cell: object) -> str | None:
    """The ImportId of a third-row cell, or None.

    Examples
    --------
    >>> import_id('{"ImportId":"QID2_1"}')
    'QID2_1'
    >>> import_id("5") is None
    True
    """
    if not isinstance(cell, str) or "ImportId" not in cell:
        return None
    try:
        value = json.loads(cell)
    except json.JSONDecodeError:
        return None
    return value.get("ImportId") if isinstance(value, dict) else None


def is_qualtrics(data: pd.DataFrame) -> bool:
    """Whether a frame read with row 1 as header is a Qualtrics export (ImportId row present)."""
    return any(import_id(v) for row in data.head(2).itertuples(index=False) for v in row)


def read_qualtrics(path: str | Path, *, sheet: str | int = 0) -> RawSurvey:
    """Read a Qualtrics export (CSV or xlsx, "Use choice text" or numeric values).

    Raises
    ------
    InputError
        If the ImportId row is missing or no data rows follow the header rows.

    Examples
    --------
    >>> import tempfile, os
    >>> text = ('ResponseId,Duration (in seconds),Q1\\n'
    ...         'Response ID,Duration (in seconds),I value this community\\n'
    ...         '"{""ImportId"":""_recordId""}","{""ImportId"":""duration""}","{""ImportId"":""QID1""}"\\n'
    ...         'R_1,300,5\\n')
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
    ...     _ = f.write(text)
    >>> raw = read_qualtrics(f.name)
    >>> raw.questions["Q1"], raw.data["Q1"].tolist(), raw.data["Duration (in seconds)"].tolist()
    ('I value this community', [5], [300.0])
    >>> os.remove(f.name)
    """
    return qualtrics_from_raw(read_file(path, sheet=sheet, na_values=[""]))


def qualtrics_from_raw(raw: RawSurvey) -> RawSurvey:
    """Interpret a file already read by :func:`~sqresearch.io.tables.read_file` as a Qualtrics export."""
    data = raw.data
    data.columns = [str(c) for c in data.columns]
    rows = [list(r) for r in data.head(2).itertuples(index=False)]
    if len(rows) >= 2 and any(import_id(v) for v in rows[1]):
        wording, skip = rows[0], 2
    elif rows and any(import_id(v) for v in rows[0]):
        wording, skip = [None] * data.shape[1], 1
    else:
        raise InputError(
            "not a Qualtrics export (no ImportId header row)",
            file=raw.path,
            hint="export with 'Use numeric values' or 'Use choice text' and keep the header rows",
        )
    data = data.iloc[skip:].reset_index(drop=True)
    if data.empty:
        raise InputError("has the Qualtrics header rows but no responses", file=raw.path)
    data = data.apply(_numeric_if_possible)
    roles = {c: QUALTRICS_COLUMNS[c] for c in data.columns if c in QUALTRICS_COLUMNS}
    id_col = next((c for c, r in roles.items() if r == "id"), None)
    duration = next((c for c, r in roles.items() if r == "duration"), None)
    if duration is not None:
        data[duration] = durations(data, duration, id_col, raw.path)
    raw.data = data
    raw.platform = "qualtrics"
    raw.roles = roles
    raw.questions = {
        c: str(w)
        for c, w in zip(data.columns, wording, strict=True)
        if c not in roles and isinstance(w, str) and w
    }
    return raw


def _numeric_if_possible(column: pd.Series) -> pd.Series:
    """A column as numbers when every non-missing cell is a number, else unchanged."""
    if pd.api.types.is_numeric_dtype(column):
        return column
    converted = pd.to_numeric(column, errors="coerce")
    if converted.notna().sum() == column.notna().sum():
        return _tidy_numbers(converted)
    return column


def _tidy_numbers(values: pd.Series) -> pd.Series:
    whole = values.dropna()
    if len(whole) and (whole == whole.round()).all() and values.notna().all():
        return values.astype("int64")
    return values.astype(float)
