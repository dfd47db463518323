"""One vocabulary: ``level``, ``n_boot``; the old spellings still work and warn (issue 18 item 5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sqresearch.model import bootstrap as bs
from sqresearch.model.groups import cohens_d, compare_groups, posthoc, ttest_independent
from sqresearch.model.process import johnson_neyman, process
from sqresearch.model.regression import hierarchical_regression


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(18)
    d = pd.DataFrame({"X": rng.normal(size=120), "W": rng.normal(size=120)})
    d["M"] = 0.5 * d["X"] + rng.normal(size=120)
    d["Y"] = 0.4 * d["M"] + 0.2 * d["X"] * d["W"] + rng.normal(size=120)
    d["G"] = np.repeat(["a", "b", "c"], 40)
    return d


def test_process_old_keywords_warn_and_give_the_same_result(data):
    new = process(data, 4, x="X", y="Y", m="M", n_boot=200, seed=1, level=0.9)
    with pytest.warns(DeprecationWarning, match=r"'boot' is deprecated; use 'n_boot'"):
        with pytest.warns(DeprecationWarning, match=r"'conf' is deprecated; use 'level'"):
            old = process(data, 4, x="X", y="Y", m="M", boot=200, seed=1, conf=0.9)
    pd.testing.assert_frame_equal(new.indirect, old.indirect)
    assert (new.n_boot, new.level) == (200, 0.9)
    with pytest.warns(DeprecationWarning, match=r"ProcessResult.conf is deprecated; use .level"):
        assert new.conf == 0.9
    with pytest.warns(DeprecationWarning, match=r"use .n_boot"):
        assert new.boot == 200


def test_both_spellings_at_once_is_an_error(data):
    with pytest.raises(TypeError, match="both 'boot' and 'n_boot'"):
        process(data, 4, x="X", y="Y", m="M", boot=10, n_boot=10)


def test_group_tests_take_level(data):
    two = data[data["G"] != "c"]
    for func, frame in ((ttest_independent, two), (cohens_d, two), (posthoc, data)):
        new = func(frame, "Y", "G", level=0.9)
        with pytest.warns(DeprecationWarning, match="'confidence' is deprecated; use 'level'"):
            old = func(frame, "Y", "G", confidence=0.9)
        pd.testing.assert_frame_equal(new, old)
    with pytest.warns(DeprecationWarning, match="use 'level'"):
        compare_groups(data, "Y", "G", confidence=0.9)


def test_regression_and_bootstrap_helpers_take_level_and_n_boot(data):
    new = hierarchical_regression(data, "Y", [["X"], ["M"]], level=0.9)
    with pytest.warns(DeprecationWarning, match="'conf' is deprecated; use 'level'"):
        old = hierarchical_regression(data, "Y", [["X"], ["M"]], conf=0.9)
    pd.testing.assert_frame_equal(new.coefficients, old.coefficients)
    draws = np.arange(101.0)[:, None]
    with pytest.warns(DeprecationWarning, match="use 'level'"):
        assert bs.percentile_ci(draws, conf=0.9) == bs.percentile_ci(draws, level=0.9)
    with pytest.warns(DeprecationWarning, match="use 'n_boot'"):
        np.testing.assert_array_equal(
            bs.resample_indices(5, boot=3, seed=1), bs.resample_indices(5, n_boot=3, seed=1)
        )
    args = (0.0, 1.0, 0.01, 0.0, 0.01, 100, (-10.0, 10.0))
    with pytest.warns(DeprecationWarning, match="use 'level'"):
        np.testing.assert_array_equal(
            johnson_neyman(*args, conf=0.9), johnson_neyman(*args, level=0.9)
        )
