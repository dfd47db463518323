"""``sqresearch mediate|moderate --json``: the contracts of docs/reference/cli.md, run in-process and
compared with the library numbers and with statsmodels OLS."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from sqresearch.cli import main
from sqresearch.model.process import process


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(8)
    n = 250
    d = pd.DataFrame(
        {
            "品牌认同": rng.normal(3.5, 0.8, n),
            "性别": rng.integers(1, 3, n),
            "BL": rng.normal(3, 1, n),
            "CE": rng.normal(3.2, 0.9, n),
        }
    )
    d["M1"] = 0.5 * d["品牌认同"] + rng.normal(size=n)
    d["M2"] = 0.3 * d["品牌认同"] + 0.3 * d["M1"] + rng.normal(size=n)
    d["LOY"] = (
        0.4 * d["M1"]
        + 0.2 * d["M2"]
        + 0.1 * d["品牌认同"]
        + 0.2 * d["BL"] * d["CE"]
        + rng.normal(size=n)
    )
    d.loc[7, "M2"] = np.nan
    return d


def _write(tmp_path, frame, name="survey.csv") -> str:
    path = tmp_path / name
    frame.to_csv(path, index=False, encoding="utf-8")
    return str(path)


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 and "--json" in argv else out), err


def test_mediate_model4_document(tmp_path, capsys, frame):
    path = _write(tmp_path, frame)
    code, doc, err = _run(
        capsys,
        "mediate",
        path,
        *"--x 品牌认同 --m M1,M2 --y LOY --cov 性别 --boot 500 --seed 3 --json".split(),
    )
    assert code == 0, err
    r = process(
        frame, 4, x="品牌认同", y="LOY", m=["M1", "M2"], covariates=["性别"], n_boot=500, seed=3
    )
    assert doc["n"] == r.n == 249
    assert set(doc) == {
        "model",
        "n",
        "a",
        "b",
        "direct",
        "total",
        "indirect",
        "r2",
        "ci_method",
        "level",
        "boot",
        "seed",
        "warnings",
    }
    assert doc["level"] == 0.95  # the CIs' level, beside their method
    assert doc["warnings"] == []
    assert doc["a"]["M1"] == {
        "effect": r.coef("M1", "品牌认同"),
        "se": r.coef("M1", "品牌认同", "se"),
        "pvalue": r.coef("M1", "品牌认同", "pvalue"),
    }
    assert doc["b"]["M2"]["effect"] == r.coef("LOY", "M2")
    assert doc["direct"]["effect"] == r.direct.effect[0]
    assert doc["total"]["se"] == r.total.se[0]
    assert list(doc["indirect"]) == ["M1", "M2", "total"]
    ind = r.indirect.set_index("path")
    for key in ["M1", "M2", "total"]:
        assert doc["indirect"][key] == {
            k: ind.loc[key, k] for k in ("effect", "boot_se", "ci_lower", "ci_upper")
        }
    assert doc["r2"] == {"M1": r.models.r2[0], "M2": r.models.r2[1], "LOY": r.models.r2[2]}
    assert (doc["ci_method"], doc["boot"], doc["seed"]) == ("percentile", 500, 3)


def test_mediate_model6_bc(tmp_path, capsys, frame):
    path = _write(tmp_path, frame)
    code, doc, _ = _run(
        capsys,
        "mediate",
        path,
        *"--x 品牌认同 --m M1,M2 --y LOY --model 6 --boot 300 --seed 5 --ci bc --json".split(),
    )
    assert code == 0
    r = process(frame, 6, x="品牌认同", y="LOY", m=["M1", "M2"], n_boot=300, seed=5, ci="bc")
    assert list(doc["indirect"]) == ["M1", "M2", "M1>M2", "total"]
    assert doc["d"]["M1>M2"]["effect"] == r.coef("M2", "M1")
    assert (
        doc["indirect"]["M1>M2"]["ci_lower"]
        == r.indirect.set_index("path").loc["M1>M2", "ci_lower"]
    )
    assert doc["ci_method"] == "bc"


def test_moderate_document_matches_ols(tmp_path, capsys):
    rng = np.random.default_rng(31)
    d = pd.DataFrame({"x": rng.normal(size=400), "m": rng.normal(size=400)})
    d["y"] = 1 + 1.0 * d.x + 1.0 * d.m + 1.0 * d.x * d.m + rng.normal(size=400)
    path = _write(tmp_path, d, "model1.csv")
    code, doc, _ = _run(capsys, "moderate", path, "--x", "x", "--w", "m", "--y", "y", "--json")
    assert code == 0
    # Independent references: statsmodels OLS with and without the product term.
    full = smf.ols("y ~ x * m", d).fit()
    main_effects = smf.ols("y ~ x + m", d).fit()
    assert set(doc["coef"]) == set(doc["se"]) == {"const", "x", "m", "x:m"}
    for key, term in (("const", "Intercept"), ("x", "x"), ("m", "m"), ("x:m", "x:m")):
        assert doc["coef"][key] == pytest.approx(full.params[term], rel=1e-10)
        assert doc["se"][key] == pytest.approx(full.bse[term], rel=1e-10)
    assert doc["r2"] == pytest.approx(full.rsquared, rel=1e-10)
    assert doc["delta_r2_interaction"] == pytest.approx(full.rsquared - main_effects.rsquared, rel=1e-10)
    slopes = doc["simple_slopes"]
    assert [s["label"] for s in slopes] == ["-1SD", "mean", "+1SD"]
    w = d.m.mean() + np.array([-1, 0, 1]) * d.m.std(ddof=1)
    assert [s["w"] for s in slopes] == pytest.approx(w, rel=1e-12)
    effect = full.params["x"] + full.params["x:m"] * w
    assert [s["effect"] for s in slopes] == pytest.approx(effect, rel=1e-10)
    r = process(d, 1, x="x", y="y", w="m")
    assert doc["jn"] == r.jn["w"].tolist()
    assert slopes[0]["se"] == r.conditional.se[0]  # not HC3 here: the standard OLS SE


def test_moderate_center_and_percentiles(tmp_path, capsys, frame):
    path = _write(tmp_path, frame)
    code, doc, _ = _run(
        capsys,
        "moderate",
        path,
        *"--x BL --w CE --y LOY --cov 性别 --center --at percentiles --json".split(),
    )
    assert code == 0
    r = process(
        frame, 1, x="BL", y="LOY", w="CE", covariates=["性别"], center=True, at="percentiles"
    )
    assert doc["coef"]["BL"] == r.coef("LOY", "BL")
    assert doc["coef"]["性别"] == r.coef("LOY", "性别")
    assert [s["label"] for s in doc["simple_slopes"]] == ["p16", "p50", "p84"]
    # w on CE's original scale, although the model is centred
    assert doc["simple_slopes"][1]["w"] == pytest.approx(
        np.percentile(frame.CE, 50, method="weibull")
    )
    assert doc["center"] is True
    assert doc["level"] == 0.95


def test_text_output(tmp_path, capsys, frame):
    path = _write(tmp_path, frame)
    code, out, _ = _run(
        capsys, "mediate", path, *"--x 品牌认同 --m M1 --y LOY --boot 100 --seed 1".split()
    )
    assert code == 0 and "indirect M1" in out
    code, out, _ = _run(capsys, "moderate", path, "--x", "BL", "--w", "CE", "--y", "LOY")
    assert code == 0 and "Johnson-Neyman" in out


@pytest.mark.parametrize("command", ["mediate", "moderate"])
def test_unknown_column_exits_2(tmp_path, capsys, frame, command):
    path = _write(tmp_path, frame)
    extra = ["--m", "M1"] if command == "mediate" else ["--w", "CE"]
    code = main([command, path, "--x", "品牌认同", "--y", "忠诚", *extra, "--json"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert path in lines[0] and "'忠诚'" in lines[0]
    assert "Traceback" not in err
