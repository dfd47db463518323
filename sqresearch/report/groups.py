"""The thesis difference-analysis table (差异分析表) and its interpretation text.

Input: the :class:`~sqresearch.model.groups.GroupComparison` results of
:func:`sqresearch.model.groups.compare_all` (one list per demographic
variable).  Output: one :class:`~sqresearch.report.tables.ThesisTable` per
demographic variable, constructs as rows, the variable's levels as columns
with "M ± SD", then t or F, p with stars and the significant post-hoc pairs
("3 > 1", by level code), and a paragraph (zh or en) saying which
differences hold and which do not.

Names come from the construct catalogue: construct names for the rows,
demographic level labels for the columns (when the grouping column is a
catalogue demographic code such as ``AGE``; otherwise the labels carried by
the results, e.g. from a labelled ``.sav``, or the codes).

Examples
--------
>>> import pandas as pd
>>> from sqresearch.model.groups import compare_all
>>> df = pd.DataFrame({"GENDER": [1, 2] * 6, "CVA": [4, 3, 5, 3, 4, 2, 5, 3, 4, 3, 5, 2]})
>>> tables = difference_tables(compare_all(df, {"CVA": ["CVA"]}, ["GENDER"]), lang="en")
>>> print(tables["GENDER"].to_frame().to_string(index=False))
                Variable    Male (1)  Female (2)     t         p
Community customer value 4.50 ± 0.55 2.67 ± 0.52 5.966 <0.001***
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from sqresearch.model.groups import GroupComparison
from sqresearch.report.format import fmt_number, fmt_p, star_legend
from sqresearch.report.labels import (
    active_catalogue,
    check_lang,
    construct_label,
    demographic_labels,
)
from sqresearch.report.tables import ThesisTable
from sqresearch.thresholds import threshold

#: Short names of the catalogue's demographic questions, as titles and text use them.
DEMOGRAPHIC_NAMES: dict[str, dict[str, str]] = {
    "GENDER": {"zh": "性别", "en": "gender"},
    "AGE": {"zh": "年龄", "en": "age"},
    "EDU": {"zh": "学历", "en": "education"},
    "INCOME": {"zh": "月收入", "en": "monthly income"},
    "TENURE": {"zh": "入群时长", "en": "membership tenure"},
    "STAGE": {"zh": "关系阶段", "en": "relationship stage"},
}

#: Post-hoc method names as a note or sentence prints them.
POSTHOC_NAMES: dict[str, dict[str, str]] = {
    "lsd": {"zh": "LSD法", "en": "LSD"},
    "tukey": {"zh": "Tukey HSD法", "en": "Tukey's HSD"},
    "bonferroni": {"zh": "Bonferroni法", "en": "Bonferroni"},
    "scheffe": {"zh": "Scheffé法", "en": "Scheffé"},
    "games-howell": {"zh": "Games-Howell法", "en": "Games-Howell"},
}


def _code(level: Any) -> str:
    """A level code as printed: whole numbers without ".0"."""
    if isinstance(level, float) and level.is_integer():
        return str(int(level))
    return str(level)


def _demographic_name(by: str, lang: str) -> str:
    names = DEMOGRAPHIC_NAMES.get(by)
    return by if names is None else names[lang]


def level_labels(result: GroupComparison, lang: str | None = None) -> dict[Any, str]:
    """Level -> label: the catalogue's demographic labels, else the result's, else the code.

    Examples
    --------
    >>> import pandas as pd
    >>> from sqresearch.model.groups import compare_groups
    >>> df = pd.DataFrame({"GENDER": [1, 1, 1, 2, 2, 2], "y": [1.0, 2, 4, 3, 4, 4]})
    >>> level_labels(compare_groups(df, "y", "GENDER"), "zh")
    {1: '男', 2: '女'}
    """
    lang = check_lang(lang)
    levels = result.groups["level"].tolist()
    demographic = active_catalogue().demographics.get(result.by)
    if demographic is not None:
        known = demographic.labels(lang)
        return {level: known.get(level, _code(level)) for level in levels}
    if "label" in result.groups:
        return dict(zip(levels, result.groups["label"], strict=True))
    return {level: _code(level) for level in levels}


def _pairs_text(result: GroupComparison) -> str:
    return "; ".join(f"{_code(hi)} > {_code(lo)}" for hi, lo in result.significant_pairs())


def difference_table(
    results: Sequence[GroupComparison],
    *,
    lang: str | None = None,
    style: str = "thesis",
    label: str = "",
) -> ThesisTable:
    """The difference-analysis table of several scores across one grouping variable.

    Parameters
    ----------
    results : sequence of GroupComparison
        One per construct, all grouped by the same column
        (:func:`~sqresearch.model.groups.compare_scales`).
    lang : {"zh", "en"}, optional
        Default: the active language (:func:`~sqresearch.report.labels.use_language`).
    style : {"thesis", "apa"}
    label : str
        LaTeX label; defaults to ``tab:diff_<column>``.

    Returns
    -------
    ThesisTable
        Columns: the construct, one "M ± SD" column per level (head: label
        and code), ``t`` or ``F`` (Student/ANOVA, or Welch where Levene's
        test rejects equal variances, as the notes say), ``p`` with stars,
        and for three or more levels the significant post-hoc pairs.
    """
    lang = check_lang(lang)
    if not results:
        raise ValueError("difference_table needs at least one comparison")
    by = results[0].by
    if any(r.by != by for r in results):
        raise ValueError("all comparisons of one table must share the grouping column")
    labels = level_labels(results[0], lang)
    levels = list(labels)
    kind = "t" if all(r.kind == "t" for r in results) else "anova"
    rows = []
    for result in results:
        row: dict[str, Any] = {"variable": construct_label(result.var, lang)}
        stats = dict(
            zip(
                result.groups["level"],
                zip(result.groups["mean"], result.groups["sd"], strict=True),
                strict=True,
            )
        )
        for i, level in enumerate(levels):
            mean, sd = stats.get(level, (float("nan"), float("nan")))
            row[f"level{i}"] = (
                ""
                if pd.isna(mean)
                else f"{fmt_number(mean, 'mean', style=style)} ± {fmt_number(sd, 'sd', style=style)}"
            )
        row["statistic"] = result.statistic
        row["p"] = result.pvalue
        if kind == "anova":
            row["posthoc"] = _pairs_text(result) or "—"
        rows.append(row)
    data = pd.DataFrame(rows)
    stat_head = "t" if kind == "t" else "F"
    heads: dict[str, Any] = {
        "variable": {"zh": "变量", "en": "Variable"},
        "statistic": stat_head,
        "p": "p",
    }
    for i, level in enumerate(levels):
        heads[f"level{i}"] = (
            f"{labels[level]}({_code(level)})"
            if lang == "zh"
            else f"{labels[level]} ({_code(level)})"
        )
    columns = ["variable", *[f"level{i}" for i in range(len(levels))], "statistic", "p"]
    if kind == "anova":
        heads["posthoc"] = {"zh": "事后比较", "en": "Post hoc"}
        columns.append("posthoc")
    name = {lang_: _demographic_name(by, lang_) for lang_ in ("zh", "en")}
    return ThesisTable(
        data,
        kinds={"statistic": "t" if kind == "t" else "f", "p": "p"},
        title={"zh": f"不同{name['zh']}在各变量上的差异分析", "en": f"Differences by {name['en']}"},
        notes=_notes(results, kind, lang, style),
        label=label or f"tab:diff_{by}",
        heads=heads,
        columns=columns,
        stars={"p": "p"},
        lang=lang,
        style=style,
    )


def _notes(results: Sequence[GroupComparison], kind: str, lang: str, style: str) -> list[str]:
    welch = [construct_label(r.var, lang) for r in results if not r.equal_variances]
    if lang == "zh":
        test = "独立样本t检验" if kind == "t" else "单因素方差分析"
        note = f"注：表中数值为均值 ± 标准差，括号内为组别编号；采用{test}"
        if welch:
            note += f"，{'、'.join(welch)}的Levene检验拒绝方差齐性，报告Welch检验结果"
        methods = sorted({r.posthoc_method for r in results if r.posthoc_method})
        if methods:
            note += f"；事后比较采用{'、'.join(POSTHOC_NAMES[m]['zh'] for m in methods)}，“3 > 1”表示第3组均值显著高于第1组"
        return [note + "。", star_legend("zh", style=style)]
    test = "independent-samples t-test" if kind == "t" else "one-way ANOVA"
    note = f"Note. Values are M ± SD; group codes in parentheses. {test[0].upper() + test[1:]}"
    if welch:
        note += f"; Welch's test where Levene's test rejected equal variances ({', '.join(welch)})"
    methods = sorted({r.posthoc_method for r in results if r.posthoc_method})
    if methods:
        note += (
            f". Post hoc comparisons: {', '.join(POSTHOC_NAMES[m]['en'] for m in methods)};"
            ' "3 > 1" means group 3 scored significantly higher than group 1'
        )
    return [note + ".", star_legend("en", style=style)]


def difference_heading(by: str, lang: str | None = None) -> str:
    """The chapter heading of the differences across ``by``: "性别差异" / "Gender".

    Examples
    --------
    >>> difference_heading("GENDER", "zh"), difference_heading("GENDER", "en")
    ('性别差异', 'Gender')
    """
    lang = check_lang(lang)
    name, _ = demographic_labels(by, lang)
    return f"{name}差异" if lang == "zh" else name[:1].upper() + name[1:]


def difference_tables(
    comparisons: Mapping[str, Sequence[GroupComparison]],
    *,
    lang: str | None = None,
    style: str = "thesis",
) -> dict[str, ThesisTable]:
    """:func:`difference_table` for every grouping variable of :func:`~sqresearch.model.groups.compare_all`."""
    lang = check_lang(lang)
    return {
        by: difference_table(results, lang=lang, style=style) for by, results in comparisons.items()
    }


# --------------------------------------------------------------------------- interpretation text


def _stat_text(result: GroupComparison, style: str, lang: str) -> str:
    row = result.tests.loc[result.main_test]
    if result.kind == "t":
        stat = f"t({fmt_number(row['df'], 'df' if result.main_test == 'student' else 'f', style=style)})"
    else:
        stat = f"F({fmt_number(row['df1'], 'df', style=style)}, {fmt_number(row['df2'], 'df' if result.main_test == 'anova' else 'f', style=style)})"
    p = fmt_p(result.pvalue, style=style)
    p_text = f"p < {p[1:].strip()}" if p.startswith("<") else f"p = {p}"
    value = fmt_number(result.statistic, "t" if result.kind == "t" else "f", style=style)
    return f"{stat} = {value}{'，' if lang == 'zh' else ', '}{p_text}"


def difference_text(
    results: Sequence[GroupComparison],
    *,
    lang: str | None = None,
    style: str = "thesis",
    alpha: float | None = None,
) -> str:
    """A paragraph on one grouping variable: which differences hold and which do not.

    Parameters
    ----------
    results : sequence of GroupComparison
        One per construct, all grouped by the same column.
    lang : {"zh", "en"}, optional
        Default: the active language (:func:`~sqresearch.report.labels.use_language`).
    style : {"thesis", "apa"}
    alpha : float, optional
        Significance level; default the ``alpha_level`` threshold (.05).

    Returns
    -------
    str
    """
    lang = check_lang(lang)
    alpha = threshold("alpha_level") if alpha is None else alpha
    if not results:
        raise ValueError("difference_text needs at least one comparison")
    by = results[0].by
    labels = level_labels(results[0], lang)
    name = _demographic_name(by, lang)
    kind = "t" if all(r.kind == "t" for r in results) else "anova"
    held = [r for r in results if r.pvalue < alpha]
    not_held = [r for r in results if r.pvalue >= alpha]
    sentences = []
    if lang == "zh":
        test = "独立样本t检验" if kind == "t" else "单因素方差分析"
        sentences.append(f"以{name}为分组变量进行{test}。")
        for r in held:
            sentences.append(
                f"不同{name}在{construct_label(r.var, 'zh')}上存在显著差异（{_stat_text(r, style, 'zh')}）"
                + _direction_zh(r, labels, alpha)
                + "。"
            )
        if not_held:
            names = "、".join(construct_label(r.var, "zh") for r in not_held)
            lead = "在" if held else f"不同{name}在"
            sentences.append(
                f"{lead}{names}上{'均' if len(not_held) > 1 else ''}不存在显著差异（p ≥ {alpha:g}）。"
            )
        welch = [construct_label(r.var, "zh") for r in results if not r.equal_variances]
        if welch:
            sentences.append(
                f"其中{'、'.join(welch)}的方差不齐（Levene检验 p < {threshold('levene_p'):g}），报告的是Welch检验结果。"
            )
        return "".join(sentences)
    test = "independent-samples t-tests" if kind == "t" else "one-way ANOVAs"
    sentences.append(f"Differences by {name} were tested with {test}.")
    for r in held:
        sentences.append(
            f"{construct_label(r.var, 'en')} differed significantly by {name} ({_stat_text(r, style, 'en')})"
            + _direction_en(r, labels, alpha)
            + "."
        )
    if not_held:
        names = _join_en([construct_label(r.var, "en") for r in not_held])
        sentences.append(f"{names} did not differ significantly by {name} (p ≥ {alpha:g}).")
    welch = [construct_label(r.var, "en") for r in results if not r.equal_variances]
    if welch:
        sentences.append(
            f"Levene's test rejected equal variances for {_join_en(welch)} (p < {threshold('levene_p'):g}), so Welch's test is reported."
        )
    return " ".join(sentences)


def _join_en(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + ", and " + words[-1]


def _means(r: GroupComparison) -> dict[Any, float]:
    return dict(zip(r.groups["level"], r.groups["mean"], strict=True))


def _direction_zh(r: GroupComparison, labels: Mapping[Any, str], alpha: float) -> str:
    means = _means(r)
    if r.kind == "t":
        hi, lo = sorted(means, key=means.get, reverse=True)
        return f"，{labels[hi]}（M = {fmt_number(means[hi], 'mean')}）高于{labels[lo]}（M = {fmt_number(means[lo], 'mean')}）"
    pairs = r.significant_pairs(alpha)
    method = POSTHOC_NAMES[r.posthoc_method]["zh"]
    if not pairs:
        return f"，但{method}事后比较未发现两两之间的显著差异"
    listed = "、".join(f"{labels[hi]}高于{labels[lo]}" for hi, lo in pairs)
    return f"，{method}事后比较显示{listed}"


def _direction_en(r: GroupComparison, labels: Mapping[Any, str], alpha: float) -> str:
    means = _means(r)
    if r.kind == "t":
        hi, lo = sorted(means, key=means.get, reverse=True)
        return f", higher for {labels[hi]} (M = {fmt_number(means[hi], 'mean')}) than for {labels[lo]} (M = {fmt_number(means[lo], 'mean')})"
    pairs = r.significant_pairs(alpha)
    method = POSTHOC_NAMES[r.posthoc_method]["en"]
    if not pairs:
        return f", although no pair differed significantly in {method} comparisons"
    listed = _join_en([f"{labels[hi]} higher than {labels[lo]}" for hi, lo in pairs])
    return f"; {method} comparisons showed {listed}"


def difference_texts(
    comparisons: Mapping[str, Sequence[GroupComparison]], *, lang: str | None = None, style: str = "thesis"
) -> dict[str, str]:
    """:func:`difference_text` for every grouping variable of :func:`~sqresearch.model.groups.compare_all`."""
    lang = check_lang(lang)
    return {
        by: difference_text(results, lang=lang, style=style) for by, results in comparisons.items()
    }


__all__ = [
    "DEMOGRAPHIC_NAMES",
    "POSTHOC_NAMES",
    "difference_table",
    "difference_tables",
    "difference_text",
    "difference_texts",
    "level_labels",
]
