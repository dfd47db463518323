"""Helpers shared by the per-analysis report modules: printed names, arrows, notes, CIs, cut-offs.

Nothing here is a table or a paragraph of its own; the analysis modules
(:mod:`~sqresearch.report.reliability`, :mod:`~sqresearch.report.sem`, …) build
theirs from these pieces so that a construct name, a path arrow, an interval
name or a cited cut-off reads the same in every table and paragraph.

Examples
--------
>>> arrow_path("X", "Y", lang="en", labels={"X": "Support", "Y": "Burnout"})
'Support → Burnout'
>>> interval_name(0.95, "percentile", "en")
'95% percentile bootstrap CI'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from sqresearch.errors import InputError
from sqresearch.report.format import fmt_p, fmt_threshold, star_legend
from sqresearch.report.labels import (
    LABELS,
    check_lang,
    construct_label,
    demographic_labels,
    label,
)
from sqresearch.thresholds import THRESHOLDS, threshold

_DUMMY = re.compile(r"^(?P<var>[^\[\]]+)\[(?P<level>[^\[\]]+)\]$")


Labels = Mapping[str, str] | None


def label_pair(key: str) -> dict[str, str]:
    """Both words of a :data:`~sqresearch.report.labels.LABELS` key, as a bilingual text."""
    zh, en = LABELS[key]
    return {"zh": zh, "en": en}


def table_note(zh: str, en: str) -> dict[str, str]:
    """A table note in both languages, with "注：" / "Note. " before it.

    Examples
    --------
    >>> table_note("样本量为200。", "n = 200.")["en"]
    'Note. n = 200.'
    """
    return {"zh": "注：" + zh, "en": "Note. " + en}


def stars_note(style: str) -> dict[str, str]:
    """The significance-stars legend in both languages."""
    return {"zh": star_legend("zh", style=style), "en": star_legend("en", style=style)}


def display_name(code: str, lang: str, labels: Labels = None) -> str:
    """Printed name of a variable: ``labels``, then the catalogue, then dummy terms, else the code."""
    if labels and code in labels:
        return labels[code]
    match = _DUMMY.match(str(code))
    if match:
        var, level = match["var"], match["level"]
        name, levels = demographic_labels(var, lang)
        try:
            level = levels.get(int(float(level)), level)
        except ValueError:
            pass
        return f"{name}: {level}" if lang == "en" else f"{name}({level})"
    if code in LABELS and code.isupper():
        return label(code, lang)
    return construct_label(str(code), lang)


def arrow_path(*codes: str, lang: str, labels: Labels = None) -> str:
    """The printed names of ``codes`` joined by arrows, e.g. "X → M → Y"."""
    return " → ".join(display_name(c, lang, labels) for c in codes)


def hypothesis_path(h, lang: str, labels: Labels = None) -> str:
    """A hypothesis's path in names: "X → M → Y", "W × X → Y" for a moderation,
    "X → M1 | M2 → Y" for parallel mediators, "BY: C" for a group difference."""
    mediators = () if h.m is None else (h.m,) if isinstance(h.m, str) else tuple(h.m)
    if h.kind == "difference":
        return f"{display_name(h.by, lang, labels)}: {display_name(h.lhs, lang, labels)}"
    if h.kind in ("indirect", "moderated_mediation") and len(mediators) > 1 and not h.serial:
        middle = " | ".join(display_name(m, lang, labels) for m in mediators)
        return (
            f"{display_name(h.rhs, lang, labels)} → {middle} → {display_name(h.lhs, lang, labels)}"
        )
    codes = [h.rhs, *mediators, h.lhs] if mediators else [h.rhs, h.lhs]
    path = arrow_path(*codes, lang=lang, labels=labels)
    if h.kind == "moderated_mediation":
        return f"{path} ({display_name(h.w, lang, labels)})"
    return f"{display_name(h.w, lang, labels)} × {path}" if h.kind == "moderation" else path


def sign_note(flagged: Mapping[str, list[str]], stats: tuple[str, str], labels: Labels) -> dict:
    """Note for constructs marked † by measure/: items pointing the other way (not reverse-keyed)."""
    zh = "；".join(
        f"{display_name(c, 'zh', labels)}：{'、'.join(items)}" for c, items in flagged.items()
    )
    en = "; ".join(
        f"{display_name(c, 'en', labels)}: {', '.join(items)}" for c, items in flagged.items()
    )
    return {
        "zh": f"† 含负向题项（{zh}），可能为未反向计分的反向题；反向计分前{stats[0]}不可解释。",
        "en": f"† Items pointing the other way ({en}), probably reverse-keyed items not yet "
        f"reverse-coded; {stats[1]} are not interpretable until they are.",
    }


#: Names of the interval methods the analyses compute (``ci_method`` of their results).
_CI_METHODS = {
    "percentile": ("百分位Bootstrap", "percentile bootstrap"),
    "bc": ("偏差校正Bootstrap", "bias-corrected bootstrap"),
    "t": ("", ""),  # normal-theory (t or z) intervals
}


def interval_name(level: float, method: str, lang: str | None = None) -> str:
    """Name of an interval as computed: level and method, e.g. "90% bias-corrected bootstrap CI".

    Examples
    --------
    >>> interval_name(0.95, "percentile", "en"), interval_name(0.9, "bc", "zh")
    ('95% percentile bootstrap CI', '90%偏差校正Bootstrap置信区间')
    >>> interval_name(0.99, "t", "en")
    '99% CI'
    """
    lang = check_lang(lang)
    if method not in _CI_METHODS:
        raise InputError(f"unknown interval method {method!r}", hint=", ".join(_CI_METHODS))
    zh, en = _CI_METHODS[method]
    pct = f"{100 * level:g}%"
    return f"{pct}{zh}置信区间" if lang == "zh" else f"{pct} {en + ' ' if en else ''}CI"


def ci_head(level: float) -> dict[str, str]:
    """The CI column's head at the level actually computed."""
    return {"zh": f"{100 * level:g}% CI", "en": f"{100 * level:g}% CI"}


