"""Item descriptives against scipy's bias-corrected estimators and the hand formulas.

References: scipy.stats.skew/kurtosis with bias=False are the G1/G2
estimators SPSS prints; the standard errors are SPSS's formulas (IBM SPSS
Statistics Algorithms, DESCRIPTIVES), written out here by hand. For n = 5 a
value was checked by hand: x = 1,2,2,3,5 gives G1 = 1.1181.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.measure.descriptives import item_descriptives, likert_distribution


@pytest.fixture(scope="module")
def likert() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    df = pd.DataFrame(
        {
            f"q{j}": rng.choice([1, 2, 3, 4, 5], size=250, p=p)
            for j, p in enumerate(
                [[0.1, 0.2, 0.3, 0.3, 0.1], [0.05, 0.05, 0.1, 0.3, 0.5], [0.4, 0.3, 0.1, 0.1, 0.1]],
                start=1,
            )
        }
    ).astype(float)
    df.iloc[::17, 1] = np.nan
    return df


def test_moments_match_scipy_and_hand_formulas(likert):
    res = item_descriptives(likert)
    for col in likert.columns:
        x = likert[col].dropna().to_numpy()
        n = len(x)
        row = res.loc[col]
        assert row["n"] == n
        assert row["mean"] == pytest.approx(x.mean(), abs=1e-12)
        assert row["sd"] == pytest.approx(x.std(ddof=1), abs=1e-12)
        assert row["skewness"] == pytest.approx(stats.skew(x, bias=False), abs=1e-10)
        assert row["kurtosis"] == pytest.approx(stats.kurtosis(x, bias=False), abs=1e-10)
        g1 = stats.skew(x)  # biased m3/m2^1.5
        assert row["skewness"] == pytest.approx(math.sqrt(n * (n - 1)) / (n - 2) * g1, abs=1e-10)
        ses = math.sqrt(6 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3)))
        assert row["se_skewness"] == pytest.approx(ses, abs=1e-12)
        assert row["se_kurtosis"] == pytest.approx(
            2 * ses * math.sqrt((n * n - 1) / ((n - 3) * (n + 5))), abs=1e-12
        )
    assert res.loc["q2", "n"] == 250 - len(range(0, 250, 17))


def test_hand_example():
    res = item_descriptives(pd.DataFrame({"x": [1, 2, 2, 3, 5]}))
    # hand: mean 2.6, s² = 2.3, Σz³ = 2.5152..., G1 = 5/(4·3)·Σz³
    z = (np.array([1, 2, 2, 3, 5]) - 2.6) / math.sqrt(2.3)
    assert res.loc["x", "skewness"] == pytest.approx(5 / 12 * (z**3).sum(), abs=1e-12)
    assert res.loc["x", "skewness"] == pytest.approx(1.1181, abs=1e-4)


def test_small_and_constant_items():
    res = item_descriptives(pd.DataFrame({"a": [3.0, 3, 3, 3], "b": [1.0, 2, None, None]}))
    assert res.loc["a", "sd"] == 0 and np.isnan(res.loc["a", "skewness"])
    assert res.loc["b", "n"] == 2 and np.isnan(res.loc["b", "se_skewness"])


def test_likert_distribution(likert):
    counts = likert_distribution(likert, points=5)
    assert list(counts.columns) == [1, 2, 3, 4, 5, "n", "missing"]
    for col in likert.columns:
        vc = likert[col].value_counts()
        for c in range(1, 6):
            assert counts.loc[col, c] == vc.get(float(c), 0)
    assert (counts[[1, 2, 3, 4, 5]].sum(axis=1) == counts["n"]).all()
    assert (counts["n"] + counts["missing"] == len(likert)).all()
    shares = likert_distribution(likert, points=5, percent=True)
    np.testing.assert_allclose(shares[[1, 2, 3, 4, 5]].sum(axis=1), 1.0)
    seven = likert_distribution(likert, points=7)
    assert (seven[[6, 7]] == 0).all().all()
    observed = likert_distribution(likert[["q1"]])
    assert list(observed.columns)[:5] == [1, 2, 3, 4, 5]


def test_likert_out_of_range(likert):
    bad = likert.copy()
    bad.loc[4, "q3"] = 9
    with pytest.raises(InputError, match="row 5"):  # index 4 is the 5th data row (1-based)
        likert_distribution(bad, points=5)
