"""PLS-SEM as SmartPLS and seminr report it: :func:`fit_pls` and :class:`PLSResult`.

The measures (seminr 2.3 definitions, which SmartPLS shares):

- outer loadings: correlations of each indicator with its construct score
  (under PLSc, reflective loadings w·√ρ_A / w'w);
- Cronbach's α from the block's correlation matrix (standardised α);
- ρ_A (Dijkstra & Henseler, 2015); 1 for formative blocks and single items;
- ρ_C = (Σλ)² / ((Σλ)² + Σ(1 − λ²)) and AVE = mean λ² (Fornell & Larcker, 1981);
- Fornell–Larcker: construct correlations with √AVE on the diagonal;
- HTMT: mean |r| between blocks over the geometric mean of the mean |r|
  within each block (Henseler, Ringle & Sarstedt, 2015); a single-item block
  counts as 1 within, as in seminr and SmartPLS;
- outer VIF: 1/(1 − R²) of each indicator on the rest of its block; inner
  VIF: the same among the predictors of an endogenous construct;
- f² = (R²_incl − R²_excl) / (1 − R²_incl), R²_excl from re-estimating the
  model without the path (Hair et al., 2022, ch. 6);
- total effects Σ_k Bᵏ = (I − B)⁻¹ − I; specific indirect effects are the
  products of the paths along each chain.

Under PLSc the construct correlations used by the paths, R², f²,
Fornell–Larcker and inner VIF are the consistent ones (score correlations
divided by √(ρ_A,i ρ_A,j)); seminr uses the score correlations in its
Fornell–Larcker table and inner VIFs.

References
----------
Hair, J. F., Hult, G. T. M., Ringle, C. M., & Sarstedt, M. (2022). *A primer
on partial least squares structural equation modeling (PLS-SEM)* (3rd ed.).
Sage.

Ray, S., Danks, N. P., & Calero Valdez, A. (2022). *seminr: Building and
estimating structural equation models* (R package 2.3).
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sqresearch.errors import InputError, ModelError
from sqresearch.measure.items import select_items
from sqresearch.measure.reliability import _alpha_from_cov
from sqresearch.model.pls.estimate import SCHEMES, Estimates, correlations, estimate
from sqresearch.model.pls.spec import PLSModel, pls_model
from sqresearch.thresholds import passes


class PLSWarning(UserWarning):
    """A PLS estimation has a problem (no convergence within the iteration limit)."""


def f2_size(value: float) -> str:
    """Cohen's (1988) size of an f²: ``"large"``, ``"medium"``, ``"small"`` or ``"none"``.

    Examples
    --------
    >>> f2_size(0.2), f2_size(0.01)
    ('medium', 'none')
    """
    for size in ("large", "medium", "small"):
        if passes(f"f2_{size}", value):
            return size
    return "none"


def htmt_matrices(s: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """HTMT of every pair of blocks from a stack of correlation matrices: (B, c, c).

    Examples
    --------
    >>> s = np.array([[[1, .6, .3], [.6, 1, .2], [.3, .2, 1.]]])
    >>> m = np.array([[1., 0], [1, 0], [0, 1]])
    >>> round(float(htmt_matrices(s, m)[0, 0, 1]), 6)  # mean(.3, .2) / sqrt(.6 * 1)
    0.322749
    """
    a = np.abs(s)
    sums = np.einsum("pc,bpq,qd->bcd", membership, a, membership)
    k = membership.sum(axis=0)
    hetero = sums / np.outer(k, k)
    diag = np.diagonal(sums, axis1=1, axis2=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mono = np.where(k > 1, (diag - k) / (k * (k - 1)), 1.0)
    out = hetero / np.sqrt(mono[:, :, None] * mono[:, None, :])
    idx = np.arange(len(k))
    out[:, idx, idx] = 1.0
    return out


def chains(model: PLSModel) -> list[list[str]]:
    """Every directed chain of two or more paths, in model order (specific indirect effects)."""
    out: list[list[str]] = []

    def walk(chain: list[str]) -> None:
        for s, t in model.paths:
            if s == chain[-1]:
                longer = [*chain, t]
                out.append(longer)
                walk(longer)

    for c in model.constructs:
        walk([c])
    return [ch for ch in out if len(ch) > 2]


def effect_arrays(model: PLSModel, paths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Specific indirect effects (B, n_chains) and total effects (B, c, c) from batched paths."""
    index = {c: k for k, c in enumerate(model.constructs)}
    specific = []
    for ch in chains(model):
        prod = np.ones(paths.shape[0])
        for a, b in zip(ch[:-1], ch[1:], strict=True):
            prod = prod * paths[:, index[a], index[b]]
        specific.append(prod)
    c = paths.shape[-1]
    eye = np.broadcast_to(np.eye(c), paths.shape)
    total = np.linalg.solve(eye - paths, eye) - eye  # (I - B)^-1 - I, B[i, j] = i -> j
    spec = np.column_stack(specific) if specific else np.zeros((paths.shape[0], 0))
    return spec, total


