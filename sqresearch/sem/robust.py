"""Robust ML: MLM (Satorra–Bentler) and MLR (Yuan–Bentler, Huber–White), as lavaan 0.6.

The ML estimates do not change; what changes is the standard errors and the
test statistic, which stop assuming multivariate normal data.

- ``MLM`` (complete data): sandwich standard errors
  ``E⁻¹ (Σ_g f_g Δ'VΓVΔ) E⁻¹ / N`` around the expected information ``E``,
  and the Satorra–Bentler (1994) scaled χ² ``T/c`` with
  ``c = tr(UΓ)/df``, ``U = V − VΔE⁻¹Δ'V`` (lavaan's ``se = "robust.sem"``,
  ``test = "satorra.bentler"``).
- ``MLR`` (complete data or FIML): Huber–White standard errors
  ``E⁻¹ B E⁻¹ / N`` around the observed information ``E`` with ``B`` the
  cross-product of the casewise scores, and the Yuan–Bentler χ² in Mplus'
  variant ``c = (tr(B₁A₁⁻¹) − tr(B₀E⁻¹))/df`` (lavaan's
  ``se = "robust.huber.white"``, ``test = "yuan.bentler.mplus"``).

Here ``Γ`` is the asymptotic covariance of the sample moments (ADF, divided
by N; with exogenous covariates fixed at their sample moments — lavaan's
``fixed.x`` — the moments of each case minus those of its OLS-fitted values,
the covariates' own moments left out of the df and the independence model
keeping their covariance block), ``V`` the normal-theory weight ``½D'(Σ⁻¹⊗Σ⁻¹)D``, ``Δ = ∂σ(θ)/∂θ'``
with ``σ = (μ, vech Σ)``, ``f_g = N_g/N``; all information matrices are per
case, as in lavaan.

The scaled fit indices are lavaan's: ``*_scaled`` computed from the scaled
statistics, and the ``*_robust`` CFI/TLI (Brosseau-Liard & Savalei, 2014) and
RMSEA (Brosseau-Liard, Savalei & Li, 2012) from the unscaled χ² and the
scaling factors of the model and of the independence model; under FIML the
robust measures are the FIML-corrected ones of Zhang & Savalei (2023)
(lavaan's ``lav_fit_fiml_corrected``, version 3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from sqresearch.errors import InputError, ModelError
from sqresearch.sem.estimation import MLProblem
from sqresearch.sem.fit_indices import rmsea_interval, rmsea_pvalue
from sqresearch.sem.likelihood import GroupData, ml_discrepancy

ESTIMATORS = ("ML", "MLM", "MLR")


@dataclass
class _Vech:
    """Lower-triangle (vech) positions of a p × p matrix and their D'-weights."""

    i: np.ndarray
    j: np.ndarray
    half: np.ndarray  # ½ on the diagonal, 1 off it

    @classmethod
    def of(cls, p: int) -> _Vech:
        i, j = np.tril_indices(p)
        return cls(i, j, np.where(i == j, 0.5, 1.0))

    def quad(self, m: np.ndarray, k: np.ndarray) -> np.ndarray:
        """D'(M ⊗ K)D for symmetric M, K, in vech coordinates."""
        i, j = self.i, self.j
        out = (
            m[np.ix_(i, i)] * k[np.ix_(j, j)]
            + m[np.ix_(i, j)] * k[np.ix_(j, i)]
            + m[np.ix_(j, i)] * k[np.ix_(i, j)]
            + m[np.ix_(j, j)] * k[np.ix_(i, i)]
        )
        return out * np.outer(self.half, self.half)


def _nt_weight(sigma: np.ndarray, vech: _Vech, means: bool) -> np.ndarray:
    """Normal-theory weight per case: Σ⁻¹ for the means, ½D'(Σ⁻¹⊗Σ⁻¹)D for vech Σ."""
    inv = np.linalg.inv(sigma)
    block = 0.5 * vech.quad(inv, inv)
    if not means:
        return block
    p = len(sigma)
    out = np.zeros((p + len(block), p + len(block)))
    out[:p, :p] = inv
    out[p:, p:] = block
    return out


