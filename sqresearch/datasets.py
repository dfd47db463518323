"""Simulated 问卷星 exports: the shipped default study's, and example data for any study.

:func:`write_example_data` writes an example export and its codebook
(:func:`example_codebook`) for any framework: a shipped template or a study's
own instrument (new constructs, 3-15 items, 5 or 7 points, reverse keys, its
own demographic levels, any number of attention checks, a screening question
or none, zh or en). Its population model is derived from the hypotheses
(:func:`design`, :func:`derived_paths`); the default study's framework keeps
the hand-set model below, so its data stay byte-identical.

:func:`write_default_study` writes ``data/raw/`` (what ``make data`` and
``sqresearch data`` run):

- ``wjx_tea_community_text.xlsx`` / ``.csv``: the export by option text
  (按选项文本), the form students usually download;
- ``wjx_tea_community_numeric.csv``: the same answers by option number
  (按选项序号);
- ``population.json``: the population model, its true parameters, the planted
  careless respondents by 序号 and why, and the values implied on the
  analysed (Likert) scale for the analyses of the later chapters;
- ``README.md``: what the files are.

The population model (:func:`population_model`) follows the default
framework of ``shared/FRAMEWORKS.md``: customer value (CVA), interaction
ritual (IRI) and consumption experience (CEX) raise the sense of belonging
(SOB), more so for members with a strong need to belong (NBL x CVA and
NBL x IRI interactions); SOB raises loyalty (LOY) and purchase intention
(PIN); the four tea-brand factors (BRD, CUL, PRO, PUB) raise PIN; tenure,
income and age have small effects. Latent variables are standard normal,
every indicator and endogenous variable has total variance 1 (see
:mod:`sqresearch.simulate`), and the continuous scores are cut into the
5-point agreement scale with :func:`sqresearch.simulate.default_thresholds`.

The export has the mess of a real download: speeders, straight-liners,
failed attention checks, exact duplicate submissions, screened-out
members, blank answers, and personal data (IP addresses, phone numbers and
WeChat/QQ IDs in a free-text contact question). Reverse-keyed items are
written as respondents answer them (reversed). Everything derives from one
seed: two runs write byte-identical files.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from sqresearch.constructs import Framework, Level, get_framework
from sqresearch.constructs.catalogue import pick
from sqresearch.errors import InputError, ModelError
from sqresearch.report.ooxml import normalise_package
from sqresearch.sem.fit import fit_sem
from sqresearch.simulate import (
    default_thresholds,
    simulate_data,
    thresholds_from_proportions,
)
from sqresearch.thresholds import threshold

FRAMEWORK = "tea_brand_community"
#: Seed of the shipped data (also ``study.yaml``'s seed).
DEFAULT_SEED = 20261123
#: Rows in the export (submissions, duplicates and screened-out ones included).
N_ROWS = 520
#: Size of the one large sample the implied values come from.
IMPLIED_N = 200_000
#: Decimals kept for the implied values (Monte Carlo error at 200 000 is ~0.002).
IMPLIED_DECIMALS = 6

TEXT_XLSX = "wjx_tea_community_text.xlsx"
TEXT_CSV = "wjx_tea_community_text.csv"
NUMERIC_CSV = "wjx_tea_community_numeric.csv"
POPULATION_JSON = "population.json"
README = "README.md"
#: CSV encoding: UTF-8 with a byte-order mark, which Excel opens correctly
#: (问卷星 also offers GBK; sqresearch.io reads both).
CSV_ENCODING = "utf-8-sig"

# -- the population model ------------------------------------------------------

#: Loadings of a construct's items in order (cycled); reverse-keyed items load lower.
LOADING_PATTERN = (0.84, 0.78, 0.72, 0.80, 0.69, 0.75)
REVERSE_LOADING = 0.66
#: Loadings of a second-order construct's dimensions.
SECOND_ORDER_LOADING = 0.8

#: Correlations of the exogenous latent constructs and demographics (others 0).
EXOGENOUS_COVARIANCES = {
    ("CVA", "IRI"): 0.45,
    ("CVA", "CEX"): 0.50,
    ("IRI", "CEX"): 0.45,
    ("NBL", "CVA"): 0.15,
    ("NBL", "IRI"): 0.20,
    ("NBL", "CEX"): 0.15,
    ("BRD", "CUL"): 0.40,
    ("BRD", "PRO"): 0.45,
    ("BRD", "PUB"): 0.35,
    ("CUL", "PRO"): 0.35,
    ("CUL", "PUB"): 0.40,
    ("PRO", "PUB"): 0.40,
    ("BRD", "CVA"): 0.35,
    ("BRD", "IRI"): 0.25,
    ("BRD", "CEX"): 0.30,
    ("CUL", "CVA"): 0.25,
    ("CUL", "IRI"): 0.30,
    ("CUL", "CEX"): 0.35,
    ("PRO", "CVA"): 0.30,
    ("PRO", "IRI"): 0.20,
    ("PRO", "CEX"): 0.25,
    ("PUB", "CVA"): 0.20,
    ("PUB", "IRI"): 0.20,
    ("PUB", "CEX"): 0.20,
    ("AGE", "INCOME"): 0.35,
    ("EDU", "INCOME"): 0.30,
    ("AGE", "EDU"): -0.10,
    ("AGE", "TENURE"): 0.20,
    ("GENDER", "CUL"): 0.10,
    ("TENURE", "IRI"): 0.15,
}

#: Structural paths (standardised); a tuple is a latent interaction.
PATHS: dict[str, dict[str | tuple[str, str], float]] = {
    "SOB": {
        "CVA": 0.30,
        "IRI": 0.25,
        "CEX": 0.20,
        "NBL": 0.12,
        ("CVA", "NBL"): 0.15,
        ("IRI", "NBL"): 0.12,
        "TENURE": 0.08,
    },
    "LOY": {"SOB": 0.55, "TENURE": 0.10},
    "PIN": {
        "SOB": 0.30,
        "BRD": 0.18,
        "CUL": 0.14,
        "PRO": 0.10,
        "PUB": 0.06,
        "INCOME": 0.08,
        "AGE": -0.06,
    },
    "STAGE": {"SOB": 0.45, "TENURE": 0.15},
}

#: Category proportions of the demographic and classification questions
#: (levels in the catalogue's order); each is a standard normal score cut
#: at the matching quantiles, so it can carry the small effects above.
DEMOGRAPHIC_PROPORTIONS = {
    "GENDER": (0.42, 0.58),
    "AGE": (0.24, 0.28, 0.27, 0.14, 0.07),
    "EDU": (0.10, 0.24, 0.52, 0.14),
    "INCOME": (0.14, 0.24, 0.30, 0.20, 0.12),
    "TENURE": (0.12, 0.20, 0.28, 0.25, 0.15),
    "STAGE": (0.22, 0.36, 0.28, 0.14),
}

# -- the population model of any other framework (see derived_paths) -------------

#: A hypothesised path (standardised).
EFFECT = 0.3
#: The direct path X -> Y of a mediation hypothesis.
DIRECT = 0.1
#: The moderator's own path, and the latent interaction, of a moderation.
MODERATOR, INTERACTION = 0.15, 0.15
#: Path from a grouping variable's score to the construct a difference hypothesis compares.
GROUP_SHIFT = 0.25
#: Correlation of exogenous constructs.
CORRELATION = 0.3
#: Largest share of an outcome's variance its paths may explain, bounded by (sum ``|b|`` sd)^2.
MAX_EXPLAINED = 0.9
#: Relative sizes of a question's categories (cycled): near-uniform.
LEVEL_WEIGHTS = (1.0, 1.3, 1.1, 0.8, 0.9, 1.2, 0.7)

# -- the mess ------------------------------------------------------------------

#: Planted problem rows (disjoint by construction).
PLANTED = {"screened_out": 8, "speeder": 15, "straightliner": 12, "attention": 10, "duplicate": 5}
#: Respondents who leave 1-3 Likert items blank.
MISSING_ROWS = 18
#: Share of respondents who write something into the contact question.
CONTACT_SHARE = 0.3
#: First day of fieldwork and its length: submission times are drawn in it.
FIELD_START = datetime(2025, 10, 9)
FIELD_DAYS = 12
#: The matrix (construct) the attention check sits in, and its row position there.
ATTENTION_MATRIX, ATTENTION_POSITION = "LOY", 2

SKIPPED = -3  # 问卷星's code for a question skipped by logic (text form: "(跳过)")
SKIPPED_TEXT = "(跳过)"
EMPTY_TEXT = "(空)"  # an unanswered fill-in question
MATRIX_TITLE = "请根据您的真实感受作答"
CONTACT_QUESTION = "如愿意参加后续访谈，请留下您的手机号或微信号:"
#: The same in an English questionnaire.
MATRIX_TITLE_EN = "Please answer as you really feel"
CONTACT_QUESTION_EN = "If you are willing to take part in a follow-up interview, leave your phone number or WeChat ID:"
#: The platform columns 问卷星 writes before the questions.
PLATFORM_COLUMNS = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
SOURCES = (("微信", "N/A"), ("手机提交", "直接访问"), ("链接", "直接访问"))
SOURCE_WEIGHTS = (0.72, 0.18, 0.10)
PLACES = (
    "浙江-杭州", "福建-福州", "福建-泉州", "云南-昆明", "广东-广州", "广东-深圳", "北京-北京",
    "上海-上海", "四川-成都", "江苏-南京", "湖南-长沙", "安徽-合肥", "湖北-武汉", "浙江-宁波",
)  # fmt: skip
FIRST_OCTETS = (36, 39, 58, 59, 60, 61, 101, 106, 111, 112, 113, 114, 115, 117, 119, 120,
                121, 122, 123, 125, 171, 180, 182, 183, 218, 220, 221, 222, 223)  # fmt: skip

#: The rules behind population.json's "flags" (the cleaning step has its own,
#: configurable ones, e.g. a longstring share instead of all-identical answers).
RULES = {
    "screened_out": "the screening answer is not an eligible option (the survey then ends: "
    "every later question shows (跳过))",
    "speeder": "eligible submissions whose 所用时间 is under one third of the median 所用时间 "
    "of eligible submissions",
    "straightliner": "eligible submissions giving the same answer to every Likert matrix row "
    "(the attention check included)",
    "attention": "eligible submissions whose ATT1 answer is not the expected option",
    "duplicate": "eligible submissions whose answers to every question equal those of an "
    "earlier eligible submission (the later one is flagged)",
}


# ---------------------------------------------------------------------------
# the population model
# ---------------------------------------------------------------------------


def _framework(framework: Framework | None) -> Framework:
    return get_framework(FRAMEWORK) if framework is None else framework


@dataclass(frozen=True)
class Design:
    """The population model behind a framework's simulated export.

    Attributes
    ----------
    paths : dict
        ``{outcome: {predictor: value}}``, standardised; a tuple predictor is
        a latent interaction.
    covariances : dict
        ``{(a, b): correlation}`` of exogenous variables.
    proportions : dict
        ``{demographic or single-item code: category proportions}``, in the
        order of its levels.
    planted : dict
        Planted problem rows by kind (see :data:`PLANTED`).
    n_rows : int
        Rows of the export.
    """

    paths: dict[str, dict[str | tuple[str, str], float]]
    covariances: dict[tuple[str, str], float]
    proportions: dict[str, tuple[float, ...]]
    planted: dict[str, int]
    n_rows: int


def _signature(fw: Framework) -> tuple:
    """What the default population model depends on (the wording may differ)."""
    cat = fw.catalogue
    screen = cat.instrument.screening
    return (
        fw.blocks(),
        fw.reverse_items(),
        [cat.item(i).scale.points for items in fw.blocks().values() for i in items],
        [(h.kind, h.lhs, h.rhs, h.mediators, h.w, h.serial, h.stage, h.by) for h in fw.hypotheses],
        [(d, [lv.value for lv in cat.demographics[d].levels]) for d in fw.demographics],
        [c for c in fw.constructs if cat.constructs[c].kind != "latent"],
        [(a.code, a.expected, a.scale.points) for a in cat.attention_checks],
        None
        if screen is None
        else ([lv.value for lv in screen.levels], cat.instrument.screening_eligible),
        fw.controls,
    )


def uses_default_model(framework: Framework) -> bool:
    """Whether ``framework`` is the default study's (same constructs, items, keys,
    hypotheses, demographic levels, checks), so its export comes from the
    default population model (:data:`PATHS`), whatever its wording.

    Examples
    --------
    >>> uses_default_model(get_framework()), uses_default_model(get_framework("community_layers"))
    (True, False)
    """
    return framework is None or _signature(framework) == _signature(get_framework(FRAMEWORK))


def design(framework: Framework | None = None, n_rows: int | None = None) -> Design:
    """The population model and planted problems of a framework's simulated export.

    The default study's framework (:func:`uses_default_model`) gets the
    hand-set model of this module (:data:`PATHS`, :data:`EXOGENOUS_COVARIANCES`,
    :data:`DEMOGRAPHIC_PROPORTIONS`); any other framework one derived from its
    hypotheses (:func:`derived_paths`). Planted problems scale with ``n_rows``
    (default :data:`N_ROWS`); a questionnaire without a screening question or
    an attention check gets none of that kind.

    Examples
    --------
    >>> d = design(get_framework("community_layers"), n_rows=260)
    >>> d.paths["ENG"], d.planted["speeder"]
    ({'CVA': 0.3, 'IRI': 0.3, 'CEX': 0.3}, 8)
    """
    fw = _framework(framework)
    n_rows = N_ROWS if n_rows is None else int(n_rows)
    if n_rows < 60:
        raise InputError("an example export needs at least 60 rows", value=n_rows)
    planted = {k: max(1, round(v * n_rows / N_ROWS)) for k, v in PLANTED.items()}
    if fw.catalogue.instrument.screening is None:
        planted["screened_out"] = 0
    if not fw.catalogue.attention_checks:
        planted["attention"] = 0
    if uses_default_model(fw):
        return Design(PATHS, EXOGENOUS_COVARIANCES, DEMOGRAPHIC_PROPORTIONS, planted, n_rows)
    paths, covariances = derived_paths(fw)
    proportions = {code: _uniformish(len(_levels(fw, code))) for code in _categorical(fw)}
    return Design(paths, covariances, proportions, planted, n_rows)


def _uniformish(k: int) -> tuple[float, ...]:
    """Category proportions near 1/k (weights :data:`LEVEL_WEIGHTS`, cycled)."""
    weights = [LEVEL_WEIGHTS[i % len(LEVEL_WEIGHTS)] for i in range(k)]
    return tuple(round(w / sum(weights), 4) for w in weights)


def _categorical(fw: Framework) -> list[str]:
    """Codes of the single-choice questions: demographics, then single-item constructs."""
    singles = [
        fw.catalogue.constructs[c].items[0].code
        for c in fw.constructs
        if fw.catalogue.constructs[c].kind == "single"
    ]
    return list(dict.fromkeys([*fw.demographics, *singles]))


def _levels(fw: Framework, code: str) -> list[Level]:
    """The levels of a demographic or single-item question, in the order fielded."""
    cat = fw.catalogue
    if code in cat.demographics:
        return list(cat.demographics[code].levels)
    scale = cat.item(code).scale
    return [Level(i, zh, en) for i, (zh, en) in enumerate(zip(scale.anchors_zh, scale.anchors_en,
                                                               strict=True), 1)]  # fmt: skip


def _question(fw: Framework, code: str) -> tuple[str, str]:
    """(zh, en) wording of a demographic or single-item question."""
    cat = fw.catalogue
    if code in cat.demographics:
        return cat.demographics[code].question_zh, cat.demographics[code].question_en
    item = cat.item(code)
    return item.text_zh, item.text_en


def derived_paths(
    framework: Framework,
) -> tuple[dict[str, dict[str | tuple[str, str], float]], dict[tuple[str, str], float]]:
    """Structural paths and exogenous correlations implied by a framework's hypotheses.

    Path and indirect hypotheses give the SEM's paths
    (:func:`sqresearch.model.power.population_from_framework`: every
    hypothesised path :data:`EFFECT`, the direct path of a mediation
    :data:`DIRECT`); a regression hypothesis adds its path (:data:`EFFECT`); a
    moderation (or the moderated stage of a moderated mediation) adds the
    moderator (:data:`MODERATOR`) and the latent interaction
    (:data:`INTERACTION`); a difference hypothesis shifts the construct by
    :data:`GROUP_SHIFT` per SD of the grouping variable's score (a small mean
    difference between its groups). An edge that would close a loop is left
    out, as is an interaction of a variable that already depends on one;
    an outcome whose paths could explain more than :data:`MAX_EXPLAINED` of
    its variance has them scaled down. Exogenous constructs correlate
    :data:`CORRELATION`. Single-item constructs appear as their question.

    Examples
    --------
    >>> paths, cov = derived_paths(get_framework("tea_brand_factors"))
    >>> paths["LOY"], cov[("BRD", "CUL")]
    ({'PIN': 0.3, 'PRO': 0.1}, 0.3)
    """
    from sqresearch.model.power import population_from_framework
    from sqresearch.simulate import parse_population_model

    fw = framework
    cat = fw.catalogue
    rename = {c: cat.constructs[c].items[0].code for c in fw.constructs
              if cat.constructs[c].kind == "single"}  # fmt: skip

    def name(code: str) -> str:
        return rename.get(code, code)

    paths: dict[str, dict[str | tuple[str, str], float]] = {}

    def ancestors(v: str) -> set[str]:
        seen, todo = set(), [v]
        while todo:
            for p in paths.get(todo.pop(), {}):
                for q in p if isinstance(p, tuple) else (p,):
                    if q not in seen:
                        seen.add(q)
                        todo.append(q)
        return seen

    def add(y: str, x: str | tuple[str, str], value: float) -> None:
        y = name(y)
        x = tuple(map(name, x)) if isinstance(x, tuple) else name(x)
        sources = x if isinstance(x, tuple) else (x,)
        if any(s == y or y in ancestors(s) for s in sources):
            return
        paths.setdefault(y, {}).setdefault(x, value)

    sem = parse_population_model(
        population_from_framework(fw, effect=EFFECT, direct=DIRECT, correlation=CORRELATION)
    )
    for y, terms in sem.regressions.items():
        for x, value in terms.items():
            add(y, x, value)
    for h in fw.hypotheses:
        if h.kind == "regression":
            add(h.lhs, h.rhs, EFFECT)
        elif h.kind == "moderation":
            add(h.lhs, h.rhs, EFFECT)
            add(h.lhs, h.w, MODERATOR)
            add(h.lhs, (h.rhs, h.w), INTERACTION)
        elif h.kind == "moderated_mediation":
            add(h.m, h.x, EFFECT)
            add(h.y, h.m, EFFECT)
            add(h.y, h.x, DIRECT)
            stage = (h.m, h.x) if h.stage == "first" else (h.y, h.m)
            add(stage[0], h.w, MODERATOR)
            add(stage[0], (stage[1], h.w), INTERACTION)
        elif h.kind == "difference":
            add(h.lhs, h.by, GROUP_SHIFT)
    # a product's components must not depend on another product (sqresearch.simulate)
    has_product: dict[str, bool] = {}

    def product_below(v: str) -> bool:
        if v not in has_product:
            has_product[v] = False
            has_product[v] = any(isinstance(p, tuple) or product_below(p) for p in paths.get(v, {}))
        return has_product[v]

    for y in list(paths):
        for x in [p for p in paths[y] if isinstance(p, tuple)]:
            if any(product_below(c) for c in x):
                del paths[y][x]
        has_product.clear()
    for terms in paths.values():
        spread = sum(abs(v) * (np.sqrt(2) if isinstance(x, tuple) else 1) for x, v in terms.items())
        if spread**2 > MAX_EXPLAINED:
            shrink = np.sqrt(MAX_EXPLAINED) / spread
            for x in terms:
                terms[x] = round(terms[x] * shrink, 3)
    demographics = set(fw.demographics) - set(rename.values())
    # exogenous: no arrow from another construct (a grouping variable's may point at it)
    # (a second-order construct's dimensions are explained by it, not exogenous)
    dimensions = {d for dims in fw.higher().values() for d in dims}
    exogenous = [name(c) for c in fw.constructs
                 if c not in dimensions and set(paths.get(name(c), {})) <= demographics]  # fmt: skip
    covariances = {(a, b): CORRELATION for i, a in enumerate(exogenous) for b in exogenous[i + 1 :]}
    return paths, covariances


def true_loadings(framework: Framework | None = None) -> dict[str, float]:
    """``{item code: loading}`` of the population model.

    Examples
    --------
    >>> load = true_loadings()
    >>> load["CVA1"], load["IRI5"]  # IRI5 is reverse-keyed
    (0.84, 0.66)
    """
    fw = _framework(framework)
    out: dict[str, float] = {}
    for items in fw.blocks().values():
        for i, item in enumerate(items):
            reverse = fw.catalogue.item(item).reverse
            out[item] = REVERSE_LOADING if reverse else LOADING_PATTERN[i % len(LOADING_PATTERN)]
    return out


def population_model(framework: Framework | None = None) -> str:
    """A framework's population model in lavaan syntax with fixed values (see :func:`design`).

    Examples
    --------
    >>> print(population_model().splitlines()[1])
    CVA =~ 0.84*CVA1 + 0.78*CVA2 + 0.72*CVA3 + 0.8*CVA4 + 0.69*CVA5
    >>> print(population_model(get_framework("community_layers")).splitlines()[9])
    ENG ~ 0.3*CVA + 0.3*IRI + 0.3*CEX
    """
    fw = _framework(framework)
    plan = design(fw)
    loadings = true_loadings(fw)
    lines = ["# 1. latent variables"]
    for code, items in fw.blocks().items():
        lines.append(f"{code} =~ " + " + ".join(f"{loadings[i]:g}*{i}" for i in items))
    for code, dimensions in fw.higher().items():  # a second-order construct: its dimensions load .8
        lines.append(f"{code} =~ " + " + ".join(f"{SECOND_ORDER_LOADING:g}*{d}" for d in dimensions))
    lines.append("")
    lines.append("# 2. regressions")
    for y, terms in plan.paths.items():
        parts = [f"{b:g}*{':'.join(x) if isinstance(x, tuple) else x}" for x, b in terms.items()]
        lines.append(f"{y} ~ " + " + ".join(parts))
    lines.append("")
    lines.append("# 3. covariances")
    for (a, b), r in plan.covariances.items():
        lines.append(f"{a} ~~ {r:g}*{b}")
    named = {v for y, terms in plan.paths.items() for x in terms
             for v in (y, *(x if isinstance(x, tuple) else (x,)))}  # fmt: skip
    named |= {v for pair in plan.covariances for v in pair}
    # questions no path or covariance names: standard normal scores of their own
    lines += [f"{code} ~~ 1*{code}" for code in plan.proportions if code not in named]
    return "\n".join(lines) + "\n"


def likert_thresholds(framework: Framework | None = None) -> dict[str, list[float]]:
    """Cut points (population-SD units) of every observed variable of the population model."""
    fw = _framework(framework)
    out = {
        item: default_thresholds(fw.catalogue.item(item).scale.points).tolist()
        for items in fw.blocks().values()
        for item in items
    }
    for code, props in design(fw).proportions.items():
        out[code] = thresholds_from_proportions(props).tolist()
    return out


def simulate_respondents(n: int, seed, framework: Framework | None = None) -> pd.DataFrame:
    """``n`` attentive respondents on the analysed scale (items content-keyed, codes 1..k).

    Demographics and single-item questions are option values (``GENDER`` 1
    男 2 女 ..., the study's own level values), items agree with their
    construct (reverse-keyed items are reversed when written to the export,
    see :func:`build_export`).
    """
    fw = _framework(framework)
    data = simulate_data(population_model(fw), n, seed, thresholds=likert_thresholds(fw))
    for code in design(fw).proportions:
        values = [lv.value for lv in _levels(fw, code)]
        if values != list(range(1, len(values) + 1)):  # categories 1..k -> the level values
            data[code] = data[code].map(dict(enumerate(values, 1)))
    return data


# ---------------------------------------------------------------------------
# the questionnaire as 问卷星 lays it out
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One export column: its header, what it holds (``kind``), its code."""

    header: str
    kind: str  # "screen" | "demographic" | "item" | "attention" | "contact"
    code: str


def questionnaire_columns(framework: Framework | None = None, lang: str = "zh") -> list[Question]:
    """The export's question columns in order, with 问卷星's headers.

    The screening question first (if the questionnaire has one), then the
    demographics in the order fielded and the single-item constructs'
    questions, then one matrix question per latent construct (attention
    checks are rows of matrices: one check sits in the
    :data:`ATTENTION_MATRIX` matrix, or in the middle one of a framework
    without it; several are spread over the matrices), then the optional
    contact question. Wording in ``lang`` ("zh" or "en").

    Examples
    --------
    >>> cols = questionnaire_columns()
    >>> [(q.header[:2], q.kind, q.code) for q in cols[:2]]
    [('1、', 'screen', 'SCREEN'), ('2、', 'demographic', 'GENDER')]
    >>> cols[7].header.split("—")[0], cols[7].code
    ('8、请根据您的真实感受作答', 'CVA1')
    >>> questionnaire_columns(get_framework("maslow_belonging"), "en")[1].header
    '2、What is your gender?'
    """
    fw = _framework(framework)
    cat = fw.catalogue
    zh = pick(True, False, lang)
    screen = cat.instrument.screening
    out = []
    if screen is not None:
        out.append(Question(f"{len(out) + 1}、{screen.question(lang)}", "screen", screen.code))
    for code in _categorical(fw):
        out.append(Question(f"{len(out) + 1}、{pick(*_question(fw, code), lang)}", "demographic",
                            code))  # fmt: skip
    number = len(out) + 1
    blocks = fw.blocks()
    rows = {c: [(i, "item", cat.item(i).text(lang)) for i in items] for c, items in blocks.items()}
    checks = cat.attention_checks
    if not rows and checks:  # no matrix to hide them in: a matrix of their own
        rows = {"ATT": []}
    hosts = list(rows)
    for j, check in enumerate(checks):
        if len(checks) == 1 and ATTENTION_MATRIX in rows:
            host = ATTENTION_MATRIX
        else:
            host = hosts[(j + 1) * len(hosts) // (len(checks) + 1) % len(hosts)]
        position = min(ATTENTION_POSITION, len(rows[host]))
        while position < len(rows[host]) and rows[host][position][1] == "attention":
            position += 1
        rows[host].insert(position, (check.code, "attention", check.text(lang)))
    title = MATRIX_TITLE if zh else MATRIX_TITLE_EN
    for matrix in rows.values():
        for code, kind, text in matrix:
            out.append(Question(f"{number}、{title}—{text}", kind, code))
        number += 1
    contact = CONTACT_QUESTION if zh else CONTACT_QUESTION_EN
    out.append(Question(f"{number}、{contact}", "contact", "CONTACT"))
    return out


# ---------------------------------------------------------------------------
# building the export
# ---------------------------------------------------------------------------


@dataclass
class WjxExport:
    """The simulated export in both forms, with what was planted in it.

    Attributes
    ----------
    text, numeric : DataFrame
        The 按选项文本 and 按选项序号 forms (same rows and headers).
    planted : list of dict
        ``{"序号", "kind", ...}`` per planted problem row.
    missing : dict
        Blank Likert answers: ``cells`` and the ``rows`` (序号) holding them.
    flags : dict
        ``{rule: [序号, ...]}`` from :data:`RULES` applied to the export.
    """

    text: pd.DataFrame
    numeric: pd.DataFrame
    planted: list[dict]
    missing: dict
    flags: dict[str, list[int]]


def _contact(rng: np.random.Generator) -> str:
    """A fake phone number, WeChat ID, QQ number or e-mail, as people type them."""
    return str(_contact_text(rng))


def _contact_text(rng: np.random.Generator) -> str:
    kind = rng.choice(4, p=[0.45, 0.35, 0.12, 0.08])
    digits = "".join(map(str, rng.integers(0, 10, 9)))
    if kind == 0:
        phone = f"1{rng.choice(list('3456789'))}{digits}"
        return rng.choice([phone, f"电话{phone}", f"{phone[:3]} {phone[3:7]} {phone[7:]}"])
    if kind == 1:
        letters = "".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), int(rng.integers(4, 8))))
        handle = rng.choice(
            [f"wxid_{letters}{digits[:4]}", f"{letters}_{digits[:3]}", f"tea{letters}"]
        )
        return rng.choice([f"微信:{handle}", f"wx {handle}", handle])
    qq = digits[: int(rng.integers(7, 10))].lstrip("0") or "10001"
    if kind == 2:
        return f"QQ{qq}"
    return f"{qq}@qq.com"


