"""Missing-data report: per item, per respondent, patterns, and Little's MCAR test.

Nothing is imputed here.  Analyses choose their own rule later (listwise
deletion for OLS by default, full-information ML for SEM).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sqresearch.errors import InputError


@dataclass
class EMEstimate:
    """ML means and covariance of incomplete multivariate-normal data (EM)."""

    mean: np.ndarray
    cov: np.ndarray
    iterations: int
    converged: bool


def em_normal(
    data: pd.DataFrame | np.ndarray, *, tol: float = 1e-10, max_iter: int = 10_000
) -> EMEstimate:
    """Maximum-likelihood mean and covariance with missing values, by EM.

    The EM algorithm for the multivariate normal (Dempster, Laird & Rubin,
    1977; Little & Rubin, 2002, §11.2), as R's ``norm::em.norm``; the
    covariance has divisor n.  Rows with every value missing are ignored.

    Parameters
    ----------
    data : DataFrame or ndarray
        Rows = cases, NaN = missing.
    tol : float
        Stop when no mean or covariance element changes by more than this.
    max_iter : int

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 4.0], [4.0, 3.0]])
    >>> est = em_normal(x)
    >>> est.mean.round(4).tolist()
    [2.5, 2.9286]
    """
    x = np.asarray(data, dtype=float)
    x = x[~np.isnan(x).all(axis=1)]
    n, p = x.shape
    if n < 2:
        raise InputError("too few cases with data to estimate means and covariances")
    miss = np.isnan(x)
    patterns, inverse = np.unique(miss, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    try:
        return _em(x, miss, patterns, inverse, tol, max_iter)
    except np.linalg.LinAlgError:
        raise InputError(
            "covariance matrix is singular: means and covariances cannot be estimated",
            hint="too few complete answers, or one variable is a copy of another",
        ) from None


def _em(x, miss, patterns, inverse, tol, max_iter) -> EMEstimate:
    n, p = x.shape
    mean = np.nanmean(x, axis=0)
    cov = np.diag(np.nanvar(x, axis=0))
    converged = False
    for iteration in range(1, max_iter + 1):  # noqa: B007 - returned below
        t1 = np.zeros(p)
        t2 = np.zeros((p, p))
        for k, pattern in enumerate(patterns):
            rows = x[inverse == k]
            obs, mis = ~pattern, pattern
            filled = rows.copy()
            if mis.any():
                if obs.any():
                    coef = np.linalg.solve(cov[np.ix_(obs, obs)], cov[np.ix_(obs, mis)]).T
                    filled[:, mis] = mean[mis] + (rows[:, obs] - mean[obs]) @ coef.T
                    residual = cov[np.ix_(mis, mis)] - coef @ cov[np.ix_(obs, mis)]
                else:
                    filled[:, mis] = mean[mis]
                    residual = cov[np.ix_(mis, mis)]
                t2[np.ix_(mis, mis)] += len(rows) * residual
            t1 += filled.sum(axis=0)
            t2 += filled.T @ filled
        new_mean = t1 / n
        new_cov = t2 / n - np.outer(new_mean, new_mean)
        change = max(np.abs(new_mean - mean).max(), np.abs(new_cov - cov).max())
        mean, cov = new_mean, new_cov
        if change < tol:
            converged = True
            break
    return EMEstimate(mean, cov, iteration, converged)


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
    miss = np.isnan(x)
    patterns, inverse = np.unique(miss, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    if len(patterns) == 1:
        return {"statistic": 0.0, "df": 0, "pvalue": float("nan"), "patterns": 1}
    est = em_normal(x)
    d2, df = 0.0, 0
    if np.linalg.matrix_rank(est.cov) < p:
        raise InputError("covariance matrix is singular: Little's test cannot be computed")
    for k, pattern in enumerate(patterns):
        obs = ~pattern
        if not obs.any():
            continue
        rows = x[inverse == k][:, obs]
        diff = rows.mean(axis=0) - est.mean[obs]
        d2 += len(rows) * float(diff @ np.linalg.solve(est.cov[np.ix_(obs, obs)], diff))
        df += int(obs.sum())
    df -= p
    return {
        "statistic": d2,
        "df": df,
        "pvalue": float(stats.chi2.sf(d2, df)) if df > 0 else float("nan"),
        "patterns": len(patterns),
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