def _adf_gamma(x: np.ndarray, vech: _Vech, means: bool) -> np.ndarray:
    """ADF covariance of the sample moments (μ, vech S), divided by N (lavaan's NACOV)."""
    centred = x - x.mean(axis=0)
    z = centred[:, vech.i] * centred[:, vech.j]
    if means:
        z = np.hstack([x, z])
    z = z - z.mean(axis=0)
    return z.T @ z / len(x)


def _fixed_x_gamma(x: np.ndarray, x_idx: np.ndarray, vech: _Vech, means: bool) -> np.ndarray:
    """ADF Γ with fixed exogenous covariates (lavaan's lav_samplestats_Gamma, fixed.x).

    The moments of each case minus those of its fitted values, the outcomes
    replaced by their OLS predictions from the covariates (x columns kept):
    the variability of the covariates' own moments is taken out.
    """
    y_idx = np.setdiff1d(np.arange(x.shape[1]), x_idx)
    design = np.column_stack([np.ones(len(x)), x[:, x_idx]])
    coef, *_ = np.linalg.lstsq(design, x[:, y_idx], rcond=None)
    fitted = x.copy()
    fitted[:, y_idx] = design @ coef
    centred, centred_hat = x - x.mean(axis=0), fitted - fitted.mean(axis=0)
    z = centred[:, vech.i] * centred[:, vech.j] - centred_hat[:, vech.i] * centred_hat[:, vech.j]
    if means:
        z = np.hstack([x - fitted, z])
    z = z - z.mean(axis=0)
    return z.T @ z / len(x)


def _casewise_scores(x: np.ndarray, mu: np.ndarray, sigma: np.ndarray, vech: _Vech, means: bool):
    """Scores of each case's normal log-likelihood w.r.t. (μ, vech Σ); NaN entries are missing."""
    n, p = x.shape
    u = np.zeros((n, p))
    k_rows = np.zeros((n, len(vech.i)))
    observed = ~np.isnan(x)
    patterns, label = np.unique(observed, axis=0, return_inverse=True)
    for key, mask in enumerate(patterns):
        rows = label.ravel() == key
        o = np.flatnonzero(mask)
        if not len(o):
            continue
        inv = np.zeros((p, p))
        inv[np.ix_(o, o)] = np.linalg.inv(sigma[np.ix_(o, o)])
        r = np.where(mask, x[rows] - mu, 0.0)
        u[rows] = r @ inv
        k_rows[rows] = inv[vech.i, vech.j]
    s_sigma = (u[:, vech.i] * u[:, vech.j] - k_rows) * vech.half
    return np.hstack([u, s_sigma]) if means else s_sigma


def _fiml_h1_information(
    x: np.ndarray, mu: np.ndarray, sigma: np.ndarray, vech: _Vech
) -> np.ndarray:
    """Observed information per case of the saturated FIML model at (μ, Σ), in (μ, vech Σ).

    Per pattern with n cases, K = Σ_oo⁻¹ (zero-padded), d = x̄_o − μ_o and
    W = n(S_o + dd'): I_μμ = nK, I_μΣ = nKEKd, I_ΣΣ = D'(KWK ⊗ K)D − ½n D'(K⊗K)D.
    """
    n_all, p = x.shape
    q = len(vech.i)
    info = np.zeros((p + q, p + q))
    observed = ~np.isnan(x)
    patterns, label = np.unique(observed, axis=0, return_inverse=True)
    for key, mask in enumerate(patterns):
        o = np.flatnonzero(mask)
        if not len(o):
            continue
        block = x[label.ravel() == key][:, o]
        n = len(block)
        k = np.zeros((p, p))
        k[np.ix_(o, o)] = np.linalg.inv(sigma[np.ix_(o, o)])
        d = np.zeros(p)
        d[o] = block.mean(axis=0) - mu[o]
        centred = block - block.mean(axis=0)
        w = np.zeros((p, p))
        w[np.ix_(o, o)] = centred.T @ centred
        w += n * np.outer(d, d)
        info[:p, :p] += n * k
        kd = k @ d
        cross = n * (k[:, vech.i] * kd[vech.j] + k[:, vech.j] * kd[vech.i]) * vech.half
        info[:p, p:] += cross
        info[p:, :p] += cross.T
        info[p:, p:] += vech.quad(k @ w @ k, k) - 0.5 * n * vech.quad(k, k)
    return info / n_all


