"""Common-method bias beyond Harman: the method-factor tables, the marker table, their text.

Reads the results of :mod:`sqresearch.measure.method_bias`:

* :func:`ulmc_table` -- the trait model and the trait + method model side by
  side with their changes (Podsakoff et al., 2003);
* :func:`ulmc_variance_table` -- each item's variance explained by its trait
  and by the method factor, with their means (Liang et al., 2007);
* :func:`marker_table` -- correlations before and after Lindell & Whitney's
  (2001) marker correction;
* :func:`ulmc_text`, :func:`marker_text` -- the paragraphs.

Harman's test keeps its table and text in :mod:`sqresearch.report.thesis_tables`
and :mod:`sqresearch.report.text` (``cmb_table``, ``cmb_text``).

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

from sqresearch.report.format import fmt_number, fmt_threshold
from sqresearch.report.labels import check_lang, label
from sqresearch.report.tables import ThesisTable
from sqresearch.report.text import _join, _p, _sources
from sqresearch.report.thesis_tables import Labels, _name, _note, _stars_note

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
    src = _sources(_ULMC_KEYS, lang)
    if lang == "zh":
        return f"CFI提高不超过{cfi}且RMSEA下降不超过{rmsea}（{src}）"
    return f"CFI rises by at most {cfi} and RMSEA falls by at most {rmsea} ({src})"


def ulmc_table(result, *, lang: str = "zh", style: str = "thesis") -> ThesisTable:
    """Fit of the measurement model without and with the method factor, and the changes.

    Parameters
    ----------
    result : MethodFactorResult
        From :func:`sqresearch.measure.method_bias.unmeasured_method_factor`.
    """
    check_lang(lang)
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
    stat = f"Δχ²({d['delta_df']:.0f}) = {fmt_number(d['delta_chisq'], 'chisq', style=style)}, {_p(d['pvalue'], style)}"
    return ThesisTable(
        pd.DataFrame(rows),
        kinds=_FIT_KINDS,
        title={
            "zh": "共同方法偏差检验：控制未测单一方法潜因子",
            "en": "Common method bias: unmeasured latent method factor",
        },
        notes=[
            _note(
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
    result, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """Each item's variance explained by its trait and by the method factor (R² = λ²).

    ``result`` as for :func:`ulmc_table`; the last row holds the means.
    """
    check_lang(lang)
    v = result.variance
    data = pd.DataFrame(
        {
            "construct": [_name(c, lang, labels) for c in v["construct"]],
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
            _note(
                f"标准化载荷；R² = λ²（Liang et al. (2007)）；特质方差与方法方差之比约为{ratio}:1。",
                f"Standardised loadings; R² = λ² (Liang et al. (2007)); substantive to method "
                f"variance is about {ratio}:1.",
            ),
            _stars_note(style),
        ],
        label="tab:cmb_ulmc_variance",
        collapse=["construct"],
        lang=lang,
        style=style,
    )


def ulmc_text(result, *, lang: str = "zh", style: str = "thesis") -> str:
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
    check_lang(lang)
    d = result.delta
    stat = f"Δχ²({d['delta_df']:.0f}) = {fmt_number(d['delta_chisq'], 'chisq', style=style)}, {_p(d['pvalue'], style)}"
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
    result, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """Correlations before and after the marker correction, with their tests.

    Parameters
    ----------
    result : MarkerResult
        From :func:`sqresearch.measure.method_bias.marker_variable`.
    """
    check_lang(lang)
    p = result.pairs
    arrow = "—"
    data = pd.DataFrame(
        {
            "pair": [
                f"{_name(a, lang, labels)}{arrow}{_name(b, lang, labels)}"
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
    marker = _name(result.marker, lang, labels)
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
            _note(
                f"标记变量为{marker}，r_M = {r_m}（与各变量的最小正相关）；r_A = (r − r_M)/(1 − r_M)，"
                f"t检验自由度为n − 3 = {result.n - 3}（Lindell & Whitney (2001)）。",
                f"Marker: {marker}, r_M = {r_m} (its smallest positive correlation with the "
                f"variables); r_A = (r − r_M)/(1 − r_M), t test with n − 3 = {result.n - 3} df "
                "(Lindell & Whitney (2001)).",
            ),
            _stars_note(style),
        ],
        label="tab:cmb_marker",
        lang=lang,
        style=style,
    )


def marker_text(result, *, labels: Labels = None, lang: str = "zh", style: str = "thesis") -> str:
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
    check_lang(lang)
    p = result.pairs
    sig = int(p["significant"].sum())
    kept = int((p["significant"] & p["significant_adjusted"]).sum())
    lost = p[p["significant"] & ~p["significant_adjusted"]]
    joiner = "与" if lang == "zh" else " and "
    lost_pairs = [
        f"{_name(a, lang, labels)}{joiner}{_name(b, lang, labels)}"
        for a, b in zip(lost["v1"], lost["v2"], strict=True)
    ]
    r_m = fmt_number(result.r_m, "r", style=style)
    marker = _name(result.marker, lang, labels)
    if lang == "zh":
        out = (
            f"以{marker}为标记变量（Lindell & Whitney (2001)），以其与研究变量的最小正相关"
            f"r_M = {r_m}校正各变量间的相关。原本显著的{sig}对相关中，校正后仍有{kept}对显著"
        )
        if result.verdict == "no_serious_bias":
            return out + "，共同方法偏差未改变研究变量间关系的结论。"
        return (
            out
            + f"；{_join(lost_pairs, lang)}的相关校正后不再显著，其关系可能部分源于共同方法变异。"
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
