"""CFA and SEM tables and text (sqresearch.report.sem): fit, loadings, paths, indirect effects."""

from __future__ import annotations

import pandas as pd
import pytest

from sqresearch.report import sem as report_sem
from sqresearch.thresholds import THRESHOLDS


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cfa_text_with_a_negative_loading_is_not_judged(lang):
    est = pd.DataFrame(
        {"lhs": "F", "op": "=~", "rhs": ["f1", "f2", "f3"], "std_all": [0.7, 0.8, -0.6]}
    )
    validity = pd.DataFrame(
        {"cr": [0.04], "ave": [0.45], "negative_items": ["f3"], "sign_problem": [True]},
        index=pd.Index(["F"], name="factor"),
    )
    out = report_sem.cfa_text(est, validity, lang=lang)
    assert "f3" in out and "0.040" not in out
    assert ("聚合效度良好" not in out) if lang == "zh" else ("is supported" not in out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fit_text(lang):
    bad = report_sem.fit_text(
        {"chisq": 300, "df": 50, "cfi": 0.85, "tli": 0.84, "rmsea": 0.11, "srmr": 0.09}, lang=lang
    )
    good = report_sem.fit_text(
        {"chisq": 60, "df": 50, "cfi": 0.97, "tli": 0.96, "rmsea": 0.03, "srmr": 0.04}, lang=lang
    )
    assert "CFI = 0.850" in bad
    assert THRESHOLDS.loc["cfi", "source"] in bad
    if lang == "zh":
        assert bad.startswith("模型拟合欠佳") and "未达到参考标准" in bad
        assert good.startswith("模型拟合良好") and "未达到" not in good
    else:
        assert bad.startswith("The model fits poorly") and "miss their cut-offs" in bad
        assert good.startswith("The model fits well") and "Every index meets" in good


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sem_paths_text_flags_nonsignificant(lang):
    est = pd.DataFrame(
        {
            "lhs": ["Y", "Y"],
            "op": ["~", "~"],
            "rhs": ["X1", "X2"],
            "std_all": [0.42, 0.05],
            "pvalue": [0.0001, 0.48],
        }
    )
    out = report_sem.sem_paths_text(est, lang=lang)
    if lang == "zh":
        assert (
            "X1 → Y (β = 0.420, p < 0.001)显著" in out
            and "X2 → Y (β = 0.050, p = 0.480)不显著" in out
        )
    else:
        assert "X2 → Y (β = 0.050, p = 0.480) are not significant" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cfa_text(lang):
    est = pd.DataFrame(
        {"lhs": ["F"] * 3, "op": ["=~"] * 3, "rhs": ["a", "b", "c"], "std_all": [0.8, 0.75, 0.42]}
    )
    bad = report_sem.cfa_text(est, pd.DataFrame({"cr": [0.65], "ave": [0.41]}, index=["F"]), lang=lang)
    good = report_sem.cfa_text(
        est.assign(std_all=[0.8, 0.75, 0.7]),
        pd.DataFrame({"cr": [0.8], "ave": [0.56]}, index=["F"]),
        lang=lang,
    )
    assert "c (0.420)" in bad and "0.410" in bad
    key = "聚合效度未完全达到标准" if lang == "zh" else "not fully supported"
    assert key in bad and key not in good


def _boot(lo_indirect):
    return pd.DataFrame(
        {
            "lhs": ["ind_CVA_SOB_LOY", "tot_CVA_LOY", "SOB"],
            "op": [":=", ":=", "~"],
            "rhs": ["a1*b1", "c1 + a1*b1", "CVA"],
            "est": [0.11, 0.23, 0.4],
            "boot_se": [0.03, 0.05, 0.05],
            "ci_lower": [lo_indirect, 0.10, 0.3],
            "ci_upper": [0.17, 0.30, 0.5],
        }
    )


def test_sem_indirect_table_and_text_follow_the_intervals():
    from sqresearch.report.sem import sem_indirect_table

    sig, ns = _boot(0.06), _boot(-0.02)
    table = sem_indirect_table(sig, n_boot=1000, lang="zh")
    assert table.to_frame()["路径"].tolist() == [
        "社群顾客价值 → 社群归属感 → 品牌忠诚",
        "社群顾客价值 → 品牌忠诚",
    ]
    assert table.to_frame()["结论"].tolist() == ["显著", "显著"]
    assert "1000次Bootstrap" in table.note_lines[0]
    assert sem_indirect_table(ns, lang="en").to_frame()["Decision"].iloc[0] == "Not significant"
    zh_sig = report_sem.sem_indirect_text(sig, n_boot=1000, lang="zh")
    zh_ns = report_sem.sem_indirect_text(ns, n_boot=1000, lang="zh")
    assert "间接效应为0.110，95%百分位Bootstrap置信区间[0.060, 0.170]不包含0，效应显著" in zh_sig
    assert "[-0.020, 0.170]包含0，效应不显著" in zh_ns
    en_ns = report_sem.sem_indirect_text(ns, lang="en")
    assert "includes 0: it is not significant" in en_ns


def test_fit_table_judges_against_thresholds():
    # lavaan HolzingerSwineford1939 three-factor CFA (lavaan 0.6 tutorial output).
    fit = {"chisq": 85.306, "df": 24, "cfi": 0.931, "tli": 0.896, "rmsea": 0.092, "srmr": 0.065}
    frame = report_sem.fit_table(fit, lang="en").to_frame().set_index("Index")
    assert frame.loc["χ²/df", "Value"] == "3.554"  # computed 85.306 / 24
    assert frame.loc["CFI", "Judgement"] == "Met" and frame.loc["TLI", "Judgement"] == "Not met"
    assert frame.loc["RMSEA", "Criterion"] == "<0.08"
    two = report_sem.fit_table({"M1": fit, "M2": {**fit, "cfi": 0.8}}, lang="zh").to_frame()
    assert list(two.columns) == ["指标", "M1", "M2", "参考标准"]
