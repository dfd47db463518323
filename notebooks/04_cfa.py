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
# # 04 验证性因子分析与共同方法偏差 · CFA and common-method bias
#
# 验证性因子分析（CFA）检验测量模型：先看整体拟合（χ²/df、GFI、AGFI、CFI、TLI、RMSEA、
# SRMR 与各自的标准），再看聚合效度（标准化载荷 ≥ .70 或 .60、组合信度 CR ≥ .70、
# 平均方差抽取量 AVE ≥ .50）和区分效度（Fornell–Larcker 准则：√AVE 大于该构念与其他构念
# 的相关；HTMT < .85）。共同方法偏差：Harman 单因子检验（第一个未旋转成分的方差解释率
# 低于 40%/50%），以及单因子 CFA 与测量模型的 Δχ² 比较。
#
# The CFA tests the measurement model: overall fit first (χ²/df, GFI, AGFI, CFI,
# TLI, RMSEA, SRMR against their cut-offs), then convergent validity
# (standardised loadings, composite reliability CR ≥ .70, AVE ≥ .50) and
# discriminant validity (Fornell–Larcker: √AVE above the construct's
# correlations; HTMT < .85). Common-method bias: Harman's single-factor test
# (first unrotated component below 40%/50% of the variance) and the Δχ²
# comparison of a single-factor CFA with the measurement model.
#
# Files written · 写出的文件:
# - `paper/tables/04_fit.tex`, `.docx`; `paper/text/04_fit.tex`
# - `paper/tables/04_cfa.tex`, `.docx`; `paper/text/04_cfa.tex`
# - `paper/tables/04_fornell_larcker.tex`, `.docx`; `paper/tables/04_htmt.tex`, `.docx`;
#   `paper/text/04_discriminant.tex`
# - `paper/tables/04_cmb.tex`, `.docx`; `paper/text/04_cmb.tex`
# - `paper/figures/04_measurement.pdf`, `.png`
# - `paper/results/04_cfa.json`

# %%
from IPython.display import display

from sqresearch.constructs import get_framework
from sqresearch.measure.validity import (
    composite_reliability,
    fornell_larcker,
    harman,
    htmt,
    single_factor_test,
)
from sqresearch.sem.fit import fit_sem
from sqresearch.report import text as report_text
from sqresearch.report import thesis_tables
from sqresearch.report.diagrams import measurement_diagram
from sqresearch.study import load_study

study = load_study()
lang = study.language
framework = get_framework(study.framework)
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
items = list(framework.items())

# %% [markdown]
# ## 测量模型 · The measurement model
#
# 全部构念的 CFA（最大似然估计，缺失值按列表删除），模型写成 lavaan 语法：
#
# The CFA of every construct (maximum likelihood, listwise deletion), in lavaan
# syntax:

# %%
cfa_model = framework.cfa_syntax()
print(cfa_model)
cfa = fit_sem(cfa_model, data)
display(cfa.fit)

# %% [markdown]
# ## 拟合指标 · Fit indices

# %%
fit_tab = thesis_tables.fit_table(cfa.fit, lang=lang)
fit_tab.label = "tab:04_fit"
study.save_table(fit_tab, "04_fit")
study.save_text(report_text.fit_text(cfa.fit, lang=lang), "04_fit")
display(fit_tab)

# %% [markdown]
# ## 聚合效度 · Convergent validity
#
# CR 与 AVE 按 Fornell & Larcker (1981) 由标准化载荷计算。
#
# CR and AVE from the standardised loadings, as Fornell & Larcker (1981) define them.

# %%
validity = composite_reliability(cfa.estimates)
cfa_tab = thesis_tables.cfa_table(cfa.estimates, validity, lang=lang)
cfa_tab.label = "tab:04_cfa"
study.save_table(cfa_tab, "04_cfa")
study.save_text(report_text.cfa_text(cfa.estimates, validity, lang=lang), "04_cfa")
display(cfa_tab)

# %% [markdown]
# ## 区分效度 · Discriminant validity

# %%
fl = fornell_larcker(cfa.estimates)
ratios = htmt(data, framework.blocks())
fl_tab = thesis_tables.fornell_larcker_table(fl, lang=lang)
fl_tab.label = "tab:04_fornell_larcker"
htmt_tab = thesis_tables.htmt_table(ratios, lang=lang)
htmt_tab.label = "tab:04_htmt"
study.save_table(fl_tab, "04_fornell_larcker")
study.save_table(htmt_tab, "04_htmt")
study.save_text(report_text.discriminant_text(fl, ratios, lang=lang), "04_discriminant")
display(fl_tab)

# %% [markdown]
# ## 共同方法偏差 · Common-method bias
#
# 单因子模型：全部题项负载在一个因子上。
#
# The single-factor model loads every item on one factor.

# %%
single_model = "# 1. latent variables\nCMV =~ " + " + ".join(items)
single = fit_sem(single_model, data)
harman_result = harman(data, items)
single_test = single_factor_test(single, cfa)
cmb_tab = thesis_tables.cmb_table(harman_result, single_test, lang=lang)
cmb_tab.label = "tab:04_cmb"
study.save_table(cmb_tab, "04_cmb")
study.save_text(report_text.cmb_text(harman_result, single_test, lang=lang), "04_cmb")
display(cmb_tab)

# %% [markdown]
# ## 测量模型图 · Measurement diagram

# %%
study.save_figure(measurement_diagram(cfa.estimates, lang=lang), "04_measurement")

# %%
study.save_results(
    {
        "n": cfa.n,
        "fit": cfa.fit,
        "estimates": cfa.estimates.to_dict("records"),
        "validity": validity.reset_index().to_dict("records"),
        "htmt": ratios.reset_index().to_dict("records"),
        "harman": {
            "first_share": harman_result.first_share,
            "n_components": harman_result.n_components,
        },
        "single_factor_test": single_test.to_dict(),
        "single_factor_fit": single.fit,
    },
    "04_cfa",
)
