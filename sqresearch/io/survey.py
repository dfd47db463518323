"""Recognise the platform of a survey export and read it with the matching reader."""

from __future__ import annotations

from pathlib import Path

from sqresearch.errors import InputError
from sqresearch.io.credamo import credamo_from_raw, is_credamo
from sqresearch.io.qualtrics import is_qualtrics, qualtrics_from_raw
from sqresearch.io.tables import RawSurvey, read_file
from sqresearch.io.wjx import is_wjx, wjx_from_raw

PLATFORMS = ("auto", "wjx", "credamo", "qualtrics", "generic")


def detect_platform(raw: RawSurvey) -> str:
    """ "wjx", "qualtrics", "credamo" or "generic", from the header row (and Qualtrics' ImportId row)."""
    columns = [str(c) for c in raw.data.columns]
    if raw.file_format in ("sav", "dta"):
        return "generic"
    if is_wjx(columns):
        return "wjx"
    if is_qualtrics(raw.data):
        return "qualtrics"
    if is_credamo(columns):
        return "credamo"
    return "generic"


def read_survey(path: str | Path, *, platform: str = "auto", sheet: str | int = 0) -> RawSurvey:
    """Read a survey export from 问卷星, Credamo, Qualtrics, SPSS, Stata or a plain table.

    Parameters
    ----------
    path : str or Path
        The export; it is only read (its SHA-256 is in ``.sha256``).
    platform : {"auto", "wjx", "credamo", "qualtrics", "generic"}
        "auto" recognises the platform from the header row.
    sheet : str or int, default 0
        Worksheet of an xlsx file.

    Returns
    -------
    RawSurvey

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="gbk") as f:
    ...     _ = f.write("序号,所用时间,1、性别\\n1,60秒,男\\n")
    >>> raw = read_survey(f.name)
    >>> raw.platform, raw.encoding, raw.form
    ('wjx', 'gb18030', 'text')
    >>> os.remove(f.name)
    """
    if platform not in PLATFORMS:
        raise InputError(
            f"unknown platform {platform!r}", value=platform, hint=f"one of {', '.join(PLATFORMS)}"
        )
    raw = read_file(path, sheet=sheet, na_values=[""])
    chosen = detect_platform(raw) if platform == "auto" else platform
    readers = {"wjx": wjx_from_raw, "credamo": credamo_from_raw, "qualtrics": qualtrics_from_raw}
    if chosen in readers:
        return readers[chosen](raw)
    if raw.file_format == "csv":  # a plain table: read the usual missing-value words as missing
        return read_file(path, sheet=sheet)
    return raw
