"""Model repair: the largest modification indices, nested-model comparison, and the estimator.

Renders :func:`sqresearch.sem.modindices.modification_indices`,
:func:`sqresearch.sem.compare.compare_models` and
:func:`sqresearch.measure.normality.estimator_recommendation`; the numbers
and verdicts are theirs. The paragraph on modification indices always says
that a change needs a theoretical reason and new data to confirm it
(MacCallum, Roznowski & Necowitz, 1992): students otherwise free the largest
MI until the fit indices pass.

Examples
--------
>>> import pandas as pd
>>> mi = pd.DataFrame({"lhs": ["visual", "x7"], "op": ["=~", "~~"], "rhs": ["x9", "x8"],
...                    "mi": [36.41, 34.15], "epc": [0.577, 0.536], "sepc_all": [0.515, 0.859],
...                    "pvalue": [1e-9, 1e-8]})
>>> print(modindices_text(mi, lang="en"))  # doctest: +NORMALIZE_WHITESPACE
The largest modification index is 36.410 (visual =~ x9; standardised EPC = 0.515), followed
by x7 ~~ x8 (MI = 34.150). Modification indices capitalise on chance: a parameter should be
freed only when theory explains it (for example, items sharing wording or a method), and the
re-specified model should be confirmed in new data (MacCallum, Roznowski & Necowitz, 1992).
"""

from __future__ import annotations

import pandas as pd

from sqresearch.errors import InputError
from sqresearch.report.common import table_note
from sqresearch.report.format import fmt_number
from sqresearch.report.labels import check_lang
from sqresearch.report.tables import ThesisTable

CAUTION = {
    "zh": "修正指数是依据数据的搜索，容易利用偶然性：只有当理论能够解释时（如题目措辞相近或共享同一方法）"
    "才可释放相应参数，且修正后的模型应在新的样本中加以验证（MacCallum, Roznowski & Necowitz, 1992）。",
    "en": "Modification indices capitalise on chance: a parameter should be freed only when theory "
    "explains it (for example, items sharing wording or a method), and the re-specified model "
    "should be confirmed in new data (MacCallum, Roznowski & Necowitz, 1992).",
}

_OPS = {
    "=~": {"zh": "交叉载荷", "en": "cross-loading"},
    "~~": {"zh": "误差相关", "en": "residual covariance"},
    "~": {"zh": "路径", "en": "path"},
    "~1": {"zh": "截距", "en": "intercept"},
}


def _parameter(row) -> str:
    return f"{row.lhs} {row.op} {row.rhs}".strip()


