"""The research-design section of the chapter: hypotheses and scales.

Tables and paragraphs that describe how the study was set up, generated from
the framework (:mod:`sqresearch.constructs`).  The participant flow and the
cleaning report are in :mod:`sqresearch.report.cleaning`.

Examples
--------
>>> from sqresearch.constructs import get_framework
>>> framework_hypotheses_table(get_framework(), lang="en").to_frame().columns[0]
'No.'
"""

from __future__ import annotations

import pandas as pd

from sqresearch.report.common import Labels, hypothesis_path
from sqresearch.report.format import escape_latex
from sqresearch.report.labels import check_lang, construct_label
from sqresearch.report.tables import ThesisTable

# --- hypotheses and scales --------------------------------------------------------


def framework_hypotheses_table(
    framework, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """The research hypotheses: number, path, expected sign and the sentence.

    ``framework`` is a :class:`~sqresearch.constructs.Framework`; the rows
    are its ``hypotheses`` (as in ``Framework.hypotheses_table``), the
    paths printed with construct names.
    """
    lang = check_lang(lang)
    rows = [
        {
            "id": h.id,
            "path": hypothesis_path(h, lang, labels),
            "sign": "+" if h.sign > 0 else "−",
            "content": h.text(lang),
        }
        for h in framework.hypotheses
    ]
    return ThesisTable(
        pd.DataFrame(rows, columns=["id", "path", "sign", "content"]),
        heads={
            "id": {"zh": "编号", "en": "No."},
            "sign": {"zh": "预期方向", "en": "Sign"},
            "content": "hypothesis",
        },
        widths={"path": 0.3, "content": 0.45},
        title={"zh": "研究假设", "en": "Research hypotheses"},
        label="tab:hypotheses-design",
        lang=lang,
        style=style,
    )


def references_bib(framework) -> str:
    """The chapter's ``refs.bib``: the shipped references plus the study's own (``references``)."""
    from sqresearch.constructs import REFERENCES_BIB

    text = REFERENCES_BIB.read_text(encoding="utf-8")
    own = getattr(framework, "references", "")
    return text if not own else text.rstrip("\n") + "\n\n" + own.strip() + "\n"


def conceptual_paths(framework) -> pd.DataFrame:
    """The conceptual model's arrows as a parameter table (lhs, op ``~``, rhs; no estimates)."""
    return pd.DataFrame(
        [
            {"lhs": lhs, "op": "~", "rhs": rhs, "std_all": float("nan"), "pvalue": float("nan")}
            for lhs, rhs in framework.conceptual_edges()
        ],
        columns=["lhs", "op", "rhs", "std_all", "pvalue"],
    )


def design_text(
    framework, *, attention_checks: int = 0, lang: str | None = None, latex: bool = True
) -> str:
    r"""The design paragraph: constructs, their item counts, scale points and sources.

    Parameters
    ----------
    framework : Framework
        Its constructs are listed in order, each with its number of items
        and the scale it was adapted from (``Construct.bibkey``).
    attention_checks : int
        Attention-check items in the questionnaire.
    latex : bool
        Cite with ``\cite{bibkey}`` and escape the rest for LaTeX; otherwise
        plain text with the keys in brackets.

    Examples
    --------
    >>> from sqresearch.constructs import get_framework
    >>> text = design_text(get_framework("tea_brand_community"), lang="en", latex=False)
    >>> text.count("items, adapted from"), "5-point (1 = Strongly disagree" in text
    (11, True)
    """
    lang = check_lang(lang)
    catalogue = framework.catalogue
    esc = escape_latex if latex else str
    parts, points, anchors = [], set(), {}
    for code in framework.constructs:
        construct = catalogue.constructs[code]
        scale = construct.items[0].scale
        points.add(scale.points)
        anchors[scale.points] = scale.anchors_zh if lang == "zh" else scale.anchors_en
        keys = construct.bibkey
        cite = (rf"\cite{{{keys}}}" if latex else f"[{keys}]") if keys else ""
        name = esc(construct_label(code, lang, with_code=True))
        k = len(construct.items)
        if lang == "zh":
            source = f"，改编自{cite}" if cite else "，自行编制"
            parts.append(f"{name}（{k}个题项{source}）")
        else:
            source = f", adapted from {cite}" if cite else ", developed for this study"
            parts.append(f"{name} ({k} item{'s' if k != 1 else ''}{source})")
    title = esc(framework.title(lang))
    ends = "；".join(
        f"{p}点（1 = {a[0]}，{p} = {a[-1]}）"
        if lang == "zh"
        else f"{p}-point (1 = {a[0]}, {p} = {a[-1]})"
        for p, a in sorted(anchors.items())
    )
    if lang == "zh":
        out = (
            f"本研究以“{title}”为题，采用问卷调查法收集数据。问卷包括{len(parts)}个构念："
            + "；".join(parts)
            + f"。全部题项采用Likert {ends}量表"
        )
        out += f"，并设置{attention_checks}道注意力检测题。" if attention_checks else "。"
        return out
    emph = rf"\emph{{{title}}}" if latex else title
    out = (
        f"The study, {emph}, collected its data with a questionnaire measuring {len(parts)} "
        "constructs: " + "; ".join(parts) + f". Every item is answered on a {ends} Likert scale"
    )
    out += (
        f", and {attention_checks} attention-check item{'s are' if attention_checks > 1 else ' is'} "
        "included."
        if attention_checks
        else "."
    )
    return out
