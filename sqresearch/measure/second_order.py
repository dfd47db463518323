"""Second-order CFA: a construct measured by its sub-dimensions.

:func:`second_order_cfa` fits the first-order model (correlated
sub-dimensions) and the second-order model (``G =~ F1 + F2 + F3 + F4``) with
:func:`sqresearch.sem.fit.fit_sem`, reports CR and AVE at both levels
(Fornell & Larcker, 1981, on the standardised loadings of each level), and
Marsh & Hocevar's (1985) target coefficient.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sqresearch.errors import InputError
from sqresearch.measure.method_bias import fit_comparison, measurement_syntax, models_document
from sqresearch.measure.validity import composite_reliability
from sqresearch.sem.fit import SEMResult, fit_sem


def second_order_syntax(
    blocks: Mapping[str, Sequence[str]], higher: Mapping[str, Sequence[str]]
) -> str:
    """lavaan syntax: the first-order factors, then each second-order factor on its factors.

    Examples
    --------
    >>> print(second_order_syntax({"A": ["a1", "a2"], "B": ["b1", "b2"], "C": ["c1", "c2"]},
    ...                           {"G": ["A", "B", "C"]}))
    A =~ a1 + a2
    B =~ b1 + b2
    C =~ c1 + c2
    G =~ A + B + C
    """
    first = measurement_syntax(blocks)
    _check_higher(blocks, higher)
    return "\n".join([first, *(f"{g} =~ {' + '.join(factors)}" for g, factors in higher.items())])


def _check_higher(blocks: Mapping[str, Sequence[str]], higher: Mapping[str, Sequence[str]]):
    if not higher:
        raise InputError("no second-order factor given", hint="pass {second order: [factors]}")
    seen: list[str] = []
    for g, factors in higher.items():
        if g in blocks:
            raise InputError("a second-order factor has a first-order factor's name", value=g)
        unknown = [f for f in factors if f not in blocks]
        if unknown:
            raise InputError(
                "a second-order factor names an unknown first-order factor",
                value=unknown[0],
                hint=f"first-order factors: {', '.join(blocks)}",
            )
        if len(factors) < 2:
            raise InputError("a second-order factor needs at least 2 first-order factors", value=g)
        seen += list(factors)
    dupes = sorted({f for f in seen if seen.count(f) > 1})
    if dupes:
        raise InputError("a first-order factor is under two second-order factors", value=dupes[0])


@dataclass(frozen=True, repr=False)
class SecondOrderResult:
    """First- and second-order CFA of constructs with sub-dimensions.

    Attributes
    ----------
    comparison : DataFrame
        Index ``model`` ("first_order", "second_order"): ``chisq``, ``df``,
        ``pvalue``, ``cfi``, ``tli``, ``rmsea``, ``srmr``.
    target : float
        Marsh & Hocevar's (1985) target coefficient, χ²(first order) /
        χ²(second order): at most 1; the closer to 1, the more of the
        first-order factors' covariation the second-order factor explains.
    reliability : DataFrame
        Index ``factor`` (first-order factors, then second-order ones):
        ``level`` (1 or 2), ``k``, ``cr``, ``ave``, ``sqrt_ave`` from the
        second-order model's standardised loadings.
    loadings : DataFrame
        The second-order loadings (``lhs`` the second-order factor, ``rhs``
        the first-order one) in lavaan's layout: est, se, z, pvalue, std_all.
    just_identified : bool
        The second-order structure adds no degrees of freedom (3 first-order
        factors under one second-order factor): both models fit equally and
        the target is 1 by construction.
    """

    comparison: pd.DataFrame
    target: float
    reliability: pd.DataFrame
    loadings: pd.DataFrame
    just_identified: bool
    first_order: SEMResult = field(repr=False)
    second_order: SEMResult = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document (as the command line prints it)."""
        return {
            "models": models_document(self.comparison),
            "target": self.target,
            "just_identified": self.just_identified,
            "reliability": self.reliability.to_dict("index"),
            "loadings": self.loadings.to_dict("records"),
        }

    def __repr__(self) -> str:
        c = self.comparison.loc["second_order"]
        return (
            f"SecondOrderResult(χ²({c['df']:.0f}) = {c['chisq']:.3f}, CFI = {c['cfi']:.3f}, "
            f"RMSEA = {c['rmsea']:.3f}, target = {self.target:.3f})"
        )

    def _repr_html_(self) -> str:
        fmt = "{:.3f}".format
        return (
            f"<p><b>Second-order CFA</b>: {html.escape(repr(self))}</p>"
            + self.comparison.to_html(float_format=fmt)
            + self.reliability.to_html(float_format=fmt)
            + self.loadings.to_html(index=False, float_format=fmt)
        )


