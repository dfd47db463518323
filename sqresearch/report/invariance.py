"""Measurement invariance across groups: the table of nested models and its paragraph.

Reads :func:`sqresearch.sem.invariance.measurement_invariance`'s result:
``steps`` (configural, metric, scalar, strict: χ², df, CFI, TLI, RMSEA, SRMR,
the changes Δχ², Δdf, Δp, ΔCFI, ΔRMSEA, ΔSRMR from the previous model and the
verdict "holds" / "fails"), ``rule`` ("chen" | "cheung_rensvold") and
``latent_means``.  The cut-offs printed and cited are those of
:mod:`sqresearch.thresholds` (``inv_delta_*``); the verdicts are the model's.

Examples
--------
>>> import pandas as pd
>>> from types import SimpleNamespace
>>> steps = pd.DataFrame({"cfi": [0.95, 0.948, 0.91], "delta_cfi": [None, -0.002, -0.038],
...                       "delta_rmsea": [None, 0.001, 0.016], "delta_srmr": [None, 0.004, 0.012],
...                       "verdict": [None, "holds", "fails"]},
...                      index=pd.Index(["configural", "metric", "scalar"], name="step"))
>>> inv = SimpleNamespace(steps=steps, rule="chen", latent_means=None)
>>> print(invariance_text(inv, "Gender", lang="en"))  # doctest: +NORMALIZE_WHITESPACE
A multi-group CFA across gender tested the invariance of the measurement model; a step fails
when ΔCFI ≤-0.01 together with ΔRMSEA ≥0.015 or ΔSRMR ≥0.03 (≥0.01 for scalar and strict;
Chen (2007); Cheung & Rensvold (2002)). Metric invariance holds (ΔCFI = -0.002, ΔRMSEA =
0.001, ΔSRMR = 0.004). Scalar invariance fails (ΔCFI = -0.038, ΔRMSEA = 0.016, ΔSRMR =
0.012). Scalar invariance is not established, so latent means should not be compared across
groups.
"""

from __future__ import annotations

import numpy as np

from sqresearch.errors import InputError
from sqresearch.report.common import table_note
from sqresearch.report.format import fmt_number, fmt_threshold
from sqresearch.report.labels import check_lang, label
from sqresearch.report.tables import ThesisTable
from sqresearch.thresholds import THRESHOLDS

#: The nested models, in order, with their printed names.
STEP_NAMES = {
    "configural": {"zh": "形态等价", "en": "Configural"},
    "metric": {"zh": "弱等价(载荷相等)", "en": "Metric"},
    "scalar": {"zh": "强等价(截距相等)", "en": "Scalar"},
    "strict": {"zh": "严格等价(残差相等)", "en": "Strict"},
}
_SHORT = {"configural": "形态", "metric": "弱", "scalar": "强", "strict": "严格"}

_DELTAS = {"delta_cfi": "ΔCFI", "delta_rmsea": "ΔRMSEA", "delta_srmr": "ΔSRMR"}


def _step_name(step: str, lang: str) -> str:
    return STEP_NAMES.get(step, {"zh": step, "en": step})[lang]


def _rule(rule: str, lang: str) -> str:
    """The cut-offs that mark non-invariance, in words, with their sources cited once."""
    cfi = f"ΔCFI {fmt_threshold('inv_delta_cfi', 'fit')}"
    keys = ["inv_delta_cfi"] if rule == "cheung_rensvold" else ["inv_delta_cfi", "inv_delta_rmsea"]
    cites = dict.fromkeys(c.strip() for k in keys for c in THRESHOLDS.loc[k, "source"].split(";"))
    src = ("；" if lang == "zh" else "; ").join(cites)
    if rule == "cheung_rensvold":
        return f"{cfi}（{src}）" if lang == "zh" else f"{cfi} ({src})"
    rmsea = f"ΔRMSEA {fmt_threshold('inv_delta_rmsea', 'fit')}"
    metric = f"ΔSRMR {fmt_threshold('inv_delta_srmr_metric', 'fit')}"
    scalar = fmt_threshold("inv_delta_srmr_scalar", "fit")
    if lang == "zh":
        return f"{cfi}，且{rmsea}或{metric}（强等价与严格等价为{scalar}）（{src}）"
    return f"{cfi} together with {rmsea} or {metric} ({scalar} for scalar and strict; {src})"


