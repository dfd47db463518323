"""Common-method bias beyond Harman: the method-factor tables, the marker table, their text.

Reads the results of :mod:`sqresearch.measure.method_bias`:

* :func:`ulmc_table` -- the trait model and the trait + method model side by
  side with their changes (Podsakoff et al., 2003);
* :func:`ulmc_variance_table` -- each item's variance explained by its trait
  and by the method factor, with their means (Liang et al., 2007);
* :func:`marker_table` -- correlations before and after Lindell & Whitney's
  (2001) marker correction;
* :func:`ulmc_text`, :func:`marker_text` -- the paragraphs;
* :func:`cmb_table`, :func:`cmb_text` -- Harman's single-factor test (and the
  single-factor CFA) with its paragraph.

Examples
--------
>>> import pandas as pd
>>> from sqresearch.measure.method_bias import marker_variable
>>> df = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6], "y": [2, 1, 4, 3, 6, 5],
...                    "mk": [1, 2, 2, 3, 3, 1]})
>>> marker_table(marker_variable(df, ["x", "y"], "mk"), lang="en").to_frame()["Judgement"].tolist()
['Not significant']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sqresearch.report.common import (
    Labels,
    cite_sources,
    cutoff_source,
    display_name,
    join_words,
    label_pair,
    p_phrase,
    significant,
    stars_note,
    table_note,
)
from sqresearch.report.format import fmt_number, fmt_threshold
from sqresearch.report.labels import (
    check_lang,
    label,
)
from sqresearch.report.tables import ThesisTable
from sqresearch.thresholds import THRESHOLDS, passes, threshold

_FIT = ["chisq", "df", "cfi", "tli", "rmsea", "srmr"]
_FIT_KINDS = {"chisq": "chisq", "df": "df", "cfi": "fit", "tli": "fit", "rmsea": "rmsea",
              "srmr": "fit"}  # fmt: skip
_ULMC_KEYS = ["ulmc_delta_cfi", "ulmc_delta_rmsea"]

_MODELS = {
    "trait": {"zh": "测量模型（M1）", "en": "Measurement model (M1)"},
    "trait_method": {"zh": "加入方法因子（M2）", "en": "With method factor (M2)"},
    "delta": {"zh": "变化量（M2 − M1）", "en": "Change (M2 − M1)"},
}


def _rule(lang: str, style: str) -> str:
    cfi = fmt_threshold("ulmc_delta_cfi", "fit", style=style, symbol=False)
    rmsea = fmt_threshold("ulmc_delta_rmsea", "fit", style=style, symbol=False).lstrip("-")
    src = cite_sources(_ULMC_KEYS, lang)
    if lang == "zh":
        return f"CFI提高不超过{cfi}且RMSEA下降不超过{rmsea}（{src}）"
    return f"CFI rises by at most {cfi} and RMSEA falls by at most {rmsea} ({src})"


def ulmc_table(result, *, lang: str | None = None, style: str = "thesis") -> ThesisTable:
    """Fit of the measurement model without and with the method factor, and the changes.

    Parameters
    ----------
    result : MethodFactorResult
        From :func:`sqresearch.measure.method_bias.unmeasured_method_factor`.
    """
    lang = check_lang(lang)
    rows = [
        {"model": _MODELS[m][lang], **{k: result.comparison.loc[m, k] for k in _FIT}}
        for m in ("trait", "trait_method")
    ]
    d = result.delta
    rows.append(
        {
            "model": _MODELS["delta"][lang],
            "chisq": -d["delta_chisq"],
            "df": -d["delta_df"],
            **{k: d[f"delta_{k}"] for k in ("cfi", "tli", "rmsea", "srmr")},
        }
    )
    stat = f"Δχ²({d['delta_df']:.0f}) = {fmt_number(d['delta_chisq'], 'chisq', style=style)}, {p_phrase(d['pvalue'], style)}"
    return ThesisTable(
        pd.DataFrame(rows),
        kinds=_FIT_KINDS,
        title={
            "zh": "共同方法偏差检验：控制未测单一方法潜因子",
            "en": "Common method bias: unmeasured latent method factor",
        },
        notes=[
            table_note(
                f"M2在M1基础上加入一个负荷于全部题项、与特质因子不相关的方法因子（Podsakoff et al. "
                f"(2003)）；{stat}；{_rule('zh', style)}时，方法因子未明显改善模型拟合。",
                "M2 adds to M1 a method factor loading on every item and uncorrelated with the "
                f"traits (Podsakoff et al. (2003)); {stat}; when {_rule('en', style)}, the "
                "method factor does not improve fit appreciably.",
            )
        ],
        label="tab:cmb_ulmc",
        lang=lang,
        style=style,
    )


def ulmc_variance_table(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Each item's variance explained by its trait and by the method factor (R² = λ²).

    ``result`` as for :func:`ulmc_table`; the last row holds the means.
    """
    lang = check_lang(lang)
    v = result.variance
    data = pd.DataFrame(
        {
            "construct": [display_name(c, lang, labels) for c in v["construct"]],
            "item": [str(i) for i in v.index],
            "trait_loading": v["trait_loading"].to_numpy(),
            "trait_variance": v["trait_variance"].to_numpy(),
            "method_loading": v["method_loading"].to_numpy(),
            "method_pvalue": v["method_pvalue"].to_numpy(),
            "method_variance": v["method_variance"].to_numpy(),
        }
    )
    mean = {
        "construct": {"zh": "平均", "en": "Mean"}[lang],
        "item": "",
        "trait_loading": np.nan,
        "trait_variance": result.trait_share,
        "method_loading": np.nan,
        "method_pvalue": np.nan,
        "method_variance": result.method_share,
    }
    data = pd.concat([data, pd.DataFrame([mean])], ignore_index=True)
    ratio = fmt_number(result.ratio, "value", style=style, decimals=1)
    return ThesisTable(
        data,
        kinds={
            "trait_loading": "loading",
            "trait_variance": "r2",
            "method_loading": "loading",
            "method_variance": "r2",
        },  # fmt: skip
        stars={"method_loading": "method_pvalue"},
        heads={
            "trait_loading": {"zh": "标准化载荷", "en": "Loading"},
            "trait_variance": "r2",
            "method_loading": {"zh": "标准化载荷", "en": "Loading"},
            "method_variance": "r2",
        },
        column_groups=[
            ({"zh": "特质因子", "en": "Trait factor"}, ["trait_loading", "trait_variance"]),
            ({"zh": "方法因子", "en": "Method factor"}, ["method_loading", "method_variance"]),
        ],
        title={
            "zh": "特质因子与方法因子解释的题项方差",
            "en": "Item variance explained by the traits and by the method factor",
        },
        notes=[
            table_note(
                f"标准化载荷；R² = λ²（Liang et al. (2007)）；特质方差与方法方差之比约为{ratio}:1。",
                f"Standardised loadings; R² = λ² (Liang et al. (2007)); substantive to method "
                f"variance is about {ratio}:1.",
            ),
            stars_note(style),
        ],
        label="tab:cmb_ulmc_variance",
        collapse=["construct"],
        lang=lang,
        style=style,
    )


