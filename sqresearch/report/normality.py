"""Normality before ML estimation: AMOS's "Assessment of normality" table and its paragraph.

Reads :func:`sqresearch.measure.normality.normality`'s result: per item
skewness and excess kurtosis with their critical ratios (statistic / SE) and
the verdict of the chosen rule (Kline 2016, or Curran, West & Finch 1996),
and Mardia's multivariate kurtosis with the critical ratio AMOS prints. The
paragraph advises robust estimation when either check fails; the verdicts
are the analysis's (``robust_advised``).

Examples
--------
>>> from semopy.examples import holzinger39
>>> from sqresearch.measure.normality import normality
>>> res = normality(holzinger39.get_data(), [f"x{i}" for i in range(1, 10)])
>>> normality_table(res, lang="en").to_frame()["Item"].tolist()[-1]
'Multivariate (Mardia)'
"""

from __future__ import annotations

import pandas as pd

from sqresearch.report.common import cite_sources, join_words, p_phrase, table_note
from sqresearch.report.format import fmt_number, fmt_threshold
from sqresearch.report.labels import check_lang, label
from sqresearch.report.tables import ThesisTable


def _rule(result, lang: str, style: str) -> str:
    skew_key, kurt_key = result.threshold_keys
    src = cite_sources([skew_key], lang)
    skew, kurt = fmt_threshold(skew_key, style=style), fmt_threshold(kurt_key, style=style)
    if lang == "zh":
        return f"偏度绝对值{skew}且峰度绝对值{kurt}（{src}）"
    return f"|skewness| {skew} and |kurtosis| {kurt} ({src})"


def normality_table(result, *, lang: str | None = None, style: str = "thesis") -> ThesisTable:
    """Skewness and kurtosis with critical ratios per item, and Mardia's coefficient.

    Parameters
    ----------
    result : NormalityResult
        From :func:`sqresearch.measure.normality.normality`.
    """
    lang = check_lang(lang)
    items = result.items
    data = pd.DataFrame(
        {
            "item": [str(i) for i in items.index],
            "skewness": items["skewness"].to_numpy(),
            "z_skewness": items["z_skewness"].to_numpy(),
            "kurtosis": items["kurtosis"].to_numpy(),
            "z_kurtosis": items["z_kurtosis"].to_numpy(),
            "judgement": [label("pass" if ok else "fail", lang) for ok in items["normal"]],
        }
    )
    m = result.mardia
    multivariate = {
        "item": {"zh": "多元正态（Mardia）", "en": "Multivariate (Mardia)"}[lang],
        "skewness": "",
        "z_skewness": "",
        "kurtosis": float(m["kurtosis"]),
        "z_kurtosis": float(m["kurtosis_cr"]),
        "judgement": label("pass" if result.multivariate_ok else "fail", lang),
    }
    data = pd.concat([data, pd.DataFrame([multivariate])], ignore_index=True)
    cr = fmt_threshold("mardia_kurtosis_cr", style=style)
    cr_src = {x: cite_sources(["mardia_kurtosis_cr"], x) for x in ("zh", "en")}
    return ThesisTable(
        data,
        kinds={"skewness": "skew", "z_skewness": "z", "kurtosis": "kurtosis", "z_kurtosis": "z"},
        heads={
            "z_skewness": {"zh": "临界比", "en": "c.r."},
            "z_kurtosis": {"zh": "临界比", "en": "c.r."},
        },
        title={"zh": "正态性检验", "en": "Assessment of normality"},
        notes=[
            table_note(
                f"峰度为超额峰度；临界比 = 统计量/标准误。单变量标准：{_rule(result, 'zh', style)}；"
                f"多元标准：Mardia系数的临界比{cr}（{cr_src['zh']}）。",
                f"Kurtosis is excess kurtosis; c.r. = statistic / SE. Univariate rule: "
                f"{_rule(result, 'en', style)}; multivariate: critical ratio of Mardia's "
                f"coefficient {cr} ({cr_src['en']}).",
            )
        ],
        label="tab:normality",
        lang=lang,
        style=style,
    )


