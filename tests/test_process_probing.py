"""Model 1 over a grid: simple_slopes_grid and jn_curve.

References: statsmodels formula fits of Y ~ X * W + C1 on the raw (uncentred)
data, independent of our design code — ``get_prediction`` for the predicted
means and their t intervals, ``t_test`` for the conditional effects — and the
PROCESS-style tables ``result.conditional`` / ``result.jn`` of the same fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from sqresearch.errors import ModelError
from sqresearch.model.process import jn_curve, process, simple_slopes_grid

CI = ["effect", "se", "ci_lower", "ci_upper"]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 300
    d = pd.DataFrame({"X": rng.normal(size=n), "W": rng.normal(3, 1, size=n)})
    d["C1"] = rng.normal(size=n)
    # effect of X is 0.05 + 0.15·(W − 3): non-significant at low W, significant at high W
    d["Y"] = 0.05 * d.X + 0.15 * d.X * (d.W - 3) + 0.5 * d.C1 + rng.normal(size=n)
    return d


SETTINGS = [
    {},
    {"center": True},
    {"cov_type": "HC3"},
    {"center": True, "cov_type": "HC3", "at": "percentiles"},
]


@pytest.fixture(scope="module", params=SETTINGS, ids=lambda s: ",".join(s) or "default")
def fitted(request, data):
    return request.param, process(data, 1, x="X", y="Y", w="W", covariates=["C1"], **request.param)


def _reference_fit(data, settings):
    formula = smf.ols("Y ~ X * W + C1", data)
    if settings.get("cov_type") == "HC3":
        return formula.fit(cov_type="HC3", use_t=True)
    return formula.fit()


def test_curve_at_probe_values_equals_conditional_table(fitted):
    _, r = fitted
    curve = jn_curve(r, w=r.conditional["w"])
    np.testing.assert_allclose(curve["w"], r.conditional["w"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(curve[CI], r.conditional[CI], rtol=0, atol=1e-10)


def test_curve_matches_statsmodels_t_test(fitted, data):
    settings, r = fitted
    fit = _reference_fit(data, settings)
    curve = jn_curve(r, n_points=7)
    for row in curve.itertuples():
        test = fit.t_test(f"X + {row.w!r} * X:W = 0")
        lo, hi = np.asarray(test.conf_int()).ravel()
        assert row.effect == pytest.approx(float(test.effect[0]), abs=1e-10)
        assert row.se == pytest.approx(float(np.asarray(test.sd).ravel()[0]), abs=1e-10)
        assert (row.ci_lower, row.ci_upper) == pytest.approx((lo, hi), abs=1e-10)


def test_curve_grid_spans_w_and_contains_the_jn_points(fitted, data):
    _, r = fitted
    assert len(r.jn) >= 1  # the data are built to have a JN point inside W's range
    curve = jn_curve(r, n_points=50)
    assert len(curve) == 50 + len(r.jn)
    assert curve["w"].is_monotonic_increasing
    assert curve["w"].iloc[0] == pytest.approx(data.W.min(), abs=1e-12)
    assert curve["w"].iloc[-1] == pytest.approx(data.W.max(), abs=1e-12)
    for point in r.jn["w"]:
        i = int(np.argmin(np.abs(curve["w"] - point)))
        row = curve.iloc[i]
        assert row["w"] == pytest.approx(point, abs=1e-12)
        # exactly on the boundary: one bound of the interval is zero
        assert min(abs(row["ci_lower"]), abs(row["ci_upper"])) < 1e-10
        assert row["effect"] == pytest.approx(r.jn.loc[r.jn["w"] == point, "effect"].iloc[0])
        # and significance flips between the grid neighbours
        sig = (curve["ci_lower"] > 0) | (curve["ci_upper"] < 0)
        assert sig.iloc[i - 1] != sig.iloc[i + 1]


def test_predictions_equal_statsmodels_get_prediction(fitted, data):
    settings, r = fitted
    grid = simple_slopes_grid(r, n_points=9)
    assert list(grid.columns) == ["label", "w", "x", "fit", "se", "ci_lower", "ci_upper"]
    assert list(grid["label"].unique()) == list(r.conditional["label"])
    fit = _reference_fit(data, settings)  # uncentred: predictions do not depend on centring
    new = pd.DataFrame({"X": grid["x"], "W": grid["w"], "C1": data.C1.mean()})
    frame = fit.get_prediction(new).summary_frame(alpha=1 - r.level)
    np.testing.assert_allclose(grid["fit"], frame["mean"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(grid["se"], frame["mean_se"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(grid["ci_lower"], frame["mean_ci_lower"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(grid["ci_upper"], frame["mean_ci_upper"], rtol=0, atol=1e-10)
    # same numbers from the stored fit itself (the centred design when centred)
    crit = stats.t.ppf(0.975, r.n - 5)
    np.testing.assert_allclose(grid["ci_upper"] - grid["fit"], crit * grid["se"], rtol=1e-12)


def test_lines_span_x_and_slope_is_the_conditional_effect(fitted, data):
    _, r = fitted
    grid = simple_slopes_grid(r, n_points=5)
    for (label, part), effect in zip(
        grid.groupby("label", sort=False), r.conditional["effect"], strict=True
    ):
        assert part["x"].iloc[0] == pytest.approx(data.X.min(), abs=1e-12)
        assert part["x"].iloc[-1] == pytest.approx(data.X.max(), abs=1e-12)
        slopes = np.diff(part["fit"]) / np.diff(part["x"])
        np.testing.assert_allclose(slopes, effect, rtol=0, atol=1e-10, err_msg=label)


def test_grids_need_a_model_1_result(data):
    r = process(data, 4, x="X", y="Y", m="C1", n_boot=0)
    with pytest.raises(ModelError, match="model 1"):
        simple_slopes_grid(r)
    with pytest.raises(ModelError, match="model 1"):
        jn_curve(r)
