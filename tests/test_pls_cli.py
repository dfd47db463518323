"""``sqresearch pls --json`` contract (values: tests/test_pls.py checks them against seminr)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sqresearch.cli import main

DATA = Path(__file__).parent / "data"
REFS = json.loads((DATA / "pls_seminr_references.json").read_text(encoding="utf-8"))["mobi_path"]
MOBI = (DATA / "mobi_pls.lav").read_text(encoding="utf-8")


@pytest.fixture()
def model_file(tmp_path):
    path = tmp_path / "mobi.txt"
    path.write_text(MOBI, encoding="utf-8")
    return path


def test_pls_json_document(model_file, capsys):
    assert main(["pls", str(model_file), str(DATA / "mobi.csv"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"n", "paths", "loadings", "weights", "r2", "reliability", "htmt", "fsquare"}
    assert doc["n"] == 250
    first = doc["paths"][0]
    assert (first["from"], first["to"]) == ("Image", "Expectation")
    assert first["est"] == pytest.approx(REFS["paths"]["Image"]["Expectation"], abs=1e-9)
    assert doc["reliability"]["Loyalty"]["rho_a"] == pytest.approx(
        REFS["reliability"]["Loyalty"]["rhoA"], abs=1e-9
    )
    assert doc["r2"]["Loyalty"]["r2"] == pytest.approx(REFS["r2"]["Rsq"]["Loyalty"], abs=1e-9)
    f1, f2, value = doc["htmt"][0]
    assert (f1, f2) == ("Image", "Expectation")
    assert value == pytest.approx(REFS["htmt"]["Expectation"]["Image"], abs=1e-9)
    assert "se" not in first and "bootstrap" not in doc


def test_pls_json_with_bootstrap(model_file, capsys):
    assert (
        main(
            [
                "pls",
                str(model_file),
                str(DATA / "mobi.csv"),
                "--boot",
                "200",
                "--seed",
                "3",
                "--json",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["bootstrap"] == {"n_boot": 200, "n_failed": 0, "seed": 3, "level": 0.95}
    for row in doc["paths"]:
        assert row["ci_lower"] <= row["est"] <= row["ci_upper"] or abs(row["est"]) < 0.1
        assert row["se"] > 0
        assert row["significant"] == (row["ci_lower"] > 0 or row["ci_upper"] < 0)
    assert len(doc["htmt_ci"]) == 21 and {"f1", "f2", "ci_lower", "bca_upper"} <= set(
        doc["htmt_ci"][0]
    )
    single = next(r for r in doc["loadings"] if r["indicator"] == "CUSCO")
    assert single["est"] == 1.0 and single["t"] is None  # a single item has no sampling spread


def test_pls_bad_input_exits_2(tmp_path, capsys):
    path = tmp_path / "bad.txt"
    path.write_text("F =~ IMAG1 + NOPE\nG =~ CUSCO\nG ~ F\n", encoding="utf-8")
    assert main(["pls", str(path), str(DATA / "mobi.csv"), "--json"]) == 2
    err = capsys.readouterr().err
    assert "NOPE" in err and err.count("\n") == 1