def normality_text(result, *, lang: str | None = None, style: str = "thesis") -> str:
    """Univariate and multivariate normality, and robust estimation when either fails.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> from sqresearch.measure.normality import normality
    >>> res = normality(holzinger39.get_data(), [f"x{i}" for i in range(1, 10)])
    >>> print(normality_text(res, lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    Skewness ranges from -0.353 to 0.867 and kurtosis from -0.888 to 1.240; every item meets
    |skewness| <3 and |kurtosis| <10 (Kline (2016)). Mardia's multivariate kurtosis is 4.591
    (c.r. = 2.830, below 5; Bentler (2005); Byrne (2016)), so the data are close enough to
    multivariate normal for maximum likelihood estimation.
    """
    lang = check_lang(lang)
    items = result.items
    rng = {
        k: (
            fmt_number(items[k].min(), "skew", style=style),
            fmt_number(items[k].max(), "skew", style=style),
        )
        for k in ("skewness", "kurtosis")
    }
    bad = [str(i) for i, ok in items["normal"].items() if not ok]
    m = result.mardia
    kurt = fmt_number(m["kurtosis"], "kurtosis", style=style)
    cr = fmt_number(m["kurtosis_cr"], "z", style=style)
    cut = fmt_threshold("mardia_kurtosis_cr", style=style, symbol=False)
    src = cite_sources(["mardia_kurtosis_cr"], lang)
    skew_test = (
        f"χ²({m['skew_df']:.0f}) = {fmt_number(m['skew_chisq'], 'chisq', style=style)}, "
        f"{p_phrase(m['skew_pvalue'], style)}"
    )
    if lang == "zh":
        out = (
            f"各题项的偏度介于{rng['skewness'][0]}～{rng['skewness'][1]}，峰度介于"
            f"{rng['kurtosis'][0]}～{rng['kurtosis'][1]}；"
        )
        out += (
            f"全部题项满足{_rule(result, lang, style)}的标准。"
            if not bad
            else f"题项{join_words(bad, lang)}未满足{_rule(result, lang, style)}的标准。"
        )
        if result.multivariate_ok:
            out += f"Mardia多元峰度系数为{kurt}（临界比 = {cr}，小于{cut}；{src}）"
        else:
            out += (
                f"Mardia多元峰度系数为{kurt}（临界比 = {cr}，超过{cut}；{src}），"
                f"多元偏度检验{skew_test}，数据偏离多元正态分布"
            )
        if result.robust_advised:
            return out + (
                "。因此，后续验证性因子分析与结构方程模型宜采用稳健极大似然估计（MLR，"
                "Satorra-Bentler校正χ²与稳健标准误）或Bootstrap法检验参数的显著性。"
            )
        return out + "，数据近似服从多元正态分布，可以采用极大似然法估计。"
    out = (
        f"Skewness ranges from {rng['skewness'][0]} to {rng['skewness'][1]} and kurtosis from "
        f"{rng['kurtosis'][0]} to {rng['kurtosis'][1]}; "
    )
    out += (
        f"every item meets {_rule(result, lang, style)}. "
        if not bad
        else f"{join_words(bad, lang)} {'misses' if len(bad) == 1 else 'miss'} "
        f"{_rule(result, lang, style)}. "
    )
    if result.multivariate_ok:
        out += f"Mardia's multivariate kurtosis is {kurt} (c.r. = {cr}, below {cut}; {src})"
    else:
        out += (
            f"Mardia's multivariate kurtosis is {kurt} (c.r. = {cr}, above {cut}; {src}) and the "
            f"multivariate skewness test gives {skew_test}: the data depart from multivariate "
            "normality"
        )
    if result.robust_advised:
        return out + (
            ". The CFA and structural models should therefore use robust maximum likelihood "
            "(MLR: Satorra-Bentler scaled χ² and robust standard errors) or bootstrap "
            "significance tests."
        )
    return out + (
        ", so the data are close enough to multivariate normal for maximum likelihood estimation."
    )
