"""Tables and text of item analysis, normality, common-method bias and second-order CFA.

They render what the analyses decided (verdicts are not recomputed here) and
cite the cut-offs of sqresearch.thresholds.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sqresearch.measure.item_analysis import item_analysis
from sqresearch.measure.method_bias import marker_variable, unmeasured_method_factor
from sqresearch.measure.normality import normality
from sqresearch.measure.second_order import second_order_cfa
from sqresearch.report.item_analysis import item_analysis_table, item_analysis_text
from sqresearch.report.method_bias import (
    marker_table,
    marker_text,
    ulmc_table,
    ulmc_text,
    ulmc_variance_table,
)
from sqresearch.report.normality import normality_table, normality_text
from sqresearch.report.second_order import second_order_table, second_order_text
from sqresearch.report.tables import render
from sqresearch.thresholds import THRESHOLDS

TEST_DATA = Path(__file__).parent / "data"
TRAITS = {"T1": ["p1", "p2", "p3", "p4"], "T2": ["q1", "q2", "q3", "q4"],
          "T3": ["r1", "r2", "r3", "r4"]}  # fmt: skip
FIRST = {"F1": ["a1", "a2", "a3"], "F2": ["b1", "b2", "b3"], "F3": ["c1", "c2", "c3"],
         "F4": ["d1", "d2", "d3", "d4"]}  # fmt: skip


@pytest.fixture(scope="module")
def pilot():
    return pd.read_csv(TEST_DATA / "pilot_second_order.csv")


@pytest.fixture(scope="module")
def method_data():
    return pd.read_csv(TEST_DATA / "method_factor.csv")


@pytest.fixture(scope="module")
def items_result(pilot):
    return item_analysis(pilot, {"F1": FIRST["F1"], "F4": FIRST["F4"]})


def test_item_analysis_table_rows_criteria_and_decisions(items_result):
    frame = item_analysis_table(items_result, lang="zh").to_frame()
    assert frame["题项"].tolist() == ["a1", "a2", "a3", "d1", "d2", "d3", "d4", "判标准则"]
    assert frame["备注"].tolist()[:-1] == ["保留"] * 6 + ["考虑删除"]
    assert frame["未达标准的指标"].iloc[6] == "校正题总相关、题项删除后α、共同性、因素负荷量"
    assert frame.iloc[-1].tolist()[2:8] == ["≥3", "≥0.40", "≥0.40", "≤α", "≥0.20", "≥0.45"]
    en = item_analysis_table(items_result, lang="en", style="apa").to_frame()
    assert en["Decision"].iloc[6] == "Consider deleting"
    # CR of d4 with its stars, as the analysis computed it
    cr = items_result.items.loc[("F4", "d4"), "cr"]
    assert en["CR"].iloc[6] == f"{cr:.3f}***"
    for fmt in ("latex", "docx", "markdown", "html", "xlsx"):
        assert render(item_analysis_table(items_result), fmt)


def test_item_analysis_text_names_flagged_items_and_source(items_result, pilot):
    src = THRESHOLDS.loc["item_cr", "source"]
    zh = item_analysis_text(items_result, lang="zh")
    assert src in zh and "题项d4（校正题总相关 = 0.139" in zh and "共6个题项达到各项标准" in zh
    en = item_analysis_text(items_result, lang="en")
    assert "d4 (CITC = 0.139; α if deleted = 0.784" in en
    clean = item_analysis(pilot, {"F1": FIRST["F1"]})
    assert "All 3 items meet every criterion" in item_analysis_text(clean, lang="en")
    assert "全部3个题项均达到各项标准" in item_analysis_text(clean, lang="zh")


def test_normality_table_and_text_follow_the_verdicts(pilot):
    ok = normality(pilot, FIRST["F1"] + FIRST["F4"])
    frame = normality_table(ok, lang="en").to_frame()
    assert frame["Item"].tolist()[-1] == "Multivariate (Mardia)"
    assert frame.iloc[-1, 4] == f"{ok.mardia['kurtosis_cr']:.3f}"
    assert "robust" not in normality_text(ok, lang="en")
    assert "可以采用极大似然法估计" in normality_text(ok, lang="zh")
    rng = np.random.default_rng(5)
    skewed = pd.DataFrame({"a": rng.exponential(size=400) ** 2, "b": rng.normal(size=400),
                           "c": rng.normal(size=400)})  # fmt: skip
    bad = normality(skewed, rule="curran")
    en = normality_text(bad, lang="en")
    assert "a misses |skewness| <2 and |kurtosis| <7 (Curran, West & Finch (1996))" in en
    assert "robust maximum likelihood (MLR" in en
    assert "稳健极大似然估计（MLR" in normality_text(bad, lang="zh")
    assert normality_table(bad, lang="zh").to_frame()["结果"].tolist() == ["未达标", "达标", "达标",
                                                                         "未达标"]  # fmt: skip


def test_ulmc_tables_and_text(method_data):
    res = unmeasured_method_factor(method_data, TRAITS)
    fit = ulmc_table(res, lang="en").to_frame()
    assert fit["Model"].tolist() == ["Measurement model (M1)", "With method factor (M2)",
                                     "Change (M2 − M1)"]  # fmt: skip
    assert fit["χ²"].tolist() == ["73.263", "34.721", "-38.542"]
    var = ulmc_variance_table(res, lang="zh").to_frame()
    assert var["变量"].iloc[-1] == "平均" and var.iloc[-1, 3] == f"{res.trait_share:.3f}"
    text = ulmc_text(res, lang="en")
    assert "Δχ²(12) = 38.542, p < 0.001" in text and "44.5%" in text and "16.4%" in text
    assert "common method variance is present" in text
    for fmt in ("latex", "docx", "markdown"):
        assert render(ulmc_variance_table(res), fmt)


def test_ulmc_text_no_bias_and_inadmissible_branches():
    d = pd.Series({"delta_chisq": 5.0, "delta_df": 12.0, "pvalue": 0.96, "delta_cfi": 0.002,
                   "delta_tli": 0.001, "delta_rmsea": -0.003, "delta_srmr": -0.002})  # fmt: skip
    res = SimpleNamespace(delta=d, trait_share=0.5, method_share=0.02, ratio=25.0,
                          fit_improves=False, method_smaller=True, admissible=False,
                          verdict="no_serious_bias")  # fmt: skip
    zh = ulmc_text(res, lang="zh")
    assert "不存在严重的共同方法偏差" in zh and "不可接受解" in zh
    en = ulmc_text(res, lang="en")
    assert "not a serious concern" in en and "inadmissible" in en and "about 25.0:1" in en


def test_marker_table_and_text(method_data):
    res = marker_variable(method_data, TRAITS, "mk")
    frame = marker_table(res, lang="en").to_frame()
    assert frame["Pair"].tolist() == ["T1—T2", "T1—T3", "T2—T3"]
    assert frame["Adjusted r_A"].tolist() == ["0.248", "0.171", "0.306"]
    assert "r_M = 0.168" in marker_text(res, lang="en")
    assert "校正后仍有3对显著" in marker_text(res, lang="zh")
    lost = marker_variable(method_data, TRAITS, "mk", r_m=0.30)
    assert "the correlation of T1 and T3 loses significance" in marker_text(lost, lang="en")
    assert "T1与T3的相关校正后不再显著" in marker_text(lost, lang="zh")


def test_second_order_table_and_text(pilot):
    res = second_order_cfa(pilot, FIRST, {"G": ["F1", "F2", "F3", "F4"]})
    frame = second_order_table(res, lang="en").to_frame()
    assert frame["Construct"].tolist() == ["G", "F1", "F2", "F3", "F4"]
    assert frame["CR"].tolist()[0] == f"{res.reliability.loc['G', 'cr']:.3f}"
    en = second_order_text(res, lang="en")
    assert f"T = {res.target:.3f} (Marsh & Hocevar (1985))" in en
    assert "meeting CR ≥0.70 and AVE ≥0.50" in en
    assert "目标系数T = 0.965" in second_order_text(res, lang="zh")
