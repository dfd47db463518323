"""The analysis plan: which analyses a study needs, decided from its instrument.

A chapter reports what the student studied and nothing else. Each analysis
of the pipeline runs only when the study has what it needs — moderation
tables only with a moderation hypothesis, discriminant validity only with two
or more constructs, difference analysis only with a grouping demographic —
and when it does not run, the plan says why in one line, in the study's
language. The notebooks ask the plan before each section.

Examples
--------
>>> from sqresearch.constructs import get_framework
>>> plan = analysis_plan(get_framework("tea_brand_factors"), lang="en")
>>> plan.runs("mediation"), plan.runs("moderation")
(True, False)
>>> plan.why("moderation")
'skipped: the study has no moderation hypothesis'
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

#: The analyses in pipeline order with their Chinese and English names.
STEPS = {
    "pilot": ("预调研项目分析", "pilot item analysis"),
    "demographics": ("样本基本特征", "sample characteristics"),
    "descriptives": ("描述性统计", "item descriptives"),
    "reliability": ("信度分析", "reliability"),
    "efa": ("探索性因子分析", "exploratory factor analysis"),
    "cfa": ("验证性因子分析", "confirmatory factor analysis"),
    "discriminant": ("区分效度", "discriminant validity"),
    "second_order": ("二阶验证性因子分析", "second-order CFA"),
    "cmb": ("共同方法偏差检验", "common-method bias"),
    "differences": ("差异分析", "group differences"),
    "invariance": ("测量不变性", "measurement invariance"),
    "correlation": ("相关分析", "correlations"),
    "regression": ("回归分析", "hierarchical regression"),
    "mediation": ("中介效应", "mediation"),
    "moderation": ("调节效应", "moderation"),
    "moderated_mediation": ("有调节的中介", "moderated mediation"),
    "sem": ("结构方程模型", "structural equation model"),
    "pls": ("偏最小二乘结构方程模型", "PLS-SEM"),
    "summary": ("假设检验汇总", "hypothesis summary"),
    "robustness": ("稳健性检验", "robustness check"),
}

#: Why a step does not run: (zh, en), by reason key.
REASONS = {
    "no_pilot": ("研究未设置预调研数据（study.yaml 的 pilot）", "the study names no pilot data (pilot in study.yaml)"),
    "no_demographics": ("问卷没有人口统计题", "the questionnaire has no demographic question"),
    "no_latent": ("研究没有多题项构念", "the study has no multi-item construct"),
    "few_items": ("题项太少，不足以做因子分析", "too few items for a factor analysis"),
    "no_df": ("测量模型的自由度为 0，拟合指标无意义", "the measurement model has no degrees of freedom, so fit cannot be tested"),
    "one_construct": ("研究只有一个构念", "the study has only one construct"),
    "no_second_order": ("研究没有二阶构念（instrument.yaml 中带 dimensions 的构念）", "the study has no second-order construct (a construct with dimensions in instrument.yaml)"),
    "no_groups": ("研究没有指定分组变量（instrument.yaml 的 groups）", "the study names no grouping demographic (groups in instrument.yaml)"),
    "no_invariance": ("研究没有指定测量不变性的分组变量（instrument.yaml 的 invariance）", "the study names no invariance grouping (invariance in instrument.yaml)"),
    "no_regression": ("研究没有回归假设", "the study has no regression hypothesis"),
    "no_indirect": ("研究没有中介假设", "the study has no mediation hypothesis"),
    "no_moderation": ("研究没有调节假设", "the study has no moderation hypothesis"),
    "no_moderated_mediation": ("研究没有有调节的中介假设", "the study has no moderated-mediation hypothesis"),
    "no_structural": ("研究没有路径或中介假设", "the study has no path or mediation hypothesis"),
    "pls": ("研究选择了 PLS-SEM（method: pls）", "the study chose PLS-SEM (method: pls)"),
    "not_pls": ("研究用协方差结构方程模型（method: sem）", "the study uses covariance-based SEM (method: sem)"),
    "no_hypotheses": ("研究没有假设", "the study has no hypothesis"),
    "no_sem": ("结构方程模型未运行", "the structural equation model does not run"),
}  # fmt: skip


@dataclass(frozen=True)
class ConditionalProcess:
    """A moderated mediation the hypotheses imply: PROCESS model 7 or 14.

    ``hypothesis`` is the id of an explicit ``moderated_mediation``
    hypothesis, or ``None`` when it follows from a moderation hypothesis on
    one stage of a mediation hypothesis.
    """

    x: str
    m: str
    y: str
    w: str
    model: int
    hypothesis: str | None = None

    @property
    def name(self) -> str:
        """A short name for file names: ``X_M_Y_W``."""
        return f"{self.x}_{self.m}_{self.y}_{self.w}"


def conditional_processes(framework) -> list[ConditionalProcess]:
    """Moderated mediations to test: explicit ones, then those moderation + mediation imply.

    A moderation of X -> M (W) with a mediation X -> M -> Y gives model 7 (first
    stage); a moderation of M -> Y with a mediation X -> M -> Y gives model 14
    (second stage).

    Examples
    --------
    >>> from sqresearch.constructs import get_framework
    >>> [(c.x, c.m, c.y, c.w, c.model) for c in conditional_processes(get_framework())]
    [('CVA', 'SOB', 'LOY', 'NBL', 7), ('IRI', 'SOB', 'LOY', 'NBL', 7)]
    """
    out: dict[tuple, ConditionalProcess] = {}
    for h in framework.hypotheses:
        if h.kind == "moderated_mediation":
            model = 7 if h.stage == "first" else 14
            out[(h.x, h.m, h.y, h.w, model)] = ConditionalProcess(h.x, h.m, h.y, h.w, model, h.id)
    single = [h for h in framework.hypotheses if h.kind == "indirect" and len(h.mediators) == 1]
    for mod in (h for h in framework.hypotheses if h.kind == "moderation"):
        for ind in single:
            if (ind.x, ind.m) == (mod.rhs, mod.lhs):
                key = (ind.x, ind.m, ind.y, mod.w, 7)
            elif (ind.m, ind.y) == (mod.rhs, mod.lhs):
                key = (ind.x, ind.m, ind.y, mod.w, 14)
            else:
                continue
            out.setdefault(key, ConditionalProcess(*key))
    return list(out.values())


def measurement_df(blocks: dict[str, list[str]]) -> int:
    """Degrees of freedom of a CFA of these blocks (marker identification, correlated factors).

    Examples
    --------
    >>> measurement_df({"A": ["a1", "a2", "a3"]}), measurement_df({"A": ["a1", "a2", "a3", "a4"]})
    (0, 2)
    """
    p = sum(len(items) for items in blocks.values())
    k = len(blocks)
    return p * (p + 1) // 2 - (2 * p - k + k * (k + 1) // 2)


@dataclass(frozen=True)
class AnalysisPlan:
    """Which analyses run, and why the others do not.

    Attributes
    ----------
    steps : DataFrame
        One row per analysis of :data:`STEPS`: ``step``, ``runs`` (bool),
        ``reason`` (a key of :data:`REASONS`, ``""`` when it runs).
    lang : {"zh", "en"}
    """

    steps: pd.DataFrame
    lang: str = "zh"

    def runs(self, step: str) -> bool:
        """Whether ``step`` runs."""
        return bool(self.steps.set_index("step").loc[step, "runs"])

    def why(self, step: str) -> str:
        """One line: why ``step`` does not run (empty when it runs)."""
        reason = self.steps.set_index("step").loc[step, "reason"]
        if not reason:
            return ""
        zh, en = REASONS[reason]
        return f"跳过：{zh}" if self.lang == "zh" else f"skipped: {en}"

    def to_dict(self) -> dict:
        """``{step: {"runs": bool, "reason": str}}``."""
        return {
            r.step: {"runs": bool(r.runs), "reason": self.why(r.step)} for r in self.steps.itertuples()
        }

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(STEPS[r.step][0 if self.lang == 'zh' else 1])}</td>"
            f"<td>{'✓' if r.runs else '—'}</td><td>{html.escape(self.why(r.step))}</td></tr>"
            for r in self.steps.itertuples()
        )
        return f"<table><tr><th>analysis</th><th>runs</th><th>why not</th></tr>{rows}</table>"


def analysis_plan(study_or_framework, *, lang: str | None = None, pilot: bool | None = None,
                  method: str | None = None) -> AnalysisPlan:  # fmt: skip
    """The analyses a study (or a framework) needs.

    Parameters
    ----------
    study_or_framework : Study or Framework
        A :class:`~sqresearch.study.Study` gives its framework, language,
        pilot data and method; a bare framework is planned in ``lang``
        without pilot data, by SEM.
    lang, pilot, method : optional
        Override the study's.
    """
    framework = getattr(study_or_framework, "framework", study_or_framework)
    lang = lang or getattr(study_or_framework, "language", "zh")
    pilot = bool(getattr(study_or_framework, "pilot", None)) if pilot is None else pilot
    method = method or getattr(study_or_framework, "method", "sem")
    kinds = {h.kind for h in framework.hypotheses}
    blocks = framework.blocks()
    items = sum(len(v) for v in blocks.values())
    cfa_ok = bool(blocks) and measurement_df(blocks) > 0
    structural = bool(kinds & {"path", "indirect"})
    sem_runs = structural and method == "sem"

    def need(condition: bool, reason: str) -> str:
        return "" if condition else reason

    reasons = {
        "pilot": need(pilot, "no_pilot"),
        "demographics": need(bool(framework.demographics), "no_demographics"),
        "descriptives": need(bool(blocks), "no_latent"),
        "reliability": need(bool(blocks), "no_latent"),
        "efa": need(bool(blocks), "no_latent") or need(items >= 3, "few_items"),
        "cfa": need(bool(blocks), "no_latent") or need(cfa_ok, "no_df"),
        "discriminant": need(len(blocks) >= 2, "one_construct") or need(cfa_ok, "no_df"),
        "second_order": need(bool(framework.higher()), "no_second_order"),
        "cmb": need(len(blocks) >= 2, "one_construct") or need(cfa_ok, "no_df"),
        "differences": need(bool(framework.groups), "no_groups"),
        "invariance": need(framework.invariance is not None, "no_invariance")
        or need(cfa_ok, "no_df"),
        "correlation": need(len(framework.constructs) >= 2, "one_construct"),
        "regression": need("regression" in kinds, "no_regression"),
        "mediation": need("indirect" in kinds, "no_indirect"),
        "moderation": need("moderation" in kinds, "no_moderation"),
        "moderated_mediation": need(bool(conditional_processes(framework)),
                                    "no_moderated_mediation"),  # fmt: skip
        "sem": need(structural, "no_structural") or need(method == "sem", "pls"),
        "pls": need(structural, "no_structural") or need(method == "pls", "not_pls"),
        "summary": need(bool(framework.hypotheses), "no_hypotheses"),
        "robustness": need(sem_runs, "no_sem"),
    }
    steps = pd.DataFrame(
        {"step": list(STEPS), "runs": [not reasons[s] for s in STEPS],
         "reason": [reasons[s] for s in STEPS]}  # fmt: skip
    )
    return AnalysisPlan(steps, lang)