def _durations(kind: str, size: int, rng: np.random.Generator) -> np.ndarray:
    """所用时间 in seconds for a group of rows."""
    if kind == "speeder":
        return rng.integers(38, 96, size)
    if kind == "straightliner":
        return rng.integers(125, 230, size)
    if kind == "screened_out":
        return rng.integers(9, 29, size)
    seconds = np.exp(rng.normal(np.log(320), 0.35, size))
    lingering = rng.random(size) < 0.01  # left the page open
    seconds[lingering] *= rng.uniform(4, 10, lingering.sum())
    return np.clip(np.round(seconds), 140, None).astype(int)


def _submission_times(size: int, rng: np.random.Generator) -> list[datetime]:
    """Submission times over the fieldwork window: busier early days, evenings and lunch."""
    day_w = 0.85 ** np.arange(FIELD_DAYS)
    hours = np.arange(7, 24)
    hour_w = np.array([1, 2, 3, 3, 3, 5, 5, 3, 3, 3, 3, 4, 5, 7, 8, 7, 4], dtype=float)
    days = rng.choice(FIELD_DAYS, size, p=day_w / day_w.sum())
    hrs = rng.choice(hours, size, p=hour_w / hour_w.sum())
    secs = rng.integers(0, 3600, size)
    return [
        FIELD_START + timedelta(days=int(d), hours=int(h), seconds=int(s))
        for d, h, s in zip(days, hrs, secs, strict=True)
    ]


