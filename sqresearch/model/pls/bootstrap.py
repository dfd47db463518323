"""Bootstrap of a PLS path model: every resample's correlation matrix, one batched fit.

A resample's indicator correlations are a weighted cross-product of the
standardised data (weights: how often each row was drawn), so B resamples
are one matrix product, and the PLS algorithm then runs on the stack of B
correlation matrices at once (:func:`~sqresearch.model.pls.estimate.estimate`).
Resamples are drawn in fixed chunks of ``CHUNK``; chunk *k* draws from the
*k*-th child of ``numpy.random.SeedSequence(seed)`` and BLAS runs on one
thread, so the draws are identical for any ``n_jobs``. Workers are threads
(numpy releases the GIL in its batched linear algebra): no process start-up.

References
----------
Efron, B., & Tibshirani, R. J. (1993). *An introduction to the bootstrap*.
Chapman & Hall.

Hair, J. F., Hult, G. T. M., Ringle, C. M., & Sarstedt, M. (2022). *A primer
on partial least squares structural equation modeling (PLS-SEM)* (3rd ed.),
ch. 5–6 (5000 resamples; percentile or BCa intervals; no sign changes).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.model.bootstrap import BootstrapWarning, bca_ci, percentile_ci, resample_counts
from sqresearch.model.pls.estimate import correlations, estimate
from sqresearch.model.pls.fit import PLSResult, chains, effect_arrays, htmt_matrices
from sqresearch.model.pls.spec import PLSModel

CHUNK = 250
KINDS = ("path", "loading", "weight", "r2", "indirect", "total_indirect", "total", "htmt")
TABLE_COLUMNS = [
    "kind",
    "from",
    "to",
    "through",
    "est",
    "boot_mean",
    "se",
    "t",
    "pvalue",
    "ci_lower",
    "ci_upper",
    "bca_lower",
    "bca_upper",
    "significant",
]


@dataclass(frozen=True)
class _Layout:
    """Which entries of the batched estimates make up one row of draws."""

    rows: pd.DataFrame  # kind, from, to, through
    path_ij: tuple[np.ndarray, np.ndarray]
    outer_ij: tuple[np.ndarray, np.ndarray]
    r2_j: np.ndarray
    effect_ij: tuple[np.ndarray, np.ndarray]
    htmt_ij: tuple[np.ndarray, np.ndarray]


def _layout(model: PLSModel) -> _Layout:
    names = model.constructs
    idx = {c: k for k, c in enumerate(names)}
    rows: list[tuple[str, str, str, str]] = []
    path_ij = (
        np.array([idx[s] for s, _ in model.paths]),
        np.array([idx[t] for _, t in model.paths]),
    )
    rows += [("path", s, t, "") for s, t in model.paths]
    owners = np.repeat(np.arange(len(names)), [len(model.blocks[c]) for c in names])
    outer_ij = (np.arange(len(owners)), owners)
    rows += [
        ("loading", names[j], item, "") for item, j in zip(model.indicators, owners, strict=True)
    ]
    rows += [
        ("weight", names[j], item, "") for item, j in zip(model.indicators, owners, strict=True)
    ]
    r2_j = np.array([idx[c] for c in model.endogenous])
    rows += [("r2", c, "", "") for c in model.endogenous]
    rows += [("indirect", ch[0], ch[-1], ">".join(ch[1:-1])) for ch in chains(model)]
    # pairs joined by a chain of two or more paths (total indirect) or any chain (total)
    reach = np.linalg.matrix_power(np.eye(len(names)) + model.adjacency(), len(names)) > 0
    np.fill_diagonal(reach, False)
    pairs = sorted({(idx[ch[0]], idx[ch[-1]]) for ch in chains(model)})
    effect_i, effect_j = np.nonzero(reach)
    rows += [("total_indirect", names[i], names[j], "") for i, j in pairs]
    rows += [("total", names[i], names[j], "") for i, j in zip(effect_i, effect_j, strict=True)]
    hi, hj = np.triu_indices(len(names), 1)
    rows += [("htmt", names[i], names[j], "") for i, j in zip(hi, hj, strict=True)]
    pairs_arr = (
        np.array([p[0] for p in pairs], dtype=int),
        np.array([p[1] for p in pairs], dtype=int),
    )
    return _Layout(
        rows=pd.DataFrame(rows, columns=["kind", "from", "to", "through"]),
        path_ij=path_ij,
        outer_ij=outer_ij,
        r2_j=r2_j,
        effect_ij=(
            np.concatenate([pairs_arr[0], effect_i]),
            np.concatenate([pairs_arr[1], effect_j]),
        ),
        htmt_ij=(hi, hj),
    )


def replicate(model: PLSModel, s: np.ndarray, options: dict, layout: _Layout) -> np.ndarray:
    """The reported estimates of each correlation matrix in ``s``: shape (B, rows of layout).

    A resample on which the algorithm does not converge gives a row of NaN.
    """
    est = estimate(model, s, **options)
    specific, total = effect_arrays(model, est.paths)
    indirect_total = total - est.paths
    n_pairs = len(layout.effect_ij[0]) - int((layout.rows["kind"] == "total").sum())
    ei, ej = layout.effect_ij
    parts = [
        est.paths[:, layout.path_ij[0], layout.path_ij[1]],
        est.loadings[:, layout.outer_ij[0], layout.outer_ij[1]],
        est.weights[:, layout.outer_ij[0], layout.outer_ij[1]],
        est.r2[:, layout.r2_j],
        specific,
        indirect_total[:, ei[:n_pairs], ej[:n_pairs]],
        total[:, ei[n_pairs:], ej[n_pairs:]],
        htmt_matrices(s, model.membership())[:, layout.htmt_ij[0], layout.htmt_ij[1]],
    ]
    out = np.concatenate(parts, axis=1)
    out[~est.converged] = np.nan
    return out


def _chunk(model, x, options, layout, size, child) -> np.ndarray:
    rng = np.random.default_rng(child)
    n = len(x)
    counts = resample_counts(rng.integers(0, n, size=(size, n)), n)
    return replicate(model, correlations(x, counts), options, layout)


@dataclass
class PLSBootstrap:
    """Bootstrap distribution of a PLS model's estimates.

    Attributes
    ----------
    table : DataFrame
        One row per estimate: ``kind`` (path, loading, weight, r2, indirect,
        total_indirect, total, htmt), ``from``, ``to``, ``through`` (the
        mediators of a specific indirect effect, joined by ``>``), ``est``,
        ``boot_mean``, ``se`` (SD of the draws), ``t`` = est / se,
        ``pvalue`` (two-sided, normal), percentile ``ci_lower``/``ci_upper``
        and ``bca_lower``/``bca_upper``; ``significant``: the percentile
        interval excludes 0 (for HTMT rows, read ``ci_upper`` < 1 instead).
    draws : ndarray
        One row per resample, one column per row of ``table``.
    n_boot, n_failed : int
    seed : int or None
    level : float
    """

    table: pd.DataFrame
    draws: np.ndarray = field(repr=False)
    n_boot: int
    n_failed: int
    seed: int | None
    level: float

    def of(self, kind: str) -> pd.DataFrame:
        """The rows of one ``kind`` (e.g. ``"path"``, ``"indirect"``, ``"htmt"``)."""
        if kind not in KINDS:
            raise InputError(f"unknown kind {kind!r} (use one of {', '.join(KINDS)})")
        return self.table[self.table["kind"] == kind].drop(columns="kind").reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """``n_boot``, ``n_failed``, ``seed``, ``level`` and ``estimates`` (records of ``table``)."""
        return {
            "n_boot": self.n_boot,
            "n_failed": self.n_failed,
            "seed": self.seed,
            "level": self.level,
            "estimates": self.table.to_dict(orient="records"),
        }

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>PLS bootstrap</b>: {self.n_boot} resamples ({self.n_failed} failed), "
            f"seed {self.seed}, {self.level:.0%} percentile and BCa intervals</p>"
        )
        return head + self.table.to_html(index=False, float_format=lambda x: f"{x:.3f}")


def bootstrap_pls(
    result: PLSResult,
    n_boot: int = 5000,
    *,
    seed: int | None = None,
    level: float = 0.95,
    n_jobs: int = -1,
) -> PLSBootstrap:
    """Bootstrap a fitted PLS model: SEs, t, p, percentile and BCa intervals.

    Parameters
    ----------
    result : PLSResult
        From :func:`~sqresearch.model.pls.fit_pls`; the same scheme, PLSc
        setting and stop criterion are used for every resample.
    n_boot : int
        Resamples (SmartPLS and Hair et al. 2022 advise 5000).
    seed : int, optional
        Root of the ``SeedSequence``; the same seed gives the same draws for
        any ``n_jobs``.
    level : float
        Confidence level of the intervals.
    n_jobs : int
        joblib worker threads (-1: all cores); chunks of 250 resamples.

    Returns
    -------
    PLSBootstrap

    Warns
    -----
    BootstrapWarning
        Resamples that could not be estimated (left out): no convergence, or
        under PLSc a block with a negative ρ_A.

    Notes
    -----
    Rows are drawn with replacement from the analysed (listwise-complete)
    data; indicators are re-standardised in each resample, and no sign
    correction is applied (SmartPLS's default). The BCa acceleration comes
    from the n leave-one-out fits, which run as one more batch.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sqresearch.model.pls import fit_pls
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=200); g = 0.5 * f + rng.normal(size=200) * 0.87
    >>> df = pd.DataFrame({f"x{i}": f + rng.normal(size=200) for i in range(3)}
    ...                   | {f"y{i}": g + rng.normal(size=200) for i in range(3)})
    >>> boot = bootstrap_pls(fit_pls("F =~ x0 + x1 + x2; G =~ y0 + y1 + y2; G ~ F", df),
    ...                      n_boot=200, seed=1)
    >>> row = boot.of("path").iloc[0]
    >>> bool(row.ci_lower < row.est < row.ci_upper), bool(row.bca_lower < row.est < row.bca_upper)
    (True, True)
    """
    from joblib import Parallel, delayed
    from threadpoolctl import threadpool_limits

    if n_boot < 2:
        raise InputError("n_boot must be at least 2", column="n_boot", value=n_boot)
    if not 0 < level < 1:
        raise InputError("the confidence level must lie between 0 and 1", column="level", value=level)
    model, x, options = result.model, result.x, result.settings
    layout = _layout(model)
    est = replicate(model, result.corr[None], options, layout)[0]
    sizes = [min(CHUNK, n_boot - start) for start in range(0, n_boot, CHUNK)]
    children = np.random.SeedSequence(seed).spawn(len(sizes))
    tasks = (
        delayed(_chunk)(model, x, options, layout, size, child)
        for size, child in zip(sizes, children, strict=True)
    )
    n = len(x)
    with threadpool_limits(limits=1):
        draws = np.vstack(Parallel(n_jobs=n_jobs, prefer="threads")(tasks))
        jackknife = replicate(model, correlations(x, 1.0 - np.eye(n)), options, layout)

    ok = ~np.isnan(draws).any(axis=1)
    if not ok.all():
        warnings.warn(
            f"{int((~ok).sum())} of {n_boot} bootstrap resamples could not be estimated (no "
            "convergence, or under PLSc a negative rho_A) and were left out of the intervals",
            BootstrapWarning,
            stacklevel=2,
        )
    good = draws[ok]
    table = layout.rows.copy()
    table["est"] = est
    table["boot_mean"] = good.mean(axis=0)
    table["se"] = good.std(axis=0, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["t"] = est / table["se"].to_numpy()
    table["pvalue"] = 2 * stats.norm.sf(np.abs(table["t"].to_numpy()))
    table["ci_lower"], table["ci_upper"] = percentile_ci(good, level)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        table["bca_lower"], table["bca_upper"] = bca_ci(good, est, jackknife, level)
    # fixed quantities (single-item loadings and weights) vary by rounding error only
    fixed = table["se"].to_numpy() <= 1e-12 * np.maximum(1.0, np.abs(est))
    table.loc[fixed, "se"] = 0.0
    table.loc[fixed, ["t", "pvalue"]] = np.nan
    table["significant"] = (table["ci_lower"] > 0) | (table["ci_upper"] < 0)
    return PLSBootstrap(
        table=table[TABLE_COLUMNS],
        draws=draws,
        n_boot=n_boot,
        n_failed=int((~ok).sum()),
        seed=seed,
        level=level,
    )
