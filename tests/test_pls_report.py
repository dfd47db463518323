"""PLS report layer: tables render in every format and language, text follows the verdicts."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from sqresearch.model.pls import blindfolding, bootstrap_pls, fit_pls, pls_predict
from sqresearch.report.pls import (
    pls_fornell_larcker_table,
    pls_htmt_table,
    pls_indirect_table,
    pls_measurement_table,
    pls_path_diagram,
    pls_paths_table,
    pls_predict_table,
    pls_text,
)
from sqresearch.report.tables import render

matplotlib.use("Agg")
DATA = Path(__file__).parent / "data"
MODEL = (DATA / "pls_sim.lav").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fitted():
    result = fit_pls(MODEL, pd.read_csv(DATA / "pls_sim.csv"))
    return result, bootstrap_pls(result, 200, seed=4), pls_predict(result, repeats=1, seed=4)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_render_as_latex_and_docx(fitted, lang, tmp_path):
    result, boot, pred = fitted
    tables = [
        pls_measurement_table(result, lang=lang),
        pls_htmt_table(result, boot, lang=lang),
        pls_fornell_larcker_table(result, lang=lang),
        pls_paths_table(result, boot, lang=lang),
        pls_indirect_table(result, boot, lang=lang),
        pls_predict_table(result, pred, blindfolding(result, omission_distance=8), lang=lang),
    ]
    for table in tables:
        latex = render(table, "latex")
        assert "\\toprule" in latex and "\\bottomrule" in latex
        render(table, "docx", path=tmp_path / f"{table.label[4:]}.docx")
    paths = tables[3].data
    assert list(paths["est"]) == list(result.paths["est"])
    assert list(paths["significant"]) == list(boot.of("path")["significant"])
    measurement = tables[0].data
    assert measurement["rho_a"].notna().sum() == len(result.model.constructs)


def test_paragraph_follows_the_verdicts(fitted):
    result, boot, _ = fitted
    zh, en = pls_text(result, boot, lang="zh"), pls_text(result, boot, lang="en")
    assert "区分效度良好" in zh and "supporting discriminant validity" in en
    assert "OUT1 → OUT2 (β = 0.318)" in en  # every path of the simulated model is significant
    # a construct that fails AVE is named
    data = pd.read_csv(DATA / "pls_sim.csv")
    noise = np.random.default_rng(0).normal(size=(len(data), 2))
    data = data.assign(n1=noise[:, 0], n2=noise[:, 1])
    weak = fit_pls(MODEL.replace("EXO1 =~ a1 + a2 + a3 + a4", "EXO1 =~ a1 + n1 + n2"), data)
    assert not weak.reliability.loc["EXO1", "convergent"]
    assert "EXO1 miss the ρ_C or AVE criterion" in pls_text(weak, lang="en")


def test_path_diagram_shows_paths_stars_and_r2(fitted):
    result, boot, _ = fitted
    fig = pls_path_diagram(result, boot, engine="layers", lang="en")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "0.437***" in texts
    assert any("R² = 0.267" in t for t in texts)
