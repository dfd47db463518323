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
# # 08 结构方程模型 · Structural equation model
#
# 结构方程模型同时估计测量模型与结构路径：报告整体拟合、标准化路径系数（带星号）、内生变量
# 的 R²，以及间接效应与其自助法置信区间（间接效应没有可靠的正态标准误，因此用 bootstrap）。
# 模型由 `instrument.yaml` 的路径与中介假设生成，以 lavaan 语法写出，与 R lavaan / AMOS 的
# 结果可以逐行对照。
#
# The SEM estimates the measurement model and the structural paths together:
# overall fit, standardised paths with stars, R² of the endogenous variables,
# and the indirect effects with bootstrap CIs (an indirect effect has no
# trustworthy normal-theory SE). The model is generated from the path and
# mediation hypotheses of `instrument.yaml` in lavaan syntax, so each row can
# be compared with R lavaan or AMOS.
#
# Files read · 读入的文件:
# - `study.yaml`, `instrument.yaml` (the questionnaire: constructs, items, demographics)
# - `instrument.yaml#hypotheses` (the hypotheses)
# - `data/processed/` (from 01)
#
# Files written · 写出的文件:
# - `paper/text/08_estimator.tex` (ML, or MLR/WLSMV beside it when the items call for it)
# - `paper/tables/08_fit.tex`, `.docx`; `paper/text/08_fit.tex`
# - `paper/tables/08_paths.tex`, `.docx`; `paper/text/08_paths.tex`
# - `paper/tables/08_indirect.tex`, `.docx`; `paper/text/08_indirect.tex` (with mediation hypotheses)
# - `paper/figures/08_sem.pdf`, `.png`
# - with `method: pls` in `study.yaml` instead: `paper/tables/08_pls_measurement.tex`, `08_pls_htmt.tex`,
#   `08_pls_paths.tex`, `08_pls_indirect.tex` (and `.docx`), `paper/text/08_pls.tex`, `paper/figures/08_pls.pdf`, `.png`
# - `paper/results/08_sem.json`
# - `paper/chapter/08.json`

# %%
from IPython.display import display

from sqresearch.errors import ModelError
from sqresearch.measure.normality import estimator_recommendation
from sqresearch.model.hypotheses import estimates_from_pls
from sqresearch.model.pls import bootstrap_pls, fit_pls
from sqresearch.report import pls as report_pls
from sqresearch.report import sem as report_sem
from sqresearch.report.chapter import caption
from sqresearch.report.diagrams import sem_path_diagram
from sqresearch.report.modification import estimator_text
from sqresearch.sem import bootstrap_sem, fit_sem
from sqresearch.sem.robust import reported_fit
from sqresearch.study import load_study

study = load_study()
framework = study.framework
plan = study.plan
chapter = study.chapter("08")
data = study.analysis_data()  # cleaned, reverse-keyed items recoded (codebook)
model = framework.model_syntax()
results = {}

# %% [markdown]
# ## 模型、估计方法、拟合与路径系数 · Model, estimator, fit and structural paths
#
# 题项偏离正态（|偏度| ≥ 2 或 |峰度| ≥ 7，Curran, West & Finch, 1996）时，在 ML 旁报告稳健
# 最大似然（MLR）的校正 χ² 与稳健拟合指标；`study.yaml` 写 `estimator: WLSMV` 且题项不超过
# 5 个类别时报告 WLSMV。
#
# When items depart from normality (|skewness| ≥ 2 or |kurtosis| ≥ 7, Curran,
# West & Finch, 1996), robust ML (MLR) is reported beside ML: scaled χ² and
# robust fit indices; with `estimator: WLSMV` in `study.yaml` and items of at
# most 5 categories, WLSMV.

