"""Second-order CFA: the model comparison with the target coefficient, and its paragraph.

Reads :func:`sqresearch.measure.second_order.second_order_cfa`'s result: the
fit of the first- and second-order models, Marsh & Hocevar's (1985) target
coefficient, the second-order loadings and CR/AVE at both levels.

Examples
--------
>>> from semopy.examples import holzinger39
>>> from sqresearch.measure.second_order import second_order_cfa
>>> blocks = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
...           "speed": ["x7", "x8", "x9"]}
>>> res = second_order_cfa(holzinger39.get_data(), blocks, {"g": ["visual", "textual", "speed"]})
>>> second_order_table(res, lang="en").to_frame()["Construct"].tolist()
['g', 'visual', 'textual', 'speed']
"""

from __future__ import annotations

import pandas as pd

from sqresearch.report.common import (
    Labels,
    cite_sources,
    display_name,
    join_words,
    stars_note,
    table_note,
)
from sqresearch.report.format import fmt_number, fmt_threshold
from sqresearch.report.labels import check_lang
from sqresearch.report.tables import ThesisTable
from sqresearch.thresholds import passes

_MODELS = {
    "first_order": {"zh": "一阶模型（因子相关）", "en": "First-order (correlated factors)"},
    "second_order": {"zh": "二阶模型", "en": "Second-order"},
}


