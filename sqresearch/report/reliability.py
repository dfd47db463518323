"""Reliability: the Cronbach's α / CITC / α-if-deleted (and ω) table and its paragraph.

Reads :func:`sqresearch.measure.reliability.reliability_table`; every cut-off
comes from :mod:`sqresearch.thresholds`.

Examples
--------
>>> reliability_table.__name__, reliability_text.__name__
('reliability_table', 'reliability_text')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sqresearch.report.common import (
    Labels,
    cutoff_source,
    cutoff_value,
    display_name,
    join_words,
    label_pair,
    sign_note,
    sign_sentence,
    table_note,
)
from sqresearch.report.format import fmt_number, fmt_threshold
from sqresearch.report.labels import (
    check_lang,
)
from sqresearch.report.tables import ThesisTable
from sqresearch.thresholds import THRESHOLDS, passes


def reliability_table(
    rel, *, omega: bool = False, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Cronbach's α per scale with CITC and α if item deleted per item.

    Parameters
    ----------
    rel : ReliabilityTable
        From :func:`sqresearch.measure.reliability.reliability_table`:
        ``scales`` (index scale: alpha, omega, ...) and ``items`` (index
        scale, item: citc, alpha_if_deleted, ...).
    omega : bool
        Add McDonald's ω beside α.
    """
    lang = check_lang(lang)
    rows = []
    flagged = {
        scale: [item for item, neg in rel.items.loc[scale, "negative"].items() if neg]
        for scale in rel.scales.index[rel.scales["sign_problem"]]
    }
    for (scale, item), r in rel.items.iterrows():
        first = not rows or rows[-1]["scale"] != scale
        srow = rel.scales.loc[scale]
        rows.append(
            {
                "scale": scale,
                "construct": display_name(scale, lang, labels) + (" †" if scale in flagged else ""),
                "item": item,
                "citc": r["citc"],
                "alpha_if_deleted": r["alpha_if_deleted"],
                "alpha": srow["alpha"] if first else np.nan,
                "omega": srow["omega"] if first else np.nan,
            }
        )
    data = pd.DataFrame(rows).drop(columns="scale")
    if not omega:
        data = data.drop(columns="omega")
    a, c = fmt_threshold("alpha", "alpha", style=style), fmt_threshold("citc", "citc", style=style)
    return ThesisTable(
        data,
        kinds={"citc": "citc", "alpha_if_deleted": "alpha", "alpha": "alpha", "omega": "omega"},
        title=label_pair("title_reliability"),
        notes=[
            table_note(
                f"Cronbach's α{a}表示信度良好（{THRESHOLDS.loc['alpha', 'source']}）；"
                f"CITC{c}（{THRESHOLDS.loc['citc', 'source']}）。",
                f"Cronbach's α {a} indicates good reliability ({THRESHOLDS.loc['alpha', 'source']}); "
                f"CITC {c} ({THRESHOLDS.loc['citc', 'source']}).",
            ),
            *([sign_note(flagged, ("α与ω", "α and ω"), labels)] if flagged else []),
        ],
        label="tab:reliability",
        collapse=["construct"],
        lang=lang,
        style=style,
    )


def reliability_text(rel, *, labels: Labels = None, lang: str | None = None, style: str = "thesis") -> str:
    """Which scales reach α ≥ .70, which items fall below the CITC cut-off or raise α if deleted.

    ``rel`` is a :class:`~sqresearch.measure.reliability.ReliabilityTable`.
    """
    lang = check_lang(lang)
    alphas = rel.scales["alpha"]
    signs = sign_sentence(
        {
            s: [i for i, neg in rel.items.loc[s, "negative"].items() if neg]
            for s in rel.scales.index[rel.scales["sign_problem"]]
        },
        ("α系数", "α"),
        labels,
        lang,
    )
    judged = alphas.drop(index=[s for s in alphas.index if s in signs[1]])
    good = [s for s, a in judged.items() if passes("alpha", a)]
    bad = [s for s, a in judged.items() if not passes("alpha", a)]
    fmt = {
        s: f"{display_name(s, lang, labels)} (α = {fmt_number(a, 'alpha', style=style)})"
        for s, a in alphas.items()
    }
    low_citc = [
        f"{item} ({fmt_number(r['citc'], 'citc', style=style)})"
        for (_, item), r in rel.items.iterrows()
        if not passes("citc", r["citc"])
    ]
    raise_alpha = [
        item for (scale, item), r in rel.items.iterrows() if r["alpha_if_deleted"] > alphas[scale]
    ]
    cut_a, cut_c = cutoff_value("alpha", "alpha", style), cutoff_value("citc", "citc", style)
    if lang == "zh":
        out = []
        if good:
            out.append(
                f"{join_words([fmt[s] for s in good], lang)}的Cronbach's α系数达到{cut_a}的标准"
                f"（{cutoff_source('alpha')}），信度良好。"
            )
        if bad:
            out.append(
                f"{join_words([fmt[s] for s in bad], lang)}的α系数低于{cut_a}，未达到信度标准"
                f"（{cutoff_source('alpha')}），需检查或修订题项。"
            )
        out.append(
            f"题项{join_words(low_citc, lang)}的CITC低于{cut_c}（{cutoff_source('citc')}）。"
            if low_citc
            else f"所有题项的CITC均不低于{cut_c}（{cutoff_source('citc')}）。"
        )
        if raise_alpha:
            out.append(f"删除题项{join_words(raise_alpha, lang)}后α系数会上升。")
        return "".join([*out, signs[0]])
    out = []
    if good:
        out.append(
            f"Cronbach's α of {join_words([fmt[s] for s in good], lang)} meets the {cut_a} "
            f"standard ({cutoff_source('alpha')}), indicating good reliability."
        )
    if bad:
        out.append(
            f"Cronbach's α of {join_words([fmt[s] for s in bad], lang)} is below {cut_a} and "
            f"does not meet the reliability standard ({cutoff_source('alpha')}); its items need review."
        )
    out.append(
        f"The CITC of {join_words(low_citc, lang)} is below {cut_c} ({cutoff_source('citc')})."
        if low_citc
        else f"Every item's CITC is at least {cut_c} ({cutoff_source('citc')})."
    )
    if raise_alpha:
        out.append(f"Deleting {join_words(raise_alpha, lang)} would raise α.")
    return " ".join([*out, signs[0]]).strip()
