"""fit_sem against lavaan 0.6 published output and independent computations."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from semopy.examples import holzinger39, political_democracy

from sqresearch.errors import InputError, ModelError
from sqresearch.sem.fit import SEMWarning, bootstrap_sem, fit_sem
from sqresearch.sem.syntax import parse_model

HS_MODEL = """
# 1. latent variables
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""

PD_MODEL = """
  # measurement model
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + y2 + y3 + y4
    dem65 =~ y5 + y6 + y7 + y8
  # regressions
    dem60 ~ ind60
    dem65 ~ ind60 + dem60
  # residual correlations
    y1 ~~ y5
    y2 ~~ y4 + y6
    y3 ~~ y7
    y4 ~~ y8
    y6 ~~ y8
"""


@pytest.fixture(scope="module")
def hs():
    return holzinger39.get_data()


@pytest.fixture(scope="module")
def hs_fit(hs):
    return fit_sem(HS_MODEL, hs)


@pytest.fixture(scope="module")
def pd_fit():
    return fit_sem(PD_MODEL, political_democracy.get_data())


def _row(res, lhs, op, rhs):
    est = res.estimates
    return est[(est.lhs == lhs) & (est.op == op) & (est.rhs == rhs)].iloc[0]


def test_hs_fit_measures_match_lavaan(hs_fit):
    # lavaan 0.6 tutorial (lavaan.ugent.be/tutorial/cfa.html) and issue 4:
    # fitMeasures(cfa(HS.model, data = HolzingerSwineford1939)); GFI/AGFI from NOTES.md
    reference = {
        "chisq": 85.306,
        "cfi": 0.931,
        "tli": 0.896,
        "rmsea": 0.092,
        "rmsea_ci_lower": 0.071,
        "rmsea_ci_upper": 0.114,
        "srmr": 0.065,
        "aic": 7517.490,
        "bic": 7595.339,
        "gfi": 0.943,
        "agfi": 0.894,
        "baseline_chisq": 918.852,
        "loglik": -3737.745,
    }
    fit = hs_fit.fit
    assert fit["df"] == 24 and fit["baseline_df"] == 36 and fit["npar"] == 21
    for key, value in reference.items():
        assert fit[key] == pytest.approx(value, abs=5e-4 if abs(value) < 10 else 1e-3), key
    assert hs_fit.n == 301 and hs_fit.converged and hs_fit.warnings == []


def test_hs_estimates_match_lavaan(hs_fit):
    # lavaan tutorial (cfa.html), summary(fit): Estimate and Std.Err
    reference = [
        ("visual", "=~", "x2", 0.554, 0.100),
        ("visual", "=~", "x3", 0.729, 0.109),
        ("textual", "=~", "x5", 1.113, 0.065),
        ("textual", "=~", "x6", 0.926, 0.055),
        ("speed", "=~", "x8", 1.180, 0.165),
        ("speed", "=~", "x9", 1.082, 0.151),
        ("visual", "~~", "textual", 0.408, 0.074),
        ("visual", "~~", "speed", 0.262, 0.056),
        ("textual", "~~", "speed", 0.173, 0.049),
        ("x1", "~~", "x1", 0.549, 0.114),
        ("x2", "~~", "x2", 1.134, 0.102),
        ("x3", "~~", "x3", 0.844, 0.091),
        ("x4", "~~", "x4", 0.371, 0.048),
        ("x7", "~~", "x7", 0.799, 0.081),
        ("x8", "~~", "x8", 0.488, 0.074),
        ("x9", "~~", "x9", 0.566, 0.071),
        ("visual", "~~", "visual", 0.809, 0.145),
        ("textual", "~~", "textual", 0.979, 0.112),
        ("speed", "~~", "speed", 0.384, 0.086),
    ]
    for lhs, op, rhs, est, se in reference:
        row = _row(hs_fit, lhs, op, rhs)
        assert row.est == pytest.approx(est, abs=5e-4), (lhs, op, rhs)
        assert row.se == pytest.approx(se, abs=5e-4), (lhs, op, rhs)
    # fixed marker loadings: se 0, z and p missing, as lavaan prints them
    first = _row(hs_fit, "visual", "=~", "x1")
    assert first.est == 1 and first.se == 0 and np.isnan(first.z) and np.isnan(first.pvalue)
    # standardizedSolution(): std.all of visual =~ x1 .772, x2 .424; textual~~speed .283
    assert first.std_all == pytest.approx(0.772, abs=5e-4)
    assert _row(hs_fit, "visual", "=~", "x2").std_all == pytest.approx(0.424, abs=5e-4)
    assert _row(hs_fit, "textual", "~~", "speed").std_all == pytest.approx(0.283, abs=5e-4)


