"""Correlation table: against numpy/scipy computed independently, pairwise vs listwise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.model.correlation import correlation_matrix, correlation_table


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    cov = [[1, 0.5, 0.3], [0.5, 1, 0.4], [0.3, 0.4, 1]]
    d = pd.DataFrame(
        rng.multivariate_normal([3, 3.5, 4], cov, size=120), columns=["BRD", "CVA", "LOY"]
    )
    d.loc[[0, 1, 2], "CVA"] = np.nan
    d.loc[[5], "LOY"] = np.nan
    return d


def test_pairwise(data):
    t = correlation_table(data, missing="pairwise")
    pairs = t.pairs.set_index(["var1", "var2"])
    both = data[["BRD", "LOY"]].dropna()
    r, p = stats.pearsonr(both.BRD, both.LOY)
    # r by hand: covariance over the product of SDs
    by_hand = np.cov(both.BRD, both.LOY)[0, 1] / (both.BRD.std() * both.LOY.std())
    assert pairs.loc[("BRD", "LOY"), "r"] == pytest.approx(by_hand, abs=1e-12)
    # p from t = r sqrt(n-2)/sqrt(1-r^2) on n-2 df
    n = len(both)
    tval = by_hand * np.sqrt(n - 2) / np.sqrt(1 - by_hand**2)
    assert pairs.loc[("BRD", "LOY"), "pvalue"] == pytest.approx(
        2 * stats.t.sf(abs(tval), n - 2), rel=1e-9
    )
    assert pairs.loc[("BRD", "LOY"), "pvalue"] == pytest.approx(p, rel=1e-9)
    assert pairs.loc[("BRD", "LOY"), "n"] == 119
    assert pairs.loc[("BRD", "CVA"), "n"] == 117
    assert pairs.loc[("CVA", "LOY"), "n"] == 116
    assert t.descriptives.loc["CVA", "n"] == 117
    assert t.descriptives.loc["BRD", "mean"] == pytest.approx(data.BRD.mean())
    assert t.descriptives.loc["LOY", "sd"] == pytest.approx(data.LOY.std(ddof=1))


def test_listwise_and_matrix(data):
    t = correlation_table(data, ["LOY", "BRD", "CVA"], missing="listwise")
    d = data.dropna()
    assert (t.pairs["n"] == len(d)).all()
    wide = t.matrix()
    expected = d[["LOY", "BRD", "CVA"]].corr()
    assert wide.loc["CVA", "LOY"] == pytest.approx(expected.loc["CVA", "LOY"], abs=1e-12)
    assert np.isnan(wide.loc["LOY", "CVA"])  # lower triangle only
    assert list(wide.columns) == ["LOY", "BRD", "CVA"]
    assert np.diag(wide.to_numpy()).tolist() == [1.0, 1.0, 1.0]
    assert t.descriptives.loc["BRD", "mean"] == pytest.approx(d.BRD.mean())


def test_diagonal_sqrt_ave(data):
    ave = pd.Series({"BRD": 0.64, "CVA": 0.49, "LOY": 0.81})
    t = correlation_table(data, diagonal=np.sqrt(ave))
    assert np.diag(t.matrix().to_numpy()).tolist() == pytest.approx([0.8, 0.7, 0.9])
    pvals = t.matrix("pvalue")
    assert np.isnan(pvals.loc["BRD", "BRD"])
    with pytest.raises(InputError):
        correlation_table(data, diagonal=ave.drop("LOY"))
    assert "<table" in t._repr_html_()


def test_matrix_from_long_any_order():
    p = pd.DataFrame({"var1": ["b"], "var2": ["a"], "r": [0.3]})
    assert correlation_matrix(p, ["a", "b"]).loc["b", "a"] == 0.3


def test_errors(data):
    with pytest.raises(InputError) as exc:
        correlation_table(data, ["BRD", "X"])
    assert exc.value.column == "X"
    with pytest.raises(InputError):
        correlation_table(data, ["BRD"])
