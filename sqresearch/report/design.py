"""The research-design section of the chapter: hypotheses, scales and participant flow.

Tables and paragraphs that describe how the study was set up and how its
sample came about, generated from the framework (:mod:`sqresearch.constructs`)
and from the cleaning pipeline's participant flow
(:func:`sqresearch.clean.pipeline.clean_survey`: ``flow`` and
``screening.rules``).  Every count in the text is read from the flow, and
every screening cut-off is cited from :mod:`sqresearch.thresholds`.

Examples
--------
>>> import pandas as pd
>>> flow = pd.DataFrame({"step": ["received", "attention", "analysed"],
...                      "label_zh": ["回收问卷", "剔除:注意力检测题未通过", "有效问卷"],
...                      "label_en": ["received", "excluded: failed attention check", "analysed"],
...                      "n": [200, 12, 188], "remaining": [200, 188, 188]})
>>> print(cleaning_text(flow, lang="en"))
Of the 200 questionnaires returned, 12 were excluded (failed attention check: 12), leaving 188 valid responses (94.0%).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sqresearch.errors import InputError
from sqresearch.report.common import Labels, hypothesis_path, table_note
from sqresearch.report.format import escape_latex, fmt_number
from sqresearch.report.labels import check_lang, construct_label
from sqresearch.report.tables import ThesisTable
from sqresearch.thresholds import THRESHOLDS

#: Screening rule of the cleaning pipeline → the threshold row whose source it cites.
RULE_THRESHOLDS = {
    "speeder": "speeder_fraction",
    "longstring": "longstring_share",
    "irv": "irv_min",
    "mahalanobis": "mahalanobis_p",
}

_FLOW_COLUMNS = ("step", "label_zh", "label_en", "n", "remaining")


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


# --- participant flow --------------------------------------------------------------


def _check_flow(flow: pd.DataFrame) -> pd.DataFrame:
    """The flow's exclusion rows, after checking that received − excluded = analysed."""
    for col in _FLOW_COLUMNS:
        if col not in flow.columns:
            raise InputError(
                "participant flow needs step, label_zh, label_en, n, remaining", column=col
            )
    if len(flow) < 2 or flow["step"].iloc[0] != "received" or flow["step"].iloc[-1] != "analysed":
        raise InputError(
            "participant flow must start with 'received' and end with 'analysed'",
            value=list(flow["step"]),
        )
    received, analysed = int(flow["n"].iloc[0]), int(flow["n"].iloc[-1])
    steps = flow.iloc[1:-1]
    if received - int(steps["n"].sum()) != analysed:
        raise InputError(
            "participant flow does not add up: received − excluded ≠ analysed",
            value=f"{received} − {int(steps['n'].sum())} ≠ {analysed}",
        )
    return steps


def _reason(label_text: str, lang: str) -> str:
    """A flow label without its "剔除:" / "excluded: " prefix."""
    return label_text.removeprefix("剔除:" if lang == "zh" else "excluded: ")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def flow_table(
    flow: pd.DataFrame,
    rules: pd.DataFrame | None = None,
    *,
    lang: str | None = None,
    style: str = "thesis",
) -> ThesisTable:
    """Participant flow: questionnaires received, excluded at each step, remaining, analysed.

    Parameters
    ----------
    flow : DataFrame
        ``CleaningResult.flow``: step, label_zh, label_en, n, remaining; first
        row "received", last "analysed", exclusions between (they must add up).
    rules : DataFrame, optional
        ``CleaningResult.screening.rules`` (rule, action, n_flagged, label_zh,
        label_en): rules that only flag are listed in a note.
    """
    lang = check_lang(lang)
    steps = _check_flow(flow)
    first, last = (_capital(flow[f"label_{lang}"].iloc[i]) for i in (0, -1))
    rows = [{"step": first, "n": flow["n"].iloc[0], "remaining": ""}]
    rows += [
        {
            "step": _capital(_reason(r[f"label_{lang}"], lang)),
            "n": r["n"],
            "remaining": r["remaining"],
        }
        for r in steps.to_dict("records")
    ]
    rows.append(
        {
            "step": {"zh": "剔除合计", "en": "Excluded in total"}[lang],
            "n": int(steps["n"].sum()),
            "remaining": "",
        }
    )
    rows.append({"step": last, "n": flow["n"].iloc[-1], "remaining": ""})
    notes = []
    flagged = (
        rules[(rules["action"] == "flag") & (rules["n_flagged"] > 0)] if rules is not None else []
    )
    if len(flagged):
        listed_zh = "、".join(f"{r.label_zh}{r.n_flagged}份" for r in flagged.itertuples())
        listed_en = "; ".join(f"{r.label_en}: {r.n_flagged}" for r in flagged.itertuples())
        notes.append(
            table_note(
                f"另有{listed_zh}被标记但保留。",
                f"Flagged but kept: {listed_en}.",
            )
        )
    return ThesisTable(
        pd.DataFrame(rows),
        kinds={"n": "count", "remaining": "count"},
        heads={
            "step": {"zh": "步骤", "en": "Step"},
            "n": {"zh": "份数", "en": "n"},
            "remaining": {"zh": "剩余份数", "en": "Remaining"},
        },
        title={"zh": "样本筛选流程", "en": "Participant flow"},
        notes=notes,
        label="tab:flow",
        lang=lang,
        style=style,
    )


