"""Validity measures against independent computations.

Reference values:
- The HolzingerSwineford1939 three-factor CFA fitted with semopy (tight
  SLSQP, NOTES.md), turned into a lavaan-layout table here. Its standardised
  loadings equal lavaan's published standardizedSolution() to 3 decimals
  (.772 .424 .581 / .852 .855 .838 / .570 .723 .665; factor correlations
  .459 .471 .283 -- lavaan tutorial), checked below.
- CR/AVE: Fornell & Larcker's formulas computed with numpy in the test.
- omega: (Σλ)²ψ over the sum of semopy's own model-implied covariance
  matrix of the block (semopy calc_sigma), a different route than the
  library's (which rebuilds Σ̂ from the table).
- HTMT/HTMT2: explicit loops over the item correlation matrix.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import semopy
from scipy import stats
from semopy.examples import holzinger39

from sqresearch.errors import InputError
from sqresearch.measure import MeasurementWarning
from sqresearch.measure.reliability import mcdonald_omega
from sqresearch.measure.validity import (
    blocks_from_estimates,
    composite_reliability,
    cross_loadings,
    fornell_larcker,
    harman,
    htmt,
    htmt2,
    htmt_pairs,
    single_factor_test,
)
from sqresearch.thresholds import threshold

BLOCKS = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"], "speed": ["x7", "x8", "x9"]}
CFA = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


@pytest.fixture(scope="module")
def hs() -> pd.DataFrame:
    return holzinger39.get_data()


def _fit(desc: str, data: pd.DataFrame) -> semopy.Model:
    model = semopy.Model(desc)
    model.fit(data, solver="SLSQP", options={"ftol": 1e-12, "maxiter": 10000})
    return model


def _lavaan_layout(model: semopy.Model) -> pd.DataFrame:
    """semopy's inspect() rewritten in lavaan's layout (=~ rows first)."""
    ins = model.inspect(std_est=True)
    latent = set(model.vars["latent"])
    rows = []
    for r in ins.itertuples(index=False):
        lval, op, rval, est, std = r[0], r[1], r[2], r[3], r[4]
        if op == "~" and rval in latent and lval not in latent:
            rows.append(("=~", rval, lval, est, std))
        elif op == "~" and rval in latent and lval in latent:
            rows.append(("~", lval, rval, est, std))
        else:
            rows.append((op, lval, rval, est, std))
    order = {"=~": 0, "~": 1, "~~": 2}
    rows.sort(key=lambda t: order[t[0]])
    return pd.DataFrame(
        [
            {"lhs": lhs, "op": op, "rhs": rhs, "est": float(e), "std_all": float(s)}
            for op, lhs, rhs, e, s in rows
        ]
    )


@pytest.fixture(scope="module")
def cfa(hs):
    model = _fit(CFA, hs)
    return model, _lavaan_layout(model)


def test_table_matches_published_lavaan_solution(cfa):
    _, est = cfa
    loads = est[est["op"] == "=~"].set_index("rhs")["std_all"]
    published = [0.772, 0.424, 0.581, 0.852, 0.855, 0.838, 0.570, 0.723, 0.665]  # lavaan tutorial
    np.testing.assert_allclose(loads.loc[[f"x{i}" for i in range(1, 10)]], published, atol=1e-3)
    assert blocks_from_estimates(est) == BLOCKS


def test_cr_ave_fornell_larcker_formulas(cfa):
    _, est = cfa
    res = composite_reliability(est)
    assert list(res.index) == list(BLOCKS)
    for f in BLOCKS:
        lam = est[(est["op"] == "=~") & (est["lhs"] == f)]["std_all"].to_numpy()
        cr = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
        assert res.loc[f, "cr"] == pytest.approx(cr, abs=1e-12)
        assert res.loc[f, "ave"] == pytest.approx((lam**2).mean(), abs=1e-12)
        assert res.loc[f, "k"] == 3
    # from lavaan's published 3-decimal loadings: visual CR
    lam = np.array([0.772, 0.424, 0.581])
    published_cr = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    assert res.loc["visual", "cr"] == pytest.approx(published_cr, abs=2e-3)


def test_omega_compRelSEM_from_implied_covariance(cfa):
    model, est = cfa
    res = composite_reliability(est)
    sigma = pd.DataFrame(
        model.calc_sigma()[0], index=model.vars["observed"], columns=model.vars["observed"]
    )
    for f, items in BLOCKS.items():
        lam = est[(est["op"] == "=~") & (est["lhs"] == f)]["est"].to_numpy()
        psi = est[(est["op"] == "~~") & (est["lhs"] == f) & (est["rhs"] == f)]["est"].iloc[0]
        expected = lam.sum() ** 2 * psi / sigma.loc[items, items].to_numpy().sum()
        assert res.loc[f, "omega"] == pytest.approx(expected, abs=1e-8)
    # omega is not the Fornell-Larcker CR (NOTES: report them under different names)
    assert not np.allclose(res["omega"], res["cr"], atol=1e-3)


def test_omega_one_factor_equals_reliability_module(hs):
    est = _lavaan_layout(_fit("F =~ x4 + x5 + x6 + x7", hs))
    assert composite_reliability(est).loc["F", "omega"] == pytest.approx(
        mcdonald_omega(hs, ["x4", "x5", "x6", "x7"]), abs=1e-6
    )


def test_fornell_larcker_matrix(cfa):
    _, est = cfa
    fl = fornell_larcker(est)
    cr = composite_reliability(est)
    assert list(fl.index) == list(fl.columns) == list(BLOCKS)
    np.testing.assert_allclose(np.diag(fl), np.sqrt(cr["ave"]), atol=1e-12)
    for a, b, published in [
        ("visual", "textual", 0.459),
        ("visual", "speed", 0.471),
        ("textual", "speed", 0.283),
    ]:
        row = est[
            (est["op"] == "~~")
            & est["lhs"].isin([a, b])
            & est["rhs"].isin([a, b])
            & (est["lhs"] != est["rhs"])
        ]
        assert fl.loc[a, b] == fl.loc[b, a] == pytest.approx(row["std_all"].iloc[0], abs=1e-8)
        assert fl.loc[a, b] == pytest.approx(published, abs=1e-3)  # lavaan tutorial


def test_structural_model_gives_implied_correlations(hs, cfa):
    # speed ~ visual + textual is equivalent to the CFA: same latent correlations
    _, est_cfa = cfa
    sem_model = _fit(CFA + "\nspeed ~ visual + textual", hs)
    est_sem = _lavaan_layout(sem_model)
    assert (est_sem["op"] == "~").sum() == 2
    pd.testing.assert_frame_equal(fornell_larcker(est_sem), fornell_larcker(est_cfa), atol=1e-4)
    np.testing.assert_allclose(
        composite_reliability(est_sem)["omega"], composite_reliability(est_cfa)["omega"], atol=1e-4
    )


def _htmt_loop(r: pd.DataFrame, blocks, mean) -> pd.DataFrame:
    names = list(blocks)
    out = pd.DataFrame(1.0, index=names, columns=names)

    def mono(items):
        return mean([abs(r.loc[a, b]) for i, a in enumerate(items) for b in items[i + 1 :]])

    for a in names:
        for b in names:
            if a != b:
                hetero = mean([abs(r.loc[x, y]) for x in blocks[a] for y in blocks[b]])
                out.loc[a, b] = hetero / np.sqrt(mono(blocks[a]) * mono(blocks[b]))
    return out


def test_htmt_and_htmt2(hs, cfa):
    r = hs[[i for its in BLOCKS.values() for i in its]].corr()
    expected = _htmt_loop(r, BLOCKS, np.mean)
    pd.testing.assert_frame_equal(htmt(hs, BLOCKS), expected, atol=1e-12)
    geo = _htmt_loop(r, BLOCKS, lambda v: float(np.exp(np.mean(np.log(v)))))
    pd.testing.assert_frame_equal(htmt2(hs, BLOCKS), geo, atol=1e-12)
    # blocks may come from the estimates table
    _, est = cfa
    pd.testing.assert_frame_equal(htmt(hs, est), expected, atol=1e-12)
    pairs = htmt_pairs(hs, est)
    assert pairs.values.tolist() == [
        ["visual", "textual", pytest.approx(expected.loc["visual", "textual"])],
        ["visual", "speed", pytest.approx(expected.loc["visual", "speed"])],
        ["textual", "speed", pytest.approx(expected.loc["textual", "speed"])],
    ]
    assert (pairs["htmt"] < threshold("htmt")).all()


def test_htmt_uses_absolute_correlations(hs):
    flipped = hs.assign(x2=-hs["x2"])
    pd.testing.assert_frame_equal(htmt(flipped, BLOCKS), htmt(hs, BLOCKS), atol=1e-12)


def test_htmt_single_item_construct(hs):
    with pytest.warns(MeasurementWarning, match="one item"):
        res = htmt(hs, {"visual": ["x1", "x2", "x3"], "single": ["x4"]})
    assert np.isnan(res.loc["visual", "single"])


def test_cross_loadings(hs):
    cl = cross_loadings(hs, BLOCKS)
    x = hs[[i for its in BLOCKS.values() for i in its]]
    for f, items in BLOCKS.items():
        composite = x[items].to_numpy().mean(axis=1)
        for item in x.columns:
            assert cl.loc[item, f] == pytest.approx(
                np.corrcoef(x[item], composite)[0, 1], abs=1e-12
            )
    for f, items in BLOCKS.items():
        others = [g for g in BLOCKS if g != f]
        assert (cl.loc[items, f].to_numpy()[:, None] > cl.loc[items, others].to_numpy()).all()


def test_harman(hs):
    items = [i for its in BLOCKS.values() for i in its]
    res = harman(hs, items)
    eig = np.linalg.eigvalsh(np.corrcoef(hs[items].to_numpy(float), rowvar=False))
    assert res.first_share == pytest.approx(eig.max() / 9, abs=1e-12)
    summary = res.summary()
    assert list(summary.index) == ["harman_40", "harman_50"]
    assert summary.loc["harman_40", "threshold"] == 0.40
    assert summary["passes"].all()  # 35.7% < 40% < 50%
    one_factor = pd.DataFrame(
        np.repeat(hs[["x1"]].to_numpy(), 3, axis=1)
        + np.random.default_rng(1).normal(scale=0.1, size=(301, 3))
    )
    assert not harman(one_factor).summary()["passes"].any()


def test_single_factor_test(hs):
    single = SimpleNamespace(fit={"chisq": 312.264, "df": 27})
    meas = SimpleNamespace(fit={"chisq": 85.306, "df": 24})  # lavaan HS three-factor χ²
    res = single_factor_test(single, meas)
    assert res["delta_chisq"] == pytest.approx(226.958)
    assert res["delta_df"] == 3
    assert res["pvalue"] == pytest.approx(stats.chi2.sf(226.958, 3))
    with pytest.raises(InputError, match="degrees of freedom"):
        single_factor_test(meas, single)
    with pytest.raises(InputError, match="chisq"):
        single_factor_test(SimpleNamespace(fit={"df": 3}), meas)


def test_estimates_errors(cfa):
    _, est = cfa
    with pytest.raises(InputError, match="std_all"):
        composite_reliability(est.drop(columns="std_all"))
    two = pd.concat([est.assign(group="A"), est.assign(group="B")])
    with pytest.raises(InputError, match="multi-group"):
        fornell_larcker(two)
    one_group = est.assign(group="A")
    pd.testing.assert_frame_equal(composite_reliability(one_group), composite_reliability(est))
