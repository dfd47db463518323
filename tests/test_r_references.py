"""Reference values from live R runs (R lavaan 0.6.14, psych 2.x on this machine).

The R scripts are quoted beside each table; the tests themselves need no R.
"""

from __future__ import annotations

import numpy as np
import pytest
import semopy.examples

from sqresearch.measure.reliability import cronbach_alpha
from sqresearch.sem.fit import fit_sem

HS = semopy.examples.holzinger39.get_data()
HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


def hs_with_missing():
    """HolzingerSwineford1939 x1..x9 with item j blanked in rows j, j + 7 + j, ... (1-based).

    In R: d <- HolzingerSwineford1939[, paste0("x", 1:9)]
          for (j in 1:9) { idx <- seq(j, nrow(d), by = 7 + j); d[idx, j] <- NA }
    """
    d = HS[[f"x{j}" for j in range(1, 10)]].astype(float).copy()
    for j in range(1, 10):
        d.iloc[j - 1 :: 7 + j, j - 1] = np.nan
    return d


# fit <- cfa(model, d, missing = "ml"); fitMeasures(fit, ...)
LAVAAN_FIML_FIT = {
    "chisq": 82.0378265264,
    "df": 24.0,
    "cfi": 0.9242126815,
    "tli": 0.8863190223,
    "rmsea": 0.0896327459,
    "rmsea.ci.lower": 0.0688222652,
    "rmsea.ci.upper": 0.1112800855,
    "srmr": 0.0622950417,
    "aic": 6912.1426988795,
    "bic": 7023.356006822,
    "logl": -3426.0713494398,
}
# parameterEstimates(fit, standardized = TRUE): est, se, std.all
LAVAAN_FIML_EST = {
    ("visual", "=~", "x1"): (1.0, 0.0, 0.75229022),
    ("visual", "=~", "x2"): (0.57857703, 0.11735732, 0.42876813),
    ("visual", "=~", "x3"): (0.75546489, 0.12714985, 0.57817569),
    ("textual", "=~", "x4"): (1.0, 0.0, 0.86524298),
    ("textual", "=~", "x5"): (1.09430057, 0.06793264, 0.85151925),
    ("textual", "=~", "x6"): (0.90358091, 0.05911017, 0.82540256),
    ("speed", "=~", "x7"): (1.0, 0.0, 0.48190171),
    ("speed", "=~", "x8"): (1.23936198, 0.1894554, 0.62869712),
    ("speed", "=~", "x9"): (1.52475168, 0.39368512, 0.77524103),
    ("x1", "~~", "x1"): (0.58099927, 0.11673554, 0.43405942),
    ("x2", "~~", "x2"): (1.12576774, 0.11192884, 0.81615789),
    ("x3", "~~", "x3"): (0.86098006, 0.10247359, 0.66571287),
    ("x4", "~~", "x4"): (0.3379024, 0.05177338, 0.25135458),
    ("x5", "~~", "x5"): (0.45694438, 0.06337628, 0.27491497),
    ("x6", "~~", "x6"): (0.38439669, 0.04805866, 0.31871062),
    ("x7", "~~", "x7"): (0.87441776, 0.10407117, 0.76777074),
    ("x8", "~~", "x8"): (0.62156476, 0.10936815, 0.60473993),
    ("x9", "~~", "x9"): (0.40822862, 0.13263249, 0.39900134),
    ("visual", "~~", "visual"): (0.75752544, 0.14707596, 1.0),
    ("textual", "~~", "textual"): (1.0064232, 0.11629754, 1.0),
    ("speed", "~~", "speed"): (0.26448701, 0.09417198, 1.0),
    ("visual", "~~", "textual"): (0.41734054, 0.08203526, 0.4779711),
    ("visual", "~~", "speed"): (0.25113248, 0.0523536, 0.56105068),
    ("textual", "~~", "speed"): (0.14913899, 0.04538894, 0.28906713),
    ("x1", "~1", ""): (4.95163517, 0.07003268, 4.27991794),
    ("x2", "~1", ""): (6.09239342, 0.07139021, 5.1874107),
    ("x3", "~1", ""): (2.25118686, 0.06838537, 1.97951354),
    ("x4", "~1", ""): (3.05221326, 0.06815269, 2.63246522),
    ("x5", "~1", ""): (4.35169387, 0.07565016, 3.37540479),
    ("x6", "~1", ""): (2.18342511, 0.06442356, 1.988139),
    ("x7", "~1", ""): (4.17993681, 0.0635269, 3.91675142),
    ("x8", "~1", ""): (5.54209737, 0.05996381, 5.46657464),
    ("x9", "~1", ""): (5.35895103, 0.05965075, 5.29804014),
}
OURS = {"rmsea.ci.lower": "rmsea_ci_lower", "rmsea.ci.upper": "rmsea_ci_upper", "logl": "loglik"}


