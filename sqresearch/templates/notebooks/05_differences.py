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
# 差异分析回答：各构念的得分是否因人口统计变量（`instrument.yaml` 的 `groups`）而不同？
# 两组用独立样本 t 检验（先看 Levene 方差齐性检验，方差不齐时读 Welch 行），三组及以上用
# 单因素方差分析，显著时做事后多重比较（方差不齐时用 Games–Howell）。构念得分为其题项的均值。
# 在潜变量层面比较组间均值之前，还应检验测量不变性（构形、度量、标量、严格）。
#
# The difference analysis asks whether the construct scores differ across the
# groups of each grouping demographic (`groups` in `instrument.yaml`): an
# independent-samples t-test for two groups (read Levene's test first, and the
# Welch row when variances differ), one-way ANOVA for more, with post-hoc
# comparisons when it is significant (Games–Howell when variances differ). A
# score is the mean of its items. Before latent means are compared,
# measurement invariance (configural, metric, scalar, strict) should hold.
#
# Files read · 读入的文件:
# - `study.yaml`, `instrument.yaml` (the questionnaire: constructs, items, demographics)
# - `data/processed/` (from 01)
#
# Files written · 写出的文件:
# - `paper/tables/05_diff_<GROUP>.tex`, `.docx` and `paper/text/05_diff_<GROUP>.tex`, one per grouping demographic
# - `paper/tables/05_invariance.tex`, `.docx`; `paper/text/05_invariance.tex` (when `invariance` is named)
# - `paper/results/05_differences.json`
# - `paper/chapter/05.json`

# %%
from IPython.display import display

from sqresearch.errors import ModelError
from sqresearch.model.groups import compare_all
from sqresearch.report.groups import difference_heading, difference_tables, difference_texts
from sqresearch.report.invariance import invariance_table, invariance_text
from sqresearch.sem.invariance import measurement_invariance
from sqresearch.study import load_study

study = load_study()
framework = study.framework
plan = study.plan
chapter = study.chapter("05")
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
results = {}
if plan.runs("differences") or plan.runs("invariance"):
    chapter.section("differences")

# %% [markdown]
# ## t 检验与方差分析 · t-tests and ANOVA

# %%
if plan.runs("differences"):
    chapter.note("differences")
    comparisons = compare_all(data, framework.blocks(), framework.groups)
    tables = difference_tables(comparisons)
    texts = difference_texts(comparisons)
    for column in framework.groups:
        chapter.subsection(title=difference_heading(column))
        study.save_text(texts[column], f"05_diff_{column}")
        study.save_table(tables[column], f"05_diff_{column}")
        display(tables[column])
    results["differences"] = {column: comparisons[column].to_dict() for column in framework.groups}
else:
    print(plan.why("differences"))

# %% [markdown]
# ## 测量不变性 · Measurement invariance
#
# 多组 CFA：构形 → 度量（载荷相等）→ 标量（再加截距相等）→ 严格（再加残差相等），每一步与
# 上一步比较 Δχ²、ΔCFI、ΔRMSEA、ΔSRMR，按 Chen (2007) 的标准判断（阈值见
# `sqresearch/thresholds.py`）。检验结构方程模型所用构念（没有结构模型时为全部构念）的测量
# 模型在 `invariance` 指定的各组之间是否等价；标量不变性成立时，才能比较潜变量均值。
#
# Multi-group CFA: configural → metric (equal loadings) → scalar (and equal
# intercepts) → strict (and equal residuals), each step compared with the
# previous one by Δχ², ΔCFI, ΔRMSEA and ΔSRMR and judged by Chen's (2007)
# cut-offs (kept in `sqresearch/thresholds.py`). The measurement model of the
# SEM's constructs (all constructs without a structural model) is tested
# across the groups of `invariance`; latent means may be compared only when
# scalar invariance holds.

# %%
if plan.runs("invariance"):
    model = framework.measurement_syntax(framework.invariance_constructs())
    try:
        invariance = measurement_invariance(model, data, framework.invariance)
    except ModelError as exc:  # e.g. one group only, or a group too small to fit
        invariance = None
        print(f"measurement invariance not estimable: {exc}")
if plan.runs("invariance") and invariance is not None:
    chapter.subsection("invariance")
    study.save_text(invariance_text(invariance, framework.invariance), "05_invariance")
    invariance_tab = invariance_table(invariance, framework.invariance)
    study.save_table(invariance_tab, "05_invariance")
    display(invariance_tab)
    results["invariance"] = {"by": framework.invariance, "model": model, **invariance.to_dict()}
elif not plan.runs("invariance"):
    print(plan.why("invariance"))

# %%
study.save_results(results, "05_differences")
