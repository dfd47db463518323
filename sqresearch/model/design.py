"""The analysed data of a regression model: column checks, listwise deletion,
dummy coding and product terms.

Every regression-type analysis (correlations, hierarchical OLS, PROCESS
models) starts here, so that a missing or non-numeric column is reported the
same way everywhere: an :class:`~sqresearch.errors.InputError` naming the
column, the first offending row and its value.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from sqresearch.errors import InputError


def require_columns(data: pd.DataFrame, columns: Sequence[Hashable]) -> None:
    """Raise :class:`InputError` naming the first of ``columns`` not in ``data``.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"])
    Traceback (most recent call last):
    ...
    sqresearch.errors.InputError: column 'b': no such column (columns are: a)
    """
    for column in columns:
        if column not in data.columns:
            shown = ", ".join(map(str, data.columns[:20]))
            more = ", ..." if len(data.columns) > 20 else ""
            raise InputError("no such column", column=column, hint=f"columns are: {shown}{more}")


def numeric_frame(
    data: pd.DataFrame, columns: Sequence[Hashable], *, missing: str = "listwise"
) -> pd.DataFrame:
    """The columns as float64, checked; rows with a missing value dropped if listwise.

    Parameters
    ----------
    data : DataFrame
    columns : sequence of column names
        Duplicates are kept once, in first-appearance order.
    missing : {"listwise", "pairwise"}
        ``"listwise"`` drops every row with a missing value in any of the
        columns; ``"pairwise"`` keeps them (NaN).

    Returns
    -------
    DataFrame
        The original index is kept, so that rows can be traced back.

    Raises
    ------
    InputError
        A column is missing, or holds a value that is not a number (the first
        such row and value are named).

    Examples
    --------
    >>> numeric_frame(pd.DataFrame({"a": [1, None, 3], "b": [4, 5, 6]}), ["a", "b"])
         a    b
    0  1.0  4.0
    2  3.0  6.0
    """
    columns = list(dict.fromkeys(columns))
    require_columns(data, columns)
    out = {}
    for column in columns:
        raw = data[column]
        if isinstance(raw, pd.DataFrame):
            raise InputError("column name appears twice in the data", column=column)
        values = pd.to_numeric(raw, errors="coerce")
        bad = values.isna() & raw.notna()
        if bad.any():
            row = bad[bad].index[0]
            raise InputError(
                "not a number",
                column=column,
                row=row,
                value=raw[row],
                hint="recode text answers to numbers first",
            )
        out[column] = values.astype(float)
    frame = pd.DataFrame(out, index=data.index)
    if missing == "listwise":
        frame = frame.dropna()
    elif missing != "pairwise":
        raise ValueError(f"missing must be 'listwise' or 'pairwise', not {missing!r}")
    return frame


def product_name(*columns: Hashable) -> str:
    """Name of a product term, lavaan/R style: ``"BL:CE"``.

    Examples
    --------
    >>> product_name("BL", "CE")
    'BL:CE'
    """
    return ":".join(map(str, columns))


def dummy_code(values: pd.Series, reference: Hashable | None = None) -> pd.DataFrame:
    """Indicator (dummy) columns of a categorical variable, one per non-reference level.

    Levels are ordered as SPSS orders them (sorted values); the reference level
    defaults to the first.  Columns are named ``"name[level]"``.

    Examples
    --------
    >>> dummy_code(pd.Series([1, 2, 3, 2], name="EDU"), reference=2)
       EDU[1]  EDU[3]
    0     1.0     0.0
    1     0.0     0.0
    2     0.0     1.0
    3     0.0     0.0
    """
    levels = sorted(values.dropna().unique(), key=_level_key)
    if reference is None:
        reference = levels[0]
    if reference not in levels:
        raise InputError(
            "reference level not found",
            column=values.name,
            value=reference,
            hint=f"levels are: {', '.join(map(str, levels))}",
        )
    out = {
        f"{values.name}[{_level_text(level)}]": np.where(values.isna(), np.nan, values == level)
        for level in levels
        if level != reference
    }
    return pd.DataFrame(out, index=values.index, dtype=float)


def _level_key(level: Hashable) -> tuple[int, object]:
    return (0, float(level)) if isinstance(level, (int, float, np.number)) else (1, str(level))


def _level_text(level: Hashable) -> str:
    if isinstance(level, (float, np.floating)) and float(level).is_integer():
        return str(int(level))
    return str(level)
