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
# 论文实证章的第一节是“研究设计”：研究假设、概念模型、量表来源与问卷。本笔记本从构念库
# （`sqresearch.constructs`）生成这些内容，不写任何结果。
#
# The first section of an empirical chapter is the research design: the
# hypotheses, the conceptual model, where each scale comes from, and the
# questionnaire itself. Everything here is generated from the construct library;
# no results yet.
#
# Files written · 写出的文件:
# - `paper/text/00_settings.tex` (`\studylang`: the study language)
# - `paper/refs.bib` (the sources of every scale and method; generated)
# - `paper/tables/00_hypotheses.tex`, `.docx`
# - `paper/text/00_design.tex`
# - `paper/text/00_questionnaire.tex` (appendix)
# - `paper/figures/00_model.pdf`, `.png`

# %%
import shutil

import pandas as pd
from IPython.display import display

from sqresearch.constructs import REFERENCES_BIB, get_framework, load_catalogue
from sqresearch.report.diagrams import sem_path_diagram
from sqresearch.report.labels import construct_label
from sqresearch.report.questionnaire import build_questionnaire
from sqresearch.report.questionnaire import to_latex as questionnaire_latex
from sqresearch.report.tables import ThesisTable
from sqresearch.study import load_study

study = load_study()
lang = study.language
framework = get_framework(study.framework)
catalogue = load_catalogue()
display(framework)

# %% [markdown]
# ## 语言与参考文献 · Language and references
#
# `study.yaml` 的 `language` 决定全部表格、文字与图的语言；`paper/main.tex` 读取
# `\studylang` 选择中文或英文章节。参考文献来自构念库：每个量表都注明改编来源。
#
# `language` in `study.yaml` sets the language of every table, paragraph and
# figure; `paper/main.tex` reads `\studylang` to choose the Chinese or English
# chapter. The bibliography is the construct library's: every scale names the
# source it was adapted from.

# %%
study.save_text(f"\\newcommand\\studylang{{{lang}}}", "00_settings", latex=True)
shutil.copyfile(REFERENCES_BIB, study.paper / "refs.bib")

# %% [markdown]
# ## 研究假设 · Hypotheses
#
# 论文在研究设计中列出全部假设（H1…Hn），并在最后一节逐条给出检验结论。
#
# The chapter lists every hypothesis (H1…Hn) here and returns to each of them in
# the summary at the end.

# %%
hypotheses = framework.hypotheses_table(lang)
hypotheses_table = ThesisTable(
    hypotheses[["id", "path", "sign", "hypothesis"]],
    heads={
        "id": {"zh": "编号", "en": "No."},
        "path": {"zh": "路径", "en": "Path"},
        "sign": {"zh": "方向", "en": "Sign"},
        "hypothesis": {"zh": "研究假设", "en": "Hypothesis"},
    },
    title={"zh": "研究假设", "en": "Research hypotheses"},
    label="tab:00_hypotheses",
    lang=lang,
)
study.save_table(hypotheses_table, "00_hypotheses")
display(hypotheses_table)

# %% [markdown]
# ## 研究设计与量表来源 · Design and sources of the scales
#
# 一段描述研究设计的文字：构念、题项数、量表点数、改编来源（以 `\cite` 引用）。
# 这里只把构念库中的事实拼成句子，不涉及任何结果。
#
# A paragraph on the design: constructs, number of items, scale points and the
# source each scale was adapted from (cited with `\cite`). It only strings
# together facts from the construct library.

# %%
rows = []
for code in framework.constructs:
    construct = catalogue.constructs[code]
    rows.append(
        {
            "name": construct_label(code, lang, with_code=True),
            "k": len(construct.items),
            "points": construct.items[0].scale.points,
            "cite": f"\\cite{{{construct.bibkey}}}",
        }
    )
scales = pd.DataFrame(rows)
sep = "；" if lang == "zh" else "; "
if lang == "zh":
    listing = sep.join(f"{r.name}（{r.k}个题项，改编自{r.cite}）" for r in scales.itertuples())
    design = (
        f"本研究以“{framework.title('zh')}”为题，采用问卷调查法收集数据。"
        f"问卷包括{len(scales)}个构念：{listing}。"
        f"全部题项采用Likert {'、'.join(map(str, sorted(set(scales.points))))}点量表"
        f"（1 = 非常不同意），并设置1道注意力检测题。"
    )
else:
    listing = sep.join(
        f"{r.name} ({r.k} items, adapted from {r.cite})" for r in scales.itertuples()
    )
    design = (
        f"The study, \\emph{{{framework.title('en')}}}, collected its data with a questionnaire "
        f"measuring {len(scales)} constructs: {listing}. Every item is answered on a "
        f"{'/'.join(map(str, sorted(set(scales.points))))}-point Likert scale (1 = strongly disagree), "
        f"and one attention-check item is included."
    )
study.save_text(design, "00_design", latex=True)
print(design)

# %% [markdown]
# ## 概念模型 · Conceptual model
#
# 概念模型图只画假设的结构路径（不带系数）。
#
# The conceptual model shows the hypothesised structural paths (no estimates).

# %%
paths = pd.DataFrame(
    [
        {"lhs": h.lhs, "op": "~", "rhs": h.rhs, "std_all": float("nan"), "pvalue": float("nan")}
        for h in framework.hypotheses
        if h.kind == "path"
    ]
)
labels = {code: construct_label(code, lang) for code in framework.constructs}
model_figure = sem_path_diagram(paths, labels=labels, lang=lang)
study.save_figure(model_figure, "00_model")

# %% [markdown]
# ## 问卷（附录）· The questionnaire (appendix)
#
# 附录给出完整问卷：知情同意、筛选题、各量表题项（构念名称对被试隐藏）与人口统计题。
#
# The appendix prints the whole questionnaire: consent, screening question, the
# items of each scale (construct names hidden from respondents) and demographics.

# %%
questionnaire = build_questionnaire(framework)
study.save_text(questionnaire_latex(questionnaire, lang), "00_questionnaire", latex=True)
