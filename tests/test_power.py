"""Monte Carlo power: agreement with analytic power, determinism, resume, backends."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sqresearch.model.power import (
    OLSAnalysis,
    analytic_regression_power,
    power_analysis,
)

SLOPE = "y ~ 0.25*x"


def test_monte_carlo_power_agrees_with_noncentral_t():
    # Continuous data, standardised slope 0.25: the t test's power is exactly
    # the noncentral-t value (fixed-x OLS; with random normal x the difference
    # is far below the Monte Carlo error at these n).
    result = power_analysis(
        SLOPE, OLSAnalysis("y", ("x",)), [60, 120], n_rep=1000, seed=11, n_jobs=1,
        progress=False, truth={"y ~ x": 0.25}, chunk_size=250,
    )
    for row in result.summary.itertuples():
        expected = analytic_regression_power(0.25, row.n)
        assert abs(row.power - expected) < 3.5 * np.sqrt(expected * (1 - expected) / 1000), row
        # Wald t intervals cover the true slope 95% of the time.
        assert abs(row.coverage - 0.95) < 3.5 * np.sqrt(0.95 * 0.05 / 1000)
        assert abs(row.bias) < 0.01
        assert row.convergence == 1.0


def test_minimum_n_is_the_first_size_reaching_target():
    result = power_analysis(
        SLOPE, OLSAnalysis("y", ("x",)), [40, 130, 200], n_rep=300, seed=3, n_jobs=1,
        progress=False, truth={"y ~ x": 0.25},
    )
    table = result.summary.set_index("n")["power"]
    expected = min(n for n, p in table.items() if p >= 0.80)
    assert result.minimum_n().set_index("param").loc["y ~ x", "min_n"] == expected
    assert table[40] < 0.8 <= table[200]


def test_large_sample_truth_recovers_population_slope():
    result = power_analysis(SLOPE, OLSAnalysis("y", ("x",)), [50], n_rep=5, seed=2, n_jobs=1, progress=False)
    assert result.truth["y ~ x"] == pytest.approx(0.25, abs=0.01)  # SE ≈ 0.003 at n = 100 000


def test_results_identical_for_any_number_of_workers():
    common = dict(n_rep=40, seed=5, progress=False, truth={"y ~ x": 0.25}, chunk_size=7)
    one = power_analysis(SLOPE, OLSAnalysis("y", ("x",)), [30, 60], n_jobs=1, **common)
    two = power_analysis(SLOPE, OLSAnalysis("y", ("x",)), [30, 60], n_jobs=2, **common)
    pd.testing.assert_frame_equal(one.replications, two.replications)
    pd.testing.assert_frame_equal(one.summary, two.summary)
    other = power_analysis(SLOPE, OLSAnalysis("y", ("x",)), [30, 60], n_jobs=1, **{**common, "seed": 6})
    assert not np.allclose(one.replications["est"], other.replications["est"])


def test_interrupted_run_resumes_from_disk(tmp_path):
    common = dict(n_rep=30, seed=9, progress=False, truth={"y ~ x": 0.25}, chunk_size=5, n_jobs=1)
    full = power_analysis(SLOPE, OLSAnalysis("y", ("x",)), [40], **common)

    class Stop(Exception):
        pass

    def stop_after_two(done, total):
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        power_analysis(SLOPE, OLSAnalysis("y", ("x",)), [40], cache_dir=tmp_path,
                       progress_callback=stop_after_two, **common)
    stored = sorted(tmp_path.glob("*/n40_rep*.csv"))
    assert len(stored) == 2
    seen = []
    resumed = power_analysis(SLOPE, OLSAnalysis("y", ("x",)), [40], cache_dir=tmp_path,
                             progress_callback=lambda done, total: seen.append(done), **common)
    assert seen == [3, 4, 5, 6]  # only the four missing chunks ran
    pd.testing.assert_frame_equal(full.replications, resumed.replications, check_exact=True)
    settings = json.loads((stored[0].parent / "settings.json").read_text(encoding="utf-8"))
    assert settings["seed"] == 9


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_results():
    distributed = pytest.importorskip("dask.distributed")
    common = dict(n_rep=24, seed=4, progress=False, truth={"y ~ x": 0.25}, chunk_size=6)
    local = power_analysis(SLOPE, OLSAnalysis("y", ("x",)), [30, 50], n_jobs=1, **common)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = power_analysis(SLOPE, OLSAnalysis("y", ("x",)), [30, 50],
                                scheduler=cluster.scheduler_address, **common)
    pd.testing.assert_frame_equal(local.replications, remote.replications, check_exact=True)


MEDIATION = """
M ~ 0.39*X
Y ~ 0.39*M + 0.1*X
"""


def test_mediation_power_tracks_paths_and_bootstrap_indirect():
    from sqresearch.model.power import MediationAnalysis

    analysis = MediationAnalysis("X", ("M",), "Y", n_boot=300)
    result = power_analysis(MEDIATION, analysis, [60, 150], n_rep=40, seed=8, n_jobs=1, progress=False)
    summary = result.summary.set_index(["param", "n"])
    assert set(summary.index.get_level_values(0)) == {"a M", "b M", "direct", "indirect M", "indirect total"}
    # Truth on the analysed scale: a = .39; b = .39 adjusted for X; ab = a*b.
    assert result.truth["a M"] == pytest.approx(0.39, abs=0.01)
    assert result.truth["indirect M"] == pytest.approx(result.truth["a M"] * result.truth["b M"], rel=1e-9)
    # Power rises with n; with a*b ≈ .15 and n = 150 the bootstrap test nearly always detects it.
    assert summary.loc[("indirect M", 60), "power"] < summary.loc[("indirect M", 150), "power"]
    assert summary.loc[("indirect M", 150), "power"] >= 0.9
