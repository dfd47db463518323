"""Observed-score group comparisons against R output and closed-form references.

Data sets are R's (datasets package): PlantGrowth, InsectSprays, sleep,
mtcars.  Reference values printed by R are quoted with their source; values
R prints with few digits are checked to that precision and, to 1e-6 or
better, against closed-form formulas written out here in numpy, independent
of the module under test.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.model import groups as g

# PlantGrowth (R datasets): weight by group, 10 plants each.  Its group means
# 5.032, 4.661, 5.526 and SDs 0.5830914, 0.7936757, 0.4425733 are checked below
# against R's dplyr summary (e.g. the STHDA Kruskal-Wallis tutorial).
CTRL = [4.17, 5.58, 5.18, 6.11, 4.50, 4.61, 5.17, 4.53, 5.33, 5.14]
TRT1 = [4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69]
TRT2 = [6.31, 5.12, 5.54, 5.50, 5.37, 5.29, 4.92, 6.15, 5.80, 5.26]
PLANT = pd.DataFrame(
    {"weight": CTRL + TRT1 + TRT2, "group": ["ctrl"] * 10 + ["trt1"] * 10 + ["trt2"] * 10}
)

# InsectSprays (R datasets): count by spray A-F, 12 each.
SPRAYS = {
    "A": [10, 7, 20, 14, 14, 12, 10, 23, 17, 20, 14, 13],
    "B": [11, 17, 21, 11, 16, 14, 17, 17, 19, 21, 7, 13],
    "C": [0, 1, 7, 2, 3, 1, 2, 1, 3, 0, 1, 4],
    "D": [3, 5, 12, 6, 4, 3, 5, 5, 5, 5, 2, 4],
    "E": [3, 5, 3, 5, 3, 6, 1, 1, 3, 2, 6, 4],
    "F": [11, 9, 15, 22, 15, 16, 13, 10, 26, 26, 24, 13],
}
INSECTS = pd.DataFrame(
    {"count": sum(SPRAYS.values(), []), "spray": [k for k, v in SPRAYS.items() for _ in v]}
)

# sleep (R datasets): extra hours of sleep, drug 1 vs drug 2.
SLEEP1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
SLEEP = pd.DataFrame({"extra": SLEEP1 + SLEEP2, "group": [1] * 10 + [2] * 10})

# mtcars (R datasets): mpg by transmission (am: 0 automatic, 1 manual).
MPG = [
    21.0,
    21.0,
    22.8,
    21.4,
    18.7,
    18.1,
    14.3,
    24.4,
    22.8,
    19.2,
    17.8,
    16.4,
    17.3,
    15.2,
    10.4,
    10.4,
    14.7,
    32.4,
    30.4,
    33.9,
    21.5,
    15.5,
    15.2,
    13.3,
    19.2,
    27.3,
    26.0,
    30.4,
    15.8,
    19.7,
    15.0,
    21.4,
]
AM = [
    1,
    1,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    1,
    1,
    1,
    0,
    0,
    0,
    0,
    0,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
]
MTCARS = pd.DataFrame({"mpg": MPG, "am": AM})

# An unbalanced data set of our own with unequal variances and ties.
RNG = np.random.default_rng(20261123)
OWN = pd.DataFrame(
    {
        "score": np.round(
            np.concatenate(
                [
                    RNG.normal(3.2, 0.5, 14),
                    RNG.normal(3.6, 1.1, 23),
                    RNG.normal(3.9, 0.7, 9),
                    RNG.normal(3.0, 1.4, 31),
                ]
            )
            * 5
        )
        / 5,
        "age": [1] * 14 + [2] * 23 + [3] * 9 + [4] * 31,
    }
)


def _split(data: pd.DataFrame, dv: str, by: str) -> list[np.ndarray]:
    return [data.loc[data[by] == level, dv].to_numpy(float) for level in sorted(data[by].unique())]


# ----------------------------------------------------------------------------- levels, scores


def test_levels_numeric_ascending_text_by_codebook_then_sorted():
    assert g.order_levels(pd.Series([3.0, 1.0, 2.0, np.nan])) == [1.0, 2.0, 3.0]
    assert g.order_levels(pd.Series(["高", "低", "中"]), order=["低", "中", "高"]) == [
        "低",
        "中",
        "高",
    ]
    assert g.order_levels(pd.Series(["trt2", "ctrl", "trt1"])) == ["ctrl", "trt1", "trt2"]
    cat = pd.Series(pd.Categorical(["b", "a", "c"], categories=["c", "b", "a"], ordered=True))
    assert g.order_levels(cat) == ["c", "b", "a"]


def test_scale_score_is_item_mean_and_missing_when_any_item_is():
    items = pd.DataFrame({"A1": [1, 2, 3, np.nan], "A2": [3, 4, 5, 5], "A3": [2, 3, 4, 4]})
    scores = g.scale_scores(items, {"A": ["A1", "A2", "A3"]})
    np.testing.assert_allclose(scores["A"].iloc[:3], [2.0, 3.0, 4.0])
    assert np.isnan(scores["A"].iloc[3])


def test_respondent_missing_item_or_group_is_left_out_of_that_test():
    data = pd.DataFrame(
        {
            "g": [1, 1, 1, 2, 2, 2, np.nan],
            "A1": [1, 2, 3, 4, 5, np.nan, 1],
            "A2": [1, 2, 3, 4, 5, 5, 1],
            "B1": [2, 2, 3, 3, 4, 5, 1],
        }
    )
    results = g.compare_scales(data, {"A": ["A1", "A2"], "B": ["B1"]}, "g")
    assert [r.groups["n"].tolist() for r in results] == [[3, 2], [3, 3]]
    assert [r.n for r in results] == [5, 6]


def test_text_in_a_score_column_names_column_row_and_value():
    data = pd.DataFrame({"g": [1, 1, 2, 2], "y": ["1", "2", "abc", "4"]})
    with pytest.raises(InputError, match=r"column 'y', row 3, value 'abc'"):  # 1-based data row
        g.ttest_independent(data, "y", "g")


def test_one_level_only_is_an_error_naming_variable_and_level():
    data = pd.DataFrame({"sex": [1, 1, 1, 2], "y": [1.0, 2.0, 3.0, np.nan]})
    with pytest.raises(InputError, match=r"column 'sex', value 1(\.0)?: only one level"):
        g.compare_groups(data, "y", "sex")


def test_group_of_one_is_an_error_naming_variable_and_level():
    data = pd.DataFrame(
        {"edu": ["本科"] * 3 + ["硕士"] * 3 + ["博士"], "y": [1.0, 2, 3, 2, 3, 4, 5]}
    )
    with pytest.raises(InputError, match=r"column 'edu', value '博士': level has n = 1"):
        g.compare_groups(data, "y", "edu")


def test_group_descriptives_match_r():
    desc = g.describe_groups(PLANT, "weight", "group")
    assert desc["level"].tolist() == ["ctrl", "trt1", "trt2"]
    # dplyr::summarise(PlantGrowth, mean, sd): 5.032 0.5830914 / 4.661 0.7936757 / 5.526 0.4425733
    np.testing.assert_allclose(desc["mean"], [5.032, 4.661, 5.526], atol=1e-12)
    np.testing.assert_allclose(desc["sd"], [0.5830914, 0.7936757, 0.4425733], atol=5e-8)


# ----------------------------------------------------------------------------- two groups


def test_ttest_student_and_welch_match_r_sleep():
    res = g.ttest_independent(SLEEP, "extra", "group")
    # t.test(extra ~ group, data = sleep, var.equal = TRUE):
    #   t = -1.8608, df = 18, p-value = 0.07919, 95% CI -3.363874 0.203874
    st = res.loc["student"]
    assert st["df"] == 18
    assert st["statistic"] == pytest.approx(-1.8608, abs=5e-5)
    assert st["pvalue"] == pytest.approx(0.07919, abs=5e-6)
    assert (st["ci_lower"], st["ci_upper"]) == pytest.approx((-3.363874, 0.203874), abs=5e-7)
    # t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p-value = 0.07939,
    #   95% CI -3.3654832 0.2054832
    w = res.loc["welch"]
    assert w["df"] == pytest.approx(17.776, abs=5e-4)
    assert w["pvalue"] == pytest.approx(0.07939, abs=5e-6)
    assert (w["ci_lower"], w["ci_upper"]) == pytest.approx((-3.3654832, 0.2054832), abs=5e-8)
    assert res["mean_diff"].tolist() == pytest.approx([0.75 - 2.33] * 2, abs=1e-12)


def test_ttest_closed_form_unbalanced():
    data = OWN[OWN["age"].isin([2, 4])]
    x, y = _split(data, "score", "age")
    n1, n2, v1, v2 = len(x), len(y), x.var(ddof=1), y.var(ddof=1)
    diff = x.mean() - y.mean()
    sp2 = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
    se_s = math.sqrt(sp2 * (1 / n1 + 1 / n2))
    se_w = math.sqrt(v1 / n1 + v2 / n2)
    df_w = (v1 / n1 + v2 / n2) ** 2 / (
        (v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1)
    )  # Welch-Satterthwaite
    res = g.ttest_independent(data, "score", "age")
    for row, se, df in (("student", se_s, n1 + n2 - 2), ("welch", se_w, df_w)):
        t = diff / se
        half = stats.t.ppf(0.975, df) * se
        got = res.loc[row]
        assert got["statistic"] == pytest.approx(t, abs=1e-10)
        assert got["df"] == pytest.approx(df, abs=1e-10)
        assert got["se"] == pytest.approx(se, abs=1e-12)
        assert got["pvalue"] == pytest.approx(2 * stats.t.sf(abs(t), df), abs=1e-12)
        assert (got["ci_lower"], got["ci_upper"]) == pytest.approx(
            (diff - half, diff + half), abs=1e-10
        )


def test_levene_mean_centred_closed_form():
    for data, dv, by in (
        (SLEEP, "extra", "group"),
        (PLANT, "weight", "group"),
        (OWN, "score", "age"),
    ):
        samples = _split(data, dv, by)
        # Levene (1960): one-way ANOVA F on |x - group mean| (car::leveneTest(center = mean)).
        z = [np.abs(s - s.mean()) for s in samples]
        f_ref = stats.f_oneway(*z)
        res = g.levene_test(data, dv, by)
        assert res.loc[0, "statistic"] == pytest.approx(f_ref.statistic, abs=1e-10)
        assert res.loc[0, "pvalue"] == pytest.approx(f_ref.pvalue, abs=1e-12)
        assert (res.loc[0, "df1"], res.loc[0, "df2"]) == (
            len(samples) - 1,
            len(data) - len(samples),
        )


def test_cohens_d_and_noncentral_t_ci_match_effectsize():
    # effectsize 0.8.3, cohens_d(mpg ~ am, data = mtcars): d = -1.477947, 95% CI [-2.265973, -0.670569]
    # (tidystats tests/data/effectsize.json, WillemSleegers/tidystats).  effectsize finds the
    # noncentrality by optim() (abstol 1e-9 on its objective), so its limits carry ~1e-6 error;
    # ours solve the quantile equations to 1e-12 (next test).
    res = g.cohens_d(MTCARS, "mpg", "am")
    assert res.loc[0, "d"] == pytest.approx(-1.477947, abs=5e-7)
    assert res.loc[0, "ci_lower"] == pytest.approx(-2.265973, abs=1e-6)
    assert res.loc[0, "ci_upper"] == pytest.approx(-0.670569, abs=1e-6)
    assert res.loc[0, "ci_method"] == "noncentral t"


def test_cohens_d_ci_puts_observed_t_at_the_tail_quantiles():
    x, y = _split(SLEEP, "extra", "group")
    sp = math.sqrt(
        ((len(x) - 1) * x.var(ddof=1) + (len(y) - 1) * y.var(ddof=1)) / (len(x) + len(y) - 2)
    )
    d = (x.mean() - y.mean()) / sp
    scale = math.sqrt(1 / len(x) + 1 / len(y))
    res = g.cohens_d(SLEEP, "extra", "group")
    assert res.loc[0, "d"] == pytest.approx(d, abs=1e-12)
    t = d / scale
    assert stats.nct.cdf(t, 18, res.loc[0, "ci_lower"] / scale) == pytest.approx(0.975, abs=1e-9)
    assert stats.nct.cdf(t, 18, res.loc[0, "ci_upper"] / scale) == pytest.approx(0.025, abs=1e-9)


def test_mann_whitney_u_for_first_level_asymptotic_without_continuity():
    res = g.mann_whitney(SLEEP, "extra", "group")
    # wilcox.test(extra ~ group, data = sleep): W = 25.5 (U of group 1), p-value = 0.06933
    # with continuity correction; the same normal approximation without it is SPSS's.
    assert res.loc[0, "U"] == 25.5
    with_cc = stats.mannwhitneyu(SLEEP1, SLEEP2, use_continuity=True, method="asymptotic")
    assert with_cc.pvalue == pytest.approx(0.06933, abs=5e-6)
    # Closed form: tie-corrected variance, no continuity correction.
    ranks = stats.rankdata(SLEEP1 + SLEEP2)
    n1 = n2 = 10
    _, t = np.unique(ranks, return_counts=True)
    sigma = math.sqrt(
        n1 * n2 / 12 * ((n1 + n2 + 1) - (t**3 - t).sum() / ((n1 + n2) * (n1 + n2 - 1)))
    )
    z = (ranks[:10].sum() - n1 * (n1 + 1) / 2 - n1 * n2 / 2) / sigma
    assert res.loc[0, "z"] == pytest.approx(z, abs=1e-12)
    assert res.loc[0, "pvalue"] == pytest.approx(2 * stats.norm.sf(abs(z)), abs=1e-12)
    assert res.loc[0, "W"] == pytest.approx(ranks[:10].sum())
    assert res.loc[0, "mean_rank_1"] < res.loc[0, "mean_rank_2"]


# ----------------------------------------------------------------------------- ANOVA


def test_anova_welch_brown_forsythe_match_r_plantgrowth():
    res = g.anova_oneway(PLANT, "weight", "group")
    # oneway.test(weight ~ group, PlantGrowth, var.equal = TRUE): F = 4.8461, num df = 2,
    #   denom df = 27, p-value = 0.01591 (summary(aov): F 4.846, Pr 0.0159)
    assert tuple(res.loc["anova", ["df1", "df2"]]) == (2, 27)
    assert res.loc["anova", "statistic"] == pytest.approx(4.8461, abs=5e-5)
    assert res.loc["anova", "pvalue"] == pytest.approx(0.01591, abs=5e-6)
    # oneway.test(weight ~ group, PlantGrowth): F = 5.181, num df = 2.000, denom df = 17.128,
    #   p-value = 0.01739
    assert res.loc["welch", "statistic"] == pytest.approx(5.181, abs=5e-4)
    assert res.loc["welch", "df2"] == pytest.approx(17.128, abs=5e-4)
    assert res.loc["welch", "pvalue"] == pytest.approx(0.01739, abs=5e-6)


@pytest.mark.parametrize(
    "data,dv,by", [(PLANT, "weight", "group"), (OWN, "score", "age"), (INSECTS, "count", "spray")]
)
def test_anova_closed_forms(data, dv, by):
    samples = _split(data, dv, by)
    n = np.array([len(s) for s in samples], float)
    m = np.array([s.mean() for s in samples])
    v = np.array([s.var(ddof=1) for s in samples])
    k, total = len(n), n.sum()
    grand = np.concatenate(samples).mean()
    ssb, ssw = (n * (m - grand) ** 2).sum(), ((n - 1) * v).sum()
    msw = ssw / (total - k)
    f = ssb / (k - 1) / msw
    # Welch (1951)
    w = n / v
    mw = (w * m).sum() / w.sum()
    lam = ((1 - w / w.sum()) ** 2 / (n - 1)).sum()
    fw = ((w * (m - mw) ** 2).sum() / (k - 1)) / (1 + 2 * (k - 2) * lam / (k**2 - 1))
    dfw = (k**2 - 1) / (3 * lam)
    # Brown & Forsythe (1974) F* with Satterthwaite df2
    denom = ((1 - n / total) * v).sum()
    fbf = ssb / denom
    c = (1 - n / total) * v / denom
    dfbf = 1 / (c**2 / (n - 1)).sum()
    res = g.anova_oneway(data, dv, by)
    expected = {
        "anova": (f, k - 1, total - k, stats.f.sf(f, k - 1, total - k)),
        "welch": (fw, k - 1, dfw, stats.f.sf(fw, k - 1, dfw)),
        "brown-forsythe": (fbf, k - 1, dfbf, stats.f.sf(fbf, k - 1, dfbf)),
    }
    for row, values in expected.items():
        assert tuple(res.loc[row, ["statistic", "df1", "df2", "pvalue"]]) == pytest.approx(
            values, rel=1e-9, abs=1e-12
        )
    es = g.anova_effect_sizes(data, dv, by)
    assert es.loc[0, "eta2"] == pytest.approx(ssb / (ssb + ssw), abs=1e-12)
    assert es.loc[0, "omega2"] == pytest.approx(
        (ssb - (k - 1) * msw) / (ssb + ssw + msw), abs=1e-12
    )


def test_anova_effect_sizes_match_r_sums_of_squares():
    es = g.anova_effect_sizes(PLANT, "weight", "group")
    # summary(aov(weight ~ group, PlantGrowth)): Sum Sq 3.766 (group), 10.492 (Residuals); Mean Sq 0.3886
    assert es.loc[0, "ss_between"] == pytest.approx(3.766, abs=5e-4)
    assert es.loc[0, "ss_within"] == pytest.approx(10.492, abs=5e-4)
    assert es.loc[0, "ms_within"] == pytest.approx(0.3886, abs=5e-5)


# ----------------------------------------------------------------------------- post hoc


def test_tukey_matches_r_plantgrowth():
    res = g.posthoc(PLANT, "weight", "group", method="tukey")
    # TukeyHSD(aov(weight ~ group, data = PlantGrowth)):
    #   trt1-ctrl -0.371 -1.0622161 0.3202161 0.3908711
    #   trt2-ctrl  0.494 -0.1972161 1.1852161 0.1979960
    #   trt2-trt1  0.865  0.1737839 1.5562161 0.0120064
    assert list(zip(res["a"], res["b"], strict=True)) == [
        ("ctrl", "trt1"),
        ("ctrl", "trt2"),
        ("trt1", "trt2"),
    ]
    np.testing.assert_allclose(res["diff"], [-0.371, 0.494, 0.865], atol=1e-12)
    np.testing.assert_allclose(res["ci_lower"], [-1.0622161, -0.1972161, 0.1737839], atol=5e-8)
    np.testing.assert_allclose(res["ci_upper"], [0.3202161, 1.1852161, 1.5562161], atol=5e-8)
    np.testing.assert_allclose(res["pvalue"], [0.3908711, 0.1979960, 0.0120064], atol=5e-8)


def test_tukey_matches_r_insectsprays():
    res = g.posthoc(INSECTS, "count", "spray", method="tukey").set_index(["a", "b"])
    # TukeyHSD(aov(count ~ spray, data = InsectSprays)), first rows:
    #   B-A 0.8333333 -3.866075 5.532742 0.9951810; D-A -9.5833333 -14.282742 -4.883925 0.0000014
    #   F-A 2.1666667 -2.532742 6.866075 0.7542147; F-B 1.3333333 -3.366075 6.032742 0.9603075
    #   D-C 2.8333333 -1.866075 7.532742 0.4920707; E-C 1.4166667 -3.282742 6.116075 0.9488669
    ref = {
        ("A", "B"): (0.8333333, -3.866075, 5.532742, 0.9951810),
        ("A", "D"): (-9.5833333, -14.282742, -4.883925, 0.0000014),
        ("A", "F"): (2.1666667, -2.532742, 6.866075, 0.7542147),
        ("B", "F"): (1.3333333, -3.366075, 6.032742, 0.9603075),
        ("C", "D"): (2.8333333, -1.866075, 7.532742, 0.4920707),
        ("C", "E"): (1.4166667, -3.282742, 6.116075, 0.9488669),
    }
    assert len(res) == 15
    for pair, (diff, lwr, upr, p) in ref.items():
        row = res.loc[pair]
        assert row["diff"] == pytest.approx(diff, abs=5e-8)
        assert (row["ci_lower"], row["ci_upper"]) == pytest.approx((lwr, upr), abs=5e-7)
        assert row["pvalue"] == pytest.approx(p, abs=5e-8)


def _pooled(samples):
    n = np.array([len(s) for s in samples], float)
    m = np.array([s.mean() for s in samples])
    v = np.array([s.var(ddof=1) for s in samples])
    mse = ((n - 1) * v).sum() / (n.sum() - len(n))
    return n, m, v, mse, n.sum() - len(n)


def test_lsd_and_bonferroni_match_r_pairwise_t_test():
    lsd = g.posthoc(PLANT, "weight", "group", method="lsd")
    bon = g.posthoc(PLANT, "weight", "group", method="bonferroni")
    # pairwise.t.test(PlantGrowth$weight, PlantGrowth$group, p.adjust.method = "none"):
    #   trt1-ctrl 0.194, trt2-ctrl 0.088, trt2-trt1 0.0045; with "bonferroni": 0.583, 0.263, 0.013
    np.testing.assert_allclose(lsd["pvalue"], [0.194, 0.088, 0.0045], atol=5e-4)
    np.testing.assert_allclose(bon["pvalue"], [0.583, 0.263, 0.013], atol=5e-4)


@pytest.mark.parametrize("data,dv,by", [(PLANT, "weight", "group"), (OWN, "score", "age")])
def test_lsd_bonferroni_scheffe_closed_forms(data, dv, by):
    samples = _split(data, dv, by)
    n, m, _, mse, df = _pooled(samples)
    k = len(n)
    pairs = list(itertools.combinations(range(k), 2))
    got = {meth: g.posthoc(data, dv, by, method=meth) for meth in ("lsd", "bonferroni", "scheffe")}
    for row, (a, b) in enumerate(pairs):
        diff = m[b] - m[a]
        se = math.sqrt(mse * (1 / n[a] + 1 / n[b]))
        t = diff / se
        p = 2 * stats.t.sf(abs(t), df)
        # LSD: unadjusted pooled-variance t (Fisher)
        half = stats.t.ppf(0.975, df) * se
        assert tuple(
            got["lsd"].loc[row, ["diff", "se", "pvalue", "ci_lower", "ci_upper"]]
        ) == pytest.approx((diff, se, p, diff - half, diff + half), abs=1e-10)
        # Bonferroni: p * m capped at 1, CI with t(1 - alpha / (2m)) as SPSS
        half = stats.t.ppf(1 - 0.05 / (2 * len(pairs)), df) * se
        assert tuple(
            got["bonferroni"].loc[row, ["pvalue", "ci_lower", "ci_upper"]]
        ) == pytest.approx((min(1.0, p * len(pairs)), diff - half, diff + half), abs=1e-10)
        # Scheffé (1953): F = t^2 / (k - 1) on (k - 1, N - k); CI diff ± sqrt((k - 1) F_.95) se
        f = t**2 / (k - 1)
        half = math.sqrt((k - 1) * stats.f.ppf(0.95, k - 1, df)) * se
        assert tuple(
            got["scheffe"].loc[row, ["statistic", "pvalue", "ci_lower", "ci_upper"]]
        ) == pytest.approx((f, stats.f.sf(f, k - 1, df), diff - half, diff + half), abs=1e-10)


def test_tukey_kramer_closed_form_unequal_n():
    samples = _split(OWN, "score", "age")
    n, m, _, mse, df = _pooled(samples)
    k = len(n)
    res = g.posthoc(OWN, "score", "age", method="tukey")
    for row, (a, b) in enumerate(itertools.combinations(range(k), 2)):
        diff = m[b] - m[a]
        se = math.sqrt(mse / 2 * (1 / n[a] + 1 / n[b]))  # Tukey-Kramer
        q = abs(diff) / se
        half = stats.studentized_range.ppf(0.95, k, df) * se
        assert res.loc[row, "diff"] == pytest.approx(diff, abs=1e-12)
        assert res.loc[row, "statistic"] == pytest.approx(q, abs=1e-10)
        assert res.loc[row, "pvalue"] == pytest.approx(
            stats.studentized_range.sf(q, k, df), abs=1e-8
        )
        assert (res.loc[row, "ci_lower"], res.loc[row, "ci_upper"]) == pytest.approx(
            (diff - half, diff + half), abs=1e-8
        )


def test_games_howell_closed_form_and_pingouin():
    samples = _split(OWN, "score", "age")
    n, m, v, _, _ = _pooled(samples)
    k = len(n)
    res = g.posthoc(OWN, "score", "age", method="games-howell")
    gh = pingouin.pairwise_gameshowell(OWN, dv="score", between="age")  # pingouin reports A - B
    for row, (a, b) in enumerate(itertools.combinations(range(k), 2)):
        diff = m[b] - m[a]
        va, vb = v[a] / n[a], v[b] / n[b]
        df = (va + vb) ** 2 / (va**2 / (n[a] - 1) + vb**2 / (n[b] - 1))  # Welch df
        q = abs(diff) / math.sqrt((va + vb) / 2)
        p = stats.studentized_range.sf(q, k, df)  # Games & Howell (1976)
        half = stats.studentized_range.ppf(0.95, k, df) * math.sqrt((va + vb) / 2)
        got = res.loc[row]
        assert got["diff"] == pytest.approx(diff, abs=1e-12)
        assert got["df"] == pytest.approx(df, abs=1e-10)
        assert got["pvalue"] == pytest.approx(p, abs=1e-8)
        assert (got["ci_lower"], got["ci_upper"]) == pytest.approx(
            (diff - half, diff + half), abs=1e-8
        )
        assert got["pvalue"] == pytest.approx(gh.loc[row, "pval"], abs=1e-6)
        assert -got["diff"] == pytest.approx(gh.loc[row, "diff"], abs=1e-12)


# ----------------------------------------------------------------------------- non-parametric


def test_kruskal_wallis_matches_r_plantgrowth():
    res = g.kruskal_wallis(PLANT, "weight", "group")
    # kruskal.test(weight ~ group, data = PlantGrowth): chi-squared = 7.9882, df = 2, p-value = 0.01842
    assert res.loc[0, "statistic"] == pytest.approx(7.9882, abs=5e-5)
    assert res.loc[0, "df"] == 2
    assert res.loc[0, "pvalue"] == pytest.approx(0.01842, abs=5e-6)


def test_kruskal_wallis_closed_form_with_ties():
    samples = _split(OWN, "score", "age")
    ranks = stats.rankdata(np.concatenate(samples))
    bounds = np.cumsum([0] + [len(s) for s in samples])
    total = len(ranks)
    h = 12 / (total * (total + 1)) * sum(
        ranks[bounds[i] : bounds[i + 1]].sum() ** 2 / len(samples[i]) for i in range(len(samples))
    ) - 3 * (total + 1)
    _, t = np.unique(ranks, return_counts=True)
    h /= 1 - (t**3 - t).sum() / (total**3 - total)
    res = g.kruskal_wallis(OWN, "score", "age")
    assert res.loc[0, "statistic"] == pytest.approx(h, abs=1e-10)
    assert res.loc[0, "pvalue"] == pytest.approx(stats.chi2.sf(h, len(samples) - 1), abs=1e-12)


def test_dunn_matches_fsa_plantgrowth():
    res = g.dunn_test(PLANT, "weight", "group", p_adjust="holm")
    # FSA::dunnTest(weight ~ group, data = PlantGrowth, method = "holm") prints
    #   ctrl - trt1 Z = 1.117725, ctrl - trt2 Z = -1.689290, trt1 - trt2 Z = -2.807015,
    #   P.unadj 0.26368 0.09116 0.00500, P.adj 0.26368 0.18233 0.01500.
    # Our pairs are (a, b) with b - a, so the signs flip.
    np.testing.assert_allclose(res["z"], [-1.117725, 1.689290, 2.807015], atol=5e-7)
    np.testing.assert_allclose(res["pvalue"], [0.26368, 0.09116, 0.00500], atol=5e-6)
    np.testing.assert_allclose(res["pvalue_adj"], [0.26368, 0.18233, 0.01500], atol=5e-6)


def test_dunn_closed_form_with_ties_and_bonferroni():
    samples = _split(OWN, "score", "age")
    pooled = np.concatenate(samples)
    total = len(pooled)
    ranks = pd.Series(pooled).rank().to_numpy()  # average ranks for ties
    counts = pd.Series(pooled).value_counts().to_numpy()
    tie = (counts**3 - counts).sum() / (12 * (total - 1))
    start = np.cumsum([0] + [len(s) for s in samples])
    mean_rank = [ranks[start[i] : start[i + 1]].mean() for i in range(len(samples))]
    res = g.dunn_test(OWN, "score", "age")
    pairs = list(itertools.combinations(range(len(samples)), 2))
    for row, (a, b) in enumerate(pairs):
        se = math.sqrt(
            (total * (total + 1) / 12 - tie) * (1 / len(samples[a]) + 1 / len(samples[b]))
        )
        z = (mean_rank[b] - mean_rank[a]) / se
        p = 2 * stats.norm.sf(abs(z))
        assert res.loc[row, "z"] == pytest.approx(z, abs=1e-12)
        assert res.loc[row, "pvalue_adj"] == pytest.approx(min(1.0, p * len(pairs)), abs=1e-12)


# ----------------------------------------------------------------------------- chi-square


def test_chi2_matches_r_example_and_cramers_v():
    # chisq.test(as.table(rbind(c(762, 327, 468), c(484, 239, 477)))) (R's ?chisq.test, Agresti 2007):
    #   X-squared = 30.07, df = 2, p-value = 2.954e-07
    table = {
        ("F", "Democrat"): 762,
        ("F", "Independent"): 327,
        ("F", "Republican"): 468,
        ("M", "Democrat"): 484,
        ("M", "Independent"): 239,
        ("M", "Republican"): 477,
    }
    data = pd.DataFrame(
        [k for k, c in table.items() for _ in range(c)], columns=["gender", "party"]
    )
    res = g.chi2_independence(data, "gender", "party")
    assert res.loc[0, "chi2"] == pytest.approx(30.07, abs=5e-3)
    assert res.loc[0, "df"] == 2
    assert res.loc[0, "pvalue"] == pytest.approx(2.954e-07, abs=5e-11)
    observed = np.array([[762, 327, 468], [484, 239, 477]], float)
    expected = observed.sum(1, keepdims=True) * observed.sum(0) / observed.sum()
    chi2 = ((observed - expected) ** 2 / expected).sum()
    assert res.loc[0, "chi2"] == pytest.approx(chi2, abs=1e-10)
    assert res.loc[0, "cramers_v"] == pytest.approx(math.sqrt(chi2 / observed.sum()), abs=1e-12)
    assert not res.loc[0, "expected_warning"]


def test_chi2_warns_on_small_expected_counts_without_yates():
    data = pd.DataFrame({"sex": [1] * 6 + [2] * 6, "buy": [1, 1, 1, 1, 1, 2] + [1, 2, 2, 2, 2, 2]})
    with pytest.warns(g.SmallExpectedCountWarning, match="expected counts below 5"):
        res = g.chi2_independence(data, "sex", "buy")
    assert res.loc[0, "expected_warning"]
    assert res.loc[0, "cells_below"] == 4
    # Pearson chi-square of [[5, 1], [1, 5]], no continuity correction: 12 * (25 - 1)^2 / 6^4
    assert res.loc[0, "chi2"] == pytest.approx(12 * 24**2 / 6**4, abs=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g.chi2_independence(pd.DataFrame({"a": [1, 2] * 20, "b": [1, 1, 2, 2] * 10}), "a", "b")


# ----------------------------------------------------------------------------- the set


def test_compare_groups_t_kind_and_signs():
    res = g.compare_groups(SLEEP, "extra", "group", labels={1: "药物一", 2: "药物二"})
    assert res.kind == "t" and res.n == 20
    assert res.groups["label"].tolist() == ["药物一", "药物二"]
    assert res.tests.loc["student", "mean_diff"] < 0 and res.effect_size.loc[0, "d"] < 0
    assert res.main_test == "student" and res.posthoc is None
    assert "<h4>" in res._repr_html_()


def test_compare_groups_anova_recommends_games_howell_when_levene_rejects():
    data = pd.DataFrame(
        {
            "g": [1] * 8 + [2] * 8 + [3] * 8,
            "y": [
                3.0,
                3.1,
                2.9,
                3.0,
                3.1,
                2.9,
                3.0,
                3.0,
                1,
                5,
                2,
                6,
                1,
                5,
                2,
                6,
                4.0,
                4.1,
                3.9,
                4.0,
                4.2,
                3.8,
                4.0,
                4.0,
            ],
        }
    )
    res = g.compare_groups(data, "y", "g", posthoc_method="tukey")
    assert not res.equal_variances
    assert res.recommended_posthoc == "games-howell" and res.posthoc_method == "tukey"
    assert res.main_test == "welch"
    auto = g.compare_groups(data, "y", "g", posthoc_method="auto")
    assert auto.posthoc_method == "games-howell"
    plant = g.compare_groups(PLANT, "weight", "group", posthoc_method="auto")
    assert plant.equal_variances and plant.posthoc_method == "tukey"
    assert plant.significant_pairs() == [("trt2", "trt1")]


def test_unknown_posthoc_method_is_an_input_error():
    with pytest.raises(InputError, match="unknown post-hoc method"):
        g.posthoc(PLANT, "weight", "group", method="duncan")
