"""The difference-analysis table and its interpretation text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sqresearch.constructs import load_catalogue
from sqresearch.model.groups import compare_all, compare_scales
from sqresearch.report.groups import difference_table, difference_tables, difference_text
from sqresearch.report.tables import ThesisTable, render

CAT = load_catalogue()


def _survey(seed: int = 7, n: int = 240) -> pd.DataFrame:
    """CVA rises with AGE (codes 1-3 used) and differs by GENDER; SOB differs by nothing."""
    rng = np.random.default_rng(seed)
    gender = rng.integers(1, 3, n)
    age = rng.integers(1, 4, n)
    cva = 3.0 + 0.6 * (age - 1) + 0.4 * (gender == 1) + rng.normal(0, 0.6, n)
    sob = 3.5 + rng.normal(0, 0.7, n)
    return pd.DataFrame(
        {
            "GENDER": gender,
            "AGE": age,
            "CVA1": cva + rng.normal(0, 0.1, n),
            "CVA2": cva + rng.normal(0, 0.1, n),
            "SOB1": sob,
            "SOB2": sob + rng.normal(0, 0.1, n),
        }
    )


SCALES = {"CVA": ["CVA1", "CVA2"], "SOB": ["SOB1", "SOB2"]}


@pytest.fixture(scope="module")
def results():
    return compare_all(_survey(), SCALES, ["GENDER", "AGE"], posthoc_method="tukey")


def test_one_call_builds_a_table_per_demographic(results):
    tables = difference_tables(results, lang="zh")
    assert list(tables) == ["GENDER", "AGE"]
    assert all(isinstance(t, ThesisTable) for t in tables.values())
    assert tables["AGE"].caption == "不同年龄在各变量上的差异分析"


def test_t_table_rows_columns_and_numbers(results):
    table = difference_table(results["GENDER"], lang="zh")
    frame = table.to_frame()
    gender = CAT.demographics["GENDER"].labels("zh")
    assert list(frame.columns) == ["变量", f"{gender[1]}(1)", f"{gender[2]}(2)", "t", "p"]
    assert frame["变量"].tolist() == [
        CAT.constructs["CVA"].name("zh"),
        CAT.constructs["SOB"].name("zh"),
    ]
    cva = results["GENDER"][0]
    m, sd = cva.groups.loc[0, "mean"], cva.groups.loc[0, "sd"]
    assert frame.iloc[0, 1] == f"{m:.2f} ± {sd:.2f}"
    assert frame.loc[0, "t"] == f"{cva.statistic:.3f}"
    assert frame.loc[0, "p"].endswith("*")  # a real difference: starred
    assert not frame.loc[1, "p"].endswith("*")  # SOB: none
    assert "独立样本t检验" in table.note_lines[0]


def test_anova_table_lists_significant_posthoc_pairs_by_code(results):
    table = difference_table(results["AGE"], lang="en")
    frame = table.to_frame()
    age = CAT.demographics["AGE"].labels("en")
    assert list(frame.columns) == [
        "Variable",
        f"{age[1]} (1)",
        f"{age[2]} (2)",
        f"{age[3]} (3)",
        "F",
        "p",
        "Post hoc",
    ]
    cva = results["AGE"][0]
    expected = "; ".join(f"{hi} > {lo}" for hi, lo in cva.significant_pairs())
    assert expected and frame.loc[0, "Post hoc"] == expected
    assert "3 > 1" in expected
    assert frame.loc[1, "Post hoc"] == "—"
    assert frame.loc[0, "F"] == f"{cva.statistic:.3f}"
    assert any("Tukey" in line for line in table.note_lines)


def test_table_renders_in_every_text_format(results):
    table = difference_table(results["AGE"], lang="zh")
    md = render(table, "markdown")
    assert "事后比较" in md and "3 > 1" in md
    assert "事后比较" in render(table, "latex")
    assert render(table, "docx")[:2] == b"PK"


def test_welch_is_reported_and_noted_when_levene_rejects():
    rng = np.random.default_rng(3)
    data = pd.DataFrame(
        {
            "GENDER": [1] * 60 + [2] * 60,
            "CVA1": np.r_[rng.normal(3, 0.2, 60), rng.normal(3.5, 1.5, 60)],
        }
    )
    (result,) = compare_scales(data, {"CVA": ["CVA1"]}, "GENDER")
    assert not result.equal_variances
    table = difference_table([result], lang="zh")
    assert table.to_frame().loc[0, "t"] == f"{result.tests.loc['welch', 'statistic']:.3f}"
    assert "Welch" in table.note_lines[0]
    assert "Welch" in difference_text([result], lang="en")


def test_text_zh_says_which_differences_hold_and_which_do_not(results):
    text = difference_text(results["GENDER"], lang="zh")
    cva, sob = CAT.constructs["CVA"].name("zh"), CAT.constructs["SOB"].name("zh")
    assert f"不同性别在{cva}上存在显著差异" in text
    assert f"在{sob}上不存在显著差异" in text
    assert "男（M = " in text and "高于女" in text  # men score higher in the simulated data
    age_text = difference_text(results["AGE"], lang="zh")
    assert "Tukey HSD法事后比较显示" in age_text
    labels = CAT.demographics["AGE"].labels("zh")
    assert f"{labels[3]}高于{labels[1]}" in age_text


def test_text_en_significant_and_not(results):
    text = difference_text(results["AGE"], lang="en")
    cva, sob = CAT.constructs["CVA"].name("en"), CAT.constructs["SOB"].name("en")
    assert f"{cva} differed significantly by age (F(2, " in text
    assert f"{sob} did not differ significantly by age" in text
    assert "Tukey's HSD comparisons showed" in text


def test_text_when_nothing_differs():
    rng = np.random.default_rng(11)
    data = pd.DataFrame(
        {"GENDER": [1, 2] * 50, "CVA1": rng.normal(3, 1, 100), "SOB1": rng.normal(3, 1, 100)}
    )
    results = compare_scales(data, {"CVA": ["CVA1"], "SOB": ["SOB1"]}, "GENDER")
    assert all(r.pvalue >= 0.05 for r in results)
    zh = difference_text(results, lang="zh")
    assert "上存在显著差异" not in zh and "上均不存在显著差异" in zh
    en = difference_text(results, lang="en")
    assert "differed significantly" not in en and "did not differ significantly by gender" in en


def test_unlabelled_grouping_column_uses_result_labels_or_codes():
    data = pd.DataFrame({"城市": [1, 1, 1, 2, 2, 2], "X1": [1.0, 2, 4, 3, 4, 6]})
    (result,) = compare_scales(data, {"X": ["X1"]}, "城市", labels={1: "北京", 2: "上海"})
    frame = difference_table([result], lang="zh").to_frame()
    assert list(frame.columns)[1:3] == ["北京(1)", "上海(2)"]
    assert frame.loc[0, "变量"] == "X"
