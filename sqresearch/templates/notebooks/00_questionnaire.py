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
# # 00 问卷与研究设计 · Questionnaire and research design
#
# 论文实证章的第一节是“研究设计”：研究假设、概念模型、量表来源与问卷。本笔记本从研究自己的
# 测量工具（`instrument.yaml`）生成这些内容，不写任何结果。
#
# The first section of an empirical chapter is the research design: the
# hypotheses, the conceptual model, where each scale comes from, and the
# questionnaire itself. Everything here is generated from the study's own
# instrument (`instrument.yaml`); no results yet.
#
# Files read · 读入的文件:
# - `study.yaml`, `instrument.yaml` (the questionnaire: constructs, items, demographics)
# - `instrument.yaml#hypotheses` (the hypotheses)
#
# Files written · 写出的文件:
# - `paper/text/00_settings.tex` (`\studylang`: the study language)
# - `paper/refs.bib` (the sources of every scale and method; generated)
# - `paper/tables/00_hypotheses.tex`, `.docx`
# - `paper/figures/00_model.pdf`, `.png` (when a hypothesis has a direction)
# - `paper/text/00_design.tex`
# - `paper/text/00_questionnaire.tex`, `.docx` (the appendix of main.pdf and main.docx)
# - `paper/chapter/00.json` (this notebook's part of the chapter)

# %%
from IPython.display import display

from sqresearch.report.chapter import caption
from sqresearch.report.design import (
    conceptual_paths,
    design_text,
    framework_hypotheses_table,
    references_bib,
)
from sqresearch.report.diagrams import sem_path_diagram
from sqresearch.report.questionnaire import build_questionnaire
from sqresearch.report.questionnaire import to_docx as questionnaire_docx
from sqresearch.report.questionnaire import to_latex as questionnaire_latex
from sqresearch.study import load_study

study = load_study()
framework = study.framework
chapter = study.chapter("00")
display(framework)
display(study.plan)

# %% [markdown]
# ## 语言与参考文献 · Language and references
#
# `study.yaml` 的 `language` 决定全部表格、文字与图的语言。参考文献：构念库的文献加上
# `instrument.yaml` 中 `references` 给出的文献。
#
# `language` in `study.yaml` sets the language of every table, paragraph and
# figure. The bibliography is the construct library's plus the study's own
# (`references` in `instrument.yaml`).

# %%
study.save_text(f"\\newcommand\\studylang{{{study.language}}}", "00_settings", latex=True, chapter=False)
(study.paper / "refs.bib").write_text(references_bib(framework), encoding="utf-8")

# %% [markdown]
# ## 研究假设与概念模型 · Hypotheses and conceptual model
#
# 论文在研究设计中列出全部假设，并在最后一节逐条给出检验结论。概念模型图只画假设的作用方向
# （不带系数）。
#
# The chapter lists every hypothesis here and returns to each of them in the
# summary at the end. The conceptual model shows the hypothesised effects (no
# estimates).

# %%
chapter.section("design")
chapter.subsection("hypotheses")
hypotheses_tab = framework_hypotheses_table(framework)
study.save_table(hypotheses_tab, "00_hypotheses")
display(hypotheses_tab)
paths = conceptual_paths(framework)
if paths.empty:
    print("no conceptual model: no hypothesis has a direction (group differences only)")
else:
    model_figure = sem_path_diagram(paths, latent=framework.constructs)
    study.save_figure(model_figure, "00_model", caption=caption("model"))

# %% [markdown]
# ## 问卷设计与变量测量 · Questionnaire and measures
#
# 一段描述研究设计的文字：构念、题项数、量表点数、改编来源（以 `\cite` 引用）。
#
# A paragraph on the design: constructs, number of items, scale points and the
# source each scale was adapted from (cited with `\cite`).

# %%
chapter.subsection("measures")
attention_checks = len(study.catalogue.attention_checks)
design = design_text(framework, attention_checks=attention_checks)
study.save_text(design, "00_design", latex=True)
chapter.note("appendix")
print(design)

# %% [markdown]
# ## 问卷（附录）· The questionnaire (appendix)
#
# 附录给出完整问卷：知情同意、筛选题、各量表题项（构念名称对被试隐藏）与人口统计题。
#
# The appendix prints the whole questionnaire: consent, screening question, the
# items of each scale (construct names hidden from respondents) and demographics.

# %%
questionnaire = build_questionnaire(framework)
study.save_text(
    questionnaire_latex(questionnaire), "00_questionnaire", latex=True, chapter=False
)
(study.text / "00_questionnaire.docx").write_bytes(questionnaire_docx(questionnaire))
