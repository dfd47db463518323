"""Measurement-invariance table and text (sqresearch.report.invariance)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from sqresearch.report.invariance import invariance_table, invariance_text


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
