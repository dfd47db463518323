"""Exploratory factor analysis: the KMO/Bartlett table, the loadings table, the scree plot, the text.

Reads :mod:`sqresearch.measure.efa` (``kmo_bartlett``, ``efa``, ``parallel_analysis``).

Examples
--------
>>> kmo_bartlett_table.__name__, efa_table.__name__, scree_plot.__name__
('kmo_bartlett_table', 'efa_table', 'scree_plot')
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sqresearch.report.common import (
    cutoff_source,
    cutoff_value,
    label_pair,
    p_phrase,
    require_columns,
    table_note,
)
from sqresearch.report.format import fmt_number, fmt_threshold
from sqresearch.report.labels import (
    check_lang,
    label,
)
from sqresearch.report.style import PALETTE, thesis_style
from sqresearch.report.tables import ThesisTable
from sqresearch.thresholds import THRESHOLDS, passes, threshold


def kmo_bartlett_table(adequacy, *, lang: str | None = None, style: str = "thesis") -> ThesisTable:
    """KMO and Bartlett's test of sphericity.

    Parameters
    ----------
    adequacy : SamplingAdequacy
        From :func:`sqresearch.measure.efa.kmo_bartlett` (``kmo``, ``chisq``,
        ``df``, ``pvalue``).
    """
    lang = check_lang(lang)
    data = pd.DataFrame(
        {
            "index": [
                label("kmo", lang),
                label("bartlett_chisq", lang),
                label("df", lang),
                label("p", lang),
            ],
            "value": [adequacy.kmo, adequacy.chisq, adequacy.df, adequacy.pvalue],
            "criterion": [
                fmt_threshold("kmo", "kmo", style=style),
                "",
                "",
                fmt_threshold("bartlett_p", style=style),
            ],
        },
        index=["kmo", "chisq", "df", "p"],
    )
    return ThesisTable(
        data,
        kinds={"value": "value"},
        row_kinds={"kmo": "kmo", "chisq": "chisq", "df": "df", "p": "p"},
        title=label_pair("title_kmo"),
        notes=[
            table_note(
                f"KMO标准见{THRESHOLDS.loc['kmo', 'source']}。",
                f"KMO criterion from {THRESHOLDS.loc['kmo', 'source']}.",
            )
        ],
        label="tab:kmo",
        lang=lang,
        style=style,
    )


def efa_table(
    efa, *, suppress: float | None = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Rotated loadings with communalities, eigenvalues and variance explained.

    Parameters
    ----------
    efa : EFAResult
        From :func:`sqresearch.measure.efa.efa`: ``loadings`` (items ×
        factors), ``communalities`` (``extraction``), ``variance`` (per factor:
        rotation_ss / rotation_variance / rotation_cumulative, shares 0–1;
        extraction_* for oblique rotations), ``adequacy``, ``method``,
        ``rotation``.
    suppress : float, optional
        Loadings with smaller absolute value are left blank; default the
        ``efa_loading`` threshold.
    """
    lang = check_lang(lang)
    cut = threshold("efa_loading") if suppress is None else suppress
    loads = efa.loadings.where(efa.loadings.abs() >= cut)
    factors = list(loads.columns)
    names = {f: (f"因子{i}" if lang == "zh" else f"Factor {i}") for i, f in enumerate(factors, 1)}
    data = pd.DataFrame({"item": [str(i) for i in loads.index]}, index=list(loads.index))
    for f in factors:
        data[f] = loads[f].to_numpy()
    data["communality"] = efa.communalities["extraction"].reindex(loads.index).to_numpy()
    rotated = efa.variance["rotation_variance"].notna().all()
    prefix = "rotation" if rotated else "extraction"
    var = efa.variance.iloc[: len(factors)]
    extra = pd.DataFrame(
        {
            "item": [
                label("eigenvalue", lang),
                label("variance_pct", lang),
                label("cumulative_pct", lang),
            ]
        },
        index=["__eigen", "__var", "__cum"],
    )
    for j, f in enumerate(factors):
        extra[f] = [
            var[f"{prefix}_ss"].iloc[j],
            100 * var[f"{prefix}_variance"].iloc[j],
            100 * var[f"{prefix}_cumulative"].iloc[j],
        ]
    data = pd.concat([data, extra])
    ad = efa.adequacy
    notes = [
        table_note(
            f"提取方法：{efa.method}；旋转方法：{efa.rotation}；绝对值小于{fmt_number(cut, 'loading')}的载荷未列出。"
            f"KMO = {fmt_number(ad.kmo, 'kmo', style=style)}，Bartlett球形检验χ²({ad.df}) = "
            f"{fmt_number(ad.chisq, 'chisq')}，p = {fmt_number(ad.pvalue, 'p', style=style)}。",
            f"Extraction: {efa.method}; rotation: {efa.rotation}; loadings below "
            f"{fmt_number(cut, 'loading')} in absolute value are not shown. KMO = "
            f"{fmt_number(ad.kmo, 'kmo', style=style)}; Bartlett's χ²({ad.df}) = "
            f"{fmt_number(ad.chisq, 'chisq')}, p = {fmt_number(ad.pvalue, 'p', style=style)}.",
        )
    ]
    return ThesisTable(
        data,
        kinds={**dict.fromkeys(factors, "loading"), "communality": "communality"},
        heads={"item": label_pair("item"), **names},
        row_kinds={"__eigen": "eigenvalue", "__var": "percent", "__cum": "percent"},
        title=label_pair("title_efa"),
        notes=notes,
        label="tab:efa",
        lang=lang,
        style=style,
    )


