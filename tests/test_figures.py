"""Figures: Chinese renders from the packaged font alone; saved bytes are reproducible."""

import io
import os
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager

from sqresearch.errors import InputError
from sqresearch.report import correlation as report_correlation
from sqresearch.report import diagrams, style
from sqresearch.report import efa as report_efa
from sqresearch.report import process as report_process
from sqresearch.report import sample as report_sample

PATHS = pd.DataFrame(
    {
        "lhs": ["SOB", "SOB", "LOY", "LOY"],
        "op": ["~"] * 4,
        "rhs": ["CVA", "IRI", "SOB", "CVA"],
        "std_all": [0.41, 0.22, 0.58, 0.04],
        "pvalue": [0.0001, 0.004, 0.0, 0.51],
    }
)


def _all_figures(lang):
    rng = np.random.default_rng(0)
    answers = pd.DataFrame(rng.integers(1, 6, size=(120, 3)), columns=["CVA1", "CVA2", "CVA3"])
    corr = pd.DataFrame(
        np.corrcoef(rng.normal(size=(3, 50))),
        index=["CVA", "SOB", "LOY"],
        columns=["CVA", "SOB", "LOY"],
    )
    x = np.linspace(1, 5, 10)
    lines = pd.concat(
        [
            pd.DataFrame(
                {
                    "label": lv,
                    "x": x,
                    "fit": s * x,
                    "ci_lower": s * x - 0.2,
                    "ci_upper": s * x + 0.2,
                }
            )
            for lv, s in (("-1SD", 0.1), ("mean", 0.3), ("+1SD", 0.5))
        ]
    )
    w = np.linspace(1, 5, 30)
    curve = pd.DataFrame(
        {"w": w, "effect": 0.1 * w - 0.2, "ci_lower": 0.1 * w - 0.4, "ci_upper": 0.1 * w}
    )
    loads = pd.DataFrame(
        {
            "lhs": ["CVA"] * 3 + ["SOB"] * 3 + ["CVA"],
            "op": ["=~"] * 6 + ["~~"],
            "rhs": ["CVA1", "CVA2", "CVA3", "SOB1", "SOB2", "SOB3", "SOB"],
            "std_all": [0.7, 0.8, 0.75, 0.6, 0.7, 0.8, 0.45],
            "pvalue": [0.0] * 7,
        }
    )
    return [
        report_sample.likert_bars(
            answers,
            ["CVA1", "CVA2", "CVA3"],
            5,
            title="社群顾客价值",
            anchors=["非常不同意", "不同意", "一般", "同意", "非常同意"],
            lang=lang,
        ),
        report_correlation.correlation_heatmap(corr, corr * 0 + 0.01, lang=lang),
        report_efa.scree_plot(
            pd.DataFrame({"eigenvalue": [3.0, 1.2, 0.5], "random": [1.3, 1.1, 0.9]}), lang=lang
        ),
        report_process.simple_slopes_plot(
            lines,
            x_label="社群顾客价值",
            y_label="社群归属感",
            moderator_label="归属需要",
            lang=lang,
        ),
        report_process.johnson_neyman_plot(curve, [4.0], moderator_label="归属需要", lang=lang),
        report_process.bootstrap_plot(rng.normal(0.2, 0.05, 1000), 0.2, (0.1, 0.3), lang=lang),
        diagrams.sem_path_diagram(PATHS, {"SOB": 0.3, "LOY": 0.4}, engine="layers", lang=lang),
        diagrams.measurement_diagram(loads, lang=lang),
    ]


def test_chinese_renders_from_packaged_font_only(no_system_fonts):
    families = style.register_fonts()
    path = font_manager.findfont(
        font_manager.FontProperties(family=families["serif"]), fallback_to_default=False
    )
    assert Path(path) == style.cjk_font_path("serif")
    assert "pylopdf_fonts_zh_cn" in Path(path).parts
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"(?s).*Glyph .* missing from font")
        figs = _all_figures("zh")
        for fig in figs:  # glyphs are looked up when drawing: raster (Agg) and PDF
            fig.canvas.draw()
            fig.savefig(io.BytesIO(), format="pdf")
            plt.close(fig)
        with style.thesis_style("sans"):  # the slide face too
            fig, ax = plt.subplots()
            ax.set_title("社群归属感 (SOB)")
            fig.canvas.draw()
            used = font_manager.findfont(font_manager.FontProperties(family=families["sans"]))
            plt.close(fig)
    assert len(figs) == 8
    assert Path(used) == style.cjk_font_path("sans")


