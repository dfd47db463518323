"""Monte Carlo power: agreement with analytic power, determinism, resume, backends."""

from __future__ import annotations

import json
from dataclasses import dataclass

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
    from dask import distributed
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


def test_power_command_prints_the_documented_document(tmp_path, capsys):
    from sqresearch.cli import main

    config = tmp_path / "power.yaml"
    config.write_text(
        "population: 'y ~ 0.25*x'\nanalysis: {kind: ols, y: y, x: [x]}\n"
        "sample_sizes: [60, 200]\nn_rep: 30\nseed: 4\nn_jobs: 1\ncache_dir: cache\n",
        encoding="utf-8",
    )
    assert main(["power", str(config), "--json", "--figure", str(tmp_path / "curve"), "--lang", "en"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"settings", "summary", "minimum_n", "truth"}
    assert (tmp_path / "curve.pdf").read_bytes()[:4] == b"%PDF"
    assert (tmp_path / "curve.png").read_bytes()[:4] == b"\x89PNG"
    direct = power_analysis(SLOPE, OLSAnalysis("y", ("x",)), [60, 200], n_rep=30, seed=4, n_jobs=1,
                            progress=False)
    assert [row["power"] for row in document["summary"]] == direct.summary["power"].tolist()
    assert document["truth"]["y ~ x"] == direct.truth["y ~ x"]
    assert (tmp_path / "cache").is_dir()


def test_power_command_names_the_bad_key(tmp_path, capsys):
    from sqresearch.cli import main

    config = tmp_path / "power.yaml"
    config.write_text("population: 'y ~ 0.25*x'\nanalysis: {kind: sem}\nsample_sizes: [60]\n", encoding="utf-8")
    assert main(["power", str(config), "--json"]) == 2
    err = capsys.readouterr().err
    assert "power.yaml" in err and "'model'" in err and "\n" == err[-1] and err.count("\n") == 1


@pytest.mark.slow
def test_framework_sem_power_from_the_command_line(tmp_path, capsys):
    from sqresearch.cli import main

    config = tmp_path / "power.yaml"
    config.write_text(
        "framework: tea_brand_community\nassume: {effect: 0.25, effects: {'PIN ~ SOB': 0.1}}\n"
        "sample_sizes: [80, 300]\nn_rep: 12\nseed: 3\nn_jobs: 2\nlikert: 5\n",
        encoding="utf-8",
    )
    assert main(["power", str(config), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    rows = {(row["param"], row["n"]): row for row in document["summary"]}
    assert all(row["convergence"] == 1.0 for row in rows.values())
    # A path of .25 is found more often at n = 300 than at n = 80, and more often than a path of .10.
    assert rows[("SOB ~ CVA", 300)]["power"] >= rows[("SOB ~ CVA", 80)]["power"]
    assert rows[("SOB ~ CVA", 300)]["power"] >= rows[("PIN ~ SOB", 300)]["power"]
    # The true values on the analysed (Likert, marker-identified) scale come from the large sample:
    # positive for every hypothesised path, the weak one smaller.
    assert 0 < document["truth"]["PIN ~ SOB"] < document["truth"]["LOY ~ SOB"]


def test_mediation_analysis_equals_process_model_4():
    from sqresearch.model.power import MediationAnalysis
    from sqresearch.model.process import process
    from sqresearch.simulate import simulate_data

    data = simulate_data("M1 ~ 0.4*X\nM2 ~ 0.3*X\nY ~ 0.3*M1 + 0.2*M2 + 0.1*X + 0.2*C", 150, seed=5)
    rng = np.random.default_rng(7)
    seed = int(np.random.default_rng(7).integers(2**63))  # the seed the analysis draws
    rows = MediationAnalysis("X", ("M1", "M2"), "Y", ("C",), n_boot=400)(data, rng).set_index("param")
    reference = process(data, 4, x="X", y="Y", m=["M1", "M2"], covariates=["C"], n_boot=400, seed=seed)
    paths = reference.paths.set_index(["equation", "term"])
    for mediator in ("M1", "M2"):
        for name, key in ((f"a {mediator}", (mediator, "X")), (f"b {mediator}", ("Y", mediator))):
            for column in ("est", "se", "pvalue", "ci_lower", "ci_upper"):
                source = {"est": "coef"}.get(column, column)
                assert rows.loc[name, column] == pytest.approx(paths.loc[key, source], rel=1e-10, abs=1e-12)
    direct = reference.direct.iloc[0]
    assert rows.loc["direct", "est"] == pytest.approx(direct["effect"], rel=1e-10)
    assert rows.loc["direct", "se"] == pytest.approx(direct["se"], rel=1e-10)
    indirect = reference.indirect.set_index("path")
    for path in ("M1", "M2", "total"):
        for column, source in (("est", "effect"), ("se", "boot_se"), ("ci_lower", "ci_lower"), ("ci_upper", "ci_upper")):
            assert rows.loc[f"indirect {path}", column] == pytest.approx(indirect.loc[path, source], rel=1e-10)


@dataclass(frozen=True)
class _FailsOnSmallSamples(OLSAnalysis):
    """OLS that raises on every third data set: a fit that fails outright."""

    def __call__(self, data, rng):
        if len(data) < 100 and rng.random() < 1 / 3:
            raise np.linalg.LinAlgError("singular")
        return super().__call__(data, rng)


def test_failed_fits_count_as_not_converged():
    result = power_analysis(SLOPE, _FailsOnSmallSamples("y", ("x",)), [50, 200], n_rep=60, seed=2,
                            n_jobs=1, progress=False, truth={"y ~ x": 0.25})
    summary = result.summary.set_index("n")
    rows_at_50 = (result.replications["n"] == 50).sum()
    assert rows_at_50 < 60  # some fits failed and left no rows
    assert summary.loc[50, "convergence"] == pytest.approx(rows_at_50 / 60)
    assert summary.loc[50, "n_rep"] == 60
    assert summary.loc[200, "convergence"] == 1.0
