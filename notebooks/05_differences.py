# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 差异分析 · Difference analysis
#
# 差异分析回答：各构念的得分是否因性别、年龄、加入社群时长而不同？两组用独立样本 t 检验
# （先看 Levene 方差齐性检验，方差不齐时读 Welch 行），三组及以上用单因素方差分析，
# 显著时做事后多重比较（方差不齐时用 Games–Howell）。构念得分为其题项的均值。
# 在潜变量层面比较组间均值之前，还应检验测量不变性（构形、度量、标量、严格）。
#
# The difference analysis asks whether the construct scores differ by gender,
# age band and membership tenure: an independent-samples t-test for two groups
# (read Levene's test first, and the Welch row when variances differ), one-way
# ANOVA for more, with post-hoc comparisons when it is significant
# (Games–Howell when variances differ). A score is the mean of its items.
# Before latent means are compared, measurement invariance (configural, metric,
# scalar, strict) should hold.
#
# Files written · 写出的文件:
# - `paper/tables/05_diff_GENDER.tex`, `05_diff_AGE.tex`, `05_diff_TENURE.tex` (and `.docx`)
# - `paper/text/05_diff_GENDER.tex`, `05_diff_AGE.tex`, `05_diff_TENURE.tex`
# - `paper/results/05_differences.json`

# %%
import pandas as pd

from sqresearch.constructs import get_framework, load_catalogue
from sqresearch.measure.items import reverse_code
from sqresearch.model.groups import compare_all
from sqresearch.report.groups import difference_tables, difference_texts
from sqresearch.study import load_study

study = load_study()
lang = study.language
framework = get_framework(study.framework)
catalogue = load_catalogue()
answered = pd.read_csv(study.processed / "clean.csv")
items = list(framework.items())
points = catalogue.item(items[0]).scale.points
data = reverse_code(answered, framework.reverse_items(), scale_points=points)
by = ["GENDER", "AGE", "TENURE"]

# %% [markdown]
# ## t 检验与方差分析 · t-tests and ANOVA

# %%
comparisons = compare_all(data, framework.blocks(), by)
tables = difference_tables(comparisons, lang=lang)
texts = difference_texts(comparisons, lang=lang)
for column in by:
    tables[column].label = f"tab:05_diff_{column}"
    study.save_table(tables[column], f"05_diff_{column}")
    study.save_text(texts[column], f"05_diff_{column}")
tables["GENDER"]

# %%
study.save_results(
    {
        column: [
            {
                "var": result.var,
                "kind": result.kind,
                "groups": result.groups.to_dict("records"),
                "levene": result.levene.to_dict("records"),
                "tests": result.tests.reset_index().to_dict("records"),
                "effect_size": result.effect_size.to_dict("records"),
                "main_test": result.main_test,
                "statistic": result.statistic,
                "pvalue": result.pvalue,
                "significant_pairs": [list(pair) for pair in result.significant_pairs()],
            }
            for result in comparisons[column]
        ]
        for column in by
    },
    "05_differences",
)

# %% [markdown]
# ## 测量不变性 · Measurement invariance
#
# **尚未完成 · Not available yet.** 多组 CFA 的不变性检验（构形 → 度量 → 标量 → 严格，按
# Chen (2007) 的 ΔCFI/ΔRMSEA/ΔSRMR 标准判断）需要 SEM 引擎的 invariance 函数
# （`sqresearch.model` 中尚不存在）。该函数加入后，本节将按性别（GENDER）检验测量模型的
# 不变性，并写出 `paper/tables/05_invariance.tex` 与 `paper/text/05_invariance.tex`。
#
# The multi-group invariance sequence (configural → metric → scalar → strict,
# judged by Chen's 2007 ΔCFI/ΔRMSEA/ΔSRMR rules) needs the SEM engine's
# invariance function, which `sqresearch.model` does not have yet. Once it
# lands, this section tests the measurement model's invariance by GENDER and
# writes `paper/tables/05_invariance.tex` and `paper/text/05_invariance.tex`.
