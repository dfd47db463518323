"""Common-method bias beyond Harman's test: a latent method factor, and a marker variable.

Harman's single-factor test and the single-factor CFA live in
:mod:`sqresearch.measure.validity`. Here:

* :func:`unmeasured_method_factor` -- the unmeasured latent method construct
  (ULMC) of Podsakoff et al. (2003): the measurement model is fitted again
  with a method factor that loads on every item and is uncorrelated with
  the traits; the fit change (Δχ², ΔCFI, ΔRMSEA, …) and the items' variance
  explained by traits and by the method (squared standardised loadings,
  averaged, as Liang et al. 2007 report) say how much the method matters.
* :func:`marker_variable` -- Lindell & Whitney's (2001) correction of the
  correlations among the substantive variables by the smallest correlation
  of a theoretically unrelated marker with them.
* :func:`method_bias` -- the three checks together (``sqresearch cmb``).
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.measure import MeasurementWarning
from sqresearch.measure.items import select_items
from sqresearch.measure.validity import HarmanResult, harman
from sqresearch.sem.fit import SEMResult, fit_sem
from sqresearch.thresholds import passes

#: Fit measures compared between the trait-only and the trait + method model.
FIT_KEYS = ("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr")

#: Name of the method factor in the model syntax.
METHOD = "METHOD"


def fit_comparison(fits: Mapping[str, SEMResult]) -> pd.DataFrame:
    """The :data:`FIT_KEYS` of several fitted models, one row per model (index ``model``).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> fits = {"m1": SimpleNamespace(fit=dict.fromkeys(FIT_KEYS, 1.0))}
    >>> fit_comparison(fits).loc["m1", "df"]
    np.float64(1.0)
    """
    out = pd.DataFrame({name: {k: float(f.fit[k]) for k in FIT_KEYS} for name, f in fits.items()}).T
    out.index.name = "model"
    return out


def models_document(comparison: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """:func:`fit_comparison` as the JSON documents print it (``df`` a whole number)."""
    return {m: {**row, "df": int(row["df"])} for m, row in comparison.to_dict("index").items()}


def _blocks(blocks: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    if not isinstance(blocks, Mapping) or not blocks:
        raise InputError("no constructs given", hint="pass {construct: [items]}")
    out = {str(k): list(v) for k, v in blocks.items()}
    short = [k for k, v in out.items() if len(v) < 2]
    if short:
        raise InputError("a construct needs at least 2 items", value=short[0])
    items = [i for its in out.values() for i in its]
    dupes = sorted({i for i in items if items.count(i) > 1})
    if dupes:
        raise InputError("item listed in two constructs", column=dupes[0])
    return out


def measurement_syntax(blocks: Mapping[str, Sequence[str]]) -> str:
    """lavaan syntax of the CFA: one ``=~`` line per construct.

    Examples
    --------
    >>> print(measurement_syntax({"A": ["a1", "a2"], "B": ["b1", "b2"]}))
    A =~ a1 + a2
    B =~ b1 + b2
    """
    return "\n".join(f"{f} =~ {' + '.join(items)}" for f, items in _blocks(blocks).items())


def method_factor_syntax(
    blocks: Mapping[str, Sequence[str]], *, method: str = METHOD, equal: bool = False
) -> str:
    """lavaan syntax of the CFA plus a method factor on every item, orthogonal to the traits.

    The method factor has variance 1 and free loadings (``equal=True``: one
    loading shared by every item, label ``m``).

    Examples
    --------
    >>> print(method_factor_syntax({"A": ["a1", "a2"], "B": ["b1", "b2"]}))
    A =~ a1 + a2
    B =~ b1 + b2
    METHOD =~ NA*a1 + a2 + b1 + b2
    METHOD ~~ 1*METHOD
    METHOD ~~ 0*A + 0*B
    """
    blocks = _blocks(blocks)
    if method in blocks:
        raise InputError("the method factor's name is a construct's name", value=method)
    items = [i for its in blocks.values() for i in its]
    terms = [f"m*{i}" for i in items] if equal else [f"NA*{items[0]}", *items[1:]]
    return "\n".join(
        [
            measurement_syntax(blocks),
            f"{method} =~ {' + '.join(terms)}",
            f"{method} ~~ 1*{method}",
            f"{method} ~~ {' + '.join(f'0*{f}' for f in blocks)}",
        ]
    )


@dataclass(frozen=True, repr=False)
class MethodFactorResult:
    """The unmeasured latent method construct (ULMC) test.

    Attributes
    ----------
    comparison : DataFrame
        Index ``model`` ("trait", "trait_method"): ``chisq``, ``df``,
        ``pvalue``, ``cfi``, ``tli``, ``rmsea``, ``srmr``.
    delta : Series
        Trait + method minus trait only: ``delta_chisq`` (trait minus
        trait + method, ≥ 0), ``delta_df``, ``pvalue`` of the χ² difference,
        ``delta_cfi``, ``delta_tli``, ``delta_rmsea``, ``delta_srmr``.
    variance : DataFrame
        One row per item (index ``item``): ``construct``, ``trait_loading``
        and ``method_loading`` (standardised), ``trait_variance`` and
        ``method_variance`` (their squares), ``method_pvalue``.
    trait_share, method_share : float
        Mean of ``trait_variance`` and of ``method_variance`` over the items.
    fit_improves : bool
        The method factor improves fit beyond the cut-offs: ΔCFI above
        ``ulmc_delta_cfi`` or ΔRMSEA below ``ulmc_delta_rmsea``.
    method_smaller : bool
        Method variance smaller than trait variance on average.
    verdict : str
        "no_serious_bias" when the fit does not improve beyond the cut-offs
        and method variance is the smaller; else "method_bias".
    admissible : bool
        The trait + method solution converged without a Heywood case or
        negative variance (ULMC models often do not: read with care).
    """

    comparison: pd.DataFrame
    delta: pd.Series
    variance: pd.DataFrame
    trait_share: float
    method_share: float
    fit_improves: bool
    method_smaller: bool
    verdict: str
    admissible: bool
    trait_fit: SEMResult = field(repr=False)
    method_fit: SEMResult = field(repr=False)

    @property
    def ratio(self) -> float:
        """Trait to method variance (Liang et al. 2007 report it as "about r:1")."""
        return self.trait_share / self.method_share if self.method_share > 0 else float("inf")

    def to_dict(self) -> dict[str, Any]:
        """The ``ulmc`` part of the ``sqresearch cmb --json`` document."""
        return {
            "models": models_document(self.comparison),
            "delta": {**self.delta.to_dict(), "delta_df": int(self.delta["delta_df"])},
            "items": self.variance.to_dict("index"),
            "trait_share": self.trait_share,
            "method_share": self.method_share,
            "fit_improves": self.fit_improves,
            "method_smaller": self.method_smaller,
            "admissible": self.admissible,
            "verdict": self.verdict,
        }

    def __repr__(self) -> str:
        d = self.delta
        return (
            f"MethodFactorResult(Δχ²({d['delta_df']:.0f}) = {d['delta_chisq']:.3f}, "
            f"ΔCFI = {d['delta_cfi']:.3f}, ΔRMSEA = {d['delta_rmsea']:.3f}, "
            f"trait share = {self.trait_share:.3f}, method share = {self.method_share:.3f}, "
            f"verdict={self.verdict!r})"
        )

    def _repr_html_(self) -> str:
        fmt = "{:.3f}".format
        return (
            f"<p><b>Unmeasured latent method construct</b>: {html.escape(repr(self))}</p>"
            + self.comparison.to_html(float_format=fmt)
            + self.variance.to_html(float_format=fmt)
        )


def _admissible(fit: SEMResult) -> bool:
    est = fit.estimates
    variances = est[(est["op"] == "~~") & (est["lhs"] == est["rhs"])]
    loadings = est.loc[est["op"] == "=~", "std_all"]
    return bool(fit.converged and (variances["est"] >= 0).all() and (loadings.abs() <= 1).all())


def unmeasured_method_factor(
    data: pd.DataFrame,
    blocks: Mapping[str, Sequence[str]],
    *,
    equal: bool = False,
    missing: str = "listwise",
) -> MethodFactorResult:
    """Common-method test with an unmeasured latent method construct (ULMC).

    Parameters
    ----------
    data : DataFrame
        Item responses.
    blocks : mapping of str to sequence of str
        Construct -> its items (the measurement model).
    equal : bool
        Constrain the method loadings to one value (a common variant that
        helps when the free model is not identified empirically).
    missing : {"listwise", "fiml"}
        Passed to :func:`~sqresearch.sem.fit.fit_sem`.

    Returns
    -------
    MethodFactorResult

    Notes
    -----
    Both models are fitted by ML with :func:`~sqresearch.sem.fit.fit_sem`
    (:func:`measurement_syntax`, :func:`method_factor_syntax`). Each item's
    variance splits into trait (λ_trait²), method (λ_method²) and error,
    from the standardised solution; Liang et al. (2007) compare the mean
    trait and method shares. The fit change is judged with the cut-offs of
    nested-model comparisons (:mod:`sqresearch.thresholds`:
    ``ulmc_delta_cfi``, ``ulmc_delta_rmsea``). ULMC models are often only
    weakly identified: a solution with a negative variance or a
    standardised loading above 1 is flagged (``admissible`` False, a
    :class:`~sqresearch.measure.MeasurementWarning`).

    References
    ----------
    Podsakoff, P. M., MacKenzie, S. B., Lee, J.-Y., & Podsakoff, N. P. (2003).
    Common method biases in behavioral research. Journal of Applied
    Psychology, 88, 879-903.
    Liang, H., Saraf, N., Hu, Q., & Xue, Y. (2007). Assimilation of
    enterprise systems. MIS Quarterly, 31, 59-87.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> blocks = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
    ...           "speed": ["x7", "x8", "x9"]}
    >>> with warnings.catch_warnings(record=True):  # lavaan too: negative lv variance
    ...     res = unmeasured_method_factor(hs, blocks)
    >>> # In R: fitMeasures(cfa(method_factor_syntax(blocks), HolzingerSwineford1939))
    >>> round(float(res.comparison.loc["trait_method", "chisq"]), 3), res.admissible
    (26.02, False)
    """
    blocks = _blocks(blocks)
    trait = fit_sem(measurement_syntax(blocks), data, missing=missing)
    method = fit_sem(method_factor_syntax(blocks, equal=equal), data, missing=missing)
    admissible = _admissible(method)
    if not admissible:
        warnings.warn(
            "the model with the method factor has an inadmissible solution (non-convergence, "
            "a negative variance or a standardised loading above 1); its variance shares "
            "are not interpretable",
            MeasurementWarning,
            stacklevel=2,
        )
    comparison = fit_comparison({"trait": trait, "trait_method": method})
    t, m = comparison.loc["trait"], comparison.loc["trait_method"]
    delta_chisq, delta_df = t["chisq"] - m["chisq"], t["df"] - m["df"]
    delta = pd.Series(
        {
            "delta_chisq": delta_chisq,
            "delta_df": delta_df,
            "pvalue": float(stats.chi2.sf(delta_chisq, delta_df)),
            **{f"delta_{k}": m[k] - t[k] for k in ("cfi", "tli", "rmsea", "srmr")},
        }
    )
    est = method.estimates[method.estimates["op"] == "=~"]
    meth = est[est["lhs"] == METHOD].set_index("rhs")
    rows = {}
    for construct, items in blocks.items():
        own = est[est["lhs"] == construct].set_index("rhs")
        for item in items:
            lt, lm = float(own.loc[item, "std_all"]), float(meth.loc[item, "std_all"])
            rows[item] = {
                "construct": construct,
                "trait_loading": lt,
                "method_loading": lm,
                "trait_variance": lt**2,
                "method_variance": lm**2,
                "method_pvalue": float(meth.loc[item, "pvalue"]),
            }
    variance = pd.DataFrame.from_dict(rows, orient="index")
    variance.index.name = "item"
    trait_share = float(variance["trait_variance"].mean())
    method_share = float(variance["method_variance"].mean())
    fit_improves = not (
        passes("ulmc_delta_cfi", delta["delta_cfi"])
        and passes("ulmc_delta_rmsea", delta["delta_rmsea"])
    )
    smaller = method_share < trait_share
    return MethodFactorResult(
        comparison=comparison,
        delta=delta,
        variance=variance,
        trait_share=trait_share,
        method_share=method_share,
        fit_improves=fit_improves,
        method_smaller=smaller,
        verdict="no_serious_bias" if smaller and not fit_improves else "method_bias",
        admissible=admissible,
        trait_fit=trait,
        method_fit=method,
    )


# --------------------------------------------------------------------------- marker variable


@dataclass(frozen=True, repr=False)
class MarkerResult:
    """Lindell & Whitney's (2001) marker-variable correction.

    Attributes
    ----------
    marker : str
        The marker variable.
    marker_correlations : Series
        Correlation of the marker with each substantive variable.
    r_m : float
        The correction: the smallest positive marker correlation (or as given).
    pairs : DataFrame
        One row per pair (``v1``, ``v2``, in the given order): ``r``,
        ``pvalue`` (uncorrected), ``r_adjusted``, ``t``, ``df``,
        ``pvalue_adjusted``, ``significant`` and ``significant_adjusted``
        at the ``alpha_level`` threshold.
    n : int
        Complete rows used.
    verdict : str
        "no_serious_bias" when every correlation significant before the
        correction stays significant after it, else "method_bias".
    """

    marker: str
    marker_correlations: pd.Series
    r_m: float
    pairs: pd.DataFrame
    n: int
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        """The ``marker`` part of the ``sqresearch cmb --json`` document."""
        return {
            "marker": self.marker,
            "n": self.n,
            "r_m": self.r_m,
            "marker_correlations": self.marker_correlations.to_dict(),
            "pairs": self.pairs.to_dict("records"),
            "verdict": self.verdict,
        }

    def __repr__(self) -> str:
        kept = int(self.pairs["significant_adjusted"].sum())
        return (
            f"MarkerResult(marker={self.marker!r}, r_M = {self.r_m:.3f}, n={self.n}, "
            f"{kept} of {int(self.pairs['significant'].sum())} significant correlations kept, "
            f"verdict={self.verdict!r})"
        )

    def _repr_html_(self) -> str:
        return f"<p><b>Marker variable</b>: {html.escape(repr(self))}</p>" + self.pairs.to_html(
            index=False, float_format="{:.3f}".format
        )


def marker_variable(
    data: pd.DataFrame,
    variables: Mapping[str, Sequence[str]] | Sequence[str],
    marker: str | Sequence[str],
    *,
    r_m: float | None = None,
) -> MarkerResult:
    """Correlations corrected for common-method variance by a marker variable.

    Parameters
    ----------
    data : DataFrame
        Respondents in rows.
    variables : mapping of str to sequence of str, or sequence of str
        Substantive variables: construct -> items (the item mean is used),
        or column names used as they are.
    marker : str or sequence of str
        The marker: a column, or the items of a marker scale (their mean).
        It should be theoretically unrelated to the substantive variables.
    r_m : float, optional
        The correction; default the smallest positive correlation of the
        marker with the substantive variables (Lindell & Whitney, 2001).

    Returns
    -------
    MarkerResult

    Notes
    -----
    r_A = (r_U - r_M) / (1 - r_M) and t = r_A / √((1 - r_A²) / (n - 3)) with
    n - 3 df (Lindell & Whitney, 2001, Equations 4 and 5). Rows with a
    missing value on any variable used are dropped.

    References
    ----------
    Lindell, M. K., & Whitney, D. J. (2001). Accounting for common method
    variance in cross-sectional research designs. Journal of Applied
    Psychology, 86, 114-121.

    Examples
    --------
    >>> df = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6], "y": [2, 1, 4, 3, 6, 5],
    ...                    "mk": [1, 2, 2, 3, 3, 1]})
    >>> res = marker_variable(df, ["x", "y"], "mk")
    >>> # r_xy = .829, r_M = .239: r_A = (.829 - .239) / (1 - .239)
    >>> round(res.r_m, 4), round(float(res.pairs.loc[0, "r_adjusted"]), 4), res.verdict
    (0.239, 0.7747, 'method_bias')
    """
    if isinstance(variables, Mapping):
        blocks = {str(k): list(v) for k, v in variables.items()}
    else:
        blocks = {str(v): [v] for v in variables}
    if len(blocks) < 2:
        raise InputError("the marker correction needs at least 2 substantive variables")
    marker_items = [marker] if isinstance(marker, str) else list(marker)
    name = marker if isinstance(marker, str) else "marker"
    used = [i for its in blocks.values() for i in its]
    clash = [i for i in marker_items if i in used]
    if clash:
        raise InputError("the marker is also a substantive item", column=clash[0])
    frame = select_items(data, list(dict.fromkeys(used + marker_items)), min_rows=4)
    scores = pd.DataFrame({k: frame[its].mean(axis=1) for k, its in blocks.items()})
    mk = frame[marker_items].mean(axis=1)
    n = len(frame)
    marker_r = scores.corrwith(mk)
    if r_m is None:
        positive = marker_r[marker_r > 0]
        if positive.empty:
            raise InputError(
                "the marker correlates with no substantive variable positively",
                column=name,
                hint="give r_m, or choose another marker",
            )
        r_m = float(positive.min())
    if not -1 < r_m < 1:
        raise InputError("r_m must lie between -1 and 1", value=r_m)
    corr = scores.corr()
    names = list(blocks)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            r = float(corr.loc[a, b])
            r_a = (r - r_m) / (1 - r_m)
            t = r_a / np.sqrt((1 - r_a**2) / (n - 3))
            t_u = r / np.sqrt((1 - r**2) / (n - 2))
            p_u = float(2 * stats.t.sf(abs(t_u), n - 2))
            p_a = float(2 * stats.t.sf(abs(t), n - 3))
            rows.append(
                {
                    "v1": a,
                    "v2": b,
                    "r": r,
                    "pvalue": p_u,
                    "r_adjusted": r_a,
                    "t": float(t),
                    "df": n - 3,
                    "pvalue_adjusted": p_a,
                    "significant": passes("alpha_level", p_u),
                    "significant_adjusted": passes("alpha_level", p_a),
                }
            )
    pairs = pd.DataFrame(rows)
    lost = pairs["significant"] & ~pairs["significant_adjusted"]
    return MarkerResult(
        marker=name,
        marker_correlations=marker_r,
        r_m=r_m,
        pairs=pairs,
        n=n,
        verdict="method_bias" if lost.any() else "no_serious_bias",
    )


@dataclass(frozen=True, repr=False)
class MethodBiasResult:
    """Harman's test, and optionally the method factor and the marker variable.

    Attributes
    ----------
    harman : HarmanResult
    ulmc : MethodFactorResult or None
    marker : MarkerResult or None
    """

    harman: HarmanResult
    ulmc: MethodFactorResult | None = None
    marker: MarkerResult | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``sqresearch cmb --json`` document: ``harman``, and ``ulmc``, ``marker`` when run."""
        doc: dict[str, Any] = {"harman": self.harman.to_dict()}
        if self.ulmc is not None:
            doc["ulmc"] = self.ulmc.to_dict()
        if self.marker is not None:
            doc["marker"] = self.marker.to_dict()
        return doc

    def __repr__(self) -> str:
        parts = [repr(self.harman)] + [repr(r) for r in (self.ulmc, self.marker) if r is not None]
        return "MethodBiasResult(" + ", ".join(parts) + ")"

    def _repr_html_(self) -> str:
        parts = [self.harman._repr_html_()]
        parts += [r._repr_html_() for r in (self.ulmc, self.marker) if r is not None]
        return "<p><b>Common-method bias</b></p>" + "".join(parts)


