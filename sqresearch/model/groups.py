"""Observed-score group comparisons (差异分析), reported as SPSS and R report them.

One statistical test = one public function.  Each takes a DataFrame, the
name of the score column ``dv`` and of the grouping column ``by``, and
returns a tidy DataFrame of numbers; :func:`compare_groups` runs the set a
thesis reports for one score and keeps the pieces on a result object.

Conventions (shared with the ``compare`` command, see docs/reference/cli.md):

* A respondent missing the score or the grouping variable is left out of that
  test; :func:`scale_scores` gives a scale score (the mean of its items) only
  to respondents who answered every item of the scale.
* Levels are ordered as SPSS orders them: numeric codes ascending, otherwise
  the given ``order`` (the codebook's label order), otherwise an ordered
  categorical's categories, otherwise sorted text (:func:`order_levels`).
* Two levels: differences, t and Cohen's d are first level minus second.
* Post-hoc pairs ``(a, b)`` follow level order with ``a`` before ``b`` and
  ``diff = mean(b) - mean(a)``, as R's ``TukeyHSD`` prints "b-a".

Examples
--------
>>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2], "y": [1.0, 2.0, 3.0, 3.0, 4.0, 5.0]})
>>> ttest_independent(df, "y", "g").reset_index()[["test", "statistic", "df", "mean_diff"]].round(4)
      test  statistic   df  mean_diff
0  student    -2.4495  4.0       -2.0
1    welch    -2.4495  4.0       -2.0
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.oneway import anova_generic

from sqresearch.deprecation import renamed
from sqresearch.errors import InputError
from sqresearch.jsondoc import carries_warnings, warnings_html
from sqresearch.model.design import check_variation, numeric_frame
from sqresearch.thresholds import passes, threshold

#: Post-hoc methods of :func:`posthoc`, as the ``--posthoc`` option names them.
POSTHOC_METHODS = ("lsd", "tukey", "bonferroni", "scheffe", "games-howell")

#: p-value adjustments of :func:`dunn_test`.
DUNN_ADJUSTMENTS = ("bonferroni", "holm", "none")


class SmallExpectedCountWarning(UserWarning):
    """A chi-square test has cells with expected counts below the cut-off (Cochran, 1954)."""


# --------------------------------------------------------------------------- levels


def order_levels(values: pd.Series, order: Sequence[Any] | None = None) -> list[Any]:
    """The distinct non-missing values of ``values`` in SPSS's order.

    Numeric codes sort ascending; text follows ``order`` (the codebook's label
    order) when given, else the categories of an ordered categorical, else
    sorted text.  Values absent from ``order`` follow it, sorted.

    Parameters
    ----------
    values : Series
        The grouping column.
    order : sequence, optional
        The codebook's order of text labels.

    Returns
    -------
    list
        Levels present in the data.

    Examples
    --------
    >>> order_levels(pd.Series([3, 1, 2, 1, None]))
    [1.0, 2.0, 3.0]
    >>> order_levels(pd.Series(["女", "男", "女"]), order=["男", "女"])
    ['男', '女']
    >>> order_levels(pd.Series(["b", "a", "c"]))
    ['a', 'b', 'c']
    """
    present = values.dropna()
    if pd.api.types.is_numeric_dtype(present) and not pd.api.types.is_bool_dtype(present):
        return sorted(present.unique().tolist())
    seen = set(present.unique().tolist())
    if order is not None:
        first = [level for level in order if level in seen]
        return first + sorted(seen - set(first), key=str)
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [level for level in values.cat.categories if level in seen]
    return sorted(seen, key=str)


def scale_scores(data: pd.DataFrame, scales: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Scale scores: the mean of each scale's items, missing when any item is.

    Parameters
    ----------
    data : DataFrame
        Item responses.
    scales : mapping
        Scale name -> its item columns.

    Returns
    -------
    DataFrame
        One column per scale, indexed like ``data``.

    Raises
    ------
    InputError
        If an item column is missing or holds text that is not a number.

    Examples
    --------
    >>> items = pd.DataFrame({"A1": [1, 2, None], "A2": [3, 4, 5]})
    >>> scale_scores(items, {"A": ["A1", "A2"]})
         A
    0  2.0
    1  3.0
    2  NaN
    """
    scores = {}
    for name, items in scales.items():
        if not items:
            raise InputError("scale has no items", column=name)
        block = numeric_frame(data, items, missing="pairwise")
        scores[name] = block.mean(axis=1, skipna=False)
    return pd.DataFrame(scores, index=data.index)


@dataclass(frozen=True)
class _Samples:
    """The complete cases of one score, split by level in SPSS's order."""

    dv: str
    by: str
    levels: list[Any]
    values: list[np.ndarray]

    @property
    def n(self) -> np.ndarray:
        return np.array([len(v) for v in self.values])

    @property
    def means(self) -> np.ndarray:
        return np.array([v.mean() for v in self.values])

    @property
    def variances(self) -> np.ndarray:
        return np.array([v.var(ddof=1) for v in self.values])

    @property
    def mse(self) -> float:
        """Pooled within-group variance (ANOVA's mean square error)."""
        n = self.n
        return float(((n - 1) * self.variances).sum() / (n.sum() - len(n)))

    def pairs(self) -> list[tuple[int, int]]:
        return list(itertools.combinations(range(len(self.levels)), 2))


