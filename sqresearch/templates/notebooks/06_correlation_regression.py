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
# # 06 相关分析与回归分析 · Correlation and regression
#
# 相关分析：各构念得分（题项均值）的均值、标准差与 Pearson 相关系数（带显著性星号），
# 对角线放 √AVE（做了 CFA 时），以便同时看区分效度。回归分析：每个回归假设的因变量一个
# 分层回归，第一层放入控制变量（`instrument.yaml` 的 `controls`），第二层放入自变量，
# 报告 β、t、VIF、R² 与 ΔR²。
#
# Correlations: mean, SD and Pearson correlations (with stars) of the construct
# scores (item means), with √AVE on the diagonal (when a CFA was run) so
# discriminant validity can be read at the same time. Regression: one
# hierarchical regression per outcome of the regression hypotheses, the
# controls (`controls` in `instrument.yaml`) in step 1 and the predictors in
# step 2, reporting β, t, VIF, R² and ΔR².
#
# Files read · 读入的文件:
# - `study.yaml`, `instrument.yaml` (the questionnaire: constructs, items, demographics)
# - `instrument.yaml#hypotheses` (the hypotheses)
# - `data/processed/` (from 01)
# - `paper/results/04_cfa.json` (from 04: √AVE)
#
# Files written · 写出的文件:
# - `paper/tables/06_correlation.tex`, `.docx`; `paper/text/06_correlation.tex`; `paper/figures/06_heatmap.pdf`, `.png`
# - `paper/tables/06_regression_<Y>.tex`, `.docx`; `paper/text/06_regression_<Y>.tex`, one per outcome
# - `paper/results/06_correlation_regression.json`
# - `paper/chapter/06.json`

# %%
import json

import pandas as pd
from IPython.display import display

from sqresearch.model.correlation import correlation_table
from sqresearch.model.groups import scale_scores
from sqresearch.model.regression import hierarchical_regression
from sqresearch.report import correlation as report_correlation
from sqresearch.report import regression as report_regression
from sqresearch.report.chapter import WIDTHS, caption
from sqresearch.report.correlation import correlation_heatmap
from sqresearch.report.labels import construct_label
from sqresearch.study import load_study

study = load_study()
framework = study.framework
plan = study.plan
chapter = study.chapter("06")
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
scores = pd.concat([data[framework.controls], scale_scores(data, framework.score_blocks())], axis=1)
constructs = list(framework.blocks())
results = {}
if plan.runs("correlation") or plan.runs("regression"):
    chapter.section("correlation_regression")

# %% [markdown]
# ## 相关分析 · Correlations
#
# √AVE 取自 04 笔记本的 CFA 结果（`paper/results/04_cfa.json`）。
#
# √AVE comes from notebook 04's CFA (`paper/results/04_cfa.json`).

# %%
if plan.runs("correlation"):
    chapter.subsection("correlation")
    cfa_results = json.loads((study.results / "04_cfa.json").read_text(encoding="utf-8"))
    sqrt_ave = pd.Series({row["factor"]: row["sqrt_ave"] for row in cfa_results.get("validity", [])})
    diagonal = sqrt_ave.reindex(constructs) if not sqrt_ave.empty else None
    correlations = correlation_table(scores, constructs, diagonal=diagonal)
    study.save_text(report_correlation.correlation_text(correlations), "06_correlation")
    correlation_tab = report_correlation.correlation_table(correlations)
    study.save_table(correlation_tab, "06_correlation")
    display(correlation_tab)
    heatmap = correlation_heatmap(
        correlation_table(scores, constructs).matrix("r"),
        correlations.matrix("pvalue"),
        labels={code: construct_label(code) for code in constructs},
    )
    study.save_figure(heatmap, "06_heatmap", caption=caption("heatmap"), width=WIDTHS["heatmap"])
    results.update(correlations.to_dict())  # descriptives, correlations
else:
    print(plan.why("correlation"))

# %% [markdown]
# ## 分层回归 · Hierarchical regression
#
# 人口统计变量按其等级编码进入模型。
#
# Demographics enter with their ordinal codes.

# %%
if plan.runs("regression"):
    chapter.subsection("regression")
    results["regression"] = {}
    outcomes = {h.lhs: [] for h in framework.hypotheses if h.kind == "regression"}
    for h in (h for h in framework.hypotheses if h.kind == "regression"):
        outcomes[h.lhs].append(h.rhs)
    for outcome, predictors in outcomes.items():
        steps = {"controls": framework.controls, "predictors": predictors}
        regression = hierarchical_regression(scores, outcome, {k: v for k, v in steps.items() if v})
        study.save_text(report_regression.regression_text(regression), f"06_regression_{outcome}")
        regression_tab = report_regression.regression_table(regression, stats=("beta", "t", "vif"))
        study.save_table(regression_tab, f"06_regression_{outcome}")
        display(regression_tab)
        results["regression"][outcome] = regression.to_dict()
else:
    print(plan.why("regression"))

# %%
study.save_results(results, "06_correlation_regression")
