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
# # 08 结构方程模型 · Structural equation model
#
# 结构方程模型同时估计测量模型与结构路径：报告整体拟合、标准化路径系数（带星号）、内生变量
# 的 R²，以及间接效应与其自助法置信区间（间接效应没有可靠的正态标准误，因此用 bootstrap）。
# 模型由 `instrument.yaml` 的路径与中介假设生成，以 lavaan 语法写出，与 R lavaan / AMOS 的
# 结果可以逐行对照。
#
# The SEM estimates the measurement model and the structural paths together:
# overall fit, standardised paths with stars, R² of the endogenous variables,
# and the indirect effects with bootstrap CIs (an indirect effect has no
# trustworthy normal-theory SE). The model is generated from the path and
# mediation hypotheses of `instrument.yaml` in lavaan syntax, so each row can
# be compared with R lavaan or AMOS.
#
# Files read · 读入的文件:
# - `study.yaml`, `instrument.yaml` (the questionnaire: constructs, items, demographics)
# - `instrument.yaml#hypotheses` (the hypotheses)
# - `data/processed/` (from 01)
#
# Files written · 写出的文件:
# - `paper/tables/08_fit.tex`, `.docx`; `paper/text/08_fit.tex`
# - `paper/tables/08_paths.tex`, `.docx`; `paper/text/08_paths.tex`
# - `paper/tables/08_indirect.tex`, `.docx`; `paper/text/08_indirect.tex` (with mediation hypotheses)
# - `paper/figures/08_sem.pdf`, `.png`
# - `paper/results/08_sem.json`
# - `paper/chapter/08.json`

# %%
from IPython.display import display

from sqresearch.report import text as report_text
from sqresearch.report import thesis_tables
from sqresearch.report.chapter import caption
from sqresearch.report.diagrams import sem_path_diagram
from sqresearch.sem import bootstrap_sem, fit_sem
from sqresearch.study import load_study

study = load_study()
lang = study.language
framework = study.framework
plan = study.plan
chapter = study.chapter("08")
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
model = framework.model_syntax()
results = {}

# %% [markdown]
# ## 模型、拟合与路径系数 · Model, fit and structural paths

# %%
if plan.runs("sem"):
    chapter.section("sem")
    print(model)
    sem = fit_sem(model, data)
    study.save_text(report_text.fit_text(sem.fit, lang=lang), "08_fit")
    fit_tab = thesis_tables.fit_table(sem.fit, lang=lang)
    study.save_table(fit_tab, "08_fit")
    display(fit_tab)
    study.save_text(report_text.sem_paths_text(sem.estimates, lang=lang), "08_paths")
    paths_tab = thesis_tables.sem_paths_table(sem.estimates, sem.r2, lang=lang)
    study.save_table(paths_tab, "08_paths")
    display(paths_tab)
    results.update(
        n=sem.n, converged=sem.converged, fit=sem.fit, r2=sem.r2.to_dict(),
        estimates=sem.estimates.to_dict("records"),
    )  # fmt: skip
else:
    print(plan.why("sem"))

# %% [markdown]
# ## 间接效应的自助法置信区间 · Bootstrap CIs of the indirect effects
#
# 自助抽样次数 `sem_bootstrap` 与种子 `seed` 来自 `study.yaml`；报告百分位区间。
#
# Resamples (`sem_bootstrap`) and seed from `study.yaml`; percentile intervals.

# %%
if plan.runs("sem") and ":=" in model:
    boot = bootstrap_sem(model, data, n_boot=study.sem_bootstrap, seed=study.seed, progress=False)
    study.save_text(
        report_text.sem_indirect_text(boot.table, n_boot=boot.n_boot, lang=lang), "08_indirect"
    )
    indirect_tab = thesis_tables.sem_indirect_table(boot.table, n_boot=boot.n_boot, lang=lang)
    study.save_table(indirect_tab, "08_indirect")
    display(indirect_tab)
    results["bootstrap"] = {
        "n_boot": boot.n_boot,
        "n_failed": boot.n_failed,
        "seed": boot.seed,
        "level": boot.level,
        "table": boot.table.to_dict("records"),
    }

# %% [markdown]
# ## 路径图 · Path diagram

# %%
if plan.runs("sem"):
    diagram = sem_path_diagram(sem.estimates, sem.r2, latent=framework.latent(), lang=lang)
    study.save_figure(diagram, "08_sem", caption=caption("sem", lang))

# %%
study.save_results(results, "08_sem")
