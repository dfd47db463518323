"""Normal-theory likelihood pieces: ML discrepancy, FIML, information, EM.

Conventions are lavaan's (``likelihood = "normal"``): sample covariance
matrices divide by N, χ² = N·F_ML, and standard errors come from the
expected information of complete data or the observed information of FIML.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LOG_2PI = float(np.log(2 * np.pi))


@dataclass
class Pattern:
    """Rows sharing one missing-data pattern: observed columns, n, mean, ML covariance."""

    observed: np.ndarray
    n: int
    mean: np.ndarray
    cov: np.ndarray


@dataclass
class GroupData:
    """The data of one group as the likelihood sees it.

    ``cov`` (divided by N) and ``mean`` are the complete-data moments, or
    the EM estimates of the saturated model when data are missing; then
    ``patterns`` holds the per-pattern moments FIML needs.
    """

    n: int
    mean: np.ndarray
    cov: np.ndarray
    patterns: list[Pattern] | None = None

    @classmethod
    def complete(cls, x: np.ndarray) -> GroupData:
        """Moments of a complete data matrix (rows = cases)."""
        mean = x.mean(axis=0)
        centred = x - mean
        return cls(n=len(x), mean=mean, cov=centred.T @ centred / len(x))

    @classmethod
    def incomplete(cls, x: np.ndarray) -> GroupData:
        """Missing-data patterns and EM saturated moments (rows all-missing dropped)."""
        x = x[~np.isnan(x).all(axis=1)]
        patterns = []
        keys = pd.DataFrame(~np.isnan(x)).astype(int).astype(str).agg("".join, axis=1)
        for _, idx in keys.groupby(keys, sort=False).groups.items():
            block = x[np.asarray(idx)]
            obs = np.flatnonzero(~np.isnan(block[0]))
            values = block[:, obs]
            mean = values.mean(axis=0)
            centred = values - mean
            patterns.append(Pattern(obs, len(values), mean, centred.T @ centred / len(values)))
        mean, cov = saturated_em(patterns, x.shape[1])
        return cls(n=len(x), mean=mean, cov=cov, patterns=patterns)


def ml_discrepancy(sigma: np.ndarray, mu: np.ndarray | None, data: GroupData) -> float:
    """F_ML = log|Σ| + tr(SΣ⁻¹) − log|S| − p (+ (x̄−μ)ᵀΣ⁻¹(x̄−μ)); inf if Σ is not PD."""
    sign, logdet = np.linalg.slogdet(sigma)
    if sign <= 0:
        return np.inf
    inv = np.linalg.inv(sigma)
    _, logdet_s = np.linalg.slogdet(data.cov)
    value = logdet + np.trace(data.cov @ inv) - logdet_s - len(sigma)
    if mu is not None:
        d = data.mean - mu
        value += d @ inv @ d
    return float(value)


def ml_gradient(
    sigma: np.ndarray,
    mu: np.ndarray | None,
    data: GroupData,
    d_sigma: np.ndarray,
    d_mu: np.ndarray,
) -> np.ndarray:
    """Gradient of :func:`ml_discrepancy` with respect to the free parameters."""
    inv = np.linalg.inv(sigma)
    target = data.cov
    if mu is not None:
        d = data.mean - mu
        target = target + np.outer(d, d)
    w = inv @ (sigma - target) @ inv
    grad = np.einsum("ij,kji->k", w, d_sigma)
    if mu is not None:
        grad -= 2 * d_mu @ (inv @ d)
    return grad


def expected_information(
    sigma: np.ndarray, d_sigma: np.ndarray, d_mu: np.ndarray | None
) -> np.ndarray:
    """Expected information of one case: ½ tr(Σ⁻¹ΔᵢΣ⁻¹Δⱼ) + δᵢᵀΣ⁻¹δⱼ."""
    inv = np.linalg.inv(sigma)
    k, p = len(d_sigma), len(sigma)
    # tr(Σ⁻¹ΔᵢΣ⁻¹Δⱼ) = vec(Σ⁻¹ΔᵢΣ⁻¹)·vec(Δⱼ) (all symmetric): one matrix product
    weighted = inv @ d_sigma @ inv
    info = 0.5 * weighted.reshape(k, p * p) @ d_sigma.reshape(k, p * p).T
    if d_mu is not None:
        info += d_mu @ inv @ d_mu.T
    return info


def loglik_complete(sigma: np.ndarray, mu: np.ndarray | None, data: GroupData) -> float:
    """Normal log-likelihood of complete data at Σ, μ (μ = x̄ when None)."""
    p = len(sigma)
    sign, logdet = np.linalg.slogdet(sigma)
    if sign <= 0:
        return -np.inf
    inv = np.linalg.inv(sigma)
    quad = np.trace(data.cov @ inv)
    if mu is not None:
        d = data.mean - mu
        quad += d @ inv @ d
    return float(-0.5 * data.n * (p * LOG_2PI + logdet + quad))


def fiml_loglik(sigma: np.ndarray, mu: np.ndarray, patterns: list[Pattern]) -> float:
    """Casewise (FIML) log-likelihood, summed over missing-data patterns."""
    total = 0.0
    for pat in patterns:
        o = pat.observed
        s_oo = sigma[np.ix_(o, o)]
        sign, logdet = np.linalg.slogdet(s_oo)
        if sign <= 0:
            return -np.inf
        inv = np.linalg.inv(s_oo)
        d = pat.mean - mu[o]
        quad = np.trace(pat.cov @ inv) + d @ inv @ d
        total += -0.5 * pat.n * (len(o) * LOG_2PI + logdet + quad)
    return float(total)


def fiml_gradient(
    sigma: np.ndarray,
    mu: np.ndarray,
    patterns: list[Pattern],
    d_sigma: np.ndarray,
    d_mu: np.ndarray,
) -> np.ndarray:
    """Gradient of :func:`fiml_loglik` with respect to the free parameters."""
    p = len(sigma)
    g_sigma = np.zeros((p, p))
    g_mu = np.zeros(p)
    for pat in patterns:
        o = pat.observed
        inv = np.linalg.inv(sigma[np.ix_(o, o)])
        d = pat.mean - mu[o]
        w = pat.cov + np.outer(d, d)
        g_sigma[np.ix_(o, o)] += -0.5 * pat.n * (inv - inv @ w @ inv)
        g_mu[o] += pat.n * (inv @ d)
    return np.einsum("ij,kij->k", g_sigma, d_sigma) + d_mu @ g_mu


def saturated_em(
    patterns: list[Pattern], p: int, *, tol: float = 1e-12, max_iter: int = 20000
) -> tuple[np.ndarray, np.ndarray]:
    """EM estimates of the unrestricted mean vector and covariance matrix.

    The E-step uses the per-pattern sufficient statistics (Little & Rubin,
    2002, ch. 11), so its cost does not grow with the number of cases.
    """
    n = sum(pat.n for pat in patterns)
    total, count, squares = np.zeros(p), np.zeros(p), np.zeros(p)
    for pat in patterns:  # start from the available-case means and variances
        total[pat.observed] += pat.n * pat.mean
        count[pat.observed] += pat.n
        squares[pat.observed] += pat.n * (np.diag(pat.cov) + pat.mean**2)
    mu = total / count
    sigma = np.diag(squares / count - mu**2)
    for _ in range(max_iter):
        t1 = np.zeros(p)
        t2 = np.zeros((p, p))
        for pat in patterns:
            o = pat.observed
            m = np.setdiff1d(np.arange(p), o)
            x_mean = np.empty(p)
            x_mean[o] = pat.mean
            second = np.zeros((p, p))
            second[np.ix_(o, o)] = pat.cov + np.outer(pat.mean, pat.mean)
            if len(m):
                beta = np.linalg.solve(sigma[np.ix_(o, o)], sigma[np.ix_(o, m)])
                x_mean[m] = mu[m] + (pat.mean - mu[o]) @ beta
                resid = sigma[np.ix_(m, m)] - sigma[np.ix_(m, o)] @ beta
                # E[x_m x_oᵀ] and E[x_m x_mᵀ] from the pattern's own moments
                cross = (pat.cov @ beta).T + np.outer(x_mean[m], pat.mean)
                second[np.ix_(m, o)] = cross
                second[np.ix_(o, m)] = cross.T
                second[np.ix_(m, m)] = (
                    beta.T @ pat.cov @ beta + np.outer(x_mean[m], x_mean[m]) + resid
                )
            t1 += pat.n * x_mean
            t2 += pat.n * second
        new_mu = t1 / n
        new_sigma = t2 / n - np.outer(new_mu, new_mu)
        change = max(np.abs(new_mu - mu).max(), np.abs(new_sigma - sigma).max())
        mu, sigma = new_mu, new_sigma
        if change < tol:
            break
    return mu, sigma
