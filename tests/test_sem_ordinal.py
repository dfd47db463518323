"""Thresholds, polychoric correlations, NACOV and WLSMV against lavaan 0.6.14.

The data are lavaan's HolzingerSwineford1939 items cut at their quartiles
into 4 ordered categories (the same cut in R and here; R's quantile type 7 is
numpy's default). Reference values from Debian's r-cran-lavaan 0.6.14:

    library(lavaan)
    d <- HolzingerSwineford1939[paste0("x", 1:9)]
    for (v in names(d)) d[[v]] <- findInterval(d[[v]], quantile(d[[v]], c(.25, .5, .75))) + 1L
    HS <- 'visual =~ x1 + x2 + x3
    textual =~ x4 + x5 + x6
    speed =~ x7 + x8 + x9'
    fit <- cfa(HS, d, ordered = TRUE, estimator = "WLSMV")
    ss <- lavInspect(fit, "sampstat")
    cat(sprintf("%.10g", lav_matrix_vech(ss$cov, diagonal = FALSE)), sep = ", ")
    cat(sprintf("%.10g", ss$th), sep = ", ")
    diag(lavInspect(fit, "gamma"))[c(1, 2, 30)]; lavInspect(fit, "gamma")[1, 2:4]  # 30: x1~~x4
    pe <- parameterEstimates(fit, standardized = TRUE)
    cat(sprintf('("%s", "%s", "%s", %.10g, %.10g, %.10g),', pe$lhs, pe$op, pe$rhs,
                pe$est, pe$se, pe$std.all), sep = "\n")  # free rows and thresholds below
    fitMeasures(fit, c("chisq", "chisq.scaled", ...))           # FIT below
    # std.lv = TRUE: the same with cfa(HS, d, ordered = TRUE, estimator = "WLSMV", std.lv = TRUE)
    psych::alpha(ss$cov[1:3, 1:3])$total$raw_alpha; psych::alpha(ss$cov)$total$raw_alpha

lavaan's polychorics stop about 3e-8 from the ML solution (nlminb), so the
χ² statistics are compared to 1e-6 relative.
"""

from __future__ import annotations

import numpy as np
import pytest

