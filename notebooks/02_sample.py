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
# Files written · 写出的文件:
# - `paper/tables/02_demographics.tex`, `.docx`
# - `paper/tables/02_descriptives.tex`, `.docx`
# - `paper/figures/02_likert_1.pdf`, `.png` and `02_likert_2.pdf`, `.png`

# %%
import pandas as pd
from IPython.display import display

from sqresearch.constructs import get_framework, load_catalogue
from sqresearch.measure import descriptives
from sqresearch.measure.descriptives import item_descriptives
from sqresearch.report.figures import likert_bars
from sqresearch.report.thesis_tables import demographics_table, descriptives_table
from sqresearch.study import load_study

study = load_study()
lang = study.language
framework = get_framework(study.framework)
catalogue = load_catalogue()
answered = pd.read_csv(study.processed / "clean.csv", encoding="utf-8-sig")  # items as answered
data = study.analysis_data()  # reverse-keyed items recoded (codebook)
items = framework.items()  # item code -> construct code
points = catalogue.item(next(iter(items))).scale.points
len(data)

# %% [markdown]
# ## 样本基本特征 · Sample characteristics
#
# 频数与百分比（百分比以该变量的有效回答为分母；无人选择的类别也列出）。
#
# Frequencies and percentages (of the valid answers to each question), every
# category of the questionnaire listed, also those nobody chose.

# %%
demographics = [code for code in catalogue.demographics if code in data]
frequencies = descriptives.frequencies(
    data,
    demographics,
    order={code: list(catalogue.demographics[code].labels(lang)) for code in demographics},
)
demographics_tab = demographics_table(frequencies, lang=lang)
demographics_tab.label = "tab:02_demographics"
study.save_table(demographics_tab, "02_demographics")
display(demographics_tab)

# %% [markdown]
# ## 题项描述统计 · Item descriptives
#
# 反向题已重新编码（6 − x），因此所有题项的方向一致。
#
# Reverse-keyed items are recoded (6 − x), so every item points the same way.

# %%
descriptives = item_descriptives(data, list(items))
descriptives["construct"] = [items[item] for item in descriptives.index]
descriptives_tab = descriptives_table(descriptives, lang=lang)
descriptives_tab.label = "tab:02_descriptives"
study.save_table(descriptives_tab, "02_descriptives")
display(descriptives_tab)

# %% [markdown]
# ## 作答分布 · Distribution of the answers
#
# 发散堆积条形图：左侧为不同意，右侧为同意，中间选项居中。分两张图（前六个构念、其余构念）。
#
# Diverging stacked bars: disagreement to the left, agreement to the right, the
# neutral answer split at zero; two figures (the first six constructs, the rest).

# %%
anchors = catalogue.item(next(iter(items))).scale.anchors(lang)
constructs = framework.constructs
for number, group in enumerate((constructs[:6], constructs[6:]), start=1):
    group_items = [item for item, construct in items.items() if construct in group]
    figure = likert_bars(answered, group_items, points, anchors=anchors, lang=lang)
    study.save_figure(figure, f"02_likert_{number}")