def second_order_cfa(
    data: pd.DataFrame,
    blocks: Mapping[str, Sequence[str]],
    higher: Mapping[str, Sequence[str]],
    *,
    missing: str = "listwise",
) -> SecondOrderResult:
    """Second-order CFA against the first-order model, with CR/AVE at both levels.

    Parameters
    ----------
    data : DataFrame
        Item responses.
    blocks : mapping of str to sequence of str
        First-order factor -> its items.
    higher : mapping of str to sequence of str
        Second-order factor -> its first-order factors, e.g.
        ``{"BRAND": ["BRD", "CUL", "PRO", "PUB"]}``. First-order factors
        under no second-order factor stay correlated with the others.
    missing : {"listwise", "fiml"}
        Passed to :func:`~sqresearch.sem.fit.fit_sem`.

    Returns
    -------
    SecondOrderResult

    Notes
    -----
    Both models use lavaan's defaults (first loading fixed to 1, exogenous
    latent variables correlated). CR = (Σλ)² / ((Σλ)² + Σ(1 - λ²)) and AVE =
    mean λ² (Fornell & Larcker, 1981) with λ the standardised loadings of the
    items on a first-order factor, or of the first-order factors on a
    second-order one. The target coefficient T = χ²₁ / χ²₂ (Marsh &
    Hocevar, 1985) needs at least 4 first-order factors under a
    second-order factor to be informative.

    References
    ----------
    Marsh, H. W., & Hocevar, D. (1985). Application of confirmatory factor
    analysis to the study of self-concept: First- and higher order factor
    models and their invariance across groups. Psychological Bulletin, 97,
    562-582.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> blocks = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
    ...           "speed": ["x7", "x8", "x9"]}
    >>> res = second_order_cfa(hs, blocks, {"g": ["visual", "textual", "speed"]})
    >>> # In R: standardizedSolution(cfa("... \\n g =~ visual + textual + speed", HolzingerSwineford1939))
    >>> res.loadings["std_all"].round(3).tolist(), res.just_identified
    ([0.873, 0.525, 0.539], True)
    """
    first = fit_sem(measurement_syntax(blocks), data, missing=missing)
    second = fit_sem(second_order_syntax(blocks, higher), data, missing=missing)
    comparison = fit_comparison({"first_order": first, "second_order": second})
    reliability = composite_reliability(second.estimates)[["k", "cr", "ave", "sqrt_ave"]]
    reliability.insert(0, "level", [2 if f in higher else 1 for f in reliability.index])
    est = second.estimates
    loadings = est[(est["op"] == "=~") & est["lhs"].isin(list(higher))]
    chisq_2 = comparison.loc["second_order", "chisq"]
    return SecondOrderResult(
        comparison=comparison,
        target=float(comparison.loc["first_order", "chisq"] / chisq_2) if chisq_2 > 0 else 1.0,
        reliability=reliability,
        loadings=loadings[["lhs", "op", "rhs", "est", "se", "z", "pvalue", "std_all"]].reset_index(
            drop=True
        ),
        just_identified=bool(
            comparison.loc["second_order", "df"] == comparison.loc["first_order", "df"]
        ),
        first_order=first,
        second_order=second,
    )
