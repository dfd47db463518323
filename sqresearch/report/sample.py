"""The sample and its answers: demographics and item descriptives tables, Likert bar figures.

Reads :func:`sqresearch.measure.descriptives.frequencies` and
:func:`~sqresearch.measure.descriptives.item_descriptives`; the figures take the
answers themselves.  (Normality has its own module, :mod:`sqresearch.report.normality`.)

Examples
--------
>>> likert_panels.__name__, LIKERT_MAX_ITEMS
('likert_panels', 16)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from sqresearch.errors import InputError
from sqresearch.io.values import row_label
from sqresearch.report.common import (
    Labels,
    display_name,
    label_pair,
    require_columns,
    table_note,
)
from sqresearch.report.format import fmt_threshold
from sqresearch.report.labels import (
    check_lang,
    demographic_labels,
    label,
)
from sqresearch.report.style import TEXT_WIDTH, thesis_style
from sqresearch.report.tables import ThesisTable
from sqresearch.thresholds import THRESHOLDS, threshold


def demographics_table(
    freq: pd.DataFrame, *, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Sample characteristics: frequency and percentage per category.

    Parameters
    ----------
    freq : DataFrame
        Columns ``variable`` (e.g. "GENDER"), ``category`` (the code or a
        label), ``n`` and ``percent`` (0–100).  Catalogue demographics get
        their short names and level labels in ``lang``.
    """
    lang = check_lang(lang)
    for col in ("variable", "category", "n", "percent"):
        if col not in freq.columns:
            raise InputError("demographics table needs variable, category, n, percent", column=col)
    names, cats = [], []
    for var, cat in zip(freq["variable"], freq["category"], strict=True):
        name, levels = demographic_labels(str(var), lang)
        names.append(name)
        try:
            cats.append(levels.get(int(cat), str(cat)))
        except (TypeError, ValueError):
            cats.append(str(cat))
    data = pd.DataFrame(
        {
            "variable": names,
            "category": cats,
            "n": freq["n"].to_numpy(),
            "percent": freq["percent"].to_numpy(),
        }
    )
    return ThesisTable(
        data,
        kinds={"n": "count", "percent": "percent"},
        heads={"n": label_pair("freq")},
        title=label_pair("title_demographics"),
        label="tab:demographics",
        collapse=["variable"],
        lang=lang,
        style=style,
    )