def efa_text(efa, *, lang: str | None = None, style: str = "thesis") -> str:
    """KMO and Bartlett's test, factors extracted and cumulative variance explained.

    ``efa`` is an :class:`~sqresearch.measure.efa.EFAResult`.
    """
    lang = check_lang(lang)
    ad = efa.adequacy
    kmo_ok, bart_ok = passes("kmo", ad.kmo), passes("bartlett_p", ad.pvalue)
    col = (
        "rotation_cumulative"
        if efa.variance["rotation_cumulative"].notna().all()
        else "extraction_cumulative"
    )
    cum = float(efa.variance[col].iloc[efa.n_factors - 1])
    cum_ok = passes("cumulative_variance", cum)
    kmo = fmt_number(ad.kmo, "kmo", style=style)
    pct = fmt_number(100 * cum, "percent")
    p = p_phrase(ad.pvalue, style)
    chisq = fmt_number(ad.chisq, "chisq")
    cum_cut = cutoff_value("cumulative_variance")
    if lang == "zh":
        out = [
            f"KMO值为{kmo}，"
            + (f"达到{cutoff_value('kmo')}的标准" if kmo_ok else f"低于{cutoff_value('kmo')}的标准")
            + f"（{cutoff_source('kmo')}）；Bartlett球形检验χ²({ad.df}) = {chisq}，{p}，"
            + ("相关矩阵不是单位阵，" if bart_ok else "未能拒绝单位阵假设，")
            + ("适合进行因子分析。" if kmo_ok and bart_ok else "数据不太适合进行因子分析。")
        ]
        out.append(
            f"共提取{efa.n_factors}个因子，累计方差解释率为{pct}%，"
            + (
                f"超过{100 * float(cum_cut):.0f}%的标准"
                if cum_ok
                else f"未达到{100 * float(cum_cut):.0f}%的标准"
            )
            + f"（{cutoff_source('cumulative_variance')}）。"
        )
        return "".join(out)
    out = [
        f"KMO = {kmo}, which "
        + ("meets" if kmo_ok else "falls below")
        + f" the {cutoff_value('kmo')} standard ({cutoff_source('kmo')}); Bartlett's test gives χ²({ad.df}) = "
        + f"{chisq}, {p}, so the data are "
        + ("suitable" if kmo_ok and bart_ok else "not well suited")
        + " for factor analysis."
    ]
    out.append(
        f"{efa.n_factors} factors were extracted, explaining {pct}% of the variance "
        + ("cumulatively, above" if cum_ok else "cumulatively, short of")
        + f" the {100 * float(cum_cut):.0f}% standard ({cutoff_source('cumulative_variance')})."
    )
    return " ".join(out)


def scree_plot(eigen: pd.DataFrame, *, lang: str | None = None) -> Figure:
    """Scree plot of eigenvalues with the parallel-analysis curve.

    Parameters
    ----------
    eigen : DataFrame
        One row per component in order: ``eigenvalue`` (observed) and
        optionally ``random`` (the parallel-analysis eigenvalues of random
        data, mean or 95th percentile). The Kaiser line (eigenvalue 1) is drawn.
    """
    lang = check_lang(lang)
    require_columns(eigen, ["eigenvalue"], "scree_plot")
    x = np.arange(1, len(eigen) + 1)
    with thesis_style():
        fig, ax = plt.subplots()
        ax.plot(x, eigen["eigenvalue"], "o-", color=PALETTE[0], label=label("observed", lang))
        if "random" in eigen:
            ax.plot(
                x,
                eigen["random"],
                "s--",
                color=PALETTE[1],
                markersize=4,
                label=label("parallel", lang),
            )
        ax.axhline(threshold("eigenvalue"), color=PALETTE[3], linewidth=0.8, linestyle=":")
        ax.set_xticks(x)
        ax.set_xlabel(label("component", lang))
        ax.set_ylabel(label("eigenvalue", lang))
        ax.legend()
    return fig
