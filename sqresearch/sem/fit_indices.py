"""Fit indices with lavaan's definitions (``fitMeasures()``), from S, Σ̂ and N.

semopy reports other conventions (RMSEA with N − 1, its "GFI" is NFI, AIC on
the F_ML scale, CFI not truncated, no SRMR): everything here follows lavaan
0.6 instead, formula by formula.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special, stats


def srmr_group(
    cov: np.ndarray,
    mean: np.ndarray | None,
    sigma: np.ndarray,
    mu: np.ndarray | None,
) -> float:
    """SRMR of one group as lavaan's ``srmr`` (= ``srmr_bentler``).

    Residuals of covariances (and means, when a mean structure is fitted)
    are scaled by the *sample* standard deviations (lavaan's "cor.bentler"):
    ``(s_ij − σ_ij)/√(s_ii s_jj)``, diagonal included, and ``(x̄_i − μ_i)/√s_ii``.
    """
    sd = np.sqrt(np.diag(cov))
    resid = (cov - sigma) / np.outer(sd, sd)
    squares = resid[np.tril_indices(len(cov))] ** 2
    if mean is not None and mu is not None:
        squares = np.concatenate([squares, ((mean - mu) / sd) ** 2])
    return float(np.sqrt(np.mean(squares)))


def gfi_group(
    cov: np.ndarray,
    mean: np.ndarray | None,
    sigma: np.ndarray,
    mu: np.ndarray | None,
) -> float:
    """LISREL GFI of one group as lavaan computes it for ML.

    ``1 − (r'Wr)/(s'Ws)`` with ``W`` the normal-theory weight at Σ̂: for the
    covariances ``½tr((SΣ̂⁻¹ − I)²)/½tr((SΣ̂⁻¹)²)``; means add their block.
    """
    inv = np.linalg.inv(sigma)
    a = (cov - sigma) @ inv
    b = cov @ inv
    t1 = 0.5 * np.trace(a @ a)
    t2 = 0.5 * np.trace(b @ b)
    if mean is not None and mu is not None:
        d = mean - mu
        t1 += d @ inv @ d
        t2 += mean @ inv @ mean
    return float(1 - t1 / t2)


def rmsea(chisq: float, df: float, n: int, n_groups: int = 1) -> float:
    """RMSEA = √(max(χ²/N/df − 1/N, 0)) · √G (lavaan divides by N, semopy by N − 1)."""
    if df <= 0:
        return 0.0
    return float(np.sqrt(max(chisq / n / df - 1 / n, 0.0)) * np.sqrt(n_groups))


def rmsea_interval(
    chisq: float, df: float, n: int, n_groups: int = 1, level: float = 0.90
) -> tuple[float, float]:
    """90% confidence interval of RMSEA from the noncentral χ² (lavaan's uniroot)."""
    if df < 1:
        return 0.0, 0.0
    upper_p, lower_p = 1 - (1 - level) / 2, (1 - level) / 2

    def cdf(ncp: float) -> float:  # noncentral χ² CDF, the ufunc (scipy.stats adds overhead)
        return float(special.chdtr(df, chisq) if ncp == 0 else special.chndtr(chisq, df, ncp))

    scale = np.sqrt(n_groups)
    if cdf(0.0) - upper_p < 0:
        lower = 0.0
    else:
        lam = optimize.brentq(lambda x: cdf(x) - upper_p, 0.0, chisq, xtol=1e-12)
        lower = float(np.sqrt(lam / (n * df)) * scale)
    n_rmsea = max(n, chisq * 4)
    if cdf(n_rmsea) - lower_p > 0 or cdf(0.0) - lower_p < 0:
        upper = 0.0
    else:
        lam = optimize.brentq(lambda x: cdf(x) - lower_p, 0.0, n_rmsea, xtol=1e-12)
        upper = float(np.sqrt(lam / (n * df)) * scale)
    return lower, upper


def rmsea_pvalue(chisq: float, df: float, n: int, n_groups: int = 1, h0: float = 0.05) -> float:
    """p-value of close fit, H0: RMSEA ≤ .05."""
    if df <= 0:
        return float("nan")
    ncp = n * df * h0**2 / n_groups
    return float(stats.ncx2.sf(chisq, df, ncp))


def _chi2_sf(x: float, df: float) -> float:
    """``stats.chi2.sf`` as the ufunc it calls (scipy.stats adds overhead); 1 for x < 0."""
    return float(special.chdtrc(df, max(x, 0.0)))


def fit_measures(
    *,
    chisq: float,
    df: int,
    baseline_chisq: float,
    baseline_df: int,
    n: int,
    n_groups: int,
    npar: int,
    loglik: float,
    srmr: float,
    gfi: float,
    n_moments: int,
) -> dict[str, float]:
    """Assemble lavaan's fit measures from the test statistics.

    Parameters
    ----------
    chisq, df : model χ² (N·F_ML, summed over groups) and degrees of freedom.
    baseline_chisq, baseline_df : the independence model's.
    n : total number of cases; n_groups : G.
    npar : number of free parameters (AIC/BIC).
    loglik : log-likelihood of the model.
    srmr, gfi : the N-weighted group values.
    n_moments : sample moments per group (AGFI's numerator), p(p+1)/2 (+ p).

    Returns
    -------
    dict
        chisq, df, pvalue, baseline_chisq, baseline_df, baseline_pvalue, cfi,
        tli, nfi, ifi, rmsea, rmsea_ci_lower, rmsea_ci_upper, rmsea_pvalue,
        srmr, gfi, agfi, chisq_df, loglik, npar, aic, bic, n.

    Notes
    -----
    CFI = 1 − max(χ² − df, 0)/max(χ² − df, χ²_b − df_b, 0), truncated to
    [0, 1] as lavaan does; TLI = (χ²_b/df_b − χ²/df)/(χ²_b/df_b − 1), not
    truncated; NFI = (χ²_b − χ²)/χ²_b; IFI = (χ²_b − χ²)/(χ²_b − df);
    AGFI = 1 − (n_moments·G/df)(1 − GFI); AIC = −2logL + 2k;
    BIC = −2logL + k·ln N.

    Examples
    --------
    >>> fm = fit_measures(chisq=85.306, df=24, baseline_chisq=918.852, baseline_df=36,
    ...                   n=301, n_groups=1, npar=21, loglik=-3737.745, srmr=0.065,
    ...                   gfi=0.943, n_moments=45)
    >>> round(fm["cfi"], 3), round(fm["tli"], 3), round(fm["rmsea"], 3)
    (0.931, 0.896, 0.092)
    """
    t1 = max(chisq - df, 0.0)
    t2 = max(chisq - df, baseline_chisq - baseline_df, 0.0)
    cfi = 1.0 if t1 == 0 and t2 == 0 else 1 - t1 / t2
    if df > 0 and baseline_df > 0:
        ratio_b = baseline_chisq / baseline_df
        tli = (ratio_b - chisq / df) / (ratio_b - 1)
    else:
        tli = 1.0
    lower, upper = rmsea_interval(chisq, df, n, n_groups)
    nel = n_moments * n_groups
    return {
        "chisq": chisq,
        "df": df,
        "pvalue": _chi2_sf(chisq, df) if df > 0 else float("nan"),
        "baseline_chisq": baseline_chisq,
        "baseline_df": baseline_df,
        "baseline_pvalue": _chi2_sf(baseline_chisq, baseline_df),
        "cfi": float(min(max(cfi, 0.0), 1.0)),
        "tli": float(tli),
        "nfi": (baseline_chisq - chisq) / baseline_chisq,
        "ifi": (baseline_chisq - chisq) / (baseline_chisq - df),
        "rmsea": rmsea(chisq, df, n, n_groups),
        "rmsea_ci_lower": lower,
        "rmsea_ci_upper": upper,
        "rmsea_pvalue": rmsea_pvalue(chisq, df, n, n_groups),
        "srmr": srmr,
        "gfi": gfi,
        "agfi": 1 - (nel / df) * (1 - gfi) if df > 0 else 1.0,
        "chisq_df": chisq / df if df > 0 else float("nan"),
        "loglik": loglik,
        "npar": npar,
        "aic": -2 * loglik + 2 * npar,
        "bic": float(-2 * loglik + npar * np.log(n)),
        "n": n,
    }
