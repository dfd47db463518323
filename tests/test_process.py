"""PROCESS models 1, 4, 6, 7, 8, 14: point estimates, bootstrap, probing, JN, decisions.

References used here:
- PROCESS for SPSS 2.16.3 output (Hayes) on simulated data, n = 1000, shipped
  with pyprocessmacro's tests (github.com/QuentinAndre/pyprocessmacro,
  tests/Data/Data_Model{1,4,6,7,8,14}.csv and tests/Results/Results_OLS_Model*.txt,
  MIT licence).  Those runs used HC3 standard errors and 5000 bias-corrected
  bootstrap resamples.  tests/data/process216_reference.csv.gz holds the
  columns of those files (x, w, v shared; m_1/y_1 model 1; m1_4, m2_4, y_4
  models 4 and 14 (y_14); m2_6, y_6 model 6 with m1_4; m1_7, m2_7, y_7
  model 7 and y_8 model 8), written with 10 significant digits.
- statsmodels OLS fits of the same equations (independent of our design code).
- pyprocessmacro 2.2.0 run on the same data.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from sqresearch.errors import InputError, ModelError
from sqresearch.model import bootstrap as bs
from sqresearch.model.process import (
    johnson_neyman,
    mediation_decision,
    model_equations,
    probe_values,
    process,
    wen_ye_decision,
)

REF = Path(__file__).parent / "data" / "process216_reference.csv.gz"


@pytest.fixture(scope="module")
def ref() -> pd.DataFrame:
    return pd.read_csv(REF)


def _data(ref, **columns) -> pd.DataFrame:
    return pd.DataFrame({new: ref[old] for new, old in columns.items()})


@pytest.fixture(scope="module")
def sim() -> pd.DataFrame:
    rng = np.random.default_rng(20261123)
    n = 300
    d = pd.DataFrame(rng.normal(size=(n, 4)), columns=["X", "W", "C1", "C2"])
    d["W"] = d["W"] + 3
    d["M1"] = 0.5 * d.X + 0.2 * d.W + 0.3 * d.X * d.W + 0.2 * d.C1 + rng.normal(size=n)
    d["M2"] = -0.3 * d.X + 0.4 * d.M1 + 0.1 * d.C2 + rng.normal(size=n)
    d["M3"] = 0.2 * d.X + rng.normal(size=n)
    d["Y"] = (
        0.3 * d.M1 + 0.2 * d.M2 + 0.1 * d.M3 + 0.2 * d.X + 0.1 * d.M1 * d.W + rng.normal(size=n)
    )
    return d


# --- PROCESS 2.16.3 published output ------------------------------------------

# (equation, term): (coef, se) from Results_OLS_Model4.txt (HC3 standard errors).
PROCESS_M4 = {
    ("m1", "const"): (1.0534, 0.0429),
    ("m1", "x"): (0.9637, 0.0306),
    ("m2", "const"): (0.9210, 0.0428),
    ("m2", "x"): (-0.9719, 0.0301),
    ("y", "const"): (1.0079, 0.0667),
    ("y", "m1"): (0.9870, 0.0331),
    ("y", "m2"): (0.9811, 0.0311),
    ("y", "x"): (1.0523, 0.0566),
}
# Results_OLS_Model4.txt: indirect effect, boot SE, BC 95% CI (5000 resamples).
PROCESS_M4_IND = {
    "total": (-0.0024, 0.0616, -0.1253, 0.1183),
    "m1": (0.9511, 0.0434, 0.8667, 1.0361),
    "m2": (-0.9535, 0.0428, -1.0380, -0.8697),
}


def _assert_process_boot(row, ref_values):
    """Point estimate to PROCESS's 4 decimals; boot SE and CI within Monte Carlo error.

    With 5000 resamples the SD of a 2.5% quantile is about 0.04 boot SE, so
    two independent runs differ by more than 0.25 boot SE in a bound rarely
    (< 1e-4 under normality); the boot SEs agree within 8%.
    """
    effect, se, lo, hi = ref_values
    assert row["effect"] == pytest.approx(effect, abs=6e-5)
    assert row["boot_se"] == pytest.approx(se, rel=0.08)
    assert row["ci_lower"] == pytest.approx(lo, abs=0.25 * se)
    assert row["ci_upper"] == pytest.approx(hi, abs=0.25 * se)


def test_model4_matches_process_output(ref):
    d = _data(ref, x="x", m1="m1_4", m2="m2_4", y="y_4")
    r = process(d, 4, x="x", y="y", m=["m1", "m2"], seed=11, ci="bc", cov_type="HC3")
    assert r.n == 1000
    for (eq, term), (coef, se) in PROCESS_M4.items():
        assert r.coef(eq, term) == pytest.approx(coef, abs=6e-5)
        assert r.coef(eq, term, "se") == pytest.approx(se, abs=6e-5)
    # R-sq .5043 / .5052 / .7509, F 991.3306 (m1), 883.3145 (y, HC3 Wald F, as PROCESS)
    r2 = r.models.set_index("equation")["r2"]
    assert r2[["m1", "m2", "y"]].tolist() == pytest.approx([0.5043, 0.5052, 0.7509], abs=6e-5)
    assert r.direct["t"].iloc[0] == pytest.approx(18.5862, abs=6e-5)
    ind = r.indirect.set_index("path")
    for path, values in PROCESS_M4_IND.items():
        _assert_process_boot(ind.loc[path], values)


def test_model1_matches_process_output(ref):
    d = _data(ref, x="x", m="m_1", y="y_1")
    r = process(d, 1, x="x", y="y", w="m", cov_type="HC3")
    # Results_OLS_Model1.txt (HC3): constant .9197 (.0430), m 1.0064 (.0424),
    # x 1.0286 (.0303), int_1 .9670 (.0300); R-sq .8531
    expected = {
        "const": (0.9197, 0.0430),
        "m": (1.0064, 0.0424),
        "x": (1.0286, 0.0303),
        "x:m": (0.9670, 0.0300),
    }
    for term, (coef, se) in expected.items():
        assert r.coef("y", term) == pytest.approx(coef, abs=6e-5)
        assert r.coef("y", term, "se") == pytest.approx(se, abs=6e-5)
    assert r.models["r2"].iloc[0] == pytest.approx(0.8531, abs=6e-5)
    # R-square increase due to interaction: .1505, F 1038.5213 (1, 996), HC3
    assert r.interaction["delta_r2"].iloc[0] == pytest.approx(0.1505, abs=6e-5)
    assert r.interaction["f"].iloc[0] == pytest.approx(1038.5213, abs=6e-4)
    # Conditional effects at mean -1SD/mean/+1SD of m: w, effect, se, t, p, LLCI, ULCI
    published = np.array(
        [
            [-0.9795, 0.0815, 0.0447, 1.8230, 0.0686, -0.0062, 0.1691],
            [0.0188, 1.0468, 0.0302, 34.6650, 0.0000, 0.9875, 1.1060],
            [1.0171, 2.0121, 0.0403, 49.9625, 0.0000, 1.9331, 2.0911],
        ]
    )
    cols = ["w", "effect", "se", "t", "pvalue", "ci_lower", "ci_upper"]
    np.testing.assert_allclose(r.conditional[cols].to_numpy(), published, atol=6e-5)


def test_model6_matches_process_output(ref):
    d = _data(ref, x="x", m1="m1_4", m2="m2_6", y="y_6")
    r = process(d, 6, x="x", y="y", m=["m1", "m2"], seed=12, ci="bc", cov_type="HC3")
    # Results_OLS_Model6.txt, outcome m2: constant .9476 (.0546), m1 .9747 (.0330), x -.9475 (.0442)
    assert r.coef("m2", "m1") == pytest.approx(0.9747, abs=6e-5)
    assert r.coef("m2", "x", "se") == pytest.approx(0.0442, abs=6e-5)
    ind = r.indirect.set_index("path")
    # Indirect effects: Total .9613 (.0795) [.8125, 1.1252]; Ind1 x>m1>y .9694 (.0515)
    # [.8746, 1.0771]; Ind2 x>m1>m2>y .9215 (.0533) [.8214, 1.0326]; Ind3 x>m2>y -.9296 (.0519)
    # [-1.0296, -.8277]
    _assert_process_boot(ind.loc["total"], (0.9613, 0.0795, 0.8125, 1.1252))
    _assert_process_boot(ind.loc["m1"], (0.9694, 0.0515, 0.8746, 1.0771))
    _assert_process_boot(ind.loc["m1>m2"], (0.9215, 0.0533, 0.8214, 1.0326))
    _assert_process_boot(ind.loc["m2"], (-0.9296, 0.0519, -1.0296, -0.8277))


def test_model7_matches_process_output(ref):
    d = _data(ref, x="x", w="w", m1="m1_7", m2="m2_7", y="y_7")
    r = process(d, 7, x="x", y="y", m=["m1", "m2"], w="w", seed=13, ci="bc", cov_type="HC3")
    # Results_OLS_Model7.txt, outcome m1: int_1 1.0050 (.0311); outcome m2: w -1.0259 (.0421)
    assert r.coef("m1", "x:w") == pytest.approx(1.0050, abs=6e-5)
    assert r.coef("m1", "x:w", "se") == pytest.approx(0.0311, abs=6e-5)
    assert r.coef("m2", "w") == pytest.approx(-1.0259, abs=6e-5)
    # Conditional indirect effects (w, effect, boot SE, BC CI) and index of moderated mediation
    cond = r.indirect[r.indirect["path"] == "m1"].reset_index(drop=True)
    assert cond["w"].tolist() == pytest.approx([0.0124, 1.0131, 2.0137], abs=6e-5)
    _assert_process_boot(cond.iloc[0], (0.9597, 0.0468, 0.8678, 1.0514))
    _assert_process_boot(cond.iloc[2], (2.9461, 0.0870, 2.7757, 3.1167))
    cond2 = r.indirect[r.indirect["path"] == "m2"].reset_index(drop=True)
    _assert_process_boot(cond2.iloc[1], (-1.9464, 0.0559, -2.0548, -1.8372))
    imm = r.index_mm.rename(columns={"index": "effect"}).set_index("mediator")
    _assert_process_boot(imm.loc["m1"], (0.9926, 0.0405, 0.9142, 1.0726))
    _assert_process_boot(imm.loc["m2"], (-0.9689, 0.0363, -1.0397, -0.8981))


def test_model8_matches_process_output(ref):
    d = _data(ref, x="x", w="w", m1="m1_7", m2="m2_7", y="y_8")
    r = process(d, 8, x="x", y="y", m=["m1", "m2"], w="w", seed=14, ci="bc", cov_type="HC3")
    # Results_OLS_Model8.txt: conditional direct effects (w, effect, se, t, LLCI, ULCI)
    published = np.array(
        [
            [0.0124, 1.0326, 0.0696, 14.8377, 0.8960, 1.1692],
            [1.0131, 2.0596, 0.0971, 21.2209, 1.8692, 2.2501],
            [2.0137, 3.0866, 0.1432, 21.5620, 2.8057, 3.3675],
        ]
    )
    cols = ["w", "effect", "se", "t", "ci_lower", "ci_upper"]
    np.testing.assert_allclose(r.direct[cols].to_numpy(), published, atol=6e-5)
    imm = r.index_mm.rename(columns={"index": "effect"}).set_index("mediator")
    _assert_process_boot(imm.loc["m1"], (0.9917, 0.0455, 0.8987, 1.0790))
    _assert_process_boot(imm.loc["m2"], (-0.9687, 0.0413, -1.0523, -0.8900))


def test_model14_matches_process_output(ref):
    d = _data(ref, x="x", v="v", m1="m1_4", m2="m2_4", y="y_14")
    r = process(d, 14, x="x", y="y", m=["m1", "m2"], w="v", seed=15, ci="bc", cov_type="HC3")
    # Results_OLS_Model14.txt, outcome y: v .9780 (.0615), int_1 (m1*v) 1.0178 (.0268),
    # int_2 (m2*v) 1.0239 (.0271); R-sq .9511
    assert r.coef("y", "v") == pytest.approx(0.9780, abs=6e-5)
    assert r.coef("y", "m1:v") == pytest.approx(1.0178, abs=6e-5)
    assert r.coef("y", "m2:v", "se") == pytest.approx(0.0271, abs=6e-5)
    cond = r.indirect[r.indirect["path"] == "m2"].reset_index(drop=True)
    assert cond["w"].tolist() == pytest.approx([0.0149, 1.0299, 2.0449], abs=6e-5)
    _assert_process_boot(cond.iloc[0], (-0.9431, 0.0500, -1.0444, -0.8490))
    _assert_process_boot(cond.iloc[2], (-2.9632, 0.1002, -3.1541, -2.7671))
    imm = r.index_mm.rename(columns={"index": "effect"}).set_index("mediator")
    _assert_process_boot(imm.loc["m1"], (0.9808, 0.0416, 0.9020, 1.0655))
    _assert_process_boot(imm.loc["m2"], (-0.9952, 0.0409, -1.0748, -0.9164))


# --- point estimates equal statsmodels OLS -------------------------------------


def _ols(d, formula):
    return smf.ols(formula, d).fit()


@pytest.mark.parametrize("center", [False, True])
def test_point_estimates_equal_statsmodels(sim, center):
    d = sim.copy()
    covs = ["C1", "C2"]
    # model 4, three mediators
    r4 = process(d, 4, x="X", y="Y", m=["M1", "M2", "M3"], covariates=covs, boot=0)
    fy = _ols(d, "Y ~ X + M1 + M2 + M3 + C1 + C2")
    for mi in ["M1", "M2", "M3"]:
        fa = _ols(d, f"{mi} ~ X + C1 + C2")
        assert r4.coef(mi, "X") == pytest.approx(fa.params["X"], abs=1e-10)
        assert r4.coef(mi, "X", "se") == pytest.approx(fa.bse["X"], abs=1e-10)
        ind = r4.indirect.set_index("path").loc[mi, "effect"]
        assert ind == pytest.approx(fa.params["X"] * fy.params[mi], abs=1e-10)
        std = r4.indirect_std.set_index("path").loc[mi, "effect"]
        assert std == pytest.approx(ind * d.X.std() / d.Y.std(), abs=1e-10)
    assert r4.direct["effect"].iloc[0] == pytest.approx(fy.params["X"], abs=1e-10)
    assert r4.total["effect"].iloc[0] == pytest.approx(
        _ols(d, "Y ~ X + C1 + C2").params["X"], abs=1e-10
    )
    ind = r4.indirect.set_index("path")["effect"]
    assert ind["total"] == pytest.approx(ind[["M1", "M2", "M3"]].sum(), abs=1e-12)
    con = r4.contrasts.set_index(["path1", "path2"])["effect"]
    assert con[("M1", "M3")] == pytest.approx(ind["M1"] - ind["M3"], abs=1e-12)
    assert len(con) == 3
    # total effect = direct + total indirect holds exactly for OLS with the same covariates
    assert r4.total["effect"].iloc[0] == pytest.approx(
        r4.direct["effect"].iloc[0] + ind["total"], abs=1e-10
    )

    # model 6, three serial mediators: e.g. X>M1>M3 = a1 * d13 * b3
    r6 = process(d, 6, x="X", y="Y", m=["M1", "M2", "M3"], covariates=covs, boot=0)
    f1, f2 = _ols(d, "M1 ~ X + C1 + C2"), _ols(d, "M2 ~ X + M1 + C1 + C2")
    f3 = _ols(d, "M3 ~ X + M1 + M2 + C1 + C2")
    ind6 = r6.indirect.set_index("path")["effect"]
    assert ind6["M1>M3"] == pytest.approx(
        f1.params["X"] * f3.params["M1"] * fy.params["M3"], abs=1e-10
    )
    assert ind6["M1>M2>M3"] == pytest.approx(
        f1.params["X"] * f2.params["M1"] * f3.params["M2"] * fy.params["M3"], abs=1e-10
    )
    assert len(ind6) == 8  # 7 specific paths + total

    # models 7, 8, 14 (with centring when asked)
    dc = d.copy()
    if center:
        for c in ["X", "W"]:
            dc[c] = dc[c] - dc[c].mean()
    fm = _ols(dc, "M1 ~ X * W + C1 + C2")
    f7 = _ols(dc, "Y ~ X + M1 + C1 + C2")
    r7 = process(d, 7, x="X", y="Y", m="M1", w="W", covariates=covs, boot=0, center=center)
    assert r7.coef("M1", "X:W") == pytest.approx(fm.params["X:W"], abs=1e-10)
    assert r7.coef("M1", "X") == pytest.approx(fm.params["X"], abs=1e-10)
    w_hi = d.W.mean() + d.W.std()
    w_design = w_hi - (d.W.mean() if center else 0)
    expected = (fm.params["X"] + fm.params["X:W"] * w_design) * f7.params["M1"]
    assert r7.indirect["effect"].iloc[2] == pytest.approx(expected, abs=1e-10)
    assert r7.indirect["w"].iloc[2] == pytest.approx(w_hi, abs=1e-12)
    assert r7.index_mm["index"].iloc[0] == pytest.approx(
        fm.params["X:W"] * f7.params["M1"], abs=1e-10
    )

    f8 = _ols(dc, "Y ~ X + M1 + W + X:W + C1 + C2")
    r8 = process(d, 8, x="X", y="Y", m="M1", w="W", covariates=covs, boot=0, center=center)
    assert r8.coef("Y", "X:W") == pytest.approx(f8.params["X:W"], abs=1e-10)
    direct_hi = f8.params["X"] + f8.params["X:W"] * w_design
    assert r8.direct["effect"].iloc[2] == pytest.approx(direct_hi, abs=1e-10)

    dm = d.copy()
    if center:
        for c in ["M1", "M2", "W"]:
            dm[c] = dm[c] - dm[c].mean()
    f14 = _ols(dm, "Y ~ X + M1 + M2 + W + M1:W + M2:W + C1 + C2")
    fa = _ols(dm, "M2 ~ X + C1 + C2")
    r14 = process(
        d, 14, x="X", y="Y", m=["M1", "M2"], w="W", covariates=covs, boot=0, center=center
    )
    cond = r14.indirect[r14.indirect["path"] == "M2"]
    expected = fa.params["X"] * (f14.params["M2"] + f14.params["M2:W"] * w_design)
    assert cond["effect"].iloc[2] == pytest.approx(expected, abs=1e-10)
    assert r14.index_mm.set_index("mediator").loc["M2", "index"] == pytest.approx(
        fa.params["X"] * f14.params["M2:W"], abs=1e-10
    )


def test_centering_leaves_conditional_effects_unchanged(sim):
    plain = process(sim, 1, x="X", y="Y", w="W", covariates=["C1"])
    centred = process(sim, 1, x="X", y="Y", w="W", covariates=["C1"], center=True)
    cols = ["w", "effect", "se", "ci_lower", "ci_upper"]
    np.testing.assert_allclose(plain.conditional[cols], centred.conditional[cols], atol=1e-10)
    np.testing.assert_allclose(plain.jn["w"], centred.jn["w"], atol=1e-8)
    assert abs(plain.coef("Y", "X") - centred.coef("Y", "X")) > 0.1  # the X coefficient does move
    assert plain.coef("Y", "X:W") == pytest.approx(centred.coef("Y", "X:W"), abs=1e-10)


# --- the vectorised bootstrap equals a loop over the same resamples ------------


@pytest.mark.parametrize("model", [4, 6, 7, 14])
def test_batched_bootstrap_equals_slow_loop(sim, model):
    boot, seed = 12, 7
    m = ["M1", "M2"]
    w = "W" if model in (7, 14) else None
    r = process(sim, model, x="X", y="Y", m=m, w=w, covariates=["C1"], boot=boot, seed=seed)
    indices = bs.resample_indices(len(sim), boot, seed)
    for eq in model_equations(model, "X", "Y", m, w, ["C1"]):
        if eq.label == "total":
            continue
        formula_terms = " + ".join(
            t if ":" not in t else f"I({t.replace(':', '*')})" for t in eq.terms
        )
        drawn = r.boot_coefficients[eq.label].to_numpy()
        for b in range(boot):
            fit = smf.ols(f"{eq.outcome} ~ {formula_terms}", sim.iloc[indices[b]]).fit()
            np.testing.assert_allclose(drawn[b], fit.params.to_numpy(), rtol=1e-9, atol=1e-10)
    if model == 4:  # effects from the loop: a*b and the standardised a*b*SD_X/SD_Y per resample
        for b in range(boot):
            s = sim.iloc[indices[b]]
            a = smf.ols("M2 ~ X + C1", s).fit().params["X"]
            bb = smf.ols("Y ~ X + M1 + M2 + C1", s).fit().params["M2"]
            assert r.boot_draws["indirect:M2"].iloc[b] == pytest.approx(a * bb, rel=1e-9)
            assert r.boot_draws["indirect_std:M2"].iloc[b] == pytest.approx(
                a * bb * s.X.std() / s.Y.std(), rel=1e-9
            )


def test_bootstrap_is_seeded_and_chunked(sim):
    a = process(sim, 4, x="X", y="Y", m="M1", boot=300, seed=3)
    b = process(sim, 4, x="X", y="Y", m="M1", boot=300, seed=3)
    c = process(sim, 4, x="X", y="Y", m="M1", boot=300, seed=4)
    pd.testing.assert_frame_equal(a.indirect, b.indirect)
    assert not np.allclose(a.indirect["ci_lower"], c.indirect["ci_lower"])
    # blocks of resamples: the concatenation is the whole index matrix
    z = np.column_stack([np.ones(50), np.arange(50.0)])
    idx = bs.resample_indices(50, 50_000, 5)
    whole = bs.cross_products(z, bs.resample_counts(idx, 50))
    np.testing.assert_allclose(bs.bootstrap_cross_products(z, 50_000, 5), whole)
    none = process(sim, 4, x="X", y="Y", m="M1", boot=50)
    again = process(sim, 4, x="X", y="Y", m="M1", boot=50, seed=none.seed)
    pd.testing.assert_frame_equal(none.indirect, again.indirect)


def test_percentile_and_bc_intervals():
    rng = np.random.default_rng(0)
    draws = rng.normal(1.0, 0.5, size=(4000, 1))
    lo, hi = bs.percentile_ci(draws, 0.95)
    assert (lo[0], hi[0]) == pytest.approx(tuple(np.quantile(draws, [0.025, 0.975])))
    # BC: estimate at the draws' 60th percentile -> z0 = Phi^-1(0.6)
    est = np.quantile(draws, 0.6)
    z0 = stats.norm.ppf(np.mean(draws < est))
    lo, hi = bs.bc_ci(draws, np.array([est]), 0.95)
    p = stats.norm.cdf(2 * z0 + np.array([-1.959964, 1.959964]))
    assert (lo[0], hi[0]) == pytest.approx(tuple(np.quantile(draws, p)), rel=1e-6)
    assert lo[0] > np.quantile(draws, 0.025)  # shifted up, as the bias correction should


# --- probing and Johnson-Neyman -------------------------------------------------


def test_probe_values():
    w = pd.Series(np.arange(1.0, 10.0))
    sd = probe_values(w, "sd")
    assert sd["w"].tolist() == pytest.approx([5 - w.std(), 5, 5 + w.std()])
    assert sd["label"].tolist() == ["-1SD", "mean", "+1SD"]
    # position p(n + 1): 0.16 * 10 = 1.6 -> 1.6; 0.84 * 10 = 8.4 -> 8.4
    pct = probe_values(w, "percentiles")
    assert pct["w"].tolist() == pytest.approx([1.6, 5.0, 8.4])
    assert pct["label"].tolist() == ["p16", "p50", "p84"]
    assert probe_values(pd.Series([1, 2, 2, 1]), "sd")["w"].tolist() == [1.0, 2.0]


def test_johnson_neyman_points_have_critical_t(sim):
    d = sim.copy()
    d["Y2"] = (
        0.05 * d.X + 0.15 * d.X * (d.W - 3) + d.C1 + np.random.default_rng(1).normal(size=len(d))
    )
    r = process(d, 1, x="X", y="Y2", w="W", covariates=["C1"])
    assert len(r.jn) >= 1
    crit = stats.t.ppf(0.975, r.n - 5)
    np.testing.assert_allclose(np.abs(r.jn["t"]), crit, rtol=1e-9)
    np.testing.assert_allclose(r.jn["pvalue"], 0.05, rtol=1e-7)
    assert r.jn["w"].between(d.W.min(), d.W.max()).all()
    # significance changes at the point: probe just either side
    fit = smf.ols("Y2 ~ X * W + C1", d).fit()
    for w0 in r.jn["w"]:
        ps = []
        for wv in (w0 - 1e-3, w0 + 1e-3):
            ps.append(fit.t_test(f"X + {wv} * X:W = 0").pvalue)
        assert min(ps) < 0.05 < max(ps)


def test_johnson_neyman_closed_form_cases():
    # no real root: the effect is significant everywhere
    assert johnson_neyman(5.0, 0.1, 0.01, 0.0, 0.01, 100, (-3, 3)).size == 0
    # roots outside the observed range are dropped
    both = johnson_neyman(0.0, 1.0, 0.01, 0.0, 0.01, 10**6, (-10, 10))
    assert both.size == 2
    assert johnson_neyman(0.0, 1.0, 0.01, 0.0, 0.01, 10**6, (0.0, 10)).size == 1


# --- pyprocessmacro on the same data (standard, non-HC3 SEs) --------------------


def _pyprocess(**kwargs):
    from pyprocessmacro import Process  # a dev dependency: the comparison must run

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Process(suppr_init=True, detail=False, **kwargs)


def test_against_pyprocessmacro_models_1_4_7(sim):
    covs = ["C1", "C2"]
    # Quirks: pyprocessmacro names the intercept "Cons"; in model 1 the moderator is passed as m.
    p1 = _pyprocess(data=sim, model=1, x="X", m="W", y="Y", controls=covs, boot=0)
    t1 = p1.tidy("outcome").set_index("term")
    r1 = process(sim, 1, x="X", y="Y", w="W", covariates=covs)
    for ours, theirs in [("X", "X"), ("W", "W"), ("C1", "C1"), ("const", "Cons")]:
        assert r1.coef("Y", ours) == pytest.approx(t1.loc[theirs, "estimate"], abs=1e-10)
        assert r1.coef("Y", ours, "se") == pytest.approx(t1.loc[theirs, "std_error"], abs=1e-10)
    product = [t for t in t1.index if t not in ("Cons", "X", "W", "C1", "C2")]
    assert r1.coef("Y", "X:W") == pytest.approx(t1.loc[product[0], "estimate"], abs=1e-10)

    p4 = _pyprocess(
        data=sim,
        model=4,
        x="X",
        m=["M1", "M2", "M3"],
        y="Y",
        controls=covs,
        boot=1000,
        seed=1,
        percent=True,
    )
    t4 = p4.tidy()
    r4 = process(sim, 4, x="X", y="Y", m=["M1", "M2", "M3"], covariates=covs, boot=5000, seed=1)
    out = t4[t4.component == "outcome"].set_index(["outcome", "term"])
    for (eq, term), row in out.iterrows():
        term = "const" if term == "Cons" else term
        assert r4.coef(eq, term) == pytest.approx(row["estimate"], abs=1e-10)
        assert r4.coef(eq, term, "se") == pytest.approx(row["std_error"], abs=1e-10)
    ind = t4[t4.component == "indirect"].set_index("term")
    ours = r4.indirect.set_index("path")
    for mi in ["M1", "M2", "M3"]:
        assert ours.loc[mi, "effect"] == pytest.approx(ind.loc[mi, "estimate"], abs=1e-10)
        assert ours.loc[mi, "boot_se"] == pytest.approx(ind.loc[mi, "std_error"], rel=0.15)

    p7 = _pyprocess(
        data=sim, model=7, x="X", m=["M1"], w="W", y="Y", controls=covs, boot=200, seed=1
    )
    t7 = p7.tidy()
    r7 = process(sim, 7, x="X", y="Y", m="M1", w="W", covariates=covs, boot=200, seed=1)
    out7 = t7[t7.component == "outcome"]
    m1 = out7[out7.outcome == "M1"].set_index("term")
    assert r7.coef("M1", "X") == pytest.approx(m1.loc["X", "estimate"], abs=1e-10)
    assert r7.coef("M1", "W", "se") == pytest.approx(m1.loc["W", "std_error"], abs=1e-10)
    cond = t7[t7.component == "indirect"]["estimate"].to_numpy()
    np.testing.assert_allclose(np.sort(r7.indirect["effect"]), np.sort(cond), atol=1e-10)


# --- 温忠麟 & 叶宝娟 (2014) decisions ---------------------------------------------

_BASE = dict(
    c=0.5, c_p=0.001, ab=0.2, ab_ci=(0.1, 0.3), c_prime=0.3, c_prime_p=0.01, a_p=0.001, b_p=0.002
)


@pytest.mark.parametrize(
    "change, code, ratio, test",
    [
        ({}, "partial", 0.2 / 0.5, "a_and_b"),
        ({"c_prime": 0.05, "c_prime_p": 0.4}, "full", 0.2 / 0.5, "a_and_b"),
        ({"c_prime": -0.4, "c_prime_p": 0.001}, "suppression", 0.2 / 0.4, "a_and_b"),
        ({"a_p": 0.2, "ab_ci": (-0.05, 0.3)}, "none", np.nan, "bootstrap"),
        ({"a_p": 0.2}, "partial", 0.2 / 0.5, "bootstrap"),  # step 3 rescues a non-significant a
        ({"a_p": None, "b_p": None, "ab_ci": (0.01, 0.4)}, "partial", 0.4, "bootstrap"),
    ],
)
def test_wen_ye_decisions(change, code, ratio, test):
    d = wen_ye_decision(**{**_BASE, **change})
    assert d.code == code
    assert d.indirect_test == test
    if np.isnan(ratio):
        assert np.isnan(d.ratio)
    else:
        assert d.ratio == pytest.approx(ratio)


def test_wen_ye_total_not_significant_is_recorded():
    d = wen_ye_decision(**{**_BASE, "c_p": 0.3, "c_prime": -0.4, "c_prime_p": 0.01})
    assert (d.code, d.total_significant, d.ratio_kind) == ("suppression", False, "|ab/c'|")


def test_mediation_decision_from_result(sim):
    r = process(sim, 4, x="X", y="Y", m=["M1", "M2"], boot=500, seed=2)
    dec = mediation_decision(r, "M1")
    a_p, b_p = r.coef("M1", "X", "pvalue"), r.coef("Y", "M1", "pvalue")
    expected = wen_ye_decision(
        c=r.total.effect[0],
        c_p=r.total.pvalue[0],
        ab=r.indirect.effect[0],
        ab_ci=(r.indirect.ci_lower[0], r.indirect.ci_upper[0]),
        c_prime=r.direct.effect[0],
        c_prime_p=r.direct.pvalue[0],
        a_p=a_p,
        b_p=b_p,
    )
    assert dec == expected
    assert mediation_decision(r, "total").indirect_test == "bootstrap"
    with pytest.raises(KeyError):
        mediation_decision(r, "M9")


# --- errors ---------------------------------------------------------------------


def test_errors(sim):
    with pytest.raises(InputError) as exc:
        process(sim, 4, x="X", y="Y", m="NOPE")
    assert exc.value.column == "NOPE"
    bad = sim.astype({"M1": object})
    bad.loc[5, "M1"] = "很好"
    with pytest.raises(InputError) as exc:
        process(bad, 4, x="X", y="Y", m="M1", boot=0)
    assert (exc.value.column, exc.value.row, exc.value.value) == ("M1", 5, "很好")
    with pytest.raises(ModelError):
        process(sim, 6, x="X", y="Y", m="M1")
    with pytest.raises(ModelError):
        process(sim, 7, x="X", y="Y", m="M1")
    with pytest.raises(ModelError):
        process(sim, 5, x="X", y="Y", m="M1", w="W")
    with pytest.raises(ModelError):
        process(sim, 4, x="X", y="X", m="M1")


def test_listwise_n_and_repr(sim):
    d = sim.copy()
    d.loc[[1, 2], "M2"] = np.nan
    d.loc[3, "C1"] = np.nan
    r = process(d, 4, x="X", y="Y", m=["M1", "M2"], covariates=["C1"], boot=100, seed=1)
    assert r.n == len(d) - 3
    html = r._repr_html_()
    assert "indirect" in html and "<table" in html


@pytest.mark.slow
def test_speed_target_one_core():
    """Model 4, 3 mediators, 2 covariates, n = 500, 5000 resamples: < 1 s on one core."""
    import time

    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(5)
    n = 500
    d = pd.DataFrame(rng.normal(size=(n, 6)), columns=["X", "C1", "C2", "M1", "M2", "M3"])
    d["Y"] = d[["X", "M1", "M2", "M3"]].sum(axis=1) + rng.normal(size=n)
    with threadpool_limits(1):
        best = min(
            _timed(
                lambda: process(
                    d,
                    4,
                    x="X",
                    y="Y",
                    m=["M1", "M2", "M3"],
                    covariates=["C1", "C2"],
                    boot=5000,
                    seed=1,
                ),
                time,
            )
            for _ in range(3)
        )
    assert best < 1.0


def _timed(fn, time) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
