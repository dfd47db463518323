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
    var = np.sum(w * (s @ w), axis=1)
    return w / np.sqrt(var)[:, None, :]


def regressions(corr: np.ndarray, adjacency: np.ndarray) -> np.ndarray:
    """Standardised OLS coefficients of every construct on its predecessors, batched.

    ``out[:, i, j]`` is the coefficient of i in the regression of j on its
    predecessors (``adjacency[..., i, j] = 1``); zero elsewhere.  All
    equations of all batch members are one batched solve: rows and columns
    of non-predecessors are replaced by those of the identity.
    """
    c = corr.shape[-1]
    mask = np.moveaxis(np.broadcast_to(adjacency, corr.shape), -1, 1)  # (B, j, i)
    eye = np.eye(c)
    a = corr[:, None, :, :] * mask[:, :, :, None] * mask[:, :, None, :] + eye * (
        1 - mask[:, :, None, :]
    )
    rhs = np.moveaxis(corr, -1, 1) * mask  # (B, j, i): corr[i, j] for predecessors i
    return np.moveaxis(np.linalg.solve(a, rhs[..., None])[..., 0], 1, -1)


def _inner_weights(r: np.ndarray, scheme: str, adjacency: np.ndarray) -> np.ndarray:
    """``E[:, i, j]``: weight of construct i in the inner proxy of construct j."""
    adj_t = np.swapaxes(adjacency, -1, -2)
    if scheme == "factor":
        return r * (adjacency + adj_t)
    if scheme == "centroid":
        return np.sign(r) * (adjacency + adj_t)
    # path weighting: successors by correlation, predecessors by regression weights
    return r * adj_t + regressions(r, adjacency)


def rho_a(weights: np.ndarray, s: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Dijkstra–Henseler ρ_A of every block, batched: shape (B, c).

    ρ_A = (w'w)² · w'(S − diag S)w / w'(ww' − diag ww')w with w the block's
    standardised weights; 1 for a single indicator.
    """
    ww = np.sum(weights**2, axis=1)
    # w'(S - diag S)w within the block: weights are zero outside their block, diag S = 1
    num = np.sum(weights * (s @ weights), axis=1) - ww
    den = ww**2 - np.sum(weights**4, axis=1)
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
    adjacency: np.ndarray | None = None,
) -> Estimates:
    """Run PLS path modelling on a stack of indicator correlation matrices.

    Parameters
    ----------
    model : PLSModel
    s : ndarray, shape (B, p, p) or (1, p, p)
        Correlation matrices of ``model.indicators`` in that order.
    scheme : {"path", "factor", "centroid"}
        Inner weighting scheme.
    consistent : bool
        Apply PLSc to the reflective (``=~``) blocks.
    max_iter, tol : int, float
        At most ``max_iter`` + 1 updates; stop when Σ|ΔW| < ``tol``.
    adjacency : ndarray, shape (B, c, c), optional
        One structural model per batch member (default: the model's paths
        for all); with one ``s`` this fits B variants of the model at once
        (the f² refits). A construct left without paths keeps its own score
        as inner proxy and does not affect the others.

    Returns
    -------
    Estimates

    Examples
    --------
    >>> from sqresearch.model.pls.spec import pls_model
    >>> m = pls_model("f =~ a + b; g =~ c; g ~ f")
    >>> s = np.array([[[1, .5, .3], [.5, 1, .4], [.3, .4, 1.]]])
    >>> est = estimate(m, s)
    >>> # mode A weights of f are proportional to (r_ac, r_bc) = (.3, .4): the path is
    >>> # corr(.3a + .4b, c) = .25 / sqrt(.37)
    >>> round(float(est.paths[0, 0, 1]), 4), round(0.25 / 0.37**0.5, 4), bool(est.converged[0])
    (0.411, 0.411, True)
    """
    membership = model.membership()
    c = len(model.constructs)
    if adjacency is None:
        adjacency = model.adjacency()[None]
    b = max(s.shape[0], adjacency.shape[0])
    p = s.shape[1]
    adjacency = np.broadcast_to(adjacency, (b, c, c))
    isolated = (adjacency.sum(axis=1) + adjacency.sum(axis=2)) == 0  # (B, c)
    positions = list(model.positions().values())
    inverses = {
        j: np.linalg.inv(s[:, idx[:, None], idx[None, :]])
        for j, (name, idx) in enumerate(zip(model.constructs, positions, strict=True))
        if model.modes[name] == "B" and len(idx) > 1
    }
    shared = s.shape[0] == 1

    w = np.broadcast_to(membership, (b, p, c)).copy()
    iterations = np.zeros(b, dtype=int)
    converged = np.zeros(b, dtype=bool)
    active = np.arange(b)
    everyone = True
    for it in range(max_iter + 1):
        sa = s if shared else (s if everyone else s[active])
        wa = w if everyone else w[active]
        adj = adjacency if everyone else adjacency[active]
        wn = _normalise(wa, sa)
        sw = sa @ wn
        r = np.swapaxes(wn, 1, 2) @ sw
        e = _inner_weights(r, scheme, adj)
        if isolated.any():
            iso = isolated if everyone else isolated[active]
            e = e + iso[:, None, :] * np.eye(c)
        proxy_cov = sw @ e  # (B, p, c): covariances of indicators with the inner proxies
        new = proxy_cov * membership
        for j, inv in inverses.items():
            idx = positions[j]
            inv_a = inv if shared or everyone else inv[active]
            new[:, idx, j] = (inv_a @ proxy_cov[:, idx, j][..., None])[..., 0]
        new = _normalise(new, sa)
        diff = np.abs(new - wa).sum(axis=(1, 2))
        w[active] = new
        iterations[active] = it
        done = diff < tol
        converged[active[done]] = True
        if done.all():
            break
        if done.any():
            active = active[~done]
            everyone = False

    cross = s @ w
    scores_corr = np.swapaxes(w, 1, 2) @ cross
    rho = rho_a(w, s, membership)
    loadings = cross * membership
    latent_corr = scores_corr
    if consistent:
        corrected = np.array([model.reflective[name] for name in model.constructs])
        rho_use = np.where(corrected, rho, 1.0)
        adjust = np.sqrt(rho_use[:, :, None] * rho_use[:, None, :])
        eye = np.eye(c, dtype=bool)
        latent_corr = np.where(eye, 1.0, scores_corr / np.where(eye, 1.0, adjust))
        ww = np.sum(w**2, axis=1)
        factor_loadings = w * (np.sqrt(rho_use) / ww)[:, None, :]
        loadings = np.where(corrected[None, None, :], factor_loadings, loadings)
    paths = regressions(latent_corr, adjacency)
    has_pred = adjacency.sum(axis=1) > 0
    r2 = np.where(has_pred, np.sum(paths * latent_corr, axis=1), np.nan)
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
