"""Hierarchical OLS: against statsmodels fits, the closed-form F-change, and
statsmodels' variance_inflation_factor."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.outliers_influence import variance_inflation_factor

from sqresearch.errors import InputError, ModelError
from sqresearch.model.regression import hierarchical_regression, vif


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(42)
    n = 240
    d = pd.DataFrame(
        {
            "GENDER": rng.integers(1, 3, n),
            "EDU": rng.integers(1, 5, n),
            "AGE": rng.normal(30, 8, n),
            "X": rng.normal(3.5, 0.8, n),
            "W": rng.normal(3.2, 0.9, n),
        }
    )
    d["Y"] = (
        0.2 * (d.GENDER == 2)
        + 0.1 * d.EDU
        + 0.01 * d.AGE
        + 0.5 * d.X
        + 0.2 * d.W
        + 0.15 * (d.X - 3.5) * (d.W - 3.2)
        + rng.normal(0, 0.7, n)
    )
    d.loc[[3, 17], "W"] = np.nan
    return d


def _blocks():
    return {"controls": ["GENDER", "EDU", "AGE"], "main": ["X", "W"], "interaction": ["X:W"]}


def test_against_statsmodels_and_closed_form(data):
    r = hierarchical_regression(data, "Y", _blocks(), categorical={"GENDER": 1, "EDU": 3})
    d = data.dropna()
    assert r.n == len(d) == 238
    f1 = smf.ols("Y ~ C(GENDER, Treatment(1)) + C(EDU, Treatment(3)) + AGE", d).fit()
    f2 = smf.ols("Y ~ C(GENDER, Treatment(1)) + C(EDU, Treatment(3)) + AGE + X + W", d).fit()
    f3 = smf.ols("Y ~ C(GENDER, Treatment(1)) + C(EDU, Treatment(3)) + AGE + X * W", d).fit()
    steps = r.steps.set_index("step")
    for j, fit in enumerate([f1, f2, f3], start=1):
        assert steps.loc[j, "r2"] == pytest.approx(fit.rsquared, abs=1e-12)
        assert steps.loc[j, "adj_r2"] == pytest.approx(fit.rsquared_adj, abs=1e-12)
        assert steps.loc[j, "k"] == fit.df_model
    # F-change = ((R2_2 - R2_1)/k) / ((1 - R2_2)/(n - p_2 - 1)), Cohen et al. (2003)
    n, p2, k = len(d), f2.df_model, 2
    f_change = ((f2.rsquared - f1.rsquared) / k) / ((1 - f2.rsquared) / (n - p2 - 1))
    assert steps.loc[2, "f_change"] == pytest.approx(f_change, rel=1e-10)
    assert (steps.loc[2, "df1"], steps.loc[2, "df2"]) == (2, n - p2 - 1)
    assert steps.loc[2, "p_change"] == pytest.approx(stats.f.sf(f_change, 2, n - p2 - 1), rel=1e-10)
    # the same as statsmodels' nested-model F test
    assert steps.loc[3, "f_change"] == pytest.approx(f3.compare_f_test(f2)[0], rel=1e-10)
    assert steps.loc[1, "delta_r2"] == pytest.approx(f1.rsquared, abs=1e-12)
    assert steps.loc[1, "f_change"] == pytest.approx(f1.fvalue, rel=1e-10)
    # coefficients of the last step; dummy names "EDU[1]" (reference 3 left out)
    c3 = r.coefficients[r.coefficients.step == 3].set_index("term")
    assert list(c3.index) == [
        "const",
        "GENDER[2]",
        "EDU[1]",
        "EDU[2]",
        "EDU[4]",
        "AGE",
        "X",
        "W",
        "X:W",
    ]
    assert c3.loc["EDU[1]", "b"] == pytest.approx(f3.params["C(EDU, Treatment(3))[T.1]"], abs=1e-10)
    assert c3.loc["X:W", "b"] == pytest.approx(f3.params["X:W"], abs=1e-10)
    assert c3.loc["X:W", "se"] == pytest.approx(f3.bse["X:W"], abs=1e-10)
    assert c3.loc["X:W", "pvalue"] == pytest.approx(f3.pvalues["X:W"], rel=1e-8)
    assert c3.loc["X", "block"] == "main"


def test_beta_is_ols_on_z_scores(data):
    r = hierarchical_regression(data, "Y", [["AGE"], ["X", "W"]])
    d = data[["Y", "AGE", "X", "W"]].dropna()
    z = (d - d.mean()) / d.std()
    fz = sm.OLS(z["Y"], sm.add_constant(z[["AGE", "X", "W"]])).fit()
    c2 = r.coefficients[r.coefficients.step == 2].set_index("term")
    for term in ["AGE", "X", "W"]:
        assert c2.loc[term, "beta"] == pytest.approx(fz.params[term], abs=1e-10)
    assert np.isnan(c2.loc["const", "beta"])


def test_vif_against_statsmodels(data):
    r = hierarchical_regression(data, "Y", _blocks(), categorical={"EDU": None})
    d = data.dropna()
    c3 = r.coefficients[r.coefficients.step == 3].set_index("term")
    exog = pd.DataFrame(
        {
            "const": 1.0,
            "GENDER": d.GENDER,
            **{f"EDU[{k}]": (d.EDU == k) * 1.0 for k in (2, 3, 4)},
            "AGE": d.AGE,
            "X": d.X,
            "W": d.W,
            "X:W": d.X * d.W,
        }
    )
    for i, term in enumerate(exog.columns):
        if term == "const":
            continue
        assert c3.loc[term, "vif"] == pytest.approx(
            variance_inflation_factor(exog.to_numpy(), i), rel=1e-9
        )
    assert vif(pd.DataFrame({"a": [1.0, 2.0, 3.0]})).iloc[0] == pytest.approx(1.0)


def test_centering_lowers_vif_of_product_only(data):
    raw = hierarchical_regression(data, "Y", [["X", "W"], ["X:W"]])
    cen = hierarchical_regression(data, "Y", [["X", "W"], ["X:W"]], center=True)
    last = lambda r: r.coefficients[r.coefficients.step == 2].set_index("term")  # noqa: E731
    assert last(cen).loc["X:W", "vif"] < 2 < last(raw).loc["X:W", "vif"]
    assert last(cen).loc["X:W", "b"] == pytest.approx(last(raw).loc["X:W", "b"], abs=1e-10)
    pd.testing.assert_frame_equal(raw.steps, cen.steps)


def test_hc3_option(data):
    r = hierarchical_regression(data, "Y", [["AGE"], ["X", "W"]], cov_type="HC3")
    d = data.dropna()
    f2 = smf.ols("Y ~ AGE + X + W", d).fit(cov_type="HC3", use_t=True)
    c2 = r.coefficients[r.coefficients.step == 2].set_index("term")
    assert c2.loc["X", "se"] == pytest.approx(f2.bse["X"], abs=1e-12)
    wald = f2.f_test("X = 0, W = 0")
    assert r.steps.loc[1, "f_change"] == pytest.approx(float(np.squeeze(wald.fvalue)), rel=1e-10)
    plain = hierarchical_regression(data, "Y", [["AGE"], ["X", "W"]])
    assert r.steps.loc[1, "delta_r2"] == pytest.approx(plain.steps.loc[1, "delta_r2"], abs=1e-14)
    assert r.steps.loc[1, "f_change"] != pytest.approx(plain.steps.loc[1, "f_change"], rel=1e-3)


def test_errors(data):
    with pytest.raises(InputError) as exc:
        hierarchical_regression(data, "Y", [["NOPE"]])
    assert exc.value.column == "NOPE"
    with pytest.raises(InputError):
        hierarchical_regression(data, "Y", [["EDU"]], categorical={"EDU": 9})
    with pytest.raises(ModelError):
        hierarchical_regression(data, "Y", [["X"], []])
    with pytest.raises(ModelError):
        hierarchical_regression(data, "Y", [["X"], ["X"]])
    assert "<table" in hierarchical_regression(data, "Y", [["X"]])._repr_html_()


def test_f_change_is_each_step_against_the_previous_as_r_pairwise_anova():
    # mtcars (tests/data/mtcars.csv). In R:
    #   m1 <- lm(mpg ~ am, mtcars); m2 <- lm(mpg ~ am + hp + wt, mtcars)
    #   m3 <- lm(mpg ~ am + hp * wt, mtcars)
    #   anova(m1, m2)$F[2] 41.97921348, p 3.744703259e-09; anova(m2, m3)$F[2] 10.52612353,
    #   p 0.003130389877. anova(m1, m2, m3)$F[2] is 56.26132681 (last model's residual
    #   variance in every row): not the F-change of step 2.
    from pathlib import Path

    mtcars = pd.read_csv(Path(__file__).parent / "data" / "mtcars.csv")
    steps = hierarchical_regression(mtcars, "mpg", [["am"], ["hp", "wt"], ["hp:wt"]]).steps
    assert steps["f_change"].iloc[1] == pytest.approx(41.97921348, abs=1e-7)
    assert steps["p_change"].iloc[1] == pytest.approx(3.744703259e-09, rel=1e-8)
    assert steps["f_change"].iloc[2] == pytest.approx(10.52612353, abs=1e-7)
    assert steps["p_change"].iloc[2] == pytest.approx(0.003130389877, abs=1e-11)
    assert steps["f_change"].iloc[1] != pytest.approx(56.26132681, abs=1)
