"""Vectorised case-resampling bootstrap for systems of OLS equations.

A bootstrap sample draws n rows with replacement; a row drawn k times enters
every sum of the least-squares normal equations k times.  With the count
matrix ``W`` (resamples × rows) the cross-products of every resample are one
matrix product, ``W @ vec(z_i z_i')``, so all equations of a PROCESS model
(which share their rows) are refitted for all resamples by one BLAS call and a
batched solve of small p × p systems, with no Python loop over resamples.

References
----------
Efron, B., & Tibshirani, R. J. (1993). *An introduction to the bootstrap*.
Chapman & Hall. (Percentile and bias-corrected intervals, ch. 13–14.)

Hayes, A. F. (2022). *Introduction to mediation, moderation, and conditional
process analysis* (3rd ed.). Guilford. (PROCESS: 5000 resamples, percentile
intervals by default.)
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence

import numpy as np
from scipy import stats

from sqresearch.deprecation import renamed

_BLOCK_CELLS = 2**21


class BootstrapWarning(UserWarning):
    """Some bootstrap resamples could not be estimated (singular design)."""


@renamed(boot="n_boot")
def iter_resample_indices(
    n: int, n_boot: int, seed: int | np.random.Generator | None
) -> Iterator[np.ndarray]:
    """Row indices of ``n_boot`` resamples of ``n`` rows, in blocks of at most ~2M cells.

    Blocks keep memory bounded for large n; their concatenation is
    :func:`resample_indices`, drawn from one :class:`numpy.random.Generator`.
    """
    rng = np.random.default_rng(seed)
    block = max(1, _BLOCK_CELLS // n)
    for start in range(0, n_boot, block):
        yield rng.integers(0, n, size=(min(block, n_boot - start), n))


@renamed(boot="n_boot")
def resample_indices(n: int, n_boot: int, seed: int | np.random.Generator | None) -> np.ndarray:
    """Row indices of ``n_boot`` resamples of ``n`` rows drawn with replacement.

    Parameters
    ----------
    n : int
        Number of rows in the analysed data.
    n_boot : int
        Number of resamples.
    seed : int, Generator or None
        Seed of a :class:`numpy.random.Generator`.

    Returns
    -------
    ndarray of int, shape (n_boot, n)

    Examples
    --------
    >>> resample_indices(4, 2, seed=1).shape
    (2, 4)
    """
    return np.concatenate(list(iter_resample_indices(n, n_boot, seed)))


def resample_counts(indices: np.ndarray, n: int) -> np.ndarray:
    """How often each row appears in each resample: shape (n_boot, n), float.

    Examples
    --------
    >>> resample_counts(np.array([[0, 0, 2]]), 3)
    array([[2., 0., 1.]])
    """
    n_boot = indices.shape[0]
    offsets = (np.arange(n_boot) * n)[:, None]
    counts = np.bincount((indices + offsets).ravel(), minlength=n_boot * n)
    return counts.reshape(n_boot, n).astype(float)


def cross_products(z: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Weighted cross-product matrices ``Z' diag(w_b) Z`` for every resample b.

    Parameters
    ----------
    z : ndarray, shape (n, q)
        Every column any equation uses (constant, predictors, outcomes).
    counts : ndarray, shape (n_boot, n)
        Row multiplicities from :func:`resample_counts`.

    Returns
    -------
    ndarray, shape (n_boot, q, q)

    See Also
    --------
    bootstrap_cross_products : the same over resamples drawn from a seed.

    Examples
    --------
    >>> z = np.array([[1.0, 2.0], [1.0, 3.0]])
    >>> cross_products(z, np.array([[2.0, 0.0]]))[0]
    array([[2., 4.],
           [4., 8.]])
    """
    n, q = z.shape
    outer = (z[:, :, None] * z[:, None, :]).reshape(n, q * q)
    return (counts @ outer).reshape(counts.shape[0], q, q)


@renamed(boot="n_boot")
def bootstrap_cross_products(
    z: np.ndarray, n_boot: int, seed: int | np.random.Generator | None
) -> np.ndarray:
    """Cross-products ``Z' diag(w_b) Z`` of ``n_boot`` resamples of the rows of ``z``.

    The resamples are those of :func:`resample_indices` with the same seed,
    drawn and summed block by block.

    Examples
    --------
    >>> bootstrap_cross_products(np.ones((3, 1)), 2, seed=0)[:, 0, 0]
    array([3., 3.])
    """
    n = z.shape[0]
    blocks = [
        cross_products(z, resample_counts(i, n)) for i in iter_resample_indices(n, n_boot, seed)
    ]
    return np.concatenate(blocks)


