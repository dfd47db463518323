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
# 模型以 lavaan 语法写出，与 R lavaan / AMOS 的结果可以逐行对照。
#
# The SEM estimates the measurement model and the structural paths together:
# overall fit, standardised paths with stars, R² of the endogenous variables,
# and the indirect effects with bootstrap CIs (an indirect effect has no
# trustworthy normal-theory SE). The model is written in lavaan syntax, so each
# row can be compared with R lavaan or AMOS.
#
# Files written · 写出的文件:
# - `paper/tables/08_fit.tex`, `.docx`; `paper/text/08_fit.tex`
# - `paper/tables/08_paths.tex`, `.docx`; `paper/text/08_paths.tex`
# - `paper/tables/08_indirect.tex`, `.docx`
# - `paper/figures/08_sem.pdf`, `.png`
# - `paper/results/08_sem.json`

# %%
from IPython.display import display

from sqresearch.constructs import get_framework
from sqresearch.sem.fit import bootstrap_sem, fit_sem
from sqresearch.report import text as report_text
from sqresearch.report import thesis_tables
from sqresearch.report.diagrams import sem_path_diagram
from sqresearch.study import load_study

study = load_study()
lang = study.language
framework = get_framework(study.framework)
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)

# %% [markdown]
# ## 模型与拟合 · Model and fit

# %%
model = framework.model_syntax()
print(model)
sem = fit_sem(model, data)
fit_tab = thesis_tables.fit_table(sem.fit, lang=lang)
fit_tab.label = "tab:08_fit"
study.save_table(fit_tab, "08_fit")
study.save_text(report_text.fit_text(sem.fit, lang=lang), "08_fit")
display(fit_tab)

# %% [markdown]
# ## 路径系数 · Structural paths

# %%
paths_tab = thesis_tables.sem_paths_table(sem.estimates, sem.r2, lang=lang)
paths_tab.label = "tab:08_paths"
study.save_table(paths_tab, "08_paths")
study.save_text(report_text.sem_paths_text(sem.estimates, lang=lang), "08_paths")
display(paths_tab)

# %% [markdown]
# ## 间接效应的自助法置信区间 · Bootstrap CIs of the indirect effects
#
# 自助抽样次数 `sem_bootstrap` 与种子 `seed` 来自 `study.yaml`；报告百分位区间。
#
# Resamples (`sem_bootstrap`) and seed from `study.yaml`; percentile intervals.

# %%
boot = bootstrap_sem(model, data, n_boot=study.sem_bootstrap, seed=study.seed, progress=False)
indirect_tab = thesis_tables.sem_indirect_table(boot.table, n_boot=boot.n_boot, lang=lang)
indirect_tab.label = "tab:08_indirect"
study.save_text(
    report_text.sem_indirect_text(boot.table, n_boot=boot.n_boot, lang=lang), "08_indirect"
)
study.save_table(indirect_tab, "08_indirect")
display(indirect_tab)

# %% [markdown]
# ## 路径图 · Path diagram

# %%
study.save_figure(
    sem_path_diagram(sem.estimates, sem.r2, latent=framework.sem_constructs(), lang=lang), "08_sem"
)

# %%
study.save_results(
    {
        "n": sem.n,
        "converged": sem.converged,
        "fit": sem.fit,
        "r2": sem.r2.to_dict(),
        "estimates": sem.estimates.to_dict("records"),
        "bootstrap": {
            "n_boot": boot.n_boot,
            "n_failed": boot.n_failed,
            "seed": boot.seed,
            "level": boot.level,
            "table": boot.table.to_dict("records"),
        },
    },
    "08_sem",
)
