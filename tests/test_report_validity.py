"""Discriminant-validity text (sqresearch.report.validity)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sqresearch.report import validity as report_validity


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_discriminant_text_htmt_and_fornell_larcker(lang):
    codes = ["A", "B", "C"]
    high = pd.DataFrame([[1, 0.95, 0.4], [0.95, 1, 0.5], [0.4, 0.5, 1]], index=codes, columns=codes)
    low = pd.DataFrame([[1, 0.6, 0.4], [0.6, 1, 0.5], [0.4, 0.5, 1]], index=codes, columns=codes)
    fl_bad = pd.DataFrame(
        [[0.7, 0.8, 0.4], [0.8, 0.75, 0.5], [0.4, 0.5, 0.9]], index=codes, columns=codes
    )
    bad = report_validity.discriminant_text(fl_bad, high, lang=lang)
    good = report_validity.discriminant_text(fl_bad.where(fl_bad < 0.7, 0.3) + np.eye(3) * 0.6, low, lang=lang)
    assert "0.950" in bad
    if lang == "zh":
        assert "不满足Fornell-Larcker准则" in bad and "区分效度不足" in bad
        assert "满足Fornell-Larcker准则" in good and "区分效度良好" in good and "不满足" not in good
    else:
        assert "failing the Fornell–Larcker criterion" in bad
        assert "not supported" in bad
        assert "meeting the Fornell–Larcker criterion" in good and "supporting" in good
