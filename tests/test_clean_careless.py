"""Careless-response rules and the participant flow, against hand counts and independent computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.spatial import distance
from scipy.stats import chi2

from sqresearch.clean.careless import (
    attention_failed,
    duplicates,
    irv,
    longstring,
    mahalanobis,
    screen,
    speeders,
)
from sqresearch.clean.codebook import DEFAULT_RULES
from sqresearch.clean.flow import excluded_by, participant_flow
from sqresearch.thresholds import threshold


def test_longstring_by_hand():
    items = pd.DataFrame(
        [
            [1, 1, 1, 1, 1, 1],  # 6
            [1, 2, 1, 2, 1, 2],  # 1
            [3, 3, np.nan, 3, 3, 3],  # missing breaks the run: 3
            [5, 4, 4, 4, 2, 2],  # 3
        ]
    )
    assert longstring(items).tolist() == [6, 1, 3, 3]


def test_irv_is_row_sd():
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, size=(50, 10)).astype(float)
    assert np.allclose(irv(pd.DataFrame(x)), x.std(axis=1, ddof=1))


def test_mahalanobis_matches_scipy():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(120, 4))
    x[5, 2] = np.nan
    frame = pd.DataFrame(x)
    result = mahalanobis(frame)
    complete = x[~np.isnan(x).any(axis=1)]
    inverse = np.linalg.inv(np.cov(complete, rowvar=False))
    expected = [distance.mahalanobis(row, complete.mean(axis=0), inverse) ** 2 for row in complete]
    assert np.allclose(result["d2"].dropna(), expected)
    assert np.isnan(result["d2"][5]) and not result["flag"][5]
    assert np.allclose(result["p"].dropna(), chi2.sf(expected, 4))


def test_speeders_default_third_of_median():
    assert threshold("speeder_fraction") == pytest.approx(1 / 3)
    result = speeders(pd.Series([300.0, 300, 300, 99, 100, 100]))
    # median 200; cut 66.7: nobody; with fraction .5 the cut is 100 -> only 99
    assert result.attrs["median"] == 200.0 and not result["flag"].any()
    assert speeders(pd.Series([300.0, 300, 300, 99, 100, 100]), 0.5)["flag"].tolist() == [
        False
    ] * 3 + [True, False, False]


def test_duplicates_and_attention():
    answers = pd.DataFrame({"a": [1, 1, 2, 1], "b": [np.nan, np.nan, 3, 4]})
    assert duplicates(answers).tolist() == [False, True, False, False]
    assert attention_failed(
        pd.DataFrame({"ATT1": [4.0, 3.0, np.nan], "ATT2": [2.0, 2.0, 2.0]}), {"ATT1": 4, "ATT2": 2}
    ).tolist() == [False, True, True]


def planted(n=200, k=30, seed=1):
    """Attentive respondents from a one-factor model plus planted careless ones (indices known)."""
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 1))
    latent = 0.6 * f + 0.8 * rng.normal(size=(n, k))
    items = np.clip(np.round(3 + 1.1 * latent), 1, 5)
    data = pd.DataFrame(items, columns=[f"X{j}" for j in range(1, k + 1)])
    data.insert(0, "ID", np.arange(1, n + 1))
    data.insert(1, "DURATION", rng.normal(400, 60, n).clip(200))
    data.insert(2, "SCREEN", 1.0)
    data["ATT1"] = 4.0
    data.loc[0, "SCREEN"] = 0.0  # screened out
    for row, answer in zip((1, 2, 3), (2.0, 3.0, 4.0), strict=True):
        data.loc[row, [f"X{j}" for j in range(1, k + 1)]] = answer  # straight-liners
    data.loc[4:6, "DURATION"] = 60.0  # speeders
    data.loc[7:8, "ATT1"] = 2.0  # failed check
    data.loc[9] = data.loc[10].to_numpy()  # row 9 copies 10 ...
    data.loc[[9, 10]] = data.loc[[10, 9]].to_numpy()  # ... and comes after it (row 10 is the copy)
    data.loc[9, "ID"], data.loc[10, "ID"] = 10, 11
    return data, [f"X{j}" for j in range(1, k + 1)]


def test_screen_finds_planted_and_flow_adds_up():
    data, items = planted()
    result = screen(
        data, items, {k: dict(v) for k, v in DEFAULT_RULES.items()}, attention={"ATT1": 4}
    )
    flags = result.flags
    assert flags.index[flags["screening"]].tolist() == [0]
    assert flags.index[flags["duplicates"]].tolist() == [10]
    assert flags.index[flags["attention"]].tolist() == [7, 8]
    assert flags.index[flags["speeder"]].tolist() == [4, 5, 6]
    assert flags.index[flags["longstring"]].tolist() == [1, 2, 3]
    assert set(flags.index[flags["irv"]]) >= {1, 2, 3}
    actions = {k: v["action"] for k, v in DEFAULT_RULES.items()}
    flow = participant_flow(flags, actions)
    received, analysed = flow["n"].iloc[0], flow["n"].iloc[-1]
    assert received == len(data) == analysed + flow["n"].iloc[1:-1].sum()
    assert flow.set_index("step")["n"].to_dict() == {
        "received": 200,
        "screening": 1,
        "duplicates": 1,
        "attention": 2,
        "speeder": 3,
        "longstring": 3,
        "analysed": 190,
    }
    rules = result.rules.set_index("rule")
    assert rules.loc["longstring", "cut"] == 15 and rules.loc["speeder", "n_flagged"] == 3


def test_flow_counts_each_respondent_once_in_rule_order():
    flags = pd.DataFrame(
        {"attention": [1, 1, 0, 0, 0], "speeder": [1, 0, 1, 0, 1], "irv": [0, 0, 0, 1, 1]}
    ).astype(bool)
    actions = {"attention": "exclude", "speeder": "exclude", "irv": "flag"}
    by = excluded_by(flags, actions)
    assert [None if pd.isna(v) else v for v in by] == [
        "attention",
        "attention",
        "speeder",
        None,
        "speeder",
    ]
    assert participant_flow(flags, actions)["n"].tolist() == [5, 2, 2, 1]
    # order matters: speeder first takes respondent 0
    flipped = participant_flow(flags[["speeder", "attention", "irv"]], actions)
    assert flipped["n"].tolist() == [5, 3, 1, 1]


def test_rule_off_is_not_run():
    data, items = planted()
    rules = {k: dict(v) for k, v in DEFAULT_RULES.items()}
    rules["mahalanobis"]["action"] = "off"
    result = screen(data, items, rules, attention={"ATT1": 4})
    assert "mahalanobis" not in result.flags
    assert result.rules.set_index("rule").loc["mahalanobis", "action"] == "off"


def test_exact_cut_longstring_is_a_flag_unless_a_second_indicator_agrees():
    """Curran (2016); Meade & Craig (2012): one borderline screen does not exclude."""
    data, items = planted()
    k = len(items)  # 30 items: cut = ceil(.5 * 30) = 15
    ordinary = data.loc[20, items].to_numpy().copy()
    ordinary[:15] = 3.0  # exactly half the items identical ...
    ordinary[15] = 4.0 if ordinary[15] == 3.0 else ordinary[15]  # ... and not one more
    data.loc[20, items] = ordinary
    data.loc[21, items] = ordinary
    data.loc[21, items[-1]] = 1.0 if ordinary[-1] != 1.0 else 5.0  # not a duplicate of row 20
    data.loc[21, "DURATION"] = 60.0  # the same answers from a speeder: two indicators agree
    rules = {k_: dict(v) for k_, v in DEFAULT_RULES.items()}
    result = screen(data, items, rules, attention={"ATT1": 4})
    assert longstring(data.loc[[20], items]).iloc[0] == 15 == np.ceil(0.5 * k)
    assert bool(result.statistics.loc[20, "irv"] >= 0.3)
    assert not result.flags.loc[20, ["irv", "speeder", "mahalanobis", "attention"]].any()
    assert result.flags.loc[20, "longstring"] and not result.excluding.loc[20, "longstring"]
    assert result.flags.loc[21, "longstring"] and result.excluding.loc[21, "longstring"]
    assert result.statistics.loc[20, "longstring_borderline"]
    # the full straight-liners (runs of 30) still exclude on their own
    assert result.excluding.loc[[1, 2, 3], "longstring"].all()
    actions = {k_: v["action"] for k_, v in DEFAULT_RULES.items()}
    by = excluded_by(result.excluding, actions)
    assert pd.isna(by[20]) and by[21] == "speeder"
    table = result.rules.set_index("rule")
    assert table.loc["longstring", "n_flagged"] == table.loc["longstring", "n_excluding"] + 1
    assert "Curran (2016)" in table.loc["longstring", "source"]
    assert "Meade & Craig, 2012" in table.loc["longstring", "source"]
