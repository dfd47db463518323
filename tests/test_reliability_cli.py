"""The ``sqresearch reliability`` command: JSON contract, numbers equal the library's."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from semopy.examples import holzinger39

from sqresearch.cli import main
from sqresearch.measure.reliability import reliability_table

SCALES = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"]}


@pytest.fixture()
def data_file(tmp_path):
    hs = holzinger39.get_data()[["x1", "x2", "x3", "x4", "x5", "x6"]].copy()
    hs.loc[hs.index[:5], "x4"] = np.nan  # textual loses 5 rows, visual none
    path = tmp_path / "hs.csv"
    hs.to_csv(path, index=False)
    return path, hs


def test_json_contract(capsys, data_file):
    path, hs = data_file
    code = main(
        [
            "reliability",
            str(path),
            "--scale",
            "visual=x1,x2,x3",
            "--scale",
            "textual=x4, x5, x6",
            "--reverse",
            "x2",
            "--json",
        ]
    )
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["scales", "warnings"]
    # x2 is not reverse-keyed in HolzingerSwineford1939: reversing it turns it against its scale
    assert len(doc["warnings"]) == 1 and "'x2' points the other way" in doc["warnings"][0]
    assert list(doc["scales"]) == ["visual", "textual"]
    expected = reliability_table(hs, SCALES, reverse=["x2"])
    for name, scale in doc["scales"].items():
        res = expected.results[name]
        assert set(scale) == {"alpha", "std_alpha", "omega", "n", "items"}
        assert scale["alpha"] == res.alpha
        assert scale["std_alpha"] == res.std_alpha
        assert scale["omega"] == pytest.approx(res.omega, abs=1e-12)
        assert scale["n"] == res.n
        assert list(scale["items"]) == SCALES[name]
        for item, stats in scale["items"].items():
            assert set(stats) == {"citc", "alpha_if_deleted"}
            assert stats["citc"] == res.items.loc[item, "citc"]
            assert stats["alpha_if_deleted"] == res.items.loc[item, "alpha_if_deleted"]
    assert doc["scales"]["visual"]["n"] == 301
    assert doc["scales"]["textual"]["n"] == 296
    assert doc["scales"]["visual"]["items"]["x2"]["citc"] < 0  # x2 reversed


def test_two_item_scale_gives_null_omega(capsys, data_file):
    path, _ = data_file
    assert main(["reliability", str(path), "--scale", "pair=x1,x2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    # the MeasurementWarning is captured into the document, one line, not printed
    assert any("omega needs at least 3 items" in w for w in doc["warnings"])
    assert doc["scales"]["pair"]["omega"] is None
    assert doc["scales"]["pair"]["items"]["x1"]["alpha_if_deleted"] is None


def test_bad_input_one_line_error(capsys, data_file):
    path, _ = data_file
    assert main(["reliability", str(path), "--scale", "visual=x1,x2,x99", "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "x99" in err and str(path) in err
    assert main(["reliability", str(path), "--scale", "visual", "--json"]) == 2
    assert "NAME=ITEM1" in capsys.readouterr().err


def test_text_output(capsys, data_file):
    path, _ = data_file
    assert main(["reliability", str(path), "--scale", "visual=x1,x2,x3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("visual: alpha = 0.626")
    assert "CITC" in out


def test_xlsx_input(capsys, tmp_path):
    hs = holzinger39.get_data()[["x1", "x2", "x3"]]
    path = tmp_path / "hs.xlsx"
    hs.to_excel(path, index=False)
    assert main(["reliability", str(path), "--scale", "视觉=x1,x2,x3", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["scales"]["视觉"]["alpha"] == pytest.approx(
        reliability_table(pd.DataFrame(hs), {"v": ["x1", "x2", "x3"]}).scales.loc["v", "alpha"],
        abs=1e-12,
    )