from sqresearch.errors import ModelError
from sqresearch.measure.validity import composite_reliability
from sqresearch.sem.fit import fit_sem
from sqresearch.sem.ordinal import bvn_cdf, ordinal_alpha, polychoric

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
ITEMS = [f"x{i}" for i in range(1, 10)]
POLYCHORIC = [
    0.3120927199, 0.4173126389, 0.4306690989, 0.3455486756, 0.3996206818, 0.02689935969,
    0.1405229609, 0.4034077004, 0.3356770391, 0.2264745191, 0.2325040532, 0.1843857626,
    -0.04093200389, 0.02922019097, 0.245564271, 0.1295459729, 0.08712358318, 0.1115579288,
    0.07214330214, 0.1968513791, 0.3471004505, 0.7366526977, 0.6975051194, 0.168037414,
    0.04150093301, 0.2376586386, 0.767928603, 0.05273570864, 0.06710113624, 0.2686897037,
    0.09970385774, 0.07918266182, 0.1280381384, 0.4772298821, 0.3091038705, 0.4334513749
]  # fmt: skip
THRESHOLDS = [
    -0.7859552786, -0.07084439975, 0.5368631798, -0.9176464588, -0.05415630738, 0.5856071612,
    -0.7196170727, -0.0124918279, 0.6256242001, -0.7973476228, -0.1294394081, 0.5177235528,
    -0.677105735, -0.05415630738, 0.5272692218, -0.7746640385, -0.1042845711, 0.5562015354,
    -0.677105735, -0.03748328455, 0.6256242001, -0.7196170727, -0.02082067591, 0.6357844202,
    -0.6876164408, -0.004163846375, 0.6563049909
]  # fmt: skip
FREE_ROWS = [
    ("visual", "=~", "x2", 0.5425496848, 0.09861233075, 0.4516048282),
    ("visual", "=~", "x3", 0.6019457767, 0.103412627, 0.501044654),
    ("textual", "=~", "x5", 1.06573668, 0.05221154307, 0.8890365325),
    ("textual", "=~", "x6", 1.021026446, 0.04827639773, 0.8517392983),
    ("speed", "=~", "x8", 1.25487186, 0.2176780682, 0.5584016052),
    ("speed", "=~", "x9", 1.987619167, 0.3738969202, 0.8844645967),
    ("x1", "|", "t1", -0.7859552786, 0.08109851884, -0.7859552786),
    ("x1", "|", "t2", -0.07084439975, 0.07242614873, -0.07084439975),
    ("x1", "|", "t3", 0.5368631798, 0.07628029661, 0.5368631798),
    ("x2", "|", "t1", -0.9176464588, 0.08459845579, -0.9176464588),
    ("x2", "|", "t2", -0.05415630738, 0.07239869797, -0.05415630738),
    ("x2", "|", "t3", 0.5856071612, 0.07705483105, 0.5856071612),
    ("x3", "|", "t1", -0.7196170727, 0.07959858122, -0.7196170727),
    ("x3", "|", "t2", -0.0124918279, 0.07236217705, -0.0124918279),
    ("x3", "|", "t3", 0.6256242001, 0.07774931946, 0.6256242001),
    ("x4", "|", "t1", -0.7973476228, 0.08137316401, -0.7973476228),
    ("x4", "|", "t2", -0.1294394081, 0.07258083264, -0.1294394081),
    ("x4", "|", "t3", 0.5177235528, 0.07599706091, 0.5177235528),
    ("x5", "|", "t1", -0.677105735, 0.07872336157, -0.677105735),
    ("x5", "|", "t2", -0.05415630738, 0.07239869797, -0.05415630738),
    ("x5", "|", "t3", 0.5272692218, 0.07613686897, 0.5272692218),
    ("x6", "|", "t1", -0.7746640385, 0.08083132892, -0.7746640385),
    ("x6", "|", "t2", -0.1042845711, 0.07250328629, -0.1042845711),
    ("x6", "|", "t3", 0.5562015354, 0.07657835392, 0.5562015354),
    ("x7", "|", "t1", -0.677105735, 0.07872336157, -0.677105735),
    ("x7", "|", "t2", -0.03748328455, 0.07237860016, -0.03748328455),
    ("x7", "|", "t3", 0.6256242001, 0.07774931946, 0.6256242001),
    ("x8", "|", "t1", -0.7196170727, 0.07959858122, -0.7196170727),
    ("x8", "|", "t2", -0.02082067591, 0.07236582503, -0.02082067591),
    ("x8", "|", "t3", 0.6357844202, 0.07793427488, 0.6357844202),
    ("x9", "|", "t1", -0.6876164408, 0.07893368348, -0.6876164408),
    ("x9", "|", "t2", -0.004163846375, 0.0723603534, -0.004163846375),
    ("x9", "|", "t3", 0.6563049909, 0.07831868183, 0.6563049909),
    ("visual", "~~", "visual", 0.6928482461, 0.1191399245, 1),
    ("textual", "~~", "textual", 0.6958880658, 0.04987883823, 1),
    ("speed", "~~", "speed", 0.1980133882, 0.05999195107, 1),
    ("visual", "~~", "textual", 0.3443054877, 0.0492971882, 0.4958555625),
    ("visual", "~~", "speed", 0.1812029351, 0.04384832645, 0.4892140143),
    ("textual", "~~", "speed", 0.09105097445, 0.03415351707, 0.2452831),
]  # fmt: skip
STD_LV_ROWS = [
    ("visual", "=~", "x1", 0.8323750989, 0.07156624637, 0.8323750989),
    ("visual", "=~", "x2", 0.4516047396, 0.06529081404, 0.4516047396),
    ("visual", "=~", "x3", 0.5010447848, 0.06420355697, 0.5010447848),
    ("textual", "=~", "x4", 0.8341990673, 0.02989624511, 0.8341990673),
    ("textual", "=~", "x5", 0.8890364817, 0.02816351963, 0.8890364817),
    ("textual", "=~", "x6", 0.8517393186, 0.0298368652, 0.8517393186),
    ("speed", "=~", "x7", 0.4449868123, 0.0674086539, 0.4449868123),
    ("speed", "=~", "x8", 0.5584017233, 0.06378902428, 0.5584017233),
    ("speed", "=~", "x9", 0.8844647545, 0.07315205529, 0.8844647545),
    ("visual", "~~", "textual", 0.49585557, 0.06942308842, 0.49585557),
    ("visual", "~~", "speed", 0.4892139602, 0.08034841702, 0.4892139602),
    ("textual", "~~", "speed", 0.245282975, 0.07634582731, 0.245282975),
]  # fmt: skip
FIT = {
    "chisq": 63.7552663786,
    "df": 24,
    "pvalue": 1.84989533962e-05,
    "chisq_scaled": 88.7510661349,
    "df_scaled": 24,
    "pvalue_scaled": 2.31804131445e-09,
    "chisq_scaling_factor": 0.757583056885,
    "baseline_chisq": 2026.73422375,
    "baseline_df": 36,
    "baseline_chisq_scaled": 1334.80590326,
    "baseline_chisq_scaling_factor": 1.53274189681,
    "cfi": 0.980029847328,
    "tli": 0.970044770991,
    "cfi_scaled": 0.950145694617,
    "tli_scaled": 0.925218541925,
    "rmsea": 0.0743072323183,
    "rmsea_ci_lower": 0.0524675129113,
    "rmsea_ci_upper": 0.0967191552132,
    "rmsea_scaled": 0.0948325030242,
    "rmsea_ci_lower_scaled": 0.0741953013705,
    "rmsea_ci_upper_scaled": 0.116337517162,
    "rmsea_pvalue_scaled": 0.000311601401111,
    "srmr": 0.0733480189741,
    "npar": 39,
}
STATISTICS = ("chisq", "chisq_scaled", "baseline_chisq", "baseline_chisq_scaled")


@pytest.fixture(scope="module")
def data(hs_ordinal):
    return hs_ordinal


