"""Pilot-study item analysis (项目分析) as Chinese textbooks and SPSSAU run it.

For each scale: the total score, the top and bottom 27% groups on it and an
independent t-test per item between them (the critical ratio, CR), then the
homogeneity checks (item-total correlation, corrected item-total
correlation, α if item deleted, communality and loading on one principal
component), and a decision per item with the rules that fired.
吴明隆 (2010) tabulates exactly these six indicators, counts the unmet
ones and proposes deleting the items that miss them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.measure.efa import efa
from sqresearch.measure.items import reverse_code, select_items, unknown_reverse
from sqresearch.measure.reliability import cronbach_alpha
from sqresearch.model.groups import levene_test, ttest_independent
from sqresearch.thresholds import passes

#: The rules of the decision table, in the order 吴明隆 (2010) tabulates them:
#: rule -> (column of :attr:`ItemAnalysis.items`, thresholds key or None).
RULES = {
    "cr": ("cr", "item_cr"),
    "item_total_r": ("r_total", "item_total_r"),
    "citc": ("citc", "citc"),
    "alpha_if_deleted": ("alpha_if_deleted", None),
    "communality": ("communality", "item_communality"),
    "loading": ("loading", "item_loading"),
}

#: Share of respondents in each extreme group (Kelley, 1939).
EXTREME_SHARE = 0.27


@dataclass(frozen=True, repr=False)
class ItemAnalysis:
    """项目分析: extreme-group comparison, homogeneity checks and the decision per item.

    Attributes
    ----------
    items : DataFrame
        One row per item (index ``scale``, ``item``): ``mean_high``,
        ``mean_low`` (item means in the top and bottom groups), ``levene_p``,
        ``equal_var`` (Levene does not reject), ``cr`` (the t of the row SPSS
        readers take: Student's t when variances are equal, else Welch's),
        ``cr_df``, ``cr_pvalue``, ``r_total`` (item-total correlation) and
        ``r_total_pvalue``, ``citc``, ``alpha_if_deleted``, ``communality``
        and ``loading`` (one principal component of the scale's items).
    scales : DataFrame
        One row per scale (index ``scale``): ``k``, ``n``, ``alpha``,
        ``low_cut`` and ``high_cut`` (total scores bounding the groups),
        ``n_low``, ``n_high``.
    decisions : DataFrame
        One row per item (index ``scale``, ``item``): one boolean column per
        rule of :data:`RULES` (True = the rule fired, the item misses it),
        ``n_failed``, ``fired`` (the fired rules joined by ", ") and
        ``decision``: "keep" or "consider_deleting" (more than
        ``max_failed`` rules fired).
    max_failed : int
        Unmet rules an item may have and still be kept.
    """

    items: pd.DataFrame
    scales: pd.DataFrame
    decisions: pd.DataFrame
    max_failed: int

    @property
    def flagged(self) -> list[tuple[str, str]]:
        """(scale, item) of the items to consider deleting."""
        return list(self.decisions.index[self.decisions["decision"] == "consider_deleting"])

    def to_dict(self) -> dict[str, Any]:
        """The ``sqresearch items-analysis --json`` document."""
        out: dict[str, Any] = {"max_failed": self.max_failed, "scales": {}}
        stats_ = self.items.to_dict("index")
        decisions = self.decisions.to_dict("index")
        for scale, row in self.scales.to_dict("index").items():
            items = {}
            for (s, item), stat in stats_.items():
                if s == scale:
                    dec = decisions[(s, item)]
                    fired = [r for r in RULES if dec[r]]
                    items[str(item)] = {**stat, "fired": fired, "decision": dec["decision"]}
            out["scales"][str(scale)] = {**row, "items": items}
        return out

    def __repr__(self) -> str:
        return (
            f"ItemAnalysis({len(self.scales)} scales, {len(self.items)} items, "
            f"{len(self.flagged)} to consider deleting)"
        )

    def _repr_html_(self) -> str:
        fmt = "{:.3f}".format
        table = self.items.join(self.decisions[["fired", "decision"]])
        return (
            f"<p><b>Item analysis</b>: {len(self.flagged)} of {len(self.items)} items "
            f"to consider deleting (more than {self.max_failed} rule(s) missed)</p>"
            + self.scales.to_html(float_format=fmt)
            + table.to_html(float_format=fmt, na_rep="")
        )


def extreme_groups(total: pd.Series, share: float = EXTREME_SHARE) -> tuple[float, float]:
    """Total scores bounding the bottom and top groups: (low cut, high cut).

    The totals are sorted and the score of the ``round(share · n)``-th
    respondent from either end is the cut; everyone at or below the low cut
    is in the bottom group and everyone at or above the high cut in the top
    group, ties included (吴明隆, 2010).

    Examples
    --------
    >>> extreme_groups(pd.Series([3, 5, 6, 6, 7, 8, 9, 9, 10, 12]))
    (6.0, 9.0)
    """
    values = np.sort(total.to_numpy(dtype=float))
    k = max(int(round(share * len(values))), 1)
    low, high = float(values[k - 1]), float(values[-k])
    if low >= high:
        raise InputError(
            "the total scores are too alike to form top and bottom groups",
            value=(low, high),
            hint="check the items (constant answers?) or the sample",
        )
    return low, high


def _scale_items(
    frame: pd.DataFrame, name: str, share: float
) -> tuple[pd.DataFrame, dict[str, Any]]:
    total = frame.sum(axis=1)
    low, high = extreme_groups(total, share)
    group = pd.Series(np.where(total >= high, "high", np.where(total <= low, "low", "")),
                      index=frame.index)  # fmt: skip
    extreme = frame[group != ""].assign(__group=group[group != ""])
    reliability = cronbach_alpha(frame, omega=False, name=name)
    with warnings.catch_warnings():  # KMO of a 2-item scale etc.: not used here
        warnings.simplefilter("ignore")
        component = efa(frame, n_factors=1, method="pc", rotation="none")
    n = len(frame)
    rows = {}
    for item in frame.columns:
        levene = levene_test(extreme, item, "__group", order=["high", "low"])
        equal = not passes("levene_p", float(levene.loc[0, "pvalue"]))
        test = ttest_independent(extreme, item, "__group", order=["high", "low"])
        t = test.loc["student" if equal else "welch"]
        r = float(reliability.items.loc[item, "r"])
        r_t = r * np.sqrt((n - 2) / (1 - r**2))
        rows[item] = {
            "mean_high": float(extreme.loc[extreme["__group"] == "high", item].mean()),
            "mean_low": float(extreme.loc[extreme["__group"] == "low", item].mean()),
            "levene_p": float(levene.loc[0, "pvalue"]),
            "equal_var": equal,
            "cr": float(t["statistic"]),
            "cr_df": float(t["df"]),
            "cr_pvalue": float(t["pvalue"]),
            "r_total": r,
            "r_total_pvalue": float(2 * stats.t.sf(abs(r_t), n - 2)),
            "citc": float(reliability.items.loc[item, "citc"]),
            "alpha_if_deleted": float(reliability.items.loc[item, "alpha_if_deleted"]),
            "communality": float(component.communalities.loc[item, "extraction"]),
            "loading": float(component.unrotated.loc[item].iloc[0]),
        }
    summary = {
        "k": frame.shape[1],
        "n": n,
        "alpha": reliability.alpha,
        "low_cut": low,
        "high_cut": high,
        "n_low": int((group == "low").sum()),
        "n_high": int((group == "high").sum()),
    }
    return pd.DataFrame.from_dict(rows, orient="index"), summary


def _decisions(items: pd.DataFrame, alphas: pd.Series, max_failed: int) -> pd.DataFrame:
    fired = pd.DataFrame(index=items.index)
    for rule, (column, key) in RULES.items():
        values = items[column]
        if key is None:  # deleting the item would raise the scale's alpha
            scale_alpha = alphas.reindex(items.index.get_level_values("scale")).to_numpy()
            fired[rule] = (values.to_numpy() > scale_alpha) & values.notna().to_numpy()
        else:
            fired[rule] = [not passes(key, v) for v in values]
    fired["cr"] |= ~np.array([passes("alpha_level", p) for p in items["cr_pvalue"]])
    fired["n_failed"] = fired[list(RULES)].sum(axis=1).astype(int)
    fired["fired"] = [", ".join(r for r in RULES if row[r]) for _, row in fired.iterrows()]
    fired["decision"] = np.where(fired["n_failed"] > max_failed, "consider_deleting", "keep")
    return fired


def item_analysis(
    data: pd.DataFrame,
    scales: Mapping[str, Sequence[str]] | Sequence[str],
    *,
    reverse: Iterable[str] = (),
    scale_points: int | None = None,
    share: float = EXTREME_SHARE,
    max_failed: int = 0,
) -> ItemAnalysis:
    """项目分析 of a pilot sample: critical ratios, homogeneity checks and decisions.

    Parameters
    ----------
    data : DataFrame
        Pilot responses, respondents in rows.
    scales : mapping of str to sequence of str, or sequence of str
        Scale -> items; each scale is analysed on its own total. A plain list
        of items is one scale named "scale".
    reverse : iterable of str
        Reverse-keyed items, recoded ``scale_points + 1 - x`` first.
    scale_points : int, optional
        Answer categories (see :func:`~sqresearch.measure.reliability.cronbach_alpha`).
    share : float
        Share of respondents in each extreme group (default 27%).
    max_failed : int
        An item is kept when at most this many rules fire (default 0: any
        unmet rule puts it up for deletion, the reading of most theses).

    Returns
    -------
    ItemAnalysis

    Notes
    -----
    Per scale, with listwise deletion within its items: the total is the sum
    of the (reverse-keyed) items; the bottom and top groups are cut as
    :func:`extreme_groups` says. The critical ratio of an item is the t of
    an independent-samples t-test of the top against the bottom group
    (top minus bottom): Student's t when Levene's test (mean-centred, as
    SPSS) does not reject equal variances at .05, else Welch's t, the row
    an SPSS user reads. The rules, after 吴明隆 (2010): CR ≥ 3 and
    significant; item-total r ≥ .40; corrected item-total r ≥ .40; α if
    item deleted not above the scale's α; communality ≥ .20 and loading
    ≥ .45 on the first unrotated principal component of the scale's items
    (SPSS FACTOR, one component). Cut-offs are in :mod:`sqresearch.thresholds`
    (``item_cr``, ``item_total_r``, ``citc``, ``item_communality``,
    ``item_loading``).

    References
    ----------
    吴明隆. (2010). 问卷统计分析实务：SPSS操作与应用. 重庆大学出版社.
    Kelley, T. L. (1939). The selection of upper and lower groups for the
    validation of test items. Journal of Educational Psychology, 30, 17-24.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> res = item_analysis(hs, {"speed": ["x7", "x8", "x9"]})
    >>> # In R: t.test(x7 ~ group, var.equal = TRUE) on the 27% groups of the total
    >>> # (Welch's t.test for x8, whose Levene test rejects equal variances)
    >>> res.items["cr"].round(3).tolist()
    [17.82, 15.309, 15.772]
    >>> res.decisions["decision"].tolist()
    ['keep', 'keep', 'keep']
    """
    if not 0 < share < 0.5:
        raise InputError("the extreme-group share must lie between 0 and 0.5", value=share)
    if isinstance(scales, Mapping):
        scales = {str(k): list(v) for k, v in scales.items()}
    else:
        scales = {"scale": list(scales)}
    if not scales or any(len(v) < 2 for v in scales.values()):
        raise InputError("each scale needs at least 2 items", hint="pass {scale: [items]}")
    reverse = list(reverse)
    typos = unknown_reverse(reverse, [i for its in scales.values() for i in its])
    if typos:
        raise InputError("reverse-keyed item is in no scale", column=typos[0])
    tables, summaries = {}, {}
    for name, items in scales.items():
        frame = reverse_code(select_items(data, items), reverse, scale_points)
        tables[name], summaries[name] = _scale_items(frame, name, share)
    items_table = pd.concat(tables, names=["scale", "item"])
    scale_table = pd.DataFrame.from_dict(summaries, orient="index")
    scale_table.index.name = "scale"
    return ItemAnalysis(
        items=items_table,
        scales=scale_table,
        decisions=_decisions(items_table, scale_table["alpha"], max_failed),
        max_failed=max_failed,
    )
