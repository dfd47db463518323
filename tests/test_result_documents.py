"""The results documents the notebooks save come from the results' own ``to_dict()`` (issue 18).

Each document must survive the JSON contract's round trip and hold the
numbers of the result it describes; ``_repr_html_`` shows the result in
JupyterLab.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from semopy.examples import holzinger39

from sqresearch.jsondoc import carries_warnings, to_jsonable
from sqresearch.measure.efa import efa, kmo_bartlett, parallel_analysis
from sqresearch.model.correlation import correlation_table
from sqresearch.model.regression import hierarchical_regression

ITEMS = [f"x{i}" for i in range(1, 10)]


@pytest.fixture(scope="module")
def hs():
    return holzinger39.get_data()


def _round_trip(doc: dict) -> dict:
    return json.loads(json.dumps(to_jsonable(doc), allow_nan=False))


def test_efa_documents(hs):
    adequacy = kmo_bartlett(hs, ITEMS)
    doc = _round_trip(adequacy.to_dict())
    # In R: d <- lavaan::HolzingerSwineford1939[, paste0("x", 1:9)]
    #       psych::KMO(d)$MSA                           # 0.752245
    #       psych::cortest.bartlett(cor(d), n = 301)    # chisq 904.097051, df 36
    assert doc["kmo"] == pytest.approx(0.752245, abs=1e-6)
    assert doc["bartlett"]["chisq"] == pytest.approx(904.097051, abs=1e-5)
    assert doc["bartlett"]["df"] == 36 and doc["bartlett"]["pvalue"] == pytest.approx(adequacy.pvalue)
    exploratory = efa(hs, ITEMS, method="pc", rotation="varimax")
    doc = _round_trip(exploratory.to_dict())
    assert doc["n_factors"] == exploratory.n_factors == 3
    assert [row["factor"] for row in doc["variance"]] == list(exploratory.variance.index)
    assert doc["variance"][0]["eigenvalue"] == pytest.approx(exploratory.eigenvalues.iloc[0])
    parallel = parallel_analysis(hs, ITEMS, n_iter=20, seed=5)
    assert parallel.to_dict() == {"n_factors": parallel.n_factors, "seed": 5}
    for result in (adequacy, exploratory, parallel):
        assert "<table" in result._repr_html_()


def test_correlation_and_regression_documents(hs):
    table = correlation_table(hs, ["x1", "x2", "x3"])
    doc = _round_trip(table.to_dict())
    assert [row["index"] for row in doc["descriptives"]] == ["x1", "x2", "x3"]
    assert doc["descriptives"][0]["sd"] == pytest.approx(hs["x1"].std(ddof=1))
    assert len(doc["correlations"]) == 3
    pair = doc["correlations"][0]
    assert (pair["var1"], pair["var2"]) == ("x1", "x2")
    assert pair["r"] == pytest.approx(np.corrcoef(hs["x1"], hs["x2"])[0, 1])
    regression = hierarchical_regression(hs, "x9", {"controls": ["ageyr"], "predictors": ["x7", "x8"]})
    doc = _round_trip(regression.to_dict())
    assert doc["n"] == 301 and [s["step"] for s in doc["steps"]] == [1, 2]
    step2 = [c for c in doc["coefficients"] if c["step"] == 2]
    assert [c["term"] for c in step2] == ["const", "ageyr", "x7", "x8"]
    assert doc["steps"][1]["r2"] == pytest.approx(regression.fits[1].rsquared)
    assert "Pearson" in table._repr_html_() and "Hierarchical regression" in regression._repr_html_()


def test_carries_warnings_records_each_warning_once_and_passes_it_on():
    class Result:
        warnings = ["seen where detected"]

    @carries_warnings
    def analysis():
        import warnings

        warnings.warn("seen where detected", UserWarning, stacklevel=2)
        warnings.warn("raised by a helper", RuntimeWarning, stacklevel=2)
        warnings.warn("old spelling", DeprecationWarning, stacklevel=2)
        return Result()

    with pytest.warns(Warning) as shown:
        result = analysis()
    assert result.warnings == ["seen where detected", "raised by a helper"]
    assert sorted(str(w.message) for w in shown) == ["old spelling", "raised by a helper", "seen where detected"]
