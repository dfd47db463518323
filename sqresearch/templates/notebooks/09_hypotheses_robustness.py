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
# 实证章以假设检验汇总表收尾：每个假设的估计值、置信区间或 p 值，以及“支持 / 不支持”的
# 结论。路径与中介假设取结构方程模型（08）及其自助法置信区间，调节假设取 PROCESS 模型 1 的
# 交互项，有调节的中介取其指数的置信区间，回归假设取分层回归的最后一步，差异假设取 t 检验 /
# 方差分析。稳健性检验：不剔除粗心作答者（只保留甄别题与重复提交两条规则）重新估计结构
# 方程模型，看结论是否改变。
#
# The chapter closes with the hypothesis summary: each hypothesis's estimate, CI
# or p, and whether it is supported. Path and mediation hypotheses come from
# the SEM (08) and its bootstrap CIs, moderation hypotheses from the PROCESS
# model 1 interaction, moderated mediation from the CI of its index,
# regression hypotheses from the last step of the hierarchical regression,
# difference hypotheses from the t-test / ANOVA. Robustness: the SEM
# re-estimated without excluding careless respondents (only the screening and
# duplicate rules kept), to see whether any conclusion changes.
#
# Files read · 读入的文件:
# - `study.yaml`, `instrument.yaml` (the questionnaire: constructs, items, demographics)
# - `instrument.yaml#hypotheses` (the hypotheses)
# - `data/processed/` (from 01)
# - `data.raw`, `data.codebook` (robustness: the lenient cleaning)
# - `paper/results/08_sem.json` (from 08)
#
# Files written · 写出的文件:
# - `paper/tables/09_hypotheses.tex`, `.docx`; `paper/text/09_hypotheses.tex`
# - `paper/tables/09_robustness.tex`, `.docx`; `paper/text/09_discussion.tex`
# - `paper/results/09_hypotheses_robustness.json`
# - `paper/chapter/09.json`

# %%
import json
import warnings

import pandas as pd
from IPython.display import display

from sqresearch.clean.pipeline import CleaningWarning, clean_survey
from sqresearch.model.groups import compare_all, scale_scores
from sqresearch.model.hypotheses import (
    estimates_from_comparisons,
    estimates_from_process,
    estimates_from_regression,
    estimates_from_sem,
    hypothesis_summary,
)
from sqresearch.model.process import process
from sqresearch.model.regression import hierarchical_regression
from sqresearch.plan import conditional_processes
from sqresearch.report import hypotheses as report_hypotheses
from sqresearch.report import sem as report_sem
from sqresearch.sem import fit_sem
from sqresearch.study import load_study

study = load_study()
framework = study.framework
plan = study.plan
chapter = study.chapter("09")
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
scores = pd.concat([data[framework.controls], scale_scores(data, framework.score_blocks())], axis=1)
hypotheses = framework.hypotheses

# %% [markdown]
# ## 各来源的估计值 · Estimates from each analysis
#
# 结构方程模型及其自助法区间读自 `paper/results/08_sem.json`（自助法耗时，不重复计算）；
# 回归、PROCESS 与差异检验很快，直接重新估计。
#
# The SEM and its bootstrap intervals are read from `paper/results/08_sem.json`
# (the bootstrap is slow and is not repeated); the regressions, PROCESS models
# and group tests are quick and are re-estimated.

# %%
parts = []
sem_estimates = None
if plan.runs("sem"):
    sem_results = json.loads((study.results / "08_sem.json").read_text(encoding="utf-8"))
    sem_estimates = pd.DataFrame(sem_results["estimates"])
    if "bootstrap" in sem_results:
        boot = pd.DataFrame(sem_results["bootstrap"]["table"])
        defined = boot.loc[boot["op"] == ":=", ["lhs", "op", "rhs", "ci_lower", "ci_upper"]]
        sem_estimates = sem_estimates.merge(defined, on=["lhs", "op", "rhs"], how="left")
    parts.append(estimates_from_sem(sem_estimates))