def test_fiml_matches_lavaan_missing_ml():
    data = hs_with_missing()
    assert int(data.isna().sum().sum()) == 239  # as in R
    result = fit_sem(HS_MODEL, data, missing="fiml")
    assert result.converged and result.n == 301
    for key, value in LAVAAN_FIML_FIT.items():
        assert result.fit[OURS.get(key, key)] == pytest.approx(value, abs=1e-6), key
    table = result.estimates.set_index(["lhs", "op", "rhs"])
    for key, (est, se, std) in LAVAAN_FIML_EST.items():
        row = table.loc[key]
        assert row["est"] == pytest.approx(est, abs=1e-5), key
        assert row["se"] == pytest.approx(se, abs=1e-5), key
        assert row["std_all"] == pytest.approx(std, abs=1e-5), key


def test_alpha_matches_psych_alpha():
    # psych::alpha(HolzingerSwineford1939[, c("x4","x5","x6","x7")])
    scale = cronbach_alpha(HS, ["x4", "x5", "x6", "x7"], omega=False)
    assert scale.alpha == pytest.approx(0.7546638220, abs=1e-9)  # raw_alpha
    assert scale.std_alpha == pytest.approx(0.7478422936, abs=1e-9)  # std.alpha
    r_drop = {"x4": 0.7388299115, "x5": 0.7002839912, "x6": 0.7040769875, "x7": 0.1457336774}
    alpha_drop = {"x4": 0.5878529542, "x5": 0.6045942365, "x6": 0.6158459136, "x7": 0.8827069129}
    for item in r_drop:
        assert scale.items.loc[item, "citc"] == pytest.approx(r_drop[item], abs=1e-9)
        assert scale.items.loc[item, "alpha_if_deleted"] == pytest.approx(alpha_drop[item], abs=1e-9)


def test_alpha_with_a_reverse_keyed_item_matches_psych():
    # psych::alpha(HolzingerSwineford1939[, c("x1","x2","x3")], keys = c("x2"))
    scale = cronbach_alpha(HS, ["x1", "x2", "x3"], reverse=["x2"], omega=False)
    assert scale.alpha == pytest.approx(-0.2416485594, abs=1e-9)
    assert scale.std_alpha == pytest.approx(-0.2261570676, abs=1e-9)
    r_drop = {"x1": 0.1117561122, "x2": -0.3749679618, "x3": 0.0822320951}
    alpha_drop = {"x1": -1.0283467109, "x2": 0.6115414959, "x3": -0.8463051669}
    for item in r_drop:
        assert scale.items.loc[item, "citc"] == pytest.approx(r_drop[item], abs=1e-9)
        assert scale.items.loc[item, "alpha_if_deleted"] == pytest.approx(alpha_drop[item], abs=1e-9)


def test_htmt_and_omega_match_semtools():
    from sqresearch.measure.validity import composite_reliability, htmt, htmt2

    blocks = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"], "speed": ["x7", "x8", "x9"]}
    pairs = [("textual", "visual"), ("speed", "visual"), ("speed", "textual")]
    # semTools::htmt(model, HolzingerSwineford1939, htmt2 = FALSE): Henseler et al. (2015)
    ours = htmt(HS, blocks)
    for (a, b), value in zip(pairs, (0.4243230424, 0.4665497385, 0.2895678628), strict=True):
        assert ours.loc[a, b] == pytest.approx(value, abs=1e-9)
    # semTools::htmt(..., htmt2 = TRUE): geometric means (HTMT2)
    ours2 = htmt2(HS, blocks)
    for (a, b), value in zip(pairs, (0.3840885639, 0.3867729305, 0.2796835510), strict=True):
        assert ours2.loc[a, b] == pytest.approx(value, abs=1e-9)
    # semTools::compRelSEM(cfa(model, HolzingerSwineford1939), obs.var = FALSE)
    omega = composite_reliability(fit_sem(HS_MODEL, HS).estimates)["omega"]
    for factor, value in zip(blocks, (0.6253180156, 0.8851753603, 0.6877600372), strict=True):
        assert omega[factor] == pytest.approx(value, abs=1e-6)


def test_kmo_bartlett_and_varimax_components_match_psych():
    from sqresearch.measure.efa import efa, kmo_bartlett

    items = HS[[f"x{j}" for j in range(1, 10)]]
    # psych::KMO(d)$MSA; psych::cortest.bartlett(cor(d), n = 301)
    adequacy = kmo_bartlett(items)
    assert adequacy.kmo == pytest.approx(0.7522445926, abs=1e-9)
    assert adequacy.chisq == pytest.approx(904.09705104, abs=1e-6)
    assert adequacy.df == 36
    # psych::principal(d, nfactors = 3, rotate = "varimax") loadings. R's
    # stats::varimax stops at eps = 1e-5, ours iterates to SPSS-like
    # convergence, so the two agree to about 2e-4, not to machine precision.
    psych_loadings = np.array([
        [0.32129435, 0.67306696, 0.17467665], [0.08267034, 0.72673302, -0.10206587],
        [0.01759410, 0.77869649, 0.15452786], [0.88931063, 0.12411250, 0.09062762],
        [0.90300119, 0.06038181, 0.07676523], [0.86925913, 0.17762115, 0.07646666],
        [0.09834045, -0.15315643, 0.82984387], [0.04219510, 0.14491742, 0.81808492],
        [0.12984643, 0.43546521, 0.63620332],
    ])
    ours = efa(items, n_factors=3, method="pc", rotation="varimax").loadings.to_numpy()
    np.testing.assert_allclose(ours, psych_loadings, atol=1e-3)