# %%
if plan.runs("sem"):
    chapter.section("sem")
    print(model)
    sem = fit_sem(model, data)
    items = [item for block in framework.blocks().values() for item in block]
    recommendation = estimator_recommendation(
        data, items, ordinal=study.config.get("estimator") == "WLSMV"
    )
    study.save_text(estimator_text(recommendation), "08_estimator")
    fits = {"ML": sem.fit}
    if recommendation.estimator != "ML":
        try:
            ordered = True if recommendation.estimator == "WLSMV" else None
            robust = fit_sem(model, data, estimator=recommendation.estimator, ordered=ordered)
            fits[recommendation.estimator] = reported_fit(robust.fit)
            results["robust"] = {"estimator": robust.estimator, "fit": robust.fit}
        except ModelError as exc:  # e.g. WLSMV with an observed predictor
            print(f"{recommendation.estimator} not estimable for this model: {exc}")
    study.save_text(report_sem.fit_text(sem.fit), "08_fit")
    fit_tab = report_sem.fit_table(fits if len(fits) > 1 else sem.fit)
    study.save_table(fit_tab, "08_fit")
    display(fit_tab)
    study.save_text(report_sem.sem_paths_text(sem.estimates), "08_paths")
    paths_tab = report_sem.sem_paths_table(sem.estimates, sem.r2)
    study.save_table(paths_tab, "08_paths")
    display(paths_tab)
    results.update(
        n=sem.n, converged=sem.converged, fit=sem.fit, r2=sem.r2.to_dict(),
        estimates=sem.estimates.to_dict("records"), estimator=recommendation.to_dict(),
    )  # fmt: skip
else:
    print(plan.why("sem"))

# %% [markdown]
# ## 间接效应的自助法置信区间 · Bootstrap CIs of the indirect effects
#
# 自助抽样次数 `sem_bootstrap` 与种子 `seed` 来自 `study.yaml`；报告百分位区间。
#
# Resamples (`sem_bootstrap`) and seed from `study.yaml`; percentile intervals.

# %%
if plan.runs("sem") and ":=" in model:
    boot = bootstrap_sem(model, data, n_boot=study.sem_bootstrap, seed=study.seed, progress=False)
    study.save_text(
        report_sem.sem_indirect_text(boot.table, n_boot=boot.n_boot), "08_indirect"
    )
    indirect_tab = report_sem.sem_indirect_table(boot.table, n_boot=boot.n_boot)
    study.save_table(indirect_tab, "08_indirect")
    display(indirect_tab)
    results["bootstrap"] = {
        "n_boot": boot.n_boot,
        "n_failed": boot.n_failed,
        "seed": boot.seed,
        "level": boot.level,
        "table": boot.table.to_dict("records"),
    }

# %% [markdown]
# ## 路径图 · Path diagram

# %%
if plan.runs("sem"):
    diagram = sem_path_diagram(sem.estimates, sem.r2, latent=framework.latent())
    study.save_figure(diagram, "08_sem", caption=caption("sem"))

# %% [markdown]
# ## PLS-SEM（`method: pls`）· PLS-SEM
#
# 选择 PLS-SEM 时：外部载荷与权重、α、ρ_A、ρ_C、AVE、HTMT，结构路径、f²、内部 VIF 与间接
# 效应，Bootstrap（`bootstrap` 次，百分位区间），与 SmartPLS 的报告一致。
#
# With PLS-SEM: outer loadings and weights, α, ρ_A, ρ_C, AVE, HTMT, the
# structural paths with f² and inner VIF, indirect effects, and the bootstrap
# (`bootstrap` resamples, percentile intervals), as SmartPLS reports them.

# %%
if plan.runs("pls"):
    chapter.section("pls")
    pls = fit_pls(framework.pls_syntax(), data)
    pls_boot = bootstrap_pls(pls, n_boot=study.bootstrap, seed=study.seed)
    study.save_text(report_pls.pls_text(pls, pls_boot), "08_pls")
    study.save_table(report_pls.pls_measurement_table(pls), "08_pls_measurement")
    study.save_table(report_pls.pls_htmt_table(pls, pls_boot), "08_pls_htmt")
    paths_tab = report_pls.pls_paths_table(pls, pls_boot)
    study.save_table(paths_tab, "08_pls_paths")
    display(paths_tab)
    if not pls.indirect.empty:
        study.save_table(report_pls.pls_indirect_table(pls, pls_boot), "08_pls_indirect")
    study.save_figure(
        report_pls.pls_path_diagram(pls, pls_boot), "08_pls", caption=caption("pls")
    )
    results["pls"] = pls.to_dict()
    results["pls_estimates"] = estimates_from_pls(pls_boot).to_dict("records")
else:
    print(plan.why("pls"))

# %%
study.save_results(results, "08_sem")
