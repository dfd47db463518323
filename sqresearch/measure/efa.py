"""Exploratory factor analysis as SPSS FACTOR prints it.

KMO and Bartlett's test (:func:`kmo_bartlett`), Horn's parallel analysis
(:func:`parallel_analysis`) and the extraction/rotation itself (:func:`efa`):
principal components, principal axis factoring or maximum likelihood, then
varimax, promax, oblimin or no rotation, with SPSS's "Total Variance
Explained" table and a loading table with small loadings suppressed.

All analyses use the Pearson correlation matrix of complete cases (listwise
deletion, SPSS's default ``/MISSING LISTWISE``).

SPSS conventions followed (Grieder & Steiner, 2022, reconstruct them from the
SPSS algorithms manual and output):

* number of factors by default: eigenvalues of the correlation matrix > 1;
* principal axis factoring starts from squared multiple correlations, takes
  absolute eigenvalues, stops when no communality changes by more than 0.001
  or after 25 iterations;
* varimax and promax with Kaiser normalization; promax's target is built from
  row-normalised varimax loadings (SPSS), power (kappa) 4;
* after rotation each factor is reflected to a positive column sum, and
  varimax factors are ordered by their sums of squared loadings;
* variance explained after rotation is given as a share only for orthogonal
  rotations; for oblique ones only the sums of squared structure loadings.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from factor_analyzer import FactorAnalyzer, Rotator
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.measure import MeasurementWarning
from sqresearch.measure.items import select_items
from sqresearch.thresholds import threshold

Method = Literal["pc", "paf", "ml"]
Rotation = Literal["varimax", "promax", "oblimin", "none"]
_ORTHOGONAL = {"varimax", "none"}


# --------------------------------------------------------------------------- data


def _correlations(data: pd.DataFrame, items: Sequence[str] | None) -> tuple[np.ndarray, list, int]:
    frame = select_items(data, items, min_rows=3)
    sd = frame.std(ddof=1)
    flat = sd.index[~(sd > 0)]
    if len(flat):
        raise InputError("item has no variance; it cannot enter a factor analysis", column=flat[0])
    if frame.shape[1] < 3:
        raise InputError("a factor analysis needs at least 3 items")
    r = np.corrcoef(frame.to_numpy(), rowvar=False)
    return r, list(frame.columns), len(frame)


def _inverse(r: np.ndarray) -> np.ndarray:
    try:
        inv = np.linalg.inv(r)
    except np.linalg.LinAlgError:
        inv = None
    if inv is None or not np.all(np.isfinite(inv)) or np.linalg.cond(r) > 1e12:
        raise InputError(
            "the item correlation matrix is singular (an item is a copy or a sum of others)",
            hint="drop duplicated or summed items",
        )
    return inv


def _smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlation of each item with all others."""
    return 1.0 - 1.0 / np.diag(_inverse(r))


# --------------------------------------------------------------------------- KMO / Bartlett


