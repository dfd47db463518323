"""``sqresearch compare --json``: the contract of docs/reference/cli.md, run in-process."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from sqresearch.cli import main
from sqresearch.model import groups as g

# PlantGrowth (R datasets) coded 1/2/3 = ctrl/trt1/trt2, split into two "items"
# whose mean is the weight.
CTRL = [4.17, 5.58, 5.18, 6.11, 4.50, 4.61, 5.17, 4.53, 5.33, 5.14]
TRT1 = [4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69]
TRT2 = [6.31, 5.12, 5.54, 5.50, 5.37, 5.29, 4.92, 6.15, 5.80, 5.26]
WEIGHT = np.array(CTRL + TRT1 + TRT2)


def _write(tmp_path, frame: pd.DataFrame, name: str = "data.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False, encoding="utf-8")
    return str(path)


def _plant(tmp_path):
    frame = pd.DataFrame(
        {
            "组别": [1] * 10 + [2] * 10 + [3] * 10,
            "sex": [1, 2] * 15,
            "W1": WEIGHT - 0.5,
            "W2": WEIGHT + 0.5,
        }
    )
    return _write(tmp_path, frame)


def _run(capsys, *argv) -> tuple[int, dict | None, str]:
    code = main(["compare", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 and "--json" in argv else None), err


def test_anova_document_matches_r_plantgrowth(tmp_path, capsys):
    code, doc, _ = _run(capsys, _plant(tmp_path), "--by", "组别", "--var", "重量=W1,W2", "--json")
    assert code == 0
    assert doc["posthoc_method"] == "tukey" and doc["by"] == "组别"
    (test,) = doc["tests"]
    assert (test["var"], test["by"], test["kind"], test["n"]) == ("重量", "组别", "anova", 30)
    assert [grp["level"] for grp in test["groups"]] == [1, 2, 3]  # whole-number codes, no ".0"
    assert all(isinstance(grp["level"], int) for grp in test["groups"])
    assert [grp["n"] for grp in test["groups"]] == [10, 10, 10]
    assert [grp["mean"] for grp in test["groups"]] == pytest.approx(
        [5.032, 4.661, 5.526], abs=1e-12
    )
    # oneway.test(weight ~ group, PlantGrowth, var.equal = TRUE): F = 4.8461, df 2, 27, p = 0.01591
    assert test["anova"]["statistic"] == pytest.approx(4.8461, abs=5e-5)
    assert (test["anova"]["df1"], test["anova"]["df2"]) == (2, 27)
    assert test["anova"]["pvalue"] == pytest.approx(0.01591, abs=5e-6)
    # oneway.test(weight ~ group, PlantGrowth): F = 5.181, denom df = 17.128, p-value = 0.01739
    assert test["welch"]["df2"] == pytest.approx(17.128, abs=5e-4)
    assert test["welch"]["pvalue"] == pytest.approx(0.01739, abs=5e-6)
    # kruskal.test(weight ~ group, PlantGrowth): chi-squared = 7.9882, p-value = 0.01842
    assert test["nonparametric"]["statistic"] == pytest.approx(7.9882, abs=5e-5)
    assert test["nonparametric"]["pvalue"] == pytest.approx(0.01842, abs=5e-6)
    assert set(test["effect_size"]) == {"eta2", "omega2"}
    assert set(test["levene"]) >= {"statistic", "pvalue"}
    # TukeyHSD: trt1-ctrl -0.371 p 0.3908711; trt2-ctrl 0.494 p 0.1979960; trt2-trt1 0.865 p 0.0120064
    pairs = test["posthoc"]
    assert [(p["a"], p["b"]) for p in pairs] == [(1, 2), (1, 3), (2, 3)]
    assert [p["diff"] for p in pairs] == pytest.approx([-0.371, 0.494, 0.865], abs=1e-12)
    assert [p["pvalue"] for p in pairs] == pytest.approx(
        [0.3908711, 0.1979960, 0.0120064], abs=5e-8
    )
    assert pairs[2]["ci_lower"] == pytest.approx(0.1737839, abs=5e-8)
    assert pairs[2]["ci_upper"] == pytest.approx(1.5562161, abs=5e-8)


def test_posthoc_option_is_stated_and_used(tmp_path, capsys):
    path = _plant(tmp_path)
    code, doc, _ = _run(
        capsys, path, "--by", "组别", "--var", "重量=W1,W2", "--posthoc", "scheffe", "--json"
    )
    assert code == 0 and doc["posthoc_method"] == "scheffe"
    frame = pd.read_csv(path).assign(w=WEIGHT)
    expected = g.posthoc(frame, "w", "组别", method="scheffe")
    assert [p["pvalue"] for p in doc["tests"][0]["posthoc"]] == pytest.approx(
        expected["pvalue"].tolist(), abs=1e-12
    )


def test_t_document_signs_and_several_vars(tmp_path, capsys):
    sleep = pd.DataFrame(
        {
            "drug": [1] * 10 + [2] * 10,
            "extra": [
                0.7,
                -1.6,
                -0.2,
                -1.2,
                -0.1,
                3.4,
                3.7,
                0.8,
                0.0,
                2.0,
                1.9,
                0.8,
                1.1,
                0.1,
                -0.1,
                4.4,
                5.5,
                1.6,
                4.6,
                3.4,
            ],
            "other": list(range(20)),
        }
    )
    code, doc, _ = _run(
        capsys,
        _write(tmp_path, sleep),
        "--by",
        "drug",
        "--var",
        "extra",
        "--var",
        "O=other",
        "--json",
    )
    assert code == 0
    first, second = doc["tests"]
    assert (first["var"], first["kind"], second["var"]) == ("extra", "t", "O")
    # t.test(extra ~ group, sleep, var.equal = TRUE): t = -1.8608, df = 18, p-value = 0.07919
    assert first["student"]["statistic"] == pytest.approx(-1.8608, abs=5e-5)
    assert first["student"]["df"] == 18
    assert first["student"]["pvalue"] == pytest.approx(0.07919, abs=5e-6)
    # t.test(extra ~ group, sleep): df = 17.776, p-value = 0.07939
    assert first["welch"]["df"] == pytest.approx(17.776, abs=5e-4)
    assert first["welch"]["pvalue"] == pytest.approx(0.07939, abs=5e-6)
    assert first["student"]["mean_diff"] == pytest.approx(
        0.75 - 2.33, abs=1e-12
    )  # first level minus second
    assert first["effect_size"]["cohen_d"] < 0
    # wilcox.test(extra ~ group, data = sleep): W = 25.5 (U of the first level)
    assert first["nonparametric"]["statistic"] == 25.5
    assert "posthoc" not in first


def test_labelled_sav_reports_codes_with_labels(tmp_path, capsys):
    frame = pd.DataFrame(
        {
            "GENDER": [1.0, 1.0, 1.0, 2.0, 2.0, 2.0],
            "Q1": [1.0, 2, 3, 3, 4, 5],
            "Q2": [2.0, 2, 3, 4, 4, 5],
        }
    )
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"GENDER": {1.0: "男", 2.0: "女"}})
    code, doc, _ = _run(capsys, str(path), "--by", "GENDER", "--var", "Q=Q1,Q2", "--json")
    assert code == 0
    groups = doc["tests"][0]["groups"]
    assert [(grp["level"], grp["label"]) for grp in groups] == [(1, "男"), (2, "女")]
    assert isinstance(groups[0]["level"], int)


def test_missing_items_leave_respondent_out_and_n_counts_rows(tmp_path, capsys):
    frame = pd.DataFrame(
        {"g": [1, 1, 1, 2, 2, 2, None], "A1": [1, 2, 3, 4, None, 5, 1], "A2": [1, 2, 3, 4, 4, 5, 1]}
    )
    code, doc, _ = _run(capsys, _write(tmp_path, frame), "--by", "g", "--var", "A=A1,A2", "--json")
    assert code == 0
    assert doc["tests"][0]["n"] == 5
    assert [grp["n"] for grp in doc["tests"][0]["groups"]] == [3, 2]


def test_one_level_only_exits_2_with_one_line_naming_variable_and_level(tmp_path, capsys):
    frame = pd.DataFrame({"sex": [1, 1, 1, 2], "A1": [1, 2, 3, None]})
    path = _write(tmp_path, frame)
    code, _, err = _run(capsys, path, "--by", "sex", "--var", "A=A1", "--json")
    assert code == 2
    assert err.count("\n") == 1
    assert "column 'sex'" in err and "value 1:" in err and "only one level" in err and path in err


def test_unknown_item_column_exits_2(tmp_path, capsys):
    code, _, err = _run(capsys, _plant(tmp_path), "--by", "组别", "--var", "重量=W1,W9", "--json")
    assert code == 2 and "column 'W9'" in err and err.count("\n") == 1


def test_without_json_prints_one_line_per_var(tmp_path, capsys):
    code = main(["compare", _plant(tmp_path), "--by", "组别", "--var", "重量=W1,W2"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.count("\n") == 1 and "F(2, 27.00) = 4.846" in out and "3 > 2" in out


def test_text_levels_follow_the_codebook_order(tmp_path, capsys):
    # Sorted text would put 女 (U+5973) before 男 (U+7537); the catalogue lists 男 first.
    frame = pd.DataFrame({"性别": ["女", "男", "女", "男", "女", "男"], "A1": [1, 2, 2, 4, 3, 5]})
    code, doc, _ = _run(capsys, _write(tmp_path, frame), "--by", "性别", "--var", "A=A1", "--json")
    assert code == 0
    test = doc["tests"][0]
    assert [grp["level"] for grp in test["groups"]] == ["男", "女"]
    assert test["student"]["mean_diff"] == pytest.approx(11 / 3 - 2, abs=1e-12)  # 男 minus 女
