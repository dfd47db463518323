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

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sqresearch.errors import InputError, ModelError
from sqresearch.measure.items import select_items
from sqresearch.model.pls.estimate import SCHEMES, Estimates, correlations, estimate
from sqresearch.model.pls.spec import PLSModel, pls_model
from sqresearch.thresholds import passes


class PLSWarning(UserWarning):
    """A PLS estimation has a problem (no convergence within the iteration limit)."""


def _block_index(model: PLSModel) -> dict[str, np.ndarray]:
    out, start = {}, 0
    for c in model.constructs:
        k = len(model.blocks[c])
        out[c] = np.arange(start, start + k)
        start += k
    return out


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

    Attributes
    ----------
    paths : DataFrame
        ``from``, ``to``, ``est`` (standardised path coefficient), ``f2``,
        ``vif`` (inner VIF).
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

    paths: pd.DataFrame
    loadings: pd.DataFrame
    weights: pd.DataFrame
    r2: pd.DataFrame
    reliability: pd.DataFrame
    fornell_larcker: pd.DataFrame
    htmt: pd.DataFrame
    cross_loadings: pd.DataFrame
    effects: pd.DataFrame
    indirect: pd.DataFrame
    scores: pd.DataFrame
    n: int
    converged: bool
    iterations: int
    scheme: str
    consistent: bool
    model: PLSModel = field(repr=False)
    settings: dict = field(default_factory=dict, repr=False)
    _x: np.ndarray | None = field(default=None, repr=False)
    _frame: pd.DataFrame | None = field(default=None, repr=False)

    def htmt_pairs(self) -> pd.DataFrame:
        """HTMT of each unordered pair once: ``f1``, ``f2``, ``htmt`` (f1 first in model order)."""
        names = list(self.htmt.index)
        rows = [
            {"f1": a, "f2": b, "htmt": float(self.htmt.loc[a, b])}
            for i, a in enumerate(names)
            for b in names[i + 1 :]
        ]
        return pd.DataFrame(rows, columns=["f1", "f2", "htmt"])

    def to_dict(self) -> dict[str, Any]:
        """The ``pls --json`` document (without bootstrap intervals)."""
        return {
            "n": self.n,
            "converged": self.converged,
            "iterations": self.iterations,
            "scheme": self.scheme,
            "consistent": self.consistent,
            "paths": self.paths.to_dict(orient="records"),
            "loadings": self.loadings.to_dict(orient="records"),
            "weights": self.weights.to_dict(orient="records"),
            "r2": {row.construct: {"r2": row.r2, "r2_adj": row.r2_adj} for row in self.r2.itertuples()},
            "reliability": {
                c: {k: row[k] for k in ("alpha", "rho_a", "rho_c", "ave")}
                for c, row in self.reliability.iterrows()
            },
            "htmt": self.htmt_pairs().values.tolist(),
            "fsquare": [
                {"from": r["from"], "to": r["to"], "f2": r["f2"]} for _, r in self.paths.iterrows()
            ],
            "fornell_larcker": {
                c: {d: self.fornell_larcker.loc[c, d] for d in self.fornell_larcker.columns}
                for c in self.fornell_larcker.index
            },
            "indirect": self.indirect.to_dict(orient="records"),
            "effects": self.effects.to_dict(orient="records"),
        }

    def _repr_html_(self) -> str:
        fmt = {"float_format": lambda x: f"{x:.3f}", "na_rep": ""}
        head = (
            f"<p><b>PLS-SEM</b> ({'PLSc' if self.consistent else 'PLS'}, {self.scheme} weighting), "
            f"n = {self.n}; converged: {self.converged} after {self.iterations} iterations</p>"
        )
        return (
            head
            + "<p>Paths</p>" + self.paths.to_html(index=False, **fmt)
            + "<p>R²</p>" + self.r2.to_html(index=False, **fmt)
            + "<p>Reliability and convergent validity</p>" + self.reliability.to_html(**fmt)
            + "<p>HTMT</p>" + self.htmt.to_html(**fmt)
            + "<p>Outer loadings</p>" + self.loadings.to_html(index=False, **fmt)
            + "<p>Specific indirect effects</p>" + self.indirect.to_html(index=False, **fmt)
        )


def prepare_data(model: PLSModel, data: pd.DataFrame) -> pd.DataFrame:
    """The indicator columns as floats, listwise-complete, with no constant column."""
    frame = select_items(data, model.indicators, min_rows=max(3, len(model.constructs) + 2))
    sd = frame.std(ddof=1)
    if (sd == 0).any():
        col = sd.index[np.argmax((sd == 0).to_numpy())]
        raise InputError("indicator has the same value in every row", column=col, value=frame[col].iloc[0])
    return frame


def _alpha(s: np.ndarray, idx: np.ndarray) -> float:
    k = len(idx)
    if k == 1:
        return 1.0
    return k / (k - 1) * (1 - k / s[np.ix_(idx, idx)].sum())


def _vif(corr: np.ndarray) -> np.ndarray:
    return np.diag(np.linalg.inv(corr)) if len(corr) > 1 else np.ones(1)