def invariance_table(result, group: str, *, lang: str | None = None, style: str = "thesis") -> ThesisTable:
    """Fit of the nested invariance models, their changes and the verdicts.

    Parameters
    ----------
    result : InvarianceResult
        From :func:`sqresearch.sem.invariance.measurement_invariance`.
    group : str
        The grouping variable's printed name (e.g. "性别"); a demographic
        code is looked up in the label dictionary.
    """
    lang = check_lang(lang)
    steps = result.steps
    for col in ("chisq", "df", "cfi", "tli", "rmsea", "srmr", "delta_chisq", "delta_df",
                "delta_pvalue", *_DELTAS, "verdict"):  # fmt: skip
        if col not in steps.columns:
            raise InputError("invariance table needs measurement_invariance's steps", column=col)
    data = steps.reset_index()
    data["model"] = [_step_name(s, lang) for s in data["step"]]
    data["decision"] = [label(v, lang) if isinstance(v, str) else "—" for v in data["verdict"]]
    fit = "fit"
    return ThesisTable(
        data,
        kinds={
            "chisq": "chisq",
            "df": "df",
            "cfi": fit,
            "tli": fit,
            "rmsea": "rmsea",
            "srmr": fit,
            "delta_chisq": "chisq",
            "delta_df": "df",
            "delta_pvalue": "p",
            "delta_cfi": fit,
            "delta_rmsea": fit,
            "delta_srmr": fit,
        },
        columns=[
            "model",
            "chisq",
            "df",
            "cfi",
            "tli",
            "rmsea",
            "srmr",
            "delta_chisq",
            "delta_df",
            "delta_pvalue",
            *_DELTAS,
            "decision",
        ],
        heads={"delta_pvalue": "p", **_DELTAS},
        column_groups=[
            ({"zh": "模型拟合", "en": "Model fit"}, ["chisq", "df", "cfi", "tli", "rmsea", "srmr"]),
            (
                {"zh": "与上一模型比较", "en": "Change from the previous model"},
                ["delta_chisq", "delta_df", "delta_pvalue", *_DELTAS],
            ),
        ],
        title={
            "zh": f"测量模型的跨{label(group, 'zh')}不变性检验",
            "en": f"Measurement invariance across {label(group, 'en').lower()}",
        },
        notes=[
            table_note(
                f"Δ为与上一模型之差；{_rule(result.rule, 'zh')}时等价性不成立。",
                "Δ: change from the previous model; non-invariance when "
                f"{_rule(result.rule, 'en')}.",
            )
        ],
        label="tab:invariance",
        lang=lang,
        style=style,
    )


def invariance_text(result, group: str, *, lang: str | None = None) -> str:
    """Which invariance steps hold by Chen's (2007) cut-offs, and whether latent means compare.

    ``result`` and ``group`` as for :func:`invariance_table`.  A step that
    fails is said to fail, with its changes beside it.
    """
    lang = check_lang(lang)
    group_name = label(group, lang)
    steps = result.steps
    tested = steps[steps["verdict"].isin(["holds", "fails"])]
    sentences = []
    for step, r in tested.iterrows():
        deltas = ("，" if lang == "zh" else ", ").join(
            f"{head} = {fmt_number(r[k], 'fit')}"
            for k, head in _DELTAS.items()
            if not np.isnan(float(r[k]))
        )
        holds = r["verdict"] == "holds"
        if lang == "zh":
            short = _SHORT.get(str(step), str(step))
            sentences.append(
                f"{short}等价模型（{deltas}）"
                + ("与上一模型相比拟合未明显变差，" if holds else "拟合明显变差，")
                + f"{short}等价性"
                + ("成立。" if holds else "不成立。")
            )
        else:
            name = _step_name(str(step), lang)
            sentences.append(f"{name} invariance {'holds' if holds else 'fails'} ({deltas}).")
    if lang == "zh":
        out = (
            f"以{group_name}为分组变量进行多组验证性因子分析，检验测量模型的等价性；"
            f"{_rule(result.rule, lang)}时视为不等价。" + "".join(sentences)
        )
        return out + (
            "强等价性成立，可以比较各组的潜变量均值。"
            if result.latent_means is not None
            else "强等价性未能确立，不宜比较各组的潜变量均值。"
        )
    out = (
        f"A multi-group CFA across {group_name.lower()} tested the invariance of the measurement "
        f"model; a step fails when {_rule(result.rule, lang)}. " + " ".join(sentences)
    )
    return out + (
        " Scalar invariance holds, so latent means can be compared across groups."
        if result.latent_means is not None
        else " Scalar invariance is not established, so latent means should not be compared "
        "across groups."
    )
