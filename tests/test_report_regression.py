"""Hierarchical regression table (sqresearch.report.regression)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sqresearch.report import regression as report_regression


def test_regression_table_models_side_by_side():
    from sqresearch.model.regression import hierarchical_regression

    rng = np.random.default_rng(0)
    d = pd.DataFrame({"X": rng.normal(size=200), "G": rng.integers(1, 3, 200)})
    d["Y"] = 0.5 * d["X"] + rng.normal(size=200)
    res = hierarchical_regression(d, "Y", {"c": ["G"], "m": ["X"]}, categorical={"G": 1})
    t = report_regression.regression_table(res, lang="en")
    frame = t.to_frame()
    assert [g[1] for g in t.column_groups] == [["beta_1", "t_1"], ["beta_2", "t_2"]]
    assert frame.iloc[-1, 0] == "ΔF" and frame.iloc[-5, 0] == "R²"
    last = res.steps.iloc[-1]
    assert frame.iloc[-5, 3] == f"{last['r2']:.3f}"
    assert frame.iloc[-1, 3].endswith("***")  # X adds a highly significant ΔR²
