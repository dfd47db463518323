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
# # 07 中介效应与调节效应 · Mediation and moderation
#
# 中介效应：PROCESS 模型 4，自助法（bootstrap）百分位置信区间；按温忠麟和叶宝娟（2014）的
# 程序判断：先看总效应 c，再看 a、b，必要时看 ab 的置信区间，最后由直接效应 c' 判断完全
# 中介、部分中介（报告效应占比 ab/c）或遮掩效应。调节效应：PROCESS 模型 1，以三个层级模型
# （X；X + W；X + W + X×W）的 ΔR² 与 ΔF 检验交互项，并在调节变量均值 ±1 个标准差处做简单
# 斜率分析；有调节的中介用 PROCESS 模型 7 报告有调节的中介指数。
# 自助抽样次数与随机种子来自 `study.yaml`（`bootstrap`、`seed`）。
#
# Mediation: PROCESS model 4 with percentile bootstrap CIs, judged by the
# procedure of 温忠麟 & 叶宝娟 (2014): the total effect c, then a and b, the
# bootstrap CI of ab when needed, and the direct effect c' to tell full,
# partial (with the share ab/c) or suppression. Moderation: PROCESS model 1,
# the interaction tested by ΔR² and ΔF across three hierarchical models (X; X +
# W; X + W + X×W), with simple slopes at the moderator's mean ± 1 SD; moderated
# mediation by PROCESS model 7 and its index. Resamples and seed come from
# `study.yaml` (`bootstrap`, `seed`).
#
# Files written · 写出的文件:
# - `paper/tables/07_mediation_CVA.tex`, `07_mediation_IRI.tex`, `07_mediation_CEX.tex`
#   (and `.docx`); `paper/text/07_mediation_CVA.tex`, … (one per mediation hypothesis)
# - `paper/tables/07_moderation_CVA.tex`, `07_moderation_IRI.tex`,
#   `paper/tables/07_slopes_CVA.tex`, `07_slopes_IRI.tex` (and `.docx`);
#   `paper/text/07_moderation_CVA.tex`, `07_moderation_IRI.tex`
# - `paper/tables/07_moderated_mediation.tex`, `.docx`
# - `paper/figures/07_slopes_CVA.pdf`, `07_slopes_IRI.pdf`, `07_jn_CVA.pdf`, `07_jn_IRI.pdf` (and `.png`)
# - `paper/results/07_mediation_moderation.json`

# %%
import dataclasses

from IPython.display import display

from sqresearch.constructs import get_framework
from sqresearch.model.groups import scale_scores
from sqresearch.model.process import jn_curve, mediation_decision, process, simple_slopes_grid
from sqresearch.model.regression import hierarchical_regression
from sqresearch.report import text as report_text
from sqresearch.report import thesis_tables
from sqresearch.report.figures import johnson_neyman_plot, simple_slopes_plot
from sqresearch.report.labels import construct_label
from sqresearch.study import load_study

study = load_study()
lang = study.language
framework = get_framework(study.framework)
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
scores = scale_scores(data, framework.blocks())
print(f"bootstrap resamples: {study.bootstrap}, seed: {study.seed}")

# %% [markdown]
# ## 中介效应（PROCESS 模型 4）· Mediation (PROCESS model 4)
#
# 每条中介假设单独检验：X → M → Y。
#
# Each mediation hypothesis is tested on its own: X → M → Y.

# %%
results = {"mediation": {}, "moderation": {}}
moderations = {}
for h in (h for h in framework.hypotheses if h.kind == "indirect"):
    mediation = process(scores, 4, x=h.x, y=h.y, m=h.m, boot=study.bootstrap, seed=study.seed)
    table = thesis_tables.mediation_table(mediation, lang=lang)
    table.label = f"tab:07_mediation_{h.x}"
    study.save_table(table, f"07_mediation_{h.x}")
    study.save_text(report_text.mediation_text(mediation, lang=lang), f"07_mediation_{h.x}")
    decision = mediation_decision(mediation)
    results["mediation"][h.id] = {
        "x": h.x,
        "m": h.m,
        "y": h.y,
        "n": mediation.n,
        "paths": mediation.paths.to_dict("records"),
        "total": mediation.total.to_dict("records"),
        "direct": mediation.direct.to_dict("records"),
        "indirect": mediation.indirect.to_dict("records"),
        "decision": dataclasses.asdict(decision),
    }
display(table)

