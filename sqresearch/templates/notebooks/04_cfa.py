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
# 验证性因子分析（CFA）检验测量模型：聚合效度（标准化载荷、组合信度 CR ≥ .70、平均方差
# 抽取量 AVE ≥ .50）、区分效度（Fornell–Larcker 准则：√AVE 大于该构念与其他构念的相关；
# HTMT < .85）与整体拟合（χ²/df、GFI、AGFI、CFI、TLI、RMSEA、SRMR 与各自的标准）。
# 共同方法偏差：Harman 单因子检验（第一个未旋转成分的方差解释率低于 40%/50%），以及
# 单因子 CFA 与测量模型的 Δχ² 比较。
#
# The CFA tests the measurement model: convergent validity (standardised
# loadings, composite reliability CR ≥ .70, AVE ≥ .50), discriminant validity
# (Fornell–Larcker: √AVE above the construct's correlations; HTMT < .85) and
# overall fit (χ²/df, GFI, AGFI, CFI, TLI, RMSEA, SRMR against their
# cut-offs). Common-method bias: Harman's single-factor test (first unrotated
# component below 40%/50% of the variance) and the Δχ² comparison of a
# single-factor CFA with the measurement model.
#
# Files read · 读入的文件:
# - `study.yaml`, `instrument.yaml` (the questionnaire: constructs, items, demographics)
# - `data/processed/` (from 01)
#
# Files written · 写出的文件:
# - `paper/tables/04_cfa.tex`, `.docx`; `paper/text/04_cfa.tex`; `paper/figures/04_measurement_1.pdf`, `.png`, … (one per part of a large model)
# - `paper/tables/04_fornell_larcker.tex`, `.docx`; `paper/tables/04_htmt.tex`, `.docx`;
#   `paper/text/04_discriminant.tex` (two or more constructs)
# - `paper/tables/04_second_order.tex`, `.docx`; `paper/text/04_second_order.tex` (second-order constructs)
# - `paper/tables/04_fit.tex`, `.docx`; `paper/text/04_fit.tex`
# - `paper/tables/04_cmb.tex`, `.docx`; `paper/text/04_cmb.tex` (two or more constructs)
# - `paper/results/04_cfa.json`
# - `paper/chapter/04.json`

# %%
from IPython.display import display

from sqresearch.measure.second_order import second_order_cfa
from sqresearch.measure.validity import (
    composite_reliability,
    fornell_larcker,
    harman,
    htmt,
    single_factor_test,
)
from sqresearch.report import method_bias as report_method_bias
from sqresearch.report import sem as report_sem
from sqresearch.report import validity as report_validity
from sqresearch.report.chapter import caption
from sqresearch.report.diagrams import measurement_diagrams
from sqresearch.report.second_order import second_order_table, second_order_text
from sqresearch.sem import fit_sem
from sqresearch.study import load_study

study = load_study()
framework = study.framework
plan = study.plan
chapter = study.chapter("04")
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
items = [item for block in framework.blocks().values() for item in block]
results = {}

# %% [markdown]
# ## 测量模型与聚合效度 · Measurement model and convergent validity
#
# 全部多题项构念的 CFA（最大似然估计，缺失值按列表删除），模型写成 lavaan 语法。CR 与 AVE
# 按 Fornell & Larcker (1981) 由标准化载荷计算。
#
# The CFA of every multi-item construct (maximum likelihood, listwise
# deletion), in lavaan syntax. CR and AVE from the standardised loadings, as
# Fornell & Larcker (1981) define them.

# %%
if plan.runs("cfa"):
    chapter.subsection("cfa")
    cfa_model = framework.cfa_syntax()
    print(cfa_model)
    cfa = fit_sem(cfa_model, data)
    validity = composite_reliability(cfa.estimates)
    study.save_text(report_sem.cfa_text(cfa.estimates, validity), "04_cfa")
    cfa_tab = report_sem.cfa_table(cfa.estimates, validity)
    study.save_table(cfa_tab, "04_cfa")
    display(cfa_tab)
    diagrams = measurement_diagrams(cfa.estimates)  # several when the model is large
    for number, figure in enumerate(diagrams, start=1):
        title = caption("measurement_part", n=number) if len(diagrams) > 1 else caption("measurement")
        study.save_figure(figure, f"04_measurement_{number}", caption=title)
    results.update(
        n=cfa.n,
        fit=cfa.fit,
        estimates=cfa.estimates.to_dict("records"),
        validity=validity.reset_index().to_dict("records"),
    )
else:
    print(plan.why("cfa"))

# %% [markdown]
# ## 区分效度 · Discriminant validity

# %%
if plan.runs("discriminant"):
    chapter.subsection("discriminant")
    fl = fornell_larcker(cfa.estimates)
    ratios = htmt(data, framework.blocks())
    study.save_text(report_validity.discriminant_text(fl, ratios), "04_discriminant")
    fl_tab = report_validity.fornell_larcker_table(fl)
    study.save_table(fl_tab, "04_fornell_larcker")
    study.save_table(report_validity.htmt_table(ratios), "04_htmt")
    display(fl_tab)
    results["htmt"] = ratios.reset_index().to_dict("records")
else:
    print(plan.why("discriminant"))

# %% [markdown]
# ## 二阶验证性因子分析 · Second-order CFA
#
# 有维度的构念（`instrument.yaml` 中的 `dimensions`）：二阶模型与一阶模型比较，报告两个层次的
# CR/AVE 与目标系数（Marsh & Hocevar, 1985）。
#
# Constructs with dimensions (`dimensions` in `instrument.yaml`): the
# second-order model against the first-order one, CR/AVE at both levels and
# the target coefficient (Marsh & Hocevar, 1985).

# %%
if plan.runs("second_order"):
    chapter.subsection("second_order")
    second = second_order_cfa(data, framework.blocks(), framework.higher())
    study.save_text(second_order_text(second), "04_second_order")
    study.save_table(second_order_table(second), "04_second_order")
    results["second_order"] = second.to_dict()
else:
    print(plan.why("second_order"))

# %% [markdown]
# ## 模型拟合 · Fit indices

# %%
if plan.runs("cfa"):
    chapter.subsection("fit")
    study.save_text(report_sem.fit_text(cfa.fit), "04_fit")
    fit_tab = report_sem.fit_table(cfa.fit)
    study.save_table(fit_tab, "04_fit")
    display(fit_tab)

# %% [markdown]
# ## 共同方法偏差 · Common-method bias
#
# 单因子模型：全部题项负载在一个因子上。
#
# The single-factor model loads every item on one factor.

# %%
if plan.runs("cmb"):
    chapter.section("cmb")
    single = fit_sem("# 1. latent variables\nCMV =~ " + " + ".join(items), data)
    harman_result = harman(data, items)
    single_test = single_factor_test(single, cfa)
    study.save_text(report_method_bias.cmb_text(harman_result, single_test), "04_cmb")
    cmb_tab = report_method_bias.cmb_table(harman_result, single_test)
    study.save_table(cmb_tab, "04_cmb")
    display(cmb_tab)
    results["harman"] = {
        "first_share": harman_result.first_share,
        "n_components": harman_result.n_components,
    }
    results["single_factor_test"] = single_test.to_dict()
    results["single_factor_fit"] = single.fit
else:
    print(plan.why("cmb"))

# %%
study.save_results(results, "04_cfa")