def _ip(rng: np.random.Generator) -> str:
    octets = [int(rng.choice(FIRST_OCTETS)), *map(int, rng.integers(1, 255, 3))]
    return ".".join(map(str, octets)) + f"({rng.choice(PLACES)})"


def _wjx_time(t: datetime) -> str:
    return f"{t.year}/{t.month}/{t.day} {t:%H:%M:%S}"


def _clicked_answers(
    people: pd.DataFrame, questions: list[Question], fw: Framework
) -> pd.DataFrame:
    """Option codes as attentive respondents click them: reverse-keyed items reversed."""
    cat = fw.catalogue
    raw = pd.DataFrame(index=people.index)
    for q in questions:
        if q.kind == "screen":
            raw[q.code] = cat.instrument.screening_eligible[0]
        elif q.kind == "demographic":
            raw[q.code] = people[q.code]
        elif q.kind == "item":
            item = cat.item(q.code)
            x = people[q.code]
            raw[q.code] = item.scale.points + 1 - x if item.reverse else x
        elif q.kind == "attention":
            raw[q.code] = cat.item(q.code).expected
    return raw.astype(object)


def _plant_careless(
    raw: pd.DataFrame,
    questions: list[Question],
    fw: Framework,
    rng: np.random.Generator,
    planted: dict[str, int] | None = None,
) -> dict[str, np.ndarray]:
    """Turn disjoint random sets of rows into speeders (random clicks), straight-liners
    and attention-check failures, in place; return ``{kind: row indices}``."""
    cat = fw.catalogue
    planted = PLANTED if planted is None else planted
    order = rng.permutation(len(raw))
    groups, start = {}, 0
    for kind in ("speeder", "straightliner", "attention"):
        groups[kind] = order[start : start + planted[kind]]
        start += planted[kind]
    likert = [q.code for q in questions if q.kind in ("item", "attention")]
    points = {c: cat.item(c).scale.points for c in likert}
    for i in groups["speeder"]:
        for q in questions:
            if q.kind == "demographic":
                levels = [lv.value for lv in _levels(fw, q.code)]
                raw.at[i, q.code] = int(rng.choice(levels))
            elif q.code in points:
                raw.at[i, q.code] = int(rng.integers(1, points[q.code] + 1))
    for i in groups["straightliner"]:
        value = int(rng.choice([3, 4, 5], p=[0.2, 0.4, 0.4]))
        for code in likert:
            raw.at[i, code] = value
    checks = cat.attention_checks
    for i in groups["attention"]:
        check = checks[0] if len(checks) == 1 else checks[int(rng.integers(len(checks)))]
        wrong = [v for v in range(1, check.scale.points + 1) if v != check.expected]
        raw.at[i, check.code] = int(rng.choice(wrong))
    return groups


