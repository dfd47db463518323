"""Generated LaTeX tables (and a figure) compile with xelatex + ctex."""

import shutil
import subprocess

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from sqresearch.report import diagrams, latex
from sqresearch.report import sem as report_sem
from sqresearch.report.style import save_figure
from sqresearch.report.tables import ThesisTable, render

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("xelatex") is None, reason="xelatex not installed (.ci/run installs TeX Live)"
    ),
]


def _tables(lang):
    fit = {"chisq": 85.306, "df": 24, "cfi": 0.931, "tli": 0.896, "rmsea": 0.092, "srmr": 0.065}
    odd = ThesisTable(
        pd.DataFrame(
            {
                "v": ["社群顾客价值（CVA）", "a_b & 50% #1 $ {x} ~ ^ \\"],
                "b": [-0.456, 1.2],
                "p": [0.0001, 0.2],
                "lo": [-0.6, 0.1],
                "hi": [-0.3, 2.0],
            }
        ),
        kinds={"b": "beta", "p": "p"},
        stars={"b": "p"},
        ci={"ci": ("lo", "hi")},
        columns=["v", "b", "ci", "p"],
        column_groups=[("模型 1", ["b", "ci"])],
        title="转义：χ²/df ≤ 3，α ≥ 0.70，√AVE",
        notes=["注：* p<0.05，** p<0.01。"],
        label="tab:odd",
        lang=lang,
        style="apa",
    )
    return [report_sem.fit_table(fit, lang=lang), odd]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_and_figure_compile(tmp_path, lang):
    fig = diagrams.sem_path_diagram(
        pd.DataFrame(
            {
                "lhs": ["SOB", "LOY"],
                "op": ["~", "~"],
                "rhs": ["CVA", "SOB"],
                "std_all": [0.4, 0.5],
                "pvalue": [0.001, 0.0],
            }
        ),
        engine="layers",
        lang=lang,
    )
    save_figure(fig, tmp_path / "path")
    plt.close(fig)
    inputs = []
    for i, t in enumerate(_tables(lang)):
        render(t, "latex", path=tmp_path / f"t{i}.tex")
        inputs.append(rf"\input{{t{i}.tex}}")
    doc = "\n".join(
        [
            r"\documentclass[UTF8,zihao=-4]{ctexart}",
            latex.preamble(),
            r"\usepackage{graphicx}",
            r"\begin{document}",
            "表\\ref{tab:odd}与图\\ref{fig:path}。",
            *inputs,
            r"\begin{figure}[htbp]\centering\includegraphics[width=0.8\textwidth]{path.pdf}"
            r"\caption{路径图}\label{fig:path}\end{figure}",
            r"\end{document}",
        ]
    )
    (tmp_path / "main.tex").write_text(doc, encoding="utf-8")
    run = subprocess.run(
        ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "main.tex"],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
    )
    log = (tmp_path / "main.log").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, log[-3000:]
    assert (tmp_path / "main.pdf").stat().st_size > 10_000
    assert "Missing character" not in log  # every glyph (Chinese, Greek, symbols) was found
    assert "Undefined control sequence" not in log