@dataclass
class PLSResult:
    """A fitted PLS path model, reported as SmartPLS and seminr report it.

    The estimates are computed by :func:`fit_pls`; the tables below are
    built from them on first access.

    Attributes
    ----------
    paths : DataFrame
        ``from``, ``to``, ``est`` (standardised path coefficient), ``f2``,
        ``f2_size`` (:func:`f2_size`), ``vif`` (inner VIF).
    loadings, weights : DataFrame
        ``construct``, ``indicator``, ``est``; loadings add ``vif`` (outer VIF).
    r2 : DataFrame
        ``construct``, ``r2``, ``r2_adj`` for each endogenous construct.
    reliability : DataFrame
        Index construct; ``mode``, ``alpha``, ``rho_a``, ``rho_c``, ``ave`` and
        the verdict ``convergent`` (ρ_C and AVE meet their cut-offs).
    fornell_larcker : DataFrame
        Construct correlations (lower triangle), √AVE on the diagonal.
    htmt : DataFrame
        Square, symmetric, 1 on the diagonal.
    cross_loadings : DataFrame
        Every indicator with every construct score.
    effects : DataFrame
        ``from``, ``to``, ``direct``, ``indirect`` (total indirect), ``total``
        for every pair with a non-zero total effect.
    indirect : DataFrame
        Specific indirect effects: ``from``, ``to``, ``through`` (mediators
        joined by ``>``), ``est``.
    scores : DataFrame
        Construct scores (standardised indicators times outer weights).
    n : int
        Rows analysed (listwise-complete over all indicators).
    converged : bool
    iterations : int
    scheme : str
    consistent : bool
    model : PLSModel
    """

    model: PLSModel = field(repr=False)
    n: int
    converged: bool
    iterations: int
    scheme: str
    consistent: bool
    settings: dict = field(repr=False)
    estimates: Estimates = field(repr=False)
    corr: np.ndarray = field(repr=False)
    f2: np.ndarray = field(repr=False)
    x: np.ndarray = field(repr=False)
    rows: pd.Index = field(repr=False)

    # ------------------------------------------------------------------ tables
    @functools.cached_property
    def paths(self) -> pd.DataFrame:
        m, est = self.model, self.estimates
        idx = {c: k for k, c in enumerate(m.constructs)}
        vif = []
        for source, target in m.paths:
            pred = m.predecessors(target)
            pidx = [idx[p] for p in pred]
            vif.append(_vif(est.latent_corr[0][np.ix_(pidx, pidx)])[pred.index(source)])
        return pd.DataFrame(
            {
                "from": [s for s, _ in m.paths],
                "to": [t for _, t in m.paths],
                "est": [est.paths[0, idx[s], idx[t]] for s, t in m.paths],
                "f2": self.f2,
                "f2_size": [f2_size(f) for f in self.f2],
                "vif": vif,
            }
        )

    def _outer(self, values: np.ndarray) -> dict[str, list]:
        m = self.model
        cols = np.repeat(np.arange(len(m.constructs)), [len(m.blocks[c]) for c in m.constructs])
        return {
            "construct": [m.constructs[j] for j in cols],
            "indicator": m.indicators,
            "est": values[np.arange(len(cols)), cols],
        }

    @functools.cached_property
    def loadings(self) -> pd.DataFrame:
        m = self.model
        vif = np.concatenate([_vif(self.corr[np.ix_(i, i)]) for i in m.positions().values()])
        return pd.DataFrame({**self._outer(self.estimates.loadings[0]), "vif": vif})

    @functools.cached_property
    def weights(self) -> pd.DataFrame:
        return pd.DataFrame(self._outer(self.estimates.weights[0]))

    @functools.cached_property
    def r2(self) -> pd.DataFrame:
        m = self.model
        idx = {c: k for k, c in enumerate(m.constructs)}
        r2 = np.array([self.estimates.r2[0, idx[c]] for c in m.endogenous])
        k = np.array([len(m.predecessors(c)) for c in m.endogenous])
        adj = 1 - (1 - r2) * (self.n - 1) / (self.n - k - 1)
        return pd.DataFrame({"construct": m.endogenous, "r2": r2, "r2_adj": adj})

    @functools.cached_property
    def reliability(self) -> pd.DataFrame:
        m = self.model
        lam = self.estimates.loadings[0]
        rows = {"mode": [], "alpha": [], "rho_a": [], "rho_c": [], "ave": []}
        for j, (c, idx) in enumerate(m.positions().items()):
            single = len(idx) == 1
            l_j = lam[idx, j]
            rows["mode"].append(m.modes[c])
            rows["alpha"].append(_alpha(self.corr, idx))
            rows["rho_a"].append(float(self.estimates.rho_a[0, j]) if m.modes[c] == "A" else 1.0)
            rows["rho_c"].append(
                1.0 if single else float(l_j.sum() ** 2 / (l_j.sum() ** 2 + (1 - l_j**2).sum()))
            )
            rows["ave"].append(1.0 if single else float(np.mean(l_j**2)))
        out = pd.DataFrame(rows, index=pd.Index(m.constructs, name="construct"))
        out["convergent"] = [
            passes("cr", rc) and passes("ave", ave)
            for rc, ave in zip(out["rho_c"], out["ave"], strict=True)
        ]
        return out

    @functools.cached_property
    def fornell_larcker(self) -> pd.DataFrame:
        latent = self.estimates.latent_corr[0]
        values = np.where(np.tril(np.ones_like(latent, dtype=bool), -1), latent, np.nan)
        np.fill_diagonal(values, np.sqrt(self.reliability["ave"].to_numpy()))
        names = self.model.constructs
        return pd.DataFrame(values, index=names, columns=names)

    @functools.cached_property
    def htmt(self) -> pd.DataFrame:
        names = self.model.constructs
        values = htmt_matrices(self.corr[None], self.model.membership())[0]
        return pd.DataFrame(values, index=names, columns=names)

    @functools.cached_property
    def cross_loadings(self) -> pd.DataFrame:
        return pd.DataFrame(
            self.estimates.cross[0], index=self.model.indicators, columns=self.model.constructs
        )

    @functools.cached_property
    def indirect(self) -> pd.DataFrame:
        specific, _ = effect_arrays(self.model, self.estimates.paths[:1])
        found = chains(self.model)
        return pd.DataFrame(
            {
                "from": [ch[0] for ch in found],
                "to": [ch[-1] for ch in found],
                "through": [">".join(ch[1:-1]) for ch in found],
                "est": specific[0],
            }
        )

    @functools.cached_property
    def effects(self) -> pd.DataFrame:
        _, total = effect_arrays(self.model, self.estimates.paths[:1])
        names = self.model.constructs
        direct = self.estimates.paths[0]
        i, j = np.nonzero(np.abs(total[0]) > 0)
        return pd.DataFrame(
            {
                "from": [names[a] for a in i],
                "to": [names[b] for b in j],
                "direct": direct[i, j],
                "indirect": total[0][i, j] - direct[i, j],
                "total": total[0][i, j],
            }
        )

    @functools.cached_property
    def scores(self) -> pd.DataFrame:
        z = (self.x - self.x.mean(axis=0)) / self.x.std(axis=0, ddof=1)
        return pd.DataFrame(
            z @ self.estimates.weights[0], index=self.rows, columns=self.model.constructs
        )

    # ------------------------------------------------------------------ output
    def htmt_pairs(self) -> pd.DataFrame:
        """HTMT of each unordered pair once: ``f1``, ``f2``, ``htmt`` (f1 first in model order)
        and the verdict ``discriminant`` (below the strict cut-off, ``thresholds`` "htmt")."""
        names = self.model.constructs
        values = self.htmt.to_numpy()
        i, j = np.triu_indices(len(names), 1)
        return pd.DataFrame(
            {
                "f1": [names[a] for a in i],
                "f2": [names[b] for b in j],
                "htmt": values[i, j],
                "discriminant": [passes("htmt", v) for v in values[i, j]],
            }
        )

    def to_dict(self, bootstrap: Any = None) -> dict[str, Any]:
        """The ``pls --json`` document.

        With a :class:`~sqresearch.model.pls.bootstrap.PLSBootstrap` of this
        fit, the entries of ``paths``, ``loadings``, ``weights`` and
        ``indirect`` gain ``se``, ``t``, ``pvalue``, percentile ``ci_lower``/
        ``ci_upper`` and ``bca_lower``/``bca_upper`` (paths and indirect
        effects also ``significant``: the percentile interval excludes 0); ``htmt_ci`` lists the
        HTMT intervals and ``bootstrap`` the settings.
        """
        paths, loadings, weights, indirect = self.paths, self.loadings, self.weights, self.indirect
        doc_extra: dict[str, Any] = {}
        if bootstrap is not None:
            ci = ["se", "t", "pvalue", "ci_lower", "ci_upper", "bca_lower", "bca_upper"]
            paths = paths.join(bootstrap.of("path")[[*ci, "significant"]])
            loadings = loadings.join(bootstrap.of("loading")[ci])
            weights = weights.join(bootstrap.of("weight")[ci])
            indirect = indirect.join(bootstrap.of("indirect")[[*ci, "significant"]])
            htmt = bootstrap.of("htmt").rename(columns={"from": "f1", "to": "f2"})
            doc_extra = {
                "htmt_ci": htmt[["f1", "f2", "est", *ci[3:]]].to_dict(orient="records"),
                "bootstrap": {
                    "n_boot": bootstrap.n_boot,
                    "n_failed": bootstrap.n_failed,
                    "seed": bootstrap.seed,
                    "level": bootstrap.level,
                },
            }
        return {
            "n": self.n,
            "converged": self.converged,
            "iterations": self.iterations,
            "scheme": self.scheme,
            "consistent": self.consistent,
            "paths": paths.to_dict(orient="records"),
            "loadings": loadings.to_dict(orient="records"),
            "weights": weights.to_dict(orient="records"),
            "r2": {
                row.construct: {"r2": row.r2, "r2_adj": row.r2_adj} for row in self.r2.itertuples()
            },
            "reliability": {
                c: {k: row[k] for k in ("alpha", "rho_a", "rho_c", "ave")}
                for c, row in self.reliability.iterrows()
            },
            "htmt": self.htmt_pairs()[["f1", "f2", "htmt"]].values.tolist(),
            "fsquare": [
                {"from": r["from"], "to": r["to"], "f2": r["f2"]} for _, r in self.paths.iterrows()
            ],
            "fornell_larcker": {
                c: {d: v for d, v in row.items() if not np.isnan(v)}
                for c, row in self.fornell_larcker.iterrows()
            },
            "indirect": indirect.to_dict(orient="records"),
            "effects": self.effects.to_dict(orient="records"),
            **doc_extra,
        }

    def _repr_html_(self) -> str:
        fmt = {"float_format": lambda x: f"{x:.3f}", "na_rep": ""}
        head = (
            f"<p><b>PLS-SEM</b> ({'PLSc' if self.consistent else 'PLS'}, {self.scheme} weighting), "
            f"n = {self.n}; converged: {self.converged} after {self.iterations} iterations</p>"
        )
        return (
            head
            + "<p>Paths</p>"
            + self.paths.to_html(index=False, **fmt)
            + "<p>R²</p>"
            + self.r2.to_html(index=False, **fmt)
            + "<p>Reliability and convergent validity</p>"
            + self.reliability.to_html(**fmt)
            + "<p>HTMT</p>"
            + self.htmt.to_html(**fmt)
            + "<p>Outer loadings</p>"
            + self.loadings.to_html(index=False, **fmt)
            + "<p>Specific indirect effects</p>"
            + self.indirect.to_html(index=False, **fmt)
        )