def test_missing_glyph_warning_is_caught_without_the_font(no_system_fonts):
    # The check above can fail: without the CJK font the same drawing warns.
    fig, ax = plt.subplots()
    ax.set_title("社群", family="DejaVu Sans")
    with pytest.warns(UserWarning, match="missing from font"):
        fig.canvas.draw()
    plt.close(fig)


def test_system_font_of_same_name_is_replaced_by_the_package_file():
    families = style.register_fonts()
    entries = [e for e in font_manager.fontManager.ttflist if e.name == families["sans"]]
    assert entries and all(Path(e.fname) == style.cjk_font_path("sans") for e in entries)


def test_saved_figures_are_byte_identical(tmp_path):
    a = style.save_figure(diagrams.sem_path_diagram(PATHS, engine="layers"), tmp_path / "a")
    b = style.save_figure(diagrams.sem_path_diagram(PATHS, engine="layers"), tmp_path / "b")
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes()
    assert b"CreationDate" not in a[0].read_bytes()
    from PIL import Image

    with Image.open(a[1]) as im:
        assert round(im.info["dpi"][0]) == 300
        assert "Software" not in im.info


def test_language_switch_changes_figure_text():
    zh = report_efa.scree_plot(pd.DataFrame({"eigenvalue": [2.0, 0.5]}), lang="zh")
    en = report_efa.scree_plot(pd.DataFrame({"eigenvalue": [2.0, 0.5]}), lang="en")
    assert zh.axes[0].get_ylabel() == "特征根" and en.axes[0].get_ylabel() == "Eigenvalue"
    plt.close("all")


def test_path_layout_layers_and_cycle():
    rank = diagrams.layered_layout(PATHS)
    assert rank == {"CVA": 0, "IRI": 0, "SOB": 1, "LOY": 2}

    cyc = pd.DataFrame({"lhs": ["A", "B"], "op": ["~", "~"], "rhs": ["B", "A"], "std_all": [1, 1]})
    with pytest.raises(InputError):
        diagrams.layered_layout(cyc)


@pytest.mark.skipif(not __import__("shutil").which("dot"), reason="graphviz 'dot' not installed")
def test_dot_engine_draws_the_same_paths():
    fig = diagrams.sem_path_diagram(PATHS, engine="dot", lang="en")
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert {"0.410***", "0.220**", "0.580***", "0.040"} <= labels
    assert "Brand loyalty" in {lab.split("\n")[0] for lab in labels}  # catalogue name of LOY
    # the non-significant path is dashed
    styles = [p.get_linestyle() for p in fig.axes[0].patches if hasattr(p, "get_arrowstyle")]
    assert sum(s == "--" for s in styles) == 1
    plt.close(fig)


def _positions(fig):
    return sorted((t.get_text(), *np.round(t.get_position(), 6)) for t in fig.axes[0].texts)


@pytest.fixture
def failing_dot(tmp_path, monkeypatch):
    """A `dot` on the PATH that exits 1 with a graphviz-like message, as a broken install does."""
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'Error: <stdin>: syntax error in line 1' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.skipif(os.name == "nt", reason="the fake dot is a POSIX shell script")
def test_failing_dot_falls_back_to_layers_with_a_note(failing_dot):
    layers = diagrams.sem_path_diagram(PATHS, engine="layers", lang="en")
    with pytest.warns(diagrams.DiagramWarning) as caught:
        auto = diagrams.sem_path_diagram(PATHS, lang="en")
    assert len(caught) == 1
    note = str(caught[0].message)
    assert "\n" not in note and "exit 1" in note and "syntax error" in note and "layered" in note
    assert caught[0].filename == __file__  # points at the caller's line
    assert _positions(auto) == _positions(layers)
    with pytest.raises(InputError, match="'dot' failed"):  # asked for dot by name: no fallback
        diagrams.sem_path_diagram(PATHS, engine="dot", lang="en")
    plt.close("all")


def test_missing_dot_falls_back_to_layers_with_a_note(monkeypatch):
    monkeypatch.setattr(diagrams.shutil, "which", lambda name: None)
    layers = diagrams.sem_path_diagram(PATHS, engine="layers", lang="en")
    with pytest.warns(diagrams.DiagramWarning, match="'dot' not found; .* layered layout"):
        auto = diagrams.sem_path_diagram(PATHS, lang="en")
    assert _positions(auto) == _positions(layers)
    with pytest.raises(InputError, match="'dot' not found"):
        diagrams.sem_path_diagram(PATHS, engine="dot", lang="en")
    plt.close("all")