def _rule_criterion(rule: Mapping, lang: str) -> str:
    """The cut a careless-response rule applied, in words, with its source."""
    key = RULE_THRESHOLDS[rule["rule"]]
    src = THRESHOLDS.loc[key, "source"]
    setting, cut = float(rule["setting"]), float(rule["cut"])
    if rule["rule"] == "speeder":
        pct, sec = fmt_number(100 * setting, "percent", decimals=0), fmt_number(cut, "count")
        return (
            f"作答时间短于全体中位数的{pct}%（{sec}秒；{src}）"
            if lang == "zh"
            else f"completion time under {pct}% of the median ({sec} s; {src})"
        )
    if rule["rule"] == "longstring":
        pct, k = fmt_number(100 * setting, "percent", decimals=0), fmt_number(cut, "count")
        return (
            f"连续相同作答达到题项数的{pct}%（{k}题；{src}）"
            if lang == "zh"
            else f"identical answers in a row on at least {pct}% of the items ({k}; {src})"
        )
    if rule["rule"] == "irv":
        sd = fmt_number(setting, "sd")
        return (
            f"题项间作答标准差低于{sd}（{src}）"
            if lang == "zh"
            else f"a standard deviation across items below {sd} ({src})"
        )
    p = fmt_number(setting, "p", decimals=3)
    return (
        f"马氏距离检验p低于{p}（{src}）"
        if lang == "zh"
        else f"a Mahalanobis distance with p below {p} ({src})"
    )


def cleaning_text(
    flow: pd.DataFrame, rules: pd.DataFrame | None = None, *, lang: str | None = None
) -> str:
    """The cleaning paragraph: received, excluded per reason, analysed, and the careless rules.

    ``flow`` and ``rules`` as for :func:`flow_table`.  The careless-response
    rules in force (speeders, straight-lining, low variability, multivariate
    outliers) are described with the cut they used and the source of the
    convention; rules that only flag are said to keep their respondents.
    """
    lang = check_lang(lang)
    steps = _check_flow(flow)
    received, analysed = int(flow["n"].iloc[0]), int(flow["n"].iloc[-1])
    excluded = received - analysed
    share = fmt_number(100 * analysed / received, "percent", decimals=1)
    shown = steps[steps["n"] > 0]
    if lang == "zh":
        reasons = "、".join(f"{_reason(r.label_zh, lang)}{r.n}份" for r in shown.itertuples())
        out = f"本研究共回收问卷{received}份。" + (
            f"依次剔除{reasons}，共剔除{excluded}份，" if excluded else "没有问卷被剔除，"
        )
        out += f"得到有效问卷{analysed}份，有效回收率为{share}%。"
    else:
        reasons = "; ".join(f"{_reason(r.label_en, lang)}: {r.n}" for r in shown.itertuples())
        out = f"Of the {received} questionnaires returned, " + (
            f"{excluded} were excluded ({reasons}), " if excluded else "none was excluded, "
        )
        out += f"leaving {analysed} valid responses ({share}%)."
    if rules is None:
        return out
    careless = rules[rules["rule"].isin(list(RULE_THRESHOLDS)) & (rules["action"] != "off")]
    applied = careless[careless["action"] == "exclude"].to_dict("records")
    flagged = careless[(careless["action"] == "flag") & (careless["n_flagged"] > 0)]
    flagged = flagged.to_dict("records")
    if applied:
        listed = [_rule_criterion(r, lang) for r in applied]
        out += (
            "粗心作答的剔除标准为：" + "；".join(listed) + "。"
            if lang == "zh"
            else " Careless responses were excluded for " + "; ".join(listed) + "."
        )
    if flagged:
        if lang == "zh":
            out += (
                "另有"
                + "、".join(f"{_rule_criterion(r, lang)}的问卷{r['n_flagged']}份" for r in flagged)
                + "仅被标记，予以保留。"
            )
        else:
            listed = [f"{r['n_flagged']} with {_rule_criterion(r, lang)}" for r in flagged]
            out += f" A further {'; '.join(listed)} were flagged but kept."
    return out
