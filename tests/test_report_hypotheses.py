"""Hypotheses and discussion text, robustness table (sqresearch.report.hypotheses, .sem)."""

from __future__ import annotations

import pandas as pd

from sqresearch.report import hypotheses as report_hypotheses


def test_hypotheses_text():
    s = pd.DataFrame({"id": ["H1", "H2", "H3"], "supported": [True, False, True]})
    assert report_hypotheses.hypotheses_text(s, lang="zh") == "共检验3个假设，H1、H3得到支持，H2未得到支持。"
    assert (
        report_hypotheses.hypotheses_text(s, lang="en")
        == "Of 3 hypotheses, H1 and H3 are supported and H2 is not."
    )


def _estimates(p_sob):
    return pd.DataFrame(
        {
            "lhs": ["SOB", "LOY"],
            "op": ["~", "~"],
            "rhs": ["CVA", "SOB"],
            "std_all": [0.3, 0.5],
            "pvalue": [p_sob, 0.001],
        }
    )


def test_discussion_text_and_robustness_table():
    from sqresearch.report.sem import robustness_table

    summary = pd.DataFrame({"id": ["H1", "H2"], "supported": [True, False]})
    same = report_hypotheses.discussion_text(summary, _estimates(0.01), _estimates(0.02), n_robust=500)
    assert "H1得到支持" in same and "H2未得到支持" in same
    assert "（n = 500）" in same and "均未改变，结果稳健" in same
    changed = report_hypotheses.discussion_text(
        summary, _estimates(0.01), _estimates(0.2), n_robust=500, lang="en"
    )
    assert "H1 is supported and H2 is not" in changed
    assert (
        "Community customer value → Sense of belonging to the community changes its significance"
        in changed
    )
    table = robustness_table(_estimates(0.01), _estimates(0.2), n_main=470, n_robust=500, lang="en")
    frame = table.to_frame()
    assert frame.iloc[0].tolist()[1:] == ["0.300*", "0.010", "0.300", "0.200"]
    assert [h.text for h in table.header_rows()[0] if h.span == 2] == [
        "Main analysis (n = 470)",
        "Careless respondents kept (n = 500)",
    ]
