"""Fit indices with lavaan's definitions (``fitMeasures()``), from S, Σ̂ and N.

semopy reports other conventions (RMSEA with N − 1, its "GFI" is NFI, AIC on
the F_ML scale, CFI not truncated, no SRMR): everything here follows lavaan
0.6 instead, formula by formula.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special

try:  # the ufunc behind scipy.stats.ncx2.sf: importing scipy.stats costs about a second
    from scipy.special._ufuncs import _ncx2_sf
except ImportError:  # pragma: no cover - a scipy without it
    _ncx2_sf = None

from sqresearch.sem.em import PatternBatch


def residual_rms(
    cov: np.ndarray,
    mean: np.ndarray | None,
    sigma: np.ndarray,
    mu: np.ndarray | None,
) -> dict[str, float]:
    """lavaan's root-mean-square residuals of one group (``lav_fit_srmr_lavobject``).

    ``cov``/``mean`` are the sample moments (the EM estimates under FIML),
    ``sigma``/``mu`` the implied ones; the ``_nomean`` variants leave the
    means out, the others include them when a mean structure is fitted.

    Returns
    -------
    dict
        ``rmr`` (raw residuals), ``srmr_bentler`` (residuals over the sample
        standard deviations, lavaan's ``srmr``), ``crmr`` (differences of the
        sample and implied correlations, diagonal not counted; means over the
        sample SDs) and ``srmr_mplus`` (Mplus: correlations off the diagonal,
        variances relative to the sample's, means as standardised
        differences), each also ``*_nomean``.

    Examples
    --------
    >>> s = np.array([[1.0, 0.5], [0.5, 1.0]]); sig = np.array([[1.0, 0.3], [0.3, 1.0]])
    >>> round(residual_rms(s, None, sig, None)["srmr_bentler"], 4)  # √(0.2²/3)
    0.1155
    """
    p = len(cov)
    low = np.tril_indices(p)
    sd = np.sqrt(np.diag(cov))
    sd_hat = np.sqrt(np.diag(sigma))
    raw = (cov - sigma)[low]
    bentler = ((cov - sigma) / np.outer(sd, sd))[low]
    bollen = (cov / np.outer(sd, sd) - sigma / np.outer(sd_hat, sd_hat))[low]
    off = np.tril_indices(p, -1)
    mplus = (cov / np.outer(sd, sd) - sigma / np.outer(sd_hat, sd_hat))[off]
    mplus_var = (np.diag(cov) - np.diag(sigma)) / np.diag(cov)
    pstar = p * (p + 1) // 2

    def rms(squares: float, count: int) -> float:
        return float(np.sqrt(squares / count))

    out = {
        "rmr_nomean": rms(raw @ raw, pstar),
        "srmr_bentler_nomean": rms(bentler @ bentler, pstar),
        "crmr_nomean": rms(bollen @ bollen, pstar - p),
        "srmr_mplus_nomean": rms(mplus @ mplus + mplus_var @ mplus_var, pstar),
    }
    if mean is None or mu is None:
        return out | {k.removesuffix("_nomean"): v for k, v in out.items()}
    d = mean - mu
    d_sd = d / sd
    d_mplus = mean / sd - mu / sd_hat
    return out | {
        "rmr": rms(raw @ raw + d @ d, pstar + p),
        "srmr_bentler": rms(bentler @ bentler + d_sd @ d_sd, pstar + p),
        "crmr": rms(bollen @ bollen + d_sd @ d_sd, pstar),
        "srmr_mplus": rms(mplus @ mplus + mplus_var @ mplus_var + d_mplus @ d_mplus, pstar + p),
    }


def gfi_group(
    cov: np.ndarray,
    mean: np.ndarray | None,
    sigma: np.ndarray,
    mu: np.ndarray | None,
    *,
    x_idx: list[int] | None = None,
    batches: list[PatternBatch] | None = None,
) -> float:
    """LISREL GFI of one group as lavaan computes it for ML (``lav_fit_gfi``).

    ``1 − (r'Wr)/(s'Ws)`` with ``r`` the residuals and ``s`` the sample
    moments, ``W`` lavaan's structured h1 expected information at Σ̂, μ̂:
    for complete data ``½tr((RΣ̂⁻¹)²)`` for the covariances and
    ``dᵀΣ̂⁻¹d`` for the means (when a mean structure is fitted). Under FIML
    (``batches`` given) ``W`` is the missing-data information: the average
    over cases of the same blocks with Σ̂⁻¹ replaced by the inverse of the
    observed part of Σ̂ (zero elsewhere), means always included. fixed.x
    covariates (``x_idx``) get zero weight: their covariances among
    themselves and their means leave both sums.
    """
    r = cov - sigma
    s = cov.copy()
    d = None if mean is None or mu is None else mean - mu
    m = None if d is None else mean.copy()
    if x_idx:
        block = np.ix_(x_idx, x_idx)
        r[block] = 0.0
        s[block] = 0.0
        if d is not None:
            d[x_idx] = 0.0
            m[x_idx] = 0.0
    inv = np.linalg.inv(sigma)
    if batches is None:
        a, b = r @ inv, s @ inv
        t1, t2 = 0.5 * np.trace(a @ a), 0.5 * np.trace(b @ b)
        if d is not None:
            t1 += d @ inv @ d
            t2 += m @ inv @ m
        return float(1 - t1 / t2)
    sign, logdet = np.linalg.slogdet(sigma)
    t1 = t2 = total = 0.0
    for batch in batches:
        k, _, _ = batch.inverses(inv, sign, logdet)  # (B, p, p), zero-padded
        a, b = k @ r, k @ s
        t1 += batch.n @ (0.5 * np.einsum("bij,bji->b", a, a) + np.einsum("i,bij,j->b", d, k, d))
        t2 += batch.n @ (0.5 * np.einsum("bij,bji->b", b, b) + np.einsum("i,bij,j->b", m, k, m))
        total += batch.n.sum()
    return float(1 - (t1 / total) / (t2 / total))


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
    if _ncx2_sf is None:  # pragma: no cover
        from scipy import stats

        return float(stats.ncx2.sf(chisq, df, ncp))
    return float(_ncx2_sf(chisq, df, ncp))


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
    unrestricted_loglik: float,
    residuals: dict[str, float],
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
    loglik, unrestricted_loglik : log-likelihood of the model and of the
        saturated one; with fixed.x covariates both are conditional on them
        (lavaan: the joint log-likelihood minus the covariates' own).
    residuals : the N-weighted group values of :func:`residual_rms`
        (``srmr`` is ``srmr_bentler``).
    gfi : the N-weighted group value of :func:`gfi_group`.
    n_moments : sample statistics per group (AGFI's, PGFI's numerator), all
        p(p+1)/2 (+ p means) of them, fixed.x ones included, as lavaan counts.

    Returns
    -------
    dict
        chisq, df, pvalue, baseline_chisq, baseline_df, baseline_pvalue, cfi,
        tli, nfi, ifi, rmsea, rmsea_ci_lower, rmsea_ci_upper, rmsea_pvalue,
        srmr, rmr, rmr_nomean, srmr_bentler, srmr_bentler_nomean, crmr,
        crmr_nomean, srmr_mplus, srmr_mplus_nomean, gfi, agfi, pgfi, chisq_df,
        loglik, unrestricted_loglik, npar, aic, bic, bic2, n.

    Notes
    -----
    CFI = 1 − max(χ² − df, 0)/max(χ² − df, χ²_b − df_b, 0), truncated to
    [0, 1] as lavaan does; TLI = (χ²_b/df_b − χ²/df)/(χ²_b/df_b − 1), not
    truncated; NFI = (χ²_b − χ²)/χ²_b; IFI = (χ²_b − χ²)/(χ²_b − df);
    AGFI = 1 − (n_moments·G/df)(1 − GFI); PGFI = df/(n_moments·G)·GFI;
    AIC = −2logL + 2k; BIC = −2logL + k·ln N; sample-size adjusted BIC
    (``bic2``) = −2logL + k·ln((N + 2)/24).

    Examples
    --------
    >>> fm = fit_measures(chisq=85.306, df=24, baseline_chisq=918.852, baseline_df=36,
    ...                   n=301, n_groups=1, npar=21, loglik=-3737.745,
    ...                   unrestricted_loglik=-3695.092, residuals={"srmr_bentler": 0.065},
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
        "srmr": residuals["srmr_bentler"],
        **residuals,
        "gfi": gfi,
        "agfi": 1 - (nel / df) * (1 - gfi) if df > 0 else 1.0,
        "pgfi": df / nel * gfi,
        "chisq_df": chisq / df if df > 0 else float("nan"),
        "loglik": loglik,
        "unrestricted_loglik": unrestricted_loglik,
        "npar": npar,
        "aic": -2 * loglik + 2 * npar,
        "bic": float(-2 * loglik + npar * np.log(n)),
        "bic2": float(-2 * loglik + npar * np.log((n + 2) / 24)),
        "n": n,
    }
