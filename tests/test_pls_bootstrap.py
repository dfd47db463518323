"""PLS bootstrap: each resample equals a fit on the resampled rows; seeding; BCa vs scipy."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sqresearch.model.bootstrap import bca_ci, resample_indices
from sqresearch.model.pls import bootstrap_pls, fit_pls

DATA = Path(__file__).parent / "data"
MODEL = (DATA / "pls_sim.lav").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(DATA / "pls_sim.csv")


@pytest.fixture(scope="module")
def fitted(data):
    return fit_pls(MODEL, data, consistent=True)


def test_each_resample_equals_a_fit_on_the_resampled_rows(data, fitted):
    boot = bootstrap_pls(fitted, n_boot=4, seed=11, n_jobs=1)
    child = np.random.SeedSequence(11).spawn(1)[0]
    idx = np.random.default_rng(child).integers(0, len(data), size=(4, len(data)))
    for b in range(4):
        refit = fit_pls(MODEL, data.iloc[idx[b]].reset_index(drop=True), consistent=True)
        draws = pd.Series(
            boot.draws[b],
            index=pd.MultiIndex.from_frame(boot.table[["kind", "from", "to", "through"]]),
        )
        for row in refit.paths.itertuples():
            assert draws[("path", row._1, row.to, "")] == pytest.approx(row.est, abs=1e-9)
        for row in refit.loadings.itertuples():
            assert draws[("loading", row.construct, row.indicator, "")] == pytest.approx(
                row.est, abs=1e-9
            )
        for row in refit.indirect.itertuples():
            assert draws[("indirect", row._1, row.to, row.through)] == pytest.approx(
                row.est, abs=1e-9
            )
        for row in refit.htmt_pairs().itertuples():
            assert draws[("htmt", row.f1, row.f2, "")] == pytest.approx(row.htmt, abs=1e-9)


def test_point_estimates_are_the_fit(fitted):
    boot = bootstrap_pls(fitted, n_boot=50, seed=1)
    paths = boot.of("path")
    assert np.allclose(paths["est"], fitted.paths["est"], atol=1e-12)
    assert np.allclose(boot.of("weight")["est"], fitted.weights["est"], atol=1e-12)
    indirect = boot.of("indirect")
    assert list(indirect["through"]) == list(fitted.indirect["through"])
    total_ind = boot.of("total_indirect").set_index(["from", "to"])["est"]
    effects = fitted.effects.set_index(["from", "to"])
    for key, value in total_ind.items():
        assert value == pytest.approx(effects.loc[key, "indirect"], abs=1e-12)


def test_same_draws_for_any_number_of_workers(fitted):
    one = bootstrap_pls(fitted, n_boot=600, seed=5, n_jobs=1)
    two = bootstrap_pls(fitted, n_boot=600, seed=5, n_jobs=2)
    assert np.array_equal(one.draws, two.draws, equal_nan=True)
    other = bootstrap_pls(fitted, n_boot=600, seed=6, n_jobs=1)
    assert not np.array_equal(one.draws, other.draws)
    table = one.table.dropna(subset=["t"])
    assert (table["ci_lower"] <= table["ci_upper"]).all()
    assert (table["bca_lower"] <= table["bca_upper"]).all()
    strong = one.of("path").iloc[0]  # EXO1 -> MED, about .43 with se about .04
    assert strong.ci_lower < strong.est < strong.ci_upper and strong.pvalue < 0.001


def test_bca_agrees_with_scipy():
    # scipy.stats.bootstrap(method="BCa") draws rng.integers(0, n, (B, n)), as resample_indices
    x = np.random.default_rng(5).exponential(size=40)
    res = stats.bootstrap(
        (x,),
        np.mean,
        method="BCa",
        n_resamples=999,
        rng=np.random.default_rng(7),
        confidence_level=0.9,
    )
    draws = x[resample_indices(40, 999, np.random.default_rng(7))].mean(axis=1)[:, None]
    jack = np.array([np.delete(x, i).mean() for i in range(40)])[:, None]
    lo, hi = bca_ci(draws, np.array([x.mean()]), jack, 0.9)
    assert lo[0] == pytest.approx(res.confidence_interval.low, abs=1e-12)
    assert hi[0] == pytest.approx(res.confidence_interval.high, abs=1e-12)


def test_to_dict_is_json_ready(fitted):
    from sqresearch.jsondoc import to_jsonable

    doc = bootstrap_pls(fitted, n_boot=20, seed=2).to_dict()
    assert doc["n_boot"] == 20 and doc["seed"] == 2
    json.dumps(to_jsonable(doc), allow_nan=False)


def test_bad_settings(fitted):
    from sqresearch.errors import InputError

    with pytest.raises(InputError, match="n_boot"):
        bootstrap_pls(fitted, n_boot=1)
    with pytest.raises(InputError, match="level"):
        bootstrap_pls(fitted, n_boot=10, level=95)


def test_bootstrap_distribution_matches_seminr():
    # seminr's bootstrap_model(nboot = 2000) on mobi (tests/r/pls_seminr_bootstrap.R) draws other
    # resamples, so SEs and percentile bounds agree only up to Monte Carlo error: with 2000
    # resamples each SE is within about 3% of the true SE, so 12% covers both sides safely.
    refs = json.loads((DATA / "pls_seminr_bootstrap.json").read_text(encoding="utf-8"))
    mobi = fit_pls(
        (DATA / "mobi_pls.lav").read_text(encoding="utf-8"), pd.read_csv(DATA / "mobi.csv")
    )
    paths = bootstrap_pls(mobi, n_boot=2000, seed=1).of("path")
    assert len(paths) == len(refs)
    for row in paths.itertuples():
        ref = refs[f"{row._1}  ->  {row.to}"]
        assert row.se == pytest.approx(ref["se"], rel=0.12)
        assert row.ci_lower == pytest.approx(ref["lower"], abs=0.5 * ref["se"])
        assert row.ci_upper == pytest.approx(ref["upper"], abs=0.5 * ref["se"])