def _samples(
    data: pd.DataFrame,
    dv: str,
    by: str,
    order: Sequence[Any] | None = None,
    *,
    levels_required: int | None = None,
) -> _Samples:
    if by not in data.columns:
        raise InputError("no such grouping column in the data", column=by)
    score = numeric_frame(data, [dv], missing="pairwise")[dv]
    group = data[by]
    keep = score.notna() & group.notna()
    score, group = score[keep], group[keep]
    levels = order_levels(group, order)
    if len(levels) < 2:
        found = _shown(levels[0]) if levels else None
        raise InputError(
            f"only one level has answers for {dv!r}; a comparison needs two or more",
            column=by,
            value=found,
            hint="choose another grouping variable",
        )
    if levels_required is not None and len(levels) != levels_required:
        raise InputError(
            f"has {len(levels)} levels; this test needs exactly {levels_required}",
            column=by,
            hint="use the one-way ANOVA for three or more groups",
        )
    values = [score[group == level].to_numpy(dtype=float) for level in levels]
    for level, v in zip(levels, values, strict=True):
        if len(v) < 2:
            raise InputError(
                f"level has n = {len(v)} complete answer(s) for {dv!r}; each group needs at least 2",
                column=by,
                value=_shown(level),
                hint="merge the level with a neighbouring one or leave it out",
            )
    return _Samples(dv=dv, by=by, levels=levels, values=values)


def _shown(level: Any) -> Any:
    """A level as a message shows it: whole-number codes without ".0"."""
    if isinstance(level, float) and level.is_integer():
        return int(level)
    return level


# --------------------------------------------------------------------------- descriptives


def describe_groups(
    data: pd.DataFrame, dv: str, by: str, *, order: Sequence[Any] | None = None
) -> pd.DataFrame:
    """n, mean, SD (n - 1) and standard error of ``dv`` per level of ``by``.

    Examples
    --------
    >>> df = pd.DataFrame({"g": [2, 2, 1, 1], "y": [4.0, 6.0, 1.0, 3.0]})
    >>> describe_groups(df, "y", "g")
       level  n  mean        sd   se
    0      1  2   2.0  1.414214  1.0
    1      2  2   5.0  1.414214  1.0
    """
    s = _samples(data, dv, by, order)
    sd = np.sqrt(s.variances)
    return pd.DataFrame(
        {"level": s.levels, "n": s.n, "mean": s.means, "sd": sd, "se": sd / np.sqrt(s.n)}
    )


# --------------------------------------------------------------------------- two groups


def levene_test(
    data: pd.DataFrame, dv: str, by: str, *, order: Sequence[Any] | None = None
) -> pd.DataFrame:
    """Levene's test of equal variances, centred on the group means (as SPSS).

    Returns
    -------
    DataFrame
        One row: ``statistic`` (F), ``df1``, ``df2``, ``pvalue``.

    Notes
    -----
    The ANOVA F of the absolute deviations from the group means (Levene,
    1960); ``car::leveneTest`` defaults to medians (Brown-Forsythe's
    variant) and gives other values unless ``center = mean``.

    Examples
    --------
    >>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2], "y": [1.0, 2.0, 3.0, 2.0, 4.0, 6.0]})
    >>> levene_test(df, "y", "g")  # car::leveneTest(y ~ g, center = mean)
       statistic  df1  df2    pvalue
    0        0.8    1    4  0.421648
    """
    s = _samples(data, dv, by, order)
    result = stats.levene(*s.values, center="mean")
    k = len(s.levels)
    return pd.DataFrame(
        {
            "statistic": [float(result.statistic)],
            "df1": [k - 1],
            "df2": [int(s.n.sum()) - k],
            "pvalue": [float(result.pvalue)],
        }
    )