@pytest.fixture(scope="module")
def fit(data):
    return fit_sem(HS_MODEL, data, ordered=True, estimator="WLSMV")


def test_bivariate_normal_cdf():
    from scipy import stats

    rng = np.random.default_rng(0)
    h, k = rng.normal(size=30), rng.normal(size=30)
    h[0] = k[1] = h[2] = k[2] = 0.0  # the formula's special points
    for rho in (-0.9, 0.0, 0.6):
        ref = [
            stats.multivariate_normal([0, 0], [[1, rho], [rho, 1]]).cdf([a, b])
            for a, b in zip(h, k, strict=True)
        ]
        np.testing.assert_allclose(bvn_cdf(h, k, rho), ref, atol=1e-12)


def test_thresholds_polychorics_and_nacov_match_lavaan(data):
    res = polychoric(data)
    np.testing.assert_allclose(np.concatenate(list(res.thresholds.values())), THRESHOLDS, atol=1e-9)
    j, i = np.triu_indices(9, 1)
    np.testing.assert_allclose(res.cor.to_numpy()[i, j], POLYCHORIC, atol=1e-7)
    # diag(lavInspect(fit, "gamma"))[c(1, 2, 30)] and gamma[1, 2:4]
    np.testing.assert_allclose(np.diag(res.gamma)[[0, 1, 29]], [1.97309092720, 1.57366410602,
                                                                1.029059527451], rtol=1e-6)  # fmt: skip
    np.testing.assert_allclose(res.gamma[0, 1:4], [0.978553638547, 0.631065299146, 0.317858838762],
                               rtol=1e-6)  # fmt: skip
    assert res.n == 301 and res.categories["x1"] == [1, 2, 3, 4]


def test_wlsmv_estimates_match_lavaan(fit):
    keyed = {(r.lhs, r.op, r.rhs): (r.est, r.se, r.std_all) for r in fit.estimates.itertuples()}
    for lhs, op, rhs, *values in FREE_ROWS:
        np.testing.assert_allclose(
            keyed[(lhs, op, rhs)], values, atol=1e-5, err_msg=f"{lhs}{op}{rhs}"
        )
    # residual variances: fixed at 1 − R² (delta parametrisation), as lavaan prints them
    row = fit.estimates[(fit.estimates["lhs"] == "x1") & (fit.estimates["op"] == "~~")].iloc[0]
    assert row["se"] == 0 and row["est"] == pytest.approx(1 - fit.r2["x1"])
    assert fit.estimator == "WLSMV" and fit.converged
    assert fit.estimates["op"].tolist().index("|") == 9  # thresholds follow the loadings


def test_wlsmv_fit_measures_match_lavaan(fit):
    for key, value in FIT.items():
        if key in STATISTICS:
            assert fit.fit[key] == pytest.approx(value, rel=1e-6), key
        else:
            assert fit.fit[key] == pytest.approx(value, abs=1e-6), key
    assert np.isnan(fit.fit["aic"]) and fit.fit["n"] == 301


def test_wlsmv_std_lv(data):
    res = fit_sem(HS_MODEL, data, ordered=True, estimator="WLSMV", std_lv=True)
    keyed = {(r.lhs, r.op, r.rhs): (r.est, r.se, r.std_all) for r in res.estimates.itertuples()}
    for lhs, op, rhs, *values in STD_LV_ROWS:
        np.testing.assert_allclose(keyed[(lhs, op, rhs)], values, atol=1e-5)
    assert res.fit["chisq_scaled"] == pytest.approx(FIT["chisq_scaled"], rel=1e-6)


def test_ordinal_alpha_and_cr(data, fit):
    # In R: psych::alpha(<lavaan polychoric matrix>)$total$raw_alpha
    assert ordinal_alpha(data, ["x1", "x2", "x3"]) == pytest.approx(0.6228351955, abs=1e-6)
    assert ordinal_alpha(data, ITEMS) == pytest.approx(0.7554153736, abs=1e-6)
    cr = composite_reliability(fit.estimates)
    lam = np.array([0.8323750989, 0.4516047396, 0.5010447848])  # std.all loadings of visual
    expected = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    assert cr.loc["visual", "cr"] == pytest.approx(expected, abs=1e-5)
    assert cr.loc["visual", "ave"] == pytest.approx(np.mean(lam**2), abs=1e-5)


def test_wlsmv_errors(data):
    with pytest.raises(ModelError, match="needs ordered items"):
        fit_sem(HS_MODEL, data, estimator="WLSMV")
    with pytest.raises(ModelError, match="use estimator='WLSMV'"):
        fit_sem(HS_MODEL, data, ordered=True, estimator="MLR")
    with pytest.raises(ModelError, match="x9 are not ordered.*missing='listwise' only"):
        fit_sem(HS_MODEL, data, ordered=ITEMS[:8], estimator="WLSMV", missing="pairwise")
    with pytest.raises(ModelError, match="group_equal='thresholds' with WLSMV is not supported"):
        fit_sem(HS_MODEL, data.assign(g=[1, 2] * 150 + [1]), ordered=True, estimator="WLSMV",
                group="g", group_equal=["loadings", "thresholds"])  # fmt: skip
