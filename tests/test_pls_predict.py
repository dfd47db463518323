"""PLSpredict against R seminr 2.3.1 (``predict_pls``, same folds) and an independent LM benchmark.

References: ``tests/r/pls_seminr_predict.R`` -> ``tests/data/pls_seminr_predict.json``
(seminr's out-of-sample RMSE and MAE of the PLS predictions of every endogenous
indicator of ``mobi``, 10 folds, earliest- and direct-antecedent techniques, and
the fold of each row). seminr's linear-model benchmark regresses an indicator
on every item outside its own block; ours (as SmartPLS and Shmueli et al.
2019) on the indicators of the exogenous constructs, so the LM is checked
against ordinary least squares written out here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sqresearch.errors import InputError
from sqresearch.model.pls import fit_pls, pls_predict

DATA = Path(__file__).parent / "data"
MOBI_MODEL = (DATA / "mobi_pls.lav").read_text(encoding="utf-8")
REFS = json.loads((DATA / "pls_seminr_predict.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mobi():
    return fit_pls(MOBI_MODEL, pd.read_csv(DATA / "mobi.csv"))


@pytest.mark.parametrize("technique", ["EA", "DA"])
def test_pls_errors_match_seminr(mobi, technique):
    pred = pls_predict(mobi, fold_ids=np.array(REFS["folds"]), technique=technique)
    table = pred.table.set_index("indicator")
    assert sorted(table.index) == sorted(REFS[technique]["RMSE"])
    for item in table.index:
        assert table.loc[item, "pls_rmse"] == pytest.approx(REFS[technique]["RMSE"][item], abs=1e-9)
        assert table.loc[item, "pls_mae"] == pytest.approx(REFS[technique]["MAE"][item], abs=1e-9)


def test_lm_benchmark_and_q2_predict_by_hand(mobi):
    folds = np.array(REFS["folds"])
    pred = pls_predict(mobi, fold_ids=folds)
    data = pd.read_csv(DATA / "mobi.csv")
    exo = [f"IMAG{i}" for i in range(1, 6)]  # Image is the only exogenous construct
    item = "CUSL1"
    lm, sse, sst = np.zeros(len(data)), 0.0, 0.0
    for k in range(10):
        train, test = data[folds != k], data[folds == k]
        x = np.column_stack([np.ones(len(train)), train[exo]])
        beta = np.linalg.lstsq(x, train[item], rcond=None)[0]
        lm[folds == k] = np.column_stack([np.ones(len(test)), test[exo]]) @ beta
        sse += ((test[item] - pred.predictions.loc[test.index, item]) ** 2).sum()
        sst += ((test[item] - train[item].mean()) ** 2).sum()
    row = pred.table.set_index("indicator").loc[item]
    assert row["lm_rmse"] == pytest.approx(np.sqrt(np.mean((data[item] - lm) ** 2)), abs=1e-10)
    assert row["lm_mae"] == pytest.approx(np.mean(np.abs(data[item] - lm)), abs=1e-10)
    assert row["q2_predict"] == pytest.approx(1 - sse / sst, abs=1e-10)
    assert row["pls_better"] == (row["pls_rmse"] < row["lm_rmse"])


def test_seeded_repetitions(mobi):
    one = pls_predict(mobi, repeats=3, seed=8)
    two = pls_predict(mobi, repeats=3, seed=8)
    pd.testing.assert_frame_equal(one.table, two.table)
    assert not one.table.equals(pls_predict(mobi, repeats=3, seed=9).table)
    assert one.to_dict()["repeats"] == 3 and len(one.to_dict()["indicators"]) == 19
    # every endogenous construct of mobi is predicted better than by the training mean
    assert (one.table.groupby("construct")["q2_predict"].mean() > 0).all()


def test_bad_settings(mobi):
    with pytest.raises(InputError, match="technique"):
        pls_predict(mobi, technique="XX")
    with pytest.raises(InputError, match="folds"):
        pls_predict(mobi, folds=1)


def test_blindfolding_against_a_loop_of_fits(mobi):
    # No R package in reach has blindfolding; the reference is a plain loop written here:
    # omit every 7th data point (numbered down the cases, indicator after indicator), replace
    # it by the indicator's mean, refit with fit_pls, predict it as loading x predicted score.
    from sqresearch.model.pls import blindfolding

    q2 = blindfolding(mobi).set_index("construct")
    data = pd.read_csv(DATA / "mobi.csv")
    items = mobi.model.indicators
    z = (data[items] - data[items].mean()) / data[items].std()
    n, d = len(z), 7
    for construct in ["Quality", "Loyalty"]:
        block = mobi.model.blocks[construct]
        preds = mobi.model.predecessors(construct)
        sse = sso = 0.0
        for r in range(d):
            mod = z.copy()
            omitted = {}
            for j, item in enumerate(block):
                rows = [i for i in range(n) if (j * n + i) % d == r]
                omitted[item] = rows
                mod.loc[rows, item] = np.nan
                mod[item] = mod[item].fillna(mod[item].mean())
            fit = fit_pls(MOBI_MODEL, mod)
            beta = fit.paths[fit.paths["to"] == construct].set_index("from")["est"]
            score = fit.scores[preds] @ beta[preds]
            loading = fit.loadings.set_index("indicator")["est"]
            for item, rows in omitted.items():
                guess = loading[item] * score.iloc[rows] * mod[item].std() + mod[item].mean()
                sse += float(((z[item].iloc[rows] - guess) ** 2).sum())
                sso += float((z[item].iloc[rows] ** 2).sum())
        assert q2.loc[construct, "q2"] == pytest.approx(1 - sse / sso, abs=1e-10)
    assert q2["predictive_relevance"].all()
    with pytest.raises(InputError, match="omission distance"):
        blindfolding(mobi, omission_distance=5)  # n = 250 is a multiple of 5
