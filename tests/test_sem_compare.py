"""Nested-model tests against lavaan 0.6.14's lavTestLRT, and the Bollen–Stine bootstrap.

Reference values from Debian's r-cran-lavaan 0.6.14:

    library(lavaan)
    HS <- 'visual =~ x1 + x2 + x3
    textual =~ x4 + x5 + x6
    speed =~ x7 + x8 + x9'
    ONE <- 'g =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9'
    for (est in c("ML", "MLR", "MLM")) {
      a <- lavTestLRT(cfa(HS, HolzingerSwineford1939, estimator = est),
                      cfa(ONE, HolzingerSwineford1939, estimator = est))
      cat(est, sprintf("%.10g", a[["Chisq diff"]][2]), a[["Df diff"]][2],
          sprintf("%.10g", a[["Pr(>Chisq)"]][2]), sprintf("%.10g", a$AIC), "\n")
    }
    a <- lavTestLRT(cfa(HS, HolzingerSwineford1939, estimator = "MLR", group = "school"),
                    cfa(HS, HolzingerSwineford1939, estimator = "MLR", group = "school",
                        group.equal = "loadings"))

The WLSMV difference test (method "satorra.2000", scaled-shifted) on the
quartile-cut items of the ``hs_ordinal`` fixture: tests/r/sem_wlsmv_lrt.R.

The Satorra–Bentler difference magnifies lavaan's optimiser tolerance
(about 1e-6 in the scaling factors) ten-fold: compared to 1e-4 relative.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from semopy.examples import holzinger39

from sqresearch.errors import ModelError
from sqresearch.sem.compare import bollen_stine, compare_models
from sqresearch.sem.fit import fit_sem

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
ONE_MODEL = "g =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9"
AIC = [7517.489853, 7738.448491]
LRT = {  # estimator: (Chisq diff, Df diff, Pr(>Chisq))
    "ML": (226.9586376, 3, 6.285972898e-49),
    "MLR": (212.910839, 3, 6.840113565e-46),
    "MLM": (190.2245045, 3, 5.458990006e-41),
}


@pytest.fixture(scope="module")
def hs():
    return holzinger39.get_data()


@pytest.mark.parametrize("estimator", list(LRT))
def test_lrt_matches_lavaan(hs, estimator):
    three = fit_sem(HS_MODEL, hs, estimator=estimator)
    one = fit_sem(ONE_MODEL, hs, estimator=estimator)
    cmp = compare_models(one, three, names=["one", "three"])  # any order: sorted by df
    assert cmp.table["model"].tolist() == ["three", "one"]
    row = cmp.table.iloc[1]
    chisq, df, p = LRT[estimator]
    assert row["delta_chisq"] == pytest.approx(chisq, rel=1e-4)
    assert row["delta_df"] == df
    assert row["pvalue"] == pytest.approx(p, rel=1e-3)
    np.testing.assert_allclose(cmp.table["aic"], AIC, rtol=1e-9)
    assert cmp.method == ("standard" if estimator == "ML" else "satorra.bentler.2001")
    assert np.isnan(cmp.table.iloc[0]["delta_chisq"])
    assert row["delta_cfi"] < -0.1  # one factor fits much worse
    doc = cmp.to_dict()
    assert doc["models"][1]["delta_df"] == 3 and doc["estimator"] == estimator


def test_sb2001_multigroup_invariance_step(hs):
    configural = fit_sem(HS_MODEL, hs, estimator="MLR", group="school")
    metric = fit_sem(HS_MODEL, hs, estimator="MLR", group="school", group_equal=["loadings"])
    row = compare_models(configural, metric).table.iloc[1]
    # In R: Chisq diff 6.567201737, Df diff 6, Pr(>Chisq) 0.3627305188
    assert row["delta_chisq"] == pytest.approx(6.567201737, rel=1e-4)
    assert row["pvalue"] == pytest.approx(0.3627305188, rel=1e-4)
    # the scaled statistics themselves are not subtracted
    assert row["delta_chisq"] != pytest.approx(
        metric.fit["chisq_scaled"] - configural.fit["chisq_scaled"], rel=1e-3
    )


WLSMV_LRT = {  # lavTestLRT(f3, other): (Chisq diff, Pr(>Chisq)), tests/r/sem_wlsmv_lrt.R
    "one": (111.1649165, 6.16061948e-24),
    "equal": (9.604615338, 0.008210777414),
    "orthogonal": (76.37919119, 1.834320883e-16),
}
WLSMV_MODELS = {
    "three": HS_MODEL,
    "one": ONE_MODEL,
    "equal": "visual =~ x1 + x2 + x3\ntextual =~ x4 + a*x5 + a*x6\nspeed =~ x7 + b*x8 + b*x9",
    "orthogonal": HS_MODEL + "\nvisual ~~ 0*textual\nvisual ~~ 0*speed\ntextual ~~ 0*speed",
}


def test_wlsmv_difference_test_matches_lavaan(hs_ordinal):
    fits = {
        name: fit_sem(model, hs_ordinal, ordered=True, estimator="WLSMV")
        for name, model in WLSMV_MODELS.items()
    }
    for name, (chisq, p) in WLSMV_LRT.items():
        cmp = compare_models(fits["three"], fits[name], names=["three", name])
        row = cmp.table.iloc[1]
        assert row["delta_chisq"] == pytest.approx(chisq, rel=1e-5), name
        assert row["pvalue"] == pytest.approx(p, rel=1e-4), name
        assert cmp.method == "satorra.2000" and np.isnan(row["scaling_factor"])
        # the scaled statistics are not subtracted, nor the unscaled ones
        assert row["delta_chisq"] != pytest.approx(
            fits[name].fit["chisq"] - fits["three"].fit["chisq"], rel=1e-3
        )
        assert row["chisq"] == fits[name].fit["chisq_scaled"]
        assert row["delta_cfi"] == pytest.approx(
            fits[name].fit["cfi_scaled"] - fits["three"].fit["cfi_scaled"]
        )
    # three models: the restricted model with equality constraints is the reference of the last
    # In R: lavTestLRT(f3, feq, f1): Chisq diff 9.604615338, 164.1103477
    table = compare_models(fits["one"], fits["three"], fits["equal"]).table
    np.testing.assert_allclose(table["delta_chisq"][1:], [9.604615338, 164.1103477], rtol=1e-5)
    assert table["delta_df"].tolist()[1:] == [2, 1]


def test_compare_refuses_what_cannot_be_compared(hs):
    ml, mlr = fit_sem(HS_MODEL, hs), fit_sem(ONE_MODEL, hs, estimator="MLR")
    with pytest.raises(ModelError, match="different estimators"):
        compare_models(ml, mlr)
    with pytest.raises(ModelError, match="same df"):
        compare_models(ml, fit_sem(HS_MODEL, hs))
    with pytest.raises(ModelError, match="same cases"):
        compare_models(ml, fit_sem(HS_MODEL, hs.iloc[:200]))


def test_bollen_stine(hs):
    good = fit_sem(HS_MODEL, hs)
    bs = bollen_stine(good, n_boot=60, seed=3)
    again = bollen_stine(good, n_boot=60, seed=3)
    np.testing.assert_array_equal(bs.draws, again.draws)
    assert bs.n_failed == 0 and len(bs.draws) == 60
    # under the rotated data the model holds: χ² draws centre near df = 24 (not at 85)
    assert 18 < bs.draws.mean() < 34
    assert bs.pvalue == np.mean(bs.draws > good.fit["chisq"])
    assert bs.pvalue < 0.05  # HS three-factor misfits (χ² = 85.3 on 24 df)
    rng = np.random.default_rng(0)
    f = rng.normal(size=300)
    data = pd.DataFrame({f"x{k}": 0.7 * f + rng.normal(size=300) for k in range(5)})
    assert (
        bollen_stine(fit_sem("f =~ x0 + x1 + x2 + x3 + x4", data), n_boot=60, seed=1).pvalue > 0.05
    )
