"""``sqresearch sem --json`` contract."""

from __future__ import annotations

import json

import numpy as np
import pytest
from semopy.examples import holzinger39

from sqresearch.cli import main

HS_MODEL = """# 1. latent variables
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""


@pytest.fixture()
def files(tmp_path):
    model = tmp_path / "model.lav"
    model.write_text(HS_MODEL, encoding="utf-8")
    data = tmp_path / "hs.csv"
    holzinger39.get_data().to_csv(data, index=False)
    return model, data


def test_sem_json_document(files, capsys):
    model, data = files
    assert main(["sem", str(model), str(data), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"n", "converged", "fit", "estimates", "r2", "validity", "warnings"}
    assert doc["n"] == 301 and doc["converged"] is True and doc["warnings"] == []
    fit = doc["fit"]
    for key in (
        "chisq",
        "df",
        "pvalue",
        "cfi",
        "tli",
        "rmsea",
        "rmsea_ci_lower",
        "rmsea_ci_upper",
        "srmr",
        "gfi",
        "agfi",
        "nfi",
        "aic",
        "bic",
    ):
        assert key in fit
    assert fit["chisq"] == pytest.approx(85.306, abs=1e-3) and fit["df"] == 24
    first = doc["estimates"][0]
    assert first == {
        "lhs": "visual",
        "op": "=~",
        "rhs": "x1",
        "label": "",
        "est": 1.0,
        "se": 0.0,
        "z": None,
        "pvalue": None,
        "std_all": pytest.approx(0.7719, abs=1e-4),
    }
    assert set(doc["r2"]) == {f"x{i}" for i in range(1, 10)}
    validity = doc["validity"]
    # Fornell-Larcker CR from the std.all loadings .772, .424, .581 (lavaan tutorial)
    lam = np.array([0.7718802, 0.4236006, 0.5811324])
    cr = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    assert validity["visual"]["cr"] == pytest.approx(cr, abs=1e-5)
    assert validity["visual"]["ave"] == pytest.approx((lam**2).mean(), abs=1e-5)
    assert [p[:2] for p in validity["htmt"]] == [
        ["visual", "textual"],
        ["visual", "speed"],
        ["textual", "speed"],
    ]
    assert validity["htmt"][0][2] == pytest.approx(0.4243, abs=1e-4)  # semTools htmt(htmt2 = FALSE)


def test_sem_json_group_rows(files, capsys):
    model, data = files
    assert (
        main(
            [
                "sem",
                str(model),
                str(data),
                "--group",
                "school",
                "--group-equal",
                "loadings",
                "--json",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["fit"]["chisq"] == pytest.approx(124.0435, abs=1e-3)
    assert all("group" in row for row in doc["estimates"])
    assert {row["group"] for row in doc["estimates"]} == {"Pasteur", "Grant-White"}
    assert any(row["op"] == "~1" for row in doc["estimates"])


def test_sem_bad_input_one_line_error(files, tmp_path, capsys):
    model, data = files
    bad = tmp_path / "bad.lav"
    bad.write_text("visual =~ x1 + x2 + nosuch", encoding="utf-8")
    assert main(["sem", str(bad), str(data), "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert "nosuch" in err and "hs.csv" in err and len(err.splitlines()) == 1