def test_hs_row_order_and_r2_as_lavaan(hs_fit):
    est = hs_fit.estimates
    assert list(est.columns) == ["lhs", "op", "rhs", "label", "est", "se", "z", "pvalue", "std_all"]
    ops = [f"{r.lhs}{r.op}{r.rhs}" for r in est.itertuples()]
    assert ops[:3] == ["visual=~x1", "visual=~x2", "visual=~x3"]
    assert ops[9:12] == ["x1~~x1", "x2~~x2", "x3~~x3"]
    assert ops[18:] == [
        "visual~~visual",
        "textual~~textual",
        "speed~~speed",
        "visual~~textual",
        "visual~~speed",
        "textual~~speed",
    ]
    # inspect(fit, "r2"): indicators only in a CFA; R² = std.all loading² for a single-factor item
    assert list(hs_fit.r2.index) == [f"x{i}" for i in range(1, 10)]
    assert hs_fit.r2["x1"] == pytest.approx(
        _row(hs_fit, "visual", "=~", "x1").std_all ** 2, abs=1e-10
    )
    assert hs_fit.latent_variables == ["visual", "textual", "speed"]
    assert hs_fit.implied_cov.shape == (9, 9) and hs_fit.sample_cov.loc["x1", "x1"] > 0


def test_political_democracy_matches_lavaan(pd_fit):
    # lavaan tutorial (lavaan.ugent.be/tutorial/sem.html) and issue 4
    fit = pd_fit.fit
    assert fit["df"] == 35 and fit["npar"] == 31
    for key, value in {
        "chisq": 38.125,
        "cfi": 0.995,
        "tli": 0.993,
        "rmsea": 0.035,
        "srmr": 0.044,
        "aic": 3157.582,
        "bic": 3229.424,
    }.items():
        assert fit[key] == pytest.approx(value, abs=5e-4 if value < 10 else 1e-3), key
    # summary(fit, standardized = TRUE) in the tutorial: Estimate, Std.Err, Std.all
    reference = [
        ("ind60", "=~", "x2", 2.180, 0.139, 0.973),
        ("ind60", "=~", "x3", 1.819, 0.152, 0.872),
        ("dem60", "=~", "y2", 1.257, 0.182, 0.717),
        ("dem60", "=~", "y4", 1.265, 0.145, 0.846),
        ("dem65", "=~", "y8", 1.266, 0.158, 0.828),
        ("dem60", "~", "ind60", 1.483, 0.399, 0.447),
        ("dem65", "~", "ind60", 0.572, 0.221, 0.182),
        ("dem65", "~", "dem60", 0.837, 0.098, 0.885),
        ("y1", "~~", "y5", 0.624, 0.358, 0.296),
        ("y2", "~~", "y6", 2.153, 0.734, 0.356),
        ("y6", "~~", "y8", 1.356, 0.568, 0.338),
        ("dem65", "~~", "dem65", 0.172, 0.215, 0.039),
    ]
    for lhs, op, rhs, est, se, std in reference:
        row = _row(pd_fit, lhs, op, rhs)
        assert row.est == pytest.approx(est, abs=5e-4), (lhs, op, rhs)
        assert row.se == pytest.approx(se, abs=5e-4), (lhs, op, rhs)
        assert row.std_all == pytest.approx(std, abs=5e-4), (lhs, op, rhs)
    # inspect(fit, "r2"): every ov, then dem60 and dem65 (not the exogenous ind60)
    assert list(pd_fit.r2.index[-2:]) == ["dem60", "dem65"] and "ind60" not in pd_fit.r2.index
    assert pd_fit.r2["dem65"] == pytest.approx(1 - 0.039, abs=1e-3)


def _mediation_data(n=400, seed=7):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    m = 0.5 * x + rng.normal(size=n)
    y = 0.4 * m + 0.2 * x + rng.normal(size=n)
    return pd.DataFrame({"x": x, "m": m, "y": y})


def _ml_ols(y, design):
    """OLS slopes with ML standard errors (σ² = RSS/N), the independent reference."""
    design = design - design.mean(axis=0)
    y = y - y.mean()
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    sigma2 = np.sum((y - design @ coef) ** 2) / len(y)
    return coef, np.sqrt(np.diag(sigma2 * np.linalg.inv(design.T @ design)))


