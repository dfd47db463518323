"""Missing-data report: per item, per respondent, patterns, and Little's MCAR test.

Nothing is imputed here.  Analyses choose their own rule later (listwise
deletion for OLS by default, full-information ML for SEM).  The EM means and
covariance behind Little's test are the SEM engine's
(:func:`sqresearch.sem.em.em_normal`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.sem.em import em_normal, pattern_moments


def little_mcar(data: pd.DataFrame) -> dict[str, float]:
    """Little's (1988) test that data are missing completely at random.

    d² = Σⱼ nⱼ (ȳⱼ − μ̂ⱼ)ᵀ Σ̂ⱼ⁻¹ (ȳⱼ − μ̂ⱼ) over missing-data patterns j, where
    ȳⱼ is the mean of pattern j's observed variables and μ̂, Σ̂ the EM
    (ML) estimates restricted to them; df = Σⱼ pⱼ − p.  A small p rejects
    MCAR.

    Returns
    -------
    dict
        ``statistic``, ``df``, ``pvalue``, ``patterns`` (rows with every
        value missing form a pattern that adds nothing, as in naniar).

    References
    ----------
    Little, R. J. A. (1988). A test of missing completely at random for
    multivariate data with missing values. *JASA*, 83(404), 1198–1202.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = pd.DataFrame(rng.normal(size=(300, 3)))
    >>> x.loc[x[1] > 0.5, 0] = np.nan   # column 0 missing when column 1 is high (MAR)
    >>> little_mcar(x)["pvalue"] < 0.001
    True
    """
    x = np.asarray(data, dtype=float)
    p = x.shape[1]
    n_patterns = len(np.unique(np.isnan(x), axis=0))
    if n_patterns == 1:
        return {"statistic": 0.0, "df": 0, "pvalue": float("nan"), "patterns": 1}
    est = em_normal(x)
    d2, df = 0.0, 0
    if np.linalg.matrix_rank(est.cov) < p:
        raise InputError("covariance matrix is singular: Little's test cannot be computed")
    for pat in pattern_moments(x):
        obs = pat.observed
        diff = pat.mean - est.mean[obs]
        d2 += pat.n * float(diff @ np.linalg.solve(est.cov[np.ix_(obs, obs)], diff))
        df += len(obs)
    df -= p
    return {
        "statistic": d2,
        "df": df,
        "pvalue": float(stats.chi2.sf(d2, df)) if df > 0 else float("nan"),
        "patterns": n_patterns,
    }


def missing_by_item(data: pd.DataFrame) -> pd.DataFrame:
    """Per column: ``n_missing``, ``pct_missing`` (0-100).

    Examples
    --------
    >>> missing_by_item(pd.DataFrame({"a": [1, None], "b": [1, 2]}))["n_missing"].tolist()
    [1, 0]
    """
    n_missing = data.isna().sum()
    return pd.DataFrame(
        {
            "item": data.columns,
            "n_missing": n_missing.to_numpy(),
            "pct_missing": (100 * n_missing / max(len(data), 1)).to_numpy(),
        }
    )


def missing_by_respondent(data: pd.DataFrame) -> pd.DataFrame:
    """How many respondents miss how many items: ``n_items_missing``, ``n_respondents``.

    Examples
    --------
    >>> missing_by_respondent(pd.DataFrame({"a": [1, None, None], "b": [1, 2, None]})).values.tolist()
    [[0, 1], [1, 1], [2, 1]]
    """
    counts = data.isna().sum(axis=1).value_counts().sort_index()
    return pd.DataFrame(
        {"n_items_missing": counts.index.astype(int), "n_respondents": counts.to_numpy()}
    )


def missing_patterns(data: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The most frequent missing-data patterns: ``missing`` (the columns missing, "" = complete), ``n``.

    Examples
    --------
    >>> missing_patterns(pd.DataFrame({"a": [1, None, None], "b": [1, 2, 3]})).values.tolist()
    [['a', 2], ['', 1]]
    """
    names = data.isna().apply(lambda r: ",".join(c for c, m in r.items() if m), axis=1)
    counts = names.value_counts()
    table = pd.DataFrame({"missing": counts.index, "n": counts.to_numpy()})
    return (
        table.sort_values(["n", "missing"], ascending=[False, True], kind="stable")
        .head(top)
        .reset_index(drop=True)
    )


@dataclass
class MissingReport:
    """Missing-data summary of the analysed items."""

    by_item: pd.DataFrame
    by_respondent: pd.DataFrame
    patterns: pd.DataFrame
    mcar: dict[str, float]
    n: int
    complete_cases: int

    def _repr_html_(self) -> str:
        m = self.mcar
        head = f"<p>{self.complete_cases} of {self.n} respondents complete; Little's MCAR χ²({m['df']}) = {m['statistic']:.3f}, p = {m['pvalue']:.4g}</p>"
        return head + self.by_item[self.by_item["n_missing"] > 0]._repr_html_()


def missing_report(data: pd.DataFrame) -> MissingReport:
    """Item, respondent and pattern tables plus Little's MCAR test (when data are missing).

    When the test cannot be computed (a singular covariance matrix) its
    values are NaN and ``mcar["note"]`` says why.
    """
    try:
        mcar = little_mcar(data)
    except InputError as exc:
        mcar = {
            "statistic": float("nan"),
            "df": 0,
            "pvalue": float("nan"),
            "patterns": len(missing_patterns(data, top=10**6)),
            "note": str(exc),
        }
    return MissingReport(
        by_item=missing_by_item(data),
        by_respondent=missing_by_respondent(data),
        patterns=missing_patterns(data),
        mcar=mcar,
        n=len(data),
        complete_cases=int(data.notna().all(axis=1).sum()),
    )
