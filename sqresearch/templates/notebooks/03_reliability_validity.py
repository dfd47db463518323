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
# # 03 信度与探索性因子分析 · Reliability and exploratory factor analysis
#
# 信度：每个量表的 Cronbach's α（≥ .70）、校正的项总相关 CITC 与“项已删除的 α”，并给出
# McDonald's ω（单因子 CFA 估计）。效度的第一步是探索性因子分析：KMO 与 Bartlett 球形
# 检验判断是否适合做因子分析；主成分提取 + 最大方差（varimax）旋转（与 SPSS 的常用设置一致），
# 报告旋转后的载荷与累计方差解释率；碎石图配合平行分析判断因子个数。
#
# Reliability: Cronbach's α per scale (≥ .70), corrected item–total correlations
# (CITC) and α if item deleted, with McDonald's ω from a one-factor CFA. The
# first validity step is an EFA: KMO and Bartlett's test say whether the data
# suit factor analysis; principal components with varimax rotation (as theses
# run it in SPSS) give the rotated loadings and the variance explained; the
# scree plot with Horn's parallel analysis shows how many factors to keep.
#
# Files read · 读入的文件:
# - `study.yaml`, `instrument.yaml` (the questionnaire: constructs, items, demographics)
# - `data/processed/` (from 01)
#
# Files written · 写出的文件:
# - `paper/tables/03_reliability.tex`, `.docx`; `paper/text/03_reliability.tex`
# - `paper/tables/03_kmo.tex`, `.docx`
# - `paper/tables/03_efa.tex`, `.docx`; `paper/text/03_efa.tex`
# - `paper/figures/03_scree.pdf`, `.png`
# - `paper/results/03_reliability_validity.json`
# - `paper/chapter/03.json`

# %%
import pandas as pd
from IPython.display import display

from sqresearch.measure.efa import efa, kmo_bartlett, parallel_analysis
from sqresearch.measure.reliability import reliability_table
from sqresearch.report import efa as report_efa
from sqresearch.report import reliability as report_reliability
from sqresearch.report.chapter import WIDTHS, caption
from sqresearch.report.efa import scree_plot
from sqresearch.study import load_study

study = load_study()
framework = study.framework
plan = study.plan
chapter = study.chapter("03")
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
blocks = framework.blocks()
items = [item for block in blocks.values() for item in block]
results = {}

# %% [markdown]
# ## 信度 · Reliability
#
# 反向题已在计分前重新编码。ω 与 α 并列报告。
#
# Reverse-keyed items are recoded before scoring; ω is reported beside α.

# %%
if plan.runs("reliability"):
    chapter.section("reliability")
    chapter.subsection("alpha")
    reliability = reliability_table(data, blocks)
    study.save_text(report_reliability.reliability_text(reliability), "03_reliability")
    reliability_tab = report_reliability.reliability_table(reliability, omega=True)
    study.save_table(reliability_tab, "03_reliability")
    display(reliability_tab)
    results["reliability"] = reliability.scales.reset_index().to_dict("records")
    results["items"] = reliability.items.reset_index().to_dict("records")
else:
    print(plan.why("reliability"))

# %% [markdown]
# ## 探索性因子分析 · Exploratory factor analysis
#
# KMO 与 Bartlett 球形检验；因子个数按特征根大于 1 的 Kaiser 准则（SPSS 默认），平行分析
# 作为核对。
#
# KMO and Bartlett's test; the number of factors follows Kaiser's
# eigenvalue-greater-than-one rule (the SPSS default), checked by parallel analysis.

# %%
if plan.runs("efa"):
    chapter.subsection("efa")
    adequacy = kmo_bartlett(data, items)
    exploratory = efa(data, items, method="pc", rotation="varimax")
    study.save_text(report_efa.efa_text(exploratory), "03_efa")
    study.save_table(report_efa.kmo_bartlett_table(adequacy), "03_kmo")
    efa_tab = report_efa.efa_table(exploratory)
    study.save_table(efa_tab, "03_efa")
    display(efa_tab)
    parallel = parallel_analysis(data, items, seed=study.seed)
    eigen = pd.DataFrame(
        {"eigenvalue": parallel.table["observed"], "random": parallel.table["random_p95"]}
    ).head(max(2 * len(blocks), 4))
    study.save_figure(
        scree_plot(eigen), "03_scree", caption=caption("scree"), width=WIDTHS["scree"]
    )
    results.update(adequacy.to_dict())  # kmo, bartlett
    results["efa"] = exploratory.to_dict()
    results["parallel_analysis"] = parallel.to_dict()
else:
    print(plan.why("efa"))

# %%
study.save_results(results, "03_reliability_validity")
