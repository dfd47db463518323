"""Thesis figures from DataFrames of numbers (seaborn and matplotlib, one thesis style).

seaborn draws what it is made for — the correlation heatmap
(:func:`seaborn.heatmap`), the bootstrap distribution
(:func:`seaborn.histplot`), the simple-slopes lines (:func:`seaborn.lineplot`)
and the Likert scale's diverging colours (:func:`seaborn.blend_palette`);
matplotlib draws the rest (stacked diverging bars, bands, error bars, which
seaborn has no call for).  No seaborn theme is set: every function returns a
matplotlib :class:`~matplotlib.figure.Figure`
drawn in :func:`sqresearch.report.style.thesis_style`; save it with
:func:`sqresearch.report.style.save_figure` (vector PDF + 300-dpi PNG,
byte-reproducible).  Axis words come from the bilingual label dictionary,
so ``lang`` switches every figure between Chinese and English.  Path and
measurement-model diagrams are in :mod:`sqresearch.report.diagrams`.

Examples
--------
>>> import numpy as np, pandas as pd
>>> fig = bootstrap_plot(np.random.default_rng(1).normal(0.2, 0.05, 500), 0.2, (0.1, 0.3), lang="en")
>>> fig.axes[0].get_xlabel()
'Indirect effect'
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
from sqresearch.report.format import fmt_number, stars
from sqresearch.report.labels import check_lang, label
from sqresearch.report.style import PALETTE, TEXT_WIDTH, thesis_style
from sqresearch.thresholds import threshold

#: Dash patterns (matplotlib's "--", "-", "-.") of the simple-slopes lines, low to high.
_DASHES = ((3.7, 1.6), "", (6.4, 1.6, 1.0, 1.6))

#: Ends and middle of the Likert scale's colours: disagree (red), neutral (grey), agree (blue).
_DIVERGING = ("#b2182b", "#d9d9d9", "#2166ac")


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what} needs columns {list(columns)}", column=missing[0])


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
    lang: str = "zh",
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
    check_lang(lang)
    _require(data, items, "likert_bars")
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


def correlation_heatmap(
    corr: pd.DataFrame,
    pvalues: pd.DataFrame | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    lang: str = "zh",
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
    check_lang(lang)
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


def scree_plot(eigen: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """Scree plot of eigenvalues with the parallel-analysis curve.

    Parameters
    ----------
    eigen : DataFrame
        One row per component in order: ``eigenvalue`` (observed) and
        optionally ``random`` (the parallel-analysis eigenvalues of random
        data, mean or 95th percentile). The Kaiser line (eigenvalue 1) is drawn.
    """
    check_lang(lang)
    _require(eigen, ["eigenvalue"], "scree_plot")
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


def simple_slopes_plot(
    lines: pd.DataFrame,
    *,
    x_label: str = "X",
    y_label: str = "Y",
    moderator_label: str = "W",
    lang: str = "zh",
) -> Figure:
    """Predicted outcome against X at chosen moderator values, with CI bands.

    Parameters
    ----------
    lines : DataFrame
        Columns ``label`` (moderator level, e.g. "-1SD", "mean", "+1SD" —
        these three are translated), ``x``, ``fit`` and optionally
        ``ci_lower``, ``ci_upper``.
    """
    check_lang(lang)
    _require(lines, ["label", "x", "fit"], "simple_slopes_plot")
    names = {"-1SD": label("low", lang), "mean": label("mid", lang), "+1SD": label("high", lang)}
    levels = list(dict.fromkeys(lines["label"]))
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(levels))]
    dashes = [_DASHES[i % len(_DASHES)] for i in range(len(levels))]
    with thesis_style():
        fig, ax = plt.subplots()
        sns.lineplot(
            data=lines.assign(level=lines["label"].map(lambda v: names.get(v, str(v)))),
            x="x",
            y="fit",
            hue="level",
            style="level",
            hue_order=[names.get(v, str(v)) for v in levels],
            palette=colours,
            dashes=dashes,
            estimator=None,
            ax=ax,
        )
        if {"ci_lower", "ci_upper"} <= set(lines.columns):
            for level, colour in zip(levels, colours, strict=True):
                part = lines[lines["label"] == level].sort_values("x")
                ax.fill_between(
                    part["x"],
                    part["ci_lower"],
                    part["ci_upper"],
                    color=colour,
                    alpha=0.15,
                    linewidth=0,
                )
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        ax.legend(title=moderator_label)
    return fig


def johnson_neyman_plot(
    curve: pd.DataFrame,
    points: Sequence[float] = (),
    *,
    moderator_label: str = "W",
    lang: str = "zh",
) -> Figure:
    """The conditional effect of X across the moderator with its CI band (Johnson–Neyman).

    Parameters
    ----------
    curve : DataFrame
        Columns ``w``, ``effect``, ``ci_lower``, ``ci_upper`` over a grid of W.
    points : list of float
        Johnson–Neyman points (moderator values where significance changes).

    Notes
    -----
    Where the interval excludes zero the band is shaded as the region of
    significance.
    """
    check_lang(lang)
    _require(curve, ["w", "effect", "ci_lower", "ci_upper"], "johnson_neyman_plot")
    curve = curve.sort_values("w")
    w = curve["w"].to_numpy(float)
    lo, hi = curve["ci_lower"].to_numpy(float), curve["ci_upper"].to_numpy(float)
    significant = (lo > 0) | (hi < 0)
    with thesis_style():
        fig, ax = plt.subplots()
        ax.fill_between(
            w,
            lo,
            hi,
            where=~significant,
            color=PALETTE[3],
            alpha=0.2,
            linewidth=0,
            interpolate=True,
        )
        ax.fill_between(
            w,
            lo,
            hi,
            where=significant,
            color=PALETTE[0],
            alpha=0.3,
            linewidth=0,
            interpolate=True,
            label=label("significance_region", lang),
        )
        ax.plot(w, curve["effect"], color=PALETTE[0])
        ax.axhline(0, color="black", linewidth=0.8)
        for point in points:
            ax.axvline(point, color=PALETTE[1], linestyle="--", linewidth=0.8)
            ax.annotate(
                fmt_number(point, "effect"),
                (point, ax.get_ylim()[1]),
                ha="center",
                va="bottom",
                fontsize=8,
                color=PALETTE[1],
                annotation_clip=False,
            )
        ax.set_xlabel(moderator_label)
        ax.set_ylabel(label("conditional_effect", lang))
        if significant.any():
            ax.legend()
    return fig


def bootstrap_plot(
    draws: Sequence[float] | np.ndarray,
    estimate: float,
    ci: tuple[float, float],
    *,
    x_label: str | None = None,
    lang: str = "zh",
) -> Figure:
    """Histogram of the bootstrap distribution of an indirect effect.

    The point estimate (solid), the CI bounds (dashed) and zero (dotted) are marked.
    """
    check_lang(lang)
    values = np.asarray(draws, dtype=float)
    values = values[np.isfinite(values)]
    if values.size < 2:
        raise InputError("bootstrap_plot needs at least two finite draws", value=values.size)
    with thesis_style():
        fig, ax = plt.subplots()
        sns.histplot(
            values,
            bins=min(60, max(10, values.size // 50)),
            stat="density",
            color=PALETTE[0],
            alpha=0.55,
            edgecolor="white",
            linewidth=0.3,
            ax=ax,
        )
        ax.axvline(estimate, color=PALETTE[1], linewidth=1.2)
        for bound in ci:
            ax.axvline(bound, color=PALETTE[1], linestyle="--", linewidth=0.9)
        ax.axvline(0, color="black", linestyle=":", linewidth=0.9)
        ax.set_xlabel(x_label or label("indirect_effect", lang))
        ax.set_ylabel(label("probability_density", lang))
        ax.set_title(f"{label('bootstrap_samples', lang)}: n = {values.size}", fontsize=9)
    return fig


def power_curve(
    summary: pd.DataFrame,
    *,
    target: float | None = None,
    params: Sequence[str] | None = None,
    lang: str = "zh",
) -> Figure:
    """Monte Carlo power against sample size, one line per parameter.

    Parameters
    ----------
    summary : DataFrame
        Columns ``n``, ``param``, ``power`` and ``power_mcse``, one row per
        sample size and parameter (:attr:`sqresearch.model.power.PowerResult.summary`).
    target : float, optional
        Target power, drawn as a dashed line; default
        ``threshold("power")`` (.80, Cohen 1988), or pass ``PowerResult.target``.
    params : list of str, optional
        Parameters to draw, in legend order; default all, in order of appearance.

    Notes
    -----
    Error bars are ±1.96·MCSE, the Monte Carlo standard error
    √(p̂(1 − p̂)/R) of each power estimate: an approximate 95% interval for
    the power the replications estimate (Morris, White & Crowther, 2019).

    References
    ----------
    Morris, T. P., White, I. R., & Crowther, M. J. (2019). Using simulation
    studies to evaluate statistical methods. *Statistics in Medicine, 38*(11),
    2074–2102.

    Examples
    --------
    >>> summary = pd.DataFrame({"n": [50, 100, 50, 100], "param": ["a", "a", "b", "b"],
    ...     "power": [0.45, 0.8, 0.7, 0.97], "power_mcse": [0.05, 0.04, 0.046, 0.017]})
    >>> fig = power_curve(summary, lang="en")
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('Sample size', 'Power')
    """
    check_lang(lang)
    _require(summary, ["n", "param", "power", "power_mcse"], "power_curve")
    present = list(dict.fromkeys(summary["param"]))
    params = present if params is None else list(params)
    unknown = [p for p in params if p not in present]
    if unknown:
        raise InputError("parameter not in the power summary", column="param", value=unknown[0])
    target = threshold("power") if target is None else target
    markers = ["o", "s", "^", "D", "v", "P"]
    with thesis_style():
        fig, ax = plt.subplots()
        handles = []
        for i, param in enumerate(params):
            block = summary[summary["param"] == param].sort_values("n")
            bars = ax.errorbar(
                block["n"].to_numpy(float),
                block["power"].to_numpy(float),
                yerr=1.96 * block["power_mcse"].to_numpy(float),
                fmt="-" + markers[i % len(markers)],
                color=PALETTE[i % len(PALETTE)],
                markersize=4,
                capsize=2,
                label=str(param),
            )
            handles.append(bars)
        line = ax.axhline(
            target,
            color="black",
            linestyle="--",
            linewidth=0.8,
            label=f"{label('target_power', lang)} = {target:.2f}",
        )
        ax.set_ylim(0, 1.05)
        ax.set_xlabel(label("sample_size", lang))
        ax.set_ylabel(label("power", lang))
        ax.legend(handles=[*handles, line])
    return fig
