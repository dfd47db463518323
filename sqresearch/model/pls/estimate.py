"""The PLS path modelling algorithm on indicator correlation matrices, batched.

Every quantity of a PLS path model with standardised indicators is a function
of the indicators' correlation matrix S: with outer weights W scaled so that
each construct score has unit variance (diag W'SW = 1), the scores'
correlations are R = W'SW, mode A weights are S W E (the covariances of the
indicators with the inner proxies), mode B weights S_bb⁻¹ S W E, and the
loadings are S W.  So the algorithm runs on S alone, and on a stack of B
correlation matrices (one per bootstrap resample) at once: one iteration is a
few batched matrix products, with no Python loop over resamples.

The iteration follows Lohmöller (1989) as seminr's ``simplePLS`` implements
it: start from unit weights; inner weights by the path, factor or centroid
scheme; outer weights by mode A or B; stop when the sum of absolute changes of
the (standardised) outer weights falls below ``tol`` (seminr's default
``stopCriterion = 7``, i.e. 1e-7) or after ``max_iter`` iterations.

References
----------
Lohmöller, J.-B. (1989). *Latent variable path modeling with partial least
squares*. Physica.

Dijkstra, T. K., & Henseler, J. (2015). Consistent partial least squares path
modeling. *MIS Quarterly, 39*(2), 297–316. (PLSc and rho_A.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sqresearch.model.bootstrap import cross_products
from sqresearch.model.pls.spec import PLSModel

SCHEMES = ("path", "factor", "centroid")


@dataclass
class Estimates:
    """Batched PLS estimates: leading axis is the batch (resample) index.

    ``weights`` (B, p, c) are the standardised outer weights (zero outside a
    block); ``cross`` (B, p, c) the correlations of every indicator with every
    construct score; ``loadings`` the within-block part of ``cross`` (corrected
    for reflective blocks under PLSc); ``scores_corr`` (B, c, c) the
    correlations of the construct scores; ``latent_corr`` the correlations the
    paths are estimated from (``scores_corr`` divided by √(ρ_A,i ρ_A,j) under
    PLSc); ``paths`` (B, c, c) with ``paths[:, i, j]`` the coefficient of i → j;
    ``r2`` (B, c) (NaN for exogenous constructs); ``rho_a`` (B, c);
    ``iterations`` (B,) and ``converged`` (B,) bool.
    """

    weights: np.ndarray
    cross: np.ndarray
    loadings: np.ndarray
    scores_corr: np.ndarray
    latent_corr: np.ndarray
    paths: np.ndarray
    r2: np.ndarray
    rho_a: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray


def _normalise(w: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Scale each column of w so that its composite has unit variance: diag(w'Sw) = 1."""
    var = np.einsum("bpc,bpq,bqc->bc", w, s, w)
    return w / np.sqrt(var)[:, None, :]


def _regressions(model: PLSModel, corr: np.ndarray, out: np.ndarray) -> None:
    """Write into ``out[:, pred, j]`` the standardised OLS coefficients of j on its predecessors."""
    index = {c: k for k, c in enumerate(model.constructs)}
    for target in model.endogenous:
        j = index[target]
        pred = np.array([index[s] for s in model.predecessors(target)])
        rxx = corr[:, pred[:, None], pred[None, :]]
        rxy = corr[:, pred, j][..., None]
        out[:, pred, j] = np.linalg.solve(rxx, rxy)[..., 0]


def _inner_weights(model: PLSModel, r: np.ndarray, scheme: str, adjacency: np.ndarray) -> np.ndarray:
    """``E[:, i, j]``: weight of construct i in the inner proxy of construct j."""
    both = adjacency + adjacency.T
    if scheme == "factor":
        return r * both
    if scheme == "centroid":
        return np.sign(r) * both
    # path weighting: successors by correlation, predecessors by regression weights
    e = r * adjacency.T
    _regressions(model, r, e)
    return e