@renamed(confidence="level")
def ttest_independent(
    data: pd.DataFrame,
    dv: str,
    by: str,
    *,
    order: Sequence[Any] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Independent-samples t-test: SPSS's equal-variance and Welch rows.

    Returns
    -------
    DataFrame
        Indexed by ``test`` ("student", "welch"), with ``statistic`` (t),
        ``df``, ``pvalue`` (two-sided), ``mean_diff`` (first level minus
        second), ``se`` and ``ci_lower``/``ci_upper`` of the difference.

    Notes
    -----
    Welch's df is the Welch-Satterthwaite approximation
    ``(v1 + v2)^2 / (v1^2 / (n1 - 1) + v2^2 / (n2 - 1))`` with ``vi = si^2 / ni``.

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a"] * 3 + ["b"] * 4, "y": [1.0, 2, 3, 2, 4, 6, 8]})
    >>> ttest_independent(df, "y", "g").reset_index().round(4)  # t.test(y ~ g, var.equal = TRUE) / t.test(y ~ g)
          test  statistic      df  pvalue  mean_diff      se  ci_lower  ci_upper
    0  student    -1.8726  5.0000  0.1200       -3.0  1.6021   -7.1183    1.1183
    1    welch    -2.1213  4.0755  0.0999       -3.0  1.4142   -6.8980    0.8980
    """
    s = _samples(data, dv, by, order, levels_required=2)
    x, y = s.values
    rows = {}
    for name, equal in (("student", True), ("welch", False)):
        res = stats.ttest_ind(x, y, equal_var=equal)
        ci = res.confidence_interval(level)
        diff = float(x.mean() - y.mean())
        rows[name] = {
            "statistic": float(res.statistic),
            "df": float(res.df),
            "pvalue": float(res.pvalue),
            "mean_diff": diff,
            "se": _se_diff(x, y, equal),
            "ci_lower": float(ci.low),
            "ci_upper": float(ci.high),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "test"
    return out


def _se_diff(x: np.ndarray, y: np.ndarray, equal_var: bool) -> float:
    n1, n2 = len(x), len(y)
    v1, v2 = x.var(ddof=1), y.var(ddof=1)
    if equal_var:
        pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
        return float(math.sqrt(pooled * (1 / n1 + 1 / n2)))
    return float(math.sqrt(v1 / n1 + v2 / n2))


@renamed(confidence="level")
def cohens_d(
    data: pd.DataFrame,
    dv: str,
    by: str,
    *,
    order: Sequence[Any] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Cohen's d (pooled SD), first level minus second, with its exact CI.

    Returns
    -------
    DataFrame
        One row: ``d``, ``ci_lower``, ``ci_upper``, ``ci_method``.

    Notes
    -----
    ``d = (m1 - m2) / s_pooled`` with ``s_pooled^2 = ((n1 - 1) s1^2 + (n2 - 1)
    s2^2) / (n1 + n2 - 2)``.  The CI inverts the noncentral t distribution
    (Steiger & Fouladi, 1997): the noncentrality parameters whose t
    distributions put the observed t at the 1 - a/2 and a/2 quantiles,
    times ``sqrt(1/n1 + 1/n2)``.  This is R ``effectsize::cohens_d``'s
    interval, not the Hedges-Olkin normal approximation.

    References
    ----------
    Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval estimation
    and the evaluation of statistical models. In *What if there were no
    significance tests?* (pp. 221-257). Erlbaum.

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a"] * 3 + ["b"] * 4, "y": [1.0, 2, 3, 2, 4, 6, 8]})
    >>> cohens_d(df, "y", "g").round(4)  # effectsize::cohens_d(y ~ g)
            d  ci_lower  ci_upper     ci_method
    0 -1.4302   -3.1067    0.3479  noncentral t
    """
    s = _samples(data, dv, by, order, levels_required=2)
    n1, n2 = s.n
    scale = math.sqrt(1 / n1 + 1 / n2)
    d = float((s.means[0] - s.means[1]) / math.sqrt(s.mse))
    df = int(n1 + n2 - 2)
    t = d / scale
    alpha = 1 - level
    lower = _noncentrality(t, df, 1 - alpha / 2) * scale
    upper = _noncentrality(t, df, alpha / 2) * scale
    return pd.DataFrame(
        {"d": [d], "ci_lower": [lower], "ci_upper": [upper], "ci_method": ["noncentral t"]}
    )


def _noncentrality(t: float, df: int, quantile: float) -> float:
    """The ncp whose noncentral t has ``t`` at ``quantile`` (cdf decreases in ncp)."""

    def gap(ncp: float) -> float:
        return float(stats.nct.cdf(t, df, ncp)) - quantile

    width = 2.0 + abs(t)
    while gap(t - width) < 0 or gap(t + width) > 0:
        width *= 2
    return float(optimize.brentq(gap, t - width, t + width, xtol=1e-12, rtol=1e-12))


def mann_whitney(
    data: pd.DataFrame, dv: str, by: str, *, order: Sequence[Any] | None = None
) -> pd.DataFrame:
    """Mann-Whitney U test, asymptotic as SPSS: tie-corrected, no continuity correction.

    Returns
    -------
    DataFrame
        One row: ``U`` (for the first level, = R's ``W``), ``W`` (Wilcoxon's
        rank sum of the first level), ``z``, ``pvalue`` (two-sided),
        ``mean_rank_1``, ``mean_rank_2``.

    Notes
    -----
    ``U1 = R1 - n1 (n1 + 1) / 2``; ``z = (U1 - n1 n2 / 2) / sigma`` with
    ``sigma^2 = n1 n2 / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1)))`` over tied
    groups of size t.

    Examples
    --------
    >>> df = pd.DataFrame({"g": [1] * 4 + [2] * 4, "y": [1.0, 2, 2, 3, 3, 4, 5, 5]})
    >>> mann_whitney(df, "y", "g").round(4)  # wilcox.test(y ~ g, correct = FALSE, exact = FALSE)
         U     W       z  pvalue  mean_rank_1  mean_rank_2
    0  0.5  10.5 -2.2048  0.0275        2.625        6.375
    """
    s = _samples(data, dv, by, order, levels_required=2)
    x, y = s.values
    res = stats.mannwhitneyu(
        x, y, use_continuity=False, alternative="two-sided", method="asymptotic"
    )
    n1, n2 = len(x), len(y)
    ranks = stats.rankdata(np.concatenate([x, y]))
    total = n1 + n2
    _, counts = np.unique(ranks, return_counts=True)
    ties = float((counts**3 - counts).sum())
    sigma = math.sqrt(n1 * n2 / 12 * ((total + 1) - ties / (total * (total - 1))))
    u1 = float(res.statistic)
    return pd.DataFrame(
        {
            "U": [u1],
            "W": [float(ranks[:n1].sum())],
            "z": [(u1 - n1 * n2 / 2) / sigma],
            "pvalue": [float(res.pvalue)],
            "mean_rank_1": [float(ranks[:n1].mean())],
            "mean_rank_2": [float(ranks[n1:].mean())],
        }
    )


# --------------------------------------------------------------------------- three or more groups


def anova_oneway(
    data: pd.DataFrame, dv: str, by: str, *, order: Sequence[Any] | None = None
) -> pd.DataFrame:
    """One-way ANOVA with SPSS's robust tests of equal means (Welch, Brown-Forsythe).

    Returns
    -------
    DataFrame
        Indexed by ``test`` ("anova", "welch", "brown-forsythe"), with
        ``statistic`` (F), ``df1``, ``df2``, ``pvalue``.

    Notes
    -----
    Welch (1951): ``F_W = [sum w_i (m_i - m_w)^2 / (k - 1)] / [1 + 2 (k - 2) L /
    (k^2 - 1)]`` with ``w_i = n_i / s_i^2``, ``L = sum (1 - w_i / sum w)^2 / (n_i -
    1)``, df2 ``= (k^2 - 1) / (3 L)`` (R ``oneway.test``).  Brown & Forsythe
    (1974) ``F* = sum n_i (m_i - m)^2 / sum (1 - n_i / N) s_i^2`` on ``k - 1``
    and Satterthwaite df2 (SPSS's "Brown-Forsythe" row; a test of equal
    means, not Levene's test with medians).

    Examples
    --------
    >>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2, 3, 3, 3], "y": [1.0, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> anova_oneway(df, "y", "g").reset_index().round(4)  # oneway.test(y ~ g, var.equal = TRUE) / oneway.test(y ~ g)
                 test  statistic  df1  df2  pvalue
    0           anova    13.0000  2.0  6.0  0.0066
    1           welch    11.1429  2.0  4.0  0.0232
    2  brown-forsythe    13.0000  2.0  6.0  0.0066
    """
    s = _samples(data, dv, by, order)
    means, variances, n = s.means, s.variances, s.n.astype(float)
    rows = {
        name: _anova_summary(means, variances, n, use_var)
        for name, use_var in (("anova", "equal"), ("welch", "unequal"), ("brown-forsythe", "bf"))
    }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "test"
    return out


def _anova_summary(means: np.ndarray, variances: np.ndarray, n: np.ndarray, use_var: str) -> dict:
    res = anova_generic(means, variances, n, use_var=use_var)
    if use_var == "bf":  # Brown-Forsythe's own df1 = k - 1 (statsmodels' first is Mehrotra's)
        df1, df2 = res.df2
        return {
            "statistic": float(res.statistic),
            "df1": float(df1),
            "df2": float(df2),
            "pvalue": float(res.pvalue2),
        }
    return {
        "statistic": float(res.statistic),
        "df1": float(res.df_num),
        "df2": float(res.df_denom),
        "pvalue": float(res.pvalue),
    }


def anova_effect_sizes(
    data: pd.DataFrame, dv: str, by: str, *, order: Sequence[Any] | None = None
) -> pd.DataFrame:
    """Eta squared and omega squared of the one-way ANOVA, with the sums of squares.

    Returns
    -------
    DataFrame
        One row: ``eta2``, ``omega2``, ``ss_between``, ``ss_within``,
        ``ss_total``, ``ms_within``.

    Notes
    -----
    ``eta2 = SS_between / SS_total``; ``omega2 = (SS_between - (k - 1) MS_within) /
    (SS_total + MS_within)`` (Hays, 1963).

    Examples
    --------
    >>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2, 3, 3, 3], "y": [1.0, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> anova_effect_sizes(df, "y", "g").round(4)
         eta2  omega2  ss_between  ss_within  ss_total  ms_within
    0  0.8125  0.7273        26.0        6.0      32.0        1.0
    """
    s = _samples(data, dv, by, order)
    n, means = s.n, s.means
    grand = np.concatenate(s.values).mean()
    ss_between = float((n * (means - grand) ** 2).sum())
    ss_within = float(((n - 1) * s.variances).sum())
    ss_total = ss_between + ss_within
    k = len(n)
    ms_within = ss_within / (n.sum() - k)
    return pd.DataFrame(
        {
            "eta2": [ss_between / ss_total],
            "omega2": [(ss_between - (k - 1) * ms_within) / (ss_total + ms_within)],
            "ss_between": [ss_between],
            "ss_within": [ss_within],
            "ss_total": [ss_total],
            "ms_within": [ms_within],
        }
    )


def _studentized_range_pairs(
    values: Sequence[np.ndarray], pairs: list[tuple[int, int]], method: str, level: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``scipy.stats.tukey_hsd`` for the pairs ``(a, b)`` only: ``mean(b) - mean(a)``, p, CI.

    The same arithmetic as SciPy (so the same numbers to the last bit), but
    the studentized-range integrals, one numerical integration per p-value
    and a root search per critical value, are evaluated for the ``k(k-1)/2``
    pairs instead of all ``k^2`` cells, and each critical value once.
    """
    k = len(values)
    means = np.asarray([np.mean(v) for v in values])
    n = np.asarray([v.size for v in values])
    variances = np.asarray([np.var(v, ddof=1) for v in values])
    a, b = (np.array(side) for side in zip(*pairs, strict=True))
    if method == "tukey":
        mse = np.sum(variances * (n - 1)) / (n.sum() - k)
        normalize = 2 / n[0] if np.unique(n).size == 1 else 1 / n[a] + 1 / n[b]
        stand_err = np.sqrt(normalize * mse / 2) * np.ones(len(pairs))
        df = n.sum() - k
    else:  # Games-Howell: Welch's standard error and df per pair
        si, sj = variances[b] / n[b], variances[a] / n[a]
        stand_err = np.sqrt(si + sj) / 2**0.5
        df = (si + sj) ** 2 / (si**2 / (n[b] - 1) + sj**2 / (n[a] - 1))
    diff = means[b] - means[a]
    pvalue = stats.studentized_range.sf(np.abs(diff) / stand_err, k, df)
    dfs = np.broadcast_to(df, diff.shape)
    radius = np.array([_range_critical(level, k, float(d)) for d in dfs]) * stand_err
    return diff, pvalue, diff - radius, diff + radius


@functools.lru_cache(maxsize=1024)
def _range_critical(level: float, k: int, df: float) -> float:
    """Critical value of the studentized range (a root search over numerical integrals),
    computed once per ``(level, k, df)``: Tukey's df is the same for every scale compared
    across the same groups."""
    return float(stats.studentized_range.ppf(level, k, df))


@renamed(confidence="level")
def posthoc(
    data: pd.DataFrame,
    dv: str,
    by: str,
    *,
    method: str = "tukey",
    order: Sequence[Any] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Post-hoc pairwise comparisons after a one-way ANOVA, every pair in level order.

    Parameters
    ----------
    method : {"lsd", "tukey", "bonferroni", "scheffe", "games-howell"}
        Games-Howell does not assume equal variances: use it when Levene's
        test rejects (:func:`compare_groups` says so in
        ``recommended_posthoc``).

    Returns
    -------
    DataFrame
        One row per pair ``(a, b)``, ``a`` before ``b`` in level order:
        ``a``, ``b``, ``diff = mean(b) - mean(a)``, ``se``, ``statistic``,
        ``df``, ``pvalue`` (adjusted as the method does), ``ci_lower``,
        ``ci_upper`` (simultaneous for Tukey, Scheffé, Bonferroni and
        Games-Howell, as SPSS prints them).

    Notes
    -----
    With ``MSE`` the pooled within-group variance and ``se = sqrt(MSE (1/n_a +
    1/n_b))`` on ``N - k`` df:

    * LSD: ``t = diff / se``, unadjusted p (R ``pairwise.t.test(p.adjust = "none")``);
    * Bonferroni: LSD's p times the number of pairs, capped at 1; CI with
      ``t(1 - a / (2m))`` (R ``pairwise.t.test(p.adjust = "bonferroni")``);
    * Scheffé: ``F = t^2 / (k - 1)`` on ``(k - 1, N - k)`` df; CI ``diff ± sqrt((k
      - 1) F_crit) se``;
    * Tukey HSD (Tukey-Kramer for unequal n): ``q = |diff| / (se / sqrt 2)`` on
      the studentized range with ``k`` and ``N - k`` (R ``TukeyHSD``);
    * Games-Howell: ``se = sqrt(s_a^2/n_a + s_b^2/n_b)``, ``q = |diff| / (se /
      sqrt 2)`` on the studentized range with ``k`` and the pair's Welch df.

    ``statistic`` is t (LSD, Bonferroni), F (Scheffé) or q (Tukey, Games-Howell).

    Examples
    --------
    >>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2, 3, 3, 3], "y": [1.0, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> posthoc(df, "y", "g", method="tukey")[["a", "b", "diff", "pvalue"]].round(4)  # TukeyHSD(aov(y ~ factor(g)))
       a  b  diff  pvalue
    0  1  2   1.0  0.4827
    1  1  3   4.0  0.0065
    2  2  3   3.0  0.0242
    """
    if method not in POSTHOC_METHODS:
        raise InputError(
            f"unknown post-hoc method {method!r}",
            hint=f"choose one of {', '.join(POSTHOC_METHODS)}",
        )
    s = _samples(data, dv, by, order)
    pairs = s.pairs()
    n, means, variances = s.n, s.means, s.variances
    k, total = len(n), int(n.sum())
    alpha = 1 - level
    rows = []
    if method in ("tukey", "games-howell"):
        diffs, pvalues, lows, highs = _studentized_range_pairs(s.values, pairs, method, level)
        for (a, b), diff, p, low, high in zip(pairs, diffs, pvalues, lows, highs, strict=True):
            if method == "tukey":
                se, df = math.sqrt(s.mse * (1 / n[a] + 1 / n[b])), float(total - k)
            else:
                va, vb = variances[a] / n[a], variances[b] / n[b]
                se = math.sqrt(va + vb)
                df = (va + vb) ** 2 / (va**2 / (n[a] - 1) + vb**2 / (n[b] - 1))
            rows.append((a, b, diff, se, abs(diff) / (se / math.sqrt(2)), df, p, low, high))
    else:
        mse, df = s.mse, total - k
        m = len(pairs)
        for a, b in pairs:
            diff = means[b] - means[a]
            se = math.sqrt(mse * (1 / n[a] + 1 / n[b]))
            t = diff / se
            p = 2 * stats.t.sf(abs(t), df)
            if method == "lsd":
                stat, radius = t, stats.t.ppf(1 - alpha / 2, df) * se
            elif method == "bonferroni":
                stat, p, radius = t, min(1.0, p * m), stats.t.ppf(1 - alpha / (2 * m), df) * se
            else:  # scheffe
                stat = t**2 / (k - 1)
                p = stats.f.sf(stat, k - 1, df)
                radius = math.sqrt((k - 1) * stats.f.ppf(1 - alpha, k - 1, df)) * se
            rows.append((a, b, diff, se, stat, float(df), p, diff - radius, diff + radius))
    out = pd.DataFrame(
        rows, columns=["a", "b", "diff", "se", "statistic", "df", "pvalue", "ci_lower", "ci_upper"]
    )
    out["a"] = [s.levels[i] for i in out["a"]]
    out["b"] = [s.levels[i] for i in out["b"]]
    numeric = ["diff", "se", "statistic", "df", "pvalue", "ci_lower", "ci_upper"]
    out[numeric] = out[numeric].astype(float)
    return out


def kruskal_wallis(
    data: pd.DataFrame, dv: str, by: str, *, order: Sequence[Any] | None = None
) -> pd.DataFrame:
    """Kruskal-Wallis H test, corrected for ties (R ``kruskal.test``, SPSS).

    Returns
    -------
    DataFrame
        One row: ``statistic`` (H), ``df``, ``pvalue``.

    Examples
    --------
    >>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2, 3, 3, 3], "y": [1.0, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> kruskal_wallis(df, "y", "g").round(4)  # kruskal.test(y ~ g)
       statistic  df  pvalue
    0     6.0565   2  0.0484
    """
    s = _samples(data, dv, by, order)
    res = stats.kruskal(*s.values)
    return pd.DataFrame(
        {
            "statistic": [float(res.statistic)],
            "df": [len(s.levels) - 1],
            "pvalue": [float(res.pvalue)],
        }
    )


def dunn_test(
    data: pd.DataFrame,
    dv: str,
    by: str,
    *,
    order: Sequence[Any] | None = None,
    p_adjust: str = "bonferroni",
) -> pd.DataFrame:
    """Dunn's (1964) pairwise test after Kruskal-Wallis, with the tie correction.

    Parameters
    ----------
    p_adjust : {"bonferroni", "holm", "none"}
        Adjustment of ``pvalue_adj`` (SPSS's "Adj. Sig." is Bonferroni).

    Returns
    -------
    DataFrame
        One row per pair ``(a, b)`` in level order: ``a``, ``b``, ``diff`` (mean
        rank of b minus mean rank of a), ``se``, ``z``, ``pvalue`` (two-sided,
        unadjusted), ``pvalue_adj``.

    Notes
    -----
    ``se = sqrt((N (N + 1) / 12 - sum(t^3 - t) / (12 (N - 1))) (1/n_a + 1/n_b))``
    over tied groups of size t; ``z = diff / se``.

    References
    ----------
    Dunn, O. J. (1964). Multiple comparisons using rank sums. *Technometrics*,
    6(3), 241-252.

    Examples
    --------
    >>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2, 3, 3, 3], "y": [1.0, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> dunn_test(df, "y", "g")[["a", "b", "diff", "z", "pvalue_adj"]].round(4)
       a  b    diff       z  pvalue_adj
    0  1  2  1.6667  0.7516      1.0000
    1  1  3  5.3333  2.4053      0.0485
    2  2  3  3.6667  1.6536      0.2946
    """
    if p_adjust not in DUNN_ADJUSTMENTS:
        raise InputError(
            f"unknown p-value adjustment {p_adjust!r}",
            hint=f"choose one of {', '.join(DUNN_ADJUSTMENTS)}",
        )
    s = _samples(data, dv, by, order)
    ranks = stats.rankdata(np.concatenate(s.values))
    bounds = np.cumsum([0, *s.n])
    mean_ranks = [ranks[bounds[i] : bounds[i + 1]].mean() for i in range(len(s.levels))]
    total = len(ranks)
    _, counts = np.unique(ranks, return_counts=True)
    ties = float((counts**3 - counts).sum())
    variance = total * (total + 1) / 12 - ties / (12 * (total - 1))
    rows = []
    for a, b in s.pairs():
        diff = mean_ranks[b] - mean_ranks[a]
        se = math.sqrt(variance * (1 / s.n[a] + 1 / s.n[b]))
        z = diff / se
        rows.append((s.levels[a], s.levels[b], diff, se, z, 2 * stats.norm.sf(abs(z))))
    out = pd.DataFrame(rows, columns=["a", "b", "diff", "se", "z", "pvalue"])
    if p_adjust == "none":
        out["pvalue_adj"] = out["pvalue"]
    else:
        out["pvalue_adj"] = multipletests(out["pvalue"], method=p_adjust)[1]
    return out


# --------------------------------------------------------------------------- cross-tabulations


def chi2_independence(
    data: pd.DataFrame,
    row: str,
    col: str,
    *,
    row_order: Sequence[Any] | None = None,
    col_order: Sequence[Any] | None = None,
) -> pd.DataFrame:
    """Pearson chi-square test of independence with Cramér's V.

    Rows missing either variable are left out.  When any expected count is
    below the ``expected_count`` threshold (5, Cochran 1954), a
    :class:`SmallExpectedCountWarning` is issued and ``expected_warning`` is
    True.

    Returns
    -------
    DataFrame
        One row: ``chi2`` (Pearson, no continuity correction: SPSS's "Pearson
        Chi-Square"), ``df``, ``pvalue``, ``cramers_v``, ``n``,
        ``min_expected``, ``cells_below`` (cells with expected count below the
        threshold), ``cells_below_pct``, ``expected_warning``.

    Notes
    -----
    ``V = sqrt(chi2 / (n (min(r, c) - 1)))`` (Cramér, 1946).

    Examples
    --------
    >>> df = pd.DataFrame({"sex": [1] * 30 + [2] * 30, "buy": [1] * 20 + [2] * 10 + [1] * 10 + [2] * 20})
    >>> chi2_independence(df, "sex", "buy")[["chi2", "df", "pvalue", "cramers_v"]].round(4)  # chisq.test(table(sex, buy), correct = FALSE)
         chi2  df  pvalue  cramers_v
    0  6.6667   1  0.0098     0.3333
    """
    for column in (row, col):
        if column not in data.columns:
            raise InputError("no such column in the data", column=column)
    both = data[[row, col]].dropna()
    row_levels = order_levels(both[row], row_order)
    col_levels = order_levels(both[col], col_order)
    for column, levels in ((row, row_levels), (col, col_levels)):
        if len(levels) < 2:
            raise InputError(
                "only one level has answers; a cross-tabulation needs two or more",
                column=column,
                value=_shown(levels[0]) if levels else None,
            )
    observed = pd.crosstab(both[row], both[col]).reindex(index=row_levels, columns=col_levels)
    res = stats.chi2_contingency(observed.to_numpy(), correction=False)
    expected = np.asarray(res.expected_freq)
    cut = threshold("expected_count")
    below = int((~np.vectorize(lambda e: passes("expected_count", e))(expected)).sum())
    n = int(observed.to_numpy().sum())
    if below:
        warnings.warn(
            f"{below} of {expected.size} cells of {row!r} x {col!r} have expected counts below {cut:g} "
            f"(smallest {expected.min():.2f}); the chi-square p-value may be inaccurate",
            SmallExpectedCountWarning,
            stacklevel=2,
        )
    return pd.DataFrame(
        {
            "chi2": [float(res.statistic)],
            "df": [int(res.dof)],
            "pvalue": [float(res.pvalue)],
            "cramers_v": [math.sqrt(res.statistic / (n * (min(observed.shape) - 1)))],
            "n": [n],
            "min_expected": [float(expected.min())],
            "cells_below": [below],
            "cells_below_pct": [100 * below / expected.size],
            "expected_warning": [bool(below)],
        }
    )


# --------------------------------------------------------------------------- the set a thesis reports


@dataclass
class GroupComparison:
    """Every test a thesis reports for one score across the levels of one variable.

    Attributes
    ----------
    var, by : str
        The score and the grouping column.
    kind : {"t", "anova"}
        Two levels or more.
    groups : DataFrame
        :func:`describe_groups`, with ``label`` when labels were given.
    levene : DataFrame
        :func:`levene_test`.
    tests : DataFrame
        :func:`ttest_independent` (kind t) or :func:`anova_oneway` (kind anova).
    effect_size : DataFrame
        :func:`cohens_d` or :func:`anova_effect_sizes`.
    nonparametric : DataFrame
        :func:`mann_whitney` or :func:`kruskal_wallis`.
    posthoc : DataFrame or None
        :func:`posthoc` with ``posthoc_method`` (kind anova).
    dunn : DataFrame or None
        :func:`dunn_test` (kind anova).
    equal_variances : bool
        Levene's test does not reject (``levene_p`` threshold).
    recommended_posthoc : str or None
        "games-howell" when Levene rejects, else the method used.
    """

    var: str
    by: str
    kind: str
    groups: pd.DataFrame
    levene: pd.DataFrame
    tests: pd.DataFrame
    effect_size: pd.DataFrame
    nonparametric: pd.DataFrame
    posthoc: pd.DataFrame | None = None
    dunn: pd.DataFrame | None = None
    posthoc_method: str | None = None
    equal_variances: bool = True
    recommended_posthoc: str | None = None

    @property
    def n(self) -> int:
        """Respondents analysed (complete on the score and the grouping variable)."""
        return int(self.groups["n"].sum())

    @property
    def main_test(self) -> str:
        """The row to report: Student / ANOVA with equal variances, else Welch."""
        if self.equal_variances:
            return "student" if self.kind == "t" else "anova"
        return "welch"

    @property
    def statistic(self) -> float:
        """t or F of :attr:`main_test`."""
        return float(self.tests.loc[self.main_test, "statistic"])

    @property
    def pvalue(self) -> float:
        """p of :attr:`main_test`."""
        return float(self.tests.loc[self.main_test, "pvalue"])

    def to_dict(self) -> dict[str, Any]:
        """One element of ``tests`` in the ``sqresearch compare --json`` document (README)."""
        from sqresearch.jsondoc import code

        groups = []
        for record in self.groups.to_dict("records"):
            group = {
                "level": code(record["level"]),
                "n": record["n"],
                "mean": record["mean"],
                "sd": record["sd"],
            }
            if "label" in record:
                group["label"] = record["label"]
            groups.append(group)
        obj: dict[str, Any] = {
            "var": self.var,
            "by": self.by,
            "kind": self.kind,
            "n": self.n,
            "groups": groups,
            "levene": _row(
                self.levene,
                0,
                {"statistic": "statistic", "df1": "df1", "df2": "df2", "pvalue": "pvalue"},
            ),
            "equal_variances": self.equal_variances,
        }
        if self.kind == "t":
            t_keys = {
                k: k
                for k in ("statistic", "df", "pvalue", "mean_diff", "se", "ci_lower", "ci_upper")
            }
            obj["student"] = _row(self.tests, "student", t_keys)
            obj["welch"] = _row(self.tests, "welch", t_keys)
            obj["effect_size"] = _row(
                self.effect_size,
                0,
                {
                    "cohen_d": "d",
                    "ci_lower": "ci_lower",
                    "ci_upper": "ci_upper",
                    "ci_method": "ci_method",
                },
            )
            obj["nonparametric"] = {
                "test": "mann-whitney",
                **_row(self.nonparametric, 0, {"statistic": "U", "z": "z", "pvalue": "pvalue"}),
            }
            return obj
        f_keys = {k: k for k in ("statistic", "df1", "df2", "pvalue")}
        obj["anova"] = _row(self.tests, "anova", f_keys)
        obj["welch"] = _row(self.tests, "welch", f_keys)
        obj["brown_forsythe"] = _row(self.tests, "brown-forsythe", f_keys)
        obj["effect_size"] = _row(self.effect_size, 0, {"eta2": "eta2", "omega2": "omega2"})
        obj["nonparametric"] = {
            "test": "kruskal-wallis",
            **_row(
                self.nonparametric, 0, {"statistic": "statistic", "df": "df", "pvalue": "pvalue"}
            ),
        }
        obj["posthoc"] = [
            {
                "a": code(row["a"]),
                "b": code(row["b"]),
                "diff": row["diff"],
                "se": row["se"],
                "pvalue": row["pvalue"],
                "ci_lower": row["ci_lower"],
                "ci_upper": row["ci_upper"],
            }
            for row in self.posthoc.to_dict("records")
        ]
        obj["recommended_posthoc"] = self.recommended_posthoc
        return obj

    def significant_pairs(self, alpha: float | None = None) -> list[tuple[Any, Any]]:
        """Post-hoc pairs with p below ``alpha``, as (higher level, lower level)."""
        if self.posthoc is None:
            return []
        alpha = threshold("alpha_level") if alpha is None else alpha
        hits = self.posthoc[self.posthoc["pvalue"] < alpha]
        return [
            (b, a) if diff > 0 else (a, b)
            for a, b, diff in zip(hits["a"], hits["b"], hits["diff"], strict=True)
        ]

    def _repr_html_(self) -> str:
        parts = [
            f"<h4>{self.var} by {self.by} ({'t-test' if self.kind == 't' else 'one-way ANOVA'}, n = {self.n})</h4>",
            self.groups.to_html(index=False),
            "<p>Levene (mean-centred)</p>",
            self.levene.to_html(index=False),
            self.tests.to_html(),
            self.effect_size.to_html(index=False),
            self.nonparametric.to_html(index=False),
        ]
        if self.posthoc is not None:
            parts += [f"<p>Post-hoc: {self.posthoc_method}</p>", self.posthoc.to_html(index=False)]
        if not self.equal_variances and self.kind == "anova":
            parts.append(
                f"<p>Levene's test rejects equal variances: use {self.recommended_posthoc}.</p>"
            )
        return "\n".join(parts)


@renamed(confidence="level")
def compare_groups(
    data: pd.DataFrame,
    dv: str,
    by: str,
    *,
    order: Sequence[Any] | None = None,
    labels: Mapping[Any, str] | None = None,
    posthoc_method: str = "tukey",
    dunn_adjust: str = "bonferroni",
    level: float = 0.95,
) -> GroupComparison:
    """Run the t-test (two levels) or one-way ANOVA (more) set on one score.

    Parameters
    ----------
    data : DataFrame
    dv : str
        The score column (see :func:`scale_scores`).
    by : str
        The grouping column.
    order : sequence, optional
        Codebook order of text levels (see :func:`order_levels`).
    labels : mapping, optional
        Level -> label, added to ``groups`` as ``label``.
    posthoc_method : str
        One of :data:`POSTHOC_METHODS`, or "auto": Tukey when Levene's test
        does not reject, Games-Howell when it does.
    dunn_adjust : str
        See :func:`dunn_test`.

    Examples
    --------
    >>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2, 3, 3, 3], "y": [1.0, 2, 3, 2, 3, 4, 5, 6, 7]})
    >>> res = compare_groups(df, "y", "g")
    >>> res.kind, res.n, round(res.statistic, 4), res.significant_pairs()
    ('anova', 9, 13.0, [(3, 1), (3, 2)])
    """
    if posthoc_method != "auto" and posthoc_method not in POSTHOC_METHODS:
        raise InputError(
            f"unknown post-hoc method {posthoc_method!r}",
            hint=f"choose one of {', '.join(POSTHOC_METHODS)} or auto",
        )
    if by in data.columns:  # a missing column is reported by describe_groups
        scored = numeric_frame(data.loc[data[by].notna()], [dv])
        check_variation(scored, {dv: "the score"})
    groups = describe_groups(data, dv, by, order=order)
    if labels is not None:
        groups["label"] = [labels.get(level, str(level)) for level in groups["level"]]
    levene = levene_test(data, dv, by, order=order)
    equal = not passes("levene_p", float(levene.loc[0, "pvalue"]))
    common = {"var": dv, "by": by, "groups": groups, "levene": levene, "equal_variances": equal}
    if len(groups) == 2:
        return GroupComparison(
            kind="t",
            tests=ttest_independent(data, dv, by, order=order, level=level),
            effect_size=cohens_d(data, dv, by, order=order, level=level),
            nonparametric=mann_whitney(data, dv, by, order=order),
            **common,
        )
    method = ("tukey" if equal else "games-howell") if posthoc_method == "auto" else posthoc_method
    return GroupComparison(
        kind="anova",
        tests=anova_oneway(data, dv, by, order=order),
        effect_size=anova_effect_sizes(data, dv, by, order=order),
        nonparametric=kruskal_wallis(data, dv, by, order=order),
        posthoc=posthoc(data, dv, by, method=method, order=order, level=level),
        dunn=dunn_test(data, dv, by, order=order, p_adjust=dunn_adjust),
        posthoc_method=method,
        recommended_posthoc=method if equal else "games-howell",
        **common,
    )


def _row(frame: pd.DataFrame, index: Any, keys: dict[str, str]) -> dict[str, Any]:
    return {out: frame.loc[index, col] for out, col in keys.items()}


class GroupComparisons(list):
    """The :class:`GroupComparison` of several scores by one column (a list of them).

    Attributes
    ----------
    by : str
    posthoc_method : str
    warnings : list of str
        Raised while comparing (a nearly constant score, ...), one line each.
    """

    def __init__(
        self,
        results: Sequence[GroupComparison],
        by: str,
        posthoc_method: str,
        warnings: Sequence[str] = (),
    ) -> None:
        super().__init__(results)
        self.by, self.posthoc_method, self.warnings = by, posthoc_method, list(warnings)

    def to_dict(self) -> dict[str, Any]:
        """The ``sqresearch compare --json`` document: ``by``, ``posthoc_method``, ``tests``, ``warnings``."""
        return {
            "by": self.by,
            "posthoc_method": self.posthoc_method,
            "tests": [r.to_dict() for r in self],
            "warnings": list(self.warnings),
        }

    def _repr_html_(self) -> str:
        return "".join(r._repr_html_() for r in self) + warnings_html(self.warnings)


@carries_warnings
def compare_scales(
    data: pd.DataFrame,
    scales: Mapping[str, Sequence[str]],
    by: str,
    **options: Any,
) -> GroupComparisons:
    """:func:`compare_groups` for each scale score (mean of its items) by ``by``.

    A respondent missing any item of a scale is left out of that scale's tests.

    Examples
    --------
    >>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2], "A1": [1, 2, 3, 3, 4, 5], "A2": [1, 2, 3, 3, 4, None]})
    >>> [(r.var, r.kind, r.n) for r in compare_scales(df, {"A": ["A1", "A2"]}, "g")]
    [('A', 't', 5)]
    """
    scores = scale_scores(data, scales)
    if by not in data.columns:
        raise InputError("no such grouping column in the data", column=by)
    if by in scores.columns:
        raise InputError("a scale has the same name as the grouping column", column=by)
    frame = scores.assign(**{by: data[by]})
    method = options.get("posthoc_method", "tukey")  # compare_groups' default
    results = [compare_groups(frame, name, by, **options) for name in scales]
    return GroupComparisons(results, by, method)


def compare_all(
    data: pd.DataFrame,
    scales: Mapping[str, Sequence[str]],
    by: Sequence[str],
    **options: Any,
) -> dict[str, list[GroupComparison]]:
    """:func:`compare_scales` for every grouping column in ``by`` (a thesis's 差异分析).

    Returns
    -------
    dict
        Grouping column -> one :class:`GroupComparison` per scale, in order;
        the input of :func:`sqresearch.report.groups.difference_tables`.

    Examples
    --------
    >>> df = pd.DataFrame({"sex": [1, 2] * 4, "age": [1, 1, 2, 2, 3, 3, 3, 3], "A1": [1, 2, 3, 4, 5, 4, 3, 2]})
    >>> {col: [r.kind for r in res] for col, res in compare_all(df, {"A": ["A1"]}, ["sex", "age"]).items()}
    {'sex': ['t'], 'age': ['anova']}
    """
    return {column: compare_scales(data, scales, column, **options) for column in by}