def batched_ols(cross: np.ndarray, x_cols: Sequence[int], y_col: int) -> np.ndarray:
    """OLS coefficients of one equation in every resample, from cross-products.

    Solves ``(X'WX) b = X'Wy`` for all resamples at once.  A resample whose
    design is singular gets NaN coefficients and a :class:`BootstrapWarning`.

    Parameters
    ----------
    cross : ndarray, shape (n_boot, q, q)
        From :func:`cross_products`.
    x_cols : sequence of int
        Columns of ``z`` forming the design (constant included).
    y_col : int
        Column of ``z`` holding the outcome.

    Returns
    -------
    ndarray, shape (n_boot, len(x_cols))

    Examples
    --------
    >>> z = np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 3.0], [1.0, 2.0, 5.0]])
    >>> batched_ols(cross_products(z, np.ones((1, 3))), [0, 1], 2)
    array([[1., 2.]])
    """
    cols = np.asarray(x_cols)
    xtx = cross[:, cols[:, None], cols[None, :]]
    xty = cross[:, cols, y_col][..., None]
    try:
        return np.linalg.solve(xtx, xty)[..., 0]
    except np.linalg.LinAlgError:
        ok = np.linalg.matrix_rank(xtx) == len(cols)
        out = np.full((cross.shape[0], len(cols)), np.nan)
        out[ok] = np.linalg.solve(xtx[ok], xty[ok])[..., 0]
        warnings.warn(
            f"{int((~ok).sum())} of {len(ok)} bootstrap resamples have a singular design and "
            "were left out of the intervals",
            BootstrapWarning,
            stacklevel=2,
        )
        return out


@renamed(conf="level")
def percentile_ci(draws: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of each column of ``draws`` (NaN draws ignored).

    Examples
    --------
    >>> lo, hi = percentile_ci(np.arange(101.0)[:, None], 0.90)
    >>> round(float(lo[0]), 6), round(float(hi[0]), 6)
    (5.0, 95.0)
    """
    alpha = 1 - level
    lo, hi = np.nanquantile(draws, [alpha / 2, 1 - alpha / 2], axis=0)
    return lo, hi


@renamed(conf="level")
def bc_ci(
    draws: np.ndarray, estimate: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Bias-corrected percentile interval (Efron & Tibshirani 1993, eq. 14.10).

    ``z0 = Φ⁻¹(share of draws below the estimate)``; the bounds are the draws'
    quantiles at ``Φ(2·z0 ± z_{1-α/2})``.  With z0 = 0 it is the percentile
    interval.

    Examples
    --------
    >>> lo, hi = bc_ci(np.arange(101.0)[:, None], np.array([50.0]), 0.90)
    >>> round(float(lo[0]), 6), round(float(hi[0]), 6)
    (5.0, 95.0)
    """
    alpha = 1 - level
    draws = np.atleast_2d(draws)
    valid = ~np.isnan(draws)
    # Ties count half, so that draws equal to the estimate do not bias z0.
    below = (
        np.sum((draws < estimate) & valid, axis=0) + 0.5 * np.sum(draws == estimate, axis=0)
    ) / (valid.sum(axis=0))
    if np.any((below == 0) | (below == 1)):
        warnings.warn(
            "bias-corrected interval undefined where every bootstrap estimate lies on one side "
            "of the point estimate; those bounds are NaN",
            BootstrapWarning,
            stacklevel=2,
        )
    with np.errstate(invalid="ignore"):
        z0 = stats.norm.ppf(below)
    zc = stats.norm.ppf(1 - alpha / 2)
    p_lo, p_hi = stats.norm.cdf(2 * z0 - zc), stats.norm.cdf(2 * z0 + zc)
    lo = np.array([_quantile(draws[:, j], p_lo[j]) for j in range(draws.shape[1])])
    hi = np.array([_quantile(draws[:, j], p_hi[j]) for j in range(draws.shape[1])])
    return lo, hi


def _quantile(values: np.ndarray, p: float) -> float:
    return float(np.nanquantile(values, p)) if 0 < p < 1 else np.nan


def bca_ci(
    draws: np.ndarray, estimate: np.ndarray, jackknife: np.ndarray, conf: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Bias-corrected and accelerated (BCa) interval (Efron & Tibshirani 1993, §14.3).

    ``z0`` as in :func:`bc_ci`; the acceleration is
    ``a = Σd³ / (6 (Σd²)^{3/2})`` with ``d`` the leave-one-out (jackknife)
    estimates' deviations from their mean; the bounds are the draws'
    quantiles at ``Φ(z0 + (z0 + z) / (1 − a (z0 + z)))`` for ``z = ±z_{1-α/2}``.
    Agrees with ``scipy.stats.bootstrap(method="BCa")`` given the same draws.

    Parameters
    ----------
    draws : ndarray, shape (boot, k)
    estimate : ndarray, shape (k,)
    jackknife : ndarray, shape (n, k)
        The estimates with each row of the data left out in turn.
    conf : float

    Examples
    --------
    >>> d = np.arange(101.0)[:, None]
    >>> lo, hi = bca_ci(d, np.array([50.0]), np.array([[1.0], [2.0], [3.0]]), 0.90)
    >>> round(float(lo[0]), 6), round(float(hi[0]), 6)  # symmetric jackknife: a = 0
    (5.0, 95.0)
    """
    draws = np.atleast_2d(draws)
    valid = ~np.isnan(draws)
    below = (
        np.sum((draws < estimate) & valid, axis=0) + 0.5 * np.sum(draws == estimate, axis=0)
    ) / valid.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        z0 = stats.norm.ppf(below)
        d = np.nanmean(jackknife, axis=0) - jackknife
        a = np.nansum(d**3, axis=0) / (6 * np.nansum(d**2, axis=0) ** 1.5)
        a = np.where(np.isfinite(a), a, 0.0)  # a statistic constant under the jackknife
        bounds = []
        for z in stats.norm.ppf([(1 - conf) / 2, (1 + conf) / 2]):
            p = stats.norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))
            bounds.append(np.array([_quantile(draws[:, j], p[j]) for j in range(draws.shape[1])]))
    return bounds[0], bounds[1]