def _f2(model: PLSModel, s: np.ndarray, r2: dict[str, float], options: dict) -> list[float]:
    index = {name: k for k, name in enumerate(model.indicators)}
    out = []
    for source, target in model.paths:
        reduced = model.without_path(source, target)
        if target in reduced.endogenous:
            idx = np.array([index[i] for i in reduced.indicators])
            est = estimate(reduced, s[None][:, idx[:, None], idx[None, :]], **options)
            excl = float(est.r2[0, reduced.constructs.index(target)])
        else:
            excl = 0.0
        out.append((r2[target] - excl) / (1 - r2[target]))
    return out


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
    frame = prepare_data(spec, data)
    x = frame.to_numpy()
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
    return _result(spec, frame, x, s[0], est, options)


def _result(
    spec: PLSModel, frame: pd.DataFrame, x: np.ndarray, s: np.ndarray, est: Estimates, options: dict
) -> PLSResult:
    names, items = spec.constructs, spec.indicators
    n = len(frame)
    cidx = {c: k for k, c in enumerate(names)}
    blocks = _block_index(spec)
    w, loadings, cross = est.weights[0], est.loadings[0], est.cross[0]
    latent = est.latent_corr[0]

    load_rows, weight_rows = [], []
    for c in names:
        idx = blocks[c]
        vif = _vif(s[np.ix_(idx, idx)])
        for i, v in zip(idx, vif, strict=True):
            load_rows.append({"construct": c, "indicator": items[i], "est": loadings[i, cidx[c]], "vif": v})
            weight_rows.append({"construct": c, "indicator": items[i], "est": w[i, cidx[c]]})

    r2 = {c: float(est.r2[0, cidx[c]]) for c in spec.endogenous}
    r2_rows = []
    for c in spec.endogenous:
        k = len(spec.predecessors(c))
        r2_rows.append({"construct": c, "r2": r2[c], "r2_adj": 1 - (1 - r2[c]) * (n - 1) / (n - k - 1)})

    path_rows = []
    f2 = _f2(spec, s, r2, options)
    for (source, target), f in zip(spec.paths, f2, strict=True):
        pred = spec.predecessors(target)
        pidx = [cidx[p] for p in pred]
        vif = _vif(latent[np.ix_(pidx, pidx)])[pred.index(source)]
        path_rows.append(
            {"from": source, "to": target, "est": est.paths[0, cidx[source], cidx[target]], "f2": f, "vif": vif}
        )

    rel_rows = {}
    for c in names:
        idx = blocks[c]
        lam = loadings[idx, cidx[c]]
        single = len(idx) == 1
        rho_c = 1.0 if single else lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
        ave = 1.0 if single else float(np.mean(lam**2))
        rel_rows[c] = {
            "mode": spec.modes[c],
            "alpha": _alpha(s, idx),
            "rho_a": float(est.rho_a[0, cidx[c]]) if spec.modes[c] == "A" else 1.0,
            "rho_c": float(rho_c),
            "ave": ave,
        }
    reliability = pd.DataFrame.from_dict(rel_rows, orient="index")
    reliability.index.name = "construct"
    reliability["convergent"] = [
        passes("cr", r.rho_c) and passes("ave", r.ave) for r in reliability.itertuples()
    ]

    fl = pd.DataFrame(np.tril(latent, -1), index=names, columns=names)
    fl = fl.where(np.tril(np.ones_like(latent, dtype=bool), -1))
    for c in names:
        fl.loc[c, c] = np.sqrt(reliability.loc[c, "ave"])

    htmt = pd.DataFrame(htmt_matrices(s[None], spec.membership())[0], index=names, columns=names)

    specific, total = effect_arrays(spec, est.paths)
    indirect = pd.DataFrame(
        [
            {"from": ch[0], "to": ch[-1], "through": ">".join(ch[1:-1]), "est": v}
            for ch, v in zip(chains(spec), specific[0], strict=True)
        ],
        columns=["from", "to", "through", "est"],
    )
    effect_rows = []
    for a in names:
        for b in names:
            t = total[0, cidx[a], cidx[b]]
            if a != b and abs(t) > 0:
                direct = est.paths[0, cidx[a], cidx[b]]
                effect_rows.append({"from": a, "to": b, "direct": direct, "indirect": t - direct, "total": t})

    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    return PLSResult(
        paths=pd.DataFrame(path_rows),
        loadings=pd.DataFrame(load_rows),
        weights=pd.DataFrame(weight_rows),
        r2=pd.DataFrame(r2_rows, columns=["construct", "r2", "r2_adj"]),
        reliability=reliability,
        fornell_larcker=fl,
        htmt=htmt,
        cross_loadings=pd.DataFrame(cross, index=items, columns=names),
        effects=pd.DataFrame(effect_rows, columns=["from", "to", "direct", "indirect", "total"]),
        indirect=indirect,
        scores=pd.DataFrame(z @ w, index=frame.index, columns=names),
        n=n,
        converged=bool(est.converged[0]),
        iterations=int(est.iterations[0]),
        scheme=options["scheme"],
        consistent=options["consistent"],
        model=spec,
        settings=options,
        _x=x,
        _frame=frame,
    )
