"""Normal-theory likelihood pieces: ML discrepancy, FIML, information, EM.

Conventions are lavaan's (``likelihood = "normal"``): sample covariance
matrices divide by N, χ² = N·F_ML, and standard errors come from the
expected information of complete data or the observed information of FIML.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LOG_2PI = float(np.log(2 * np.pi))


@dataclass
class Pattern:
    """Rows sharing one missing-data pattern: observed columns, n, mean, ML covariance."""

    observed: np.ndarray
    n: int
    mean: np.ndarray
    cov: np.ndarray


@dataclass
class PatternBatch:
    """Patterns with the same number of missing variables, stacked for batched algebra.

    Observed entries sit at their place in the full variable order; the
    entries of missing variables are zero.
    """

    n: np.ndarray  # (B,) cases per pattern
    missing: np.ndarray  # (B, k) indices of the missing variables
    mask: np.ndarray  # (B, p) True where observed
    mean: np.ndarray  # (B, p)
    cov: np.ndarray  # (B, p, p)

    @classmethod
    def stack(cls, patterns: list[Pattern], p: int) -> list[PatternBatch]:
        """One batch per number of missing variables."""
        batches = []
        for k in sorted({p - len(pat.observed) for pat in patterns}):
            group = [pat for pat in patterns if p - len(pat.observed) == k]
            mask = np.zeros((len(group), p), dtype=bool)
            mean = np.zeros((len(group), p))
            cov = np.zeros((len(group), p, p))
            for b, pat in enumerate(group):
                o = pat.observed
                mask[b, o] = True
                mean[b, o] = pat.mean
                cov[b, o[:, None], o] = pat.cov
            missing = np.nonzero(~mask)[1].reshape(len(group), k)
            n = np.array([pat.n for pat in group], dtype=float)
            batches.append(cls(n, missing, mask, mean, cov))
        return batches

    def inverses(
        self, inv: np.ndarray, sign: float, logdet: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Σ_oo⁻¹ of every pattern (zero-padded to p × p), the sign and log of |Σ_oo|.

        From the full precision matrix K = Σ⁻¹ by the Schur complement:
        Σ_oo⁻¹ = K_oo − K_om K_mm⁻¹ K_mo and |Σ_oo| = |Σ|·|K_mm|, so only the
        small k × k blocks of the missing variables are inverted.
        """
        size = len(self.n)
        if self.missing.shape[1] == 0:
            return (
                np.broadcast_to(inv, (size, *inv.shape)),
                np.full(size, sign),
                np.full(size, logdet),
            )
        m = self.missing
        k_mm = inv[m[:, :, None], m[:, None, :]]
        k_m = inv[m]  # rows of the missing variables, (B, k, p)
        sign_m, logdet_m = np.linalg.slogdet(k_mm)
        padded = inv - k_m.transpose(0, 2, 1) @ np.linalg.solve(k_mm, k_m)
        padded *= self.mask[:, :, None] & self.mask[:, None, :]
        return padded, sign * sign_m, logdet + logdet_m


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
        x = x[~np.isnan(x).all(axis=1)]
        observed = ~np.isnan(x)
        # rows grouped by pattern, patterns in order of first appearance
        _, first, label = np.unique(observed, axis=0, return_index=True, return_inverse=True)
        patterns = []
        for key in np.argsort(first):
            block = x[label.ravel() == key]
            obs = np.flatnonzero(observed[first[key]])
            values = block[:, obs]
            mean = values.mean(axis=0)
            centred = values - mean
            patterns.append(Pattern(obs, len(values), mean, centred.T @ centred / len(values)))
        batches = PatternBatch.stack(patterns, x.shape[1])
        mean, cov = saturated_em(patterns, batches, x.shape[1])
        return cls(n=len(x), mean=mean, cov=cov, patterns=patterns, batches=batches)

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


def saturated_em(
    patterns: list[Pattern],
    batches: list[PatternBatch],
    p: int,
    *,
    tol: float = 1e-12,
    max_iter: int = 20000,
) -> tuple[np.ndarray, np.ndarray]:
    """EM estimates of the unrestricted mean vector and covariance matrix.

    The E-step uses the per-pattern sufficient statistics (Little & Rubin,
    2002, ch. 11), so its cost does not grow with the number of cases; the
    patterns of each batch are processed together. With K = Σ⁻¹, the
    regression of the missing on the observed variables is −K_mm⁻¹K_mo and
    the residual covariance K_mm⁻¹.
    """
    n = sum(pat.n for pat in patterns)
    total, count, squares = np.zeros(p), np.zeros(p), np.zeros(p)
    for pat in patterns:  # start from the available-case means and variances
        total[pat.observed] += pat.n * pat.mean
        count[pat.observed] += pat.n
        squares[pat.observed] += pat.n * (np.diag(pat.cov) + pat.mean**2)
    mu = total / count
    sigma = np.diag(squares / count - mu**2)
    eye = np.eye(p)
    for _ in range(max_iter):
        inv = np.linalg.inv(sigma)
        t1 = np.zeros(p)
        t2 = np.zeros((p, p))
        for batch in batches:
            m = batch.missing
            rows = np.arange(len(m))[:, None]
            # x = c + R x_obs: R copies the observed entries and regresses the missing ones
            reg = eye * batch.mask[:, None, :]
            resid = np.zeros((len(m), p, p))
            if m.shape[1]:
                k_mm = inv[m[:, :, None], m[:, None, :]]
                beta = -np.linalg.solve(k_mm, inv[m]) * batch.mask[:, None, :]
                reg[rows, m] = beta
                resid[rows[:, :, None], m[:, :, None], m[:, None, :]] = np.linalg.inv(k_mm)
            # E[x_m | x_o] = μ_m + β(x_o − μ_o); the observed entries are the data
            shift = np.where(batch.mask, 0.0, mu - reg @ mu)
            x_mean = shift + np.einsum("bij,bj->bi", reg, batch.mean)
            second = reg @ batch.cov @ reg.transpose(0, 2, 1) + resid
            second += x_mean[:, :, None] * x_mean[:, None, :]
            t1 += batch.n @ x_mean
            t2 += np.einsum("b,bij->ij", batch.n, second)
        new_mu = t1 / n
        new_sigma = t2 / n - np.outer(new_mu, new_mu)
        change = max(np.abs(new_mu - mu).max(), np.abs(new_sigma - sigma).max())
        mu, sigma = new_mu, new_sigma
        if change < tol:
            break
    return mu, sigma
