"""Data cleaning: the participant flow table and paragraph, and the cleaning report.

Reads :func:`sqresearch.clean.pipeline.clean_survey`'s result (its ``flow``,
``screening.rules``, ``missing``, ``personal_data`` and ``warnings``).  Every
count in the text is read from the flow, and every screening cut-off is cited
from :mod:`sqresearch.thresholds`.  :func:`cleaning_report` is the processed
folder's ``cleaning_report.md``, built from the same tables as the chapter's;
the cleaning stage (:mod:`sqresearch.clean`) does not render anything itself,
the notebook and ``sqresearch clean`` pass it to ``CleanResult.write``.

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

import numpy as np
import pandas as pd

from sqresearch.errors import InputError
from sqresearch.report.common import table_note
from sqresearch.report.format import fmt_number, fmt_p
from sqresearch.report.labels import check_lang
from sqresearch.report.tables import ThesisTable, to_markdown
from sqresearch.thresholds import THRESHOLDS

#: Screening rule of the cleaning pipeline → the threshold row whose source it cites.
RULE_THRESHOLDS = {
    "speeder": "speeder_fraction",
    "longstring": "longstring_share",
    "irv": "irv_min",
    "mahalanobis": "mahalanobis_p",
}

_FLOW_COLUMNS = ("step", "label_zh", "label_en", "n", "remaining")

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


# --- the cleaning report (cleaning_report.md) ---------------------------------------

#: How the cut of each careless-response rule prints (see :func:`_rule_criterion`).
_CUT_KINDS = {"speeder": "count", "longstring": "count", "irv": "sd", "mahalanobis": "p"}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def rules_table(
    rules: pd.DataFrame, *, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """The screening rules as run: action, cut, respondents flagged and excluded, source.

    Parameters
    ----------
    rules : DataFrame
        ``CleanResult.screening.rules``: rule, action, cut, n_flagged,
        n_excluding, source, label_zh, label_en.

    Examples
    --------
    >>> rules = pd.DataFrame({"rule": ["speeder"], "action": ["exclude"], "cut": [96.0],
    ...     "n_flagged": [9], "n_excluding": [7], "source": ["Greszki et al. (2015)"],
    ...     "label_zh": ["作答时间过短"], "label_en": ["completion time too short"]})
    >>> rules_table(rules, lang="en").to_frame().iloc[0].tolist()
    ['completion time too short', 'exclude', '96', '9', '7', 'Greszki et al. (2015)']
    """
    lang = check_lang(lang)
    rows = []
    for r in rules.to_dict("records"):
        kind = _CUT_KINDS.get(r["rule"], "value")
        cut = (
            ""
            if _missing(r["cut"])
            else fmt_number(r["cut"], kind, style=style, decimals=3 if kind == "p" else None)
        )
        flagged = "" if _missing(r["n_flagged"]) else int(r["n_flagged"])
        excluding = "" if _missing(r["n_excluding"]) else int(r["n_excluding"])
        rows.append(
            {
                "rule": r[f"label_{lang}"],
                "action": r["action"],
                "cut": cut,
                "n_flagged": flagged,
                "n_excluded": {"exclude": excluding, "flag": 0}.get(r["action"], ""),
                "source": r["source"],
            }
        )
    return ThesisTable(
        pd.DataFrame(rows, columns=["rule", "action", "cut", "n_flagged", "n_excluded", "source"]),
        kinds={"rule": "text", "action": "text", "cut": "text", "n_flagged": "count",
               "n_excluded": "count", "source": "text"},
        heads={
            "rule": {"zh": "规则", "en": "Rule"},
            "action": {"zh": "处理", "en": "Action"},
            "cut": {"zh": "临界值", "en": "Cut"},
            "n_flagged": {"zh": "标记份数", "en": "n flagged"},
            "n_excluded": {"zh": "剔除份数", "en": "n excluded"},
            "source": {"zh": "依据", "en": "Source"},
        },
        title={"zh": "筛查规则", "en": "Screening rules"},
        label="tab:screening_rules",
        lang=lang,
        style=style,
    )  # fmt: skip


def missing_table(missing, *, lang: str | None = None, style: str = "thesis") -> ThesisTable:
    """Items with missing answers among the analysed respondents: n and % missing.

    Parameters
    ----------
    missing : MissingReport
        ``CleanResult.missing`` (its ``by_item``: item, n_missing, pct_missing).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> by_item = pd.DataFrame({"item": ["A1", "A2"], "n_missing": [3, 0], "pct_missing": [1.5, 0.0]})
    >>> missing_table(SimpleNamespace(by_item=by_item), lang="en").to_frame().values.tolist()
    [['A1', '3', '1.5']]
    """
    lang = check_lang(lang)
    items = missing.by_item[missing.by_item["n_missing"] > 0]
    return ThesisTable(
        items[["item", "n_missing", "pct_missing"]].reset_index(drop=True),
        kinds={"item": "text", "n_missing": "count", "pct_missing": "percent"},
        decimals={"pct_missing": 1},
        heads={
            "item": {"zh": "题项", "en": "Item"},
            "n_missing": {"zh": "缺失份数", "en": "n missing"},
            "pct_missing": {"zh": "缺失比例(%)", "en": "%"},
        },
        title={"zh": "题项缺失情况", "en": "Missing answers by item"},
        label="tab:missing_items",
        lang=lang,
        style=style,
    )


def missing_text(missing, *, lang: str | None = None, style: str = "thesis") -> str:
    """Complete cases and Little's MCAR test; nothing is imputed.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> m = SimpleNamespace(complete_cases=180, n=188,
    ...                     mcar={"statistic": 40.2, "df": 38, "pvalue": 0.37})
    >>> missing_text(m, lang="en")
    "Complete cases 180/188; Little's MCAR test χ²(38) = 40.200, p = 0.370. Nothing imputed."
    """
    lang = check_lang(lang)
    mcar = missing.mcar
    p = "—" if _missing(mcar["pvalue"]) else fmt_p(mcar["pvalue"], style=style)
    chisq = fmt_number(mcar["statistic"], "chisq", style=style)
    cases = f"{missing.complete_cases}/{missing.n}"
    if lang == "zh":
        return f"完整作答 {cases}；Little MCAR 检验 χ²({mcar['df']}) = {chisq}，p = {p}。未做任何插补。"
    return f"Complete cases {cases}; Little's MCAR test χ²({mcar['df']}) = {chisq}, p = {p}. Nothing imputed."


def cleaning_report(result, *, lang: str | None = None, style: str = "thesis") -> str:
    """The cleaning report in Markdown: source, flow, rules, flagged, personal data, missing, warnings.

    The tables are :func:`flow_table`, :func:`rules_table` and
    :func:`missing_table` rendered by the table layer; write it with
    ``result.write(out, report=cleaning_report(result))``.

    Parameters
    ----------
    result : CleanResult
        :func:`sqresearch.clean.pipeline.clean_survey`'s result.
    lang : {"zh", "en"}, optional
        Default: the active language (:func:`~sqresearch.report.labels.use_language`).
    style : {"thesis", "apa"}
    """
    lang = check_lang(lang)
    zh = lang == "zh"
    raw = result.raw
    form = f", {raw.form}" if raw.form else ""
    none = "无" if zh else "none"
    out = [
        "# 数据清洗报告" if zh else "# Data cleaning report",
        "",
        f"{'原始文件' if zh else 'Raw file'}: `{raw.path.name}` ({raw.platform}, {raw.file_format}"
        f"{form}), SHA-256 `{raw.sha256}`",
        "",
        "## 样本流程" if zh else "## Participant flow",
        "",
        to_markdown(flow_table(result.flow, result.screening.rules, lang=lang, style=style)),
        "",
        "## 筛查规则" if zh else "## Screening rules",
        "",
        to_markdown(rules_table(result.screening.rules, lang=lang, style=style)),
        "",
        "## 被标记但保留的样本" if zh else "## Flagged but kept",
        "",
        "“flag”规则及恰好达到临界值、且无第二项指标佐证的连续相同作答只标记、不剔除"
        "（Curran, 2016; Meade & Craig, 2012）。"
        if zh
        else "Rules with action “flag”, and a longstring exactly at the cut that no second "
        "indicator confirms, flag a respondent without excluding them (Curran, 2016; "
        "Meade & Craig, 2012).",
        "",
    ]
    kept = result.flagged_kept().to_dict("records")
    out += [f"- {r['id']}: {r['rules']}" for r in kept] or [f"- {none}"]
    dropped = ", ".join(
        f"{r['column']} ({r['kind']})" for r in result.personal_data.to_dict("records")
    )
    out += [
        "",
        "## 个人信息" if zh else "## Personal data",
        "",
        ("已删除的列: " if zh else "Columns dropped: ") + (dropped or none),
        "",
        "## 缺失值" if zh else "## Missing data",
        "",
        missing_text(result.missing, lang=lang, style=style),
    ]
    if (result.missing.by_item["n_missing"] > 0).any():
        out += ["", to_markdown(missing_table(result.missing, lang=lang, style=style))]
    out += ["", "## 警告" if zh else "## Warnings", ""]
    out += [
        f"- {w['message']}" + (f" ({w['column']})" if w["column"] else "")
        for w in result.warnings.to_dict("records")
    ] or [f"- {none}"]
    return "\n".join(out) + "\n"
