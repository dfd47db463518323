"""Item descriptives as SPSS prints them, and the distribution over Likert categories.

Each item uses its own answered cases (SPSS DESCRIPTIVES' default, missing
values excluded variable by variable).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

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
    Kline (2016) treats |skewness| < 3 and |kurtosis| < 10 as acceptable
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