# %% [markdown]
# ## 调节效应（PROCESS 模型 1）· Moderation (PROCESS model 1)
#
# 层级模型与简单斜率。
#
# Hierarchical models and simple slopes.

# %%
for h in (h for h in framework.hypotheses if h.kind == "moderation"):
    steps = hierarchical_regression(
        scores, h.lhs, [[h.rhs], [h.w], [f"{h.rhs}:{h.w}"]], center=True
    )
    table = thesis_tables.moderation_table(steps, lang=lang)
    table.label = f"tab:07_moderation_{h.rhs}"
    study.save_table(table, f"07_moderation_{h.rhs}")
    moderation = process(scores, 1, x=h.rhs, y=h.lhs, w=h.w, boot=study.bootstrap, seed=study.seed)
    moderations[h.id] = moderation
    slopes = thesis_tables.simple_slopes_table(moderation.conditional, h.w, lang=lang)
    slopes.label = f"tab:07_slopes_{h.rhs}"
    study.save_table(slopes, f"07_slopes_{h.rhs}")
    study.save_text(report_text.moderation_text(moderation, lang=lang), f"07_moderation_{h.rhs}")
    results["moderation"][h.id] = {
        "x": h.rhs,
        "w": h.w,
        "y": h.lhs,
        "n": moderation.n,
        "paths": moderation.paths.to_dict("records"),
        "interaction": moderation.interaction.to_dict("records"),
        "conditional": moderation.conditional.to_dict("records"),
        "johnson_neyman": moderation.jn.to_dict("records"),
        "steps": steps.steps.to_dict("records"),
    }
display(slopes)

# %% [markdown]
# ## 有调节的中介（PROCESS 模型 7）· Moderated mediation (PROCESS model 7)
#
# 调节变量作用于中介路径前半段（X → M）；有调节的中介指数的置信区间不含 0 时，
# 间接效应随调节变量而变化。
#
# The moderator acts on the first stage (X → M); when the CI of the index of
# moderated mediation excludes 0, the indirect effect depends on the moderator.

# %%
moderated = []
for h in (h for h in framework.hypotheses if h.kind == "moderation"):
    mediator = next(m.m for m in framework.hypotheses if m.kind == "indirect" and m.x == h.rhs)
    outcome = next(m.y for m in framework.hypotheses if m.kind == "indirect" and m.x == h.rhs)
    model7 = process(
        scores, 7, x=h.rhs, y=outcome, m=mediator, w=h.w, boot=study.bootstrap, seed=study.seed
    )
    moderated.append(model7)
    results["moderation"][h.id]["model7"] = {
        "index_mm": model7.index_mm.to_dict("records"),
        "indirect": model7.indirect.to_dict("records"),
    }
moderated_tab = thesis_tables.moderated_mediation_table(moderated, lang=lang)
moderated_tab.label = "tab:07_moderated_mediation"
study.save_table(moderated_tab, "07_moderated_mediation")
study.save_results(
    {"bootstrap": study.bootstrap, "seed": study.seed, **results}, "07_mediation_moderation"
)
display(moderated_tab)

# %% [markdown]
# ## 简单斜率图与 Johnson–Neyman 图 · Simple-slopes and Johnson–Neyman plots
#
# 简单斜率图：调节变量取低（M − 1SD）、中（M）、高（M + 1SD）时，因变量随自变量变化的预测线
# 及其置信带。Johnson–Neyman 图：自变量的条件效应随调节变量连续变化的曲线，置信区间不含 0
# 的范围即显著区域。
#
# Simple slopes: predicted Y against X at low (M − 1 SD), mean and high (M + 1 SD)
# values of the moderator, with confidence bands. Johnson–Neyman: the
# conditional effect of X across the whole range of the moderator; where its
# interval excludes 0 the effect is significant.

# %%
for h in (h for h in framework.hypotheses if h.kind == "moderation"):
    moderation = moderations[h.id]
    slopes_figure = simple_slopes_plot(
        simple_slopes_grid(moderation),
        x_label=construct_label(h.rhs, lang),
        y_label=construct_label(h.lhs, lang),
        moderator_label=construct_label(h.w, lang),
        lang=lang,
    )
    study.save_figure(slopes_figure, f"07_slopes_{h.rhs}")
    jn_figure = johnson_neyman_plot(
        jn_curve(moderation),
        moderation.jn["w"],
        moderator_label=construct_label(h.w, lang),
        lang=lang,
    )
    study.save_figure(jn_figure, f"07_jn_{h.rhs}")
