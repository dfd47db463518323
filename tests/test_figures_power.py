"""power_curve: draws in Chinese from the packaged font alone and plots the summary's numbers."""

from __future__ import annotations

import io
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.container import ErrorbarContainer

from sqresearch.errors import InputError
from sqresearch.model.power import summarise
from sqresearch.report.labels import label
from sqresearch.report.power import power_curve


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    # A PowerResult.summary built by the power module itself from replications:
    # at n = 50 'a' is significant in 9 of 20 replications, 'b' in 14; at n = 100, 16 and 19.
    rows = []
    for n, hits in ((50, {"SOB ~ CVA": 9, "ind": 14}), (100, {"SOB ~ CVA": 16, "ind": 19})):
        for param, k in hits.items():
            for rep in range(20):
                p = 0.01 if rep < k else 0.5
                rows.append((n, rep, param, 0.3, 0.1, p, 0.1, 0.5, True))
    reps = pd.DataFrame(
        rows,
        columns=["n", "rep", "param", "est", "se", "pvalue", "ci_lower", "ci_upper", "converged"],
    )
    return summarise(reps, pd.Series({"SOB ~ CVA": 0.3, "ind": 0.3}))


def _bars(fig) -> list[ErrorbarContainer]:
    return [c for c in fig.axes[0].containers if isinstance(c, ErrorbarContainer)]


def test_plotted_points_and_error_bars_are_the_summary(summary):
    fig = power_curve(summary, lang="en")
    bars = _bars(fig)
    assert [b.get_label() for b in bars] == ["SOB ~ CVA", "ind"]  # order of appearance
    expected = {"SOB ~ CVA": [0.45, 0.80], "ind": [0.70, 0.95]}  # hits / 20
    for bar in bars:
        block = summary[summary["param"] == bar.get_label()].sort_values("n")
        x, y = bar.lines[0].get_data()
        np.testing.assert_array_equal(x, block["n"])
        np.testing.assert_allclose(y, block["power"], rtol=0, atol=1e-15)
        np.testing.assert_allclose(y, expected[bar.get_label()], atol=1e-12)
        # vertical error segments span power ± 1.96·sqrt(p(1-p)/R)
        segments = bar.lines[2][0].get_segments()
        half = np.array([abs(s[1, 1] - s[0, 1]) / 2 for s in segments])
        p = np.asarray(expected[bar.get_label()])
        np.testing.assert_allclose(half, 1.96 * np.sqrt(p * (1 - p) / 20), rtol=1e-12)
    dashed = [ln for ln in fig.axes[0].lines if ln.get_linestyle() == "--"]
    assert len(dashed) == 1 and set(dashed[0].get_ydata()) == {0.80}
    assert fig.axes[0].get_xlabel() == "Sample size" and fig.axes[0].get_ylabel() == "Power"
    plt.close(fig)


def test_params_target_and_errors(summary):
    fig = power_curve(summary, params=["ind"], target=0.9, lang="en")
    assert [b.get_label() for b in _bars(fig)] == ["ind"]
    dashed = [ln for ln in fig.axes[0].lines if ln.get_linestyle() == "--"]
    assert set(dashed[0].get_ydata()) == {0.9}
    plt.close(fig)
    with pytest.raises(InputError):
        power_curve(summary, params=["LOY ~ SOB"])
    with pytest.raises(InputError):
        power_curve(summary.drop(columns="power_mcse"))


@pytest.mark.usefixtures("no_system_fonts")
def test_chinese_labels_draw_without_missing_glyphs(summary):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"(?s).*Glyph .* missing from font")
        fig = power_curve(summary, lang="zh")
        fig.canvas.draw()
        fig.savefig(io.BytesIO(), format="pdf")
    assert fig.axes[0].get_ylabel() == label("power", "zh") == "统计检验力"
    assert fig.axes[0].get_xlabel() == "样本量"
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[-1] == "目标检验力 = 0.80"
    plt.close(fig)