def cutoff_source(key: str) -> str:
    """The citation of a :data:`~sqresearch.thresholds.THRESHOLDS` row."""
    return str(THRESHOLDS.loc[key, "source"])


def cutoff(key: str, kind: str = "value", style: str = "thesis") -> str:
    """The cut-off with its sign (``≥0.70``), for brackets beside a statistic."""
    return fmt_threshold(key, kind, style=style)


def cutoff_value(key: str, kind: str = "value", style: str = "thesis") -> str:
    """The bare cut-off (``0.70``), after words that already compare (低于, below)."""
    return fmt_threshold(key, kind, style=style, symbol=False)


def cite_sources(keys: Sequence[str], lang: str) -> str:
    """The sources of ``keys``' cut-offs, each citation once, in order."""
    cites = dict.fromkeys(c.strip() for k in keys for c in cutoff_source(k).split(";"))
    return ("；" if lang == "zh" else "; ").join(cites)


def join_words(items: Sequence[str], lang: str) -> str:
    """A list in words: "A、B、C" in Chinese, "A, B and C" in English.

    Examples
    --------
    >>> join_words(["CFI", "TLI", "RMSEA"], "en"), join_words(["CFI", "TLI"], "zh")
    ('CFI, TLI and RMSEA', 'CFI、TLI')
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if lang == "zh":
        return "、".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def p_phrase(p: float, style: str = "thesis") -> str:
    """``p = 0.012`` or ``p < 0.001`` for a sentence.

    Examples
    --------
    >>> p_phrase(0.0123), p_phrase(0.00001)
    ('p = 0.012', 'p < 0.001')
    """
    text = fmt_p(p, style=style)
    return f"p < {text[1:]}" if text.startswith("<") else f"p = {text}"


def significant(p: float) -> bool:
    """Whether ``p`` is below the ``alpha_level`` threshold (.05)."""
    return bool(p < threshold("alpha_level"))


def sign_sentence(
    flagged: Mapping[str, list[str]], stats: tuple[str, str], labels: Labels, lang: str
) -> tuple[str, set]:
    """The sentence for constructs measure/ flagged with items pointing the other way, and them."""
    if not flagged:
        return "", set()
    zh = "；".join(
        f"{display_name(c, 'zh', labels)}的题项{'、'.join(i)}" for c, i in flagged.items()
    )
    en = "; ".join(f"{', '.join(i)} of {display_name(c, 'en', labels)}" for c, i in flagged.items())
    if lang == "zh":
        return (
            f"{zh}与所属构念其余题项方向相反（负相关或负载荷），可能为未反向计分的反向题；"
            f"反向计分前其{stats[0]}不可解释。",
            set(flagged),
        )
    return (
        f"Items {en} point the other way from the rest of their construct (negative "
        f"correlation or loading), probably reverse-keyed items not yet reverse-coded; "
        f"{stats[1]} cannot be interpreted until they are.",
        set(flagged),
    )


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise :class:`InputError` naming the first of ``columns`` that ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what} needs columns {list(columns)}", column=missing[0])
