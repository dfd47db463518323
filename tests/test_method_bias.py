"""Common-method bias: the ULMC against lavaan, the marker correction against R.

Data: tests/data/method_factor.csv, drawn in R (lavaan 0.6.14) from three
correlated traits of four items each, a method factor on every item and a
marker item ``mk`` loading on the method factor only, cut into 5 categories::

    pop <- "T1 =~ 0.75*p1 + 0.70*p2 + 0.72*p3 + 0.68*p4
    T2 =~ 0.74*q1 + 0.70*q2 + 0.66*q3 + 0.72*q4
    T3 =~ 0.70*r1 + 0.76*r2 + 0.68*r3 + 0.71*r4
    T1 ~~ 0.30*T2; T1 ~~ 0.25*T3; T2 ~~ 0.35*T3
    M =~ 0.45*p1 + 0.20*p2 + 0.35*p3 + 0.50*p4 + 0.25*q1 + 0.40*q2 + 0.30*q3 +
         0.45*q4 + 0.50*r1 + 0.20*r2 + 0.40*r3 + 0.30*r4 + 0.40*mk"
    set.seed(5); d <- simulateData(pop, sample.nobs = 400, standardized = TRUE)
    d <- as.data.frame(lapply(d, function(v) as.integer(cut(v, c(-Inf, -1.5, -0.5, 0.5, 1.5, Inf)))))

Seeds 1-4 gave ULMC solutions lavaan itself flags as inadmissible (a
negative latent variance): ULMC models are often only weakly identified.
Seed 5 gives an admissible one, which is what an engine comparison needs;
this is a comparison with lavaan, not a claim that the method recovers
the population.

lavaan references::

    trait <- "T1 =~ p1 + p2 + p3 + p4\nT2 =~ q1 + q2 + q3 + q4\nT3 =~ r1 + r2 + r3 + r4"
    ulmc <- paste(trait, "METHOD =~ NA*p1 + p2 + ... + r4", "METHOD ~~ 1*METHOD",
                  "METHOD ~~ 0*T1 + 0*T2 + 0*T3", sep = "\n")
    fitMeasures(cfa(trait, d), fm); fitMeasures(cfa(ulmc, d), fm)   # fm: chisq df pvalue cfi tli rmsea srmr
    standardizedSolution(cfa(ulmc, d))                                # =~ rows
    # Lindell & Whitney on the item means, marker mk:
    sc <- data.frame(T1 = rowMeans(d[1:4]), T2 = rowMeans(d[5:8]), T3 = rowMeans(d[9:12]))
    rM <- min(cor(d$mk, sc)); RA <- (cor(sc) - rM) / (1 - rM)
    t <- RA / sqrt((1 - RA^2) / (400 - 3)); 2 * pt(-abs(t), 397)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from semopy.examples import holzinger39

from sqresearch.errors import InputError
from sqresearch.measure import MeasurementWarning
from sqresearch.measure.method_bias import (
    FIT_KEYS,
    marker_variable,
    method_factor_syntax,
    unmeasured_method_factor,
)

TEST_DATA = Path(__file__).parent / "data"
BLOCKS = {
    "T1": ["p1", "p2", "p3", "p4"],
    "T2": ["q1", "q2", "q3", "q4"],
    "T3": ["r1", "r2", "r3", "r4"],
}

ULMC_TRAIT_FIT = [
    73.26269172,
    51,
    0.02218751373,
    0.9894796214,
    0.9863853924,
    0.03303495751,
    0.03846522764,
]
ULMC_METHOD_FIT = [34.72087213, 39, 0.6653752788, 1, 1.003422065, 0, 0.02328104186]
ULMC_TRAIT_STD = [
    0.551218845,
    0.8191483994,
    0.5715160565,
    0.5143183651,
    0.7173965162,
    0.627023635,
    0.6224458259,
    0.7625513691,
    0.6584821762,
    0.746080701,
    0.6303962074,
    0.7120340058,
]
ULMC_METHOD_STD = [
    0.6204147959,
    0.1564418168,
    0.4811648045,
    0.65061852,
    0.26934966,
    0.4351223232,
    0.3099154416,
    0.3427168002,
    0.4457937694,
    0.2715148475,
    0.3408803825,
    0.2072489423,
]
ULMC_METHOD_P = [
    1.168113246e-06,
    0.2513007334,
    0.0006270940185,
    4.810993293e-08,
    0.000226720223,
    1.081830181e-10,
    6.388908335e-06,
    1.808134521e-06,
    1.286656337e-09,
    0.0001179590058,
    9.796181477e-07,
    0.003314108331,
]

MARKER_R = [0.204319635706, 0.168035315191, 0.18399688443]
MARKER_R_ADJ = [0.247877337189, 0.170995541517, 0.306105038609]
MARKER_T = [5.09802298565, 3.45799201729, 6.40663249673]
MARKER_P = [5.32326371422e-07, 6.03104990692e-04, 4.21602034255e-10]


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(TEST_DATA / "method_factor.csv")


@pytest.fixture(scope="module")
def ulmc(data):
    return unmeasured_method_factor(data, BLOCKS)


def test_ulmc_fit_matches_lavaan(ulmc):
    np.testing.assert_allclose(
        ulmc.comparison.loc["trait", list(FIT_KEYS)].astype(float),
        ULMC_TRAIT_FIT,
        rtol=1e-6,
        atol=1e-7,
    )
    np.testing.assert_allclose(
        ulmc.comparison.loc["trait_method", list(FIT_KEYS)].astype(float),
        ULMC_METHOD_FIT,
        rtol=1e-6,
        atol=1e-7,
    )


def test_ulmc_loadings_and_variance_shares_match_lavaan(ulmc):
    v = ulmc.variance
    np.testing.assert_allclose(v["trait_loading"], ULMC_TRAIT_STD, atol=1e-4)
    np.testing.assert_allclose(v["method_loading"], ULMC_METHOD_STD, atol=1e-4)
    np.testing.assert_allclose(v["method_pvalue"], ULMC_METHOD_P, rtol=1e-3, atol=1e-6)
    assert ulmc.trait_share == pytest.approx(np.mean(np.square(ULMC_TRAIT_STD)), abs=1e-4)
    assert ulmc.method_share == pytest.approx(np.mean(np.square(ULMC_METHOD_STD)), abs=1e-4)
    assert v["construct"].tolist() == [f for f, its in BLOCKS.items() for _ in its]


def test_ulmc_deltas_and_verdict(ulmc):
    d = ulmc.delta
    assert d["delta_chisq"] == pytest.approx(ULMC_TRAIT_FIT[0] - ULMC_METHOD_FIT[0], abs=1e-5)
    assert d["delta_df"] == 12
    assert d["delta_cfi"] == pytest.approx(ULMC_METHOD_FIT[3] - ULMC_TRAIT_FIT[3], abs=1e-6)
    assert d["delta_rmsea"] == pytest.approx(ULMC_METHOD_FIT[5] - ULMC_TRAIT_FIT[5], abs=1e-6)
    # the data carry a method factor: RMSEA falls by .033 (> .015), CFI rises by .0105 (> .010)
    assert ulmc.fit_improves and ulmc.method_smaller and ulmc.admissible
    assert ulmc.verdict == "method_bias"
    doc = ulmc.to_dict()
    assert doc["verdict"] == "method_bias" and doc["items"]["p1"]["construct"] == "T1"
    assert doc["models"]["trait"]["df"] == 51
    assert "<table" in ulmc._repr_html_() and "verdict='method_bias'" in repr(ulmc)


@pytest.mark.filterwarnings("ignore::sqresearch.sem.fit.SEMWarning")
def test_inadmissible_ulmc_is_flagged():
    # HolzingerSwineford1939: lavaan warns "some estimated lv variances are negative" too
    hs = holzinger39.get_data()
    blocks = {
        "visual": ["x1", "x2", "x3"],
        "textual": ["x4", "x5", "x6"],
        "speed": ["x7", "x8", "x9"],
    }
    with pytest.warns(MeasurementWarning, match="inadmissible"):
        res = unmeasured_method_factor(hs, blocks)
    assert not res.admissible
    assert res.comparison.loc["trait_method", "chisq"] == pytest.approx(26.020, abs=1e-3)


def test_method_factor_syntax_equal_loadings():
    text = method_factor_syntax({"A": ["a1", "a2"], "B": ["b1", "b2"]}, equal=True)
    assert "METHOD =~ m*a1 + m*a2 + m*b1 + m*b2" in text
    with pytest.raises(InputError, match="method factor"):
        method_factor_syntax({"METHOD": ["a1", "a2"], "B": ["b1", "b2"]})
    with pytest.raises(InputError, match="two constructs"):
        method_factor_syntax({"A": ["a1", "a2"], "B": ["a2", "b2"]})


def test_marker_correction_matches_r(data):
    res = marker_variable(data, BLOCKS, "mk")
    np.testing.assert_allclose(res.marker_correlations, MARKER_R, rtol=1e-9)
    assert res.r_m == pytest.approx(min(MARKER_R), rel=1e-12)
    pairs = res.pairs
    assert pairs[["v1", "v2"]].values.tolist() == [["T1", "T2"], ["T1", "T3"], ["T2", "T3"]]
    np.testing.assert_allclose(pairs["r_adjusted"], MARKER_R_ADJ, rtol=1e-9)
    np.testing.assert_allclose(pairs["t"], MARKER_T, rtol=1e-9)
    np.testing.assert_allclose(pairs["pvalue_adjusted"], MARKER_P, rtol=1e-6)
    assert (pairs["df"] == 397).all() and res.n == 400
    assert res.verdict == "no_serious_bias"
    assert res.to_dict()["pairs"][0]["v1"] == "T1"


def test_marker_correction_can_remove_significance(data):
    # a large r_M wipes out the T1-T3 correlation (r = .31)
    res = marker_variable(data, BLOCKS, "mk", r_m=0.30)
    row = res.pairs.set_index(["v1", "v2"]).loc[("T1", "T3")]
    assert row["significant"] and not row["significant_adjusted"]
    assert res.verdict == "method_bias"


def test_marker_bad_input(data):
    with pytest.raises(InputError, match="also a substantive item"):
        marker_variable(data, BLOCKS, "p1")
    with pytest.raises(InputError, match="at least 2"):
        marker_variable(data, ["p1"], "mk")
    with pytest.raises(InputError, match="positively"):
        marker_variable(data.assign(mk=-data["p1"] - data["q1"] - data["r1"]), BLOCKS, "mk")
