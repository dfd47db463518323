"""Selecting item columns for a measurement analysis, and reverse-keying them.

Every analysis of this stage starts here: the named columns must exist and be
numeric, and (unless said otherwise) rows with a missing answer on any of them
are dropped -- listwise deletion within the items analysed, as SPSS and
psych::alpha on complete cases do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from sqresearch.errors import InputError
from sqresearch.io.values import row_label, to_numbers


def select_items(
    data: pd.DataFrame,
    items: Sequence[str] | None = None,
    *,
    listwise: bool = True,
    min_rows: int = 3,
) -> pd.DataFrame:
    """The item columns as floats, complete rows only (listwise deletion).

    Parameters
    ----------
    data : DataFrame
        Respondents in rows.
    items : sequence of str, optional
        Column names; all columns when omitted.
    listwise : bool
        Drop rows with any missing value among ``items`` (default).
    min_rows : int
        Fewer usable rows than this raise :class:`InputError`.

    Returns
    -------
    DataFrame
        ``data[items]`` as float64.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, None, 4], "b": [2, 3, 4, 5], "c": list("xyzw")})
    >>> select_items(df, ["a", "b"]).shape
    (3, 2)
    """
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"expected a DataFrame of item responses, got {type(data).__name__}")
    items = list(data.columns) if items is None else list(items)
    if not items:
        raise InputError("no items given", hint="name the item columns to analyse")
    missing = [c for c in items if c not in data.columns]
    if missing:
        raise InputError(
            "item not found in the data",
            column=missing[0],
            hint=f"available columns: {', '.join(map(str, data.columns[:30]))}",
        )
    dupes = [c for c in items if items.count(c) > 1]
    if dupes:
        raise InputError("item listed twice", column=dupes[0])
    out = {}
    for col in items:
        out[col] = to_numbers(
            data[col], hint="recode text answers to numbers first (e.g. with the codebook)"
        )
    frame = pd.DataFrame(out, index=data.index)
    if listwise:
        frame = frame.dropna()
    if len(frame) < min_rows:
        raise InputError(
            f"only {len(frame)} complete rows for items {', '.join(map(str, items))}; "
            f"at least {min_rows} are needed"
        )
    return frame


def reverse_code(
    frame: pd.DataFrame,
    reverse: Iterable[str] = (),
    scale_points: int | None = None,
) -> pd.DataFrame:
    """Recode reverse-keyed items: ``points + 1 - x`` on a 1..points scale.

    Parameters
    ----------
    frame : DataFrame
        Item responses (numeric).
    reverse : iterable of str
        Reverse-keyed items. Names that are not columns of ``frame`` are
        skipped, so one list can serve several scales (callers check for
        typos with :func:`unknown_reverse`).
    scale_points : int, optional
        Number of answer categories (5 for a 1-5 scale). When omitted, the
        observed minimum plus maximum over ``frame`` is used (``min + max -
        x``, as psych's ``reverse.code`` does); reliability and correlations
        are the same either way, only item means differ.

    Returns
    -------
    DataFrame
        A copy with the reverse-keyed columns recoded.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2, 5], "b": [5.0, 4, 1]})
    >>> reverse_code(df, ["b"], scale_points=5)["b"].tolist()
    [1.0, 2.0, 5.0]
    """
    reverse = [c for c in reverse if c in frame.columns]
    if not reverse:
        return frame
    out = frame.copy()
    if scale_points is None:
        pivot = float(np.nanmin(frame.to_numpy()) + np.nanmax(frame.to_numpy()))
    else:
        pivot = float(scale_points) + 1.0
        check_answer_range(frame[reverse], scale_points)
    for col in reverse:
        out[col] = pivot - frame[col]
    return out


def check_answer_range(frame: pd.DataFrame, points: int, *, whole: bool = False) -> None:
    """Raise :class:`InputError` at the first answer outside 1..points.

    Parameters
    ----------
    frame : DataFrame
        Numeric answers; missing values are allowed.
    points : int
        Number of answer categories.
    whole : bool
        Also require whole numbers (category codes).

    Examples
    --------
    >>> check_answer_range(pd.DataFrame({"q": [1.0, 5.0, None]}), 5)
    >>> check_answer_range(pd.DataFrame({"q": [1.0, 6.0]}), 5)
    Traceback (most recent call last):
    ...
    sqresearch.errors.InputError: column 'q', row 2, value 6.0: answer outside the 1-5 scale (check the number of answer categories)
    """
    x = frame.to_numpy(dtype=float)
    bad = (x < 1) | (x > points)
    if whole:
        bad |= ~np.isnan(x) & (x != np.round(x))
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise InputError(
            f"answer outside the 1-{points} scale",
            column=frame.columns[j],
            row=row_label(frame.index, frame.index[i]),
            value=frame.iat[i, j],
            hint="check the number of answer categories",
        )


def unknown_reverse(reverse: Iterable[str], items: Iterable[str]) -> list[str]:
    """Reverse-keyed names that are not among ``items`` (to report typos).

    Examples
    --------
    >>> unknown_reverse(["A1", "Z9"], ["A1", "A2"])
    ['Z9']
    """
    items = set(items)
    return [c for c in reverse if c not in items]
