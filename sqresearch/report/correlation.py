"""Correlations: the mean/SD/correlation matrix table, its paragraph and the heatmap.

Reads :func:`sqresearch.model.correlation.correlation_table`.

Examples
--------
>>> correlation_table.__name__, correlation_text.__name__, correlation_heatmap.__name__
('correlation_table', 'correlation_text', 'correlation_heatmap')
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from sqresearch.errors import InputError
from sqresearch.report.common import (
    Labels,
    display_name,
    join_words,
    label_pair,
    significant,
    stars_note,
    table_note,
)
from sqresearch.report.format import fmt_number, stars
from sqresearch.report.labels import (
    check_lang,
    label,
)
from sqresearch.report.style import TEXT_WIDTH, thesis_style
from sqresearch.report.tables import ThesisTable
from sqresearch.thresholds import threshold


def correlation_table(
    corr, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Means, SDs and the lower triangle of Pearson correlations with stars.

    Parameters
    ----------
    corr : CorrelationTable
        From :func:`sqresearch.model.correlation.correlation_table`:
        ``descriptives`` (mean, sd), ``matrix("r")``, ``matrix("pvalue")``
        and an optional ``diagonal`` (√AVE), printed on the diagonal;
        otherwise the diagonal shows 1.
    """
    lang = check_lang(lang)
    codes = list(corr.descriptives.index)
    r, p = corr.matrix("r"), corr.matrix("pvalue")
    data = pd.DataFrame(
        {
            "variable": [f"{i}. {display_name(c, lang, labels)}" for i, c in enumerate(codes, 1)],
            "mean": corr.descriptives["mean"].to_numpy(),
            "sd": corr.descriptives["sd"].to_numpy(),
        }
    )
    kinds = {"mean": "mean", "sd": "sd"}
    stars_of = {}
    for j, c in enumerate(codes, 1):
        col = r[c].to_numpy(dtype=object)
        for i in range(len(codes)):
            if i < j - 1:
                col[i] = np.nan
            elif i == j - 1 and corr.diagonal is None:
                col[i] = "1"
        data[str(j)] = col
        data[f"p{j}"] = p[c].to_numpy()
        kinds[str(j)] = "r"
        stars_of[str(j)] = f"p{j}"
    notes = [stars_note(style)]
    if corr.diagonal is not None:
        notes.insert(0, table_note("对角线为AVE的平方根。", "The diagonal shows √AVE."))
    return ThesisTable(
        data,
        kinds=kinds,
        stars=stars_of,
        title=label_pair("title_correlation"),
        notes=notes,
        label="tab:correlation",
        lang=lang,
        style=style,
    )


def correlation_text(
    corr, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> str:
    """How many correlations are significant, their range, and the non-significant pairs.

    ``corr`` is a :class:`~sqresearch.model.correlation.CorrelationTable`.
    """
    lang = check_lang(lang)
    pairs = corr.pairs
    sig = pairs[pairs["pvalue"] < threshold("alpha_level")]
    ns = [
        f"{display_name(a, lang, labels)}–{display_name(b, lang, labels)}"
        for a, b, p in zip(pairs["var1"], pairs["var2"], pairs["pvalue"], strict=True)
        if not significant(p)
    ]
    rng = (
        f"{fmt_number(sig['r'].min(), 'r', style=style)}–{fmt_number(sig['r'].max(), 'r', style=style)}"
        if len(sig)
        else ""
    )
    if lang == "zh":
        out = (
            f"{len(pairs)}对变量中有{len(sig)}对显著相关"
            + (f"（r = {rng}）" if len(sig) else "")
            + "。"
        )
        if ns:
            out += f"{join_words(ns, lang)}之间的相关不显著。"
        else:
            out += "所有变量两两之间均显著相关，为后续回归分析提供了初步支持。"
        return out
    out = (
        f"{len(sig)} of {len(pairs)} correlations are significant"
        + (f" (r = {rng})" if len(sig) else "")
        + "."
    )
    out += (
        f" The correlations {join_words(ns, lang)} are not significant."
        if ns
        else " Every pair is significantly correlated, preliminary support for the regressions."
    )
    return out


def correlation_heatmap(
    corr: pd.DataFrame,
    pvalues: pd.DataFrame | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> Figure:
    """Lower-triangle heatmap of a correlation matrix, values (and stars) in the cells.

    Parameters
    ----------
    corr : DataFrame
        Square correlation matrix (index = columns = variables).
    pvalues : DataFrame, optional
        Same shape; adds significance stars.
    labels : mapping, optional
        Variable → printed name.
    """
    lang = check_lang(lang)
    if list(corr.index) != list(corr.columns):
        raise InputError("correlation matrix must be square with matching index and columns")
    k = len(corr)
    values = corr.to_numpy(dtype=float)
    cells = np.empty((k, k), dtype=object)
    for i in range(k):
        for j in range(k):
            p = None if pvalues is None or i == j else pvalues.iloc[i, j]
            cells[i, j] = fmt_number(values[i, j], "r") + (stars(p) if p is not None else "")
    names = [(labels or {}).get(v, v) for v in corr.columns]
    with thesis_style():
        size = min(TEXT_WIDTH, 1.6 + 0.62 * k)
        fig, ax = plt.subplots(figsize=(size, size * 0.85))
        sns.heatmap(
            pd.DataFrame(values, index=names, columns=names),
            mask=np.triu(np.ones((k, k), bool), 1),
            annot=cells,
            fmt="",
            annot_kws={"fontsize": 8},
            cmap="RdBu_r",
            vmin=-1,
            vmax=1,
            square=True,
            cbar_kws={"shrink": 0.8, "label": label("r", lang)},
            ax=ax,
        )
        ax.set_xticks(ax.get_xticks(), names, rotation=45, ha="right")
        ax.set_yticks(ax.get_yticks(), names, rotation=0)
        ax.tick_params(length=0)
    return fig