def ulmc_text(result, *, lang: str | None = None, style: str = "thesis") -> str:
    """The method-factor test: fit change, variance shares and the verdict.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> d = pd.Series({"delta_chisq": 38.54, "delta_df": 12.0, "pvalue": 0.0001,
    ...                "delta_cfi": 0.0105, "delta_tli": 0.017, "delta_rmsea": -0.033,
    ...                "delta_srmr": -0.015})
    >>> res = SimpleNamespace(delta=d, trait_share=0.445, method_share=0.164, ratio=2.71,
    ...                       fit_improves=True, method_smaller=True, admissible=True,
    ...                       verdict="method_bias")
    >>> print(ulmc_text(res, lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    Adding a method factor that loads on every item and is uncorrelated with the traits
    (Podsakoff et al. (2003)) changes the fit by Δχ²(12) = 38.540, p < 0.001, ΔCFI = 0.011 and
    ΔRMSEA = -0.033. The traits explain on average 44.5% of the items' variance and the method
    factor 16.4% (about 2.7:1; Liang et al. (2007)). The method factor improves fit beyond the
    cut-offs (CFI rises by at most 0.01 and RMSEA falls by at most 0.015 (Cheung & Rensvold
    (2002); Chen (2007))): common method variance is present, and the structural results should
    be read with this in mind.
    """
    lang = check_lang(lang)
    d = result.delta
    stat = f"Δχ²({d['delta_df']:.0f}) = {fmt_number(d['delta_chisq'], 'chisq', style=style)}, {p_phrase(d['pvalue'], style)}"
    dcfi, drmsea = (fmt_number(d[k], "fit", style=style) for k in ("delta_cfi", "delta_rmsea"))
    trait = fmt_number(100 * result.trait_share, "percent", decimals=1)
    method = fmt_number(100 * result.method_share, "percent", decimals=1)
    ratio = fmt_number(result.ratio, "value", decimals=1)
    if lang == "zh":
        out = (
            f"在测量模型中加入一个负荷于全部题项、与特质因子不相关的方法因子（Podsakoff et al. (2003)）"
            f"后，{stat}，ΔCFI = {dcfi}，ΔRMSEA = {drmsea}。特质因子平均解释题项{trait}%的方差，"
            f"方法因子平均解释{method}%（约{ratio}:1；Liang et al. (2007)）。"
        )
        if not result.admissible:
            out += "加入方法因子的模型出现不可接受解（负方差或标准化载荷大于1），上述方差分解仅供参考。"
        if result.verdict == "no_serious_bias":
            return out + (
                f"方法因子未明显改善模型拟合（{_rule(lang, style)}），且方法方差远小于特质方差，"
                "不存在严重的共同方法偏差。"
            )
        why = (
            f"方法因子明显改善了模型拟合（判断标准：{_rule(lang, style)}）"
            if result.fit_improves
            else "方法方差不小于特质方差"
        )
        return out + f"{why}，数据存在一定的共同方法变异，解释结构模型结果时需加以考虑。"
    out = (
        "Adding a method factor that loads on every item and is uncorrelated with the traits "
        f"(Podsakoff et al. (2003)) changes the fit by {stat}, ΔCFI = {dcfi} and ΔRMSEA = "
        f"{drmsea}. The traits explain on average {trait}% of the items' variance and the method "
        f"factor {method}% (about {ratio}:1; Liang et al. (2007)). "
    )
    if not result.admissible:
        out += (
            "The model with the method factor has an inadmissible solution (a negative variance "
            "or a standardised loading above 1), so this split is only indicative. "
        )
    if result.verdict == "no_serious_bias":
        return out + (
            f"The method factor does not improve fit appreciably ({_rule(lang, style)}) and "
            "method variance is far smaller than trait variance: common method bias is not a "
            "serious concern."
        )
    why = (
        f"The method factor improves fit beyond the cut-offs ({_rule(lang, style)})"
        if result.fit_improves
        else "Method variance is not smaller than trait variance"
    )
    return out + (
        f"{why}: common method variance is present, and the structural results should be read "
        "with this in mind."
    )


