"""Hypothesis summary: each decision flipped by one number, and the adapters."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sqresearch.model.hypotheses import (
    decide,
    estimates_from_process,
    estimates_from_regression,
    estimates_from_sem,
    hypothesis_path,
    hypothesis_summary,
)
from sqresearch.model.process import process
from sqresearch.model.regression import hierarchical_regression


def H(id, kind, lhs, rhs, sign=1, m=None, w=None):  # noqa: N802 - mirrors constructs.Hypothesis
    return SimpleNamespace(id=id, kind=kind, lhs=lhs, rhs=rhs, sign=sign, m=m, w=w)


@pytest.mark.parametrize(
    "sign, est, lo, hi, p, expected",
    [
        (+1, 0.30, np.nan, np.nan, 0.010, (True, "supported", "p")),
        (+1, 0.30, np.nan, np.nan, 0.060, (False, "not_significant", "p")),  # p crosses .05
        (-1, 0.30, np.nan, np.nan, 0.010, (False, "wrong_sign", "p")),  # sign flipped
        (-1, -0.30, np.nan, np.nan, 0.010, (True, "supported", "p")),
        (+1, 0.20, 0.05, 0.35, np.nan, (True, "supported", "ci")),
        (+1, 0.20, -0.01, 0.35, np.nan, (False, "not_significant", "ci")),  # CI reaches 0
        (-1, 0.20, 0.05, 0.35, np.nan, (False, "wrong_sign", "ci")),
        (-1, -0.20, -0.35, -0.05, np.nan, (True, "supported", "ci")),
        (+1, 0.20, 0.05, 0.35, 0.20, (True, "supported", "ci")),  # the CI decides when given
        (+1, np.nan, np.nan, np.nan, np.nan, (False, "missing", "")),
    ],
)
def test_decide_flips(sign, est, lo, hi, p, expected):
    assert decide(sign, est, lo, hi, p, 0.05) == expected


def test_alpha_changes_decision():
    assert decide(1, 0.3, np.nan, np.nan, 0.03, 0.01)[0] is False
    assert decide(1, 0.3, np.nan, np.nan, 0.03, 0.05)[0] is True


def test_summary_table_and_framework_paths():
    hs = [
        H("H1", "path", "SOB", "CVA"),
        H("H6", "indirect", "LOY", "CVA", m="SOB"),
        H("H9", "moderation", "SOB", "CVA", w="NBL"),
        H("H2", "path", "SOB", "IRI", sign=-1),
    ]
    est = pd.DataFrame(
        {
            "path": ["SOB~CVA", "CVA>SOB>LOY", "SOB~CVA:NBL"],
            "estimate": [0.4, 0.12, 0.05],
            "ci_lower": [np.nan, 0.05, np.nan],
            "ci_upper": [np.nan, 0.20, np.nan],
            "pvalue": [0.001, np.nan, 0.30],
        }
    )
    out = hypothesis_summary(hs, est)
    assert list(out.columns) == [
        "id",
        "kind",
        "path",
        "expected_sign",
        "estimate",
        "ci_lower",
        "ci_upper",
        "pvalue",
        "supported",
        "reason",
        "basis",
    ]
    assert out["supported"].tolist() == [True, True, False, False]
    assert out["reason"].tolist() == ["supported", "supported", "not_significant", "missing"]
    assert out["path"].tolist() == ["SOB~CVA", "CVA>SOB>LOY", "SOB~CVA:NBL", "SOB~IRI"]
    assert out["supported"].dtype == bool


def test_framework_hypotheses_have_keys():
    from sqresearch.constructs import get_framework

    framework = get_framework("tea_brand_community")
    keys = [hypothesis_path(h) for h in framework.hypotheses]
    assert len(set(keys)) == len(keys)
    h6 = next(h for h in framework.hypotheses if h.kind == "indirect")
    assert hypothesis_path(h6) == f"{h6.x}>{h6.m}>{h6.y}"


def test_adapters():
    rng = np.random.default_rng(1)
    n = 200
    d = pd.DataFrame({"CVA": rng.normal(size=n), "NBL": rng.normal(size=n)})
    d["SOB"] = 0.5 * d.CVA + rng.normal(size=n)
    d["LOY"] = 0.4 * d.SOB + rng.normal(size=n)
    r = process(d, 4, x="CVA", y="LOY", m="SOB", n_boot=300, seed=1)
    e = estimates_from_process(r).set_index("path")
    assert e.loc["SOB~CVA", "estimate"] == pytest.approx(r.coef("SOB", "CVA"))
    assert e.loc["CVA>SOB>LOY", "ci_lower"] == pytest.approx(r.indirect.ci_lower[0])
    assert np.isnan(e.loc["CVA>SOB>LOY", "pvalue"])
    assert "const" not in "".join(e.index)
    hs = [H("H6", "indirect", "LOY", "CVA", m="SOB"), H("H4", "path", "LOY", "SOB")]
    assert hypothesis_summary(hs, estimates_from_process(r))["supported"].tolist() == [True, True]

    reg = hierarchical_regression(d, "SOB", [["NBL"], ["CVA", "CVA:NBL"]])
    er = estimates_from_regression(reg).set_index("path")
    assert set(er.index) == {"SOB~NBL", "SOB~CVA", "SOB~CVA:NBL"}
    assert estimates_from_regression(reg, step=1)["path"].tolist() == ["SOB~NBL"]

    sem = pd.DataFrame(
        {
            "lhs": ["SOB", "SOB", "LOY", "ind_CVA_SOB_LOY"],
            "op": ["=~", "~", "~", ":="],
            "rhs": ["SOB1", "CVA", "SOB", "a*b"],
            "est": [1.0, 0.5, 0.4, 0.2],
            "pvalue": [np.nan, 0.001, 0.002, 0.003],
        }
    )
    es = estimates_from_sem(sem)
    assert es["path"].tolist() == ["SOB~CVA", "LOY~SOB", "CVA>SOB>LOY"]
    assert es["ci_lower"].isna().all()