def _delta(problem: MLProblem, theta: np.ndarray, g: int, vech: _Vech, means: bool) -> np.ndarray:
    """Δ_g = ∂(μ, vech Σ)_g/∂θ' (rows: the means first when ``means``)."""
    st = problem.structures[g]
    ids, d_sigma, d_mu = st.derivatives(problem.values(theta), problem.free)
    rows = [d_sigma[:, vech.i, vech.j].T]
    if means:
        rows.insert(0, d_mu.T)
    delta = np.zeros((sum(len(r) for r in rows), problem.n_free))
    delta[:, ids] = np.vstack(rows)
    return delta


def _baseline_delta(p: int, vech: _Vech, means: bool) -> np.ndarray:
    """Δ of the independence model (means and variances free)."""
    rows = np.flatnonzero(vech.i == vech.j)
    q = len(vech.i)
    if means:
        out = np.zeros((p + q, 2 * p))
        out[np.arange(p), np.arange(p)] = 1.0
        out[p + rows, p + np.arange(p)] = 1.0
    else:
        out = np.zeros((q, p))
        out[rows, np.arange(p)] = 1.0
    return out


def _solve_inverse(matrix: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(matrix)
    except np.linalg.LinAlgError:
        return np.full_like(matrix, np.nan)


@dataclass
class RobustStatistics:
    """Robust standard errors and test of one fit (what :func:`robust_statistics` returns).

    Attributes
    ----------
    acov : ndarray
        Sandwich covariance matrix of θ̂.
    scaling_factor, baseline_scaling_factor : float
        c of the model and of the independence model.
    trace_ugamma : float
        tr(UΓ) (MLM) or the Yuan–Bentler trace (MLR): c·df.
    fiml_corrected : dict or None
        FIML: χ² and scaling factors of the FIML-corrected (V3) robust
        measures of the model and the baseline: ``chisq``, ``c``,
        ``baseline_chisq``, ``baseline_c``.
    """

    acov: np.ndarray
    scaling_factor: float
    baseline_scaling_factor: float
    trace_ugamma: float
    fiml_corrected: dict | None = None


def check_estimator(estimator: str, missing: str, ordered=None) -> str:
    """The estimator's canonical name; MLM needs complete data, WLSMV ordered items.

    ``missing`` is "listwise" or "fiml" ("pairwise" with WLSMV only; WLSMV
    has no FIML).

    Examples
    --------
    >>> check_estimator("mlr", "fiml")
    'MLR'
    """
    if missing not in ("listwise", "fiml", "pairwise"):
        raise InputError(f"missing must be 'listwise', 'fiml' or 'pairwise', not {missing!r}")
    name = str(estimator).upper()
    if name == "WLSMV":
        if not ordered:
            raise ModelError("estimator='WLSMV' needs ordered items: ordered=True or a list")
        if missing == "fiml":
            raise ModelError(
                "WLSMV has no FIML: use missing='pairwise' (pairwise polychorics) or 'listwise'"
            )
        return name
    if missing == "pairwise":
        raise InputError(
            f"missing='pairwise' is for WLSMV (ordered items), not {name}: use 'fiml' or 'listwise'"
        )
    if ordered:
        raise ModelError(f"ordered items are fitted by WLSMV, not {name}: use estimator='WLSMV'")
    if name not in ESTIMATORS:
        raise ModelError(
            f"estimator must be one of {', '.join(ESTIMATORS)} (or WLSMV with ordered items), "
            f"not {estimator!r}"
        )
    if name == "MLM" and missing == "fiml":
        raise ModelError("MLM needs complete data: use estimator='MLR' with missing='fiml'")
    return name


def robust_statistics(
    problem: MLProblem, theta: np.ndarray, raw: list[np.ndarray], estimator: str
) -> RobustStatistics:
    """Sandwich covariance and scaling factors of an ML fit, as lavaan's MLM/MLR.

    Parameters
    ----------
    problem : MLProblem
        The fitted problem (its data moments, structures and table).
    theta : ndarray
        ML estimates.
    raw : list of ndarray
        The analysed data matrix of each group (NaN where missing, FIML).
    estimator : {"MLM", "MLR"}

    Returns
    -------
    RobustStatistics
    """
    n_total = problem.n_total
    means = problem.meanstructure
    p = problem.structures[0].p
    vech = _Vech.of(p)
    x_idx = _fixed_x_positions(problem)
    if len(x_idx) and problem.fiml:
        raise ModelError(
            f"{estimator} under FIML with fixed exogenous covariates (fixed.x) is not "
            "supported: pass fixed_x=False"
        )
    # the moments a fixed-x model fits: all but the covariates' own (co)variances and means
    only_x = np.isin(vech.i, x_idx) & np.isin(vech.j, x_idx)
    fitted = ~np.concatenate([np.isin(np.arange(p), x_idx), only_x] if means else [only_x])
    fg = np.array([d.n / n_total for d in problem.data])
    deltas = [_delta(problem, theta, g, vech, means) for g in range(len(problem.data))]
    base_delta = _baseline_delta(p, vech, means)[:, _baseline_free(p, x_idx, means)]
    implied = problem.implied(theta)

    def independence(d):
        """The independence model's Σ: the variances, and the fixed covariates' block."""
        sigma = np.diag(np.diag(d.cov))
        sigma[np.ix_(x_idx, x_idx)] = d.cov[np.ix_(x_idx, x_idx)]
        return sigma

    if estimator == "MLM":
        weights, gammas = [], []
        for (sigma, _), x in zip(implied, raw, strict=True):
            weights.append(_nt_weight(sigma, vech, means))
            gammas.append(
                _fixed_x_gamma(x, x_idx, vech, means) if len(x_idx) else _adf_gamma(x, vech, means)
            )
        info = sum(f * d.T @ w @ d for f, d, w in zip(fg, deltas, weights, strict=True))
        info_inv = _solve_inverse(info)
        meat = [d.T @ w @ gam @ w @ d for d, w, gam in zip(deltas, weights, gammas, strict=True)]
        acov = info_inv @ sum(f * m for f, m in zip(fg, meat, strict=True)) @ info_inv / n_total
        trace = sum(
            np.sum(w * gam) - f * np.sum(m * info_inv)
            for f, w, gam, m in zip(fg, weights, gammas, meat, strict=True)
        )
        base_trace = 0.0
        for d, gam in zip(problem.data, gammas, strict=True):
            w_b = _nt_weight(independence(d), vech, means)
            e_b = base_delta.T @ w_b @ base_delta
            m_b = base_delta.T @ w_b @ gam @ w_b @ base_delta
            base_trace += np.sum(w_b * gam) - np.sum(m_b * np.linalg.inv(e_b))
        return _statistics(problem, acov, trace, base_trace, len(x_idx))

    # MLR: observed information (lavaan's "hessian"), casewise scores
    if problem.fiml:
        info = problem.observed_information(theta) / n_total
    else:  # the complete-data objective is 2·(−logL/N): halve its Jacobian
        info = problem.observed_information(theta) / n_total / 2
    info_inv = _solve_inverse(info)
    scores = [
        _casewise_scores(x, mu if mu is not None else d.mean, sigma, vech, means)
        for (sigma, mu), x, d in zip(implied, raw, problem.data, strict=True)
    ]
    b0 = [s.T @ s / len(s) for s in scores]  # per case, in (μ, vech Σ)
    meat = sum(f * dl.T @ b @ dl for f, dl, b in zip(fg, deltas, b0, strict=True))
    acov = info_inv @ meat @ info_inv / n_total
    trace_h1, a1_list, b1_list = 0.0, [], []
    for d, x in zip(problem.data, raw, strict=True):
        if problem.fiml:
            a1 = _fiml_h1_information(x, d.mean, d.cov, vech)
            s1 = _casewise_scores(x, d.mean, d.cov, vech, means)
            b1 = s1.T @ s1 / len(s1)
        else:
            a1 = _nt_weight(d.cov, vech, means)
            b1 = a1 @ _adf_gamma(x, vech, means) @ a1
        a1_list.append(a1)
        b1_list.append(b1)
        keep = np.ix_(fitted, fitted)
        trace_h1 += np.sum(b1[keep] * np.linalg.inv(a1[keep]))
    trace_h0 = sum(
        f * np.sum((dl.T @ b @ dl) * info_inv) for f, dl, b in zip(fg, deltas, b0, strict=True)
    )
    base_trace = trace_h1
    for x, d in zip(raw, problem.data, strict=True):
        mean_b, var_b = _independence_moments(x)
        sigma_b = independence(d) if len(x_idx) else np.diag(var_b)
        s_b = _casewise_scores(x, mean_b, sigma_b, vech, means) @ base_delta
        # the independence model's observed information at its estimates (diagonal)
        counts = (~np.isnan(x)).sum(axis=0) / len(x)
        info_b = np.concatenate(
            [counts / var_b, counts / (2 * var_b**2)] if means else [counts / (2 * var_b**2)]
        )[_baseline_free(p, x_idx, means)]
        base_trace -= np.sum((s_b.T @ s_b / len(s_b)) * np.diag(1 / info_b))
    out = _statistics(problem, acov, trace_h1 - trace_h0, base_trace, len(x_idx))
    if problem.fiml:
        out.fiml_corrected = _fiml_corrected(problem, theta, raw, deltas, a1_list, b1_list, vech)
    return out


def _independence_moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ML means and variances of each variable over the cases observing it."""
    mean = np.nanmean(x, axis=0)
    return mean, np.nanmean((x - mean) ** 2, axis=0)


def _fixed_x_positions(problem: MLProblem) -> np.ndarray:
    """Positions among the observed variables of the covariates fixed at their sample moments."""
    table = problem.table
    exo = (table["exo"].to_numpy() == 1) & (table["op"].to_numpy() == "~~")
    names = set(table.loc[exo, "lhs"])
    return np.array([k for k, v in enumerate(problem.structures[0].observed) if v in names], int)


def _baseline_free(p: int, x_idx: np.ndarray, means: bool) -> np.ndarray:
    """Columns of the independence model's Δ that are free: the covariates' are fixed."""
    y = ~np.isin(np.arange(p), x_idx)
    return np.concatenate([y, y]) if means else y


def _statistics(problem, acov, trace, base_trace, n_x: int = 0) -> RobustStatistics:
    df = _df(problem, n_x)
    p = problem.structures[0].p
    base_df = len(problem.data) * (p * (p - 1) - n_x * (n_x - 1)) // 2
    c = trace / df if df > 0 else float("nan")
    c_b = base_trace / base_df if base_df > 0 else float("nan")
    return RobustStatistics(
        acov=acov,
        scaling_factor=c if c >= 0 else float("nan"),
        baseline_scaling_factor=c_b if c_b >= 0 else float("nan"),
        trace_ugamma=float(trace),
    )


def _df(problem: MLProblem, n_x: int = 0) -> int:
    """Degrees of freedom; the moments of ``n_x`` fixed covariates are not fitted."""
    p = problem.structures[0].p
    moments = p * (p + 1) // 2 + (p if problem.meanstructure else 0)
    moments -= n_x * (n_x + 1) // 2 + (n_x if problem.meanstructure else 0)
    return moments * len(problem.data) - problem.n_free


def _fiml_corrected(problem, theta, raw, deltas, a1_list, b1_list, vech) -> dict:
    """lavaan's lav_fit_fiml_corrected (V3): the χ² on the EM moments and its scaling factors."""
    n_total = problem.n_total
    p = problem.structures[0].p
    fg = np.array([d.n / n_total for d in problem.data])
    chisq = base_chisq = 0.0
    wc_blocks, base_deltas = [], []
    base_delta = _baseline_delta(p, vech, True)
    for (sigma, mu), d, x in zip(problem.implied(theta), problem.data, raw, strict=True):
        moments = GroupData(d.n, d.mean, d.cov)
        chisq += d.n * ml_discrepancy(sigma, mu, moments)
        mean_b, var_b = _independence_moments(x)
        base_chisq += d.n * ml_discrepancy(np.diag(var_b), mean_b, moments)
        wc_blocks.append(_nt_weight(d.cov, vech, True))
        base_deltas.append(base_delta)
    wm = _block_diag([f * a for f, a in zip(fg, a1_list, strict=True)])
    wmi = _block_diag([np.linalg.inv(a) / f for f, a in zip(fg, a1_list, strict=True)])
    wc = _block_diag([f * w for f, w in zip(fg, wc_blocks, strict=True)])
    gamma = _block_diag(
        [
            np.linalg.inv(a) @ b @ np.linalg.inv(a) / f
            for f, a, b in zip(fg, a1_list, b1_list, strict=True)
        ]
    )
    middle = wmi @ wc @ wmi

    def k_value(delta_all: np.ndarray) -> float:
        e = delta_all.T @ wm @ delta_all
        u = wm - wm @ delta_all @ np.linalg.solve(e, delta_all.T @ wm)
        return float(np.sum((u @ middle @ u) * gamma.T))

    df = _df(problem)
    base_df = len(problem.data) * p * (p - 1) // 2
    model_delta = np.vstack(deltas)
    return {
        "chisq": float(chisq),
        "c": k_value(model_delta) / df,
        "baseline_chisq": float(base_chisq),
        "baseline_c": k_value(_block_diag(base_deltas)) / base_df,
    }


def _block_diag(blocks: list[np.ndarray]) -> np.ndarray:
    rows = sum(b.shape[0] for b in blocks)
    cols = sum(b.shape[1] for b in blocks)
    out = np.zeros((rows, cols))
    r = c = 0
    for b in blocks:
        out[r : r + b.shape[0], c : c + b.shape[1]] = b
        r, c = r + b.shape[0], c + b.shape[1]
    return out


def _chi2_sf(x: float, df: float) -> float:
    return float(special.chdtrc(df, max(x, 0.0)))


def _cfi(x2, df, x2_b, df_b, c=1.0, c_b=1.0) -> float:
    """lavaan's lav_fit_cfi (with c.hat: Brosseau-Liard & Savalei, 2014)."""
    t1 = max(x2 - c * df, 0.0)
    t2 = max(x2 - c * df, x2_b - c_b * df_b, 0.0)
    if np.isclose(t1, 0.0, rtol=0, atol=1.5e-8) and np.isclose(t2, 0.0, rtol=0, atol=1.5e-8):
        return 1.0
    return 1 - t1 / t2


def _tli(x2, df, x2_b, df_b, c=1.0, c_b=1.0) -> float:
    """lavaan's lav_fit_tli (not truncated)."""
    t1 = (x2 - c * df) * df_b
    t2 = (x2_b - c_b * df_b) * df
    return 1 - t1 / t2 if df > 0 and abs(t2) > 0 else 1.0


def _rmsea(x2, df, n, groups, c=1.0) -> float:
    if df <= 0:
        return 0.0
    return float(np.sqrt(max(x2 / n / df - c / n, 0.0)) * np.sqrt(groups))


def scaled_fit_measures(fit: dict, stats: RobustStatistics, n_groups: int) -> dict:
    """lavaan's ``.scaled`` and ``.robust`` fit measures, under our underscore names.

    Parameters
    ----------
    fit : dict
        The ML fit measures (``chisq``, ``df``, ``baseline_chisq``,
        ``baseline_df``, ``n``).
    stats : RobustStatistics
    n_groups : int

    Returns
    -------
    dict
        chisq_scaled, df_scaled, pvalue_scaled, chisq_scaling_factor,
        baseline_chisq_scaled, baseline_df_scaled, baseline_pvalue_scaled,
        baseline_chisq_scaling_factor, cfi_scaled, tli_scaled, cfi_robust,
        tli_robust, rmsea_scaled, rmsea_ci_lower_scaled,
        rmsea_ci_upper_scaled, rmsea_pvalue_scaled, rmsea_robust,
        rmsea_ci_lower_robust, rmsea_ci_upper_robust, rmsea_pvalue_robust.

    Notes
    -----
    Scaled: χ²/c and χ²_b/c_b in the usual formulas; RMSEA.scaled uses
    df·c as the degrees of freedom (lavaan). Robust (complete data):
    CFI = 1 − max(χ² − c·df, 0)/max(χ² − c·df, χ²_b − c_b·df_b, 0),
    TLI likewise, RMSEA = √(max(χ²/(N·df) − c/N, 0))·√G, its interval from
    χ²/c rescaled by √c. Under FIML the χ² and c are the FIML-corrected ones.
    """
    x2, df, n = fit["chisq"], fit["df"], fit["n"]
    x2_b, df_b = fit["baseline_chisq"], fit["baseline_df"]
    c, c_b = stats.scaling_factor, stats.baseline_scaling_factor
    if df == 0:  # saturated: no scaled test, as lavaan reports it
        nan = float("nan")
        return {
            "chisq_scaled": x2, "df_scaled": 0, "pvalue_scaled": nan,
            "chisq_scaling_factor": nan, "baseline_chisq_scaled": x2_b / c_b,
            "baseline_df_scaled": df_b, "baseline_pvalue_scaled": _chi2_sf(x2_b / c_b, df_b),
            "baseline_chisq_scaling_factor": c_b, "cfi_scaled": 1.0, "tli_scaled": 1.0,
            "cfi_robust": nan, "tli_robust": nan, "rmsea_scaled": nan,
            "rmsea_ci_lower_scaled": nan, "rmsea_ci_upper_scaled": nan,
            "rmsea_pvalue_scaled": nan, "rmsea_robust": 0.0, "rmsea_ci_lower_robust": 0.0,
            "rmsea_ci_upper_robust": 0.0, "rmsea_pvalue_robust": nan,
        }  # fmt: skip
    x2_s, x2_bs = x2 / c, x2_b / c_b
    df2 = c * df
    lower_s, upper_s = rmsea_interval(x2, df2, n, n_groups)
    if stats.fiml_corrected is not None:
        fc = stats.fiml_corrected
        x3, c3, x3_b, c3_b = fc["chisq"], fc["c"], fc["baseline_chisq"], fc["baseline_c"]
    else:
        x3, c3, x3_b, c3_b = x2, c, x2_b, c_b
    lower_r, upper_r = rmsea_interval(x3 / c3, df, n, n_groups)
    return {
        "chisq_scaled": x2_s,
        "df_scaled": df,
        "pvalue_scaled": _chi2_sf(x2_s, df) if df > 0 else float("nan"),
        "chisq_scaling_factor": c,
        "baseline_chisq_scaled": x2_bs,
        "baseline_df_scaled": df_b,
        "baseline_pvalue_scaled": _chi2_sf(x2_bs, df_b),
        "baseline_chisq_scaling_factor": c_b,
        "cfi_scaled": min(max(_cfi(x2_s, df, x2_bs, df_b), 0.0), 1.0),
        "tli_scaled": _tli(x2_s, df, x2_bs, df_b),
        "cfi_robust": _cfi(x3, df, x3_b, df_b, c3, c3_b),
        "tli_robust": _tli(x3, df, x3_b, df_b, c3, c3_b),
        "rmsea_scaled": _rmsea(x2, df2, n, n_groups),
        "rmsea_ci_lower_scaled": lower_s,
        "rmsea_ci_upper_scaled": upper_s,
        "rmsea_pvalue_scaled": rmsea_pvalue(x2, df2, n, n_groups),
        "rmsea_robust": _rmsea(x3, df, n, n_groups, c3),
        "rmsea_ci_lower_robust": lower_r * np.sqrt(c3),
        "rmsea_ci_upper_robust": upper_r * np.sqrt(c3),
        "rmsea_pvalue_robust": rmsea_pvalue(x3 / c3, df, n / c3, n_groups),
    }


def apply_robust(result, raw: list[np.ndarray], estimator: str):
    """The ML ``result`` with robust standard errors and lavaan's scaled fit measures added.

    Standard errors, z and p of every free and ``:=`` row come from the
    sandwich covariance; ``fit`` gains the keys of :func:`scaled_fit_measures`.
    """
    from sqresearch.sem.fit import _defined_jacobian, _two_sided_p

    problem, theta = result._problem, result._theta
    stats = robust_statistics(problem, theta, raw, estimator)
    acov = stats.acov
    se_free = np.sqrt(np.where(np.diag(acov) >= 0, np.diag(acov), np.nan))
    free = problem.free
    estimates = result.estimates.copy()
    n_rows = len(free)
    se = np.where(free > 0, se_free[np.maximum(free, 1) - 1], 0.0)
    parsed = result._parsed
    if parsed.definitions:
        jac = _defined_jacobian(problem, parsed, theta)
        se = np.concatenate([se, np.sqrt(np.einsum("ij,jk,ik->i", jac, acov, jac))])
    is_free = np.concatenate([free > 0, np.ones(len(estimates) - n_rows, dtype=bool)])
    est = estimates["est"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(is_free, est / se, np.nan)
    estimates["se"] = se
    estimates["z"] = z
    estimates["pvalue"] = _two_sided_p(z)
    result.estimates = estimates
    result.acov = acov
    result.fit = result.fit | scaled_fit_measures(result.fit, stats, len(problem.data))
    result.estimator = estimator
    return result


#: What a thesis reports under a robust estimator, by the ML name it replaces: the
#: scaled χ² and the robust CFI/TLI/RMSEA (the scaled ones where no robust one exists).
REPORTED = {
    "chisq": ("chisq_scaled",),
    "df": ("df_scaled",),
    "pvalue": ("pvalue_scaled",),
    "cfi": ("cfi_robust", "cfi_scaled"),
    "tli": ("tli_robust", "tli_scaled"),
    "rmsea": ("rmsea_robust", "rmsea_scaled"),
    "rmsea_ci_lower": ("rmsea_ci_lower_robust", "rmsea_ci_lower_scaled"),
    "rmsea_ci_upper": ("rmsea_ci_upper_robust", "rmsea_ci_upper_scaled"),
}


def reported_fit(fit: dict) -> dict:
    """The fit measures of a robust (MLR, MLM, WLSMV) fit under the ML names a fit table prints.

    χ², df and p become the scaled test's; CFI, TLI and RMSEA the robust ones
    (Brosseau-Liard & Savalei, 2014), or the scaled ones when no robust
    version exists; SRMR is unchanged; GFI and AGFI, defined for ML only, are
    left out.

    Examples
    --------
    >>> view = reported_fit({"chisq": 90.0, "df": 24, "chisq_scaled": 80.0, "df_scaled": 24,
    ...                      "cfi": .93, "cfi_robust": .94, "srmr": .05, "gfi": .9})
    >>> view["chisq"], view["cfi"], view["srmr"], "gfi" in view
    (80.0, 0.94, 0.05, False)
    """
    out = {k: v for k, v in fit.items() if k not in ("gfi", "agfi", "pgfi")}
    for name, sources in REPORTED.items():
        value = next((fit[s] for s in sources if fit.get(s) is not None and fit[s] == fit[s]), None)
        if value is not None:
            out[name] = value
    return out