@dataclass(frozen=True, repr=False)
class SamplingAdequacy:
    """KMO and Bartlett's test of sphericity.

    Attributes
    ----------
    kmo : float
        Overall Kaiser-Meyer-Olkin measure.
    kmo_items : Series
        KMO (measure of sampling adequacy) of each item.
    chisq, df, pvalue : float, int, float
        Bartlett's test of sphericity.
    n : int
        Complete cases used.
    """

    kmo: float
    kmo_items: pd.Series
    chisq: float
    df: int
    pvalue: float
    n: int

    def summary(self) -> pd.DataFrame:
        """One row: kmo, chisq, df, pvalue, n."""
        return pd.DataFrame(
            [
                {
                    "kmo": self.kmo,
                    "chisq": self.chisq,
                    "df": self.df,
                    "pvalue": self.pvalue,
                    "n": self.n,
                }
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        """The results document the build saves: ``kmo`` and ``bartlett`` (chisq, df, pvalue)."""
        return {"kmo": self.kmo, "bartlett": {"chisq": self.chisq, "df": self.df, "pvalue": self.pvalue}}

    def __repr__(self) -> str:
        return (
            f"SamplingAdequacy(kmo={self.kmo:.4f}, chisq={self.chisq:.3f}, df={self.df}, "
            f"pvalue={self.pvalue:.4g}, n={self.n})"
        )

    def _repr_html_(self) -> str:
        return self.summary().to_html(index=False, float_format="{:.4f}".format)


def _adequacy(r: np.ndarray, items: list, n: int) -> SamplingAdequacy:
    inv = _inverse(r)
    d = np.sqrt(np.diag(inv))
    partial = -inv / np.outer(d, d)
    off = ~np.eye(len(items), dtype=bool)
    r2 = np.where(off, r, 0.0) ** 2
    p2 = np.where(off, partial, 0.0) ** 2
    kmo_items = r2.sum(axis=0) / (r2.sum(axis=0) + p2.sum(axis=0))
    p = len(items)
    chisq = -(n - 1 - (2 * p + 5) / 6) * np.linalg.slogdet(r)[1]
    df = p * (p - 1) // 2
    return SamplingAdequacy(
        kmo=float(r2.sum() / (r2.sum() + p2.sum())),
        kmo_items=pd.Series(kmo_items, index=pd.Index(items, name="item"), name="kmo"),
        chisq=float(chisq),
        df=df,
        pvalue=float(stats.chi2.sf(chisq, df)),
        n=n,
    )


def kmo_bartlett(data: pd.DataFrame, items: Sequence[str] | None = None) -> SamplingAdequacy:
    """Kaiser-Meyer-Olkin measure and Bartlett's test of sphericity.

    Parameters
    ----------
    data : DataFrame
        Item responses (complete cases are used).
    items : sequence of str, optional
        Items to analyse (default: all columns).

    Returns
    -------
    SamplingAdequacy

    Notes
    -----
    With R the correlation matrix and Q the partial (anti-image) correlations
    q_ij = -r^ij / sqrt(r^ii r^jj) from R⁻¹:
    KMO = Σ_{i≠j} r_ij² / (Σ_{i≠j} r_ij² + Σ_{i≠j} q_ij²), per item the sums
    run over j only. Bartlett: χ² = -(n - 1 - (2p + 5)/6) ln|R| on p(p - 1)/2 df.

    References
    ----------
    Kaiser, H. F. (1974). An index of factorial simplicity. Psychometrika, 39, 31-36.
    Bartlett, M. S. (1950). Tests of significance in factor analysis. British
    Journal of Statistical Psychology, 3, 77-85.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> res = kmo_bartlett(hs, [f"x{i}" for i in range(1, 10)])
    >>> # In R: psych::KMO(hs[, 7:15]); psych::cortest.bartlett(cor(hs[, 7:15]), n = 301)
    >>> round(res.kmo, 4), round(res.chisq, 2), res.df
    (0.7522, 904.1, 36)
    """
    r, names, n = _correlations(data, items)
    return _adequacy(r, names, n)


# --------------------------------------------------------------------------- parallel analysis


@dataclass(frozen=True, repr=False)
class ParallelAnalysis:
    """Horn's parallel analysis.

    Attributes
    ----------
    table : DataFrame
        Indexed by factor number: ``observed`` eigenvalue, ``random_mean`` and
        ``random_p95`` (mean and 95th percentile of the random eigenvalues),
        and ``retain`` (observed above the chosen criterion, for the leading
        run of factors).
    n_factors : int
        Number of factors suggested.
    criterion : str
        "p95" or "mean".
    kind : str
        "pc" (eigenvalues of R) or "fa" (of R with SMCs on the diagonal).
    n_iter, seed, n : int
    """

    table: pd.DataFrame
    n_factors: int
    criterion: str
    kind: str
    n_iter: int
    seed: int
    n: int

    def to_dict(self) -> dict[str, Any]:
        """The results document the build saves: ``n_factors`` suggested and the ``seed``."""
        return {"n_factors": self.n_factors, "seed": self.seed}

    def __repr__(self) -> str:
        return f"ParallelAnalysis(n_factors={self.n_factors}, criterion={self.criterion!r}, kind={self.kind!r})"

    def _repr_html_(self) -> str:
        return self.table.to_html(float_format="{:.4f}".format)


def _eigen_for(r: np.ndarray, kind: str) -> np.ndarray:
    if kind == "fa":
        r = r.copy()
        np.fill_diagonal(r, _smc(r))
    return np.sort(np.linalg.eigvalsh(r))[::-1]


def parallel_analysis(
    data: pd.DataFrame,
    items: Sequence[str] | None = None,
    *,
    n_iter: int = 100,
    criterion: Literal["p95", "mean"] = "p95",
    kind: Literal["pc", "fa"] = "pc",
    seed: int = 20240601,
) -> ParallelAnalysis:
    """Horn's parallel analysis with random normal data.

    Parameters
    ----------
    data : DataFrame
        Item responses (complete cases are used).
    items : sequence of str, optional
        Items to analyse.
    n_iter : int
        Number of random data sets (same n and number of items).
    criterion : {"p95", "mean"}
        Retain factors whose observed eigenvalue exceeds the 95th percentile
        (Glorfeld, 1995) or the mean of the random eigenvalues (Horn, 1965).
    kind : {"pc", "fa"}
        Eigenvalues of the correlation matrix (principal components, as
        O'Connor's SPSS syntax) or of the reduced matrix with SMCs on the
        diagonal (common factors, as psych::fa.parallel's "fa").
    seed : int
        Seed of the numpy Generator.

    Returns
    -------
    ParallelAnalysis

    References
    ----------
    Horn, J. L. (1965). A rationale and test for the number of factors in
    factor analysis. Psychometrika, 30, 179-185.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> pa = parallel_analysis(hs, [f"x{i}" for i in range(1, 10)], n_iter=50, seed=1)
    >>> pa.n_factors
    3
    """
    if criterion not in ("p95", "mean"):
        raise InputError("criterion must be 'p95' or 'mean'", value=criterion)
    if kind not in ("pc", "fa"):
        raise InputError("kind must be 'pc' or 'fa'", value=kind)
    r, names, n = _correlations(data, items)
    p = len(names)
    observed = _eigen_for(r, kind)
    rng = np.random.default_rng(seed)
    random = np.empty((n_iter, p))
    for b in range(n_iter):
        sim = rng.standard_normal((n, p))
        random[b] = _eigen_for(np.corrcoef(sim, rowvar=False), kind)
    table = pd.DataFrame(
        {
            "observed": observed,
            "random_mean": random.mean(axis=0),
            "random_p95": np.percentile(random, 95, axis=0),
        },
        index=pd.RangeIndex(1, p + 1, name="factor"),
    )
    bar = table["random_p95"] if criterion == "p95" else table["random_mean"]
    above = (table["observed"] > bar).to_numpy()
    n_factors = int(np.argmin(above)) if not above.all() else p
    table["retain"] = np.arange(p) < n_factors
    return ParallelAnalysis(table, n_factors, criterion, kind, n_iter, seed, n)


# --------------------------------------------------------------------------- extraction


def _principal_components(r: np.ndarray, m: int) -> np.ndarray:
    values, vectors = np.linalg.eigh(r)
    order = np.argsort(values)[::-1][:m]
    return vectors[:, order] * np.sqrt(values[order])


def _principal_axis(
    r: np.ndarray, m: int, max_iter: int, tol: float
) -> tuple[np.ndarray, int, bool]:
    """SPSS PAF: SMC start, |eigenvalues|, max-change criterion."""
    reduced = r.copy()
    h2 = _smc(r)
    for it in range(1, max_iter + 1):
        np.fill_diagonal(reduced, h2)
        values, vectors = np.linalg.eigh(reduced)
        order = np.argsort(values)[::-1][:m]
        loadings = vectors[:, order] * np.sqrt(np.abs(values[order]))
        new_h2 = (loadings**2).sum(axis=1)
        change = np.max(np.abs(new_h2 - h2))
        h2 = new_h2
        if change < tol:
            return loadings, it, True
    return loadings, max_iter, False


def _maximum_likelihood(r: np.ndarray, m: int) -> np.ndarray:
    fa = FactorAnalyzer(n_factors=m, method="ml", rotation=None, is_corr_matrix=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fa.fit(r)
    return np.asarray(fa.loadings_)


def _reflect(loadings: np.ndarray) -> np.ndarray:
    """Signs so that every column sums to a positive number (SPSS, psych)."""
    signs = np.sign(loadings.sum(axis=0))
    signs[signs == 0] = 1.0
    return signs


# --------------------------------------------------------------------------- rotation


def _kaiser_rows(a: np.ndarray) -> np.ndarray:
    return np.sqrt((a**2).sum(axis=1, keepdims=True))


def _varimax(a: np.ndarray) -> np.ndarray:
    rot = Rotator(method="varimax", normalize=True, max_iter=10000, tol=1e-12)
    return np.asarray(rot.fit_transform(a))


def _promax_spss(a: np.ndarray, kappa: float) -> tuple[np.ndarray, np.ndarray]:
    """SPSS promax: varimax (Kaiser), target from row-normalised loadings, LS fit."""
    v = _varimax(a)
    v = v * _reflect(v)
    v = v[:, np.argsort(-(v**2).sum(axis=0), kind="stable")]
    h = _kaiser_rows(v)
    vn = v / h
    target = np.sign(vn) * np.abs(vn) ** kappa
    u, *_ = np.linalg.lstsq(v, target, rcond=None)
    u = u @ np.diag(np.sqrt(np.diag(np.linalg.inv(u.T @ u))))
    pattern = v @ u
    ui = np.linalg.inv(u)
    return pattern, ui @ ui.T


def _oblimin(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Direct oblimin (delta = 0) with Kaiser normalization, as SPSS's default."""
    h = _kaiser_rows(a)
    rot = Rotator(method="oblimin", gamma=0, max_iter=2000, tol=1e-7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pattern = np.asarray(rot.fit_transform(a / h)) * h
    return pattern, np.asarray(rot.phi_)


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, repr=False)
class EFAResult:
    """An exploratory factor analysis.

    Attributes
    ----------
    method, rotation : str
        Extraction ("pc", "paf", "ml") and rotation ("varimax", "promax",
        "oblimin", "none").
    n, n_factors : int
        Complete cases and number of factors extracted.
    eigenvalues : Series
        Eigenvalues of the correlation matrix (SPSS "Initial Eigenvalues").
    unrotated : DataFrame
        Extracted loadings (items × F1..Fm), SPSS "Component/Factor Matrix".
    loadings : DataFrame
        Rotated loadings; the pattern matrix for oblique rotations.
    structure : DataFrame
        Structure matrix (pattern × Φ); equals ``loadings`` for orthogonal rotations.
    phi : DataFrame or None
        Factor correlations (oblique rotations only).
    communalities : DataFrame
        ``initial`` (1 for components, SMC for factors) and ``extraction``.
    variance : DataFrame
        SPSS "Total Variance Explained", one row per factor number:
        ``eigenvalue``, ``variance``, ``cumulative`` (initial; shares of the
        number of items), ``extraction_ss``, ``extraction_variance``,
        ``extraction_cumulative``, ``rotation_ss``, ``rotation_variance``,
        ``rotation_cumulative`` (the last two empty for oblique rotations,
        whose ``rotation_ss`` are sums of squared structure loadings).
    adequacy : SamplingAdequacy
        KMO and Bartlett's test of the same data.
    iterations : int
        Principal-axis iterations (0 for other methods).
    converged : bool
    """

    method: str
    rotation: str
    n: int
    n_factors: int
    eigenvalues: pd.Series
    unrotated: pd.DataFrame
    loadings: pd.DataFrame
    structure: pd.DataFrame
    phi: pd.DataFrame | None
    communalities: pd.DataFrame
    variance: pd.DataFrame
    adequacy: SamplingAdequacy
    iterations: int = 0
    converged: bool = True

    @property
    def orthogonal(self) -> bool:
        """Whether the rotation keeps the factors uncorrelated."""
        return self.rotation in _ORTHOGONAL

    def loading_table(self, threshold: float | None = None, *, sort: bool = True) -> pd.DataFrame:
        """Rotated loadings with small ones blanked (NaN), sorted by factor.

        Parameters
        ----------
        threshold : float, optional
            Absolute loadings below it are suppressed (SPSS "suppress small
            coefficients"); default ``thresholds.threshold("efa_loading")``.
        sort : bool
            Group items by the factor of their largest absolute loading and,
            within a factor, by that loading, descending (SPSS "sorted by size").

        Returns
        -------
        DataFrame
            Items × factors, plus a ``communality`` column (extraction).
        """
        cut = _default_cut() if threshold is None else float(threshold)
        table = self.loadings.copy()
        if sort:
            absval = table.abs()
            primary = absval.to_numpy().argmax(axis=1)
            key = pd.DataFrame(
                {"factor": primary, "size": -absval.to_numpy().max(axis=1)}, index=table.index
            )
            table = table.loc[key.sort_values(["factor", "size"], kind="stable").index]
        shown = table.where(table.abs() >= cut)
        shown["communality"] = self.communalities.loc[shown.index, "extraction"]
        return shown

    def to_dict(self) -> dict[str, Any]:
        """The results document the build saves: ``n_factors`` and ``variance``
        (SPSS "Total Variance Explained", one object per factor number)."""
        return {
            "n_factors": self.n_factors,
            "variance": self.variance.reset_index().to_dict("records"),
        }

    def __repr__(self) -> str:
        cum = self.variance["extraction_cumulative"].iloc[self.n_factors - 1]
        return (
            f"EFAResult(method={self.method!r}, rotation={self.rotation!r}, n={self.n}, "
            f"n_factors={self.n_factors}, cumulative variance={cum:.4f})"
        )

    def _repr_html_(self) -> str:
        fmt = "{:.3f}".format
        return (
            self.adequacy._repr_html_()
            + self.variance.head(max(self.n_factors, 1) + 2).to_html(float_format=fmt)
            + self.loading_table().to_html(float_format=fmt, na_rep="")
        )


def _default_cut() -> float:
    return threshold("efa_loading")


def efa(
    data: pd.DataFrame,
    items: Sequence[str] | None = None,
    *,
    n_factors: int | None = None,
    method: Method = "pc",
    rotation: Rotation = "varimax",
    kappa: float = 4.0,
    max_iter: int = 25,
    tol: float = 1e-3,
) -> EFAResult:
    """Exploratory factor analysis (SPSS FACTOR conventions).

    Parameters
    ----------
    data : DataFrame
        Item responses (complete cases are used).
    items : sequence of str, optional
        Items to analyse (default: all columns).
    n_factors : int, optional
        Factors to extract; default the number of eigenvalues above 1
        (Kaiser's rule, SPSS's default).
    method : {"pc", "paf", "ml"}
        Principal components (SPSS default; loadings = eigenvectors ×
        √eigenvalues), iterated principal axis factoring, or maximum
        likelihood (via factor_analyzer, R factanal's objective).
    rotation : {"varimax", "promax", "oblimin", "none"}
        Varimax (default; what theses usually report), promax (kappa),
        direct oblimin with delta 0, all with Kaiser normalization; or none.
    kappa : float
        Promax power (SPSS default 4).
    max_iter, tol : int, float
        Principal-axis iterations and convergence criterion on the largest
        change of a communality (SPSS: 25 and 0.001).

    Returns
    -------
    EFAResult

    References
    ----------
    IBM Corp. SPSS Statistics Algorithms: FACTOR.
    Grieder, S., & Steiner, M. D. (2022). Algorithmic jingle jungle: A
    comparison of implementations of principal axis factoring and promax
    rotation in R and SPSS. Behavior Research Methods, 54, 54-74.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> res = efa(hs, [f"x{i}" for i in range(1, 10)])
    >>> # SPSS: FACTOR /VARIABLES x1 TO x9 /EXTRACTION PC /ROTATION VARIMAX
    >>> res.n_factors, round(float(res.variance["extraction_cumulative"].iloc[2]), 4)
    (3, 0.6911)
    >>> res.loading_table(0.5)["F1"].dropna().round(3).to_dict()
    {'x5': 0.903, 'x4': 0.889, 'x6': 0.869}
    """
    if method not in ("pc", "paf", "ml"):
        raise InputError("method must be 'pc', 'paf' or 'ml'", value=method)
    if rotation not in ("varimax", "promax", "oblimin", "none"):
        raise InputError(
            "rotation must be 'varimax', 'promax', 'oblimin' or 'none'", value=rotation
        )
    r, names, n = _correlations(data, items)
    adequacy = _adequacy(r, names, n)
    p = len(names)
    eigen = np.sort(np.linalg.eigvalsh(r))[::-1]
    m = int((eigen > 1).sum()) if n_factors is None else int(n_factors)
    most = p if method == "pc" else p - 1
    if not 1 <= m <= most:
        raise InputError(
            f"cannot extract {m} factors from {p} items",
            value=n_factors,
            hint="choose fewer factors",
        )

    iterations, converged = 0, True
    if method == "pc":
        unrot = _principal_components(r, m)
        initial = np.ones(p)
    elif method == "paf":
        unrot, iterations, converged = _principal_axis(r, m, max_iter, tol)
        initial = _smc(r)
        if not converged:
            warnings.warn(
                f"principal axis factoring did not converge in {max_iter} iterations "
                "(SPSS would stop here); raise max_iter or extract fewer factors",
                MeasurementWarning,
                stacklevel=2,
            )
    else:
        unrot = _maximum_likelihood(r, m)
        initial = _smc(r)
    unrot = unrot * _reflect(unrot)
    h2 = (unrot**2).sum(axis=1)
    if (h2 > 1).any():
        warnings.warn(
            "a communality exceeds 1 (Heywood case); the solution is improper",
            MeasurementWarning,
            stacklevel=2,
        )

    phi = None
    if m == 1 or rotation == "none":
        pattern = unrot
    elif rotation == "varimax":
        pattern = _varimax(unrot)
        pattern = pattern * _reflect(pattern)
        pattern = pattern[:, np.argsort(-(pattern**2).sum(axis=0), kind="stable")]
    else:
        pattern, phi = _promax_spss(unrot, kappa) if rotation == "promax" else _oblimin(unrot)
        signs = _reflect(pattern)
        pattern = pattern * signs
        phi = phi * np.outer(signs, signs)
    structure = pattern if phi is None else pattern @ phi

    factors = [f"F{j + 1}" for j in range(m)]
    index = pd.Index(names, name="item")

    def frame(a: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(a, index=index, columns=factors)

    rotated = rotation != "none" and m > 1
    extraction_ss = (unrot**2).sum(axis=0)
    rotation_ss = (structure**2).sum(axis=0) if rotated else extraction_ss
    orthogonal = phi is None
    number = pd.RangeIndex(1, p + 1, name="factor")

    def padded(values: np.ndarray) -> np.ndarray:
        return np.r_[values, np.full(p - len(values), np.nan)]

    variance = pd.DataFrame(
        {
            "eigenvalue": eigen,
            "variance": eigen / p,
            "cumulative": np.cumsum(eigen) / p,
            "extraction_ss": padded(extraction_ss),
            "extraction_variance": padded(extraction_ss / p),
            "extraction_cumulative": padded(np.cumsum(extraction_ss) / p),
            "rotation_ss": padded(rotation_ss),
            "rotation_variance": padded(rotation_ss / p) if orthogonal else np.nan,
            "rotation_cumulative": padded(np.cumsum(rotation_ss) / p) if orthogonal else np.nan,
        },
        index=number,
    )
    return EFAResult(
        method=method,
        rotation=rotation if m > 1 else "none",
        n=n,
        n_factors=m,
        eigenvalues=pd.Series(eigen, index=number, name="eigenvalue"),
        unrotated=frame(unrot),
        loadings=frame(pattern),
        structure=frame(structure),
        phi=None if phi is None else pd.DataFrame(phi, index=factors, columns=factors),
        communalities=pd.DataFrame({"initial": initial, "extraction": h2}, index=index),
        variance=variance,
        adequacy=adequacy,
        iterations=iterations,
        converged=converged,
    )