def modindices_table(
    mi: pd.DataFrame, *, top: int = 10, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """The ``top`` largest modification indices with EPC and standardised EPC.

    Parameters
    ----------
    mi : DataFrame
        From :func:`~sqresearch.sem.modindices.modification_indices`.
    top : int
        Rows to show (largest MI first).
    """
    lang = check_lang(lang)
    for col in ("lhs", "op", "rhs", "mi", "epc", "sepc_all"):
        if col not in mi.columns:
            raise InputError("the table needs modification_indices' columns", column=col)
    data = mi.sort_values("mi", ascending=False, kind="stable").head(top).copy()
    data["parameter"] = [_parameter(r) for r in data.itertuples()]
    data["type"] = [_OPS.get(op, {"zh": op, "en": op})[lang] for op in data["op"]]
    columns = ["parameter", "type", *(["group"] if "group" in data.columns else []), "mi", "epc",
               "sepc_all"]  # fmt: skip
    return ThesisTable(
        data.reset_index(drop=True),
        kinds={"mi": "chisq", "epc": "b", "sepc_all": "beta"},
        columns=columns,
        heads={
            "parameter": {"zh": "参数", "en": "Parameter"},
            "type": {"zh": "类型", "en": "Type"},
            "group": {"zh": "组别", "en": "Group"},
            "mi": "MI",
            "epc": "EPC",
            "sepc_all": {"zh": "标准化EPC", "en": "Std. EPC"},
        },
        title={"zh": "修正指数最大的参数", "en": "Largest modification indices"},
        notes=[
            table_note(
                "MI为释放该参数后χ²的预期下降（自由度为1）；EPC为参数的预期估计值。"
                + CAUTION["zh"],
                "MI: expected drop in χ² (1 df) if the parameter is freed; EPC: its expected "
                "value. " + CAUTION["en"],
            )
        ],
        label="tab:modindices",
        lang=lang,
        style=style,
    )


def modindices_text(mi: pd.DataFrame, *, lang: str | None = None) -> str:
    """The largest modification indices in words, with the warning against theory-free changes."""
    lang = check_lang(lang)
    if mi.empty:
        return (
            "没有可报告的修正指数。" if lang == "zh" else "No modification index can be reported."
        )
    ordered = mi.sort_values("mi", ascending=False, kind="stable")
    first = ordered.iloc[0]
    mi1 = fmt_number(first["mi"], "chisq")
    sepc = fmt_number(first["sepc_all"], "beta")
    if lang == "zh":
        out = f"最大的修正指数为{mi1}（{_parameter(first)}，标准化EPC = {sepc}）"
        if len(ordered) > 1:
            second = ordered.iloc[1]
            out += f"，其次为{_parameter(second)}（MI = {fmt_number(second['mi'], 'chisq')}）"
        return out + "。" + CAUTION["zh"]
    out = (
        f"The largest modification index is {mi1} ({_parameter(first)}; standardised EPC = {sepc})"
    )
    if len(ordered) > 1:
        second = ordered.iloc[1]
        out += f", followed by {_parameter(second)} (MI = {fmt_number(second['mi'], 'chisq')})"
    return out + ". " + CAUTION["en"]


def comparison_table(comparison, *, lang: str | None = None, style: str = "thesis") -> ThesisTable:
    """Nested models side by side with the χ² difference test (``lavTestLRT``)."""
    lang = check_lang(lang)
    robust = comparison.method != "standard"
    return ThesisTable(
        comparison.table.copy(),
        kinds={
            "chisq": "chisq",
            "df": "df",
            "aic": "ic",
            "bic": "ic",
            "cfi": "fit",
            "rmsea": "rmsea",
            "delta_chisq": "chisq",
            "delta_df": "df",
            "pvalue": "p",
            "delta_cfi": "fit",
        },
        columns=[
            "model",
            "chisq",
            "df",
            "cfi",
            "rmsea",
            "aic",
            "bic",
            "delta_chisq",
            "delta_df",
            "pvalue",
            "delta_cfi",
        ],  # fmt: skip
        heads={
            "model": {"zh": "模型", "en": "Model"},
            "delta_chisq": "Δχ²",
            "delta_df": "Δdf",
            "pvalue": "p",
            "delta_cfi": "ΔCFI",
        },
        title={"zh": "嵌套模型比较", "en": "Comparison of nested models"},
        notes=[
            table_note(
                "Δ为与上一行（约束较少的）模型之差；"
                + (
                    "Δχ²为Satorra–Bentler（2001）校正的差异检验，χ²、CFI与RMSEA为稳健值。"
                    if robust
                    else "Δχ²为似然比检验。"
                ),
                "Δ: change from the previous (less restricted) model; "
                + (
                    "Δχ² is the Satorra–Bentler (2001) scaled difference; χ², CFI and RMSEA are "
                    "the robust values."
                    if robust
                    else "Δχ² is the likelihood-ratio test."
                ),
            )  # fmt: skip
        ],
        label="tab:model-comparison",
        lang=lang,
        style=style,
    )


def estimator_text(recommendation, *, lang: str | None = None) -> str:
    """Why the analysis uses ML, MLR or WLSMV, citing the cut-offs it applied.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> rec = SimpleNamespace(estimator="MLR", reason="nonnormal", nonnormal=["q1"],
    ...                       max_abs_skewness=2.85, max_abs_kurtosis=7.9)
    >>> print(estimator_text(rec, lang="en"))  # doctest: +NORMALIZE_WHITESPACE
    Some items depart from normality (largest |skewness| = 2.850, |kurtosis| = 7.900; cut-offs
    2 and 7, Curran, West & Finch (1996)): the models are estimated by robust maximum likelihood
    (MLR), with Yuan–Bentler scaled χ², robust fit indices and robust standard errors, beside ML.
    """
    from sqresearch.thresholds import THRESHOLDS

    lang = check_lang(lang)
    skew, kurt = THRESHOLDS.loc["skew_abs_strict", "value"], THRESHOLDS.loc["kurtosis_abs_strict", "value"]
    source = THRESHOLDS.loc["skew_abs_strict", "source"]
    cut = f"{skew:g}" + ("、" if lang == "zh" else " and ") + f"{kurt:g}"
    s = fmt_number(recommendation.max_abs_skewness, "skew")
    k = fmt_number(recommendation.max_abs_kurtosis, "kurtosis")
    if recommendation.reason == "ordinal":
        cats = THRESHOLDS.loc["ordinal_categories"]
        if lang == "zh":
            return (
                f"题项为不超过{cats['value']:g}个等级的有序变量，故基于多分格相关矩阵以WLSMV估计"
                f"（{cats['source']}）。"
            )
        return (
            f"The items are ordinal with at most {cats['value']:g} categories, so the models are "
            f"estimated by WLSMV on the polychoric correlations ({cats['source']})."
        )
    if recommendation.reason == "nonnormal":
        if lang == "zh":
            return (
                f"部分题项偏离正态（最大|偏度| = {s}，|峰度| = {k}；临界值为{cut}，{source}），"
                "故同时报告稳健最大似然估计（MLR）的Yuan–Bentler校正χ²、稳健拟合指数与稳健标准误。"
            )
        return (
            f"Some items depart from normality (largest |skewness| = {s}, |kurtosis| = {k}; "
            f"cut-offs {cut}, {source}): the models are estimated by robust maximum likelihood "
            "(MLR), with Yuan–Bentler scaled χ², robust fit indices and robust standard errors, "
            "beside ML."
        )
    if lang == "zh":
        return f"各题项近似正态（最大|偏度| = {s}，|峰度| = {k}，均低于{cut}，{source}），采用最大似然估计。"
    return (
        f"The items are approximately normal (largest |skewness| = {s}, |kurtosis| = {k}, below "
        f"{cut}, {source}), so maximum likelihood is used."
    )
