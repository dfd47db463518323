"""Correlation table, text and heatmap (sqresearch.report.correlation)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from sqresearch.report import correlation as report_correlation


def test_heatmap_annotates_the_lower_triangle_with_stars():
    corr = pd.DataFrame(
        [[1.0, 0.4, -0.2], [0.4, 1.0, 0.05], [-0.2, 0.05, 1.0]],
        index=["CVA", "SOB", "LOY"],
        columns=["CVA", "SOB", "LOY"],
    )
    pvalues = pd.DataFrame(
        [[0.0, 0.0001, 0.02], [0.0001, 0.0, 0.4], [0.02, 0.4, 0.0]],
        index=corr.index,
        columns=corr.columns,
    )
    fig = report_correlation.correlation_heatmap(corr, pvalues, labels={"LOY": "Loyalty"}, lang="en")
    ax = fig.axes[0]
    cells = sorted(t.get_text() for t in ax.texts)  # 3 diagonal + 3 below; above is masked
    assert cells == ["-0.200*", "0.050", "0.400***", "1.000", "1.000", "1.000"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["CVA", "SOB", "Loyalty"]
    assert fig.axes[1].get_ylabel() == "r"  # the colour bar
    plt.close(fig)


def test_correlation_table_stars_and_diagonal():
    from types import SimpleNamespace

    from sqresearch.model.correlation import correlation_matrix

    pairs = pd.DataFrame(
        {
            "var1": ["A", "A", "B"],
            "var2": ["B", "C", "C"],
            "r": [0.5, 0.04, -0.3],
            "pvalue": [0.0001, 0.6, 0.003],
            "n": 100,
        }
    )
    desc = pd.DataFrame(
        {"n": 100, "mean": [3.1, 3.5, 2.9], "sd": [0.8, 0.7, 0.9]}, index=list("ABC")
    )
    corr = SimpleNamespace(
        descriptives=desc,
        pairs=pairs,
        diagonal=None,
        matrix=lambda v="r": correlation_matrix(pairs, list("ABC"), None, v),
    )
    frame = report_correlation.correlation_table(corr, labels={"A": "甲", "B": "乙", "C": "丙"}).to_frame()
    assert frame["1"].tolist() == ["1", "0.500***", "0.040"]
    assert frame["2"].tolist() == ["", "1", "-0.300**"]
    assert frame["变量"].tolist() == ["1. 甲", "2. 乙", "3. 丙"]
