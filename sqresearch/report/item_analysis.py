"""Pilot-study item analysis (项目分析): the summary table and its paragraph.

Reads :func:`sqresearch.measure.item_analysis.item_analysis`'s result: the
``items`` statistics (critical ratio, item-total r, CITC, α if item deleted,
communality, loading), the ``scales`` (α, group cuts) and the ``decisions``
(the rules that fired, keep / consider deleting). The layout is 吴明隆's
(2010) 项目分析摘要表: extreme-group comparison, homogeneity tests, the
number of unmet criteria and the decision, with the criteria in the last row.

Examples
--------
>>> from semopy.examples import holzinger39
>>> from sqresearch.measure.item_analysis import item_analysis
>>> res = item_analysis(holzinger39.get_data(), {"speed": ["x7", "x8", "x9"]})
>>> item_analysis_table(res, lang="en").to_frame()["Decision"].tolist()
['Keep', 'Keep', 'Keep', '']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sqresearch.measure.item_analysis import RULES
from sqresearch.report.common import (
    Labels,
    cite_sources,
    display_name,
    join_words,
    p_phrase,
    stars_note,
    table_note,
)
from sqresearch.report.format import fmt_number, fmt_p, fmt_threshold
from sqresearch.report.labels import check_lang
from sqresearch.report.tables import ThesisTable

#: Printed names of the rules (and of their columns).
RULE_NAMES = {
    "cr": {"zh": "决断值CR", "en": "CR"},
    "item_total_r": {"zh": "题总相关", "en": "Item-total r"},
    "citc": {"zh": "校正题总相关", "en": "CITC"},
    "alpha_if_deleted": {"zh": "题项删除后α", "en": "α if deleted"},
    "communality": {"zh": "共同性", "en": "Communality"},
    "loading": {"zh": "因素负荷量", "en": "Loading"},
}

DECISIONS = {
    "keep": {"zh": "保留", "en": "Keep"},
    "consider_deleting": {"zh": "考虑删除", "en": "Consider deleting"},
}

_KEYS = [key for _, key in RULES.values() if key]


def _criteria(style: str) -> dict[str, str]:
    """The criteria row: each cut-off with its sign, under its column."""
    out = {
        RULES[rule][0]: fmt_threshold(key, "t" if rule == "cr" else "r", style=style)
        for rule, (_, key) in RULES.items()
        if key
    }
    out["alpha_if_deleted"] = "≤α"
    return out


def item_analysis_table(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """项目分析摘要表: CR, homogeneity tests, unmet criteria and the decision per item.

    Parameters
    ----------
    result : ItemAnalysis
        From :func:`sqresearch.measure.item_analysis.item_analysis`.
    labels : mapping, optional
        Printed names of the scales (default: the construct catalogue).
    """
    lang = check_lang(lang)
    stats, decisions = result.items, result.decisions
    rows = []
    for (scale, item), r in stats.iterrows():
        dec = decisions.loc[(scale, item)]
        rows.append(
            {
                "construct": display_name(scale, lang, labels),
                "item": str(item),
                **{RULES[rule][0]: r[RULES[rule][0]] for rule in RULES},
                "cr_pvalue": r["cr_pvalue"],
                "r_total_pvalue": r["r_total_pvalue"],
                "n_failed": int(dec["n_failed"]),
                "fired": ("、" if lang == "zh" else ", ").join(
                    RULE_NAMES[rule][lang] for rule in RULES if dec[rule]
                ),
                "decision": DECISIONS[dec["decision"]][lang],
            }
        )
    criteria = {"construct": "", "item": {"zh": "判标准则", "en": "Criterion"}[lang]}
    rows.append({**criteria, **_criteria(style), "n_failed": "", "fired": "", "decision": ""})
    data = pd.DataFrame(rows)
    data[["cr_pvalue", "r_total_pvalue"]] = data[["cr_pvalue", "r_total_pvalue"]].astype(float)
    homogeneity = ["r_total", "citc", "alpha_if_deleted", "communality", "loading"]
    alphas = ("；" if lang == "zh" else "; ").join(
        f"{display_name(s, lang, labels)} α = {fmt_number(a, 'alpha', style=style)}"
        for s, a in result.scales["alpha"].items()
    )
    src = cite_sources(_KEYS, lang)
    return ThesisTable(
        data,
        kinds={
            "cr": "t",
            "r_total": "r",
            "citc": "citc",
            "alpha_if_deleted": "alpha",
            "communality": "communality",
            "loading": "loading",
            "n_failed": "count",
        },
        stars={"cr": "cr_pvalue", "r_total": "r_total_pvalue"},
        heads={
            **{RULES[rule][0]: RULE_NAMES[rule] for rule in RULES},
            "n_failed": {"zh": "未达标准数", "en": "Unmet"},
            "fired": {"zh": "未达标准的指标", "en": "Criteria not met"},
            "decision": {"zh": "备注", "en": "Decision"},
        },
        column_groups=[
            ({"zh": "极端组比较", "en": "Extreme groups"}, ["cr"]),
            ({"zh": "同质性检验", "en": "Homogeneity"}, homogeneity),
        ],
        title={"zh": "项目分析摘要表", "en": "Item analysis of the pilot study"},
        notes=[
            table_note(
                f"CR为总分前27%与后27%两组的独立样本t值；共同性与因素负荷量取各量表题项的第一个"
                f"未旋转主成分；判标准则见{src}；{alphas}。",
                "CR: independent-samples t of the top against the bottom 27% on the total; "
                "communality and loading on the first unrotated principal component of each "
                f"scale; criteria from {src}; {alphas}.",
            ),
            stars_note(style),
        ],
        label="tab:item_analysis",
        collapse=["construct"],
        widths={"fired": 0.16},
        lang=lang,
        style=style,
    )


def item_analysis_text(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> str:
    """How the item analysis was run, which items pass every criterion and which to reconsider.

    ``result`` and ``labels`` as for :func:`item_analysis_table`.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> from sqresearch.measure.item_analysis import item_analysis
    >>> res = item_analysis(holzinger39.get_data(), {"speed": ["x7", "x8", "x9"]})
    >>> print(item_analysis_text(res, lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    Item analysis followed the extreme-group and homogeneity procedure (吴明隆 (2010)): the
    respondents scoring in the top and bottom 27% on each scale's total formed the high and low
    groups, and an item is kept when its critical ratio (CR) is at least 3 and significant, its
    item-total and corrected item-total correlations are at least 0.40, deleting it would not
    raise the scale's α, and its communality and loading on the scale's first principal
    component reach 0.20 and 0.45. All 3 items meet every criterion (CR 15.309 to 17.820,
    p < 0.001) and are kept.
    """
    lang = check_lang(lang)
    stats, decisions = result.items, result.decisions
    cut = {k: fmt_threshold(k, "r", style=style, symbol=False) for k in _KEYS}
    cr_lo, cr_hi = (fmt_number(f(stats["cr"]), "t", style=style) for f in (np.min, np.max))
    p_max = float(stats["cr_pvalue"].max())
    p_text = p_phrase(p_max, style) if p_max < 0.001 else f"p ≤ {fmt_p(p_max, style=style)}"
    flagged = decisions[decisions["decision"] == "consider_deleting"]
    kept = len(decisions) - len(flagged)
    src = cite_sources(_KEYS, lang)
    sep = "、" if lang == "zh" else "; "

    def why(scale, item) -> str:
        r, dec = stats.loc[(scale, item)], decisions.loc[(scale, item)]
        parts = []
        for rule in RULES:
            if dec[rule]:
                column = RULES[rule][0]
                kind = "t" if rule == "cr" else "r"
                parts.append(
                    f"{RULE_NAMES[rule][lang]} = {fmt_number(r[column], kind, style=style)}"
                )
        return f"{item}（{sep.join(parts)}）" if lang == "zh" else f"{item} ({sep.join(parts)})"

    reasons = [why(s, i) for s, i in flagged.index]
    if lang == "zh":
        out = (
            f"采用极端组比较法与同质性检验进行项目分析（{src}）：按各量表总分的前27%与后27%划分"
            f"高、低分组，题项的决断值CR不低于{cut['item_cr']}且显著、题总相关与校正题总相关不低于"
            f"{cut['item_total_r']}、删除后不使量表α上升、在量表第一主成分上的共同性与因素负荷量"
            f"分别不低于{cut['item_communality']}和{cut['item_loading']}时予以保留。"
        )
        if flagged.empty:
            return out + (
                f"全部{kept}个题项均达到各项标准（CR为{cr_lo}～{cr_hi}，{p_text}），予以保留。"
            )
        return out + (
            f"共{kept}个题项达到各项标准；题项{join_words(reasons, lang)}未达到标准，"
            "建议结合题项内容考虑删除或修订后再进行正式调查。"
        )
    out = (
        f"Item analysis followed the extreme-group and homogeneity procedure ({src}): the "
        "respondents scoring in the top and bottom 27% on each scale's total formed the high and "
        f"low groups, and an item is kept when its critical ratio (CR) is at least "
        f"{cut['item_cr']} and significant, its item-total and corrected item-total correlations "
        f"are at least {cut['item_total_r']}, deleting it would not raise the scale's α, and its "
        "communality and loading on the scale's first principal component reach "
        f"{cut['item_communality']} and {cut['item_loading']}. "
    )
    if flagged.empty:
        return out + (
            f"All {kept} items meet every criterion (CR {cr_lo} to {cr_hi}, {p_text}) and are kept."
        )
    return out + (
        f"{kept} items meet every criterion; {join_words(reasons, lang)} miss some and should be "
        "considered for deletion or revision before the main survey."
    )