def _blank_answers(
    raw: pd.DataFrame, rows: np.ndarray, items: list[str], rng: np.random.Generator
) -> int:
    """Blank 1-3 Likert items in each of ``rows`` (in place); return the number of cells."""
    cells = 0
    for i in rows:
        for code in rng.choice(items, min(int(rng.integers(1, 4)), len(items)), replace=False):
            raw.at[i, code] = None
            cells += 1
    return cells


def build_export(
    seed: int = DEFAULT_SEED,
    framework: Framework | None = None,
    *,
    n_rows: int | None = None,
    lang: str = "zh",
) -> WjxExport:
    """Simulate a framework's 问卷星 export (both forms) from ``seed``.

    The default study's framework gives the shipped data; any other framework
    (a shipped template or a study's own instrument) an export drawn from the
    population model :func:`design` derives from its hypotheses, with the
    same kinds of mess, scaled to ``n_rows`` (default :data:`N_ROWS`).
    Independent random streams (``SeedSequence(seed).spawn``) drive the
    answers, the planted problems, the blanks, the platform columns and the
    contact answers, so changing one part leaves the others as they were.

    Parameters
    ----------
    seed : int
    framework : Framework, optional
        Default: the default study's.
    n_rows : int, optional
        Rows of the export (submissions, duplicates and screened-out ones included).
    lang : {"zh", "en"}
        Language of the questionnaire's wording and answer labels.

    Examples
    --------
    >>> export = build_export()
    >>> export.text.shape[0], export.text.columns[:3].tolist()
    (520, ['序号', '提交答卷时间', '所用时间'])
    >>> {k: len(v) for k, v in export.flags.items()}["duplicate"]
    5
    >>> other = build_export(1, get_framework("maslow_belonging"), n_rows=200, lang="en")
    >>> other.text.shape[0], sorted(set(other.text.iloc[:, 7]) - {"(跳过)"})
    (200, ['Female', 'Male'])
    """
    fw = _framework(framework)
    cat = fw.catalogue
    plan = design(fw, n_rows)
    planted = plan.planted
    questions = questionnaire_columns(fw, lang)
    s_answers, s_plant, s_missing, s_meta, s_contact = np.random.SeedSequence(seed).spawn(5)
    rng_plant, rng_meta = np.random.default_rng(s_plant), np.random.default_rng(s_meta)
    rng_missing, rng_contact = np.random.default_rng(s_missing), np.random.default_rng(s_contact)

    n_answering = plan.n_rows - planted["duplicate"] - planted["screened_out"]
    people = simulate_respondents(n_answering, np.random.default_rng(s_answers), fw)
    raw = _clicked_answers(people, questions, fw)
    groups = _plant_careless(raw, questions, fw, rng_plant, planted)
    clean = np.setdiff1d(np.arange(n_answering), np.concatenate(list(groups.values())))
    n_blank = min(MISSING_ROWS if plan.n_rows == N_ROWS else round(MISSING_ROWS * plan.n_rows / N_ROWS),
                  len(clean) // 4)  # fmt: skip
    blank_rows = np.sort(rng_missing.choice(clean, n_blank, replace=False))
    items = [q.code for q in questions if q.kind == "item"]
    blank_cells = _blank_answers(raw, blank_rows, items, rng_missing)
    raw["CONTACT"] = [
        _contact(rng_contact) if rng_contact.random() < CONTACT_SHARE else EMPTY_TEXT
        for _ in range(n_answering)
    ]

    # screened-out members (the survey ends after question 1) and resubmissions
    screen = cat.instrument.screening
    screened = pd.DataFrame(SKIPPED, index=range(planted["screened_out"]), columns=raw.columns)
    if planted["screened_out"]:
        screened[screen.code] = next(
            lv.value for lv in screen.levels if lv.value not in cat.instrument.screening_eligible
        )
    originals = np.sort(
        rng_plant.choice(np.setdiff1d(clean, blank_rows), planted["duplicate"], replace=False)
    )
    rows = pd.concat([raw, screened.astype(object), raw.loc[originals]], ignore_index=True)
    kind_of = ["respondent"] * n_answering
    for kind, idx in groups.items():
        for i in idx:
            kind_of[i] = kind
    kind_of += ["screened_out"] * len(screened) + ["duplicate"] * len(originals)
    source_of = [*range(n_answering), *[-1] * len(screened), *map(int, originals)]

    # platform columns; a resubmission comes from the same device minutes later
    n_all = len(rows)
    times = _submission_times(n_all, rng_meta)
    duration = np.zeros(n_all, dtype=int)
    for kind in dict.fromkeys(kind_of):
        idx = [i for i, k in enumerate(kind_of) if k == kind]
        duration[idx] = _durations(kind, len(idx), rng_meta)
    ips = [_ip(rng_meta) for _ in range(n_all)]
    sources = [SOURCES[i] for i in rng_meta.choice(len(SOURCES), n_all, p=SOURCE_WEIGHTS)]
    for j in np.flatnonzero(np.array(kind_of) == "duplicate"):
        original = source_of[j]
        times[j] = times[original] + timedelta(seconds=int(rng_meta.integers(90, 1800)))
        ips[j], sources[j] = ips[original], sources[original]

    by_time = sorted(range(n_all), key=lambda i: (times[i], i))
    serial = {row: k + 1 for k, row in enumerate(by_time)}
    platform = pd.DataFrame(
        [
            (serial[i], _wjx_time(times[i]), f"{duration[i]}秒", *sources[i], ips[i])
            for i in by_time
        ],
        columns=PLATFORM_COLUMNS,
    )
    rows = rows.loc[by_time].reset_index(drop=True)
    numeric = pd.concat([platform, _numeric_form(rows, questions)], axis=1)
    text = pd.concat([platform, _text_form(rows, questions, fw, lang)], axis=1)

    planted = []
    for i in by_time:
        if kind_of[i] == "respondent":
            continue
        entry = {"序号": serial[i], "kind": kind_of[i]}
        if kind_of[i] == "duplicate":
            entry["duplicate_of"] = serial[source_of[i]]
        planted.append(entry)
    missing = {"cells": blank_cells, "rows": sorted(serial[int(i)] for i in blank_rows)}
    return WjxExport(text, numeric, planted, missing, screening_flags(numeric, fw))


def _numeric_form(rows: pd.DataFrame, questions: list[Question]) -> pd.DataFrame:
    out = {}
    for q in questions:
        values = rows[q.code]
        out[q.header] = (
            values if q.kind == "contact" else values.map(lambda v: "" if v is None else int(v))
        )
    return pd.DataFrame(out)


def _text_form(
    rows: pd.DataFrame, questions: list[Question], fw: Framework, lang: str = "zh"
) -> pd.DataFrame:
    cat = fw.catalogue
    out = {}
    for q in questions:
        if q.kind == "contact":
            labels: dict = {}
        elif q.kind == "screen":
            labels = cat.instrument.screening.labels(lang)
        elif q.kind == "demographic":
            labels = {lv.value: lv.label(lang) for lv in _levels(fw, q.code)}
        else:
            anchors = cat.item(q.code).scale.anchors(lang)
            labels = {k + 1: a for k, a in enumerate(anchors)}
        labels = {**labels, SKIPPED: SKIPPED_TEXT, None: ""}
        out[q.header] = rows[q.code].map(lambda v, lab=labels: lab.get(v, v))
    return pd.DataFrame(out)


def screening_flags(
    numeric: pd.DataFrame, framework: Framework | None = None
) -> dict[str, list[int]]:
    """Apply :data:`RULES` to a numeric-form export: ``{rule: [序号, ...]}``.

    A row may break several rules (a speeder who clicked at random usually
    also fails the attention check).
    """
    fw = _framework(framework)
    cat = fw.catalogue
    questions = [q for q in questionnaire_columns(fw) if q.header in numeric.columns]
    if len(questions) < len(numeric.columns) - len(PLATFORM_COLUMNS):  # an English export
        questions = questionnaire_columns(fw, "en")
    by_kind = {
        k: [q.header for q in questions if q.kind == k] for k in ("screen", "item", "attention")
    }
    serial = numeric["序号"].astype(int)
    if by_kind["screen"]:
        screen = pd.to_numeric(numeric[by_kind["screen"][0]])
        eligible = screen.isin(cat.instrument.screening_eligible)
    else:
        eligible = pd.Series(True, index=numeric.index)
    seconds = numeric["所用时间"].str.removesuffix("秒").astype(int)
    median = seconds[eligible].median()
    likert = numeric.loc[:, by_kind["item"] + by_kind["attention"]].replace("", np.nan)
    likert = likert.apply(pd.to_numeric)
    same = likert.nunique(axis=1, dropna=True).eq(1) & likert.notna().all(axis=1)
    failed = pd.Series(False, index=numeric.index)
    expected = {q.header: cat.item(q.code).expected for q in questions if q.kind == "attention"}
    for header, answer in expected.items():
        failed |= pd.to_numeric(numeric[header].replace("", np.nan)).ne(answer)
    answers = numeric.loc[eligible, [q.header for q in questions]].astype(str)
    duplicated = answers.duplicated(keep="first").reindex(numeric.index, fill_value=False)
    flags = {
        "screened_out": ~eligible,
        "speeder": eligible & (seconds < median / 3),
        "straightliner": eligible & same,
        "attention": eligible & failed,
        "duplicate": duplicated,
    }
    return {rule: serial[mask].tolist() for rule, mask in flags.items()}


# ---------------------------------------------------------------------------
# values implied on the analysed scale
# ---------------------------------------------------------------------------


def _round(x: float) -> float:
    return round(float(x), IMPLIED_DECIMALS)


def _ols(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """OLS coefficients of ``y`` on an intercept and the columns of ``x`` (intercept first)."""
    design = np.column_stack([np.ones(len(y)), x])
    return np.linalg.lstsq(design, y, rcond=None)[0]


def _z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)


def _fit(model: str, data: pd.DataFrame) -> pd.DataFrame:
    """ML estimates (lavaan layout) of ``model`` on the large sample."""
    fit = fit_sem(model, data)
    if not fit.converged:
        raise ModelError(f"the implied-value fit did not converge:\n{model}")
    return fit.estimates


def _estimate_rows(table: pd.DataFrame, ops: Sequence[str]) -> list[dict]:
    keep = table[table.op.isin(ops)]
    return [
        {
            "lhs": r.lhs,
            "op": r.op,
            "rhs": r.rhs,
            "label": r.label,
            "est": _round(r.est),
            "std_all": _round(r.std_all),
        }  # fmt: skip
        for r in keep.itertuples()
    ]


def implied_values(
    seed: int = DEFAULT_SEED, n: int = IMPLIED_N, framework: Framework | None = None
) -> dict:
    """What the analyses of the clean Likert data should recover, from one sample of ``n``.

    The sample is drawn from the population model with the export's Likert
    and demographic cuts (attentive respondents only, items content-keyed,
    i.e. after the cleaner has reversed the reverse-keyed items back).
    Analyses, each as the later chapters run it:

    - ``cfa``: every latent construct of the framework, ML (``fit_sem``);
      loadings and factor covariances, ``est`` and ``std_all``;
    - ``sem``: ``framework.model_syntax()``; loadings, paths and the ``:=``
      indirect and total effects;
    - ``composites``: item means per construct, their Pearson correlations;
    - ``moderation``: PROCESS model 1 on composites, Y = SOB, W = NBL,
      X = CVA or IRI, X and W mean-centred: ``b`` (X, W, X:W) and ``beta``
      (the same on z-scores, product of z-scores);
    - ``mediation``: PROCESS model 4 on composites, M = SOB, Y = LOY, no
      covariates: ``a``, ``b``, ``c`` (total), ``c_prime``, ``ab``;
    - ``regression``: PIN composite on the controls (option codes) and BRD,
      CUL, PRO, PUB composites, one OLS: ``b`` and ``beta`` (SPSS's Beta).
    """
    fw = _framework(framework)
    sample_seed = np.random.SeedSequence([seed, 0x1A9E]).spawn(1)[0]
    data = simulate_respondents(n, np.random.default_rng(sample_seed), fw)
    blocks = fw.blocks()
    cfa = _fit(fw.measurement_syntax(), data)
    sem = _fit(fw.model_syntax(), data)
    comp = pd.DataFrame({c: data[items].mean(axis=1) for c, items in blocks.items()})
    corr = comp.corr()
    out: dict = {
        "n": n,
        "seed": [seed, 0x1A9E],
        "cfa": _estimate_rows(cfa[(cfa.op == "=~") | cfa.lhs.isin(blocks)], ["=~", "~~"]),
        "sem": _estimate_rows(sem, ["=~", "~", ":="]),
        "composites": {
            "definition": "mean of the construct's items (reverse-keyed items recoded)",
            "correlations": [
                {"x": a, "y": b, "r": _round(corr.loc[a, b])}
                for i, a in enumerate(corr.columns)
                for b in corr.columns[i + 1 :]
            ],
        },
    }
    moderation = {}
    w = comp["NBL"].to_numpy()
    y = comp["SOB"].to_numpy()
    for x_code in ("CVA", "IRI"):
        x = comp[x_code].to_numpy()
        xc, wc = x - x.mean(), w - w.mean()
        b = _ols(y, np.column_stack([xc, wc, xc * wc]))
        zx, zw = _z(x), _z(w)
        beta = _ols(_z(y), np.column_stack([zx, zw, zx * zw]))
        moderation[f"SOB ~ {x_code} * NBL"] = {
            "b": {x_code: _round(b[1]), "NBL": _round(b[2]), f"{x_code}:NBL": _round(b[3])},
            "beta": {
                x_code: _round(beta[1]),
                "NBL": _round(beta[2]),
                f"{x_code}:NBL": _round(beta[3]),
            },
        }
    out["moderation"] = moderation
    mediation = {}
    loy = comp["LOY"].to_numpy()
    for x_code in ("CVA", "IRI", "CEX"):
        x = comp[x_code].to_numpy()
        a = _ols(y, x)[1]
        _, c_prime, b_m = _ols(loy, np.column_stack([x, y]))
        c = _ols(loy, x)[1]
        mediation[f"{x_code} > SOB > LOY"] = {
            "a": _round(a), "b": _round(b_m), "c": _round(c), "c_prime": _round(c_prime),
            "ab": _round(a * b_m),
        }  # fmt: skip
    out["mediation"] = mediation
    predictors = [*fw.controls, "BRD", "CUL", "PRO", "PUB"]
    xs = pd.concat([data[fw.controls].astype(float), comp[["BRD", "CUL", "PRO", "PUB"]]], axis=1)
    pin = comp["PIN"].to_numpy()
    b = _ols(pin, xs.to_numpy())[1:]
    beta = b * xs.std(ddof=1).to_numpy() / pin.std(ddof=1)
    out["regression"] = {
        "PIN ~ " + " + ".join(predictors): {
            "b": {p: _round(v) for p, v in zip(predictors, b, strict=True)},
            "beta": {p: _round(v) for p, v in zip(predictors, beta, strict=True)},
        }
    }
    return out


# ---------------------------------------------------------------------------
# writing the files
# ---------------------------------------------------------------------------


def _xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as a one-sheet workbook, byte-identical for identical content."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if v == "" else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_package(buf.getvalue())


def population_document(
    export: WjxExport, seed: int, implied: dict, framework: Framework | None = None
) -> dict:
    """The content of ``population.json``."""
    fw = _framework(framework)
    att = fw.catalogue.attention_checks[0]
    paths = [
        {"lhs": y, "rhs": ":".join(x) if isinstance(x, tuple) else x, "value": v}
        for y, terms in PATHS.items()
        for x, v in terms.items()
    ]
    return {
        "study": FRAMEWORK,
        "seed": seed,
        "n_rows": int(len(export.text)),
        "generator": "sqresearch.datasets.write_default_study (sqresearch data --out DIR --seed N)",
        "population_model": population_model(fw),
        "simulation": "sqresearch.simulate.simulate_data: standard-normal exogenous variables, "
        "residual variances set so every variable has variance 1, latent products X:W "
        "centred at cov(X, W); Likert categories cut at thresholds in SD units",
        "loadings": true_loadings(fw),
        "paths": paths,
        "covariances": [
            {"lhs": a, "rhs": b, "value": v} for (a, b), v in EXOGENOUS_COVARIANCES.items()
        ],
        "thresholds": likert_thresholds(fw),
        "demographic_proportions": {k: list(v) for k, v in DEMOGRAPHIC_PROPORTIONS.items()},
        "reverse_keyed": fw.reverse_items(),
        "attention_check": {"item": att.code, "expected": att.expected, "text": att.text_zh},
        "careless": {
            "planted": export.planted,
            "planted_counts": dict(PLANTED),
            "rules": RULES,
            "flags": export.flags,
            "counts": {rule: len(rows) for rule, rows in export.flags.items()},
        },
        "missing": export.missing,
        "implied": implied,
    }


def readme_text(doc: dict) -> str:
    """``data/raw/README.md``: what the files are and how they were made."""
    counts = doc["careless"]["counts"]
    return (
        f"""# data/raw: the default study's raw 问卷星 export (read-only)

Simulated; regenerate byte-identically with `make data`
(`sqresearch data --out data/raw --seed {doc["seed"]}`). Never edit these files:
the cleaning step reads them and records their SHA-256 checksums.

| file | what |
|---|---|
| `{TEXT_XLSX}` | the export by option text (按选项文本), as 问卷星 downloads it |
| `{TEXT_CSV}` | the same as CSV, UTF-8 with byte-order mark |
| `{NUMERIC_CSV}` | the export by option number (按选项序号), UTF-8 with byte-order mark |
| `{POPULATION_JSON}` | the true population model and parameters, the planted problems, the implied values |

## Layout

{doc["n_rows"]} submissions. Columns: 序号, 提交答卷时间, 所用时间 ("125秒"), 来源,
来源详情, 来自IP ("1.2.3.4(浙江-杭州)"), then one column per question headed as
问卷星 writes it: "1、题干" (the screening question, demographics, STAGE) and
"N、{MATRIX_TITLE}—<item wording>" for each row of a matrix question (one
matrix per construct, items worded as in `sqresearch/constructs/catalogue.yaml`).
The attention check ATT1 is a row of the {ATTENTION_MATRIX} matrix (expected answer:
"同意", option 4). The last column is the optional contact question.

Text form: Likert answers "非常不同意" ... "非常同意", demographics as option text.
Numeric form: option numbers. A question skipped by logic shows "(跳过)" (numeric
form: -3); an unanswered fill-in question shows "(空)"; a blank Likert answer is an
empty cell. Reverse-keyed items ({", ".join(doc["reverse_keyed"])}) are stored as
answered, i.e. reversed: recode them (6 - x) before scoring.

## Planted problems (by 序号 in `population.json` → careless)

| rule | rows | definition |
|---|---|---|
"""
        + "\n".join(
            f"| {rule} | {counts[rule]} | {text} |"
            for rule, text in doc["careless"]["rules"].items()
        )
        + f"""

Planted on purpose (disjoint): {", ".join(f"{k} {v}" for k, v in doc["careless"]["planted_counts"].items())};
the rule counts are larger where one row breaks two rules (a speeder clicking at
random usually fails the attention check too). Blank Likert answers:
{doc["missing"]["cells"]} cells in {len(doc["missing"]["rows"])} rows.
Personal data to strip before analysis: 来自IP, and phone numbers, WeChat/QQ IDs and
e-mail addresses in the contact question.

## Truth

`population.json` holds the population model in lavaan syntax with its values
(loadings {min(doc["loadings"].values()):.2f}-{max(doc["loadings"].values()):.2f}, paths, the NBL×CVA and NBL×IRI interactions, covariances), the
Likert thresholds, and under `implied` the values an analysis of the cleaned Likert
data should recover (from one simulated sample of {doc["implied"]["n"]:,}
attentive respondents): CFA and SEM estimates (`est`, `std_all`), composite
correlations, PROCESS model 1 and 4 coefficients and the hierarchical regression of
PIN. Cutting into 5 categories attenuates loadings and paths, so test recovery
against `implied`, not against the population values.
"""
    )


def write_default_study(
    out: str | Path, seed: int = DEFAULT_SEED, *, implied: dict | None = None
) -> list[Path]:
    """Write the default study's raw files into ``out``; return their paths.

    Parameters
    ----------
    out : str or Path
        Folder to write into (created if missing).
    seed : int
        The one seed every random step derives from.
    implied : dict, optional
        Implied values to store instead of recomputing them (the slow part:
        a 200 000-respondent sample and its fits); the tests pass the stored
        ones to check the rest byte for byte.
    """
    if int(seed) != seed or seed < 0:
        raise InputError("the seed must be a non-negative whole number", value=seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fw = _framework(None)
    export = build_export(seed, fw)
    if implied is None:
        implied = implied_values(seed, framework=fw)
    doc = population_document(export, seed, implied, fw)
    files = {
        TEXT_XLSX: _xlsx_bytes(export.text),
        TEXT_CSV: export.text.to_csv(index=False, lineterminator="\n").encode(CSV_ENCODING),
        NUMERIC_CSV: export.numeric.to_csv(index=False, lineterminator="\n").encode(CSV_ENCODING),
        POPULATION_JSON: (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        README: readme_text(doc).encode("utf-8"),
    }
    paths = []
    for name, content in files.items():
        path = out / name
        path.write_bytes(content)
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------
# example data for a new study
# ---------------------------------------------------------------------------

#: File name of a study's example export (the default study keeps :data:`TEXT_XLSX`).
EXAMPLE_XLSX = "wjx_example_text.xlsx"
#: Platform columns the cleaning leaves out (beside personal data).
DROPPED_PLATFORM_COLUMNS = ["来源", "来源详情", "来自IP"]


def example_codebook(framework: Framework | None = None, lang: str = "zh") -> str:
    """The codebook (YAML text) of :func:`build_export`'s export of ``framework``.

    The mapping is exact, since the headers were generated: every item with
    its scale and key, the attention checks with their expected answer, the
    demographics and single-item questions with the study's levels (Chinese
    and English labels), the screening question's eligible answers, the
    default careless-response rules, and the platform and contact columns
    (personal data) dropped. With few items the straight-lining rule asks for
    a run longer than any construct's block plus two (honest answers to one
    construct often agree), at least half the items.

    Examples
    --------
    >>> from sqresearch.clean.codebook import Codebook
    >>> import yaml
    >>> book = Codebook.from_dict(yaml.safe_load(example_codebook(get_framework("maslow_belonging"))))
    >>> book.items["NBL4"].reverse, book.demographics["STAGE"].levels["粉丝：认同它的品牌理念和价值观"]
    (True, 3)
    """
    from sqresearch.clean.codebook import (
        DEFAULT_RULES,
        AttentionSpec,
        Codebook,
        DemographicSpec,
        ItemSpec,
        ScaleSpec,
        ScreeningSpec,
        scale_labels,
    )

    fw = _framework(framework)
    cat = fw.catalogue
    questions = questionnaire_columns(fw, lang)
    scales: dict[str, ScaleSpec] = {}
    items, checks, demographics = {}, {}, {}
    screening = None
    for q in questions:
        if q.kind in ("item", "attention"):
            item = cat.item(q.code)
            scale = item.scale
            if scale.code not in scales:
                labels = scale_labels(scale.points, [scale.anchors_zh, scale.anchors_en])
                scales[scale.code] = ScaleSpec(scale.code, scale.points, labels)
            if q.kind == "item":
                items[q.code] = ItemSpec(q.code, q.header, scale.code, item.reverse)
            else:
                checks[q.code] = AttentionSpec(q.code, q.header, scale.code, item.expected)
        elif q.kind == "demographic":
            levels = {}
            for lv in _levels(fw, q.code):
                levels.setdefault(lv.label_zh, lv.value)
                levels.setdefault(lv.label_en, lv.value)
            demographics[q.code] = DemographicSpec(q.code, q.header, levels)
        elif q.kind == "screen":
            screen = cat.instrument.screening
            eligible = [lv for lv in screen.levels if lv.value in cat.instrument.screening_eligible]
            screening = ScreeningSpec(
                q.header, [*(lv.label_zh for lv in eligible), *(lv.label_en for lv in eligible),
                           *(lv.value for lv in eligible)],
            )  # fmt: skip
    careless = {rule: dict(settings) for rule, settings in DEFAULT_RULES.items()}
    k = len(items)
    longest = max((len(b) for b in fw.blocks().values()), default=0)
    max_run = max(int(np.ceil(threshold("longstring_share") * k)), min(k, longest + 2))
    if max_run != int(np.ceil(threshold("longstring_share") * k)):
        careless["longstring"]["max_run"] = max_run
    contact = [q.header for q in questions if q.kind == "contact"]
    book = Codebook(
        items=items, scales=scales, id="序号", duration="所用时间", submitted="提交答卷时间",
        framework=fw.name, platform="wjx", demographics=demographics, attention_checks=checks,
        screening=screening, careless=careless, drop=[*DROPPED_PLATFORM_COLUMNS, *contact],
    )  # fmt: skip
    header = (
        f"Codebook of the example export of {fw.name} (simulated: replace the export with your "
        "own and check every mapping).\nItems stay as answered; reverse: true items are recoded "
        "by the analysis stage, never here."
    )
    return book.dumps(header=header)


def write_example_data(
    folder: str | Path,
    framework: Framework | None = None,
    seed: int = DEFAULT_SEED,
    *,
    lang: str = "zh",
    n_rows: int | None = None,
) -> dict[str, Path]:
    """Write a study's example export and its codebook; return their paths.

    ``folder/data/raw/`` gets the simulated 问卷星 export by option text as
    xlsx (:func:`build_export`; :data:`TEXT_XLSX` for the default study's
    framework, :data:`EXAMPLE_XLSX` otherwise) and ``folder/data/codebook.yaml``
    its codebook (:func:`example_codebook`). Only package data is read.

    Returns
    -------
    dict
        ``{"raw": path of the export, "codebook": path of the codebook}``.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_example_data(tempfile.mkdtemp(), get_framework("tea_brand_factors"), 3,
    ...                            n_rows=120)
    >>> paths["raw"].name, paths["codebook"].name
    ('wjx_example_text.xlsx', 'codebook.yaml')
    """
    if int(seed) != seed or seed < 0:
        raise InputError("the seed must be a non-negative whole number", value=seed)
    fw = _framework(framework)
    export = build_export(int(seed), fw, n_rows=n_rows, lang=lang)
    folder = Path(folder)
    raw = folder / "data" / "raw" / (TEXT_XLSX if uses_default_model(fw) else EXAMPLE_XLSX)
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_bytes(_xlsx_bytes(export.text))
    codebook = folder / "data" / "codebook.yaml"
    codebook.write_text(example_codebook(fw, lang), encoding="utf-8")
    return {"raw": raw, "codebook": codebook}
