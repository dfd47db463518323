"""Participant flow, cleaning paragraph and cleaning report (sqresearch.report.cleaning)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from sqresearch.clean.pipeline import clean_survey
from sqresearch.errors import InputError
from sqresearch.paths import ROOT
from sqresearch.report.cleaning import (
    cleaning_report,
    cleaning_text,
    flow_table,
    missing_table,
    rules_table,
)
from sqresearch.report.tables import to_markdown
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


@pytest.fixture(scope="module")
def cleaned():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return clean_survey(ROOT / "data/raw/wjx_tea_community_text.xlsx", ROOT / "data/codebook.yaml")


def test_rules_table_prints_each_rule_as_run(cleaned):
    frame = rules_table(cleaned.screening.rules, lang="en").to_frame().set_index("Rule")
    rules = cleaned.screening.rules.set_index("label_en")
    speeder = rules.loc["completion time too short"]
    # the speeder cut in whole seconds, its counts and source as the pipeline ran them
    assert frame.loc["completion time too short", "Cut"] == f"{speeder['cut']:.0f}"
    assert frame.loc["completion time too short", "n excluded"] == str(int(speeder["n_excluding"]))
    assert frame.loc["completion time too short", "Source"] == speeder["source"]
    flagged = rules[rules["action"] == "flag"].index
    assert len(flagged) and (frame.loc[flagged, "n excluded"] == "0").all()
    assert (frame.loc[flagged, "n flagged"] == rules.loc[flagged, "n_flagged"].astype(int).astype(str)).all()


def test_cleaning_report_renders_the_tables_through_the_table_layer(cleaned):
    zh = cleaning_report(cleaned)  # the active language: Chinese
    assert zh.startswith("# 数据清洗报告\n") and zh.endswith("\n")
    assert to_markdown(flow_table(cleaned.flow, cleaned.screening.rules)) in zh
    assert to_markdown(rules_table(cleaned.screening.rules)) in zh
    assert to_markdown(missing_table(cleaned.missing)) in zh
    assert f"SHA-256 `{cleaned.raw.sha256}`" in zh
    for column in cleaned.personal_data["column"]:
        assert column in zh  # names the dropped columns, never their values
    en = cleaning_report(cleaned, lang="en")
    assert "## Participant flow" in en and "| Step | n | Remaining |" in en
    assert f"Complete cases {cleaned.missing.complete_cases}/{cleaned.missing.n}" in en
    assert len(cleaned.warnings) and all(w in en for w in cleaned.warnings["message"])


def test_the_report_is_written_only_when_given(cleaned, tmp_path):
    paths = cleaned.write(tmp_path, report=cleaning_report(cleaned, lang="en"))
    assert paths["cleaning_report.md"].read_text(encoding="utf-8") == cleaning_report(cleaned, lang="en")
    manifest = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert "cleaning_report.md" in manifest
    paths = cleaned.write(tmp_path)
    assert "cleaning_report.md" not in paths and not (tmp_path / "cleaning_report.md").exists()