def rho_a(weights: np.ndarray, s: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Dijkstra–Henseler ρ_A of every block, batched: shape (B, c).

    ρ_A = (w'w)² · w'(S − diag S)w / w'(ww' − diag ww')w with w the block's
    standardised weights; 1 for a single indicator.
    """
    ww = np.einsum("bpc,bpc->bc", weights, weights)
    s_off = s - np.eye(s.shape[-1]) * np.diagonal(s, axis1=1, axis2=2)[:, None, :]
    # w'(S - diag)w within the block: weights are zero outside their block
    num = np.einsum("bpc,bpq,bqc->bc", weights, s_off, weights)
    den = ww**2 - np.einsum("bpc->bc", weights**4)
    single = membership.sum(axis=0) == 1
    with np.errstate(invalid="ignore", divide="ignore"):
        out = ww**2 * num / den
    out[:, single] = 1.0
    return out


def estimate(
    model: PLSModel,
    s: np.ndarray,
    *,
    scheme: str = "path",
    consistent: bool = False,
    max_iter: int = 300,
    tol: float = 1e-7,
) -> Estimates:
    """Run PLS path modelling on a stack of indicator correlation matrices.

    Parameters
    ----------
    model : PLSModel
    s : ndarray, shape (B, p, p)
        Correlation matrices of ``model.indicators`` in that order.
    scheme : {"path", "factor", "centroid"}
        Inner weighting scheme.
    consistent : bool
        Apply PLSc to the reflective (``=~``) blocks.
    max_iter, tol : int, float
        At most ``max_iter`` + 1 updates; stop when Σ|ΔW| < ``tol``.

    Returns
    -------
    Estimates

    Examples
    --------
    >>> from sqresearch.model.pls.spec import pls_model
    >>> m = pls_model("f =~ a + b; g =~ c; g ~ f")
    >>> s = np.array([[[1, .5, .3], [.5, 1, .4], [.3, .4, 1.]]])
    >>> est = estimate(m, s)
    >>> round(float(est.paths[0, 0, 1]), 4), bool(est.converged[0])
    (0.3849, True)
    """
    membership = model.membership()
    adjacency = model.adjacency()
    b, p, _ = s.shape
    c = len(model.constructs)
    blocks = []
    start = 0
    for name in model.constructs:
        k = len(model.blocks[name])
        blocks.append((np.arange(start, start + k), model.modes[name]))
        start += k
    inverses = {
        j: np.linalg.inv(s[:, idx[:, None], idx[None, :]])
        for j, (idx, mode) in enumerate(blocks)
        if mode == "B" and len(idx) > 1
    }

    w = np.broadcast_to(membership, (b, p, c)).copy()
    iterations = np.zeros(b, dtype=int)
    converged = np.zeros(b, dtype=bool)
    active = np.arange(b)
    for it in range(max_iter + 1):
        sa, wa = s[active], w[active]
        wn = _normalise(wa, sa)
        r = np.einsum("bpc,bpq,bqd->bcd", wn, sa, wn)
        e = _inner_weights(model, r, scheme, adjacency)
        proxy_cov = sa @ wn @ e  # (B, p, c): covariances of indicators with the inner proxies
        new = proxy_cov * membership
        for j, inv in inverses.items():
            idx = blocks[j][0]
            new[:, idx, j] = np.einsum("bkl,bl->bk", inv[active], proxy_cov[:, idx, j])
        new = _normalise(new, sa)
        diff = np.abs(new - wa).sum(axis=(1, 2))
        w[active] = new
        iterations[active] = it
        done = diff < tol
        converged[active[done]] = True
        active = active[~done]
        if active.size == 0:
            break

    cross = s @ w
    scores_corr = np.einsum("bpc,bpq,bqd->bcd", w, s, w)
    rho = rho_a(w, s, membership)
    loadings = cross * membership
    latent_corr = scores_corr
    if consistent:
        corrected = np.array([model.reflective[name] for name in model.constructs])
        rho_use = np.where(corrected, rho, 1.0)
        adjust = np.sqrt(rho_use[:, :, None] * rho_use[:, None, :])
        eye = np.eye(c, dtype=bool)
        latent_corr = np.where(eye, 1.0, scores_corr / np.where(eye, 1.0, adjust))
        ww = np.einsum("bpc,bpc->bc", w, w)
        factor_loadings = w * (np.sqrt(rho_use) / ww)[:, None, :]
        loadings = np.where(corrected[None, None, :], factor_loadings, loadings)
    paths = np.zeros((b, c, c))
    _regressions(model, latent_corr, paths)
    r2 = np.full((b, c), np.nan)
    index = {name: k for k, name in enumerate(model.constructs)}
    for target in model.endogenous:
        j = index[target]
        r2[:, j] = np.einsum("bi,bi->b", paths[:, :, j], latent_corr[:, :, j])
    return Estimates(
        weights=w,
        cross=cross,
        loadings=loadings,
        scores_corr=scores_corr,
        latent_corr=latent_corr,
        paths=paths,
        r2=r2,
        rho_a=rho,
        iterations=iterations,
        converged=converged,
    )


def correlations(x: np.ndarray, counts: np.ndarray | None = None) -> np.ndarray:
    """Pearson correlation matrices of the columns of x, one per row of ``counts``.

    Parameters
    ----------
    x : ndarray, shape (n, p)
    counts : ndarray, shape (B, n), optional
        Row multiplicities of B resamples (bootstrap counts, or jackknife
        ones with a zero); ``None`` for the data themselves.

    Returns
    -------
    ndarray, shape (B, p, p)

    Examples
    --------
    >>> x = np.array([[1., 2.], [2., 1.], [3., 5.]])
    >>> round(float(correlations(x)[0, 0, 1]), 6) == round(float(np.corrcoef(x.T)[0, 1]), 6)
    True
    """
    x = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    if counts is None:
        counts = np.ones((1, x.shape[0]))
    total = counts.sum(axis=1)
    mean = counts @ x / total[:, None]
    cov = cross_products(x, counts) / total[:, None, None] - mean[:, :, None] * mean[:, None, :]
    sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
    return cov / (sd[:, :, None] * sd[:, None, :])
