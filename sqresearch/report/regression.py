"""Hierarchical regression: the steps-side-by-side table and its paragraph.

Reads :func:`sqresearch.model.regression.hierarchical_regression`.

Examples
--------
>>> regression_table.__name__, regression_text.__name__
('regression_table', 'regression_text')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sqresearch.report.common import (
    Labels,
    cutoff_source,
    cutoff_value,
    display_name,
    join_words,
    label_pair,
    p_phrase,
    significant,
    stars_note,
)
from sqresearch.report.format import fmt_number
from sqresearch.report.labels import (
    check_lang,
    label,
)
from sqresearch.report.tables import ThesisTable
from sqresearch.thresholds import passes

_STEP_ROWS = (
    ("__r2", "r2", "r2", None),
    ("__adj", "adj_r2", "r2", None),
    ("__dr2", "delta_r2", "r2", None),
    ("__f", "f", "f", "f_pvalue"),
    ("__df", "f_change", "f", "p_change"),
)


def regression_table(
    result,
    *,
    stats: Sequence[str] = ("beta", "t"),
    labels: Labels = None,
    title: Mapping[str, str] | None = None,
    lang: str | None = None,
    style: str = "thesis",
) -> ThesisTable:
    """Hierarchical regression, the models side by side, R², ΔR² and F below.

    Parameters
    ----------
    result : HierarchicalResult
        From :func:`sqresearch.model.regression.hierarchical_regression`:
        ``coefficients`` (step, term, b, se, beta, t, pvalue, vif) and
        ``steps`` (step, r2, adj_r2, delta_r2, f, f_pvalue, f_change, p_change).
    stats : list of str
        Columns per model, from b, se, beta, t, pvalue, vif; stars go on
        the first of beta / b.
    """
    lang = check_lang(lang)
    coefs, steps = result.coefficients, result.steps
    star_stat = next((s for s in ("beta", "b") if s in stats), stats[0])
    terms = list(dict.fromkeys(coefs["term"]))
    if "b" not in stats and "se" not in stats:
        terms = [t for t in terms if t != "const"]
    data = pd.DataFrame(
        {
            "term": [
                label("constant", lang) if t == "const" else display_name(t, lang, labels)
                for t in terms
            ]
        },
        index=terms,
    )
    kinds, star_cols, groups, cols = {}, {}, [], ["term"]
    for step in steps["step"]:
        part = coefs[coefs["step"] == step].set_index("term").reindex(terms)
        names = [f"{s}_{step}" for s in stats]
        for s, name in zip(stats, names, strict=True):
            data[name] = part[s].to_numpy()
            kinds[name] = {"pvalue": "p", "vif": "vif"}.get(s, s)
        data[f"p_{step}"] = part["pvalue"].to_numpy()
        star_cols[f"{star_stat}_{step}"] = f"p_{step}"
        groups.append(({"zh": f"模型{step}", "en": f"Model {step}"}, names))
        cols += names
    extra = pd.DataFrame(
        {"term": [label(k, lang) for _, k, _, _ in _STEP_ROWS]}, index=[i for i, *_ in _STEP_ROWS]
    )
    for step, srow in steps.set_index("step").iterrows():
        for s in stats:
            extra[f"{s}_{step}"] = np.nan
        extra[f"{star_stat}_{step}"] = [srow[k] for _, k, _, _ in _STEP_ROWS]
        extra[f"p_{step}"] = [srow[p] if p else np.nan for *_, p in _STEP_ROWS]
    extra.loc["__df", "term"] = label("delta_f", lang)
    data = pd.concat([data, extra[data.columns]])
    heading = title or {
        k: f"{v}（{label('outcome', 'zh')}：{display_name(result.y, 'zh', labels)}）"
        if k == "zh"
        else f"{v} (outcome: {display_name(result.y, 'en', labels)})"
        for k, v in label_pair("title_regression").items()
    }
    return ThesisTable(
        data,
        kinds=kinds,
        columns=cols,
        column_groups=groups,
        heads={
            "term": label_pair("variable"),
            **{
                f"{s}_{st}": label_pair(s if s != "pvalue" else "p")
                for st in steps["step"]
                for s in stats
            },
        },
        stars=star_cols,
        row_kinds={i: k for i, _, k, _ in _STEP_ROWS},
        title=heading,
        notes=[stars_note(style)],
        label="tab:regression",
        lang=lang,
        style=style,
    )


def _effect(term: str, beta: float, p: float, lang: str, labels: Labels, style: str) -> str:
    return f"{display_name(term, lang, labels)} (β = {fmt_number(beta, 'beta', style=style)}, {p_phrase(p, style)})"


def regression_text(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> str:
    """Significant and non-significant predictors of the last step, and its ΔR² test.

    ``result`` is a :class:`~sqresearch.model.regression.HierarchicalResult`.
    """
    lang = check_lang(lang)
    last = result.steps.iloc[-1]
    coefs = result.coefficients[
        (result.coefficients["step"] == last["step"]) & (result.coefficients["term"] != "const")
    ]
    added = coefs[coefs["block"] == last["block"]] if "block" in coefs else coefs
    pos = [
        _effect(t, b, p, lang, labels, style)
        for t, b, p in zip(added["term"], added["beta"], added["pvalue"], strict=True)
        if significant(p) and b > 0
    ]
    neg = [
        _effect(t, b, p, lang, labels, style)
        for t, b, p in zip(added["term"], added["beta"], added["pvalue"], strict=True)
        if significant(p) and b < 0
    ]
    ns = [
        _effect(t, b, p, lang, labels, style)
        for t, b, p in zip(added["term"], added["beta"], added["pvalue"], strict=True)
        if not significant(p)
    ]
    dr2 = fmt_number(last["delta_r2"], "r2", style=style)
    fch = f"ΔF = {fmt_number(last['f_change'], 'f')}, {p_phrase(last['p_change'], style)}"
    y = display_name(result.y, lang, labels)
    maxvif = coefs["vif"].max()
    vif_ok = bool(np.isnan(maxvif) or passes("vif", maxvif))
    if lang == "zh":
        out = f"在模型{int(last['step'])}中，"
        if pos:
            out += f"{join_words(pos, lang)}对{y}有显著正向影响；"
        if neg:
            out += f"{join_words(neg, lang)}对{y}有显著负向影响；"
        if ns:
            out += f"{join_words(ns, lang)}对{y}的影响不显著；"
        out += f"新增变量使R²增加{dr2}（{fch}），" + (
            "增量显著。" if significant(last["p_change"]) else "增量不显著。"
        )
        out += (
            f"最大VIF为{fmt_number(maxvif, 'vif')}，"
            + (
                f"低于{cutoff_value('vif')}，不存在严重多重共线性（{cutoff_source('vif')}）。"
                if vif_ok
                else f"达到或超过{cutoff_value('vif')}，存在多重共线性（{cutoff_source('vif')}）。"
            )
            if not np.isnan(maxvif)
            else ""
        )
        return out
    out = f"In model {int(last['step'])}, "
    parts = []
    if pos:
        parts.append(f"{join_words(pos, lang)} significantly and positively predict {y}")
    if neg:
        parts.append(f"{join_words(neg, lang)} significantly and negatively predict {y}")
    if ns:
        parts.append(f"{join_words(ns, lang)} have no significant effect on {y}")
    out += (
        "; ".join(parts)
        + f". The added block raises R² by {dr2} ({fch}), a "
        + ("significant" if significant(last["p_change"]) else "non-significant")
        + " increase."
    )
    if not np.isnan(maxvif):
        out += f" The largest VIF is {fmt_number(maxvif, 'vif')}, " + (
            f"below {cutoff_value('vif')}, so multicollinearity is not a concern ({cutoff_source('vif')})."
            if vif_ok
            else f"at or above {cutoff_value('vif')}, indicating multicollinearity ({cutoff_source('vif')})."
        )
    return out
