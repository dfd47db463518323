"""Missing-data patterns and the EM estimates of the saturated normal model.

The one EM of the package: the SEM engine's unrestricted (h1) moments under
FIML (:meth:`sqresearch.sem.likelihood.GroupData.incomplete`, whence
lavaan's ``unrestricted.logl`` and the two-stage start values) and the
missing-data report's EM means and covariances and Little's MCAR test
(:mod:`sqresearch.clean.missing`) both come from :func:`saturated_em`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sqresearch.errors import InputError


@dataclass
class EMEstimate:
    """ML means and covariance (divisor n) of incomplete normal data, by EM."""

    mean: np.ndarray
    cov: np.ndarray
    iterations: int
    converged: bool


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


def saturated_em(
    patterns: list[Pattern],
    batches: list[PatternBatch],
    p: int,
    *,
    tol: float = 1e-12,
    max_iter: int = 20000,
) -> EMEstimate:
    """EM estimates of the unrestricted mean vector and covariance matrix.

    Stops when no mean or covariance element changes by more than ``tol``.

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
    converged = False
    for iteration in range(1, max_iter + 1):  # noqa: B007 - returned below
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
            converged = True
            break
    return EMEstimate(mu, sigma, iteration, converged)


def pattern_moments(x: np.ndarray) -> list[Pattern]:
    """Rows grouped by missing-data pattern, in order of first appearance.

    Rows with every value missing are left out. Each pattern holds its
    observed columns, its number of rows and their mean and ML covariance.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 4.0], [np.nan, np.nan]])
    >>> [(pat.observed.tolist(), pat.n) for pat in pattern_moments(x)]
    [([0, 1], 2), ([0], 1)]
    """
    x = x[~np.isnan(x).all(axis=1)]
    observed = ~np.isnan(x)
    _, first, label = np.unique(observed, axis=0, return_index=True, return_inverse=True)
    patterns = []
    for key in np.argsort(first):
        block = x[label.ravel() == key]
        obs = np.flatnonzero(observed[first[key]])
        values = block[:, obs]
        mean = values.mean(axis=0)
        centred = values - mean
        patterns.append(Pattern(obs, len(values), mean, centred.T @ centred / len(values)))
    return patterns


def em_normal(
    data: pd.DataFrame | np.ndarray, *, tol: float = 1e-12, max_iter: int = 20000
) -> EMEstimate:
    """Maximum-likelihood mean and covariance with missing values, by EM.

    The EM algorithm for the multivariate normal (Dempster, Laird & Rubin,
    1977; Little & Rubin, 2002, §11.2), as R's ``norm::em.norm``; the
    covariance has divisor n. Rows with every value missing are ignored.
    The same EM gives the SEM engine its saturated moments under FIML.

    Parameters
    ----------
    data : DataFrame or ndarray
        Rows = cases, NaN = missing.
    tol : float
        Stop when no mean or covariance element changes by more than this.
    max_iter : int

    Returns
    -------
    EMEstimate

    Raises
    ------
    InputError
        Fewer than two rows with data, or a singular covariance matrix.

    References
    ----------
    Dempster, A. P., Laird, N. M., & Rubin, D. B. (1977). Maximum likelihood
    from incomplete data via the EM algorithm. *JRSS B*, 39(1), 1–38.

    Little, R. J. A., & Rubin, D. B. (2002). *Statistical analysis with
    missing data* (2nd ed.). Wiley.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 4.0], [4.0, 3.0]])
    >>> est = em_normal(x)
    >>> est.mean.round(4).tolist()
    [2.5, 2.9286]
    """
    x = np.asarray(data, dtype=float)
    patterns = pattern_moments(x)
    if sum(pat.n for pat in patterns) < 2:
        raise InputError("too few cases with data to estimate means and covariances")
    try:
        return saturated_em(
            patterns,
            PatternBatch.stack(patterns, x.shape[1]),
            x.shape[1],
            tol=tol,
            max_iter=max_iter,
        )
    except np.linalg.LinAlgError:
        raise InputError(
            "covariance matrix is singular: means and covariances cannot be estimated",
            hint="too few complete answers, or one variable is a copy of another",
        ) from None