def method_bias(
    data: pd.DataFrame,
    scales: Mapping[str, Sequence[str]],
    *,
    marker: str | Sequence[str] | None = None,
    ulmc: bool = True,
    equal: bool = False,
) -> MethodBiasResult:
    """Harman's single-factor test on every item, the ULMC and the marker variable.

    Parameters
    ----------
    data : DataFrame
    scales : mapping of str to sequence of str
        Construct -> items.
    marker : str or sequence of str, optional
        A marker column, or the items of a marker scale (:func:`marker_variable`);
        None skips the marker correction.
    ulmc : bool
        Fit the unmeasured latent method construct (:func:`unmeasured_method_factor`);
        its inadmissible solutions are reported in ``admissible`` and the
        verdict rather than warned.
    equal : bool
        Constrain the method factor's loadings to one value.

    Returns
    -------
    MethodBiasResult

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=(200, 1))
    >>> df = pd.DataFrame(f + rng.normal(size=(200, 3)), columns=["a1", "a2", "a3"])
    >>> res = method_bias(df, {"A": ["a1", "a2", "a3"]}, ulmc=False)
    >>> sorted(res.to_dict()), res.harman.n
    (['harman'], 200)
    """
    single = harman(data, [i for its in scales.values() for i in its])
    method = None
    if ulmc:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # inadmissible solutions are in the result
            method = unmeasured_method_factor(data, scales, equal=equal)
    corrected = None
    if marker:
        corrected = marker_variable(data, scales, marker[0] if len(marker) == 1 else marker)
    return MethodBiasResult(single, method, corrected)
