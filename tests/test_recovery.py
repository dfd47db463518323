"""The default study recovers the values its population implies on the analysed scale.

``data/raw/population.json`` stores, under ``implied``, the estimates of each
analysis on one simulated sample of 200,000 attentive respondents cut into the
same Likert categories (``sqresearch.datasets``): cutting attenuates loadings
and paths, so the population values themselves are not the target
(../shared/NOTES.md, "Simulated truth").  Every estimate of the shipped export,
cleaned as the build cleans it, must lie within its Wald interval of the
implied value, Bonferroni-adjusted for the number of estimates tested
(family-wise α = .05).  No seed is chosen here: the export and its truth are
the shipped files.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from scipy import stats

from sqresearch.clean.pipeline import CleaningWarning, clean_survey
from sqresearch.constructs import load_catalogue
from sqresearch.measure.items import reverse_code
from sqresearch.model.groups import scale_scores
from sqresearch.model.process import process
from sqresearch.model.regression import hierarchical_regression
from sqresearch.paths import STUDY_CONFIG
from sqresearch.sem.fit import fit_sem
from sqresearch.study import load_study

pytestmark = pytest.mark.slow

FAMILY_ALPHA = 0.05


@pytest.fixture(scope="module")
def study_data():
    study = load_study(STUDY_CONFIG)
    framework = study.framework
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CleaningWarning)
        cleaned = clean_survey(study.raw, study.codebook)
    points = load_catalogue().item(next(iter(framework.items()))).scale.points
    data = reverse_code(cleaned.data, framework.reverse_items(), scale_points=points)
    scores = pd.concat([data[framework.controls], scale_scores(data, framework.blocks())], axis=1)
    implied = json.loads((study.raw.parent / "population.json").read_text(encoding="utf-8"))[
        "implied"
    ]
    return framework, data, scores, implied


@pytest.fixture(scope="module")
def comparisons(study_data):
    """One row per estimate: what, implied value, estimate, SE."""
    framework, data, scores, implied = study_data
    rows = []
    # SEM structural paths (framework.model_syntax(), ML, listwise as notebook 08).
    sem = fit_sem(framework.model_syntax(), data).estimates
    truth = {(r["lhs"], r["rhs"]): r["est"] for r in implied["sem"] if r["op"] == "~"}
    for r in sem[sem["op"] == "~"].itertuples():
        rows.append((f"sem {r.lhs}~{r.rhs}", truth[(r.lhs, r.rhs)], r.est, r.se))
    # Hierarchical regression of PIN, last step (notebook 06), b.
    ((key, reg_truth),) = implied["regression"].items()
    predictors = [p for p in reg_truth["b"] if p not in framework.controls]
    reg = hierarchical_regression(scores, "PIN", [framework.controls, predictors])
    last = reg.coefficients[reg.coefficients["step"] == reg.coefficients["step"].max()]
    for r in last[last["term"] != "const"].itertuples():
        rows.append((f"regression PIN~{r.term}", reg_truth["b"][r.term], r.b, r.se))
    # PROCESS model 4 (no covariates): a, b, c, c'.
    for key, truth_m in implied["mediation"].items():
        x, m, y = (part.strip() for part in key.split(">"))
        res = process(scores, 4, x=x, y=y, m=m, n_boot=100, seed=0).paths.set_index(
            ["equation", "term"]
        )
        for name, (eq, term) in {
            "a": (m, x),
            "b": (y, m),
            "c": ("total", x),
            "c_prime": (y, x),
        }.items():
            row = res.loc[(eq, term)]
            rows.append((f"process4 {key} {name}", truth_m[name], row["coef"], row["se"]))
    # PROCESS model 1, X and W mean-centred.
    for key, truth_w in implied["moderation"].items():
        y, rhs = (part.strip() for part in key.split("~"))
        x, w = (part.strip() for part in rhs.split("*"))
        res = process(scores, 1, x=x, y=y, w=w, n_boot=100, seed=0, center=True).paths.set_index(
            "term"
        )
        for term, value in truth_w["b"].items():
            rows.append(
                (f"process1 {key} {term}", value, res.loc[term, "coef"], res.loc[term, "se"])
            )
    return pd.DataFrame(rows, columns=["what", "implied", "estimate", "se"])


def test_every_estimate_has_an_implied_value(comparisons):
    # 8 SEM paths, 9 regression coefficients, 3 x 4 mediation paths, 2 x 3 moderation terms.
    assert len(comparisons) == 8 + 9 + 12 + 6
    assert comparisons[["implied", "estimate", "se"]].notna().all().all()


def test_estimates_recover_the_implied_values(comparisons):
    z = stats.norm.ppf(1 - FAMILY_ALPHA / (2 * len(comparisons)))  # Bonferroni, two-sided
    lower = comparisons["estimate"] - z * comparisons["se"]
    upper = comparisons["estimate"] + z * comparisons["se"]
    missed = comparisons[(comparisons["implied"] < lower) | (comparisons["implied"] > upper)]
    assert missed.empty, f"outside the Bonferroni intervals (z = {z:.3f}):\n{missed.to_string()}"


def test_intervals_are_informative(comparisons):
    # A recovery test that any estimate passes is no test: the intervals must be narrow
    # enough to tell a path of .15 from zero.
    z = stats.norm.ppf(1 - FAMILY_ALPHA / (2 * len(comparisons)))
    assert (z * comparisons["se"]).max() < 0.25
