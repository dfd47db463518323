"""Harman's test text (sqresearch.report.method_bias)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sqresearch.report import method_bias as report_method_bias


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cmb_text(lang):
    h = SimpleNamespace(first_share=0.55, n_components=1)
    ok = SimpleNamespace(first_share=0.31, n_components=4)
    bad, good = report_method_bias.cmb_text(h, lang=lang), report_method_bias.cmb_text(ok, lang=lang)
    assert "55.00%" in bad and "31.00%" in good
    assert (
        ("严重的共同方法偏差" in bad and "不存在严重" in good)
        if lang == "zh"
        else ("serious common method bias" in bad and "not a serious concern" in good)
    )
