"""Values as read: how rows are named in messages, and which cells are numbers.

One convention for rows in every message: the respondent id (a column such
as 序号 or ID) when the data have one, otherwise the 1-based data row (the
header is not counted).  :func:`label_rows` indexes a table that way, so any
later message that quotes an index label follows it.

:func:`to_numbers` is the one check of a numeric column: text, booleans
(TRUE/FALSE, which pandas would turn into 1/0) and infinities are refused
with the column, row and value.
"""

from __future__ import annotations

import re
from collections.abc import Hashable

import numpy as np
import pandas as pd

from sqresearch.errors import InputError

#: Headers of a respondent-id column (compared without case and spaces).
ID_COLUMNS = (
    "序号",
    "编号",
    "答卷编号",
    "答题序号",
    "id",
    "respondentid",
    "responseid",
    "respondent",
)


def id_column(data: pd.DataFrame) -> Hashable | None:
    """The respondent-id column of ``data``: a known id header whose values are unique and present.

    Examples
    --------
    >>> id_column(pd.DataFrame({"序号": [3, 1, 2], "A1": [1, 2, 3]}))
    '序号'
    >>> id_column(pd.DataFrame({"ID": [1, 1], "A1": [1, 2]})) is None   # not unique
    True
    """
    for column in data.columns:
        if str(column).replace(" ", "").replace("_", "").lower() in ID_COLUMNS:
            values = data[column]
            if isinstance(values, pd.Series) and values.notna().all() and values.is_unique:
                return column
    return None


def label_rows(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` indexed by respondent id if it has one, else by 1-based data row.

    Examples
    --------
    >>> label_rows(pd.DataFrame({"A1": [4, 5]})).index.tolist()
    [1, 2]
    >>> label_rows(pd.DataFrame({"序号": [101, 102], "A1": [4, 5]})).index.tolist()
    [101, 102]
    """
    column = id_column(data)
    index = (
        pd.Index(data[column].to_numpy(), name=column)
        if column is not None
        else pd.RangeIndex(1, len(data) + 1, name="row")
    )
    out = data.copy()
    out.index = index
    return out


def row_label(index: pd.Index, label: Hashable) -> Hashable:
    """How a message names the row ``label`` of ``index``.

    An index set by :func:`label_rows` (named after the id column, or
    "row") or by the user (any named index) is shown as is; pandas' default
    unnamed 0-based integer index is shown 1-based, the data row a person counts.

    Examples
    --------
    >>> row_label(pd.RangeIndex(5), 0), row_label(pd.Index([1001, 1002], name="序号"), 1002)
    (1, 1002)
    """
    if index.name is None and pd.api.types.is_integer_dtype(index.dtype):
        return int(label) + 1
    return label


def to_numbers(
    values: pd.Series, *, hint: str = "recode text answers to numbers first"
) -> pd.Series:
    """A column as float64; text, booleans and infinities raise :class:`InputError`.

    Missing cells stay missing.  The row is named by :func:`row_label`.

    Examples
    --------
    >>> to_numbers(pd.Series([1, None, 3], name="A1")).tolist()
    [1.0, nan, 3.0]
    >>> to_numbers(pd.Series([True, False], name="A1"))
    Traceback (most recent call last):
    ...
    sqresearch.errors.InputError: column 'A1', row 1, value True: true/false is not an answer code (recode it to numbers)
    >>> to_numbers(pd.Series([1.0, float("inf")], index=pd.Index([1, 2], name="row"), name="A1"))
    Traceback (most recent call last):
    ...
    sqresearch.errors.InputError: column 'A1', row 2, value inf: infinity is not an answer (recode text answers to numbers first)
    """
    column = values.name
    is_bool = values.map(lambda v: isinstance(v, (bool, np.bool_)))
    if is_bool.any():
        row = is_bool.idxmax()
        raise InputError(
            "true/false is not an answer code",
            column=column,
            row=row_label(values.index, row),
            value=bool(values[row]),
            hint="recode it to numbers",
        )
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna()
    if bad.any():
        row = bad.idxmax()
        raise InputError(
            "not a number",
            column=column,
            row=row_label(values.index, row),
            value=values[row],
            hint=hint,
        )
    numbers = numbers.astype("float64")
    infinite = np.isinf(numbers)
    if infinite.any():
        row = infinite.idxmax()
        raise InputError(
            "infinity is not an answer",
            column=column,
            row=row,
            value=float(numbers[row]),
            hint=hint,
        )
    return numbers


#: First characters that make Excel, WPS or LibreOffice read a cell as a formula
#: (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def formula_like(value: object) -> bool:
    """Whether a text cell would be read as a formula (a plain number such as "-3" would not).

    Examples
    --------
    >>> formula_like("=HYPERLINK(\\"http://x\\")"), formula_like("@SUM(1,1)"), formula_like("-3.5")
    (True, True, False)
    >>> formula_like(-3), formula_like("好")
    (False, False)
    """
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells that a spreadsheet would run as formulas start with ``'``.

    As OWASP recommends for CSV files opened in Excel or WPS: a cell
    beginning with = + - @ (or a tab or carriage return) gets a leading
    single quote, so it shows as text and never runs.  Numbers (negative ones
    included) and other text are unchanged; so are the column names, unless
    they too look like formulas.

    References
    ----------
    OWASP Foundation. CSV Injection. https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> d = pd.DataFrame({"ID": ["=1+1", "ok"], "x": [-1.5, 2.0]})
    >>> neutralise_formulas(d).to_dict("list")
    {'ID': ["'=1+1", 'ok'], 'x': [-1.5, 2.0]}
    """
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(lambda v: f"'{v}" if formula_like(v) else v)
    out.columns = [f"'{c}" if formula_like(c) else c for c in out.columns]
    return out
