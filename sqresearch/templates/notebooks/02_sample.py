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
# # 02 样本描述与描述统计 · Sample and item descriptives
#
# 样本描述：各人口统计变量的频数与百分比，说明样本的构成。描述统计：每个题项的均值、
# 标准差、偏度与峰度；偏度、峰度的绝对值用来判断数据是否近似正态，这是后面用最大似然
# 估计 CFA 与结构方程模型的前提。
#
# The sample section gives the frequency and percentage of every demographic
# category. The item descriptives give each item's mean, SD, skewness and
# kurtosis; the last two check approximate normality, which maximum-likelihood
# CFA and SEM assume.
#
# Files read · 读入的文件:
# - `study.yaml`, `instrument.yaml` (the questionnaire: constructs, items, demographics)
# - `data/processed/` (from 01)
#
# Files written · 写出的文件:
# - `paper/tables/02_demographics.tex`, `.docx` (when the questionnaire has demographics)
# - `paper/tables/02_descriptives.tex`, `.docx`
# - `paper/tables/02_normality.tex`, `.docx`; `paper/text/02_normality.tex`
# - `paper/figures/02_likert_1.pdf`, `.png`, … (one per group of up to six constructs)
# - `paper/chapter/02.json`

# %%
import pandas as pd
from IPython.display import display

from sqresearch.measure.descriptives import frequencies, item_descriptives
from sqresearch.measure.normality import normality
from sqresearch.report.chapter import caption
from sqresearch.report.normality import normality_table, normality_text
from sqresearch.report.sample import (
    demographics_table,
    descriptives_table,
    likert_bars,
    likert_panels,
)
from sqresearch.study import load_study

study = load_study()
framework = study.framework
plan = study.plan
chapter = study.chapter("02")
answered = pd.read_csv(study.processed / "clean.csv", encoding="utf-8-sig")  # items as answered
data = study.analysis_data()  # reverse-keyed items recoded (codebook)
len(data)

# %% [markdown]
# ## 样本基本特征 · Sample characteristics
#
# 频数与百分比（百分比以该变量的有效回答为分母）。类别及其顺序取自问卷（`instrument.yaml`），
# 无人选择的类别也列出。
#
# Frequencies and percentages (of the valid answers to each question); the
# categories and their order are the questionnaire's (`instrument.yaml`),
# those nobody chose included.

# %%
chapter.section("sample")
if plan.runs("demographics"):
    chapter.subsection("demographics")
    levels = {code: study.catalogue.demographics[code].labels(study.language) for code in framework.demographics}
    counts = frequencies(data, framework.demographics, order={c: list(v) for c, v in levels.items()})
    demographics_tab = demographics_table(counts)
    study.save_table(demographics_tab, "02_demographics")
    display(demographics_tab)
else:
    print(plan.why("demographics"))

# %% [markdown]
# ## 题项描述统计、正态性与作答分布 · Item descriptives, normality and answers
#
# 反向题已重新编码（points + 1 − x），因此所有题项的方向一致。正态性：每个题项的偏度、峰度及其
# 临界比（AMOS 的格式）与 Mardia 多元峰度；不满足时文字建议稳健估计（MLR）。发散堆积条形图：左侧为不同意，
# 右侧为同意，中间选项居中；每张图最多六个构念，量表点数不同的构念分图。
#
# Reverse-keyed items are recoded (points + 1 − x), so every item points the
# same way. Normality: each item's skewness and kurtosis with critical ratios
# (as AMOS prints them) and Mardia's multivariate kurtosis; when they fail, the
# text advises robust estimation (MLR). Diverging stacked bars: disagreement to the left, agreement to the
# right, the neutral answer split at zero; at most six constructs per figure,
# constructs on different scales in different figures.

# %%
if plan.runs("descriptives"):
    chapter.subsection("descriptives")
    items = framework.items()
    descriptives = item_descriptives(data, list(items))
    descriptives["construct"] = [items[item] for item in descriptives.index]
    descriptives_tab = descriptives_table(descriptives)
    study.save_table(descriptives_tab, "02_descriptives")
    display(descriptives_tab)
    shape = normality(data, [item for block in framework.blocks().values() for item in block])
    study.save_text(normality_text(shape), "02_normality")
    study.save_table(normality_table(shape), "02_normality")
    panels = likert_panels(framework)
    for number, (scale, panel_items) in enumerate(panels, start=1):
        figure = likert_bars(answered, panel_items, scale.points, anchors=scale.anchors(study.language))
        title = caption("likert", n=number) if len(panels) > 1 else caption("likert_all")
        study.save_figure(figure, f"02_likert_{number}", caption=title)
else:
    print(plan.why("descriptives"))
