"""PROCESS tables, text and figures (sqresearch.report.process): mediation, moderation."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from sqresearch.errors import InputError
from sqresearch.report import process as report_process


def test_simple_slopes_lines_differ_by_dash_for_grey_print():
    from matplotlib.lines import Line2D

    from sqresearch.report.labels import label

    x = np.linspace(1, 5, 5)
    levels = (("-1SD", 0.1), ("mean", 0.3), ("+1SD", 0.5))
    lines = pd.concat([pd.DataFrame({"label": lv, "x": x, "fit": s * x}) for lv, s in levels])
    ax = report_process.simple_slopes_plot(lines, lang="en").axes[0]
    drawn = [line for line in ax.lines if len(line.get_xdata()) == 5]
    assert [list(line.get_ydata()) for line in drawn] == [list(s * x) for _, s in levels]
    # low dashed, mean solid, high dash-dot: matplotlib's own "--", "-", "-." at the same width
    for line, dash in zip(drawn, ["--", "-", "-."], strict=True):
        same = Line2D([], [], linestyle=dash, linewidth=line.get_linewidth())
        assert line._dash_pattern == same._dash_pattern  # private, but the only place dashes live
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [label(k, "en") for k in ("low", "mid", "high")]
    plt.close("all")


def test_mediation_and_moderation_text_follow_the_numbers():
    from sqresearch.model.process import process

    rng = np.random.default_rng(7)
    n = 300
    x, w = rng.normal(size=n), rng.normal(size=n)
    m = 0.6 * x + rng.normal(size=n)
    y_med = 0.5 * m + rng.normal(size=n)
    # Y0: noise residualised on X and M, so the sample b path is exactly 0: no indirect effect.
    design = np.column_stack([np.ones(n), x, m])
    noise = rng.normal(size=n)
    y_none = noise - design @ np.linalg.lstsq(design, noise, rcond=None)[0]
    d = pd.DataFrame(
        {"X": x, "M": m, "W": w, "Y1": y_med, "Y0": y_none, "Y2": 0.4 * x * w + rng.normal(size=n)}
    )
    yes = report_process.mediation_text(process(d, x="X", y="Y1", m=["M"], model=4, n_boot=500, seed=1))
    no = report_process.mediation_text(process(d, x="X", y="Y0", m=["M"], model=4, n_boot=500, seed=1))
    assert "不包含0，间接效应显著" in yes and "中介" in yes
    assert "包含0，间接效应不显著" in no and "中介效应不显著" in no
    mod = report_process.moderation_text(
        process(d, x="X", y="Y2", w="W", model=1, n_boot=100, seed=1), lang="en"
    )
    nomod = report_process.moderation_text(
        process(d, x="X", y="Y1", w="W", model=1, n_boot=100, seed=1), lang="en"
    )
    assert "is significant" in mod and "W moderates" in mod
    assert "is not significant" in nomod and "no evidence" in nomod


def test_mediation_table_decision_from_process():
    from sqresearch.model.process import process

    rng = np.random.default_rng(3)
    x = rng.normal(size=300)
    m = 0.6 * x + rng.normal(size=300)
    y = 0.5 * m + 0.0 * x + rng.normal(size=300)
    res = process(
        pd.DataFrame({"X": x, "M": m, "Y": y}), x="X", y="Y", m=["M"], model=4, n_boot=500, seed=1
    )
    frame = report_process.mediation_table(res, lang="en").to_frame()
    assert frame["Type"].tolist() == ["Total effect", "Direct effect", "Indirect effect"]
    direct_p = res.direct["pvalue"].iloc[0]
    expected = "Partial mediation" if direct_p < 0.05 else "Full mediation"
    assert frame["Decision"].iloc[2] == expected
    assert float(frame["Effect"].iloc[2]) == pytest.approx(res.indirect["effect"].iloc[0], abs=5e-4)


def test_moderated_mediation_table_blocks():

    # Conditional indirect effects at −1 SD, M, +1 SD and the index, as PROCESS model 7 prints.
    result = SimpleNamespace(
        model=7,
        n_boot=5000,
        level=0.95,
        ci_method="percentile",
        variables={"x": "CVA", "y": "LOY", "m": ["SOB"], "w": "NBL"},
        index_mm=pd.DataFrame(
            {
                "mediator": ["SOB"],
                "index": [0.117],
                "boot_se": [0.022],
                "ci_lower": [0.079],
                "ci_upper": [0.169],
            }  # fmt: skip
        ),
        indirect=pd.DataFrame(
            {
                "path": ["SOB"] * 3,
                "w": [2.84, 3.64, 4.43],
                "label": ["-1SD", "mean", "+1SD"],
                "effect": [0.061, 0.154, 0.247],
                "boot_se": [0.021, 0.025, 0.039],
                "ci_lower": [0.018, 0.103, 0.175],
                "ci_upper": [0.099, 0.201, 0.329],
            }
        ),
    )
    frame = report_process.moderated_mediation_table([result], lang="zh").to_frame()
    assert frame["中介路径"].tolist() == ["社群顾客价值 → 社群归属感 → 品牌忠诚", "", "", ""]
    assert frame["调节变量水平"].tolist() == [
        "低水平(M−1SD)",
        "均值水平(M)",
        "高水平(M+1SD)",
        "有调节的中介指数",
    ]
    assert frame["条件间接效应"].tolist() == ["0.061", "0.154", "0.247", "0.117"]
    assert frame["95% CI"].iloc[-1] == "[0.079, 0.169]"
    with pytest.raises(InputError, match="model 7, 8 or 14"):
        report_process.moderated_mediation_table([SimpleNamespace(model=4, index_mm=pd.DataFrame())])


def test_moderated_mediation_table_labels_the_interval_it_shows():
    # a 90% bias-corrected interval is labelled as one (it was "95% percentile")

    result = SimpleNamespace(
        model=7,
        n_boot=2000,
        level=0.90,
        ci_method="bc",
        variables={"x": "CVA", "y": "LOY", "m": ["SOB"], "w": "NBL"},
        index_mm=pd.DataFrame(
            {
                "mediator": ["SOB"],
                "index": [0.1],
                "boot_se": [0.02],
                "ci_lower": [0.07],
                "ci_upper": [0.15],
            }  # fmt: skip
        ),
        indirect=pd.DataFrame(
            {
                "path": ["SOB"],
                "w": [3.6],
                "label": ["mean"],
                "effect": [0.15],
                "boot_se": [0.02],
                "ci_lower": [0.1],
                "ci_upper": [0.2],
            }  # fmt: skip
        ),
    )
    for lang, note in (
        ("zh", "90%偏差校正Bootstrap置信区间"),
        ("en", "90% bias-corrected bootstrap CI"),
    ):
        table = report_process.moderated_mediation_table([result], lang=lang)
        assert "90% CI" in table.to_frame().columns
        assert note in " ".join(table.note_lines) and "95%" not in " ".join(table.note_lines)
    other = SimpleNamespace(**{**vars(result), "level": 0.95})
    with pytest.raises(InputError, match="differ in level or method"):
        report_process.moderated_mediation_table([result, other])
