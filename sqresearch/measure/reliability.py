"""Scale reliability: Cronbach's alpha, item-total statistics, McDonald's omega.

One scale at a time (:func:`cronbach_alpha`, :func:`mcdonald_omega`) or many
at once (:func:`reliability_table`). Rows with a missing answer on any item of
a scale are dropped for that scale (listwise within the scale), so ``n`` can
differ between scales. Reverse-keyed items are recoded ``points + 1 - x``
before anything is computed.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sqresearch.errors import InputError
from sqresearch.jsondoc import carries_warnings, warnings_html
from sqresearch.measure import MeasurementWarning
from sqresearch.measure.items import (
    check_answer_range,
    reverse_code,
    select_items,
    unknown_reverse,
)

# Tight optimiser settings for semopy (NOTES.md: its defaults stop early).
_SEMOPY_FIT = {"solver": "SLSQP", "options": {"ftol": 1e-12, "maxiter": 10000}}

_ITEM_COLUMNS = [
    "mean",
    "sd",
    "r",
    "citc",
    "alpha_if_deleted",
    "std_alpha_if_deleted",
    "reversed",
    "negative",
]


@dataclass(frozen=True, repr=False)
class ScaleReliability:
    """Reliability of one scale, as psych::alpha reports it (plus omega).

    Attributes
    ----------
    name : str
        Scale name.
    alpha, std_alpha : float
        Cronbach's alpha from covariances (raw) and from correlations
        (standardised).
    omega : float
        McDonald's omega from a one-factor ML CFA, (Σλ)²/((Σλ)²+Σθ) -- semTools
        ``compRelSEM(fit, obs.var = FALSE)``; NaN for fewer than 3 items or
        when not requested.
    average_r : float
        Mean inter-item correlation.
    n : int
        Respondents used (complete on every item of the scale).
    items : DataFrame
        Indexed by item: ``mean``, ``sd`` (after reverse-keying), ``r``
        (item-total correlation, psych ``raw.r``), ``citc`` (corrected
        item-total correlation, psych ``r.drop``), ``alpha_if_deleted``,
        ``std_alpha_if_deleted``, ``reversed`` and ``negative`` (the item
        points the other way from the rest of the scale: probably a
        reverse-keyed item not yet reversed; see Notes of :func:`cronbach_alpha`).
    sign_problem : bool
        Some item is ``negative``: alpha and omega are then not
        interpretable (they mix items pointing in opposite directions) until
        the item is reverse-keyed or dropped. Computed from ``items``.
    """

    name: str
    alpha: float
    std_alpha: float
    omega: float
    average_r: float
    n: int
    items: pd.DataFrame

    @property
    def k(self) -> int:
        """Number of items."""
        return len(self.items)

    @property
    def sign_problem(self) -> bool:
        """Whether an item correlates negatively with the rest (alpha, omega not interpretable)."""
        return bool(self.items["negative"].any())

    def summary(self) -> pd.DataFrame:
        """One row (indexed by the scale name): k, n, alpha, std_alpha, omega, average_r, sign_problem."""
        row = {
            "k": self.k,
            "n": self.n,
            "alpha": self.alpha,
            "std_alpha": self.std_alpha,
            "omega": self.omega,
            "average_r": self.average_r,
            "sign_problem": self.sign_problem,
        }
        return pd.DataFrame([row], index=pd.Index([self.name], name="scale"))

    def __repr__(self) -> str:
        return (
            f"ScaleReliability({self.name!r}: k={self.k}, n={self.n}, alpha={self.alpha:.4f}, "
            f"std_alpha={self.std_alpha:.4f}, omega={self.omega:.4f})"
        )

    def _repr_html_(self) -> str:
        return self.summary().to_html(float_format="{:.3f}".format) + self.items.to_html(
            float_format="{:.3f}".format
        )


@dataclass(frozen=True, repr=False)
class ReliabilityTable:
    """Reliability of several scales.

    Attributes
    ----------
    scales : DataFrame
        One row per scale (index ``scale``): k, n, alpha, std_alpha, omega,
        average_r, sign_problem.
    items : DataFrame
        One row per item (index ``scale``, ``item``): the columns of
        :attr:`ScaleReliability.items`.
    results : dict of str to ScaleReliability
        The per-scale results, in the order given.
    warnings : list of str
        Raised while computing (an item without variance, omega left
        empty, ...), one line each.
    """

    scales: pd.DataFrame
    items: pd.DataFrame
    results: dict
    warnings: list = field(default_factory=list)

    def __repr__(self) -> str:
        return f"ReliabilityTable({len(self.results)} scales)\n{self.scales.to_string()}"

    def to_dict(self) -> dict:
        """The ``sqresearch reliability --json`` document (docs/reference/cli.md, "reliability")."""
        return {
            "scales": {
                name: {
                    "alpha": res.alpha,
                    "std_alpha": res.std_alpha,
                    "omega": res.omega,
                    "n": res.n,
                    "items": {
                        item: {"citc": row["citc"], "alpha_if_deleted": row["alpha_if_deleted"]}
                        for item, row in res.items.iterrows()
                    },
                }
                for name, res in self.results.items()
            },
            "warnings": list(self.warnings),
        }

    def _repr_html_(self) -> str:
        return (
            warnings_html(self.warnings)
            + self.scales.to_html(float_format="{:.3f}".format)
            + self.items.to_html(float_format="{:.3f}".format)
        )


def _alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    return k / (k - 1) * (1.0 - np.trace(cov) / cov.sum())


def _prepared(
    data: pd.DataFrame,
    items: Sequence[str] | None,
    reverse: Iterable[str],
    scale_points: int | None,
) -> tuple[pd.DataFrame, list[str]]:
    frame = select_items(data, items)
    if scale_points is not None:
        check_answer_range(frame, scale_points, whole=True)
    reverse = list(reverse)
    return reverse_code(frame, reverse, scale_points), [c for c in reverse if c in frame.columns]


def cronbach_alpha(
    data: pd.DataFrame,
    items: Sequence[str] | None = None,
    *,
    reverse: Iterable[str] = (),
    scale_points: int | None = None,
    omega: bool = True,
    name: str = "scale",
) -> ScaleReliability:
    """Cronbach's alpha with item-total statistics and McDonald's omega.

    Parameters
    ----------
    data : DataFrame
        Item responses, respondents in rows.
    items : sequence of str, optional
        The scale's items (default: every column).
    reverse : iterable of str
        Reverse-keyed items, recoded ``scale_points + 1 - x`` first. Names
        that are not among ``items`` are ignored (one list can serve all
        scales).
    scale_points : int, optional
        Number of answer categories: when given, every answer must be a
        whole number 1..points (:class:`InputError` otherwise); when omitted,
        nothing is range-checked and reverse-keying uses the observed
        ``min + max - x`` (as psych). Only item means depend on it.
    omega : bool
        Also fit the one-factor CFA for McDonald's omega (default True).
    name : str
        Scale name used in summaries.

    Returns
    -------
    ScaleReliability

    Notes
    -----
    With C the item covariance matrix (complete cases, n - 1 divisor), R the
    correlation matrix and k items:

    * alpha = k/(k-1) · (1 - tr C / ΣC);  std_alpha = k/(k-1) · (1 - k / ΣR)
    * citc_i = corr(x_i, T - x_i) with T the sum score (psych ``r.drop``)
    * alpha_if_deleted_i = alpha of the k - 1 other items
    * omega: see :func:`mcdonald_omega`.

    An item that points the other way from the rest of the scale (its
    loading on the first principal component of the item correlations has
    the minority sign, or its citc is negative) is ``negative``: a
    :class:`MeasurementWarning` names it and suggests reverse-keying it, and
    ``sign_problem`` marks alpha and omega as not interpretable (items of
    opposite directions cancel in the sum score).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
    tests. Psychometrika, 16, 297-334.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> res = cronbach_alpha(hs, ["x1", "x2", "x3"], name="visual")
    >>> # In R: psych::alpha(HolzingerSwineford1939[c("x1", "x2", "x3")])
    >>> round(res.alpha, 4), round(res.std_alpha, 4), res.n
    (0.6261, 0.6272, 301)
    >>> res.items["citc"].round(4).tolist()
    [0.449, 0.375, 0.4843]
    """
    frame, reversed_items = _prepared(data, items, reverse, scale_points)
    k = frame.shape[1]
    if k < 2:
        raise InputError(
            f"scale {name!r} has only {k} item; alpha needs at least 2", column=list(frame)[0]
        )
    x = frame.to_numpy()
    sd = x.std(axis=0, ddof=1)
    flat = [c for c, s in zip(frame.columns, sd, strict=True) if not s > 0]
    if flat:
        warnings.warn(
            f"scale {name!r}: item {flat[0]!r} has no variance; its correlations are undefined",
            MeasurementWarning,
            stacklevel=2,
        )
    cov = np.cov(x, rowvar=False, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(sd, sd)
    total = x.sum(axis=1)
    rows = {}
    for i, col in enumerate(frame.columns):
        keep = [j for j in range(k) if j != i]
        rest = total - x[:, i]
        with np.errstate(invalid="ignore", divide="ignore"):
            r_total = np.corrcoef(x[:, i], total)[0, 1]
            citc = np.corrcoef(x[:, i], rest)[0, 1]
        if k > 2:
            a_drop = _alpha_from_cov(cov[np.ix_(keep, keep)])
            r_sub = corr[np.ix_(keep, keep)]
            std_drop = (k - 1) / (k - 2) * (1.0 - (k - 1) / r_sub.sum())
        else:  # alpha of one item is undefined
            a_drop = std_drop = np.nan
        rows[col] = {
            "mean": x[:, i].mean(),
            "sd": sd[i],
            "r": r_total,
            "citc": citc,
            "alpha_if_deleted": a_drop,
            "std_alpha_if_deleted": std_drop,
            "reversed": col in reversed_items,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table["negative"] = _opposite_items(corr, table["citc"].to_numpy())
    table = table[_ITEM_COLUMNS]
    table.index.name = "item"
    negative = table.index[table["negative"]].tolist()
    if negative:
        warnings.warn(
            f"scale {name!r}: {', '.join(map(repr, negative))} point"
            f"{'s' if len(negative) == 1 else ''} the other way from the other items "
            f"(corrected item-total r = {', '.join(f'{v:.3f}' for v in table.loc[negative, 'citc'])}); "
            f"probably reverse-keyed: pass reverse={negative!r}. Until then alpha and omega "
            "are not interpretable",
            MeasurementWarning,
            stacklevel=2,
        )
    return ScaleReliability(
        name=name,
        alpha=float(_alpha_from_cov(cov)),
        std_alpha=float(k / (k - 1) * (1.0 - k / corr.sum())),
        omega=_omega_one_factor(frame, name) if omega else float("nan"),
        average_r=float((corr.sum() - k) / (k * (k - 1))),
        n=len(frame),
        items=table,
    )


def _opposite_items(corr: np.ndarray, citc: np.ndarray) -> np.ndarray:
    """Items pointing the other way from the scale: the reverse-keying candidates.

    Those whose loading on the first principal component of the item
    correlations has the minority sign (ties: the sign of the first item);
    when every item shares one sign, those with a negative corrected
    item-total correlation. (One reversed item drags the citc of good items
    towards 0 and below; the component shows which items to reverse.)
    """
    citc_negative = np.nan_to_num(citc, nan=0.0) < 0
    if not np.isfinite(corr).all():
        return citc_negative
    _, vectors = np.linalg.eigh(corr)
    first = vectors[:, -1]
    majority = np.sign(first.sum()) or np.sign(first[0])
    opposite = np.sign(first) == -majority
    return opposite if opposite.any() else citc_negative


def mcdonald_omega(
    data: pd.DataFrame,
    items: Sequence[str] | None = None,
    *,
    reverse: Iterable[str] = (),
    scale_points: int | None = None,
) -> float:
    """McDonald's omega (total) from a one-factor CFA fitted by ML.

    Parameters
    ----------
    data, items, reverse, scale_points
        As for :func:`cronbach_alpha`.

    Returns
    -------
    float
        (Σλ)² ψ / ((Σλ)² ψ + Σθ); NaN (with a :class:`MeasurementWarning`) for
        fewer than three items, where a one-factor model is not identified.

    Notes
    -----
    This is semTools ``compRelSEM(cfa(model, data), obs.var = FALSE)`` for the
    model ``F =~ x1 + ... + xk`` (complete cases, ML). ``psych::omega``
    extracts by minres and gives other values. The fit uses semopy with
    tight tolerances (SLSQP, ftol 1e-12); omega does not depend on the
    identification (marker item or unit factor variance).

    References
    ----------
    McDonald, R. P. (1999). Test theory: A unified treatment. Erlbaum.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> # In R: semTools::compRelSEM(cfa("F =~ x1 + x2 + x3", HolzingerSwineford1939), obs.var = FALSE)
    >>> round(mcdonald_omega(hs, ["x1", "x2", "x3"]), 4)
    0.6326
    """
    frame, _ = _prepared(data, items, reverse, scale_points)
    return _omega_one_factor(frame, "scale")


def _omega_one_factor(frame: pd.DataFrame, name: str) -> float:
    k = frame.shape[1]
    if k < 3:
        warnings.warn(
            f"scale {name!r}: omega needs at least 3 items (a one-factor model of {k} items "
            "is not identified); omega is left empty",
            MeasurementWarning,
            stacklevel=3,
        )
        return float("nan")
    flat = [c for c, s in frame.std(ddof=1).items() if not s > 0]
    if flat:
        warnings.warn(
            f"scale {name!r}: item {flat[0]!r} has no variance, so the one-factor model for "
            "omega cannot be fitted; omega is left empty",
            MeasurementWarning,
            stacklevel=3,
        )
        return float("nan")
    # semopy fits the one-factor model here; imported only when ω is asked for, since
    # its import (sympy, statsmodels) costs seconds (issue 18)
    import semopy

    # semopy's syntax parser needs plain names; item names may be Chinese.
    names = [f"v{i}" for i in range(k)]
    renamed = frame.set_axis(names, axis=1)
    model = semopy.Model("F =~ " + " + ".join(names))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = model.fit(renamed, **_SEMOPY_FIT)
    except (np.linalg.LinAlgError, ValueError):
        warnings.warn(
            f"scale {name!r}: the items' covariance matrix is singular (an item is a copy or a "
            "sum of others), so the one-factor model for omega cannot be fitted; omega is left empty",
            MeasurementWarning,
            stacklevel=3,
        )
        return float("nan")
    est = model.inspect()
    if not getattr(result, "success", True):
        warnings.warn(
            f"scale {name!r}: the one-factor model for omega did not converge; omega may be wrong",
            MeasurementWarning,
            stacklevel=3,
        )
    loadings = est[(est["op"] == "~") & (est["rval"] == "F")].set_index("lval")["Estimate"]
    variances = est[(est["op"] == "~~") & (est["lval"] == est["rval"])].set_index("lval")[
        "Estimate"
    ]
    psi = float(variances["F"])
    theta = variances.reindex(names).astype(float)
    if (theta < 0).any():
        warnings.warn(
            f"scale {name!r}: negative residual variance in the one-factor model "
            "(Heywood case); omega is computed but suspect",
            MeasurementWarning,
            stacklevel=3,
        )
    common = psi * float(loadings.reindex(names).astype(float).sum()) ** 2
    return common / (common + float(theta.sum()))


@carries_warnings
def reliability_table(
    data: pd.DataFrame,
    scales: Mapping[str, Sequence[str]],
    *,
    reverse: Iterable[str] = (),
    scale_points: int | None = None,
    omega: bool = True,
) -> ReliabilityTable:
    """Reliability of several scales at once, listwise within each scale.

    Parameters
    ----------
    data : DataFrame
        Item responses.
    scales : mapping of str to sequence of str
        Scale name -> its items, in the order to report.
    reverse : iterable of str
        Reverse-keyed items of any scale; a name that is in no scale raises
        :class:`InputError` (a likely typo).
    scale_points : int, optional
        Number of answer categories (see :func:`cronbach_alpha`).
    omega : bool
        Compute McDonald's omega for each scale.

    Returns
    -------
    ReliabilityTable

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> tab = reliability_table(hs, {"visual": ["x1", "x2", "x3"], "speed": ["x7", "x8", "x9"]})
    >>> tab.scales["alpha"].round(3).to_dict()
    {'visual': 0.626, 'speed': 0.688}
    """
    if not scales:
        raise InputError("no scales given", hint="pass {scale name: [items]}")
    reverse = list(reverse)
    typos = unknown_reverse(reverse, [i for its in scales.values() for i in its])
    if typos:
        raise InputError("reverse-keyed item is in no scale", column=typos[0])
    results = {
        name: cronbach_alpha(
            data, items, reverse=reverse, scale_points=scale_points, omega=omega, name=name
        )
        for name, items in scales.items()
    }
    summary = pd.concat([r.summary() for r in results.values()])
    items_table = pd.concat({name: r.items for name, r in results.items()}, names=["scale", "item"])
    return ReliabilityTable(scales=summary, items=items_table, results=results)
