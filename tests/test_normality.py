"""Normality checks against psych::mardia and hand-computed Mardia coefficients in R.

R 4.2.2, psych 2.2.9::

    hs <- lavaan::HolzingerSwineford1939[paste0("x", 1:9)]
    m <- psych::mardia(hs, plot = FALSE)
    c(m$b1p, m$b2p, m$skew, m$p.skew, m$small.skew, m$p.small, m$kurtosis, m$p.kurt)
    # Mardia's own definition (ML covariance, divisor n):
    x <- as.matrix(hs); n <- nrow(x); p <- ncol(x); xc <- scale(x, scale = FALSE)
    D <- xc %*% solve(cov(x) * (n - 1) / n) %*% t(xc)
    b1 <- sum(D^3) / n^2; b2 <- sum(diag(D)^2) / n
    c(b1, b2, n * b1 / 6, b2 - p * (p + 2), (b2 - p * (p + 2)) / sqrt(8 * p * (p + 2) / n))

and the same on tests/data/pilot_second_order.csv (items a1..d4).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from semopy.examples import holzinger39

from sqresearch.errors import InputError
from sqresearch.measure.normality import mardia, normality
from sqresearch.thresholds import threshold

TEST_DATA = Path(__file__).parent / "data"
HS_ITEMS = [f"x{i}" for i in range(1, 10)]
PILOT_ITEMS = ["a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2", "c3", "d1", "d2", "d3", "d4"]

# psych::mardia: b1p, b2p, skew, p.skew, small.skew, p.small, kurtosis, p.kurt
PSYCH_HS = [6.80689217433, 102.903743038, 341.479090746, 2.19816367164e-14, 345.569097955,
            7.4277651232e-15, 2.40658873598, 0.0161022916433]  # fmt: skip
PSYCH_PILOT = [10.3859477015, 194.076072724, 519.297385076, 0.0196786321964, 525.238206397,
               0.0125407147541, -0.405168913438, 0.685353353768]  # fmt: skip
# ML definition: b1p, b2p, n b1p / 6, b2p - p(p+2), critical ratio
ML_HS = [6.87518824459, 103.59091136602, 344.90527693695, 4.59091136602, 2.83021589157]
ML_PILOT = [10.490503441017, 195.376411283309, 524.525172050867, 0.376411283309, 0.165067267292]

_PSYCH_KEYS = ["b1p", "b2p", "skew_chisq", "skew_pvalue", "skew_small_chisq",
               "skew_small_pvalue", "kurtosis_cr", "kurtosis_pvalue"]  # fmt: skip
_ML_KEYS = ["b1p", "b2p", "skew_chisq", "kurtosis", "kurtosis_cr"]


@pytest.fixture(scope="module")
def hs():
    return holzinger39.get_data()


@pytest.fixture(scope="module")
def pilot():
    return pd.read_csv(TEST_DATA / "pilot_second_order.csv")


@pytest.mark.parametrize("which", ["hs", "pilot"])
def test_mardia_unbiased_matches_psych(which, hs, pilot):
    data, items, ref = (
        (hs, HS_ITEMS, PSYCH_HS) if which == "hs" else (pilot, PILOT_ITEMS, PSYCH_PILOT)
    )
    m = mardia(data, items, covariance="unbiased")
    got = [float(m[k]) for k in _PSYCH_KEYS]
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12)
    p = len(items)
    assert m["skew_df"] == p * (p + 1) * (p + 2) / 6


@pytest.mark.parametrize("which", ["hs", "pilot"])
def test_mardia_ml_matches_hand_computation_in_r(which, hs, pilot):
    data, items, ref = (hs, HS_ITEMS, ML_HS) if which == "hs" else (pilot, PILOT_ITEMS, ML_PILOT)
    m = mardia(data, items)
    np.testing.assert_allclose([float(m[k]) for k in _ML_KEYS], ref, rtol=1e-10)
    assert m["n"] == len(data) and m["p"] == len(items)


def test_mardia_refuses_bad_input(hs):
    with pytest.raises(InputError, match="covariance"):
        mardia(hs, HS_ITEMS, covariance="n-1")
    with pytest.raises(InputError, match="more complete rows"):
        mardia(hs.head(5), HS_ITEMS)
    dup = hs[HS_ITEMS].assign(x10=hs["x1"] + hs["x2"])
    with pytest.raises(InputError, match="singular"):
        mardia(dup)


def test_item_statistics_are_the_descriptives_with_z_and_rule(pilot):
    res = normality(pilot, PILOT_ITEMS)
    x = pilot["d4"].to_numpy(float)
    row = res.items.loc["d4"]
    assert row["skewness"] == pytest.approx(stats.skew(x, bias=False), rel=1e-12)
    assert row["kurtosis"] == pytest.approx(stats.kurtosis(x, bias=False), rel=1e-12)
    assert row["z_skewness"] == pytest.approx(row["skewness"] / row["se_skewness"])
    assert res.rule == "kline" and res.univariate_ok and res.multivariate_ok
    assert not res.robust_advised


def test_skewed_items_fail_and_advise_robust_estimation():
    rng = np.random.default_rng(5)
    data = pd.DataFrame({"a": rng.exponential(size=400) ** 2, "b": rng.normal(size=400),
                         "c": rng.normal(size=400)})  # fmt: skip
    kline = normality(data, rule="kline")
    curran = normality(data, rule="curran")
    skew = kline.items.loc["a", "skewness"]
    # the exponential squared is far beyond both cut-offs; b and c are normal
    assert skew > threshold("skew_abs")
    assert not kline.items.loc["a", "normal"] and kline.items.loc[["b", "c"], "normal"].all()
    assert curran.threshold_keys == ("skew_abs_strict", "kurtosis_abs_strict")
    assert kline.robust_advised and not kline.multivariate_ok
    doc = kline.to_dict()
    assert doc["robust_advised"] is True and doc["items"]["a"]["normal"] is False
    assert doc["mardia"]["covariance"] == "ml"
    assert "<table" in kline._repr_html_() and "robust_advised=True" in repr(kline)


def test_curran_rule_is_stricter_than_kline():
    # a skewness between the two cut-offs (2 < g1 < 3) passes Kline, fails Curran et al.
    rng = np.random.default_rng(11)
    x = rng.gamma(0.6, size=3000)
    data = pd.DataFrame({"x": x, "y": rng.normal(size=3000)})
    g1 = stats.skew(x, bias=False)
    assert threshold("skew_abs_strict") < g1 < threshold("skew_abs")
    assert normality(data, rule="kline").items.loc["x", "skew_ok"]
    assert not normality(data, rule="curran").items.loc["x", "skew_ok"]
    with pytest.raises(InputError, match="rule"):
        normality(data, rule="spss")
