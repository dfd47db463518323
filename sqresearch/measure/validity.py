"""Convergent and discriminant validity from a CFA, and common-method bias.

The functions read a SEM estimates table in lavaan's layout (columns ``lhs``,
``op``, ``rhs``, ``est``, ``std_all``; what ``sqresearch.sem.fit.fit_sem``
returns as ``.estimates``) and, where the definition needs item correlations,
the data. Nothing here fits a model.

Names follow NOTES.md: ``cr`` and ``ave`` are Fornell & Larcker's (1981)
formulas on standardised loadings, ``omega`` is semTools' ``compRelSEM(fit,
obs.var = FALSE)``; ``htmt`` is Henseler, Ringle & Sarstedt's (2015) ratio of
arithmetic means of absolute item correlations, ``htmt2`` the geometric-mean
variant (semTools' default).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.measure import MeasurementWarning
from sqresearch.measure.items import select_items
from sqresearch.thresholds import passes, threshold

Blocks = Mapping[str, Sequence[str]] | pd.DataFrame

_REQUIRED = ("lhs", "op", "rhs", "est", "std_all")


# --------------------------------------------------------------------------- estimates table


def _checked(estimates: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(estimates, pd.DataFrame):
        raise InputError("expected an estimates DataFrame (lavaan layout)")
    absent = [c for c in _REQUIRED if c not in estimates.columns]
    if absent:
        raise InputError(
            "estimates table lacks a column", column=absent[0], hint="pass SEMResult.estimates"
        )
    if "group" in estimates.columns and estimates["group"].nunique() > 1:
        raise InputError(
            "estimates of a multi-group model",
            column="group",
            hint="select one group's rows first, e.g. est[est['group'] == level]",
        )
    if not (estimates["op"] == "=~").any():
        raise InputError("estimates table has no '=~' (measurement) rows")
    return estimates


def blocks_from_estimates(estimates: pd.DataFrame) -> dict[str, list[str]]:
    """Factor -> indicators, from the ``=~`` rows, in the model's order.

    Examples
    --------
    >>> est = pd.DataFrame({"lhs": ["A", "A", "B", "B"], "op": "=~",
    ...                     "rhs": ["a1", "a2", "b1", "b2"], "est": 1.0, "std_all": 0.7})
    >>> blocks_from_estimates(est)
    {'A': ['a1', 'a2'], 'B': ['b1', 'b2']}
    """
    rows = _checked(estimates)
    rows = rows[rows["op"] == "=~"]
    out: dict[str, list[str]] = {}
    for lhs, rhs in zip(rows["lhs"], rows["rhs"], strict=True):
        out.setdefault(lhs, []).append(rhs)
    return out


def _blocks(blocks: Blocks) -> dict[str, list[str]]:
    if isinstance(blocks, pd.DataFrame):
        found = blocks_from_estimates(blocks)
        latent = set(found)
        return {f: items for f, items in found.items() if not latent.intersection(items)}
    out = {str(k): list(v) for k, v in blocks.items()}
    if len(out) < 1 or any(len(v) == 0 for v in out.values()):
        raise InputError("each construct needs at least one item", hint="pass {factor: [items]}")
    return out


def _latent_covariance(est: pd.DataFrame) -> pd.DataFrame:
    """Model-implied covariance of the latent (and structural observed) variables.

    Σ_η = (I - B)⁻¹ Ψ (I - B)⁻ᵀ, with B from ``~`` rows and from ``=~`` rows
    whose indicator is itself latent (higher-order factors), Ψ from ``~~``.
    """
    measurement = est[est["op"] == "=~"]
    latents = list(dict.fromkeys(measurement["lhs"]))
    indicators = set(measurement["rhs"]) - set(latents)
    structural = est[est["op"] == "~"]
    extra = [
        v
        for v in dict.fromkeys(list(structural["lhs"]) + list(structural["rhs"]))
        if v not in latents and v not in indicators
    ]
    eta = latents + extra
    pos = {v: i for i, v in enumerate(eta)}
    size = len(eta)
    b = np.zeros((size, size))
    for lhs, rhs, value in zip(
        structural["lhs"], structural["rhs"], structural["est"], strict=True
    ):
        if lhs in pos and rhs in pos:
            b[pos[lhs], pos[rhs]] = value
    higher = measurement[measurement["rhs"].isin(latents)]
    for lhs, rhs, value in zip(higher["lhs"], higher["rhs"], higher["est"], strict=True):
        b[pos[rhs], pos[lhs]] = value
    psi = np.zeros((size, size))
    cov_rows = est[(est["op"] == "~~") & est["lhs"].isin(pos) & est["rhs"].isin(pos)]
    for lhs, rhs, value in zip(cov_rows["lhs"], cov_rows["rhs"], cov_rows["est"], strict=True):
        psi[pos[lhs], pos[rhs]] = psi[pos[rhs], pos[lhs]] = value
    inv = np.linalg.inv(np.eye(size) - b)
    return pd.DataFrame(inv @ psi @ inv.T, index=eta, columns=eta).loc[latents, latents]


# --------------------------------------------------------------------------- CR / AVE / omega


def composite_reliability(estimates: pd.DataFrame) -> pd.DataFrame:
    """Composite reliability, AVE (Fornell & Larcker) and omega (compRelSEM) per factor.

    Parameters
    ----------
    estimates : DataFrame
        SEM estimates in lavaan's layout (lhs, op, rhs, est, std_all).

    Returns
    -------
    DataFrame
        Indexed by factor (model order): ``k`` (indicators), ``cr``, ``ave``,
        ``sqrt_ave``, ``omega``, ``negative_items`` (indicators whose
        standardised loading has the sign of the minority of the factor's
        loadings, e.g. negative among positive ones; ties count against the
        first indicator; comma-separated, "" when none) and
        ``sign_problem`` (True when there are any: CR, AVE and ω are then not
        interpretable until those items are reverse-keyed; a
        :class:`MeasurementWarning` names them).

    Notes
    -----
    With λ the standardised loadings (``std_all`` of the ``=~`` rows):
    CR = (Σλ)² / ((Σλ)² + Σ(1 - λ²)), AVE = Σλ²/k (Fornell & Larcker, 1981).
    ``omega`` = (Σλᵤ)² var(η) / 1'Σ̂1 with unstandardised loadings λᵤ and Σ̂
    the model-implied covariance matrix of the factor's indicators (residual
    covariances and cross-loadings included): semTools ``compRelSEM(fit,
    obs.var = FALSE)``. Factors measured by other factors get NaN omega.

    References
    ----------
    Fornell, C., & Larcker, D. F. (1981). Evaluating structural equation
    models with unobservable variables and measurement error. Journal of
    Marketing Research, 18, 39-50.

    Examples
    --------
    >>> est = pd.DataFrame({"lhs": ["F"] * 3, "op": "=~", "rhs": ["a", "b", "c"],
    ...                     "est": 1.0, "std_all": [0.8, 0.7, 0.6]})
    >>> # In R: (sum(l))^2 / ((sum(l))^2 + sum(1 - l^2)) with l = c(.8, .7, .6)
    >>> composite_reliability(est)[["cr", "ave"]].round(4).to_dict("records")
    [{'cr': 0.7449, 'ave': 0.4967}]
    """
    est = _checked(estimates)
    measurement = est[est["op"] == "=~"]
    factors = list(dict.fromkeys(measurement["lhs"]))
    std = measurement.pivot_table(index="rhs", columns="lhs", values="std_all", aggfunc="first")
    unstd = measurement.pivot_table(index="rhs", columns="lhs", values="est", aggfunc="first")
    unstd = unstd.reindex(columns=factors).fillna(0.0)
    try:
        lv_cov = _latent_covariance(est)
    except np.linalg.LinAlgError:
        lv_cov = None
    variances = est[(est["op"] == "~~")]
    rows = {}
    for f in factors:
        items = list(measurement.loc[measurement["lhs"] == f, "rhs"])
        lam = std.loc[items, f].to_numpy(float)
        k = len(lam)
        sq = lam.sum() ** 2
        cr = sq / (sq + (1 - lam**2).sum())
        ave = float((lam**2).mean())
        omega = np.nan
        if lv_cov is not None and not set(items) & set(factors):
            load = unstd.loc[items].to_numpy(float)
            theta = np.zeros((k, k))
            pos = {v: i for i, v in enumerate(items)}
            sub = variances[variances["lhs"].isin(pos) & variances["rhs"].isin(pos)]
            for lhs, rhs, value in zip(sub["lhs"], sub["rhs"], sub["est"], strict=True):
                theta[pos[lhs], pos[rhs]] = theta[pos[rhs], pos[lhs]] = value
            implied = load @ lv_cov.to_numpy() @ load.T + theta
            common = unstd.loc[items, f].sum() ** 2 * lv_cov.loc[f, f]
            if implied.sum() > 0:
                omega = float(common / implied.sum())
        # items loading against the factor's majority direction (ties: against the first item)
        signs = np.sign(lam)
        majority = np.sign(signs.sum()) or signs[0]
        against = signs == -majority
        negative = [item for item, flag in zip(items, against, strict=True) if flag]
        rows[f] = {
            "k": k,
            "cr": float(cr),
            "ave": ave,
            "sqrt_ave": float(np.sqrt(ave)),
            "omega": omega,
            "negative_items": ", ".join(negative),
            "sign_problem": bool(negative),
        }
        if negative:
            warnings.warn(
                f"factor {f!r}: {', '.join(map(repr, negative))} load"
                f"{'s' if len(negative) == 1 else ''} against its other indicators "
                f"(standardised loading {', '.join(f'{v:.3f}' for v in lam[against])}); "
                "probably reverse-keyed: reverse-code them and refit. Until then CR, AVE "
                "and omega of this factor are not interpretable",
                MeasurementWarning,
                stacklevel=2,
            )
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "factor"
    return out


def fornell_larcker(estimates: pd.DataFrame) -> pd.DataFrame:
    """Fornell-Larcker matrix: √AVE on the diagonal, factor correlations off it.

    Parameters
    ----------
    estimates : DataFrame
        SEM estimates in lavaan's layout.

    Returns
    -------
    DataFrame
        Square, factors in model order, symmetric. Discriminant validity holds
        for a factor when its √AVE exceeds its correlations with every other
        factor (Fornell & Larcker, 1981).

    Notes
    -----
    Factor correlations are those of the standardised solution: for a CFA
    the ``std_all`` of the factor ``~~`` rows; for a model with structural
    paths, the correlations implied by the model (so endogenous factors are
    covered too).

    Examples
    --------
    >>> est = pd.DataFrame({
    ...     "lhs": ["A", "A", "B", "B", "A", "B", "A"], "op": ["=~"] * 4 + ["~~"] * 3,
    ...     "rhs": ["a1", "a2", "b1", "b2", "A", "B", "B"],
    ...     "est": [1, 1, 1, 1, 1, 1, 0.3], "std_all": [0.8, 0.8, 0.7, 0.7, 1, 1, 0.3]})
    >>> fornell_larcker(est).round(2)
         A    B
    A  0.8  0.3
    B  0.3  0.7
    """
    est = _checked(estimates)
    cov = _latent_covariance(est)
    sd = np.sqrt(np.diag(cov.to_numpy()))
    corr = cov / np.outer(sd, sd)
    out = corr.copy()
    cr = composite_reliability(est)
    for f in out.index:
        out.loc[f, f] = cr.loc[f, "sqrt_ave"]
    return out


# --------------------------------------------------------------------------- HTMT


def _item_corr(data: pd.DataFrame, blocks: dict[str, list[str]]) -> pd.DataFrame:
    items = list(dict.fromkeys(i for its in blocks.values() for i in its))
    frame = select_items(data, items)
    return frame.corr().abs()


def _htmt_matrix(data: pd.DataFrame, blocks: Blocks, mean) -> pd.DataFrame:
    blocks = _blocks(blocks)
    r = _item_corr(data, blocks)
    names = list(blocks)
    mono = {}
    for f, items in blocks.items():
        if len(items) < 2:
            warnings.warn(
                f"construct {f!r} has one item; its HTMT ratios are undefined",
                MeasurementWarning,
                stacklevel=3,
            )
            mono[f] = np.nan
        else:
            sub = r.loc[items, items].to_numpy()
            mono[f] = mean(sub[np.triu_indices(len(items), 1)])
    out = pd.DataFrame(np.nan, index=names, columns=names)
    for a in names:
        out.loc[a, a] = 1.0
        for b in names:
            if a != b:
                hetero = mean(r.loc[blocks[a], blocks[b]].to_numpy().ravel())
                out.loc[a, b] = hetero / np.sqrt(mono[a] * mono[b])
    return out


def _geometric_mean(values: np.ndarray) -> float:
    return float(np.exp(np.mean(np.log(values))))


def htmt(data: pd.DataFrame, blocks: Blocks) -> pd.DataFrame:
    """Heterotrait-monotrait ratio (Henseler, Ringle & Sarstedt, 2015).

    Parameters
    ----------
    data : DataFrame
        Item responses (complete cases over all items are used).
    blocks : mapping of str to list of str, or estimates DataFrame
        Construct -> items, or a lavaan-layout estimates table whose ``=~``
        rows define them (first-order factors only).

    Returns
    -------
    DataFrame
        Square and symmetric, 1 on the diagonal.

    Notes
    -----
    HTMT_ij = mean ``|r|`` between items of i and items of j, divided by the
    geometric mean of the average ``|r|`` among i's items and among j's items
    (arithmetic means of absolute correlations). Cut-offs: .85 (strict) and
    .90 (liberal), see ``thresholds``.

    References
    ----------
    Henseler, J., Ringle, C. M., & Sarstedt, M. (2015). A new criterion for
    assessing discriminant validity in variance-based structural equation
    modeling. Journal of the Academy of Marketing Science, 43, 115-135.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> blocks = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"]}
    >>> # In R: semTools::htmt(model, data, htmt2 = FALSE)
    >>> round(float(htmt(hs, blocks).loc["visual", "textual"]), 4)
    0.4243
    """
    return _htmt_matrix(data, blocks, np.mean)


def htmt2(data: pd.DataFrame, blocks: Blocks) -> pd.DataFrame:
    """HTMT2: HTMT with geometric instead of arithmetic means (Roemer et al., 2021).

    semTools' ``htmt()`` default. Parameters and result as :func:`htmt`.

    References
    ----------
    Roemer, E., Schuberth, F., & Henseler, J. (2021). HTMT2 - an improved
    criterion for assessing discriminant validity in structural equation
    modeling. Industrial Management & Data Systems, 121, 2637-2650.
    """
    return _htmt_matrix(data, blocks, _geometric_mean)


def htmt_pairs(data: pd.DataFrame, blocks: Blocks) -> pd.DataFrame:
    """HTMT for each unordered pair of constructs, in model order.

    Returns
    -------
    DataFrame
        Columns ``f1``, ``f2``, ``htmt``; f1 comes before f2 in the order of
        ``blocks`` (the command line prints ``.values.tolist()``).

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> blocks = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"], "speed": ["x7", "x8", "x9"]}
    >>> htmt_pairs(hs, blocks)[["f1", "f2"]].values.tolist()
    [['visual', 'textual'], ['visual', 'speed'], ['textual', 'speed']]
    """
    matrix = htmt(data, blocks)
    names = list(matrix.index)
    rows = [
        {"f1": a, "f2": b, "htmt": float(matrix.loc[a, b])}
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    ]
    return pd.DataFrame(rows, columns=["f1", "f2", "htmt"])


def cross_loadings(data: pd.DataFrame, blocks: Blocks) -> pd.DataFrame:
    """Correlation of every item with every construct's composite (mean score).

    Parameters
    ----------
    data : DataFrame
        Item responses (complete cases over all items).
    blocks : mapping or estimates DataFrame
        As for :func:`htmt`.

    Returns
    -------
    DataFrame
        Items (in block order) × constructs. An item should correlate more
        with its own construct than with any other. The own composite
        includes the item itself (as in PLS cross-loading tables).

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> cl = cross_loadings(hs, {"visual": ["x1", "x2", "x3"], "speed": ["x7", "x8", "x9"]})
    >>> bool((cl.loc[["x1", "x2", "x3"], "visual"] > cl.loc[["x1", "x2", "x3"], "speed"]).all())
    True
    """
    blocks = _blocks(blocks)
    items = list(dict.fromkeys(i for its in blocks.values() for i in its))
    frame = select_items(data, items)
    composites = pd.DataFrame({f: frame[its].mean(axis=1) for f, its in blocks.items()})
    out = pd.DataFrame(
        {f: [frame[i].corr(composites[f]) for i in items] for f in blocks},
        index=pd.Index(items, name="item"),
    )
    return out


# --------------------------------------------------------------------------- common-method bias


@dataclass(frozen=True, repr=False)
class HarmanResult:
    """Harman's single-factor test.

    Attributes
    ----------
    first_share : float
        Share of total variance of the first unrotated principal component.
    eigenvalues : Series
        All eigenvalues of the item correlation matrix.
    n_components : int
        Components with eigenvalue > 1.
    n : int
        Complete cases used.
    """

    first_share: float
    eigenvalues: pd.Series
    n_components: int
    n: int

    def summary(self) -> pd.DataFrame:
        """One row per convention (harman_40, harman_50): threshold and whether it passes."""
        return pd.DataFrame(
            [
                {
                    "criterion": key,
                    "threshold": threshold(key),
                    "first_share": self.first_share,
                    "passes": passes(key, self.first_share),
                }
                for key in ("harman_40", "harman_50")
            ]
        ).set_index("criterion")

    def to_dict(self) -> dict[str, Any]:
        """The ``harman`` part of the ``sqresearch cmb --json`` document.

        ``first_share`` (0-1), ``n_components``, ``n``, and ``passes`` keyed by
        convention (``harman_40``, ``harman_50``).
        """
        return {
            "first_share": self.first_share,
            "n_components": self.n_components,
            "n": self.n,
            "passes": self.summary()["passes"].to_dict(),
        }

    def __repr__(self) -> str:
        return (
            f"HarmanResult(first_share={self.first_share:.4f}, "
            f"n_components={self.n_components}, n={self.n})"
        )

    def _repr_html_(self) -> str:
        return self.summary().to_html(float_format="{:.4f}".format)


def harman(data: pd.DataFrame, items: Sequence[str] | None = None) -> HarmanResult:
    """Harman's single-factor test: unrotated principal components on all items.

    Parameters
    ----------
    data : DataFrame
        Item responses (complete cases are used).
    items : sequence of str, optional
        All substantive items of the questionnaire (default: every column).

    Returns
    -------
    HarmanResult
        ``summary()`` reports both conventions: the first component should
        explain less than 40% (周浩 & 龙立荣, 2004, common in Chinese theses)
        or 50% (Podsakoff et al., 2003) of the variance.

    References
    ----------
    Podsakoff, P. M., MacKenzie, S. B., Lee, J.-Y., & Podsakoff, N. P. (2003).
    Common method biases in behavioral research. Journal of Applied
    Psychology, 88, 879-903.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> res = harman(hs, [f"x{i}" for i in range(1, 10)])
    >>> round(res.first_share, 4), res.n_components
    (0.3574, 3)
    """
    frame = select_items(data, items)
    if frame.shape[1] < 2:
        raise InputError("Harman's test needs at least 2 items")
    r = np.corrcoef(frame.to_numpy(), rowvar=False)
    eigen = np.sort(np.linalg.eigvalsh(r))[::-1]
    return HarmanResult(
        first_share=float(eigen[0] / len(eigen)),
        eigenvalues=pd.Series(eigen, index=pd.RangeIndex(1, len(eigen) + 1, name="component")),
        n_components=int((eigen > 1).sum()),
        n=len(frame),
    )


def _fit_stat(fit: Any, key: str) -> float:
    stats_ = fit.fit if hasattr(fit, "fit") and isinstance(fit.fit, Mapping) else fit
    if not isinstance(stats_, Mapping) or key not in stats_:
        raise InputError(
            f"a fit result without {key!r}",
            hint="pass SEMResult objects (with .fit['chisq'], .fit['df'])",
        )
    return float(stats_[key])


def single_factor_test(single_factor: Any, measurement: Any) -> pd.Series:
    """Common-method test: single-factor CFA against the measurement model.

    Parameters
    ----------
    single_factor, measurement
        Fitted models (objects with ``.fit["chisq"]`` and ``.fit["df"]``, as
        ``SEMResult``; plain dicts work too) of the same items: all items on
        one factor, and the hypothesised measurement model.

    Returns
    -------
    Series
        ``chisq_single``, ``df_single``, ``chisq_measurement``,
        ``df_measurement``, ``delta_chisq``, ``delta_df``, ``pvalue``. A
        significant Δχ² (the single factor fits worse) speaks against a
        dominant common-method factor.

    Examples
    --------
    >>> res = single_factor_test({"chisq": 312.3, "df": 27}, {"chisq": 85.3, "df": 24})
    >>> float(res["delta_chisq"]), float(res["delta_df"])
    (227.0, 3.0)
    """
    c1, d1 = _fit_stat(single_factor, "chisq"), _fit_stat(single_factor, "df")
    c2, d2 = _fit_stat(measurement, "chisq"), _fit_stat(measurement, "df")
    if d1 <= d2:
        raise InputError(
            "the single-factor model must have more degrees of freedom than the measurement model",
            value=(d1, d2),
            hint="check the order of the arguments",
        )
    delta, ddf = c1 - c2, d1 - d2
    return pd.Series(
        {
            "chisq_single": c1,
            "df_single": d1,
            "chisq_measurement": c2,
            "df_measurement": d2,
            "delta_chisq": delta,
            "delta_df": ddf,
            "pvalue": float(stats.chi2.sf(delta, ddf)),
        }
    )