def marker_table(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Correlations before and after the marker correction, with their tests.

    Parameters
    ----------
    result : MarkerResult
        From :func:`sqresearch.measure.method_bias.marker_variable`.
    """
    lang = check_lang(lang)
    p = result.pairs
    arrow = "—"
    data = pd.DataFrame(
        {
            "pair": [
                f"{display_name(a, lang, labels)}{arrow}{display_name(b, lang, labels)}"
                for a, b in zip(p["v1"], p["v2"], strict=True)
            ],
            "r": p["r"].to_numpy(),
            "pvalue": p["pvalue"].to_numpy(),
            "r_adjusted": p["r_adjusted"].to_numpy(),
            "t": p["t"].to_numpy(),
            "pvalue_adjusted": p["pvalue_adjusted"].to_numpy(),
            "judgement": [
                label("significant" if s else "not_significant", lang)
                for s in p["significant_adjusted"]
            ],
        }
    )
    r_m = fmt_number(result.r_m, "r", style=style)
    marker = display_name(result.marker, lang, labels)
    return ThesisTable(
        data,
        kinds={"r": "r", "r_adjusted": "r", "t": "t", "pvalue_adjusted": "p"},
        stars={"r": "pvalue"},
        heads={
            "pair": {"zh": "变量对", "en": "Pair"},
            "r": {"zh": "原始相关r", "en": "r"},
            "r_adjusted": {"zh": "校正后相关r_A", "en": "Adjusted r_A"},
            "pvalue_adjusted": "p",
        },
        title={
            "zh": "共同方法偏差检验：标记变量法",
            "en": "Common method bias: marker-variable correction",
        },
        notes=[
            table_note(
                f"标记变量为{marker}，r_M = {r_m}（与各变量的最小正相关）；r_A = (r − r_M)/(1 − r_M)，"
                f"t检验自由度为n − 3 = {result.n - 3}（Lindell & Whitney (2001)）。",
                f"Marker: {marker}, r_M = {r_m} (its smallest positive correlation with the "
                f"variables); r_A = (r − r_M)/(1 − r_M), t test with n − 3 = {result.n - 3} df "
                "(Lindell & Whitney (2001)).",
            ),
            stars_note(style),
        ],
        label="tab:cmb_marker",
        lang=lang,
        style=style,
    )


def marker_text(result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis") -> str:
    """The marker correction: r_M, how many correlations stay significant, the verdict.

    Examples
    --------
    >>> import pandas as pd
    >>> from sqresearch.measure.method_bias import marker_variable
    >>> df = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6], "y": [2, 1, 4, 3, 6, 5],
    ...                    "mk": [1, 2, 2, 3, 3, 1]})
    >>> print(marker_text(marker_variable(df, ["x", "y"], "mk"), lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    With mk as the marker variable (Lindell & Whitney (2001)), its smallest positive correlation
    with the study variables, r_M = 0.239, was partialled out of their correlations. 0 of the 1
    significant correlations remain significant after the correction; the correlation of x and y
    loses significance, so part of this relation may be common method variance.
    """
    lang = check_lang(lang)
    p = result.pairs
    sig = int(p["significant"].sum())
    kept = int((p["significant"] & p["significant_adjusted"]).sum())
    lost = p[p["significant"] & ~p["significant_adjusted"]]
    joiner = "与" if lang == "zh" else " and "
    lost_pairs = [
        f"{display_name(a, lang, labels)}{joiner}{display_name(b, lang, labels)}"
        for a, b in zip(lost["v1"], lost["v2"], strict=True)
    ]
    r_m = fmt_number(result.r_m, "r", style=style)
    marker = display_name(result.marker, lang, labels)
    if lang == "zh":
        out = (
            f"以{marker}为标记变量（Lindell & Whitney (2001)），以其与研究变量的最小正相关"
            f"r_M = {r_m}校正各变量间的相关。原本显著的{sig}对相关中，校正后仍有{kept}对显著"
        )
        if result.verdict == "no_serious_bias":
            return out + "，共同方法偏差未改变研究变量间关系的结论。"
        return (
            out
            + f"；{join_words(lost_pairs, lang)}的相关校正后不再显著，其关系可能部分源于共同方法变异。"
        )
    out = (
        f"With {marker} as the marker variable (Lindell & Whitney (2001)), its smallest positive "
        f"correlation with the study variables, r_M = {r_m}, was partialled out of their "
        f"correlations. {kept} of the {sig} significant correlations remain significant after "
        "the correction"
    )
    if result.verdict == "no_serious_bias":
        return out + ", so common method variance does not change the conclusions."
    one = len(lost_pairs) == 1
    return out + (
        f"; the correlation{'' if one else 's'} of {', '.join(lost_pairs)} "
        f"lose{'s' if one else ''} significance, so part of "
        f"{'this relation' if one else 'these relations'} may be common method variance."
    )


# --- Harman's single-factor test --------------------------------------------


def cmb_table(
    harman,
    single_factor_test: pd.Series | None = None,
    *,
    lang: str | None = None,
    style: str = "thesis",
) -> ThesisTable:
    """Common-method bias: Harman's single-factor test (and the single-factor CFA).

    Parameters
    ----------
    harman : HarmanResult
        From :func:`sqresearch.measure.validity.harman` (``first_share`` 0–1,
        ``n_components``).
    single_factor_test : Series, optional
        From :func:`sqresearch.measure.validity.single_factor_test`
        (delta_chisq, delta_df, pvalue).
    """
    lang = check_lang(lang)
    share = 100 * harman.first_share
    rows = [
        {
            "test": label("harman_first", lang),
            "value": share,
            "criterion": f"{fmt_threshold('harman_40', scale=100)}% / {fmt_threshold('harman_50', scale=100)}%",
            "judgement": label("pass" if passes("harman_40", harman.first_share) else "fail", lang)
            + " / "
            + label("pass" if passes("harman_50", harman.first_share) else "fail", lang),
        },
        {
            "test": {"zh": "特征根大于1的成分数", "en": "Components with eigenvalue > 1"}[lang],
            "value": harman.n_components,
            "criterion": "",
            "judgement": "",
        },
    ]
    kinds = {"__share": "percent", "__ncomp": "count"}
    index = ["__share", "__ncomp"]
    if single_factor_test is not None:
        t = single_factor_test
        sig = t["pvalue"] < threshold("alpha_level")
        rows.append(
            {
                "test": {
                    "zh": f"单因子模型与测量模型比较 Δχ²(Δdf = {t['delta_df']:.0f})",
                    "en": f"Single-factor vs measurement model Δχ²(Δdf = {t['delta_df']:.0f})",
                }[lang],
                "value": t["delta_chisq"],
                "criterion": "p < 0.05" if style == "thesis" else "p < .05",
                "judgement": label("pass" if sig else "fail", lang),
            }
        )
        index.append("__delta")
        kinds["__delta"] = "chisq"
    h40, h50 = THRESHOLDS.loc["harman_40", "source"], THRESHOLDS.loc["harman_50", "source"]
    return ThesisTable(
        pd.DataFrame(rows, index=index),
        kinds={"value": "value"},
        heads={"test": label_pair("test")},
        row_kinds=kinds,
        title=label_pair("title_cmb"),
        notes=[
            table_note(
                f"未旋转主成分分析；阈值40%见{h40}，50%见{h50}。",
                f"Unrotated principal components; 40% threshold from {h40}, 50% from {h50}.",
            )
        ],
        label="tab:cmb",
        lang=lang,
        style=style,
    )


def cmb_text(
    harman, single_factor_test: pd.Series | None = None, *, lang: str | None = None, style: str = "thesis"
) -> str:
    """Harman's single-factor test against 40% and 50%, and the single-factor CFA comparison."""
    lang = check_lang(lang)
    share = fmt_number(100 * harman.first_share, "percent")
    ok40, ok50 = passes("harman_40", harman.first_share), passes("harman_50", harman.first_share)
    if lang == "zh":
        verdict = (
            "低于40%（{a}）和50%（{b}）的标准，不存在严重的共同方法偏差。"
            if ok40
            else "超过40%（{a}）但低于50%（{b}），存在一定的共同方法偏差风险。"
            if ok50
            else "超过50%（{b}），存在严重的共同方法偏差。"
        )
        out = (
            f"Harman单因子检验中，特征根大于1的成分共{harman.n_components}个，第一个成分解释了"
            f"{share}%的方差，" + verdict.format(a=cutoff_source("harman_40"), b=cutoff_source("harman_50"))
        )
    else:
        verdict = (
            "below both the 40% ({a}) and 50% ({b}) thresholds, so common method bias is "
            "not a serious concern."
            if ok40
            else "above 40% ({a}) but below 50% ({b}), a moderate risk of common method bias."
            if ok50
            else "above 50% ({b}), indicating serious common method bias."
        )
        out = (
            f"In Harman's single-factor test {harman.n_components} components have eigenvalues "
            f"above 1 and the first explains {share}% of the variance, "
            + verdict.format(a=cutoff_source("harman_40"), b=cutoff_source("harman_50"))
        )
    if single_factor_test is not None:
        t = single_factor_test
        stat = f"Δχ²({t['delta_df']:.0f}) = {fmt_number(t['delta_chisq'], 'chisq')}, {p_phrase(t['pvalue'], style)}"
        if lang == "zh":
            out += (
                f"单因子模型的拟合显著差于测量模型（{stat}），进一步说明共同方法偏差不严重。"
                if significant(t["pvalue"])
                else f"单因子模型与测量模型的拟合差异不显著（{stat}），提示可能存在共同方法偏差。"
            )
        else:
            out += (
                f" The single-factor model fits significantly worse than the measurement model "
                f"({stat}), further evidence against a dominant method factor."
                if significant(t["pvalue"])
                else f" The single-factor model does not fit significantly "
                f"worse than the measurement model ({stat}), suggesting common method bias."
            )
    return out
