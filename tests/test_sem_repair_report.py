"""Model-repair reporting: the MI table and text, the comparison table, the estimator choice."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from semopy.examples import holzinger39

from sqresearch.measure.normality import estimator_recommendation
from sqresearch.report.latex import to_latex
from sqresearch.report.modification import (
    CAUTION,
    comparison_table,
    estimator_text,
    modindices_table,
    modindices_text,
)
from sqresearch.sem.compare import compare_models
from sqresearch.sem.fit import fit_sem
from sqresearch.sem.modindices import modification_indices

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


@pytest.fixture(scope="module")
def hs_fit():
    return fit_sem(HS_MODEL, holzinger39.get_data())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_modindices_table_and_text_warn_against_theory_free_changes(hs_fit, lang):
    mi = modification_indices(hs_fit)
    table = modindices_table(mi, top=5, lang=lang)
    assert table.data["parameter"].tolist()[:2] == ["visual =~ x9", "x7 ~~ x8"]
    assert len(table.data) == 5
    tex = to_latex(table)
    assert "36.411" in tex and "MacCallum" in tex
    text = modindices_text(mi, lang=lang)
    assert "36.411" in text and "visual =~ x9" in text and "x7 ~~ x8" in text
    assert text.endswith(CAUTION[lang])


def test_comparison_table_says_which_test(hs_fit):
    hs = holzinger39.get_data()
    one = fit_sem("g =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9", hs, estimator="MLR")
    three = fit_sem(HS_MODEL, hs, estimator="MLR")
    tex = to_latex(comparison_table(compare_models(three, one), lang="en"))
    assert "Satorra" in tex and "212.91" in tex
    tex_ml = to_latex(comparison_table(compare_models(hs_fit, fit_sem(
        "g =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9", hs)), lang="zh"))  # fmt: skip
    assert "似然比" in tex_ml and "226.959" in tex_ml


def test_estimator_recommendation_and_sentence():
    rng = np.random.default_rng(4)
    n = 400
    normal = pd.DataFrame({f"n{k}": rng.normal(size=n).round(1) for k in range(3)})
    skewed = pd.DataFrame({f"s{k}": rng.exponential(size=n) ** 2 for k in range(3)})
    likert = pd.DataFrame({f"l{k}": rng.integers(1, 6, size=n) for k in range(3)})
    data = pd.concat([normal, skewed, likert], axis=1)
    rec = estimator_recommendation(data, list(normal))
    assert (rec.estimator, rec.reason, rec.nonnormal) == ("ML", "normal", [])
    rec = estimator_recommendation(data, [*normal, *skewed])
    assert rec.estimator == "MLR" and rec.nonnormal == ["s0", "s1", "s2"]
    assert rec.max_abs_kurtosis > 7
    assert "MLR" in estimator_text(rec, lang="en") and "Curran" in estimator_text(rec, lang="zh")
    assert estimator_recommendation(data, list(likert), ordinal=True).estimator == "WLSMV"
    # more than 5 categories: not ordinal even when the study says so
    assert estimator_recommendation(data, [*likert, *normal], ordinal=True).estimator == "ML"
    doc = estimator_recommendation(data, list(likert), ordinal=True).to_dict()
    assert doc == doc | {"estimator": "WLSMV", "reason": "ordinal", "max_categories": 5}
    assert "WLSMV" in estimator_text(estimator_recommendation(data, list(likert), ordinal=True))
