"""Sample tables (sqresearch.report.sample): demographics and item descriptives."""

from __future__ import annotations

import pandas as pd

from sqresearch.report import sample as report_sample


def test_descriptives_table_from_item_descriptives():
    from sqresearch.measure.descriptives import item_descriptives

    d = pd.DataFrame({"q1": [1, 2, 2, 3, 5], "q2": [4, 4, 5, 5, 3]})
    t = report_sample.descriptives_table(item_descriptives(d), lang="en")
    frame = t.to_frame()
    assert frame["Skewness"].tolist() == ["1.118", "-0.512"]  # SPSS G1 of q1: 1.1181
    assert "all meet this rule" in t.note_lines[0]
    heavy = item_descriptives(d).assign(kurtosis=[12.0, 0.1])  # |kurtosis| ≥ 10 fails
    assert "not all meet" in report_sample.descriptives_table(heavy, lang="en").note_lines[0]


def test_demographics_table_uses_catalogue_labels():
    freq = pd.DataFrame(
        {
            "variable": ["GENDER", "GENDER", "EDU"],
            "category": [1, 2, 3],
            "n": [100, 120, 80],
            "percent": [45.454, 54.546, 36.4],
        }
    )
    zh = report_sample.demographics_table(freq, lang="zh").to_frame()
    assert zh.iloc[:, 0].tolist() == ["性别", "", "学历"]
    assert zh.iloc[:, 1].tolist() == ["男", "女", "本科"]
    assert zh.iloc[:, 3].tolist() == ["45.45", "54.55", "36.40"]
    en = report_sample.demographics_table(freq, lang="en").to_frame()
    assert en.iloc[:, 1].tolist() == ["Male", "Female", "Bachelor's degree"]
