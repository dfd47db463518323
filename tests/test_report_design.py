"""Research-design tables and text (sqresearch.report.design) and invariance reporting."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from sqresearch.constructs import get_framework
from sqresearch.errors import InputError
from sqresearch.report.design import (
    cleaning_text,
    design_text,
    flow_table,
    framework_hypotheses_table,
)
from sqresearch.report.invariance import invariance_table, invariance_text
from sqresearch.report.tables import render
from sqresearch.thresholds import THRESHOLDS

FLOW = pd.DataFrame(
    {
        "step": ["received", "screening", "attention", "speeder", "analysed"],
        "label_zh": [
            "回收问卷",
            "剔除:未通过甄别",
            "剔除:注意力检测题未通过",
            "剔除:作答时间过短",
            "有效问卷",
        ],
        "label_en": [
            "received",
            "excluded: not eligible",
            "excluded: failed attention check",
            "excluded: completion time too short",
            "analysed",
        ],
        "n": [300, 7, 21, 4, 268],
        "remaining": [300, 293, 272, 268, 268],
    }
)
RULES = pd.DataFrame(
    {
        "rule": ["speeder", "longstring", "irv", "mahalanobis"],
        "action": ["exclude", "off", "flag", "flag"],
        "setting": [1 / 3, 0.5, 0.3, 0.001],
        "cut": [96.0, 20.0, 0.3, 0.001],
        "n_flagged": [9, 0, 6, 0],
        "label_zh": ["作答时间过短", "连续相同作答", "作答变异过低", "多元离群值"],
        "label_en": ["speeder", "straight-lining", "low IRV", "outlier"],
    }
)


def test_flow_table_rows_add_up():
    table = flow_table(FLOW, RULES, lang="zh")
    frame = table.data
    excluded = frame.iloc[1:-2]["n"].astype(int)
    # received − every exclusion = analysed, and the printed total is their sum
    assert 300 - excluded.sum() == 268 == frame["n"].iloc[-1]
    assert frame["n"].iloc[-2] == excluded.sum() == 32
    assert list(excluded) == [7, 21, 4]
    assert (
        frame["step"].iloc[2] == "注意力检测题未通过"
    )  # the "剔除:" prefix is the step column's head
    # only rules that flag somebody go into the note
    assert table.note_lines == ["注：另有作答变异过低6份被标记但保留。"]


def test_flow_that_does_not_add_up_is_refused():
    broken = FLOW.assign(n=[300, 7, 21, 4, 270])
    with pytest.raises(InputError, match="does not add up"):
        flow_table(broken)
    with pytest.raises(InputError, match="does not add up"):
        cleaning_text(broken)


def test_cleaning_text_reports_the_counts_and_the_rules():
    zh = cleaning_text(FLOW, RULES, lang="zh")
    assert "回收问卷300份" in zh and "共剔除32份" in zh and "有效问卷268份" in zh
    assert "注意力检测题未通过21份" in zh
    assert "89.3%" in zh  # 268 / 300
    # speeder rule excluded, with its cut and source; longstring is off, so not mentioned
    assert "中位数的33%（96秒；" + THRESHOLDS.loc["speeder_fraction", "source"] in zh
    assert "连续相同" not in zh
    assert "标准差低于0.30" in zh and "6份仅被标记" in zh
    en = cleaning_text(FLOW, RULES, lang="en")
    assert en.startswith("Of the 300 questionnaires returned, 32 were excluded")
    assert "leaving 268 valid responses (89.3%)" in en
    assert "flagged but kept" in en and "剔除" not in en
    none = FLOW.assign(n=[300, 0, 0, 0, 300], remaining=300)
    assert "没有问卷被剔除" in cleaning_text(none, lang="zh")


def test_design_text_and_hypotheses_table_follow_the_framework():
    fw = get_framework("tea_brand_community")
    text = design_text(fw, attention_checks=1, lang="zh")
    assert f"问卷包括{len(fw.constructs)}个构念" in text
    assert (
        r"社群顾客价值(CVA)（5个题项，改编自\cite{sweeney2001consumer,zeithaml1988consumer}）"
        in text
    )
    assert "Likert 5点（1 = 非常不同意，5 = 非常同意）" in text and "1道注意力检测题" in text
    assert "注意力" not in design_text(fw, lang="zh")
    plain = design_text(fw, lang="en", latex=False)
    assert r"\cite" not in plain and "[sweeney2001consumer,zeithaml1988consumer]" in plain
    table = framework_hypotheses_table(fw, lang="en")
    assert len(table.data) == len(fw.hypotheses)
    assert (
        table.data.loc[0, "path"]
        == "Community customer value → Sense of belonging to the community"
    )
    tex = render(table, "latex")
    assert r">{\raggedright\arraybackslash}p{0.45\linewidth}" in tex  # sentences wrap
    assert fw.hypotheses[0].text_en in tex


def _invariance(scalar_fails: bool):
    # Changes as in Chen (2007): scalar with ΔCFI = −.038, ΔRMSEA = .016 fails.
    steps = pd.DataFrame(
        {
            "chisq": [210.0, 221.0, 300.0],
            "df": [96, 104, 112],
            "cfi": [0.962, 0.960, 0.922 if scalar_fails else 0.958],
            "tli": [0.95, 0.95, 0.91],
            "rmsea": [0.050, 0.049, 0.065 if scalar_fails else 0.050],
            "srmr": [0.040, 0.044, 0.056 if scalar_fails else 0.045],
            "delta_chisq": [None, 11.0, 79.0],
            "delta_df": [None, 8, 8],
            "delta_pvalue": [None, 0.2, 1e-12],
            "delta_cfi": [None, -0.002, -0.038 if scalar_fails else -0.002],
            "delta_rmsea": [None, -0.001, 0.016 if scalar_fails else 0.001],
            "delta_srmr": [None, 0.004, 0.012 if scalar_fails else 0.001],
            "verdict": [None, "holds", "fails" if scalar_fails else "holds"],
        },
        index=pd.Index(["configural", "metric", "scalar"], name="step"),
    )
    return SimpleNamespace(
        steps=steps, rule="chen", latent_means=None if scalar_fails else pd.DataFrame()
    )


def test_invariance_step_that_fails_is_said_to_fail():
    bad = _invariance(scalar_fails=True)
    zh = invariance_text(bad, "GENDER", lang="zh")
    assert "弱等价性成立" in zh and "强等价性不成立" in zh and "不宜比较" in zh
    assert "Chen (2007)" in zh and "ΔCFI ≤-0.01" in zh
    en = invariance_text(bad, "GENDER", lang="en")
    assert "Metric invariance holds" in en and "Scalar invariance fails (ΔCFI = -0.038" in en
    assert "should not be compared" in en
    table = invariance_table(bad, "GENDER", lang="zh")
    assert table.to_frame()["结论"].tolist() == ["—", "成立", "不成立"]
    assert table.caption == "测量模型的跨性别不变性检验"
    good = _invariance(scalar_fails=False)
    assert "强等价性成立，可以比较" in invariance_text(good, "GENDER", lang="zh")
    assert "invariance fails" not in invariance_text(good, "GENDER", lang="en")