if plan.runs("pls"):
    pls_results = json.loads((study.results / "08_sem.json").read_text(encoding="utf-8"))
    parts.append(pd.DataFrame(pls_results["pls_estimates"]))
outcomes = {h.lhs: [] for h in hypotheses if h.kind == "regression"}
for h in (h for h in hypotheses if h.kind == "regression"):
    outcomes[h.lhs].append(h.rhs)
for outcome, predictors in outcomes.items():
    steps = {"controls": framework.controls, "predictors": predictors}
    parts.append(estimates_from_regression(
        hierarchical_regression(scores, outcome, {k: v for k, v in steps.items() if v})
    ))  # fmt: skip
for h in (h for h in hypotheses if h.kind == "moderation"):
    moderation = process(scores, 1, x=h.rhs, y=h.lhs, w=h.w, n_boot=study.bootstrap, seed=study.seed)
    parts.append(estimates_from_process(moderation))
for c in (c for c in conditional_processes(framework) if c.hypothesis is not None):
    model = process(scores, c.model, x=c.x, y=c.y, m=c.m, w=c.w, n_boot=study.bootstrap, seed=study.seed)
    parts.append(estimates_from_process(model))
differences = sorted({h.by for h in hypotheses if h.kind == "difference"})
if differences:
    parts.append(estimates_from_comparisons(compare_all(data, framework.blocks(), differences)))
estimates = pd.concat(parts, ignore_index=True)

# %% [markdown]
# ## 假设检验汇总 · Hypothesis summary

# %%
chapter.section("summary")
summary = hypothesis_summary(hypotheses, estimates)
study.save_text(report_hypotheses.hypotheses_text(summary), "09_hypotheses")
hypotheses_tab = report_hypotheses.hypotheses_table(summary, hypotheses)
study.save_table(hypotheses_tab, "09_hypotheses")
display(hypotheses_tab)

# %% [markdown]
# ## 稳健性检验与讨论 · Robustness check and discussion
#
# 关闭注意力检测、作答过快、直线作答等粗心作答规则后重新清洗（在内存中，不写文件），
# 再估计同一个结构方程模型。讨论段落由上面的数字生成：支持与不支持的假设，以及稳健性检验中
# 显著性结论是否改变。
#
# The raw export is cleaned again in memory with the careless-response rules
# off (attention, speeders, straight-lining), and the same SEM is re-estimated.
# The discussion paragraph is generated from the numbers above: which
# hypotheses hold, and whether any path changes its significance.

# %%
chapter.section("discussion")
results = {"summary": summary.to_dict("records"), "estimates": estimates.to_dict("records")}
if plan.runs("robustness"):
    off = {rule: "off" for rule in ("attention", "speeder", "longstring", "irv", "mahalanobis")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CleaningWarning)
        lenient = clean_survey(study.raw, study.codebook, rules=off)
    robust = fit_sem(framework.model_syntax(), study.analysis_data(lenient.data))
    discussion = report_hypotheses.discussion_text(
        summary, sem_estimates, robust.estimates, n_robust=robust.n
    )
    study.save_text(discussion, "09_discussion")
    robustness_tab = report_sem.robustness_table(
        sem_estimates, robust.estimates, n_main=sem_results["n"], n_robust=robust.n
    )
    study.save_table(robustness_tab, "09_robustness")
    display(robustness_tab)
    results["robustness"] = {
        "n": robust.n,
        "fit": robust.fit,
        "estimates": robust.estimates.to_dict("records"),
        "changed": report_sem.robustness_changes(sem_estimates, robust.estimates),
    }
else:
    print(plan.why("robustness"))
    discussion = report_hypotheses.discussion_text(summary)
    study.save_text(discussion, "09_discussion")
study.save_results(results, "09_hypotheses_robustness")
print(discussion)
