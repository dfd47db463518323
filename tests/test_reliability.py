"""Reliability against independent computations.

References used here:
- Textbook formulas computed with numpy in the test (sum-score variance route
  for alpha, Spearman-Brown route for the standardised alpha, Pearson
  correlations of item and rest score for CITC): psych::alpha computes the
  same quantities (raw_alpha, std.alpha, r.drop, alpha.drop) on complete
  cases, so agreement to 1e-10 is agreement with psych to 1e-6.
- pingouin.cronbach_alpha (tested by its authors against R psych).
- McDonald's omega: closed form for three indicators (a one-factor model of
  three items is just identified: λ_i²ψ = c_ij c_ik / c_jk and the implied
  covariance equals the sample covariance), and an independent scipy ML fit
  of the one-factor model for more items.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy.optimize import minimize
from semopy.examples import holzinger39

from sqresearch.errors import InputError
from sqresearch.measure import MeasurementWarning
from sqresearch.measure.reliability import (
    cronbach_alpha,
    mcdonald_omega,
    reliability_table,
)


@pytest.fixture(scope="module")
def hs() -> pd.DataFrame:
    return holzinger39.get_data()


def _textbook_alpha(x: np.ndarray) -> float:
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def _spearman_brown_alpha(x: np.ndarray) -> float:
    r = np.corrcoef(x, rowvar=False)
    k = r.shape[0]
    rbar = r[np.triu_indices(k, 1)].mean()
    return k * rbar / (1 + (k - 1) * rbar)


def _likert_with_missing(seed: int = 7) -> tuple[pd.DataFrame, list[str]]:
    """Five 1-5 items, one reverse-keyed (A1), ~5% missing."""
    rng = np.random.default_rng(seed)
    n = 400
    f = rng.normal(size=n)
    cols = {}
    for j, lam in enumerate([0.5, 0.7, 0.6, 0.8, 0.4], start=1):
        latent = lam * f + rng.normal(scale=0.7, size=n)
        if j == 1:
            latent = -latent  # reverse-keyed item
        cols[f"A{j}"] = np.clip(np.round(3 + 1.1 * latent), 1, 5)
    df = pd.DataFrame(cols)
    mask = rng.random(df.shape) < 0.05
    return df.mask(mask), list(df.columns)


def test_alpha_matches_textbook_formulas_hs(hs):
    items = ["x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9"]
    res = cronbach_alpha(hs, items, omega=False)
    x = hs[items].to_numpy(float)
    assert res.n == 301
    assert res.alpha == pytest.approx(_textbook_alpha(x), abs=1e-12)
    assert res.std_alpha == pytest.approx(_spearman_brown_alpha(x), abs=1e-12)
    r = np.corrcoef(x, rowvar=False)
    assert res.average_r == pytest.approx(r[np.triu_indices(9, 1)].mean(), abs=1e-12)
    total = x.sum(axis=1)
    for i, item in enumerate(items):
        rest = np.delete(x, i, axis=1)
        row = res.items.loc[item]
        assert row["citc"] == pytest.approx(np.corrcoef(x[:, i], total - x[:, i])[0, 1], abs=1e-12)
        assert row["r"] == pytest.approx(np.corrcoef(x[:, i], total)[0, 1], abs=1e-12)
        assert row["alpha_if_deleted"] == pytest.approx(_textbook_alpha(rest), abs=1e-12)
        assert row["std_alpha_if_deleted"] == pytest.approx(_spearman_brown_alpha(rest), abs=1e-12)
        assert row["mean"] == pytest.approx(x[:, i].mean(), abs=1e-12)
        assert row["sd"] == pytest.approx(x[:, i].std(ddof=1), abs=1e-12)


def test_alpha_matches_pingouin(hs):
    items = ["x4", "x5", "x6"]
    expected, _ = pg.cronbach_alpha(hs[items])
    assert cronbach_alpha(hs, items, omega=False).alpha == pytest.approx(expected, abs=1e-10)


def test_reverse_keying_and_listwise_deletion():
    df, items = _likert_with_missing()
    res = cronbach_alpha(df, items, reverse=["A1"], scale_points=5, omega=False)
    complete = df.dropna()
    x = complete.to_numpy(float).copy()
    x[:, 0] = 6 - x[:, 0]
    assert res.n == len(complete) < len(df)
    assert res.alpha == pytest.approx(_textbook_alpha(x), abs=1e-12)
    assert res.items.loc["A1", "mean"] == pytest.approx(x[:, 0].mean(), abs=1e-12)
    assert res.items.loc["A1", "reversed"]
    assert not res.items.loc["A2", "reversed"]
    assert not res.sign_problem
    # reversing raises the alpha of a scale with a reverse-keyed item; before, A1 is flagged
    with pytest.warns(MeasurementWarning, match=r"'A1' points the other way.*reverse=\['A1'\]"):
        unreversed = cronbach_alpha(df, items, omega=False)
    assert res.alpha > unreversed.alpha + 0.1
    assert unreversed.sign_problem and unreversed.items["negative"].tolist() == [True] + [False] * (
        len(items) - 1
    )
    # psych's min + max rule gives the same statistics (only the mean moves)
    res_psych = cronbach_alpha(df, items, reverse=["A1"], omega=False)
    assert res_psych.alpha == pytest.approx(res.alpha, abs=1e-12)
    assert res_psych.items["citc"].to_numpy() == pytest.approx(res.items["citc"].to_numpy())


def test_omega_three_items_closed_form(hs):
    items = ["x1", "x2", "x3"]
    c = np.cov(hs[items].to_numpy(float), rowvar=False)
    lam_sqrt_psi = [
        np.sqrt(c[i, j] * c[i, m] / c[j, m]) for i, j, m in [(0, 1, 2), (1, 0, 2), (2, 0, 1)]
    ]
    expected = sum(lam_sqrt_psi) ** 2 / c.sum()
    assert mcdonald_omega(hs, items) == pytest.approx(expected, abs=1e-6)


def _ml_one_factor_omega(x: np.ndarray) -> float:
    """Independent ML fit of F =~ x1..xk (factor variance 1) with scipy."""
    n, k = x.shape
    s = np.cov(x, rowvar=False, ddof=0)
    logdet_s = np.linalg.slogdet(s)[1]

    def f_ml(p):
        lam, theta = p[:k], np.exp(p[k:])
        sigma = np.outer(lam, lam) + np.diag(theta)
        sign, logdet = np.linalg.slogdet(sigma)
        return logdet + np.trace(s @ np.linalg.inv(sigma)) - logdet_s - k

    start = np.r_[np.sqrt(np.diag(s)) * 0.7, np.log(np.diag(s) * 0.5)]
    res = minimize(f_ml, start, method="BFGS", options={"gtol": 1e-10, "maxiter": 10000})
    lam, theta = res.x[:k], np.exp(res.x[k:])
    return lam.sum() ** 2 / (lam.sum() ** 2 + theta.sum())


def test_omega_matches_independent_ml_fit(hs):
    items = ["x4", "x5", "x6", "x7"]
    expected = _ml_one_factor_omega(hs[items].to_numpy(float))
    assert mcdonald_omega(hs, items) == pytest.approx(expected, abs=1e-6)
    assert cronbach_alpha(hs, items).omega == pytest.approx(expected, abs=1e-6)


def test_omega_needs_three_items(hs):
    with pytest.warns(MeasurementWarning, match="at least 3 items"):
        res = cronbach_alpha(hs, ["x1", "x2"])
    assert np.isnan(res.omega)
    assert np.isnan(res.items["alpha_if_deleted"]).all()


def test_omega_with_chinese_item_names(hs):
    renamed = hs[["x1", "x2", "x3"]].set_axis(["视觉1", "视觉2", "视觉3"], axis=1)
    assert mcdonald_omega(renamed) == pytest.approx(mcdonald_omega(hs, ["x1", "x2", "x3"]))


def test_reliability_table_many_scales(hs):
    scales = {
        "visual": ["x1", "x2", "x3"],
        "textual": ["x4", "x5", "x6"],
        "speed": ["x7", "x8", "x9"],
    }
    tab = reliability_table(hs, scales)
    assert list(tab.scales.index) == list(scales)
    assert list(tab.scales.columns) == [
        "k",
        "n",
        "alpha",
        "std_alpha",
        "omega",
        "average_r",
        "sign_problem",
    ]
    assert not tab.scales["sign_problem"].any()
    for name, items in scales.items():
        single = cronbach_alpha(hs, items, name=name)
        assert tab.scales.loc[name, "alpha"] == single.alpha
        assert tab.scales.loc[name, "omega"] == single.omega
        pd.testing.assert_frame_equal(tab.items.loc[name], single.items)
    assert tab.items.index.names == ["scale", "item"]
    assert "<table" in tab._repr_html_()


def test_listwise_within_each_scale():
    df, items = _likert_with_missing()
    df["B1"] = df["A2"].fillna(3)
    df["B2"] = df["A3"].fillna(3)
    df["B3"] = df["A4"].fillna(3)
    tab = reliability_table(df, {"A": items, "B": ["B1", "B2", "B3"]}, reverse=["A1"])
    assert tab.scales.loc["A", "n"] == len(df[items].dropna())
    assert tab.scales.loc["B", "n"] == len(df)


def test_errors_name_the_column():
    df, items = _likert_with_missing()
    with pytest.raises(InputError, match="'A9'"):
        cronbach_alpha(df, ["A1", "A9"])
    with pytest.raises(InputError, match="'Z1'"):
        reliability_table(df, {"A": items}, reverse=["Z1"])
    bad = df.astype(object)
    bad.loc[3, "A2"] = "很同意"
    with pytest.raises(InputError, match="row 4"):  # index 3 is the 4th data row (1-based)
        cronbach_alpha(bad, items)
    with pytest.raises(InputError, match="outside the 1-5"):
        cronbach_alpha(df.fillna(7), items, reverse=["A1"], scale_points=5)
    with pytest.raises(InputError, match="at least 2"):
        cronbach_alpha(df, ["A1"])


@pytest.mark.parametrize("perm", list(itertools.permutations(range(3)))[:3])
def test_alpha_invariant_to_item_order(hs, perm):
    items = [["x7", "x8", "x9"][i] for i in perm]
    assert cronbach_alpha(hs, items, omega=False).alpha == pytest.approx(
        cronbach_alpha(hs, ["x7", "x8", "x9"], omega=False).alpha, abs=1e-12
    )
