"""Descriptive statistics and Pearson correlations of composite scores.

The thesis correlation table: mean, SD and the lower triangle of Pearson r
with significance, optionally √AVE on the diagonal (Fornell & Larcker 1981).
Numbers only; :mod:`sqresearch.report` renders significance stars and layout.

References
----------
Fornell, C., & Larcker, D. F. (1981). Evaluating structural equation models
with unobservable variables and measurement error. Journal of Marketing
Research, 18(1), 39–50.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.model.design import numeric_frame


@dataclass
class CorrelationTable:
    """Descriptives and pairwise correlations of a set of columns.

    Attributes
    ----------
    descriptives : DataFrame
        Indexed by variable: n, mean, sd (n − 1).
    pairs : DataFrame
        Long form, one row per unordered pair in column order: var1, var2, r,
        pvalue, n (stars come from ``pvalue`` in :mod:`sqresearch.report.format`).
    missing : str
    diagonal : Series or None
        Values for the diagonal of :meth:`matrix` (e.g. √AVE).
    """

    descriptives: pd.DataFrame
    pairs: pd.DataFrame
    missing: str
    diagonal: pd.Series | None = None

    def matrix(self, value: str = "r") -> pd.DataFrame:
        """Wide lower-triangular matrix of ``value`` (see :func:`correlation_matrix`)."""
        return correlation_matrix(self.pairs, list(self.descriptives.index), self.diagonal, value)

    def to_dict(self) -> dict[str, Any]:
        """The results document the build saves: ``descriptives`` (one object per
        variable: n, mean, sd) and ``correlations`` (one object per pair)."""
        return {
            "descriptives": self.descriptives.reset_index().to_dict("records"),
            "correlations": self.pairs.to_dict("records"),
        }

    def _repr_html_(self) -> str:
        wide = pd.concat([self.descriptives[["mean", "sd"]], self.matrix()], axis=1)
        return f"<p>Pearson correlations ({self.missing})</p>" + wide.to_html(na_rep="")


def correlation_table(
    data: pd.DataFrame,
    columns: Sequence[Hashable] | None = None,
    *,
    missing: str = "pairwise",
    diagonal: pd.Series | None = None,
) -> CorrelationTable:
    """Means, SDs and Pearson correlations with p and n, pairwise or listwise.

    Parameters
    ----------
    data : DataFrame
    columns : list, optional
        Default: every column of ``data``.
    missing : {"pairwise", "listwise"}
        Pairwise uses, for each pair, the rows where both are present (SPSS's
        default), and each variable's own rows for its mean and SD; listwise
        first drops every row with a missing value.
    diagonal : Series, optional
        Indexed by column, e.g. √AVE from the measurement model, shown on the
        diagonal of :meth:`CorrelationTable.matrix`.

    Returns
    -------
    CorrelationTable

    Notes
    -----
    p is the two-sided t test of r with n − 2 df,
    t = r·√(n − 2)/√(1 − r²) (``scipy.stats.pearsonr``).

    Examples
    --------
    >>> d = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 1, 4, 3, 5], "c": [5, 3, 4, 1, 2]})
    >>> t = correlation_table(d)
    >>> t.pairs[["var1", "var2", "r", "n"]].round(3)
      var1 var2    r  n
    0    a    b  0.8  5
    1    a    c -0.8  5
    2    b    c -0.3  5
    >>> # In R: psych::corr.test(d)
    """
    columns = list(data.columns if columns is None else columns)
    if missing not in ("pairwise", "listwise"):
        raise ValueError(f"missing must be 'pairwise' or 'listwise', not {missing!r}")
    frame = numeric_frame(data, columns, missing=missing)
    if len(columns) < 2:
        raise InputError("a correlation table needs at least two columns")
    descriptives = pd.DataFrame(
        {"n": frame.notna().sum(), "mean": frame.mean(), "sd": frame.std(ddof=1)}
    )
    rows = []
    for a, b in itertools.combinations(columns, 2):
        both = frame[[a, b]].dropna()
        n = len(both)
        if n > 2 and both[a].std() > 0 and both[b].std() > 0:
            r, p = stats.pearsonr(both[a], both[b])
        else:
            r, p = np.nan, np.nan
        rows.append({"var1": a, "var2": b, "r": float(r), "pvalue": float(p), "n": n})
    if diagonal is not None:
        absent = [c for c in columns if c not in diagonal.index]
        if absent:
            raise InputError("no diagonal value for this column", column=absent[0])
    return CorrelationTable(descriptives, pd.DataFrame(rows), missing, diagonal)


def correlation_matrix(
    pairs: pd.DataFrame,
    columns: Sequence[Hashable],
    diagonal: pd.Series | None = None,
    value: str = "r",
) -> pd.DataFrame:
    """The long ``pairs`` table as a wide lower-triangular matrix.

    Parameters
    ----------
    pairs : DataFrame
        With columns var1, var2 and ``value`` (as :func:`correlation_table`).
    columns : list
        Row and column order.
    diagonal : Series, optional
        Diagonal of the r matrix (e.g. √AVE), 1.0 when not given; the
        diagonal of the other matrices is NaN.
    value : str
        ``"r"``, ``"pvalue"`` or ``"n"``.

    Examples
    --------
    >>> p = pd.DataFrame({"var1": ["a"], "var2": ["b"], "r": [0.5]})
    >>> correlation_matrix(p, ["a", "b"], diagonal=pd.Series({"a": 0.8, "b": 0.9}))
         a    b
    a  0.8  NaN
    b  0.5  0.9
    """
    columns = list(columns)
    wide = pd.DataFrame(np.nan, index=columns, columns=columns)
    for row in pairs.itertuples(index=False):
        a, b = row.var1, row.var2
        lower, upper = (a, b) if columns.index(a) < columns.index(b) else (b, a)
        wide.loc[upper, lower] = getattr(row, value)
    if value == "r":
        for c in columns:
            wide.loc[c, c] = 1.0 if diagonal is None else float(diagonal[c])
    return wide