def test_defined_parameter_delta_method_equals_sobel():
    data = _mediation_data()
    res = fit_sem("m ~ a*x\ny ~ b*m + c*x\nab := a*b\ntotal := c + a*b", data)
    (a,), (se_a,) = _ml_ols(data.m.to_numpy(), data[["x"]].to_numpy())
    (b, c), (se_b, _) = _ml_ols(data.y.to_numpy(), data[["m", "x"]].to_numpy())
    sobel = np.sqrt(a**2 * se_b**2 + b**2 * se_a**2)  # Sobel (1982), first-order
    est = res.estimates.set_index("lhs")
    assert (
        est.loc["ab", "op"] == ":="
        and est.loc["ab", "rhs"] == "a*b"
        and est.loc["ab", "label"] == "ab"
    )
    assert est.loc["ab", "est"] == pytest.approx(a * b, abs=1e-6)
    assert est.loc["ab", "se"] == pytest.approx(sobel, abs=1e-5)
    assert est.loc["total", "est"] == pytest.approx(c + a * b, abs=1e-6)
    assert list(res.estimates.op.iloc[-2:]) == [":=", ":="]
    # fixed.x: the exogenous x is listed with its sample variance, se 0
    xx = _row(res, "x", "~~", "x")
    assert xx.est == pytest.approx(data.x.var(ddof=0)) and xx.se == 0
    assert res.fit["df"] == 0 and res.fit["npar"] == 5


def test_bootstrap_deterministic_across_jobs_and_close_to_delta():
    data = _mediation_data(n=300, seed=3)
    model = "m ~ a*x\ny ~ b*m + x\nab := a*b"
    one = bootstrap_sem(model, data, n_boot=200, seed=11, n_jobs=1, progress=False)
    two = bootstrap_sem(model, data, n_boot=200, seed=11, n_jobs=2, progress=False)
    np.testing.assert_array_equal(one.draws, two.draws)
    # independent reference: the same resamples (SeedSequence children) refitted by OLS,
    # whose slopes are the ML estimates of this saturated path model
    x = data[["m", "y", "x"]].to_numpy()
    reference = []
    for child in np.random.SeedSequence(11).spawn(200):
        s = x[np.random.default_rng(child).integers(0, len(x), len(x))]
        a = np.polyfit(s[:, 2], s[:, 0], 1)[0]
        b = np.linalg.lstsq(
            np.column_stack([s[:, 0], s[:, 2], np.ones(len(s))]), s[:, 1], rcond=None
        )[0][0]
        reference.append(a * b)
    np.testing.assert_allclose(one.draws[:, -1], reference, atol=1e-8)
    row = one.table.set_index("lhs").loc["ab"]
    assert row.ci_lower == pytest.approx(np.quantile(reference, 0.025), abs=1e-8)
    assert row.ci_upper == pytest.approx(np.quantile(reference, 0.975), abs=1e-8)
    # and the sanity check against the delta method: same order of magnitude and centre
    delta = fit_sem(model, data).estimates.set_index("lhs").loc["ab"]
    assert row.boot_se == pytest.approx(delta.se, rel=0.35)
    assert row.ci_lower < row.est < row.ci_upper and row.bc_lower < row.bc_upper
    assert one.n_failed == 0 and one.draws.shape == (200, len(one.table))
    other = bootstrap_sem(model, data, n_boot=200, seed=12, progress=False)
    assert not np.array_equal(one.draws, other.draws)


def test_fiml_on_complete_data_equals_ml(hs, hs_fit):
    fiml = fit_sem(HS_MODEL, hs, missing="fiml")
    ml = hs_fit.estimates
    est = fiml.estimates
    shared = est[est.op != "~1"].reset_index(drop=True)
    np.testing.assert_allclose(shared.est, ml.est, atol=1e-6)
    for key in ("chisq", "df", "cfi", "tli", "rmsea", "loglik"):
        assert fiml.fit[key] == pytest.approx(hs_fit.fit[key], abs=1e-6), key
    # intercepts are the sample means; lavaan adds 9 intercept parameters
    means = est[(est.op == "~1") & est.lhs.str.startswith("x")].set_index("lhs").est
    np.testing.assert_allclose(means, hs[[f"x{i}" for i in range(1, 10)]].mean(), atol=1e-6)
    assert fiml.fit["npar"] == 30
    assert fiml.fit["aic"] == pytest.approx(hs_fit.fit["aic"] + 18, abs=1e-6)


