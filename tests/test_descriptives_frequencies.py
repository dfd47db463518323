"""frequencies(): SPSS FREQUENCIES counts checked against hand counts, and its
hand-off to the demographics thesis table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sqresearch.constructs import load_catalogue
from sqresearch.errors import InputError
from sqresearch.measure.descriptives import frequencies
from sqresearch.report import tables
from sqresearch.report.sample import demographics_table

# 10 respondents; read as a CSV would be (floats where NaN occurs).
DATA = pd.DataFrame(
    {
        "GENDER": [2, 1, 2, 2, np.nan, 1, 2, 2, 1, 2],
        "EDU": [3, 3, 4, 2, 3, np.nan, np.nan, 2, 3, 4],
        "CITY": ["杭州", "上海", "杭州", None, "北京", "杭州", "上海", "杭州", "杭州", None],
    }
)


def _block(table: pd.DataFrame, variable: str) -> pd.DataFrame:
    return table[table["variable"] == variable].reset_index(drop=True)


def test_counts_and_percentages_match_hand_counts():
    table = frequencies(DATA, ["GENDER", "EDU", "CITY"])
    assert list(table.columns) == [
        "variable",
        "category",
        "label",
        "n",
        "percent",
        "cum_percent",
        "valid",
        "missing",
    ]
    # GENDER: 1 ×3, 2 ×6, 1 missing → valid 9; 33.33 %, 66.67 %
    gender = _block(table, "GENDER")
    assert gender["category"].tolist() == [1, 2]
    assert all(type(c) is int for c in gender["category"].tolist())  # 1.0 printed as code 1
    assert gender["n"].tolist() == [3, 6]
    np.testing.assert_allclose(gender["percent"], [100 * 3 / 9, 100 * 6 / 9])
    np.testing.assert_allclose(gender["cum_percent"], [100 * 3 / 9, 100.0])
    assert gender[["valid", "missing"]].drop_duplicates().values.tolist() == [[9, 1]]
    # EDU: 2 ×2, 3 ×4, 4 ×2, 2 missing → valid 8; 25 %, 50 %, 25 %
    edu = _block(table, "EDU")
    assert edu["category"].tolist() == [2, 3, 4]
    assert edu["n"].tolist() == [2, 4, 2]
    np.testing.assert_allclose(edu["percent"], [25.0, 50.0, 25.0])
    np.testing.assert_allclose(edu["cum_percent"], [25.0, 75.0, 100.0])
    assert edu[["valid", "missing"]].drop_duplicates().values.tolist() == [[8, 2]]
    # CITY (text codes, sorted): 上海 ×2, 北京 ×1, 杭州 ×5, 2 missing
    city = _block(table, "CITY")
    assert city["category"].tolist() == sorted(["上海", "北京", "杭州"])
    assert dict(zip(city["category"], city["n"], strict=True)) == {"上海": 2, "北京": 1, "杭州": 5}
    assert city[["valid", "missing"]].drop_duplicates().values.tolist() == [[8, 2]]
    assert table["label"].isna().all()  # no labels given


def test_labels_from_the_catalogue_and_order_with_empty_categories():
    catalogue = load_catalogue()
    labels = {code: catalogue.demographics[code].labels("zh") for code in ("GENDER", "EDU")}
    levels = [value for value, _ in sorted(labels["EDU"].items())]
    table = frequencies(DATA, ["GENDER", "EDU"], labels=labels, order={"EDU": levels})
    gender = _block(table, "GENDER")
    assert gender["label"].tolist() == ["男", "女"]
    edu = _block(table, "EDU")
    assert edu["category"].tolist() == levels  # every level, chosen or not
    assert levels == [1, 2, 3, 4]  # code 1 was never chosen
    assert edu["n"].tolist() == [0, 2, 4, 2]
    np.testing.assert_allclose(edu["percent"], [0.0, 25.0, 50.0, 25.0])
    assert edu["label"].tolist() == [labels["EDU"][v] for v in levels]


def test_order_must_cover_every_answer_and_columns_must_exist():
    with pytest.raises(InputError) as err:
        frequencies(DATA, "EDU", order={"EDU": [2, 3]})
    assert err.value.column == "EDU" and err.value.row == 3 and err.value.value == 4
    with pytest.raises(InputError) as err:
        frequencies(DATA, ["GENDER", "AGE"])
    assert err.value.column == "AGE"


def test_result_feeds_the_demographics_table():
    catalogue = load_catalogue()
    labels = {"GENDER": catalogue.demographics["GENDER"].labels("zh")}
    table = frequencies(DATA, ["GENDER", "EDU"], labels=labels)
    markdown = tables.render(demographics_table(table, lang="zh"), fmt="markdown")
    rows = [line for line in markdown.splitlines() if line.startswith("| ")][1:]
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
    # category label, count, percent (2 decimals) of every row, in order
    assert [c[1:] for c in cells] == [
        ["男", "3", "33.33"],
        ["女", "6", "66.67"],
        ["大专", "2", "25.00"],  # EDU levels from the catalogue
        ["本科", "4", "50.00"],
        ["硕士及以上", "2", "25.00"],
    ]
    assert [c[0] for c in cells] == ["性别", "", "学历", "", ""]
