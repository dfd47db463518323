"""Each command prints exactly its result's ``to_dict()`` (issue 18 item 3).

The library call below is the one the command makes; the JSON on stdout
must equal the result's document under the contract's value rules
(:func:`sqresearch.jsondoc.to_jsonable`).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from semopy.examples import holzinger39

from sqresearch.cli import main
from sqresearch.io import read_table
from sqresearch.jsondoc import to_jsonable
from sqresearch.measure.reliability import reliability_table
from sqresearch.model.groups import compare_scales
from sqresearch.model.process import process
from sqresearch.sem.fit import fit_sem
from sqresearch.sem.invariance import measurement_invariance

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    model = folder / "model.lav"
    model.write_text(HS_MODEL, encoding="utf-8")
    hs = folder / "hs.csv"
    holzinger39.get_data().to_csv(hs, index=False)
    rng = np.random.default_rng(18)
    n = 150
    d = pd.DataFrame({"X": rng.normal(size=n), "W": rng.normal(size=n), "C": rng.normal(size=n)})
    d["M"] = 0.5 * d["X"] + rng.normal(size=n)
    d["Y"] = 0.4 * d["M"] + 0.3 * d["X"] * d["W"] + rng.normal(size=n)
    d["G"] = np.repeat([1, 2, 3], n // 3)
    survey = folder / "survey.csv"
    d.to_csv(survey, index=False)
    return {"model": str(model), "hs": str(hs), "survey": str(survey)}


def _printed(capsys, *argv) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _same(printed: dict, result) -> None:
    assert printed == to_jsonable(result.to_dict())


def test_sem_prints_to_dict(files, capsys):
    printed = _printed(capsys, "sem", files["model"], files["hs"])
    _same(printed, fit_sem(HS_MODEL, read_table(files["hs"])))
    printed = _printed(capsys, "sem", files["model"], files["hs"], "--group", "school")
    _same(printed, fit_sem(HS_MODEL, read_table(files["hs"]), group="school"))


def test_mediate_and_moderate_print_to_dict(files, capsys):
    data = read_table(files["survey"])
    printed = _printed(
        capsys, "mediate", files["survey"], "--x", "X", "--y", "Y", "--m", "M", "--cov", "C",
        "--boot", "200", "--seed", "3",
    )  # fmt: skip
    _same(printed, process(data, 4, x="X", y="Y", m=["M"], covariates=["C"], n_boot=200, seed=3))
    printed = _printed(capsys, "moderate", files["survey"], "--x", "X", "--y", "Y", "--w", "W")
    _same(printed, process(data, 1, x="X", y="Y", w="W", n_boot=0))


def test_compare_prints_to_dict(files, capsys):
    printed = _printed(capsys, "compare", files["survey"], "--by", "G", "--var", "S=X,M")
    _same(printed, compare_scales(read_table(files["survey"]), {"S": ["X", "M"]}, "G"))


def test_invariance_prints_to_dict(files, capsys):
    printed = _printed(capsys, "invariance", files["model"], files["hs"], "--group", "school")
    _same(printed, measurement_invariance(HS_MODEL, read_table(files["hs"]), "school"))


def test_reliability_prints_to_dict(files, capsys):
    printed = _printed(capsys, "reliability", files["hs"], "--scale", "visual=x1,x2,x3")
    _same(printed, reliability_table(read_table(files["hs"]), {"visual": ["x1", "x2", "x3"]}))
