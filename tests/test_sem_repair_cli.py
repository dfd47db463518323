"""``sem --estimator``, ``modindices`` and ``sem-compare``: the JSON documents."""

from __future__ import annotations

import json

import pytest
from semopy.examples import holzinger39

from sqresearch.cli import main

HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"
ONE_MODEL = "g =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9\n"


@pytest.fixture()
def files(tmp_path):
    three = tmp_path / "three.lav"
    three.write_text(HS_MODEL, encoding="utf-8")
    one = tmp_path / "one.lav"
    one.write_text(ONE_MODEL, encoding="utf-8")
    data = tmp_path / "hs.csv"
    holzinger39.get_data().to_csv(data, index=False)
    return three, one, data


def _run(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_sem_estimator_adds_scaled_keys_to_the_same_document(files, capsys):
    three, _, data = files
    ml = _run(capsys, ["sem", str(three), str(data), "--json"])
    mlr = _run(capsys, ["sem", str(three), str(data), "--estimator", "mlr", "--json"])
    assert set(mlr) == set(ml) and ml["estimator"] == "ML" and mlr["estimator"] == "MLR"
    assert set(ml["fit"]) < set(mlr["fit"])
    # In R: fitMeasures(cfa(HS, HolzingerSwineford1939, estimator = "MLR"))
    assert mlr["fit"]["chisq_scaled"] == pytest.approx(87.1316033666, rel=2e-6)
    assert mlr["fit"]["cfi_robust"] == pytest.approx(0.929863935696, abs=1e-6)
    assert mlr["fit"]["rmsea_robust"] == pytest.approx(0.0924986213716, abs=1e-6)
    assert mlr["fit"]["chisq"] == ml["fit"]["chisq"]
    assert mlr["estimates"][1]["se"] == pytest.approx(0.1320779065, abs=1e-5)
    assert main(["sem", str(three), str(data), "--estimator", "MLM", "--missing", "fiml"]) == 2
    assert "MLM needs complete data" in capsys.readouterr().err


def test_modindices_json(files, capsys):
    three, _, data = files
    doc = _run(capsys, ["modindices", str(three), str(data), "--top", "3", "--json"])
    assert doc["n"] == 301 and len(doc["modindices"]) == 3
    first = doc["modindices"][0]
    assert list(first) == ["lhs", "op", "rhs", "mi", "epc", "sepc_all"]
    # In R: modindices(fit, sort. = TRUE)[1, ]
    assert (first["lhs"], first["op"], first["rhs"]) == ("visual", "=~", "x9")
    assert first["mi"] == pytest.approx(36.41088, rel=1e-4)
    assert first["sepc_all"] == pytest.approx(0.5150, abs=1e-3)
    doc = _run(capsys, ["modindices", str(three), str(data), "--group", "school",
                        "--group-equal", "loadings,intercepts", "--minimum", "10", "--json"])  # fmt: skip
    assert all(
        row["mi"] > 10 and row["group"] in ("Pasteur", "Grant-White") for row in doc["modindices"]
    )
    # In R: lavTestScore(fit)$uni: the largest is x3 ~1 (.p27. == .p63.), X2 = 19.193
    top = max(doc["score_tests"], key=lambda r: r["x2"])
    assert (top["lhs"], top["op"], top["group"]) == ("x3", "~1", "Grant-White")
    assert top["x2"] == pytest.approx(19.19250034, rel=1e-4)


def test_sem_compare_json(files, capsys):
    three, one, data = files
    doc = _run(capsys, ["sem-compare", str(one), str(three), str(data), "--estimator", "MLR",
                        "--json"])  # fmt: skip
    assert doc["method"] == "satorra.bentler.2001"
    assert [m["model"] for m in doc["models"]] == ["three", "one"]
    # In R: lavTestLRT(fit3, fit1) with estimator = "MLR": Chisq diff 212.910839, Df diff 3
    assert doc["models"][1]["delta_chisq"] == pytest.approx(212.910839, rel=1e-4)
    assert doc["models"][1]["delta_df"] == 3 and doc["models"][0]["delta_df"] is None
    assert main(["sem-compare", str(one), str(data)]) == 2
    assert "at least two model files" in capsys.readouterr().err


def test_sem_wlsmv_ordered(tmp_path, files, hs_ordinal, capsys):
    three, one, _ = files
    items = list(hs_ordinal.columns)
    data = tmp_path / "hscat.csv"
    hs_ordinal.to_csv(data, index=False)
    doc = _run(capsys, ["sem", str(three), str(data), "--estimator", "WLSMV", "--ordered", "all",
                        "--json"])  # fmt: skip
    assert doc["estimator"] == "WLSMV" and doc["fit"]["aic"] is None
    # In R: fitMeasures(cfa(HS, d, ordered = TRUE, estimator = "WLSMV"), "chisq.scaled")
    assert doc["fit"]["chisq_scaled"] == pytest.approx(88.7510661349, rel=1e-6)
    assert any(row["op"] == "|" for row in doc["estimates"])
    assert set(doc["validity"]) >= {"visual", "htmt"}
    same = _run(capsys, ["sem", str(three), str(data), "--estimator", "WLSMV", "--ordered",
                         ",".join(items), "--json"])  # fmt: skip
    assert same["fit"] == doc["fit"]
    assert main(["sem", str(three), str(data), "--estimator", "WLSMV"]) == 2
    assert "needs ordered items" in capsys.readouterr().err
    # sem-compare: lavaan's WLSMV difference test (tests/r/sem_wlsmv_lrt.R: Chisq diff 111.1649165)
    doc = _run(capsys, ["sem-compare", str(one), str(three), str(data), "--estimator", "WLSMV",
                        "--ordered", "all", "--json"])  # fmt: skip
    assert doc["method"] == "satorra.2000" and doc["estimator"] == "WLSMV"
    assert doc["models"][1]["delta_chisq"] == pytest.approx(111.1649165, rel=1e-5)
    assert doc["models"][1]["scaling_factor"] is None
