"""Multi-group fits and measurement invariance against lavaan 0.6.14 (issue 10)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from semopy.examples import holzinger39

from sqresearch.cli import main
from sqresearch.errors import InputError, ModelError
from sqresearch.sem.fit import fit_sem
from sqresearch.sem.invariance import compare_path, invariance_verdict, measurement_invariance

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


@pytest.fixture(scope="module")
def hs():
    return holzinger39.get_data()


@pytest.fixture(scope="module")
def inv(hs):
    return measurement_invariance(HS_MODEL, hs, "school")


def test_invariance_steps_match_lavaan(inv):
    # issue 10 item 5: lavaan 0.6.14, cfa(HS.model, group = "school", group.equal = ...)
    reference = {
        "configural": (115.8513, 48, 0.9234, 0.0969, 0.0679),
        "metric": (124.0435, 54, 0.9209, 0.0928, 0.0717),
        "scalar": (164.1028, 60, 0.8825, 0.1074, 0.0824),
        "strict": (181.5113, 69, 0.8730, 0.1041, 0.0883),
    }
    steps = inv.steps
    assert list(steps.index) == list(reference)
    for name, (chisq, df, cfi, rmsea, srmr) in reference.items():
        row = steps.loc[name]
        assert row.chisq == pytest.approx(chisq, abs=1e-3), name
        assert row.df == df
        assert row.cfi == pytest.approx(cfi, abs=1e-3), name
        assert row.rmsea == pytest.approx(rmsea, abs=1e-3), name
        assert row.srmr == pytest.approx(srmr, abs=1e-3), name
    # Δχ² of metric vs configural, and Chen's verdicts
    assert steps.loc["metric", "delta_chisq"] == pytest.approx(124.0435 - 115.8513, abs=1e-3)
    assert steps.loc["metric", "delta_df"] == 6
    assert list(steps.verdict) == [None, "holds", "fails", "holds"]
    assert inv.latent_means is None  # scalar fails
    assert inv.groups == ["Pasteur", "Grant-White"]  # first appearance, not sorted
    assert inv.group_sizes == {"Pasteur": 156, "Grant-White": 145}


def test_multigroup_estimates_carry_group_and_lavaan_structure(inv):
    scalar = inv.fits["scalar"]
    est = scalar.estimates
    assert "group" in est.columns and set(est.group) == {"Pasteur", "Grant-White"}
    loadings = est[(est.op == "=~") & (est.rhs == "x2")]
    assert loadings.est.nunique() == 1  # equal across groups
    means = est[(est.op == "~1") & est.lhs.isin(["visual", "textual", "speed"])]
    ref = means[means.group == "Pasteur"]
    assert (ref.est == 0).all() and (ref.se == 0).all()  # reference group latent means fixed
    assert (means[means.group == "Grant-White"].se > 0).all()  # freed under equal intercepts
    assert scalar.fit["npar"] == 48 and scalar.n == 301


def test_configural_is_sum_of_separate_group_fits(hs, inv):
    separate = sum(
        fit_sem(HS_MODEL, hs[hs.school == g]).fit["chisq"] for g in ("Pasteur", "Grant-White")
    )
    assert inv.steps.loc["configural", "chisq"] == pytest.approx(separate, abs=1e-6)


def test_identical_groups_are_invariant(hs):
    one = hs[hs.school == "Pasteur"].copy()
    two = one.copy()
    two["school"] = "copy"
    res = measurement_invariance(HS_MODEL, pd.concat([one, two]), "school")
    np.testing.assert_allclose(res.steps.delta_chisq.iloc[1:], 0, atol=1e-6)
    assert list(res.steps.verdict) == [None, "holds", "holds", "holds"]
    np.testing.assert_allclose(res.latent_means.est, 0, atol=1e-6)
    assert list(res.latent_means.group.unique()) == ["copy"]


def test_partial_scalar_frees_intercepts(hs):
    res = fit_sem(
        HS_MODEL,
        hs,
        group="school",
        group_equal=["loadings", "intercepts"],
        group_partial=["x3 ~ 1", "x7~1"],
    )
    est = res.estimates
    x3 = est[(est.lhs == "x3") & (est.op == "~1")]
    assert x3.est.nunique() == 2
    assert res.fit["df"] == 58
    assert 124.0435 < res.fit["chisq"] < 164.1028


def test_compare_path_critical_ratio_and_delta_chisq(hs):
    out = compare_path(HS_MODEL, hs, "school", "visual =~ x2")
    configural = fit_sem(HS_MODEL, hs, group="school").estimates
    x2 = configural[(configural.op == "=~") & (configural.rhs == "x2")].set_index("group")
    diff = x2.loc["Grant-White", "est"] - x2.loc["Pasteur", "est"]
    se = np.hypot(x2.loc["Grant-White", "se"], x2.loc["Pasteur", "se"])  # independent groups
    assert out["diff"] == pytest.approx(diff, abs=1e-8)
    assert out["critical_ratio"] == pytest.approx(diff / se, abs=1e-6)
    assert out["delta_df"] == 1 and out["delta_chisq"] > 0
    assert out["delta_pvalue"] == pytest.approx(0.1213, abs=1e-3)
    with pytest.raises(ModelError):
        compare_path(HS_MODEL, hs, "school", "visual =~ x9")


def test_verdict_rules():
    assert invariance_verdict("metric", -0.012, 0.016, 0.0) == "fails"
    assert invariance_verdict("metric", -0.012, 0.0, 0.02) == "holds"  # ΔSRMR .03 for metric
    assert invariance_verdict("scalar", -0.012, 0.0, 0.02) == "fails"
    assert invariance_verdict("scalar", -0.012, 0.0, 0.0, rule="cheung_rensvold") == "fails"
    with pytest.raises(ModelError):
        invariance_verdict("scalar", 0, 0, 0, rule="nope")


def test_group_errors(hs):
    with pytest.raises(InputError, match="nogroup"):
        fit_sem(HS_MODEL, hs, group="nogroup")
    with pytest.raises(ModelError):
        fit_sem(HS_MODEL, hs, group="school", group_equal=["loading"])
    tiny = pd.concat([hs[hs.school == "Pasteur"], hs[hs.school == "Grant-White"].iloc[:1]])
    with pytest.raises(InputError, match="Grant-White"):
        fit_sem(HS_MODEL, tiny, group="school")


def test_invariance_cli_json(tmp_path, hs, capsys):
    model = tmp_path / "m.lav"
    model.write_text(HS_MODEL, encoding="utf-8")
    data = tmp_path / "hs.csv"
    hs.to_csv(data, index=False)
    assert main(["invariance", str(model), str(data), "--group", "school", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["groups"] == [{"level": "Pasteur", "n": 156}, {"level": "Grant-White", "n": 145}]
    assert [s["name"] for s in doc["steps"]] == ["configural", "metric", "scalar", "strict"]
    assert doc["steps"][0]["delta_chisq"] is None and doc["steps"][0]["verdict"] is None
    assert doc["steps"][2]["chisq"] == pytest.approx(164.1028, abs=1e-3)
    assert doc["steps"][1]["delta_df"] == 6 and "latent_means" not in doc
