"""sqresearch.simulate: fixed-coefficient lavaan models -> data, Likert cutting.

Reference values are closed-form: the covariance matrix of a recursive
linear SEM, Sigma = Lambda (I - B)^-1 Psi (I - B)^-T Lambda' + Theta
(Bollen 1989, ch. 8), computed here with numpy independently of the module,
and the moments of a product of two normal variables (Isserlis 1918).
Sampling tolerances: the SE of a correlation r is (1 - rho^2) / sqrt(n); we
allow 4.5 SE, a Bonferroni bound for about 100 comparisons at alpha = .001.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sqresearch.errors import InputError, ModelError
from sqresearch.simulate import (
    SimulationWarning,
    cut_likert,
    default_thresholds,
    implied_estimates,
    parse_population_model,
    simulate_data,
    thresholds_from_proportions,
)

Z_TOL = 4.5

# Three factors, a mediator chain and an exogenous covariance; standardised.
MODEL = """
# latent variables
X =~ 0.8*x1 + 0.7*x2 + 0.6*x3
M =~ 0.85*m1 + 0.75*m2 + 0.65*m3
Y =~ 0.7*y1 + 0.8*y2 + 0.75*y3
W =~ 0.8*w1 + 0.7*w2
# regressions
M ~ 0.5*X + 0.2*W
Y ~ 0.4*M + 0.1*X
# covariances
X ~~ 0.3*W
"""


def closed_form_sigma():
    """Model-implied covariance of (x1..w2) and of the latents, by the matrix formula."""
    lat = ["X", "M", "Y", "W"]
    obs = ["x1", "x2", "x3", "m1", "m2", "m3", "y1", "y2", "y3", "w1", "w2"]
    lam = np.zeros((11, 4))
    for j, ls in enumerate([[0.8, 0.7, 0.6], [0.85, 0.75, 0.65], [0.7, 0.8, 0.75], [0.8, 0.7]]):
        start = [0, 3, 6, 9][j]
        lam[start : start + len(ls), j] = ls
    b = np.zeros((4, 4))
    b[1, 0], b[1, 3] = 0.5, 0.2  # M ~ X + W
    b[2, 1], b[2, 0] = 0.4, 0.1  # Y ~ M + X
    # standardised: disturbance variances 1 - R^2
    var_m_sys = 0.5**2 + 0.2**2 + 2 * 0.5 * 0.2 * 0.3
    cov_mx = 0.5 + 0.2 * 0.3
    var_y_sys = 0.4**2 + 0.1**2 + 2 * 0.4 * 0.1 * cov_mx
    psi = np.diag([1.0, 1 - var_m_sys, 1 - var_y_sys, 1.0])
    psi[0, 3] = psi[3, 0] = 0.3
    inv = np.linalg.inv(np.eye(4) - b)
    phi = inv @ psi @ inv.T
    theta = np.diag(1 - (lam**2).sum(axis=1))
    sigma = lam @ phi @ lam.T + theta
    return obs, lat, sigma, phi


def test_parse_reads_lavaan_syntax():
    m = parse_population_model(MODEL)
    assert m.latent == ["X", "M", "Y", "W"]
    assert m.observed[:3] == ["x1", "x2", "x3"]
    assert m.loadings["M"] == {"m1": 0.85, "m2": 0.75, "m3": 0.65}
    assert m.regressions["Y"] == {"M": 0.4, "X": 0.1}
    assert m.covariances == {("X", "W"): 0.3}
    # continuation lines, ';' separators, start(), labels beside numbers, products
    m = parse_population_model("F =~ 0.5*a +\n  start(0.6)*b; y ~ lab*0.2*F + 0.1*F:z\n")
    assert m.loadings == {"F": {"a": 0.5, "b": 0.6}}
    assert m.regressions == {"y": {"F": 0.2, ("F", "z"): 0.1}}
    # '+' without spaces, names ending in e, scientific notation
    m = parse_population_model("F =~ 0.8*rate+1e+0*x + 5E-1*cue + a2e+b")
    assert m.loadings == {"F": {"rate": 0.8, "x": 1.0, "cue": 0.5, "a2e": 0.7, "b": 0.7}}


def test_defaults_follow_lavaan_simulatedata():
    # lavaan::simulateData: unvalued loading 0.7 (standardized) / 1.0, regression 0 + warning
    assert parse_population_model("F =~ a + b").loadings == {"F": {"a": 0.7, "b": 0.7}}
    raw = parse_population_model("F =~ a + b", standardized=False)
    assert raw.loadings == {"F": {"a": 1.0, "b": 1.0}}
    with pytest.warns(SimulationWarning, match="y ~ x has no value"):
        assert parse_population_model("y ~ x").regressions == {"y": {"x": 0.0}}


@pytest.mark.parametrize(
    "bad, message",
    [
        ("F =~ a*x1 + 0.5*x2", "label but no value"),
        ("y ~ 0.5*1", "intercepts"),
        ("F =~ 0.8*x1\nab := a*b", "only =~, ~ and ~~"),
        ("ab := a*b", "only =~, ~ and ~~"),
        ("F =~ NA*x1", "label but no value"),
        ("F =~ c(0.5, 0.6)*x1", "one value per term"),
        ("F =~ 0.8*x1\nF ~~ 0.2*x1:x2", "only appear after ~"),
        ("F =~ 0.8*x1\nx1 == x2", "not supported"),
        ("F =~ 0.8*x1\nF ~ 0.3*y\ny ~ 0.3*x1", "not recursive"),
        ("y ~ 0.9*x1 + 0.9*x2", "explain"),
        ("a ~~ 1.5*b", "positive semi-definite"),
        ("y ~ 0.2*x:z\nw ~ 0.3*y:x", "must not depend on another product"),
        ("just words", "not a lavaan statement"),
        ("F =~ 0.8*x1 + foo(1)*x2", "cannot read"),
    ],
)
def test_bad_models_raise_model_error(bad, message):
    with pytest.raises(ModelError, match=message):
        simulate_data(bad, 10, seed=1)


def test_correlations_match_closed_form():
    n = 100_000
    obs, lat, sigma, phi = closed_form_sigma()
    data = simulate_data(MODEL, n, seed=20261123, return_latent=True)
    assert list(data.columns) == obs + lat
    # standardised: every variance is 1 (sigma's diagonal is 1 by construction)
    np.testing.assert_allclose(np.diag(sigma), 1.0)
    np.testing.assert_allclose(np.diag(phi), 1.0)
    lam_rows = parse_population_model(MODEL)
    # observed-latent correlations: loading times latent covariances
    full = pd.DataFrame(np.nan, index=obs + lat, columns=obs + lat)
    full.loc[obs, obs] = sigma
    full.loc[lat, lat] = phi
    lam = np.zeros((11, 4))
    for j, f in enumerate(lat):
        for ind, value in lam_rows.loadings[f].items():
            lam[obs.index(ind), j] = value
    full.loc[obs, lat] = lam @ phi
    full.loc[lat, obs] = (lam @ phi).T
    rho = full.to_numpy()
    r = data.corr().to_numpy()
    se = (1 - rho**2) / np.sqrt(n)
    off = ~np.eye(len(rho), dtype=bool)
    z = np.abs(r - rho)[off] / np.maximum(se[off], 1e-12)
    assert z.max() < Z_TOL, z.max()
    np.testing.assert_allclose(data.var(ddof=1), 1.0, atol=Z_TOL * np.sqrt(2 / n))


def test_latent_interaction_has_the_isserlis_moments():
    # Y = 0.4 X + 0.2 W + 0.25 (XW - cov) + e with corr(X, W) = 0.3
    model = "Y ~ 0.4*X + 0.2*W + 0.25*X:W\nX ~~ 0.3*W"
    n = 200_000
    d = simulate_data(model, n, seed=7)
    assert list(d.columns) == ["Y", "X", "W"]
    var_xw = 1 + 0.3**2  # Isserlis: var(XW) = var X var W + cov^2
    var_sys = 0.4**2 + 0.2**2 + 2 * 0.4 * 0.2 * 0.3 + 0.25**2 * var_xw
    # total variance 1, so the residual variance is 1 - var_sys
    ols = np.linalg.lstsq(
        np.column_stack([np.ones(n), d.X, d.W, d.X * d.W]), d.Y.to_numpy(), rcond=None
    )[0]
    resid_sd = np.sqrt(1 - var_sys)
    se_b = resid_sd / np.sqrt(n * var_xw)  # rough SE of the product slope
    assert abs(ols[3] - 0.25) < Z_TOL * se_b
    assert abs(ols[1] - 0.4) < Z_TOL * resid_sd / np.sqrt(n * (1 - 0.09))
    # the product is centred at cov(X, W) = 0.3, so Y has mean 0 (intercept = -0.25 * 0.3)
    assert abs(d.Y.mean()) < Z_TOL / np.sqrt(n)
    assert abs(ols[0] + 0.25 * 0.3) < Z_TOL * resid_sd / np.sqrt(n) * 1.5
    assert abs(d.Y.var() - 1) < Z_TOL * np.sqrt(2 / n) * 1.5


def test_given_variances_and_unstandardized_metric():
    # standardized=False: residual variances default to 1 (lavaan), so var(y) = 1 + 0.5^2
    d = simulate_data("y ~ 0.5*x", 100_000, seed=3, standardized=False)
    assert abs(d.y.var() - 1.25) < Z_TOL * 1.25 * np.sqrt(2 / 100_000)
    # a given exogenous variance and residual variance are kept
    d = simulate_data("y ~ 0.5*x\nx ~~ 4*x\ny ~~ 0.5*y", 100_000, seed=3)
    assert abs(d.x.var() - 4) < Z_TOL * 4 * np.sqrt(2 / 100_000)
    assert abs(d.y.var() - (0.25 * 4 + 0.5)) < Z_TOL * 1.5 * np.sqrt(2 / 100_000)


def test_residual_covariance_enters_the_standardisation():
    # x1, x2 indicators of F with correlated residuals: r = .6*.6 + .2
    d = simulate_data("F =~ 0.6*x1 + 0.6*x2\nx1 ~~ 0.2*x2", 100_000, seed=5)
    r = d.corr().loc["x1", "x2"]
    assert abs(r - 0.56) < Z_TOL * (1 - 0.56**2) / np.sqrt(100_000)
    np.testing.assert_allclose(d.var(), 1.0, atol=Z_TOL * np.sqrt(2 / 100_000))


def test_likert_cutting_gives_the_intended_proportions():
    n = 200_000
    t5 = default_thresholds(5)
    props = [0.10, 0.15, 0.40, 0.35]
    d = simulate_data(
        "F =~ 0.7*a + 0.7*b + 0.7*c",
        n,
        seed=11,
        likert={"a": 5, "b": 7},
        thresholds={"c": thresholds_from_proportions(props)},
    )
    assert d.dtypes.to_dict() == {"a": np.int64, "b": np.int64, "c": np.int64}
    for col, t in [
        ("a", t5),
        ("b", default_thresholds(7)),
        ("c", thresholds_from_proportions(props)),
    ]:
        expected = np.diff(stats.norm.cdf(np.r_[-np.inf, t, np.inf]))
        observed = d[col].value_counts(normalize=True).sort_index().to_numpy()
        assert len(observed) == len(expected)
        se = np.sqrt(expected * (1 - expected) / n)
        assert (np.abs(observed - expected) < Z_TOL * se).all(), (col, observed, expected)
    np.testing.assert_allclose(
        np.diff(stats.norm.cdf(np.r_[-np.inf, thresholds_from_proportions(props), np.inf])), props
    )


def test_default_thresholds_are_negatively_skewed():
    p = np.diff(stats.norm.cdf(np.r_[-np.inf, default_thresholds(5), np.inf]))
    mean = (np.arange(1, 6) * p).sum()
    assert 3.5 < mean < 3.8  # a typical satisfaction-scale mean
    assert stats.skew(np.repeat(np.arange(1, 6), np.round(p * 10_000).astype(int))) < -0.2


def test_per_variable_thresholds_override_an_int_likert():
    d = simulate_data("F =~ 0.7*a + 0.7*b", 2000, seed=4, likert=5, thresholds={"b": [0.0]})
    assert sorted(d.a.unique()) == [1, 2, 3, 4, 5] and sorted(d.b.unique()) == [1, 2]
    with pytest.raises(InputError, match="needs 4 thresholds"):
        simulate_data("F =~ 0.7*a + 0.7*b", 5, seed=4, likert={"b": 5}, thresholds={"b": [0.0]})


def test_thresholds_are_in_population_sd_units():
    # x has variance 4: the cut must divide by its SD, so proportions are unchanged
    d = simulate_data("x ~~ 4*x", 100_000, seed=2, thresholds={"x": [0.0]})
    assert abs((d.x == 1).mean() - 0.5) < Z_TOL * 0.5 / np.sqrt(100_000)


def test_cut_likert_boundaries():
    assert cut_likert(np.array([-1.0, -0.999, 1.0, 1.001]), [-1.0, 1.0]).tolist() == [1, 2, 2, 3]
    with pytest.raises(InputError, match="increasing"):
        cut_likert(np.zeros(2), [1.0, 0.0])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"likert": {"nope": 5}}, "not an observed variable"),
        ({"likert": 5, "thresholds": [0.0, 1.0]}, "needs 4 thresholds"),
        ({"likert": 3, "thresholds": [1.0, 0.0]}, "increasing"),
        ({"thresholds": [0.0]}, "likert is None"),
        ({"likert": 1}, "at least 2 points"),
    ],
)
def test_bad_likert_arguments(kwargs, message):
    with pytest.raises(InputError, match=message):
        simulate_data("F =~ 0.7*a + 0.7*b", 5, seed=1, **kwargs)


def test_deterministic_per_seed_and_different_across_seeds():
    a = simulate_data(MODEL, 300, seed=42, likert=5)
    b = simulate_data(MODEL, 300, seed=42, likert=5)
    c = simulate_data(MODEL, 300, seed=43, likert=5)
    pd.testing.assert_frame_equal(a, b)
    assert (a != c).to_numpy().mean() > 0.3
    # SeedSequence children and Generators are accepted alike
    child = np.random.SeedSequence(42).spawn(1)[0]
    pd.testing.assert_frame_equal(
        simulate_data(MODEL, 50, seed=child),
        simulate_data(MODEL, 50, seed=np.random.default_rng(child)),
    )


def test_bad_n():
    with pytest.raises(InputError, match="positive whole number"):
        simulate_data(MODEL, 0, seed=1)


def test_implied_estimates_equal_population_values_on_continuous_data():
    # Without cutting, a tight ML fit on a large sample recovers the standardised population
    # values. Tolerance: 4.5 SE, the SE of a standardised estimate taken as se * std_all / est
    # (scaling treated as fixed).
    est = implied_estimates(
        MODEL,
        "X =~ x1 + x2 + x3\nM =~ m1 + m2 + m3\nY =~ y1 + y2 + y3\nW =~ w1 + w2\n"
        "M ~ X + W\nY ~ M + X\nX ~~ W",
        n=20_000,
        seed=8,
    )
    rows = {(r.lhs, r.op, r.rhs): r for r in est.itertuples()}
    truth = parse_population_model(MODEL)
    checked = 0
    for key, value in [
        *(((f, "=~", i), lam) for f, inds in truth.loadings.items() for i, lam in inds.items()),
        *(((y, "~", x), b) for y, preds in truth.regressions.items() for x, b in preds.items()),
        (("X", "~~", "W"), 0.3),
    ]:
        r = rows[key]
        # a marker loading is fixed (se 0); its standardised value is corr(x, F): (1 - r^2)/sqrt(n)
        se = r.se * abs(r.std_all / r.est) if r.se > 0 else (1 - value**2) / np.sqrt(20_000)
        assert abs(r.std_all - value) < Z_TOL * se, (key, r.std_all, value, se)
        checked += 1
    assert checked == 16
    # cutting into 5 categories attenuates every loading
    cut = implied_estimates(MODEL, "X =~ x1 + x2 + x3", n=20_000, seed=8, likert=5).query(
        "op == '=~'"
    )
    assert (cut.std_all.to_numpy() < np.array([0.8, 0.7, 0.6])).all()


def test_no_warnings_on_a_clean_model():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = simulate_data(MODEL, 10, seed=1, likert=5)
    assert [str(w.message) for w in caught] == []
    assert len(data) == 10


def test_a_population_without_statements_is_empty_but_a_model_to_fit_is_refused():
    from sqresearch.sem.syntax import parse_model

    population = parse_population_model("# 1. latent variables\n\n# 2. regressions\n")
    assert population.loadings == {} and population.regressions == {}
    with pytest.raises(ModelError, match="no statements"):
        parse_model("# 1. latent variables\n")
