"""Normality before ML estimation: item skewness and kurtosis, Mardia's multivariate tests.

Item statistics are those of :func:`sqresearch.measure.descriptives.item_descriptives`
(SPSS's bias-corrected skewness and excess kurtosis with their standard
errors), judged against Kline's (2016) ``|skewness|`` < 3 and ``|kurtosis|`` < 10 or
the stricter ``|2|`` / ``|7|`` of Curran, West & Finch (1996). Mardia's (1970)
multivariate skewness and kurtosis use the complete cases; the kurtosis
critical ratio is the one AMOS prints under "Assessment of normality" and is
read against Bentler's (2005) 5.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.measure.descriptives import item_descriptives
from sqresearch.measure.items import select_items
from sqresearch.thresholds import passes, threshold

#: Univariate rules: (skewness key, kurtosis key) of :mod:`sqresearch.thresholds`.
RULES = {
    "kline": ("skew_abs", "kurtosis_abs"),
    "curran": ("skew_abs_strict", "kurtosis_abs_strict"),
}

_COVARIANCES = ("ml", "unbiased")


def mardia(
    data: pd.DataFrame, items: Sequence[str] | None = None, *, covariance: str = "ml"
) -> pd.Series:
    """Mardia's multivariate skewness and kurtosis with their tests.

    Parameters
    ----------
    data : DataFrame
        Item responses; rows with a missing answer are dropped (listwise).
    items : sequence of str, optional
        Items (default: every column).
    covariance : {"ml", "unbiased"}
        Centre and scale by the maximum-likelihood covariance matrix (divisor
        n; Mardia's 1970 definition, as ML estimation uses it) or by the
        unbiased one (divisor n - 1; ``psych::mardia``).

    Returns
    -------
    Series
        ``n``, ``p``, ``b1p`` and ``b2p`` (Mardia's coefficients);
        ``skew_chisq`` = n·b1p/6 with ``skew_df`` = p(p+1)(p+2)/6 and
        ``skew_pvalue``; ``skew_small_chisq`` and ``skew_small_pvalue``
        (the small-sample correction of ``psych::mardia``); ``kurtosis`` =
        b2p - p(p+2) (AMOS's "Multivariate" kurtosis), ``kurtosis_cr`` =
        kurtosis / √(8p(p+2)/n) (AMOS's c.r.) and ``kurtosis_pvalue``
        (two-sided normal).

    Notes
    -----
    With d_ij = (x_i - x̄)' S⁻¹ (x_j - x̄): b1p = Σ_ij d_ij³ / n² and
    b2p = Σ_i d_ii² / n. Under multivariate normality n·b1p/6 is χ² with
    p(p+1)(p+2)/6 df and b2p has mean p(p+2) and variance 8p(p+2)/n.
    The small-sample statistic multiplies n·b1p/6 by
    (p+1)(n+1)(n+3) / (n((n+1)(p+1) - 6)).

    References
    ----------
    Mardia, K. V. (1970). Measures of multivariate skewness and kurtosis with
    applications. Biometrika, 57, 519-530.
    Bentler, P. M. (2005). EQS 6 structural equations program manual.
    Multivariate Software.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> m = mardia(hs, [f"x{i}" for i in range(1, 10)], covariance="unbiased")
    >>> # In R: psych::mardia(HolzingerSwineford1939[paste0("x", 1:9)])
    >>> round(m["b1p"], 4), round(m["b2p"], 4), round(m["kurtosis_cr"], 4)
    (6.8069, 102.9037, 2.4066)
    """
    if covariance not in _COVARIANCES:
        raise InputError("unknown covariance for Mardia's coefficients", value=covariance,
                         hint='use "ml" or "unbiased"')  # fmt: skip
    frame = select_items(data, items)
    x = frame.to_numpy()
    n, p = x.shape
    if n <= p:
        raise InputError(f"Mardia's coefficients need more complete rows ({n}) than items ({p})")
    centred = x - x.mean(axis=0)
    s = np.cov(x, rowvar=False, ddof=0 if covariance == "ml" else 1)
    eigen = np.linalg.eigvalsh(s)
    if eigen[0] <= 1e-10 * max(eigen[-1], 0.0):
        raise InputError(
            "the item covariance matrix is singular; Mardia's coefficients are undefined",
            hint="drop items without variance or items that are sums of others",
        )
    d = centred @ np.linalg.solve(s, centred.T)
    b1p = float((d**3).sum() / n**2)
    b2p = float((np.diag(d) ** 2).sum() / n)
    df = p * (p + 1) * (p + 2) / 6
    skew = n * b1p / 6
    k = (p + 1) * (n + 1) * (n + 3) / (n * ((n + 1) * (p + 1) - 6))
    excess = b2p - p * (p + 2)
    cr = excess / np.sqrt(8 * p * (p + 2) / n)
    return pd.Series(
        {
            "n": n,
            "p": p,
            "b1p": b1p,
            "b2p": b2p,
            "skew_chisq": skew,
            "skew_df": df,
            "skew_pvalue": float(stats.chi2.sf(skew, df)),
            "skew_small_chisq": k * skew,
            "skew_small_pvalue": float(stats.chi2.sf(k * skew, df)),
            "kurtosis": excess,
            "kurtosis_cr": float(cr),
            "kurtosis_pvalue": float(2 * stats.norm.sf(abs(cr))),
        },
        dtype=object,
    )


@dataclass(frozen=True, repr=False)
class NormalityResult:
    """Univariate and multivariate normality of the items of a model.

    Attributes
    ----------
    items : DataFrame
        Per item (index ``item``): ``n``, ``skewness``, ``se_skewness``,
        ``z_skewness``, ``kurtosis`` (excess), ``se_kurtosis``,
        ``z_kurtosis``, ``skew_ok``, ``kurtosis_ok`` and ``normal`` (both
        within the rule's cut-offs).
    mardia : Series
        :func:`mardia` of the complete cases.
    rule : {"kline", "curran"}
        The univariate cut-offs used (:data:`RULES`).
    covariance : {"ml", "unbiased"}
        Scaling of Mardia's coefficients.
    """

    items: pd.DataFrame
    mardia: pd.Series
    rule: str
    covariance: str

    @property
    def univariate_ok(self) -> bool:
        """Every item within the rule's skewness and kurtosis cut-offs."""
        return bool(self.items["normal"].all())

    @property
    def multivariate_ok(self) -> bool:
        """Mardia's kurtosis critical ratio below the ``mardia_kurtosis_cr`` cut-off."""
        return passes("mardia_kurtosis_cr", float(self.mardia["kurtosis_cr"]))

    @property
    def robust_advised(self) -> bool:
        """Whether robust ML (MLR) or a bootstrap should back the ML results."""
        return not (self.univariate_ok and self.multivariate_ok)

    @property
    def threshold_keys(self) -> tuple[str, str]:
        """The thresholds keys of the skewness and kurtosis cut-offs."""
        return RULES[self.rule]

    def to_dict(self) -> dict[str, Any]:
        """The ``sqresearch normality --json`` document."""
        skew_key, kurt_key = self.threshold_keys
        return {
            "rule": self.rule,
            "thresholds": {"skewness": skew_key, "kurtosis": kurt_key},
            "items": {
                str(item): {
                    k: row[k]
                    for k in (
                        "n",
                        "skewness",
                        "se_skewness",
                        "z_skewness",
                        "kurtosis",
                        "se_kurtosis",
                        "z_kurtosis",
                        "normal",
                    )  # fmt: skip
                }
                for item, row in self.items.iterrows()
            },
            "mardia": {"covariance": self.covariance, **self.mardia.to_dict()},
            "univariate_ok": self.univariate_ok,
            "multivariate_ok": self.multivariate_ok,
            "robust_advised": self.robust_advised,
        }

    def __repr__(self) -> str:
        m = self.mardia
        return (
            f"NormalityResult({len(self.items)} items, rule={self.rule!r}, "
            f"univariate_ok={self.univariate_ok}, Mardia kurtosis c.r. = "
            f"{m['kurtosis_cr']:.3f}, robust_advised={self.robust_advised})"
        )

    def _repr_html_(self) -> str:
        m = self.mardia
        head = (
            f"<p><b>Normality</b> ({html.escape(self.rule)} rule): Mardia b1p = {m['b1p']:.3f} "
            f"(χ²({m['skew_df']:.0f}) = {m['skew_chisq']:.3f}, p = {m['skew_pvalue']:.3f}), "
            f"kurtosis = {m['kurtosis']:.3f}, c.r. = {m['kurtosis_cr']:.3f}; "
            f"robust estimation advised: {self.robust_advised}</p>"
        )
        return head + self.items.to_html(float_format="{:.3f}".format)


def normality(
    data: pd.DataFrame,
    items: Sequence[str] | None = None,
    *,
    rule: str = "kline",
    covariance: str = "ml",
) -> NormalityResult:
    """Item skewness and kurtosis against cited cut-offs, and Mardia's coefficients.

    Parameters
    ----------
    data : DataFrame
        Item responses.
    items : sequence of str, optional
        Items of the model (default: every column).
    rule : {"kline", "curran"}
        ``|skewness|`` < 3 and ``|kurtosis|`` < 10 (Kline, 2016), or the stricter
        < 2 and < 7 (Curran, West & Finch, 1996).
    covariance : {"ml", "unbiased"}
        Passed to :func:`mardia`.

    Returns
    -------
    NormalityResult

    Notes
    -----
    Item statistics use each item's answered cases (as SPSS DESCRIPTIVES);
    Mardia's coefficients use the rows complete on every item (as a
    listwise ML fit). ``z_skewness`` and ``z_kurtosis`` are the statistics
    divided by their standard errors.

    References
    ----------
    Kline, R. B. (2016). Principles and practice of structural equation
    modeling (4th ed.). Guilford Press.
    Curran, P. J., West, S. G., & Finch, J. F. (1996). The robustness of test
    statistics to nonnormality and specification error in confirmatory
    factor analysis. Psychological Methods, 1, 16-29.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> res = normality(hs, [f"x{i}" for i in range(1, 10)])
    >>> res.univariate_ok, res.multivariate_ok, round(res.mardia["kurtosis_cr"], 4)
    (True, True, 2.8302)
    """
    if rule not in RULES:
        raise InputError("unknown normality rule", value=rule, hint='use "kline" or "curran"')
    desc = item_descriptives(data, items)
    skew_key, kurt_key = RULES[rule]
    out = desc[["n", "skewness", "se_skewness", "kurtosis", "se_kurtosis"]].copy()
    out.insert(3, "z_skewness", out["skewness"] / out["se_skewness"])
    out["z_kurtosis"] = out["kurtosis"] / out["se_kurtosis"]
    out["skew_ok"] = [passes(skew_key, abs(v)) for v in out["skewness"]]
    out["kurtosis_ok"] = [passes(kurt_key, abs(v)) for v in out["kurtosis"]]
    out["normal"] = out["skew_ok"] & out["kurtosis_ok"]
    return NormalityResult(
        items=out,
        mardia=mardia(data, list(desc.index), covariance=covariance),
        rule=rule,
        covariance=covariance,
    )


@dataclass
class EstimatorRecommendation:
    """The estimator the item distributions call for.

    Attributes
    ----------
    estimator : {"ML", "MLR", "WLSMV"}
    reason : {"normal", "nonnormal", "ordinal"}
        "ordinal": the study treats the items as ordinal and none has more
        than ``ordinal_categories`` categories; "nonnormal": some item's
        ``|skewness|`` or ``|kurtosis|`` reaches ``skew_abs_strict`` / ``kurtosis_abs_strict``;
        "normal": neither.
    items : DataFrame
        Per item: n, categories, skewness, kurtosis, nonnormal (bool).
    nonnormal : list of str
        Items past a cut-off.
    max_abs_skewness, max_abs_kurtosis : float
    """

    estimator: str
    reason: str
    items: pd.DataFrame
    nonnormal: list[str]
    max_abs_skewness: float
    max_abs_kurtosis: float

    def to_dict(self) -> dict:
        return {
            "estimator": self.estimator,
            "reason": self.reason,
            "nonnormal": list(self.nonnormal),
            "max_abs_skewness": self.max_abs_skewness,
            "max_abs_kurtosis": self.max_abs_kurtosis,
            "max_categories": int(self.items["categories"].max()),
        }

    def _repr_html_(self) -> str:
        return (
            f"<p><b>Estimator</b>: {self.estimator} ({self.reason}); "
            f"max |skewness| {self.max_abs_skewness:.3f}, max |kurtosis| "
            f"{self.max_abs_kurtosis:.3f}</p>"
            + self.items.to_html(float_format=lambda x: f"{x:.3f}")
        )


def estimator_recommendation(
    data: pd.DataFrame, items: Sequence[str], *, ordinal: bool = False
) -> EstimatorRecommendation:
    """Recommend ML, MLR or WLSMV from the items' distributions.

    Parameters
    ----------
    data : DataFrame
    items : sequence of str
        The items of the measurement model.
    ordinal : bool
        The study chose to treat the items as ordinal (study.yaml); WLSMV
        is then recommended when no item has more than 5 categories.

    Returns
    -------
    EstimatorRecommendation

    Notes
    -----
    Curran, West & Finch (1996) found ML's χ² and standard errors biased
    from ``|skewness|`` ≈ 2 and ``|kurtosis|`` ≈ 7; MLR corrects both (Yuan &
    Bentler, 2000). With 5 or fewer categories, ordinal estimation (WLSMV)
    recovers loadings better than ML on the raw codes (Rhemtulla,
    Brosseau-Liard & Savalei, 2012).

    References
    ----------
    Curran, P. J., West, S. G., & Finch, J. F. (1996). The robustness of
    test statistics to nonnormality and specification error in confirmatory
    factor analysis. Psychological Methods, 1, 16–29.
    Rhemtulla, M., Brosseau-Liard, P. É., & Savalei, V. (2012). When can
    categorical variables be treated as continuous? Psychological Methods,
    17, 354–373.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q1": [1, 1, 1, 1, 1, 1, 1, 1, 2, 5], "q2": [1, 2, 3, 4, 5, 4, 3, 2, 3, 3]})
    >>> rec = estimator_recommendation(df, ["q1", "q2"])
    >>> rec.estimator, rec.reason, rec.nonnormal
    ('MLR', 'nonnormal', ['q1'])
    >>> estimator_recommendation(df, ["q1", "q2"], ordinal=True).estimator
    'WLSMV'
    """
    missing = [c for c in items if c not in data.columns]
    if missing:
        raise InputError("the item is not a column of the data", column=missing[0])
    table = item_descriptives(data, list(items))
    table.insert(1, "categories", [int(data[c].nunique()) for c in items])
    table = table[["n", "categories", "skewness", "kurtosis"]]
    table["nonnormal"] = [
        not (passes("skew_abs_strict", abs(s)) and passes("kurtosis_abs_strict", abs(k)))
        for s, k in zip(table["skewness"], table["kurtosis"], strict=True)
    ]
    flagged = [str(i) for i in table.index[table["nonnormal"]]]
    if ordinal and table["categories"].max() <= threshold("ordinal_categories"):
        estimator, reason = "WLSMV", "ordinal"
    elif flagged:
        estimator, reason = "MLR", "nonnormal"
    else:
        estimator, reason = "ML", "normal"
    return EstimatorRecommendation(
        estimator=estimator,
        reason=reason,
        items=table,
        nonnormal=flagged,
        max_abs_skewness=float(table["skewness"].abs().max()),
        max_abs_kurtosis=float(table["kurtosis"].abs().max()),
    )
