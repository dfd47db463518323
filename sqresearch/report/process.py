"""PROCESS models: mediation, moderation (simple slopes, Johnson–Neyman), moderated mediation;
their tables, paragraphs and figures.

Reads :func:`sqresearch.model.process.process` and its helpers
(``simple_slopes_grid``, ``jn_curve``).

Examples
--------
>>> indirect_path("X", ["M"], "Y", lang="en", labels={"X": "Support", "M": "Trust", "Y": "Burnout"})
'Support → Trust → Burnout'
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from sqresearch.errors import InputError
from sqresearch.report.common import (
    Labels,
    arrow_path,
    ci_head,
    display_name,
    interval_name,
    label_pair,
    p_phrase,
    require_columns,
    significant,
    table_note,
)
from sqresearch.report.format import fmt_number
from sqresearch.report.labels import (
    check_lang,
    label,
)
from sqresearch.report.regression import regression_table
from sqresearch.report.style import PALETTE, thesis_style
from sqresearch.report.tables import ThesisTable


def moderation_table(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """The three moderation models (X; X + W; X + W + X×W) side by side with ΔR², ΔF.

    ``result`` is :func:`~sqresearch.model.regression.hierarchical_regression`
    run with the blocks [X (+ controls)], [W], [X:W]; the table is
    :func:`regression_table` under the moderation title.
    """
    lang = check_lang(lang)
    table = regression_table(
        result, labels=labels, lang=lang, style=style, title=label_pair("title_moderation")
    )
    table.label = "tab:moderation"
    return table


def simple_slopes_table(
    conditional: pd.DataFrame,
    moderator: str,
    *,
    level: float = 0.95,
    labels: Labels = None,
    lang: str | None = None,
    style: str = "thesis",
) -> ThesisTable:
    """Conditional effects of X at moderator values (simple slopes).

    Parameters
    ----------
    conditional : DataFrame
        ``ProcessResult.conditional``: w, label ("-1SD", "mean", "+1SD" or
        percentiles), effect, se, t, pvalue, ci_lower, ci_upper.
    moderator : str
        The moderator's code (for the head).
    level : float
        The confidence level the intervals were computed at
        (``ProcessResult.level``), for the column head.
    """
    lang = check_lang(lang)
    names = {"-1SD": label("low", lang), "mean": label("mid", lang), "+1SD": label("high", lang)}
    data = pd.DataFrame(
        {
            "level": [names.get(lv, lv) for lv in conditional["label"]],
            "w": conditional["w"].to_numpy(),
            "effect": conditional["effect"].to_numpy(),
            "se": conditional["se"].to_numpy(),
            "t": conditional["t"].to_numpy(),
            "p": conditional["pvalue"].to_numpy(),
            "lo": conditional["ci_lower"].to_numpy(),
            "hi": conditional["ci_upper"].to_numpy(),
        }
    )
    return ThesisTable(
        data,
        kinds={"w": "mean", "effect": "effect", "se": "se", "t": "t", "p": "p"},
        heads={"w": display_name(moderator, lang, labels), "ci": ci_head(level)},
        ci={"ci": ("lo", "hi")},
        columns=["level", "w", "effect", "se", "t", "p", "ci"],
        title={"zh": "简单斜率分析", "en": "Simple slopes"},
        label="tab:simple-slopes",
        lang=lang,
        style=style,
    )


#: Label key of each mediation type of ProcessResult.mediation_decisions().
MEDIATION_TYPE_LABELS = {
    "full": "full_mediation",
    "partial": "partial_mediation",
    "suppression": "suppression",
    "none": "no_mediation",
}


def indirect_path(x: str, mediators: list[str], y: str, *, lang: str, labels: Labels) -> str:
    """X → M1 → … → Y, or "total indirect" when ``mediators`` is empty."""
    if mediators:
        return arrow_path(x, *mediators, y, lang=lang, labels=labels)
    return {"zh": "总间接效应", "en": "Total indirect"}[lang]


def mediation_table(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Total, direct and indirect effects with bootstrap CIs and the 温忠麟 & 叶宝娟 decision.

    Parameters
    ----------
    result : ProcessResult
        PROCESS model 4 or 6 (:func:`sqresearch.model.process.process`):
        ``total``, ``direct`` (effect, se, pvalue, ci_lower, ci_upper),
        ``indirect`` (path, effect, boot_se, ci_lower, ci_upper), ``paths``
        and ``variables``.

    Notes
    -----
    The classification of each indirect effect is the result's own
    (:meth:`~sqresearch.model.process.ProcessResult.mediation_decisions`,
    温忠麟 & 叶宝娟 2014); 效应占比 is ab/c, or ``|ab/c'|`` for suppression.
    """
    lang = check_lang(lang)
    if result.total.empty:
        raise InputError("mediation table needs PROCESS model 4 or 6", value=result.model)
    v = result.variables
    x, y = v["x"], v["y"]
    tot, dire = result.total.iloc[0], result.direct.iloc[0]
    rows = [
        {
            "kind": label("total_effect", lang),
            "path": arrow_path(x, y, lang=lang, labels=labels),
            "effect": tot["effect"],
            "se": tot["se"],
            "p": tot["pvalue"],
            "lo": tot["ci_lower"],
            "hi": tot["ci_upper"],
            "share": np.nan,
            "decision": "",
        },
        {
            "kind": label("direct_effect", lang),
            "path": arrow_path(x, y, lang=lang, labels=labels),
            "effect": dire["effect"],
            "se": dire["se"],
            "p": dire["pvalue"],
            "lo": dire["ci_lower"],
            "hi": dire["ci_upper"],
            "share": np.nan,
            "decision": "",
        },
    ]
    for d in result.mediation_decisions().to_dict("records"):
        rows.append(
            {
                "kind": label("indirect_effect", lang),
                "path": indirect_path(x, d["mediators"], y, lang=lang, labels=labels),
                "effect": d["effect"],
                "se": d["boot_se"],
                "p": np.nan,
                "lo": d["ci_lower"],
                "hi": d["ci_upper"],
                "share": 100 * d["ratio"],
                "decision": label(MEDIATION_TYPE_LABELS[d["type"]], lang),
            }
        )
    interval = {k: interval_name(result.level, result.ci_method, k) for k in ("zh", "en")}
    return ThesisTable(
        pd.DataFrame(rows),
        kinds={"effect": "effect", "se": "se", "p": "p", "share": "percent"},
        ci={"ci": ("lo", "hi")},
        columns=["kind", "path", "effect", "se", "p", "ci", "share", "decision"],
        heads={
            "kind": {"zh": "效应类型", "en": "Type"},
            "effect": label_pair("effect"),
            "share": {"zh": "效应占比(%)", "en": "Proportion (%)"},
            "ci": ci_head(result.level),
        },
        title=label_pair("title_mediation"),
        notes=[
            table_note(
                f"间接效应的SE来自{result.n_boot}次Bootstrap抽样，置信区间为{interval['zh']}；"
                "总效应与直接效应为t检验。中介类型依温忠麟和叶宝娟(2014)的程序判断。",
                f"SE of indirect effects from {result.n_boot} bootstrap resamples, intervals "
                f"{interval['en']}s; total and direct effects t-based. Mediation type by the "
                "procedure of Wen & Ye (2014).",
            )
        ],
        label="tab:mediation",
        lang=lang,
        style=style,
    )


