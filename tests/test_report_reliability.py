"""Reliability text (sqresearch.report.reliability)."""

from __future__ import annotations

import pytest
from reportdata import reliability_result

from sqresearch.report import reliability as report_reliability
from sqresearch.thresholds import THRESHOLDS


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reliability_with_an_item_pointing_the_other_way_is_not_judged(lang):
    # measure/ flags Xa3 (e.g. bfi's C4, C5 before reverse-keying); its α is not interpretable
    out = report_reliability.reliability_text(reliability_result({"Xa": 0.75, "Xb": 0.80}, negative=["Xa3"]), lang=lang)
    if lang == "zh":
        assert "Xa3" in out and "不可解释" in out and "Xa (α = 0.750)" not in out
    else:
        assert "Xa3" in out and "cannot be interpreted" in out and "Xa (α = 0.750)" not in out
    assert "Xb (α = 0.800)" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reliability_fails_and_passes(lang):
    bad = report_reliability.reliability_text(reliability_result({"CVA": 0.55}, citc=0.2), lang=lang)
    good = report_reliability.reliability_text(reliability_result({"CVA": 0.88}), lang=lang)
    src = THRESHOLDS.loc["alpha", "source"]
    assert src in bad and src in good
    if lang == "zh":
        assert "低于" in bad and "未达到信度标准" in bad and "0.550" in bad
        assert "CVA1 (0.200)" in bad
        assert "信度良好" in good and "未达到" not in good
    else:
        assert "below" in bad and "does not meet" in bad and "0.550" in bad
        assert "meets" in good and "does not" not in good
