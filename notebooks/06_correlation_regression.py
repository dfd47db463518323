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
# 对角线放 √AVE，以便同时看区分效度。回归分析：分层回归，第一层放入控制变量（性别、年龄、
# 学历、收入、加入社群时长），第二层放入自变量（品牌、文化、促销、公共关系因素），
# 报告 β、t、VIF、R² 与 ΔR²。
#
# Correlations: mean, SD and Pearson correlations (with stars) of the construct
# scores (item means), with √AVE on the diagonal so discriminant validity can be
# read at the same time. Regression: hierarchical, the controls (gender, age,
# education, income, tenure) in step 1 and the predictors (brand, culture,
# promotion, public relations) in step 2, reporting β, t, VIF, R² and ΔR².
#
# Files written · 写出的文件:
# - `paper/tables/06_correlation.tex`, `.docx`; `paper/text/06_correlation.tex`
# - `paper/figures/06_heatmap.pdf`, `.png`
# - `paper/tables/06_regression.tex`, `.docx`; `paper/text/06_regression.tex`
# - `paper/results/06_correlation_regression.json`

# %%
import json

import pandas as pd
from IPython.display import display

from sqresearch.constructs import get_framework
from sqresearch.model.correlation import correlation_table
from sqresearch.model.groups import scale_scores
from sqresearch.model.regression import hierarchical_regression
from sqresearch.report import text as report_text
from sqresearch.report import thesis_tables
from sqresearch.report.figures import correlation_heatmap
from sqresearch.report.labels import construct_label
from sqresearch.study import load_study

study = load_study()
lang = study.language
framework = get_framework(study.framework)
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
scores = pd.concat([data[framework.controls], scale_scores(data, framework.blocks())], axis=1)
constructs = list(framework.blocks())

# %% [markdown]
# ## 相关分析 · Correlations
#
# √AVE 取自 04 笔记本的 CFA 结果（`paper/results/04_cfa.json`）。
#
# √AVE comes from notebook 04's CFA (`paper/results/04_cfa.json`).

# %%
cfa_results = json.loads((study.results / "04_cfa.json").read_text(encoding="utf-8"))
sqrt_ave = pd.Series({row["factor"]: row["sqrt_ave"] for row in cfa_results["validity"]})
correlations = correlation_table(scores, constructs, diagonal=sqrt_ave.reindex(constructs))
correlation_tab = thesis_tables.correlation_table(correlations, lang=lang)
correlation_tab.label = "tab:06_correlation"
study.save_table(correlation_tab, "06_correlation")
study.save_text(report_text.correlation_text(correlations, lang=lang), "06_correlation")
display(correlation_tab)

# %%
labels = {code: construct_label(code, lang) for code in constructs}
heatmap = correlation_heatmap(
    correlation_table(scores, constructs).matrix("r"),
    correlations.matrix("pvalue"),
    labels=labels,
    lang=lang,
)
study.save_figure(heatmap, "06_heatmap")

# %% [markdown]
# ## 分层回归 · Hierarchical regression
#
# 因变量为购买意愿（PIN）。人口统计变量按其等级编码进入模型。
#
# The outcome is purchase intention (PIN); demographics enter with their ordinal codes.

# %%
regression_hypotheses = [h for h in framework.hypotheses if h.kind == "regression"]
outcome = regression_hypotheses[0].lhs
predictors = [h.rhs for h in regression_hypotheses]
regression = hierarchical_regression(
    scores, outcome, {"controls": framework.controls, "predictors": predictors}
)
regression_tab = thesis_tables.regression_table(regression, stats=("beta", "t", "vif"), lang=lang)
regression_tab.label = "tab:06_regression"
study.save_table(regression_tab, "06_regression")
study.save_text(report_text.regression_text(regression, lang=lang), "06_regression")
display(regression_tab)

# %%
study.save_results(
    {
        "descriptives": correlations.descriptives.reset_index().to_dict("records"),
        "correlations": correlations.pairs.to_dict("records"),
        "regression": {
            "y": regression.y,
            "n": regression.n,
            "steps": regression.steps.to_dict("records"),
            "coefficients": regression.coefficients.to_dict("records"),
        },
    },
    "06_correlation_regression",
)