def prepare_data(model: PLSModel, data: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    """The indicators as a float array, listwise-complete, and the index of the rows kept."""
    items = model.indicators
    min_rows = max(3, len(model.constructs) + 2)
    try:  # numbers already: skip the per-column checks of select_items
        x = np.column_stack([data[c].to_numpy(dtype=float) for c in items])
    except (KeyError, TypeError, ValueError):
        frame = select_items(data, items, min_rows=min_rows)  # raises, naming column and row
        x = frame.to_numpy()
    keep = ~np.isnan(x).any(axis=1)
    if keep.sum() < min_rows:
        select_items(data, items, min_rows=min_rows)  # raises, naming the shortage
    x = x[keep]
    sd = x.std(axis=0, ddof=1)
    if (sd == 0).any():
        col = int(np.argmax(sd == 0))
        raise InputError(
            "indicator has the same value in every row", column=items[col], value=x[0, col]
        )
    return x, data.index[keep]


def _alpha(s: np.ndarray, idx: np.ndarray) -> float:
    """Standardised Cronbach's α of a block (α from its correlation matrix), 1 for one item."""
    return 1.0 if len(idx) == 1 else _alpha_from_cov(s[np.ix_(idx, idx)])


def _vif(corr: np.ndarray) -> np.ndarray:
    """Diagonal of the inverse correlation matrix (inf when singular); 1 for one variable."""
    if len(corr) == 1:
        return np.ones(1)
    try:
        return np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        return np.full(len(corr), np.inf)


def _f2(model: PLSModel, s: np.ndarray, r2: np.ndarray, options: dict) -> np.ndarray:
    """f² of every path: all models without one path are fitted as one batch."""
    full = model.adjacency()
    index = {c: k for k, c in enumerate(model.constructs)}
    variants = np.repeat(full[None], len(model.paths), axis=0)
    for k, (source, target) in enumerate(model.paths):
        variants[k, index[source], index[target]] = 0.0
    est = estimate(model, s[None], adjacency=variants, **options)
    rows = np.arange(len(model.paths))
    targets = np.array([index[t] for _, t in model.paths])
    excl = np.nan_to_num(est.r2[rows, targets])  # NaN: the target lost its only predecessor
    return (r2[targets] - excl) / (1 - r2[targets])


def fit_pls(
    model: str | PLSModel,
    data: pd.DataFrame,
    *,
    scheme: str = "path",
    consistent: bool = False,
    max_iter: int = 300,
    tol: float = 1e-7,
) -> PLSResult:
    """Fit a PLS path model (Lohmöller's algorithm; PLSc on request).

    Parameters
    ----------
    model : str or PLSModel
        lavaan-like syntax: ``=~`` reflective (mode A), ``<~`` formative
        (mode B), ``~`` paths (see :func:`~sqresearch.model.pls.spec.pls_model`).
    data : DataFrame
        Indicator responses; rows with a missing indicator are dropped
        (listwise), and indicators are standardised.
    scheme : {"path", "factor", "centroid"}
        Inner weighting scheme (SmartPLS and seminr default: path).
    consistent : bool
        Consistent PLS (PLSc, Dijkstra & Henseler 2015) for the ``=~`` blocks.
    max_iter, tol : int, float
        Iteration limit (300) and stop criterion Σ|ΔW| < tol (1e-7), as
        seminr's ``maxIt`` and ``stopCriterion = 7``.

    Returns
    -------
    PLSResult

    Raises
    ------
    ModelError
        Bad syntax or an unknown scheme.
    InputError
        A missing, non-numeric or constant indicator column.

    Warns
    -----
    PLSWarning
        The algorithm did not converge within ``max_iter`` iterations.

    Notes
    -----
    See the module docstring for the definition of every measure. Results
    agree with seminr 2.3 (``estimate_pls``; reflective blocks as
    ``composite(..., mode_A)`` for PLS and ``reflective()`` for PLSc) to
    1e-6.

    References
    ----------
    Lohmöller, J.-B. (1989). *Latent variable path modeling with partial
    least squares*. Physica.

    Dijkstra, T. K., & Henseler, J. (2015). Consistent partial least squares
    path modeling. *MIS Quarterly, 39*(2), 297–316.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=300); g = 0.5 * f + rng.normal(size=300) * 0.87
    >>> df = pd.DataFrame({f"x{i}": f + rng.normal(size=300) for i in range(3)}
    ...                   | {f"y{i}": g + rng.normal(size=300) for i in range(3)})
    >>> res = fit_pls("F =~ x0 + x1 + x2; G =~ y0 + y1 + y2; G ~ F", df)
    >>> res.paths[["from", "to"]].values.tolist(), res.converged
    ([['F', 'G']], True)
    >>> bool(0.3 < res.paths["est"].iloc[0] < 0.5)
    True
    """
    if scheme not in SCHEMES:
        raise ModelError(f"unknown weighting scheme {scheme!r} (use one of {', '.join(SCHEMES)})")
    spec = model if isinstance(model, PLSModel) else pls_model(model)
    x, rows = prepare_data(spec, data)
    options = {"scheme": scheme, "consistent": consistent, "max_iter": max_iter, "tol": tol}
    s = correlations(x)
    est = estimate(spec, s, **options)
    if not est.converged[0]:
        warnings.warn(
            f"PLS did not converge within {max_iter} iterations (tolerance {tol}); "
            "estimates are from the last iteration",
            PLSWarning,
            stacklevel=2,
        )
    return PLSResult(
        model=spec,
        n=len(x),
        converged=bool(est.converged[0]),
        iterations=int(est.iterations[0]),
        scheme=scheme,
        consistent=consistent,
        settings=options,
        estimates=est,
        corr=s[0],
        f2=_f2(spec, s[0], est.r2[0], options),
        x=x,
        rows=rows,
    )
