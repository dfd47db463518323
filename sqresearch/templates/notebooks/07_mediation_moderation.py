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
# # 07 中介与调节效应 · Mediation and moderation (PROCESS)
#
# 中介效应：每个中介假设用 PROCESS 模型 4（一个或并列多个中介）或模型 6（链式中介）检验，
# 间接效应用 Bootstrap 百分位置信区间判断，中介类型按温忠麟和叶宝娟 (2014) 的程序。调节效应：
# 层级回归（X；X + W；X + W + X×W）与 PROCESS 模型 1，简单斜率与 Johnson–Neyman 区间。
# 有调节的中介：PROCESS 模型 7（调节前半段）或 14（调节后半段），看有调节的中介指数。
# 变量为构念得分（题项均值）。
#
# Mediation: each mediation hypothesis is tested with PROCESS model 4 (one or
# parallel mediators) or model 6 (serial mediators); indirect effects are
# judged by percentile bootstrap intervals and classified following Wen & Ye
# (2014). Moderation: hierarchical regression (X; X + W; X + W + X×W) and
# PROCESS model 1 with simple slopes and Johnson–Neyman points. Moderated
# mediation: PROCESS model 7 (first stage) or 14 (second stage) and its index.
# Variables are construct scores (item means).
#
# Files read · 读入的文件:
# - `study.yaml`, `instrument.yaml` (the questionnaire: constructs, items, demographics)
# - `instrument.yaml#hypotheses` (the hypotheses)
# - `data/processed/` (from 01)
#
# Files written · 写出的文件:
# - `paper/tables/07_mediation_<H>.tex`, `.docx`; `paper/text/07_mediation_<H>.tex`, one per mediation hypothesis
# - `paper/tables/07_moderation_<H>.tex`, `07_slopes_<H>.tex` (and `.docx`); `paper/text/07_moderation_<H>.tex`;
#   `paper/figures/07_slopes_<H>.pdf`, `07_jn_<H>.pdf` (and `.png`), one per moderation hypothesis
# - `paper/tables/07_moderated_mediation.tex`, `.docx`
# - `paper/results/07_mediation_moderation.json`
# - `paper/chapter/07.json`

# %%
import dataclasses

import pandas as pd
from IPython.display import display

from sqresearch.model.groups import scale_scores
from sqresearch.model.process import jn_curve, mediation_decision, process, simple_slopes_grid
from sqresearch.model.regression import hierarchical_regression
from sqresearch.plan import conditional_processes
from sqresearch.report import process as report_process
from sqresearch.report.chapter import WIDTHS, caption
from sqresearch.report.labels import construct_label
from sqresearch.report.process import johnson_neyman_plot, simple_slopes_plot
from sqresearch.study import load_study

study = load_study()
framework = study.framework
plan = study.plan
chapter = study.chapter("07")
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
scores = pd.concat([data[framework.controls], scale_scores(data, framework.score_blocks())], axis=1)
results = {"bootstrap": study.bootstrap, "seed": study.seed, "mediation": {}, "moderation": {}}
print(f"bootstrap resamples: {study.bootstrap}, seed: {study.seed}")
moderating = plan.runs("moderation") or plan.runs("moderated_mediation")
if plan.runs("mediation") or moderating:  # the section is named after what it holds
    chapter.section("process" if plan.runs("mediation") and moderating else
                    "process_mediation" if plan.runs("mediation") else "process_moderation")  # fmt: skip

# %% [markdown]
# ## 中介效应 · Mediation

# %%
if plan.runs("mediation"):
    chapter.subsection("mediation")
    chapter.note("mediation")
    for h in (h for h in framework.hypotheses if h.kind == "indirect"):
        model = 6 if h.serial else 4
        mediation = process(
            scores, model, x=h.x, y=h.y, m=list(h.mediators), n_boot=study.bootstrap, seed=study.seed
        )
        study.save_text(report_process.mediation_text(mediation), f"07_mediation_{h.id}")
        table = report_process.mediation_table(mediation)
        study.save_table(table, f"07_mediation_{h.id}")
        display(table)
        results["mediation"][h.id] = {
            "model": model,
            **mediation.to_dict(),
            "decision": dataclasses.asdict(mediation_decision(mediation)),
        }
else:
    print(plan.why("mediation"))

# %% [markdown]
# ## 调节效应 · Moderation
#
# 层级模型、简单斜率（调节变量取 M − 1SD、M、M + 1SD）、简单斜率图与 Johnson–Neyman 图
# （置信区间不含 0 的范围即显著区域）。
#
# Hierarchical models, simple slopes (moderator at M − 1 SD, M, M + 1 SD), the
# simple-slopes plot and the Johnson–Neyman plot (where the interval excludes
# 0 the effect is significant).

# %%
if plan.runs("moderation"):
    chapter.subsection("moderation")
    chapter.note("moderation")
    for h in (h for h in framework.hypotheses if h.kind == "moderation"):
        steps = hierarchical_regression(
            scores, h.lhs, [[h.rhs], [h.w], [f"{h.rhs}:{h.w}"]], center=True
        )
        moderation = process(scores, 1, x=h.rhs, y=h.lhs, w=h.w, n_boot=study.bootstrap, seed=study.seed)
        study.save_text(report_process.moderation_text(moderation), f"07_moderation_{h.id}")
        study.save_table(report_process.moderation_table(steps), f"07_moderation_{h.id}")
        slopes = report_process.simple_slopes_table(moderation.conditional, h.w)
        study.save_table(slopes, f"07_slopes_{h.id}")
        display(slopes)
        names = {"x": construct_label(h.rhs), "y": construct_label(h.lhs),
                 "w": construct_label(h.w)}  # fmt: skip
        slopes_figure = simple_slopes_plot(
            simple_slopes_grid(moderation), x_label=names["x"], y_label=names["y"],
            moderator_label=names["w"],
        )  # fmt: skip
        study.save_figure(
            slopes_figure, f"07_slopes_{h.id}", caption=caption("slopes", **names),
            width=WIDTHS["slopes"],
        )  # fmt: skip
        jn_figure = johnson_neyman_plot(
            jn_curve(moderation), moderation.jn["w"], moderator_label=names["w"]
        )
        study.save_figure(
            jn_figure, f"07_jn_{h.id}", caption=caption("jn", **names), width=WIDTHS["jn"]
        )
        results["moderation"][h.id] = {**moderation.to_dict(), "steps": steps.steps.to_dict("records")}
else:
    print(plan.why("moderation"))

# %% [markdown]
# ## 有调节的中介 · Moderated mediation
#
# 有调节的中介指数的置信区间不含 0 时，间接效应随调节变量而变化。
#
# When the CI of the index of moderated mediation excludes 0, the indirect
# effect depends on the moderator.

# %%
if plan.runs("moderated_mediation"):
    chapter.subsection("moderated_mediation")
    chapter.note("moderated_mediation")
    specs = conditional_processes(framework)
    moderated = [
        process(scores, c.model, x=c.x, y=c.y, m=c.m, w=c.w, n_boot=study.bootstrap, seed=study.seed)
        for c in specs
    ]
    moderated_tab = report_process.moderated_mediation_table(moderated)
    study.save_table(moderated_tab, "07_moderated_mediation")
    display(moderated_tab)
    results["moderated_mediation"] = [
        {**dataclasses.asdict(c), "index_mm": r.index_mm.to_dict("records"),
         "indirect": r.indirect.to_dict("records")}
        for c, r in zip(specs, moderated, strict=True)
    ]  # fmt: skip
else:
    print(plan.why("moderated_mediation"))

# %%
study.save_results(results, "07_mediation_moderation")
