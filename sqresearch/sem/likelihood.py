"""Normal-theory likelihood pieces: ML discrepancy, FIML, information.

Conventions are lavaan's (``likelihood = "normal"``): sample covariance
matrices divide by N, χ² = N·F_ML, and standard errors come from the
expected information of complete data or the observed information of FIML.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sqresearch.sem.em import Pattern, PatternBatch, pattern_moments, saturated_em

LOG_2PI = float(np.log(2 * np.pi))


@dataclass
class GroupData:
    """The data of one group as the likelihood sees it.

    ``cov`` (divided by N) and ``mean`` are the complete-data moments, or
    the EM estimates of the saturated model when data are missing; then
    ``patterns`` holds the per-pattern moments FIML needs and ``batches``
    the same patterns stacked by number of missing variables.
    """

    n: int
    mean: np.ndarray
    cov: np.ndarray
    patterns: list[Pattern] | None = None
    batches: list[PatternBatch] | None = None

    @property
    def logdet(self) -> float:
        """log|S| (computed once)."""
        if "_logdet" not in self.__dict__:
            self.__dict__["_logdet"] = float(np.linalg.slogdet(self.cov)[1])
        return self.__dict__["_logdet"]

    @classmethod
    def complete(cls, x: np.ndarray) -> GroupData:
        """Moments of a complete data matrix (rows = cases)."""
        mean = x.mean(axis=0)
        centred = x - mean
        return cls(n=len(x), mean=mean, cov=centred.T @ centred / len(x))

    @classmethod
    def incomplete(cls, x: np.ndarray) -> GroupData:
        """Missing-data patterns and EM saturated moments (rows all-missing dropped)."""
        patterns = pattern_moments(x)
        batches = PatternBatch.stack(patterns, x.shape[1])
        em = saturated_em(patterns, batches, x.shape[1])
        n = sum(pat.n for pat in patterns)
        return cls(n=n, mean=em.mean, cov=em.cov, patterns=patterns, batches=batches)

    def rescaled(self, units: np.ndarray) -> GroupData:
        """The same data with variable i divided by ``units[i]`` (EM moments are equivariant)."""
        outer = np.outer(units, units)
        if self.patterns is None:
            return GroupData(self.n, self.mean / units, self.cov / outer)
        patterns = [
            Pattern(
                pat.observed,
                pat.n,
                pat.mean / units[pat.observed],
                pat.cov / outer[np.ix_(pat.observed, pat.observed)],
            )
            for pat in self.patterns
        ]
        batches = PatternBatch.stack(patterns, len(units))
        return GroupData(self.n, self.mean / units, self.cov / outer, patterns, batches)


def pairwise_moments(batches: list[PatternBatch]) -> tuple[np.ndarray, np.ndarray]:
    """lavaan's sample statistics of incomplete data (``lavInspect(fit, "sampstat")`` is EM's).

    Available-case means and pairwise-complete covariances, as R's
    ``cov(X, use = "pairwise")`` (each pair over the rows observing both,
    divisor n_ij − 1), rescaled by (N − 1)/N with N the rows analysed; lavaan
    stores these as ``WLS.obs`` under ``missing = "ml"`` and GFI uses them.
    """
    n_total = sum(b.n.sum() for b in batches)
    p = batches[0].mask.shape[1]
    pairs, sums, cross = np.zeros((p, p)), np.zeros((p, p)), np.zeros((p, p))
    for b in batches:
        mask = b.mask.astype(float)
        pairs += np.einsum("b,bi,bj->ij", b.n, mask, mask)
        sums += np.einsum("b,bi,bj->ij", b.n, b.mean, mask)  # Σ x_i over rows observing j
        cross += np.einsum("b,bij->ij", b.n, b.cov + b.mean[:, :, None] * b.mean[:, None, :])
    mean = np.diag(sums) / np.diag(pairs)
    cov = (cross - sums * sums.T / pairs) / (pairs - 1)
    return mean, cov * (n_total - 1) / n_total


def _pd_logdet(sigma: np.ndarray) -> float | None:
    """log|Σ| from a Cholesky factor, or None when Σ is not positive definite.

    The sign of a determinant cannot tell: two negative eigenvalues give a
    positive one (a variable in very large units can lead a step there).
    """
    try:
        chol = np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        return None
    return float(2 * np.log(np.diag(chol)).sum())


def ml_discrepancy(sigma: np.ndarray, mu: np.ndarray | None, data: GroupData) -> float:
    """F_ML = log|Σ| + tr(SΣ⁻¹) − log|S| − p (+ (x̄−μ)ᵀΣ⁻¹(x̄−μ)); inf if Σ is not PD."""
    logdet = _pd_logdet(sigma)
    if logdet is None:
        return np.inf
    inv = np.linalg.inv(sigma)
    _, logdet_s = np.linalg.slogdet(data.cov)
    value = logdet + np.trace(data.cov @ inv) - logdet_s - len(sigma)
    if mu is not None:
        d = data.mean - mu
        value += d @ inv @ d
    return float(value)


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
    logdet = _pd_logdet(sigma)
    if logdet is None:
        return -np.inf
    inv = np.linalg.inv(sigma)
    quad = np.trace(data.cov @ inv)
    if mu is not None:
        d = data.mean - mu
        quad += d @ inv @ d
    return float(-0.5 * data.n * (p * LOG_2PI + logdet + quad))


def fiml_loglik(sigma: np.ndarray, mu: np.ndarray, batches: list[PatternBatch]) -> float:
    """Casewise (FIML) log-likelihood, summed over missing-data patterns."""
    logdet = _pd_logdet(sigma)
    if logdet is None:
        return -np.inf
    sign = 1.0
    inv = np.linalg.inv(sigma)
    total = 0.0
    for batch in batches:
        p_inv, sign_oo, logdet_oo = batch.inverses(inv, sign, logdet)
        if np.any(sign_oo <= 0):
            return -np.inf
        d = (batch.mean - mu) * batch.mask
        quad = np.einsum("bij,bij->b", batch.cov, p_inv) + np.einsum("bi,bij,bj->b", d, p_inv, d)
        n_obs = batch.mask.sum(axis=1)
        total += -0.5 * batch.n @ (n_obs * LOG_2PI + logdet_oo + quad)
    return float(total)


def fiml_gradient(
    sigma: np.ndarray,
    mu: np.ndarray,
    batches: list[PatternBatch],
    d_sigma: np.ndarray,
    d_mu: np.ndarray,
) -> np.ndarray:
    """Gradient of :func:`fiml_loglik` with respect to the free parameters.

    Per pattern, ∂logL/∂Σ_oo = −½ n (Σ_oo⁻¹ − Σ_oo⁻¹ W Σ_oo⁻¹) with
    W = S + (x̄ − μ)(x̄ − μ)ᵀ, and ∂logL/∂μ_o = n Σ_oo⁻¹ (x̄ − μ), chained
    through dΣ/dθ and dμ/dθ.
    """
    sign, logdet = np.linalg.slogdet(sigma)
    inv = np.linalg.inv(sigma)
    g_sigma = np.zeros_like(sigma)
    g_mu = np.zeros(len(sigma))
    for batch in batches:
        p_inv, _, _ = batch.inverses(inv, sign, logdet)
        d = (batch.mean - mu) * batch.mask
        p_d = np.einsum("bij,bj->bi", p_inv, d)
        # Σ n P W P = Σ n (P S P + (Pd)(Pd)ᵀ)
        p_s_p = p_inv @ batch.cov @ p_inv
        g_sigma += -0.5 * (
            np.einsum("b,bij->ij", batch.n, p_inv)
            - np.einsum("b,bij->ij", batch.n, p_s_p)
            - np.einsum("b,bi,bj->ij", batch.n, p_d, p_d)
        )
        g_mu += batch.n @ p_d
    return np.einsum("ij,kij->k", g_sigma, d_sigma) + d_mu @ g_mu
