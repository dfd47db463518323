"""Item descriptives as SPSS prints them, and the distribution over Likert categories.

Each item uses its own answered cases (SPSS DESCRIPTIVES' default, missing
values excluded variable by variable).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from sqresearch.errors import InputError
from sqresearch.io.values import row_label
from sqresearch.measure.items import check_answer_range, select_items


def _moments(x: np.ndarray) -> dict[str, float]:
    n = len(x)
    out = {"n": n, "mean": np.nan, "sd": np.nan, "min": np.nan, "max": np.nan}
    out |= {"skewness": np.nan, "se_skewness": np.nan, "kurtosis": np.nan, "se_kurtosis": np.nan}
    if n == 0:
        return out
    mean = x.mean()
    out |= {"mean": mean, "min": x.min(), "max": x.max()}
    if n < 2:
        return out
    sd = x.std(ddof=1)
    out["sd"] = sd
    z = (x - mean) / sd if sd > 0 else np.full(n, np.nan)
    if n >= 3:
        out["skewness"] = n / ((n - 1) * (n - 2)) * (z**3).sum()
        out["se_skewness"] = np.sqrt(6.0 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3)))
    if n >= 4:
        out["kurtosis"] = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * (z**4).sum() - 3.0 * (
            n - 1
        ) ** 2 / ((n - 2) * (n - 3))
        out["se_kurtosis"] = np.sqrt(
            4.0 * (n**2 - 1) * out["se_skewness"] ** 2 / ((n - 3) * (n + 5))
        )
    return out


def item_descriptives(data: pd.DataFrame, items: Sequence[str] | None = None) -> pd.DataFrame:
    """N, mean, SD, min, max, skewness and kurtosis with standard errors, per item.

    Parameters
    ----------
    data : DataFrame
        Item responses.
    items : sequence of str, optional
        Items to describe (default: all columns).

    Returns
    -------
    DataFrame
        Indexed by item: ``n``, ``mean``, ``sd``, ``min``, ``max``,
        ``skewness``, ``se_skewness``, ``kurtosis``, ``se_kurtosis``.

    Notes
    -----
    SPSS's bias-corrected estimators, with z = (x - mean)/sd (n - 1 divisor):
    skewness G1 = n/((n-1)(n-2)) Σz³, SE = √(6n(n-1)/((n-2)(n+1)(n+3)));
    excess kurtosis G2 = n(n+1)/((n-1)(n-2)(n-3)) Σz⁴ - 3(n-1)²/((n-2)(n-3)),
    SE = √(4(n²-1)SE_skew²/((n-3)(n+5))). They equal
    ``scipy.stats.skew(x, bias=False)`` and ``kurtosis(x, bias=False)``.
    Kline (2016) treats ``|skewness|`` < 3 and ``|kurtosis|`` < 10 as acceptable
    (``thresholds``: skew_abs, kurtosis_abs).

    Examples
    --------
    >>> df = pd.DataFrame({"q1": [1, 2, 2, 3, 5], "q2": [4, 4, 5, 5, None]})
    >>> # In SPSS: DESCRIPTIVES q1 q2 /STATISTICS=MEAN STDDEV SKEWNESS KURTOSIS
    >>> item_descriptives(df)[["n", "mean", "skewness"]].round(4).to_dict("index")
    {'q1': {'n': 5, 'mean': 2.6, 'skewness': 1.1181}, 'q2': {'n': 4, 'mean': 4.5, 'skewness': 0.0}}
    """
    frame = select_items(data, items, listwise=False, min_rows=0)
    rows = {c: _moments(frame[c].dropna().to_numpy()) for c in frame.columns}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["n"] = out["n"].astype(int)
    out.index.name = "item"
    return out


def likert_distribution(
    data: pd.DataFrame,
    items: Sequence[str] | None = None,
    *,
    points: int | None = None,
    percent: bool = False,
) -> pd.DataFrame:
    """How many respondents chose each answer category, per item.

    Parameters
    ----------
    data : DataFrame
        Item responses coded 1..points.
    items : sequence of str, optional
        Items to tabulate (default: all columns).
    points : int, optional
        Number of categories; columns 1..points are shown even when a
        category was never chosen. Default: the categories observed.
    percent : bool
        Shares of the item's valid answers (0-1) instead of counts.

    Returns
    -------
    DataFrame
        Items × categories, plus ``n`` (valid answers) and ``missing``.

    Examples
    --------
    >>> df = pd.DataFrame({"q1": [1, 2, 2, 5, None], "q2": [4, 4, 5, 5, 5]})
    >>> likert_distribution(df, points=5).to_dict("index")["q1"]
    {1: 1, 2: 2, 3: 0, 4: 0, 5: 1, 'n': 4, 'missing': 1}
    """
    frame = select_items(data, items, listwise=False, min_rows=0)
    if points is None:
        observed = frame.to_numpy().ravel()
        categories = sorted(float(v) for v in np.unique(observed[~np.isnan(observed)]))
    else:
        categories = [float(c) for c in range(1, points + 1)]
        check_answer_range(frame, points, whole=True)
    counts = pd.DataFrame(
        {c: [int((frame[i] == c).sum()) for i in frame.columns] for c in categories},
        index=pd.Index(frame.columns, name="item"),
    )
    counts.columns = [int(c) if float(c).is_integer() else c for c in categories]
    valid = frame.notna().sum()
    if percent:
        counts = counts.div(valid.replace(0, np.nan), axis=0)
    counts["n"] = valid.astype(int)
    counts["missing"] = frame.isna().sum().astype(int)
    return counts


def _code(value: Hashable) -> Hashable:
    """A category code as printed: whole-number floats become ints (1.0 → 1)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return int(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _sorted_codes(codes: list[Hashable]) -> list[Hashable]:
    try:
        return sorted(codes)
    except TypeError:  # numbers and text mixed in one column: order by text
        return sorted(codes, key=str)


def frequencies(
    data: pd.DataFrame,
    columns: str | Sequence[str],
    labels: Mapping[str, Mapping[Hashable, str]] | None = None,
    order: Mapping[str, Sequence[Hashable]] | None = None,
) -> pd.DataFrame:
    """Frequency table of categorical answers, one block of rows per variable (SPSS FREQUENCIES).

    Parameters
    ----------
    data : DataFrame
        Respondents in rows; missing answers are NaN.
    columns : str or sequence of str
        Variables to tabulate, in the order of the result.
    labels : mapping, optional
        ``{column: {code: label}}``, e.g. the catalogue's
        ``load_catalogue().demographics["GENDER"].labels("zh")``.
    order : mapping, optional
        ``{column: [code, ...]}``: list exactly these categories in this
        order, including those nobody chose (n = 0).  An answer outside the
        list raises :class:`~sqresearch.errors.InputError`.  Columns not in
        ``order`` list the codes that occur, ascending.

    Returns
    -------
    DataFrame
        One row per variable and category: ``variable``, ``category`` (the
        code; whole numbers as int), ``label`` (NaN when none is given),
        ``n``, ``percent`` and ``cum_percent`` (of the valid answers, 0–100),
        and ``valid`` and ``missing`` (the variable's numbers of answered and
        unanswered rows, repeated on each of its rows).  The first four of
        ``variable, category, n, percent`` are what
        :func:`sqresearch.report.sample.demographics_table` takes.

    Notes
    -----
    SPSS's ``FREQUENCIES`` prints, per variable, a *Statistics* table with
    N Valid and N Missing (``valid``, ``missing`` here) and a frequency table
    with Frequency (``n``), Percent (of all rows, = 100·n/(valid + missing),
    not a column here), Valid Percent (``percent`` = 100·n/valid) and
    Cumulative Percent (``cum_percent``, running sum of Valid Percent).
    SPSS adds a "Missing System" row; here missing answers are only counted
    in ``missing``.  Unlike SPSS, no value is user-missing: recode such codes
    to NaN first.  A variable with no valid answer and no ``order`` has no
    rows; with ``order`` its percentages are NaN.

    Examples
    --------
    >>> d = pd.DataFrame({"GENDER": [1, 2, 2, None, 2], "EDU": [3, 4, 3, 3, 1]})
    >>> # In SPSS: FREQUENCIES VARIABLES=GENDER EDU.
    >>> frequencies(d, ["GENDER", "EDU"], labels={"GENDER": {1: "男", 2: "女"}})
      variable  category label  n  percent  cum_percent  valid  missing
    0   GENDER         1     男  1     25.0         25.0      4        1
    1   GENDER         2     女  3     75.0        100.0      4        1
    2      EDU         1   NaN  1     20.0         20.0      5        0
    3      EDU         3   NaN  3     60.0         80.0      5        0
    4      EDU         4   NaN  1     20.0        100.0      5        0
    """
    columns = [columns] if isinstance(columns, str) else list(columns)
    labels, order = labels or {}, order or {}
    blocks = []
    for column in columns:
        if column not in data.columns:
            raise InputError("no such column to tabulate", column=column)
        answers = data[column].dropna().map(_code)
        counts = answers.value_counts(sort=False)
        if column in order:
            categories = [_code(c) for c in order[column]]
            outside = answers[~answers.isin(categories)]
            if len(outside):
                raise InputError(
                    "answer not among the listed categories",
                    column=column,
                    row=row_label(answers.index, outside.index[0]),
                    value=outside.iloc[0],
                    hint=f"order lists {categories}",
                )
        else:
            categories = _sorted_codes(list(counts.index))
        n = np.array([int(counts.get(c, 0)) for c in categories], dtype=int)
        valid = len(answers)
        percent = 100 * n / valid if valid else np.full(len(n), np.nan)
        names = labels.get(column, {})
        blocks.append(
            pd.DataFrame(
                {
                    "variable": column,
                    "category": pd.Series(categories, dtype=object),
                    "label": [names.get(c, np.nan) for c in categories],
                    "n": n,
                    "percent": percent,
                    "cum_percent": np.cumsum(percent),
                    "valid": valid,
                    "missing": len(data) - valid,
                }
            )
        )
    out = pd.concat(blocks, ignore_index=True)
    out["category"] = out["category"].infer_objects()  # int codes stay int64
    return out.astype({"n": int, "valid": int, "missing": int})
