"""Reliability and validity refuse to hide a sign problem (issue #16, point 4).

psych::bfi's conscientiousness items C4 and C5 are reverse-keyed. Not
reversed, they cancel the others: in R

    psych::alpha(bfi[, paste0("C", 1:5)], use = "complete.obs")
    # warns: Some items ( C4 C5 ) were negatively correlated with the total scale
    #        and probably should be reversed.   raw_alpha -0.289
    semTools::compRelSEM(cfa("C =~ C1+C2+C3+C4+C5", bfi), obs.var = FALSE)   # 0.017
    standardizedSolution(fit)$est.std[1:5]   # 0.551 0.612 0.553 -0.675 -0.586

Those numbers are not reliabilities; the analysis names C4 and C5, and the
report marks α/ω and CR/AVE as not interpretable.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from sqresearch.measure import MeasurementWarning
from sqresearch.measure.reliability import cronbach_alpha, reliability_table
from sqresearch.measure.validity import composite_reliability
from sqresearch.report import reliability as report_reliability
from sqresearch.report import sem as report_sem
from sqresearch.sem.fit import fit_sem

BFI = pd.read_csv(Path(__file__).parent / "data" / "bfi.csv.gz")
C_ITEMS = [f"C{i}" for i in range(1, 6)]


def test_alpha_names_the_reverse_keyed_items_as_psych():
    with pytest.warns(MeasurementWarning, match=r"'C4', 'C5'.*reverse=\['C4', 'C5'\]"):
        scale = cronbach_alpha(BFI, C_ITEMS, name="C")
    assert scale.alpha == pytest.approx(-0.289004, abs=1e-6)  # psych raw_alpha
    assert scale.items["negative"].tolist() == [False, False, False, True, True]
    assert scale.sign_problem and scale.summary()["sign_problem"].item()
    with warnings.catch_warnings():
        warnings.simplefilter("error", MeasurementWarning)
        fixed = cronbach_alpha(BFI, C_ITEMS, reverse=["C4", "C5"], scale_points=6, name="C")
    assert not fixed.sign_problem and fixed.alpha > 0.7


def test_cr_ave_omega_flagged_for_a_factor_with_negative_loadings():
    fit = fit_sem("C =~ C1+C2+C3+C4+C5", BFI)
    with pytest.warns(MeasurementWarning, match=r"factor 'C': 'C4', 'C5'.*not interpretable"):
        table = composite_reliability(fit.estimates)
    row = table.loc["C"]
    assert row["omega"] == pytest.approx(0.017, abs=5e-4)  # semTools compRelSEM
    assert row["sign_problem"] and row["negative_items"] == "C4, C5"
    reversed_bfi = BFI.assign(C4=7 - BFI["C4"], C5=7 - BFI["C5"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", MeasurementWarning)
        clean = composite_reliability(fit_sem("C =~ C1+C2+C3+C4+C5", reversed_bfi).estimates)
    assert not clean.loc["C", "sign_problem"] and clean.loc["C", "negative_items"] == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_mark_the_flagged_construct(lang):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MeasurementWarning)
        rel = reliability_table(BFI, {"C": C_ITEMS, "E": [f"E{i}" for i in (3, 4)]}, omega=False)
        fit = fit_sem("C =~ C1+C2+C3+C4+C5", BFI)
        validity = composite_reliability(fit.estimates)
    for table in (
        report_reliability.reliability_table(rel, labels={"C": "Consc", "E": "Extra"}, lang=lang),
        report_sem.cfa_table(fit.estimates, validity, labels={"C": "Consc"}, lang=lang),
    ):
        constructs = table.data["construct"].dropna().unique().tolist()
        assert "Consc †" in constructs and "Extra" not in [c for c in constructs if "†" in c]
        note = table.notes[-1][lang]
        assert "†" in note and "C4" in note and "C5" in note and "C1" not in note