def test_fiml_mcar_close_to_complete_and_keeps_rows(hs, hs_fit):
    rng = np.random.default_rng(2024)
    cols = [f"x{i}" for i in range(1, 10)]
    data = hs.copy()
    data[cols] = data[cols].mask(rng.random((len(data), 9)) < 0.08)
    data.loc[data.index[0], cols] = np.nan  # a row with nothing observed is dropped
    fiml = fit_sem(HS_MODEL, data, missing="fiml")
    listwise = fit_sem(HS_MODEL, data)
    assert fiml.n == 300 and listwise.n < 200
    assert fiml.converged and fiml.fit["df"] == 24
    loadings = fiml.estimates[fiml.estimates.op == "=~"].est.to_numpy()
    np.testing.assert_allclose(
        loadings, hs_fit.estimates[hs_fit.estimates.op == "=~"].est, atol=0.15
    )
    # χ² = −2(logL − logL_saturated) is non-negative and near the complete-data value
    assert 0 < fiml.fit["chisq"] < 2 * hs_fit.fit["chisq"]
    assert not fiml.estimates.se.isna().any()


def test_listwise_is_default_and_counts_rows(hs):
    data = hs.copy()
    data.loc[data.index[:5], "x3"] = np.nan
    res = fit_sem(HS_MODEL, data)
    assert res.n == 296
    complete = fit_sem(HS_MODEL, hs.iloc[5:])
    assert res.fit["chisq"] == pytest.approx(complete.fit["chisq"], abs=1e-8)


def test_std_lv_same_fit_and_lavaan_auto_cov_y(hs, hs_fit):
    std = fit_sem(HS_MODEL, hs, std_lv=True)
    assert std.fit["chisq"] == pytest.approx(hs_fit.fit["chisq"], abs=1e-6)
    assert _row(std, "visual", "~~", "visual").est == 1
    # two pure outcome factors get a free residual covariance (lavaan's auto.cov.y)
    res = fit_sem(
        "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"
        "textual ~ visual\nspeed ~ visual",
        hs,
    )
    assert res.fit["chisq"] == pytest.approx(hs_fit.fit["chisq"], abs=1e-6)
    assert _row(res, "textual", "~~", "speed").se > 0


def test_heywood_warning_in_plain_words(hs):
    # one indicator per factor pair makes x1's residual variance negative
    data = hs.copy()
    data["x1b"] = data["x1"] + np.random.default_rng(0).normal(scale=0.05, size=len(data))
    with pytest.warns(SEMWarning):
        res = fit_sem("f =~ x1 + x1b + x2\ng =~ x4 + x5 + x6", data)
    assert res.warnings
    assert any("Heywood" in w or "positive definite" in w for w in res.warnings)


def test_errors_name_column_row_and_value(hs):
    with pytest.raises(InputError, match="x99"):
        fit_sem("f =~ x1 + x2 + x99", hs)
    bad = hs.astype({"x2": object})
    bad.loc[bad.index[3], "x2"] = "abc"
    with pytest.raises(InputError, match=r"column 'x2', row 4, value 'abc'"):
        fit_sem(HS_MODEL, bad)
    with pytest.raises(ModelError):
        fit_sem("f =~ x1 + x2 + x3\nab := a*b", hs)
    with pytest.raises(InputError):
        fit_sem(HS_MODEL, hs, missing="pairwise")


def test_parser_continuations_modifiers_and_comments():
    parsed = parse_model(
        """
        ! comment
        f =~ x1 + NA*x2 +
             c(a, b)*x3   # per-group labels
        y ~ 0.5*f; z ~ 1
        ind := a^2 + 1
        """
    )
    got = [(s.lhs, s.op, s.rhs) for s in parsed.statements]
    assert got == [
        ("f", "=~", "x1"),
        ("f", "=~", "x2"),
        ("f", "=~", "x3"),
        ("y", "~", "f"),
        ("z", "~1", ""),
    ]
    assert parsed.statements[1].modifiers[0].free
    assert [m.label for m in parsed.statements[2].modifiers] == ["a", "b"]
    assert parsed.statements[3].modifiers[0].value == 0.5
    assert parsed.definitions[0].expression == "a^2 + 1"
    with pytest.raises(ModelError):
        parse_model("a == b")


def test_equal_labels_are_one_parameter(hs, hs_fit):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SEMWarning)
        res = fit_sem(
            "visual =~ x1 + l*x2 + l*x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9", hs
        )
    assert res.fit["df"] == 25 and res.fit["npar"] == 20
    assert _row(res, "visual", "=~", "x2").est == _row(res, "visual", "=~", "x3").est
    assert res.fit["chisq"] > hs_fit.fit["chisq"]
