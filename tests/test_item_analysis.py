"""项目分析 against an independent computation in R.

R 4.2.2 (car 3.1, psych 2.2.9) on tests/data/pilot_second_order.csv, scale d1..d4::

    x <- pil[c("d1", "d2", "d3", "d4")]
    tot <- rowSums(x); k <- round(.27 * nrow(x))
    lo <- sort(tot)[k]; hi <- sort(tot, decreasing = TRUE)[k]      # 13, 17
    g <- ifelse(tot >= hi, "high", ifelse(tot <= lo, "low", NA))    # 81 high, 100 low
    car::leveneTest(y ~ g, center = mean); t.test(y ~ g, var.equal = TRUE); t.test(y ~ g)
    psych::alpha(x)$item.stats[, c("raw.r", "r.drop")]; psych::alpha(x)$alpha.drop$raw_alpha
    psych::principal(x, 1, rotate = "none")     # loadings, communality
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sqresearch.errors import InputError
from sqresearch.measure.item_analysis import RULES, extreme_groups, item_analysis

TEST_DATA = Path(__file__).parent / "data"
ITEMS = ["d1", "d2", "d3", "d4"]

LEVENE_P = [0.000962295284698, 0.0976903590539, 2.23560428469e-06, 0.801828172655]
STUDENT_T = [16.4317896209, 15.1369411762, 16.2271995621, 8.82640296613]
WELCH_T = [17.278333357, 15.736482703, 17.2035423226, 8.95348782273]
WELCH_DF = [165.499876368, 174.071330429, 157.276866393, 177.980712129]
RAW_R = [0.801757735584, 0.784625621097, 0.770492703743, 0.468982166606]
R_DROP = [0.594861588552, 0.579859544622, 0.537291382984, 0.139482896124]
ALPHA = 0.668469457828
ALPHA_DROP = [0.497576495366, 0.513732862144, 0.539320645628, 0.783656099987]
PC_LOADING = [0.848371676803, 0.840938675853, 0.800584636703, 0.255609318944]
PC_H2 = [0.7197345020014, 0.7071778565448, 0.6409357605257, 0.0653361239308]


@pytest.fixture(scope="module")
def pilot():
    return pd.read_csv(TEST_DATA / "pilot_second_order.csv")


@pytest.fixture(scope="module")
def result(pilot):
    return item_analysis(pilot, {"F4": ITEMS})


def test_extreme_groups_match_r(result):
    row = result.scales.loc["F4"]
    assert (row["low_cut"], row["high_cut"]) == (13.0, 17.0)
    assert (row["n_low"], row["n_high"], row["n"], row["k"]) == (100, 81, 300, 4)
    assert row["alpha"] == pytest.approx(ALPHA, abs=1e-10)


def test_critical_ratio_takes_the_row_levene_points_to(result):
    items = result.items.loc["F4"]
    np.testing.assert_allclose(items["levene_p"], LEVENE_P, rtol=1e-8)
    equal = np.array(LEVENE_P) >= 0.05
    assert items["equal_var"].tolist() == equal.tolist()
    expected_t = np.where(equal, STUDENT_T, WELCH_T)
    np.testing.assert_allclose(items["cr"], expected_t, rtol=1e-9)
    np.testing.assert_allclose(items.loc[~equal, "cr_df"], np.array(WELCH_DF)[~equal], rtol=1e-9)
    assert (items.loc[equal, "cr_df"] == 179).all()


def test_homogeneity_matches_psych(result):
    items = result.items.loc["F4"]
    np.testing.assert_allclose(items["r_total"], RAW_R, rtol=1e-9)
    np.testing.assert_allclose(items["citc"], R_DROP, rtol=1e-9)
    np.testing.assert_allclose(items["alpha_if_deleted"], ALPHA_DROP, rtol=1e-9)
    np.testing.assert_allclose(items["loading"], PC_LOADING, rtol=1e-9)
    np.testing.assert_allclose(items["communality"], PC_H2, rtol=1e-9)


def test_decision_table_names_the_rules_that_fired(result):
    dec = result.decisions.loc["F4"]
    # d4 (loading .15 in the population): CITC .14 < .40, alpha rises to .78 without it,
    # communality .07 < .20, loading .26 < .45; its CR (8.8) and item-total r (.47) pass
    assert dec.loc["d4", "fired"] == "citc, alpha_if_deleted, communality, loading"
    assert dec.loc["d4", "n_failed"] == 4 and dec.loc["d4", "decision"] == "consider_deleting"
    assert (dec.loc[["d1", "d2", "d3"], "decision"] == "keep").all()
    assert result.flagged == [("F4", "d4")]
    lenient = item_analysis(pd.read_csv(TEST_DATA / "pilot_second_order.csv"), {"F4": ITEMS},
                            max_failed=4)  # fmt: skip
    assert lenient.flagged == []


def test_cr_rule_fires_below_three():
    # an item unrelated to the others: its top-bottom difference is small
    rng = np.random.default_rng(3)
    common = rng.normal(size=400)
    data = pd.DataFrame({f"x{i}": np.round(common + rng.normal(size=400)) for i in range(4)})
    data["noise"] = np.round(rng.normal(size=400))
    res = item_analysis(data, list(data.columns))
    row = res.items.loc[("scale", "noise")]
    assert abs(row["cr"]) < 3
    assert res.decisions.loc[("scale", "noise"), "cr"]
    assert "cr" in res.decisions.loc[("scale", "noise"), "fired"].split(", ")


def test_json_document(result):
    doc = result.to_dict()
    d4 = doc["scales"]["F4"]["items"]["d4"]
    assert d4["decision"] == "consider_deleting" and d4["fired"][0] == "citc"
    assert set(d4["fired"]) <= set(RULES)
    assert doc["scales"]["F4"]["n"] == 300 and isinstance(doc["scales"]["F4"]["n"], int)
    assert "<table" in result._repr_html_()


def test_reverse_keyed_items_are_recoded(pilot):
    flipped = pilot.assign(d2=6 - pilot["d2"])
    res = item_analysis(flipped, {"F4": ITEMS}, reverse=["d2"], scale_points=5)
    assert res.items.loc[("F4", "d2"), "citc"] == pytest.approx(R_DROP[1], rel=1e-12)


def test_bad_input():
    with pytest.raises(InputError, match="at least 2 items"):
        item_analysis(pd.DataFrame({"a": [1, 2, 3]}), {"S": ["a"]})
    with pytest.raises(InputError, match="in no scale"):
        item_analysis(pd.DataFrame({"a": [1, 2], "b": [2, 1]}), ["a", "b"], reverse=["c"])
    with pytest.raises(InputError, match="too alike"):
        extreme_groups(pd.Series([3.0] * 10))
    with pytest.raises(InputError, match="share"):
        item_analysis(pd.DataFrame({"a": [1, 2], "b": [2, 1]}), ["a", "b"], share=0.6)
