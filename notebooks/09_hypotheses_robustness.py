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
# # 09 假设检验汇总与稳健性检验 · Hypothesis summary and robustness
#
# 实证章以假设检验汇总表收尾：每个假设（H1…Hn）的估计值、置信区间或 p 值，以及“支持 /
# 不支持”的结论。路径假设取结构方程模型（08），中介假设取其自助法置信区间，调节假设取
# PROCESS 模型 1 的交互项（07），回归假设取分层回归的最后一步（06）。稳健性检验：不剔除
# 粗心作答者（只保留甄别题与重复提交两条规则）重新估计结构方程模型，看结论是否改变。
#
# The chapter closes with the hypothesis summary: each hypothesis's estimate, CI
# or p, and whether it is supported. Path hypotheses come from the SEM (08),
# mediation hypotheses from its bootstrap CIs, moderation hypotheses from the
# PROCESS model 1 interaction (07), regression hypotheses from the last step of
# the hierarchical regression (06). Robustness: the SEM re-estimated without
# excluding careless respondents (only the screening and duplicate rules kept),
# to see whether any conclusion changes.
#
# Files written · 写出的文件:
# - `paper/tables/09_hypotheses.tex`, `.docx`; `paper/text/09_hypotheses.tex`
# - `paper/tables/09_robustness.tex`, `.docx`; `paper/text/09_discussion.tex`
# - `paper/results/09_hypotheses_robustness.json`

# %%
import json
import warnings

import pandas as pd
from IPython.display import display

from sqresearch.clean.pipeline import CleaningWarning, clean_survey
from sqresearch.constructs import get_framework
from sqresearch.model.groups import scale_scores
from sqresearch.model.hypotheses import (
    estimates_from_process,
    estimates_from_regression,
    estimates_from_sem,
    hypothesis_summary,
)
from sqresearch.model.process import process
from sqresearch.model.regression import hierarchical_regression
from sqresearch.sem.fit import fit_sem
from sqresearch.report import text as report_text
from sqresearch.report import thesis_tables
from sqresearch.study import load_study

study = load_study()
lang = study.language
framework = get_framework(study.framework)
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
scores = scale_scores(data, framework.blocks())
scores = pd.concat([data[framework.controls], scores], axis=1)

# %% [markdown]
# ## 各来源的估计值 · Estimates from each analysis
#
# 结构方程模型及其自助法区间读自 `paper/results/08_sem.json`（自助法耗时，不重复计算）；
# 回归与 PROCESS 模型 1 的系数很快，直接重新估计。
#
# The SEM and its bootstrap intervals are read from `paper/results/08_sem.json`
# (the bootstrap is slow and is not repeated); the regression and PROCESS model 1
# coefficients are quick and are re-estimated.

# %%
sem_results = json.loads((study.results / "08_sem.json").read_text(encoding="utf-8"))
sem_estimates = pd.DataFrame(sem_results["estimates"])
boot = pd.DataFrame(sem_results["bootstrap"]["table"])
defined = boot.loc[boot["op"] == ":=", ["lhs", "op", "rhs", "ci_lower", "ci_upper"]]
sem_estimates = sem_estimates.merge(defined, on=["lhs", "op", "rhs"], how="left")

regression_hypotheses = [h for h in framework.hypotheses if h.kind == "regression"]
regression = hierarchical_regression(
    scores,
    regression_hypotheses[0].lhs,
    {"controls": framework.controls, "predictors": [h.rhs for h in regression_hypotheses]},
)
moderations = [
    process(scores, 1, x=h.rhs, y=h.lhs, w=h.w, boot=study.bootstrap, seed=study.seed)
    for h in framework.hypotheses
    if h.kind == "moderation"
]
estimates = pd.concat(
    [
        estimates_from_sem(sem_estimates),
        estimates_from_regression(regression),
        *(estimates_from_process(m) for m in moderations),
    ],
    ignore_index=True,
)

# %% [markdown]
# ## 假设检验汇总 · Hypothesis summary

# %%
summary = hypothesis_summary(framework.hypotheses, estimates)
hypotheses_tab = thesis_tables.hypotheses_table(summary, framework.hypotheses, lang=lang)
hypotheses_tab.label = "tab:09_hypotheses"
study.save_table(hypotheses_tab, "09_hypotheses")
study.save_text(report_text.hypotheses_text(summary, lang=lang), "09_hypotheses")
display(hypotheses_tab)

# %% [markdown]
# ## 稳健性检验 · Robustness check
#
# 关闭注意力检测、作答过快、直线作答等粗心作答规则后重新清洗（在内存中，不写文件），
# 再估计同一个结构方程模型。
#
# The raw export is cleaned again in memory with the careless-response rules
# off (attention, speeders, straight-lining), and the same SEM is re-estimated.

# %%
off = {rule: "off" for rule in ("attention", "speeder", "longstring", "irv", "mahalanobis")}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", CleaningWarning)
    lenient = clean_survey(study.raw, study.codebook, rules=off)
lenient_data = study.analysis_data(lenient.data)
robust = fit_sem(framework.model_syntax(), lenient_data)

robustness_tab = thesis_tables.robustness_table(
    sem_estimates, robust.estimates, n_main=sem_results["n"], n_robust=robust.n, lang=lang
)
robustness_tab.label = "tab:09_robustness"
study.save_table(robustness_tab, "09_robustness")
display(robustness_tab)

# %% [markdown]
# ## 讨论 · Discussion
#
# 讨论段落由上面的数字生成：支持与不支持的假设，以及稳健性检验中显著性结论是否改变。
#
# The discussion paragraph is generated from the numbers above: which hypotheses
# hold, and whether any path changes its significance in the robustness check.

# %%
discussion = report_text.discussion_text(
    summary, sem_estimates, robust.estimates, n_robust=robust.n, lang=lang
)
study.save_text(discussion, "09_discussion")
study.save_results(
    {
        "summary": summary.to_dict("records"),
        "estimates": estimates.to_dict("records"),
        "robustness": {
            "n": robust.n,
            "fit": robust.fit,
            "estimates": robust.estimates.to_dict("records"),
            "changed": report_text.robustness_changes(sem_estimates, robust.estimates, lang=lang),
        },
    },
    "09_hypotheses_robustness",
)
print(discussion)
