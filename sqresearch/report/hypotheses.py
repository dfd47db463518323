"""Hypotheses: the supported/not-supported summary table, its paragraph and the discussion.

Reads :func:`sqresearch.model.hypotheses.hypothesis_summary`.

Examples
--------
>>> hypotheses_table.__name__, hypotheses_text.__name__, discussion_text.__name__
('hypotheses_table', 'hypotheses_text', 'discussion_text')
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from sqresearch.report.common import (
    Labels,
    cutoff_value,
    hypothesis_path,
    join_words,
    label_pair,
    stars_note,
)
from sqresearch.report.labels import (
    check_lang,
    label,
)
from sqresearch.report.sem import robustness_changes
from sqresearch.report.tables import ThesisTable


def hypotheses_table(
    summary: pd.DataFrame,
    hypotheses: Iterable | None = None,
    *,
    labels: Labels = None,
    lang: str | None = None,
    style: str = "thesis",
) -> ThesisTable:
    """Hypothesis summary: each H with its path, estimate, p or CI and supported / not.

    Parameters
    ----------
    summary : DataFrame
        :func:`sqresearch.model.hypotheses.hypothesis_summary`: id, path,
        estimate, ci_lower, ci_upper, pvalue, supported.
    hypotheses : iterable of Hypothesis, optional
        The framework's hypotheses, for their sentences (``text(lang)``) and
        arrow paths.
    """
    lang = check_lang(lang)
    by_id = {h.id: h for h in (hypotheses or [])}
    rows = []
    for r in summary.to_dict("records"):
        h = by_id.get(r["id"])
        path = (
            hypothesis_path(h, lang, labels)
            if h is not None
            else str(r["path"]).replace(">", " → ")
        )
        rows.append(
            {
                "id": r["id"],
                "content": h.text(lang) if h is not None else "",
                "path": path,
                "estimate": r["estimate"],
                "p": r["pvalue"],
                "lo": r["ci_lower"],
                "hi": r["ci_upper"],
                "decision": label(
                    "supported"
                    if r["supported"]
                    else "not_tested"
                    if r.get("reason") == "missing"
                    else "not_supported",
                    lang,
                ),
            }
        )
    data = pd.DataFrame(rows)
    cols = ["id", "content", "path", "estimate", "p", "ci", "decision"]
    if not by_id:
        cols.remove("content")
    return ThesisTable(
        data,
        kinds={"estimate": "effect", "p": "p"},
        stars={"estimate": "p"},
        ci={"ci": ("lo", "hi")},
        columns=cols,
        heads={"id": label_pair("hypothesis"), "estimate": label_pair("estimate")},
        widths={"content": 0.28, "path": 0.22} if by_id else {"path": 0.3},
        title=label_pair("title_hypotheses"),
        notes=[stars_note(style)],
        label="tab:hypotheses",
        lang=lang,
        style=style,
    )


def hypotheses_text(summary: pd.DataFrame, *, lang: str | None = None) -> str:
    """Which hypotheses are supported and which are not.

    ``summary`` is :func:`sqresearch.model.hypotheses.hypothesis_summary`'s output.
    """
    lang = check_lang(lang)
    yes = list(summary.loc[summary["supported"].astype(bool), "id"])
    no = list(summary.loc[~summary["supported"].astype(bool), "id"])
    if lang == "zh":
        out = f"共检验{len(summary)}个假设，"
        out += f"{join_words(yes, lang)}得到支持" if yes else "没有假设得到支持"
        out += f"，{join_words(no, lang)}未得到支持。" if no else "，全部假设均得到支持。"
        return out
    out = f"Of {len(summary)} hypotheses, "
    out += (
        f"{join_words(yes, lang)} {'is' if len(yes) == 1 else 'are'} supported"
        if yes
        else "none is supported"
    )
    out += (
        f" and {join_words(no, lang)} {'is' if len(no) == 1 else 'are'} not."
        if no
        else "; all hypotheses hold."
    )
    return out


def discussion_text(
    summary: pd.DataFrame,
    main: pd.DataFrame | None = None,
    robust: pd.DataFrame | None = None,
    *,
    n_robust: int | None = None,
    labels: Labels = None,
    lang: str | None = None,
) -> str:
    """Discussion: which hypotheses hold and whether the robustness check agrees.

    Parameters
    ----------
    summary : DataFrame
        :func:`sqresearch.model.hypotheses.hypothesis_summary`'s output.
    main, robust : DataFrame, optional
        Parameter tables (lavaan layout) of the main SEM and of the
        re-estimation with careless respondents kept; a path whose
        significance (p < .05) differs is named.
    n_robust : int, optional
        Sample size of the re-estimation.
    """
    lang = check_lang(lang)
    out = hypotheses_text(summary, lang=lang)
    if main is None or robust is None:
        return out
    changed = robustness_changes(main, robust, labels=labels, lang=lang)
    n = (
        f"（n = {n_robust}）"
        if lang == "zh" and n_robust
        else f" (n = {n_robust})"
        if n_robust
        else ""
    )
    alpha = cutoff_value("alpha_level")
    if lang == "zh":
        out += f"不剔除粗心作答者{n}重新估计后，" + (
            f"所有结构路径的显著性结论（以p < {alpha}判断）均未改变，结果稳健。"
            if not changed
            else f"{join_words(changed, lang)}的显著性结论（以p < {alpha}判断）发生改变，"
            "对这些路径的解释需要谨慎。"
        )
        return out
    out += f" Re-estimated with the careless respondents kept{n}, " + (
        f"no structural path changes its significance (p < {alpha}): the results are robust."
        if not changed
        else f"{join_words(changed, lang)} change{'s its' if len(changed) == 1 else ' their'} significance "
        f"(p < {alpha}); {'this path' if len(changed) == 1 else 'these paths'} should be read "
        "with care."
    )
    return out
