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
# # 01 预调研与数据清洗 · Pilot and data cleaning
#
# 预调研（`study.yaml` 的 `pilot`，没有则跳过）：用同一编码本清洗预调研数据，做项目分析
# （高低分组 27% 的独立样本 t 检验即决断值 CR ≥ 3、校正的项总相关 ≥ .40、项已删除的 α、
# 同质性检验），给出每个题项“保留 / 考虑删除”的结论。
#
# Pilot (`pilot` in `study.yaml`; skipped without one): the pilot export is
# cleaned with the same codebook and item-analysed (critical ratio of the top
# and bottom 27% groups, CR ≥ 3; corrected item–total r ≥ .40; α if item
# deleted; homogeneity), with a keep / consider-deleting decision per item.
#
# 论文要交代样本是怎么来的：回收多少份问卷、按什么规则剔除了多少（甄别题、重复提交、
# 注意力检测题、作答时间过短、连续相同作答），最后有效问卷多少份。原始导出文件只读不改，
# 个人信息（IP、电话、微信号、邮箱）在读入时即被删除。这里不显示任何单个被试的原始记录。
#
# A thesis says where its sample came from: how many questionnaires came back,
# how many were excluded by which rule (screening question, duplicates,
# attention check, speeders, straight-lining) and how many were analysed. The
# raw export is read, never modified; personal data (IP, phone, WeChat, e-mail)
# are dropped on reading. No single respondent's raw record is shown here.
#
# Files read · 读入的文件:
# - `study.yaml`, `instrument.yaml` (the questionnaire: constructs, items, demographics)
# - `data.raw`, `data.codebook` (the raw export and its codebook)
# - `pilot` (the pilot export, when `study.yaml` names one)
#
# Files written · 写出的文件:
# - `data/processed/` (`clean.csv`, `screening.csv`, `participant_flow.csv`,
#   `cleaning_report.json`/`.md`, `codebook.yaml`, `manifest.json`)
# - `paper/tables/01_pilot_items.tex`, `.docx`; `paper/text/01_pilot.tex` (with a pilot)
# - `paper/tables/01_flow.tex`, `.docx`
# - `paper/text/01_cleaning.tex`
# - `paper/results/01_cleaning.json`
# - `paper/chapter/01.json`

# %%
import warnings

from IPython.display import display

from sqresearch.clean.infer import infer_codebook
from sqresearch.clean.pipeline import CleaningWarning, clean_survey
from sqresearch.io import read_survey
from sqresearch.measure.item_analysis import item_analysis
from sqresearch.report import cleaning as report_cleaning
from sqresearch.report.item_analysis import item_analysis_table, item_analysis_text
from sqresearch.study import load_study

study = load_study()
plan = study.plan
chapter = study.chapter("01")

# %% [markdown]
# ## 编码本核对 · Codebook review
#
# 按题目含义与导出文件的结构（矩阵题）重新推断一遍编码本，与正在使用的 `data/codebook.yaml`
# 对照：置信度低的行以高亮显示，提醒检查。这里只显示列名与映射，不显示任何被试的作答。
#
# The codebook is inferred again from the export's headers (by meaning and by
# its matrix structure) for comparison with the `data/codebook.yaml` in use:
# unsure rows are highlighted. Only headers and mappings are shown, never a
# respondent's answers.

# %%
display(infer_codebook(read_survey(study.raw), study.framework))

# %% [markdown]
# ## 清洗 · Cleaning
#
# 编码本（`data/codebook.yaml`）把每一列原始数据对应到题项代码，并规定每条筛查规则是
# “剔除”“标记”还是“关闭”。清洗中的提醒（如缺失值）写进清洗报告。
#
# The codebook maps each raw column to an item code and sets each screening
# rule to exclude, flag or off. Non-fatal issues go to the cleaning report.

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", CleaningWarning)  # listed in the cleaning report instead
    cleaned = clean_survey(study.raw, study.codebook)
cleaned.write(study.processed, report=report_cleaning.cleaning_report(cleaned))
display(cleaned)

# %% [markdown]
# ## 预调研项目分析 · Pilot item analysis

# %%
if plan.runs("pilot"):
    chapter.subsection("pilot")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CleaningWarning)
        pilot = clean_survey(study.pilot, study.codebook)  # in memory: nothing is written
    items = item_analysis(study.analysis_data(pilot.data), study.framework.blocks())
    study.save_text(item_analysis_text(items), "01_pilot")
    pilot_tab = item_analysis_table(items)
    study.save_table(pilot_tab, "01_pilot_items")
    display(pilot_tab)
else:
    print(plan.why("pilot"))

# %% [markdown]
# ## 清洗说明与样本流程表 · Text and participant flow
#
# 说明文字由报告层根据流程表的数字与筛查规则生成（判定标准引自 `sqresearch/thresholds.py`）；
# 表格逐步列出剔除的份数与剩余的份数。
#
# The report layer writes the paragraph from the flow's numbers and the
# screening rules (cut-offs cited from `sqresearch/thresholds.py`); the table
# lists each exclusion step with the number removed and remaining.

# %%
chapter.subsection("cleaning")
flow = cleaned.flow
cleaning_text = report_cleaning.cleaning_text(flow, cleaned.screening.rules)
study.save_text(cleaning_text, "01_cleaning")
flow_table = report_cleaning.flow_table(flow, cleaned.screening.rules)
study.save_table(flow_table, "01_flow")
display(flow_table)
study.save_results(
    {
        "received": cleaned.n_received,
        "analysed": cleaned.n_analysed,
        "flow": flow.to_dict("records"),
        "rules": cleaned.screening.rules.to_dict("records"),
        "missing_complete_cases": cleaned.missing.complete_cases,
        "little_mcar": cleaned.missing.mcar,
    },
    "01_cleaning",
)
print(cleaning_text)