def second_order_table(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Second-order loadings with CR/AVE of each second-order factor and of its dimensions.

    Parameters
    ----------
    result : SecondOrderResult
        From :func:`sqresearch.measure.second_order.second_order_cfa`.
    """
    lang = check_lang(lang)
    rel = result.reliability
    rows = []
    for higher, block in result.loadings.groupby("lhs", sort=False):
        rows.append({"construct": display_name(higher, lang, labels), "loading": float("nan"),
                     "pvalue": float("nan"), **rel.loc[higher, ["cr", "ave"]].to_dict()})  # fmt: skip
        for r in block.itertuples(index=False):
            rows.append({"construct": display_name(r.rhs, lang, labels), "loading": r.std_all,
                         "pvalue": r.pvalue, **rel.loc[r.rhs, ["cr", "ave"]].to_dict()})  # fmt: skip
    c = result.comparison
    fit = {
        m: f"χ²({c.loc[m, 'df']:.0f}) = {fmt_number(c.loc[m, 'chisq'], 'chisq', style=style)}, "
        f"CFI = {fmt_number(c.loc[m, 'cfi'], 'fit', style=style)}, "
        f"RMSEA = {fmt_number(c.loc[m, 'rmsea'], 'rmsea', style=style)}"
        for m in _MODELS
    }
    target = fmt_number(result.target, "fit", style=style)
    cr, ave = fmt_threshold("cr", "cr", style=style), fmt_threshold("ave", "ave", style=style)
    src = {x: cite_sources(["cr", "ave"], x) for x in ("zh", "en")}
    return ThesisTable(
        pd.DataFrame(rows),
        kinds={"loading": "loading", "cr": "cr", "ave": "ave"},
        stars={"loading": "pvalue"},
        heads={"construct": "construct"},
        title={"zh": "二阶验证性因子分析结果", "en": "Second-order confirmatory factor analysis"},
        notes=[
            table_note(
                f"二阶因子下列其维度（一阶因子）的标准化载荷；{_MODELS['first_order']['zh']}"
                f"{fit['first_order']}，{_MODELS['second_order']['zh']}{fit['second_order']}；"
                f"目标系数T = {target}（Marsh & Hocevar (1985)）；CR{cr}、AVE{ave}（{src['zh']}）。",
                f"Standardised loadings of each second-order factor's dimensions; "
                f"{_MODELS['first_order']['en']}: {fit['first_order']}; second-order: "
                f"{fit['second_order']}; target coefficient T = {target} (Marsh & Hocevar "
                f"(1985)); CR {cr}, AVE {ave} ({src['en']}).",
            ),
            stars_note(style),
        ],
        label="tab:second_order",
        lang=lang,
        style=style,
    )


def second_order_text(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> str:
    """Whether the second-order factor accounts for its dimensions (target coefficient, CR/AVE).

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> from sqresearch.measure.second_order import second_order_cfa
    >>> blocks = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
    ...           "speed": ["x7", "x8", "x9"]}
    >>> res = second_order_cfa(holzinger39.get_data(), blocks, {"g": ["visual", "textual", "speed"]})
    >>> print(second_order_text(res, lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    The second-order model (g measured by visual, textual and speed) fits with χ²(24) = 85.306,
    CFI = 0.931, RMSEA = 0.092; its loadings on the dimensions range from 0.525 to 0.873. CR of
    g is 0.692 and AVE 0.443, not both meeting CR ≥0.70 and AVE ≥0.50 (Fornell & Larcker (1981);
    Hair et al. (2019)). With three dimensions the second-order structure is just-identified: it fits
    exactly as the first-order model (target coefficient 1 by construction).
    """
    lang = check_lang(lang)
    c = result.comparison.loc["second_order"]
    fit = (
        f"χ²({c['df']:.0f}) = {fmt_number(c['chisq'], 'chisq', style=style)}, "
        f"CFI = {fmt_number(c['cfi'], 'fit', style=style)}, "
        f"RMSEA = {fmt_number(c['rmsea'], 'rmsea', style=style)}"
    )
    src = cite_sources(["cr", "ave"], lang)
    cr_cut, ave_cut = (
        fmt_threshold("cr", "cr", style=style),
        fmt_threshold("ave", "ave", style=style),
    )
    parts, levels = [], []
    for higher, block in result.loadings.groupby("lhs", sort=False):
        dims = join_words([display_name(f, lang, labels) for f in block["rhs"]], lang)
        lo, hi = (fmt_number(f(block["std_all"]), "loading", style=style) for f in (min, max))
        parts.append((display_name(higher, lang, labels), dims, lo, hi))
        rel = result.reliability.loc[higher]
        ok = passes("cr", rel["cr"]) and passes("ave", rel["ave"])
        levels.append((display_name(higher, lang, labels), fmt_number(rel["cr"], "cr", style=style),
                       fmt_number(rel["ave"], "ave", style=style), ok))  # fmt: skip
    target = fmt_number(result.target, "fit", style=style)
    if lang == "zh":
        desc = "；".join(f"{g}由{dims}构成，载荷介于{lo}～{hi}" for g, dims, lo, hi in parts)
        out = f"二阶模型（{desc}）的拟合为{fit}。"
        out += "".join(
            f"{g}的CR为{cr}、AVE为{ave}，{'达到' if ok else '未全部达到'}CR{cr_cut}、AVE{ave_cut}的标准（{src}）。"
            for g, cr, ave, ok in levels
        )
        if result.just_identified:
            return out + "三个维度的二阶结构为恰好识别，与一阶模型拟合相同（目标系数按定义为1）。"
        return out + (
            f"目标系数T = {target}（Marsh & Hocevar (1985)），越接近1，说明二阶因子越能解释"
            "一阶因子之间的相关。"
        )
    desc = "; ".join(f"{g} measured by {dims}" for g, dims, _, _ in parts)
    ranges = "; ".join(f"{lo} to {hi}" for _, _, lo, hi in parts)
    out = (
        f"The second-order model ({desc}) fits with {fit}; its loadings on the dimensions range "
        f"from {ranges}. "
    )
    out += " ".join(
        f"CR of {g} is {cr} and AVE {ave}, {'meeting' if ok else 'not both meeting'} "
        f"CR {cr_cut} and AVE {ave_cut} ({src})."
        for g, cr, ave, ok in levels
    )
    if result.just_identified:
        return out + (
            " With three dimensions the second-order structure is just-identified: it fits "
            "exactly as the first-order model (target coefficient 1 by construction)."
        )
    return out + (
        f" The target coefficient is T = {target} (Marsh & Hocevar (1985)); the closer to 1, "
        "the more of the correlations among the dimensions the second-order factor explains."
    )