def moderated_mediation_table(
    results: Sequence, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Index of moderated mediation and the conditional indirect effects (PROCESS model 7/8/14).

    Parameters
    ----------
    results : sequence of ProcessResult
        Models with a moderated indirect path (``index_mm``: mediator,
        index, boot_se, ci_lower, ci_upper; ``indirect``: path, w, label,
        effect, boot_se, ci_lower, ci_upper).  One block of rows per
        mediator of each result: the conditional indirect effects at
        −1 SD, the mean and +1 SD of the moderator, then the index.
    """
    lang = check_lang(lang)
    level_keys = {"-1SD": "low", "mean": "mid", "+1SD": "high"}
    rows = []
    for result in results:
        if result.index_mm is None or result.index_mm.empty:
            raise InputError(
                "moderated mediation table needs PROCESS model 7, 8 or 14", value=result.model
            )
        v = result.variables
        for mm in result.index_mm.to_dict("records"):
            med = mm["mediator"]
            path = arrow_path(v["x"], med, v["y"], lang=lang, labels=labels)
            moderator = display_name(v["w"], lang, labels)
            conditional = result.indirect[result.indirect["path"] == med]
            for r in conditional.to_dict("records"):
                rows.append(
                    {
                        "path": path,
                        "moderator": moderator,
                        "level": label(level_keys.get(r["label"], r["label"]), lang),
                        "effect": r["effect"],
                        "se": r["boot_se"],
                        "lo": r["ci_lower"],
                        "hi": r["ci_upper"],
                    }
                )
            rows.append(
                {
                    "path": path,
                    "moderator": moderator,
                    "level": {"zh": "有调节的中介指数", "en": "Index of moderated mediation"}[lang],
                    "effect": mm["index"],
                    "se": mm["boot_se"],
                    "lo": mm["ci_lower"],
                    "hi": mm["ci_upper"],
                }
            )
    boots = sorted({r.n_boot for r in results})
    computed = {(r.level, r.ci_method) for r in results}
    if len(computed) > 1:
        raise InputError(
            "the models' intervals differ in level or method; one table needs one kind",
            value=sorted(computed),
        )
    level, method = computed.pop()
    return ThesisTable(
        pd.DataFrame(rows),
        kinds={"effect": "effect", "se": "se"},
        ci={"ci": ("lo", "hi")},
        columns=["path", "moderator", "level", "effect", "se", "ci"],
        heads={
            "path": {"zh": "中介路径", "en": "Indirect path"},
            "level": {"zh": "调节变量水平", "en": "Moderator level"},
            "effect": {"zh": "条件间接效应", "en": "Conditional indirect effect"},
            "se": label_pair("boot_se"),
            "ci": ci_head(level),
        },
        title={
            "zh": "有调节的中介效应检验",
            "en": "Moderated mediation: conditional indirect effects",
        },
        notes=[
            table_note(
                f"Bootstrap抽样{'、'.join(map(str, boots))}次，{interval_name(level, method, 'zh')}；"
                "有调节的中介指数的置信区间不包含0，表示间接效应随调节变量而变化(Hayes, 2015)。",
                f"{', '.join(map(str, boots))} bootstrap resamples, "
                f"{interval_name(level, method, 'en')}s; "
                "an index whose interval excludes 0 means the indirect effect depends on the "
                "moderator (Hayes, 2015).",
            )
        ],
        label="tab:moderated-mediation",
        collapse=["path", "moderator"],
        widths={"path": 0.3},
        lang=lang,
        style=style,
    )


def mediation_text(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> str:
    """Each indirect effect with its bootstrap CI and the 温忠麟 & 叶宝娟 (2014) verdict.

    ``result`` is a PROCESS model 4 or 6 :class:`~sqresearch.model.process.ProcessResult`.
    """
    lang = check_lang(lang)
    if result.total.empty:
        raise InputError("mediation text needs PROCESS model 4 or 6", value=result.model)
    interval = interval_name(result.level, result.ci_method, lang)
    x, y = result.variables["x"], result.variables["y"]
    out = []
    for r in result.mediation_decisions().to_dict("records"):
        path = indirect_path(x, r["mediators"], y, lang=lang, labels=labels)
        decision = label(MEDIATION_TYPE_LABELS[r["type"]], lang)
        lo, hi = r["ci_lower"], r["ci_upper"]
        ci = f"[{fmt_number(lo, 'ci', style=style)}, {fmt_number(hi, 'ci', style=style)}]"
        eff = fmt_number(r["effect"], "effect", style=style)
        excludes = not (lo <= 0 <= hi)
        share = "" if np.isnan(r["ratio"]) else fmt_number(100 * r["ratio"], "percent")
        if lang == "zh":
            s = f"{path}的间接效应为{eff}，{interval}{ci}"
            s += "不包含0，间接效应显著" if excludes else "包含0，间接效应不显著"
            s += f"，结论为{decision}" + (f"（效应占比{share}%）" if share else "") + "。"
        else:
            s = (
                f"The indirect effect {path} is {eff}, {interval} {ci}, which "
                + (
                    "excludes 0: the indirect effect is significant"
                    if excludes
                    else "includes 0: the indirect effect is not significant"
                )
                + f"; by Wen & Ye (2014) this is {decision.lower()}"
                + (f" (proportion {share}%)" if share else "")
                + "."
            )
        out.append(s)
    return ("" if lang == "zh" else " ").join(out)


def moderation_text(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> str:
    """The interaction term's test and the simple slopes (PROCESS model 1).

    ``result`` is a model-1 :class:`~sqresearch.model.process.ProcessResult`
    (``paths``, ``interaction``, ``conditional``, ``jn``).
    """
    lang = check_lang(lang)
    v = result.variables
    x, w, y = (display_name(v[k], lang, labels) for k in ("x", "w", "y"))
    term = result.interaction["term"].iloc[0]
    b = result.coef(v["y"], term)
    p = result.coef(v["y"], term, "pvalue")
    dr2 = fmt_number(result.interaction["delta_r2"].iloc[0], "r2", style=style)
    stat = f"b = {fmt_number(b, 'b', style=style)}, {p_phrase(p, style)}, ΔR² = {dr2}"
    slopes = []
    for r in result.conditional.to_dict("records"):
        lvl = {
            "-1SD": label("low", lang),
            "mean": label("mid", lang),
            "+1SD": label("high", lang),
        }.get(r["label"], r["label"])
        sig = not (r["ci_lower"] <= 0 <= r["ci_upper"])
        eff = fmt_number(r["effect"], "effect", style=style)
        if lang == "zh":
            slopes.append(f"{lvl}时效应为{eff}（" + ("显著" if sig else "不显著") + "）")
        else:
            slopes.append(f"{lvl}: {eff} (" + ("significant" if sig else "not significant") + ")")
    if lang == "zh":
        out = (
            f"交互项{x}×{w}对{y}的影响"
            + ("显著" if significant(p) else "不显著")
            + f"（{stat}），"
            + (f"{w}调节了{x}对{y}的影响。" if significant(p) else f"{w}的调节作用不成立。")
        )
        out += (
            f"简单斜率分析（以{interval_name(result.level, 't', 'zh')}是否包含0判断）："
            + "；".join(slopes)
            + "。"
        )
        return out
    out = (
        f"The interaction {x} × {w} on {y} is "
        + ("significant" if significant(p) else "not significant")
        + f" ({stat}); "
        + (
            f"{w} moderates the effect of {x} on {y}."
            if significant(p)
            else f"there is no evidence that {w} moderates the effect of {x}."
        )
    )
    out += (
        f" Simple slopes (judged by whether the {interval_name(result.level, 't', 'en')} "
        "excludes 0): " + "; ".join(slopes) + "."
    )
    return out


#: Dash patterns (matplotlib's "--", "-", "-.") of the simple-slopes lines, low to high.
_DASHES = ((3.7, 1.6), "", (6.4, 1.6, 1.0, 1.6))


def simple_slopes_plot(
    lines: pd.DataFrame,
    *,
    x_label: str = "X",
    y_label: str = "Y",
    moderator_label: str = "W",
    lang: str | None = None,
) -> Figure:
    """Predicted outcome against X at chosen moderator values, with CI bands.

    Parameters
    ----------
    lines : DataFrame
        Columns ``label`` (moderator level, e.g. "-1SD", "mean", "+1SD" —
        these three are translated), ``x``, ``fit`` and optionally
        ``ci_lower``, ``ci_upper``.
    """
    lang = check_lang(lang)
    require_columns(lines, ["label", "x", "fit"], "simple_slopes_plot")
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
    lang: str | None = None,
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
    lang = check_lang(lang)
    require_columns(curve, ["w", "effect", "ci_lower", "ci_upper"], "johnson_neyman_plot")
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
    lang: str | None = None,
) -> Figure:
    """Histogram of the bootstrap distribution of an indirect effect.

    The point estimate (solid), the CI bounds (dashed) and zero (dotted) are marked.
    """
    lang = check_lang(lang)
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
