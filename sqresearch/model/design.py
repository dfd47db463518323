"""The analysed data of a regression model: column checks, listwise deletion,
dummy coding and product terms.

Every regression-type analysis (correlations, hierarchical OLS, PROCESS
models) starts here, so that a missing or non-numeric column is reported the
same way everywhere: an :class:`~sqresearch.errors.InputError` naming the
column, the first offending row and its value.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from sqresearch.errors import InputError
from sqresearch.io.values import to_numbers


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
        A column is missing, or holds a value that is not a number, a
        true/false or an infinity (the first such row and value are named;
        see :func:`sqresearch.io.values.to_numbers`).

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
        out[column] = to_numbers(raw)
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


class DegenerateDataWarning(UserWarning):
    """A variable is nearly constant, or the data barely support the model."""


def check_variation(frame: pd.DataFrame, role: dict[Hashable, str] | None = None) -> list[str]:
    """Refuse constant columns; return warnings for near-constant ones.

    A column with one distinct value has no variance, so no effect of or on
    it can be estimated: :class:`~sqresearch.errors.ModelError`.  A column is
    near-constant when its most frequent value is more than
    ``threshold("nzv_freq_ratio")`` times as frequent as the second and its
    distinct values are at most ``threshold("nzv_unique_pct")`` % of the rows
    (Kuhn, 2008, ``caret::nearZeroVar``); its estimates then rest on a few
    respondents, which the returned (and warned) texts say.

    Parameters
    ----------
    frame : DataFrame
        The analysed rows (numeric, no missing values).
    role : dict, optional
        Column -> its role in the model ("X", "W", ...), named in the messages.

    Returns
    -------
    list of str
        One warning text per near-constant column.

    References
    ----------
    Kuhn, M. (2008). Building predictive models in R using the caret package.
    *Journal of Statistical Software, 28*(5), 1–26.

    Examples
    --------
    >>> check_variation(pd.DataFrame({"X": [1.0, 2, 3], "W": [2.0, 2, 2]}), {"W": "W"})
    Traceback (most recent call last):
    ...
    sqresearch.errors.ModelError: W (column 'W') is constant (every analysed row has 2): it has no variance, so the model cannot be estimated; check the column and the rows kept
    >>> check_variation(pd.DataFrame({"X": [1.0] * 97 + [2, 3, 4]}))
    ['column X is nearly constant (97 of 100 rows have 1): its estimates rest on 3 respondents']
    """
    from sqresearch.errors import ModelError
    from sqresearch.thresholds import threshold

    role = role or {}
    notes = []
    for column in frame.columns:
        counts = frame[column].value_counts()
        name = f"{role[column]} (column {column!r})" if column in role else f"column {column}"
        value = _level_text(counts.index[0]) if len(counts) else None
        if len(counts) < 2:
            raise ModelError(
                f"{name} is constant (every analysed row has {value}): it has no variance, so the "
                "model cannot be estimated; check the column and the rows kept"
            )
        ratio = counts.iloc[0] / counts.iloc[1]
        unique_pct = 100.0 * len(counts) / len(frame)
        if ratio > threshold("nzv_freq_ratio") and unique_pct <= threshold("nzv_unique_pct"):
            text = (
                f"{name} is nearly constant ({counts.iloc[0]} of {len(frame)} rows have {value}): "
                f"its estimates rest on {len(frame) - counts.iloc[0]} respondents"
            )
            warnings.warn(text, DegenerateDataWarning, stacklevel=3)
            notes.append(text)
    return notes


def check_rank(design: pd.DataFrame, what: str = "the model", others: str = "predictors") -> None:
    """Refuse a design matrix whose columns are linearly dependent (perfect collinearity).

    The message names a column that is an exact combination of the others
    (the last one found by a pivoted QR), so the user knows what to drop.

    Examples
    --------
    >>> z = pd.DataFrame({"const": 1.0, "X": [1.0, 2, 3, 4], "X2": [2.0, 4, 6, 8]})
    >>> check_rank(z, "the equation of Y")
    Traceback (most recent call last):
    ...
    sqresearch.errors.ModelError: the equation of Y: 'X2' is an exact linear combination of the other predictors (perfect collinearity); drop one of them
    """
    from scipy.linalg import qr

    from sqresearch.errors import ModelError

    x = design.to_numpy(dtype=float)
    scale = np.abs(x).max(axis=0)
    scale[scale == 0] = 1.0
    _, r, pivots = qr(x / scale, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    tol = diag.max() * max(x.shape) * np.finfo(float).eps * 1e3 if diag.size else 0.0
    rank = int((diag > tol).sum())
    if rank < x.shape[1]:
        column = design.columns[pivots[rank]]
        raise ModelError(
            f"{what}: {str(column)!r} is an exact linear combination of the other {others} "
            "(perfect collinearity); drop one of them"
        )