def descriptives_table(
    desc: pd.DataFrame, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Item descriptives with skewness and kurtosis as a normality check.

    Parameters
    ----------
    desc : DataFrame
        Indexed by item: ``mean``, ``sd``, ``skewness``, ``kurtosis`` (excess; as :func:`sqresearch.measure.descriptives.item_descriptives`
        returns them),
        optionally ``n``, ``min``, ``max`` and ``construct`` (shown as the
        first column).
    """
    lang = check_lang(lang)
    for col in ("mean", "sd", "skewness", "kurtosis"):
        if col not in desc.columns:
            raise InputError("descriptives table needs mean, sd, skewness, kurtosis", column=col)
    data = pd.DataFrame({"item": [str(i) for i in desc.index]})
    if "construct" in desc.columns:
        data.insert(0, "construct", [display_name(c, lang, labels) for c in desc["construct"]])
    for col in ("n", "min", "max", "mean", "sd", "skewness", "kurtosis"):
        if col in desc.columns:
            data[col] = desc[col].to_numpy()
    skew_ok = (desc["skewness"].abs() < threshold("skew_abs")).all()
    kurt_ok = (desc["kurtosis"].abs() < threshold("kurtosis_abs")).all()
    src = THRESHOLDS.loc["skew_abs", "source"]
    verdict_zh = "均满足" if skew_ok and kurt_ok else "未全部满足"
    verdict_en = "all meet" if skew_ok and kurt_ok else "not all meet"
    return ThesisTable(
        data,
        kinds={
            "n": "n",
            "min": "min",
            "max": "max",
            "mean": "mean",
            "sd": "sd",
            "skewness": "skew",
            "kurtosis": "kurtosis",
        },
        title=label_pair("title_descriptives"),
        notes=[
            table_note(
                f"偏度绝对值{fmt_threshold('skew_abs')}、峰度绝对值{fmt_threshold('kurtosis_abs')}"
                f"视为近似正态（{src}），本表题项{verdict_zh}该标准。",
                f"|skewness| {fmt_threshold('skew_abs')} and |kurtosis| "
                f"{fmt_threshold('kurtosis_abs')} indicate approximate normality ({src}); the items "
                f"{verdict_en} this rule.",
            )
        ],
        label="tab:descriptives",
        collapse=["construct"] if "construct" in data else [],
        lang=lang,
        style=style,
    )


#: Ends and middle of the Likert scale's colours: disagree (red), neutral (grey), agree (blue).
_DIVERGING = ("#b2182b", "#d9d9d9", "#2166ac")


#: Most items in one item-distribution figure: a taller one would be shrunk to fit the page
#: (0.9 + 0.38 per item inches against 0.8 of the text height), and its labels with it.
LIKERT_MAX_ITEMS = 16


def likert_panels(
    framework, per_figure: int = 6, max_items: int = LIKERT_MAX_ITEMS
) -> list[tuple[Any, list[str]]]:
    """How the item-distribution figures are split: ``[(scale, [items]), ...]``.

    Constructs sharing a response scale go together, at most ``per_figure``
    constructs and ``max_items`` items per figure (a construct is never cut),
    in the framework's order.
    """
    by_scale: dict[str, tuple[Any, list[list[str]]]] = {}
    for code, items in framework.blocks().items():
        scale = framework.catalogue.constructs[code].items[0].scale
        by_scale.setdefault(scale.code, (scale, []))[1].append(items)
    panels = []
    for scale, blocks in by_scale.values():
        current: list[list[str]] = []
        for block in blocks:
            if current and (
                len(current) == per_figure or sum(map(len, current)) + len(block) > max_items
            ):
                panels.append((scale, [i for b in current for i in b]))
                current = []
            current.append(block)
        if current:
            panels.append((scale, [i for b in current for i in b]))
    return panels


def likert_bars(
    data: pd.DataFrame,
    items: Sequence[str],
    points: int,
    *,
    labels: Mapping[str, str] | None = None,
    anchors: Sequence[str] | None = None,
    title: str = "",
    lang: str | None = None,
) -> Figure:
    """Diverging stacked bars of Likert answers, one bar per item (one construct).

    Disagreeing categories extend to the left of zero, agreeing ones to the
    right; an odd scale's middle category is split across zero.

    Parameters
    ----------
    data : DataFrame
        Answers coded 1..``points``; missing answers are left out.
    items : list of str
        Item columns, top to bottom.
    points : int
        Number of scale points (5 or 7).
    labels : mapping, optional
        Item → label printed beside its bar (default the item code).
    anchors : list of str, optional
        Category labels, low to high (the catalogue Scale's ``anchors_zh`` /
        ``anchors_en``); default "1".."points".
    """
    lang = check_lang(lang)
    require_columns(data, items, "likert_bars")
    anchors = list(anchors) if anchors is not None else [str(k) for k in range(1, points + 1)]
    if len(anchors) != points:
        raise InputError("one anchor per scale point needed", value=len(anchors))
    shares = np.zeros((len(items), points))
    for i, item in enumerate(items):
        answers = data[item].dropna()
        bad = answers[~answers.isin(range(1, points + 1))]
        if len(bad):
            raise InputError(
                f"answer outside 1-{points}",
                column=item,
                row=row_label(answers.index, bad.index[0]),
                value=bad.iloc[0],
            )
        counts = answers.value_counts().reindex(range(1, points + 1), fill_value=0).to_numpy()
        shares[i] = 100 * counts / max(counts.sum(), 1)
    mid = points // 2
    left = -(shares[:, :mid].sum(axis=1) + (shares[:, mid] / 2 if points % 2 else 0))
    colours = sns.blend_palette(_DIVERGING, points)
    with thesis_style():
        fig, ax = plt.subplots(figsize=(TEXT_WIDTH, 0.9 + 0.38 * len(items)))
        y = np.arange(len(items))[::-1]
        start = left.copy()
        for k in range(points):
            ax.barh(
                y,
                shares[:, k],
                left=start,
                color=colours[k],
                edgecolor="white",
                linewidth=0.5,
                label=anchors[k],
                height=0.7,
            )
            start = start + shares[:, k]
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(y, [(labels or {}).get(i, i) for i in items])
        lim = float(np.ceil(max(-left.min(), (left + shares.sum(axis=1)).max()) / 10) * 10)
        ticks = np.arange(-lim, lim + 1, 20 if lim > 50 else 10)
        ax.set_xticks(ticks, [f"{abs(t):.0f}" for t in ticks])
        ax.set_xlim(-lim, lim)
        ax.set_xlabel(label("response_share", lang))
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        if title:
            ax.set_title(title)
        ax.legend(
            ncol=points,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.25 - 0.4 / len(items)),
            handlelength=1,
            columnspacing=0.8,
        )
    return fig
