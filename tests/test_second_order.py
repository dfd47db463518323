"""Second-order CFA against lavaan 0.6.14.

Data: tests/data/pilot_second_order.csv, drawn with sqresearch.simulate from a
second-order population (G over four factors of 3-4 items, plus a weak
method factor and a marker item), cut into 5 categories::

    simulate_data(MODEL, 300, 20261129, likert=5)
    # F1 =~ .80 a1 + .75 a2 + .70 a3; F2 =~ .78 b1 + .72 b2 + .70 b3;
    # F3 =~ .76 c1 + .74 c2 + .68 c3; F4 =~ .80 d1 + .72 d2 + .70 d3 + .15 d4;
    # G =~ .80 F1 + .75 F2 + .70 F3 + .65 F4; M =~ .25 on every item + .30 mk

R::

    trait <- "F1 =~ a1 + a2 + a3\nF2 =~ b1 + b2 + b3\nF3 =~ c1 + c2 + c3\nF4 =~ d1 + d2 + d3 + d4"
    f1 <- cfa(trait, pil); f2 <- cfa(paste(trait, "G =~ F1 + F2 + F3 + F4", sep = "\n"), pil)
    fitMeasures(f1, fm); fitMeasures(f2, fm)   # fm: chisq df pvalue cfi tli rmsea srmr
    parameterEstimates(f2, standardized = TRUE)[, c("lhs", "op", "rhs", "est", "se", "std.all")]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sqresearch.errors import InputError
from sqresearch.measure.method_bias import FIT_KEYS
from sqresearch.measure.second_order import second_order_cfa, second_order_syntax

TEST_DATA = Path(__file__).parent / "data"
BLOCKS = {
    "F1": ["a1", "a2", "a3"],
    "F2": ["b1", "b2", "b3"],
    "F3": ["c1", "c2", "c3"],
    "F4": ["d1", "d2", "d3", "d4"],
}
HIGHER = {"G": ["F1", "F2", "F3", "F4"]}

SO_FIRST_FIT = [
    101.5546853,
    59,
    0.0004818339345,
    0.9701800025,
    0.9605769524,
    0.04903284112,
    0.03617892219,
]
SO_SECOND_FIT = [
    105.2205276,
    61,
    0.0003777185785,
    0.9690126713,
    0.9603768584,
    0.04915711821,
    0.03773042138,
]
SO_ROWS = [
    ("F1", "=~", "a1"),
    ("F1", "=~", "a2"),
    ("F1", "=~", "a3"),
    ("F2", "=~", "b1"),
    ("F2", "=~", "b2"),
    ("F2", "=~", "b3"),
    ("F3", "=~", "c1"),
    ("F3", "=~", "c2"),
    ("F3", "=~", "c3"),
    ("F4", "=~", "d1"),
    ("F4", "=~", "d2"),
    ("F4", "=~", "d3"),
    ("F4", "=~", "d4"),
    ("G", "=~", "F1"),
    ("G", "=~", "F2"),
    ("G", "=~", "F3"),
    ("G", "=~", "F4"),
    ("a1", "~~", "a1"),
    ("a2", "~~", "a2"),
    ("a3", "~~", "a3"),
    ("b1", "~~", "b1"),
    ("b2", "~~", "b2"),
    ("b3", "~~", "b3"),
    ("c1", "~~", "c1"),
    ("c2", "~~", "c2"),
    ("c3", "~~", "c3"),
    ("d1", "~~", "d1"),
    ("d2", "~~", "d2"),
    ("d3", "~~", "d3"),
    ("d4", "~~", "d4"),
    ("F1", "~~", "F1"),
    ("F2", "~~", "F2"),
    ("F3", "~~", "F3"),
    ("F4", "~~", "F4"),
    ("G", "~~", "G"),
]
SO_EST = [
    1,
    1.043317039,
    0.8392846156,
    1,
    0.8567849074,
    0.8633012457,
    1,
    0.894836098,
    0.8744972919,
    1,
    0.9166578403,
    0.8675136592,
    0.2016250408,
    1,
    1.00330657,
    0.9452389832,
    0.8995710577,
    0.3202519107,
    0.477277385,
    0.512616147,
    0.4416956309,
    0.5049336096,
    0.5734826578,
    0.3807918168,
    0.4594030491,
    0.5134039734,
    0.3924580831,
    0.4050501069,
    0.5822863609,
    0.9321625401,
    0.2161222931,
    0.2373188771,
    0.2451125215,
    0.2881131507,
    0.4482819859,
]
SO_SE = [
    0,
    0.07942427949,
    0.0714655233,
    0,
    0.07834668807,
    0.08085235325,
    0,
    0.07786179221,
    0.07857960574,
    0,
    0.07805527821,
    0.08087640651,
    0.07715612762,
    0,
    0.1119340304,
    0.1058342587,
    0.1043440452,
    0.04373957243,
    0.05547656418,
    0.05065483396,
    0.0574299183,
    0.05415345641,
    0.05943366468,
    0.05050453379,
    0.05043155468,
    0.05353850048,
    0.05188664218,
    0.04820992092,
    0.05873309607,
    0.07658198745,
    0.0482317681,
    0.05540342253,
    0.05172772063,
    0.0548180288,
    0.07490748335,
]
SO_STD = [
    0.8214363226,
    0.7761640615,
    0.6908356447,
    0.7805196238,
    0.7072930327,
    0.6872082471,
    0.7931045054,
    0.7276590659,
    0.7001740902,
    0.7898368135,
    0.757962697,
    0.6759322089,
    0.1661382614,
    0.8214089549,
    0.809534108,
    0.787628396,
    0.7465555825,
    0.3252423679,
    0.3975693497,
    0.522746112,
    0.3907891168,
    0.4997365659,
    0.5277448252,
    0.3709852435,
    0.4705122838,
    0.5097562434,
    0.3761578081,
    0.42549255,
    0.543115649,
    0.9723980781,
    0.3252873287,
    0.344654528,
    0.3796415099,
    0.4426547622,
    1,
]


@pytest.fixture(scope="module")
def result():
    return second_order_cfa(pd.read_csv(TEST_DATA / "pilot_second_order.csv"), BLOCKS, HIGHER)


def test_fit_of_both_models_matches_lavaan(result):
    c = result.comparison
    np.testing.assert_allclose(c.loc["first_order", list(FIT_KEYS)].astype(float), SO_FIRST_FIT,
                               rtol=1e-6, atol=1e-6)  # fmt: skip
    np.testing.assert_allclose(c.loc["second_order", list(FIT_KEYS)].astype(float), SO_SECOND_FIT,
                               rtol=1e-6, atol=1e-6)  # fmt: skip
    assert result.target == pytest.approx(SO_FIRST_FIT[0] / SO_SECOND_FIT[0], rel=1e-6)
    assert not result.just_identified


def test_estimates_match_lavaan(result):
    est = result.second_order.estimates.set_index(["lhs", "op", "rhs"])
    rows = est.loc[SO_ROWS]
    np.testing.assert_allclose(rows["est"], SO_EST, atol=1e-4)
    np.testing.assert_allclose(rows["se"], SO_SE, atol=1e-4)
    np.testing.assert_allclose(rows["std_all"], SO_STD, atol=1e-4)
    assert len(est) == len(SO_ROWS)


def test_cr_and_ave_at_both_levels(result):
    rel = result.reliability
    assert rel["level"].to_dict() == {"F1": 1, "F2": 1, "F3": 1, "F4": 1, "G": 2}
    std = dict(zip(SO_ROWS, SO_STD, strict=True))
    for factor, parts in {**BLOCKS, **HIGHER}.items():
        lam = np.array([std[(factor, "=~", p)] for p in parts])
        cr = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
        assert rel.loc[factor, "cr"] == pytest.approx(cr, abs=1e-4)
        assert rel.loc[factor, "ave"] == pytest.approx((lam**2).mean(), abs=1e-4)
    loads = result.loadings
    assert loads["rhs"].tolist() == ["F1", "F2", "F3", "F4"] and (loads["lhs"] == "G").all()
    doc = result.to_dict()
    assert doc["reliability"]["G"]["level"] == 2 and len(doc["loadings"]) == 4
    assert doc["models"]["second_order"]["df"] == 61
    assert "<table" in result._repr_html_() and "target = 0.965" in repr(result)


def test_three_factors_are_just_identified():
    blocks = {k: BLOCKS[k] for k in ("F1", "F2", "F3")}
    res = second_order_cfa(pd.read_csv(TEST_DATA / "pilot_second_order.csv"), blocks,
                           {"G": ["F1", "F2", "F3"]})  # fmt: skip
    assert res.just_identified
    assert res.target == pytest.approx(1.0, abs=1e-6)


def test_syntax_checks():
    with pytest.raises(InputError, match="unknown first-order"):
        second_order_syntax(BLOCKS, {"G": ["F1", "F9"]})
    with pytest.raises(InputError, match="at least 2"):
        second_order_syntax(BLOCKS, {"G": ["F1"]})
    with pytest.raises(InputError, match="two second-order"):
        second_order_syntax(BLOCKS, {"G": ["F1", "F2"], "H": ["F2", "F3"]})
    with pytest.raises(InputError, match="first-order factor's name"):
        second_order_syntax(BLOCKS, {"F1": ["F2", "F3"]})
