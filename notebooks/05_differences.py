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
# - `paper/tables/05_invariance.tex`, `.docx`; `paper/text/05_invariance.tex`
# - `paper/results/05_differences.json`

# %%
from IPython.display import display

from sqresearch.constructs import get_framework
from sqresearch.model.groups import compare_all
from sqresearch.sem.invariance import measurement_invariance
from sqresearch.report.groups import difference_tables, difference_texts
from sqresearch.report.invariance import invariance_table, invariance_text
from sqresearch.study import load_study

study = load_study()
lang = study.language
framework = get_framework(study.framework)
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
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
display(tables["GENDER"])


# %% [markdown]
# ## 测量不变性 · Measurement invariance
#
# 多组 CFA：构形 → 度量（载荷相等）→ 标量（再加截距相等）→ 严格（再加残差相等），每一步与
# 上一步比较 Δχ²、ΔCFI、ΔRMSEA、ΔSRMR，按 Chen (2007) 的标准判断（阈值见
# `sqresearch/thresholds.py`）。这里检验结构方程模型所用构念的测量模型在男女之间是否等价；
# 标量不变性成立时，才能比较潜变量均值。
#
# Multi-group CFA: configural → metric (equal loadings) → scalar (and equal
# intercepts) → strict (and equal residuals), each step compared with the
# previous one by Δχ², ΔCFI, ΔRMSEA and ΔSRMR and judged by Chen's (2007)
# cut-offs (kept in `sqresearch/thresholds.py`). The measurement model of the
# SEM's constructs is tested across gender; latent means may be compared only
# when scalar invariance holds.

# %%
invariance = measurement_invariance(
    framework.measurement_syntax(framework.sem_constructs()), data, "GENDER"
)
invariance_tab = invariance_table(invariance, "GENDER", lang=lang)
invariance_tab.label = "tab:05_invariance"
study.save_table(invariance_tab, "05_invariance")
study.save_text(invariance_text(invariance, "GENDER", lang=lang), "05_invariance")
display(invariance_tab)

# %%
study.save_results(
    {
        "differences": {
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
        "invariance": {
            "model": framework.measurement_syntax(framework.sem_constructs()),
            "groups": [int(g) for g in invariance.groups],
            "group_sizes": {str(g): int(n) for g, n in invariance.group_sizes.items()},
            "steps": invariance.steps.reset_index().to_dict("records"),
            "latent_means": None
            if invariance.latent_means is None
            else invariance.latent_means.to_dict("records"),
        },
    },
    "05_differences",
)
