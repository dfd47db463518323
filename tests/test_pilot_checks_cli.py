"""The ``items-analysis``, ``normality`` and ``cmb`` commands: JSON equals the library's."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sqresearch.cli import main
from sqresearch.measure.item_analysis import item_analysis
from sqresearch.measure.method_bias import marker_variable, unmeasured_method_factor
from sqresearch.measure.normality import normality
from sqresearch.measure.validity import harman

TEST_DATA = Path(__file__).parent / "data"
PILOT = TEST_DATA / "pilot_second_order.csv"
METHOD = TEST_DATA / "method_factor.csv"
TRAITS = {"T1": ["p1", "p2", "p3", "p4"], "T2": ["q1", "q2", "q3", "q4"],
          "T3": ["r1", "r2", "r3", "r4"]}  # fmt: skip


def _run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out


def test_items_analysis_json(capsys):
    code, out = _run(
        capsys,
        [
            "items-analysis",
            str(PILOT),
            "--scale",
            "F1=a1,a2,a3",
            "--scale",
            "F4=d1, d2, d3, d4",
            "--json",
        ],  # fmt: skip
    )
    assert code == 0
    doc = json.loads(out.out)
    expected = item_analysis(
        pd.read_csv(PILOT), {"F1": ["a1", "a2", "a3"], "F4": ["d1", "d2", "d3", "d4"]}
    )
    assert doc == json.loads(json.dumps(expected.to_dict()))
    assert list(doc["scales"]) == ["F1", "F4"]
    d4 = doc["scales"]["F4"]["items"]["d4"]
    assert d4["decision"] == "consider_deleting"
    assert d4["fired"] == ["citc", "alpha_if_deleted", "communality", "loading"]
    assert d4["cr"] == expected.items.loc[("F4", "d4"), "cr"]


def test_normality_json(capsys):
    code, out = _run(
        capsys,
        [
            "normality",
            str(PILOT),
            "--items",
            "a1,a2,a3",
            "--scale",
            "F4=d1,d2,d3,d4",
            "--rule",
            "curran",
            "--json",
        ],  # fmt: skip
    )
    assert code == 0
    doc = json.loads(out.out)
    items = ["a1", "a2", "a3", "d1", "d2", "d3", "d4"]
    expected = normality(pd.read_csv(PILOT), items, rule="curran")
    assert list(doc["items"]) == items
    assert doc["rule"] == "curran"
    assert doc["thresholds"] == {"skewness": "skew_abs_strict", "kurtosis": "kurtosis_abs_strict"}
    assert doc["mardia"]["kurtosis_cr"] == expected.mardia["kurtosis_cr"]
    assert doc["mardia"]["n"] == 300 and doc["mardia"]["p"] == 7
    assert doc["items"]["d4"]["skewness"] == expected.items.loc["d4", "skewness"]
    assert doc["robust_advised"] is expected.robust_advised


def test_cmb_json(capsys):
    argv = ["cmb", str(METHOD), "--marker", "mk", "--json"]
    for name, items in TRAITS.items():
        argv += ["--scale", f"{name}={','.join(items)}"]
    code, out = _run(capsys, argv)
    assert code == 0
    doc = json.loads(out.out)
    data = pd.read_csv(METHOD)
    assert list(doc) == ["harman", "ulmc", "marker"]
    h = harman(data, [i for its in TRAITS.values() for i in its])
    assert doc["harman"]["first_share"] == h.first_share
    assert doc["harman"]["passes"] == {"harman_40": True, "harman_50": True}
    ulmc = unmeasured_method_factor(data, TRAITS)
    assert doc["ulmc"]["models"]["trait_method"]["chisq"] == pytest.approx(
        ulmc.comparison.loc["trait_method", "chisq"], abs=1e-9
    )
    assert doc["ulmc"]["models"]["trait"]["df"] == 51
    assert doc["ulmc"]["delta"]["delta_df"] == 12
    assert doc["ulmc"]["verdict"] == "method_bias"
    marker = marker_variable(data, TRAITS, "mk")
    assert doc["marker"]["r_m"] == marker.r_m
    assert [p["v1"] + p["v2"] for p in doc["marker"]["pairs"]] == ["T1T2", "T1T3", "T2T3"]


def test_cmb_without_ulmc_or_marker(capsys):
    code, out = _run(capsys, ["cmb", str(METHOD), "--scale", "T1=p1,p2", "--scale", "T2=q1,q2",
                              "--no-ulmc", "--json"])  # fmt: skip
    assert code == 0
    assert list(json.loads(out.out)) == ["harman"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["items-analysis", str(PILOT), "--scale", "F=a1,zz", "--json"], "zz"),
        (["normality", str(PILOT), "--json"], "name the items"),
        (
            [
                "cmb",
                str(METHOD),
                "--scale",
                "T1=p1,p2",
                "--scale",
                "T2=q1,q2",
                "--no-ulmc",
                "--marker",
                "nope",
                "--json",
            ],
            "nope",
        ),  # fmt: skip
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, argv, message):
    code, out = _run(capsys, argv)
    assert code == 2 and out.out == ""
    assert message in out.err and out.err.count("\n") == 1 and "Traceback" not in out.err
