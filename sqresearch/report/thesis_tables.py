"""The standard tables of a thesis's empirical chapter, one function each.

Each function takes what an analysis function returns (the tidy DataFrames
and result objects of :mod:`sqresearch.measure` and :mod:`sqresearch.model`)
and returns a :class:`~sqresearch.report.tables.ThesisTable`, ready for
:func:`~sqresearch.report.tables.render`.  Nothing is computed here beyond
re-arranging numbers; every cut-off printed beside a statistic comes from
:mod:`sqresearch.thresholds`.

All functions take ``lang`` ("zh" | "en"), which picks titles, heads, notes
and construct names (from the construct catalogue, or ``labels``), and
``style`` ("thesis" | "apa", see :mod:`sqresearch.report.format`).

Examples
--------
>>> import pandas as pd
>>> fit = {"chisq": 85.306, "df": 24, "chisq_df": 3.554, "cfi": 0.931, "tli": 0.896,
...        "rmsea": 0.092, "srmr": 0.065}
>>> t = fit_table(fit, lang="en")
>>> t.to_frame()[["Index", "Value", "Criterion", "Judgement"]].iloc[2:5].values.tolist()
[['χ²/df', '3.554', '<3', 'Not met'], ['CFI', '0.931', '≥0.90', 'Met'], ['TLI', '0.896', '≥0.90', 'Not met']]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from sqresearch.errors import InputError
from sqresearch.report.format import fmt_number, fmt_threshold, star_legend
from sqresearch.report.labels import (
    LABELS,
    check_lang,
    construct_label,
    demographic_labels,
    label,
)
from sqresearch.report.tables import ThesisTable
from sqresearch.sem.fit import defined_effects
from sqresearch.thresholds import FIT_INDICES, THRESHOLDS, fit_verdicts, passes, threshold

#: Statistic kind of each fit index (decimals, see report.format).
_FIT_KINDS = {
    "chisq": "chisq",
    "df": "df",
    "chisq_df": "chisq_df",
    "rmsea": "rmsea",
    "srmr": "fit",
    "aic": "ic",
    "bic": "ic",
    "pvalue": "p",
}

_DUMMY = re.compile(r"^(?P<var>[^\[\]]+)\[(?P<level>[^\[\]]+)\]$")

Labels = Mapping[str, str] | None


def _both(key: str) -> dict[str, str]:
    zh, en = LABELS[key]
    return {"zh": zh, "en": en}


def _note(zh: str, en: str) -> dict[str, str]:
    return {"zh": "注：" + zh, "en": "Note. " + en}


def _stars_note(style: str) -> dict[str, str]:
    return {"zh": star_legend("zh", style=style), "en": star_legend("en", style=style)}


def _name(code: str, lang: str, labels: Labels = None) -> str:
    """Printed name of a variable: ``labels``, then the catalogue, then dummy terms, else the code."""
    if labels and code in labels:
        return labels[code]
    match = _DUMMY.match(str(code))
    if match:
        var, level = match["var"], match["level"]
        name, levels = demographic_labels(var, lang)
        try:
            level = levels.get(int(float(level)), level)
        except ValueError:
            pass
        return f"{name}: {level}" if lang == "en" else f"{name}({level})"
    if code in LABELS and code.isupper():
        return label(code, lang)
    return construct_label(str(code), lang)


def _arrow(*codes: str, lang: str, labels: Labels = None) -> str:
    return " → ".join(_name(c, lang, labels) for c in codes)


def _hypothesis_path(h, lang: str, labels: Labels = None) -> str:
    """A hypothesis's path in names: "X → M → Y", "W × X → Y" for a moderation,
    "X → M1 | M2 → Y" for parallel mediators, "BY: C" for a group difference."""
    mediators = () if h.m is None else (h.m,) if isinstance(h.m, str) else tuple(h.m)
    if h.kind == "difference":
        return f"{_name(h.by, lang, labels)}: {_name(h.lhs, lang, labels)}"
    if h.kind in ("indirect", "moderated_mediation") and len(mediators) > 1 and not h.serial:
        middle = " | ".join(_name(m, lang, labels) for m in mediators)
        return f"{_name(h.rhs, lang, labels)} → {middle} → {_name(h.lhs, lang, labels)}"
    codes = [h.rhs, *mediators, h.lhs] if mediators else [h.rhs, h.lhs]
    path = _arrow(*codes, lang=lang, labels=labels)
    if h.kind == "moderated_mediation":
        return f"{path} ({_name(h.w, lang, labels)})"
    return f"{_name(h.w, lang, labels)} × {path}" if h.kind == "moderation" else path


def _sign_note(flagged: Mapping[str, list[str]], stats: tuple[str, str], labels: Labels) -> dict:
    """Note for constructs marked † by measure/: items pointing the other way (not reverse-keyed)."""
    zh = "；".join(f"{_name(c, 'zh', labels)}：{'、'.join(items)}" for c, items in flagged.items())
    en = "; ".join(f"{_name(c, 'en', labels)}: {', '.join(items)}" for c, items in flagged.items())
    return {
        "zh": f"† 含负向题项（{zh}），可能为未反向计分的反向题；反向计分前{stats[0]}不可解释。",
        "en": f"† Items pointing the other way ({en}), probably reverse-keyed items not yet "
        f"reverse-coded; {stats[1]} are not interpretable until they are.",
    }


#: Names of the interval methods the analyses compute (``ci_method`` of their results).
_CI_METHODS = {
    "percentile": ("百分位Bootstrap", "percentile bootstrap"),
    "bc": ("偏差校正Bootstrap", "bias-corrected bootstrap"),
    "t": ("", ""),  # normal-theory (t or z) intervals
}


def interval_name(level: float, method: str, lang: str) -> str:
    """Name of an interval as computed: level and method, e.g. "90% bias-corrected bootstrap CI".

    Examples
    --------
    >>> interval_name(0.95, "percentile", "en"), interval_name(0.9, "bc", "zh")
    ('95% percentile bootstrap CI', '90%偏差校正Bootstrap置信区间')
    >>> interval_name(0.99, "t", "en")
    '99% CI'
    """
    if method not in _CI_METHODS:
        raise InputError(f"unknown interval method {method!r}", hint=", ".join(_CI_METHODS))
    zh, en = _CI_METHODS[method]
    pct = f"{100 * level:g}%"
    return f"{pct}{zh}置信区间" if lang == "zh" else f"{pct} {en + ' ' if en else ''}CI"


def _ci_head(level: float) -> dict[str, str]:
    """The CI column's head at the level actually computed."""
    return {"zh": f"{100 * level:g}% CI", "en": f"{100 * level:g}% CI"}


def _ci_excludes_zero(lo: float, hi: float) -> bool:
    return not (lo <= 0 <= hi)


def _lower_triangle(square: pd.DataFrame, keep_diagonal: bool) -> pd.DataFrame:
    values = square.to_numpy(dtype=float).copy()
    k = len(values)
    values[np.triu_indices(k, 1 if keep_diagonal else 0)] = np.nan
    return pd.DataFrame(values, index=square.index, columns=square.columns)


def _keyed_matrix(lower: pd.DataFrame, lang: str, labels: Labels) -> tuple[pd.DataFrame, dict]:
    """A lower-triangular matrix keyed by number: rows ``1. name``, columns headed ``1``, ``2`` …

    A matrix of many constructs stays narrow enough to read (the names are the key).
    """
    codes = list(lower.columns)
    data = pd.DataFrame(
        {"construct": [f"{i}. {_name(c, lang, labels)}" for i, c in enumerate(codes, 1)]}
    )
    for c in codes:
        data[c] = lower[c].to_numpy()
    return data, {c: str(i) for i, c in enumerate(codes, 1)}


# --- sample and items -----------------------------------------------------------


def demographics_table(
    freq: pd.DataFrame, *, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """Sample characteristics: frequency and percentage per category.

    Parameters
    ----------
    freq : DataFrame
        Columns ``variable`` (e.g. "GENDER"), ``category`` (the code or a
        label), ``n`` and ``percent`` (0–100).  Catalogue demographics get
        their short names and level labels in ``lang``.
    """
    check_lang(lang)
    for col in ("variable", "category", "n", "percent"):
        if col not in freq.columns:
            raise InputError("demographics table needs variable, category, n, percent", column=col)
    names, cats = [], []
    for var, cat in zip(freq["variable"], freq["category"], strict=True):
        name, levels = demographic_labels(str(var), lang)
        names.append(name)
        try:
            cats.append(levels.get(int(cat), str(cat)))
        except (TypeError, ValueError):
            cats.append(str(cat))
    data = pd.DataFrame(
        {
            "variable": names,
            "category": cats,
            "n": freq["n"].to_numpy(),
            "percent": freq["percent"].to_numpy(),
        }
    )
    return ThesisTable(
        data,
        kinds={"n": "count", "percent": "percent"},
        heads={"n": _both("freq")},
        title=_both("title_demographics"),
        label="tab:demographics",
        collapse=["variable"],
        lang=lang,
        style=style,
    )


def descriptives_table(
    desc: pd.DataFrame, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """Item descriptives with skewness and kurtosis as a normality check.

    Parameters
    ----------
    desc : DataFrame
        Indexed by item: ``mean``, ``sd``, ``skewness``, ``kurtosis`` (excess; as :func:`sqresearch.measure.descriptives.item_descriptives`
        returns them),
        optionally ``n``, ``min``, ``max`` and ``construct`` (shown as the
        first column).
    """
    check_lang(lang)
    for col in ("mean", "sd", "skewness", "kurtosis"):
        if col not in desc.columns:
            raise InputError("descriptives table needs mean, sd, skewness, kurtosis", column=col)
    data = pd.DataFrame({"item": [str(i) for i in desc.index]})
    if "construct" in desc.columns:
        data.insert(0, "construct", [_name(c, lang, labels) for c in desc["construct"]])
    for col in ("n", "min", "max", "mean", "sd", "skewness", "kurtosis"):
        if col in desc.columns:
            data[col] = desc[col].to_numpy()
    skew_ok = (desc["skewness"].abs() < threshold("skew_abs")).all()
    kurt_ok = (desc["kurtosis"].abs() < threshold("kurtosis_abs")).all()
    src = THRESHOLDS.loc["skew_abs", "source"]
    verdict_zh = "均满足" if skew_ok and kurt_ok else "未全部满足"
    verdict_en = "all meet" if skew_ok and kurt_ok else "not all meet"
    return ThesisTable(
        data,
        kinds={
            "n": "n",
            "min": "min",
            "max": "max",
            "mean": "mean",
            "sd": "sd",
            "skewness": "skew",
            "kurtosis": "kurtosis",
        },
        title=_both("title_descriptives"),
        notes=[
            _note(
                f"偏度绝对值{fmt_threshold('skew_abs')}、峰度绝对值{fmt_threshold('kurtosis_abs')}"
                f"视为近似正态（{src}），本表题项{verdict_zh}该标准。",
                f"|skewness| {fmt_threshold('skew_abs')} and |kurtosis| "
                f"{fmt_threshold('kurtosis_abs')} indicate approximate normality ({src}); the items "
                f"{verdict_en} this rule.",
            )
        ],
        label="tab:descriptives",
        collapse=["construct"] if "construct" in data else [],
        lang=lang,
        style=style,
    )


# --- reliability and validity -----------------------------------------------------


def reliability_table(
    rel, *, omega: bool = False, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """Cronbach's α per scale with CITC and α if item deleted per item.

    Parameters
    ----------
    rel : ReliabilityTable
        From :func:`sqresearch.measure.reliability.reliability_table`:
        ``scales`` (index scale: alpha, omega, ...) and ``items`` (index
        scale, item: citc, alpha_if_deleted, ...).
    omega : bool
        Add McDonald's ω beside α.
    """
    check_lang(lang)
    rows = []
    flagged = {
        scale: [item for item, neg in rel.items.loc[scale, "negative"].items() if neg]
        for scale in rel.scales.index[rel.scales["sign_problem"]]
    }
    for (scale, item), r in rel.items.iterrows():
        first = not rows or rows[-1]["scale"] != scale
        srow = rel.scales.loc[scale]
        rows.append(
            {
                "scale": scale,
                "construct": _name(scale, lang, labels) + (" †" if scale in flagged else ""),
                "item": item,
                "citc": r["citc"],
                "alpha_if_deleted": r["alpha_if_deleted"],
                "alpha": srow["alpha"] if first else np.nan,
                "omega": srow["omega"] if first else np.nan,
            }
        )
    data = pd.DataFrame(rows).drop(columns="scale")
    if not omega:
        data = data.drop(columns="omega")
    a, c = fmt_threshold("alpha", "alpha", style=style), fmt_threshold("citc", "citc", style=style)
    return ThesisTable(
        data,
        kinds={"citc": "citc", "alpha_if_deleted": "alpha", "alpha": "alpha", "omega": "omega"},
        title=_both("title_reliability"),
        notes=[
            _note(
                f"Cronbach's α{a}表示信度良好（{THRESHOLDS.loc['alpha', 'source']}）；"
                f"CITC{c}（{THRESHOLDS.loc['citc', 'source']}）。",
                f"Cronbach's α {a} indicates good reliability ({THRESHOLDS.loc['alpha', 'source']}); "
                f"CITC {c} ({THRESHOLDS.loc['citc', 'source']}).",
            ),
            *([_sign_note(flagged, ("α与ω", "α and ω"), labels)] if flagged else []),
        ],
        label="tab:reliability",
        collapse=["construct"],
        lang=lang,
        style=style,
    )


def kmo_bartlett_table(adequacy, *, lang: str = "zh", style: str = "thesis") -> ThesisTable:
    """KMO and Bartlett's test of sphericity.

    Parameters
    ----------
    adequacy : SamplingAdequacy
        From :func:`sqresearch.measure.efa.kmo_bartlett` (``kmo``, ``chisq``,
        ``df``, ``pvalue``).
    """
    check_lang(lang)
    data = pd.DataFrame(
        {
            "index": [
                label("kmo", lang),
                label("bartlett_chisq", lang),
                label("df", lang),
                label("p", lang),
            ],
            "value": [adequacy.kmo, adequacy.chisq, adequacy.df, adequacy.pvalue],
            "criterion": [
                fmt_threshold("kmo", "kmo", style=style),
                "",
                "",
                fmt_threshold("bartlett_p", style=style),
            ],
        },
        index=["kmo", "chisq", "df", "p"],
    )
    return ThesisTable(
        data,
        kinds={"value": "value"},
        row_kinds={"kmo": "kmo", "chisq": "chisq", "df": "df", "p": "p"},
        title=_both("title_kmo"),
        notes=[
            _note(
                f"KMO标准见{THRESHOLDS.loc['kmo', 'source']}。",
                f"KMO criterion from {THRESHOLDS.loc['kmo', 'source']}.",
            )
        ],
        label="tab:kmo",
        lang=lang,
        style=style,
    )


def efa_table(
    efa, *, suppress: float | None = None, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """Rotated loadings with communalities, eigenvalues and variance explained.

    Parameters
    ----------
    efa : EFAResult
        From :func:`sqresearch.measure.efa.efa`: ``loadings`` (items ×
        factors), ``communalities`` (``extraction``), ``variance`` (per factor:
        rotation_ss / rotation_variance / rotation_cumulative, shares 0–1;
        extraction_* for oblique rotations), ``adequacy``, ``method``,
        ``rotation``.
    suppress : float, optional
        Loadings with smaller absolute value are left blank; default the
        ``efa_loading`` threshold.
    """
    check_lang(lang)
    cut = threshold("efa_loading") if suppress is None else suppress
    loads = efa.loadings.where(efa.loadings.abs() >= cut)
    factors = list(loads.columns)
    names = {f: (f"因子{i}" if lang == "zh" else f"Factor {i}") for i, f in enumerate(factors, 1)}
    data = pd.DataFrame({"item": [str(i) for i in loads.index]}, index=list(loads.index))
    for f in factors:
        data[f] = loads[f].to_numpy()
    data["communality"] = efa.communalities["extraction"].reindex(loads.index).to_numpy()
    rotated = efa.variance["rotation_variance"].notna().all()
    prefix = "rotation" if rotated else "extraction"
    var = efa.variance.iloc[: len(factors)]
    extra = pd.DataFrame(
        {
            "item": [
                label("eigenvalue", lang),
                label("variance_pct", lang),
                label("cumulative_pct", lang),
            ]
        },
        index=["__eigen", "__var", "__cum"],
    )
    for j, f in enumerate(factors):
        extra[f] = [
            var[f"{prefix}_ss"].iloc[j],
            100 * var[f"{prefix}_variance"].iloc[j],
            100 * var[f"{prefix}_cumulative"].iloc[j],
        ]
    data = pd.concat([data, extra])
    ad = efa.adequacy
    notes = [
        _note(
            f"提取方法：{efa.method}；旋转方法：{efa.rotation}；绝对值小于{fmt_number(cut, 'loading')}的载荷未列出。"
            f"KMO = {fmt_number(ad.kmo, 'kmo', style=style)}，Bartlett球形检验χ²({ad.df}) = "
            f"{fmt_number(ad.chisq, 'chisq')}，p = {fmt_number(ad.pvalue, 'p', style=style)}。",
            f"Extraction: {efa.method}; rotation: {efa.rotation}; loadings below "
            f"{fmt_number(cut, 'loading')} in absolute value are not shown. KMO = "
            f"{fmt_number(ad.kmo, 'kmo', style=style)}; Bartlett's χ²({ad.df}) = "
            f"{fmt_number(ad.chisq, 'chisq')}, p = {fmt_number(ad.pvalue, 'p', style=style)}.",
        )
    ]
    return ThesisTable(
        data,
        kinds={**dict.fromkeys(factors, "loading"), "communality": "communality"},
        heads={"item": _both("item"), **names},
        row_kinds={"__eigen": "eigenvalue", "__var": "percent", "__cum": "percent"},
        title=_both("title_efa"),
        notes=notes,
        label="tab:efa",
        lang=lang,
        style=style,
    )


def cfa_table(
    estimates: pd.DataFrame,
    validity: pd.DataFrame,
    *,
    labels: Labels = None,
    lang: str = "zh",
    style: str = "thesis",
) -> ThesisTable:
    """CFA loadings (unstandardised, SE, z, p, standardised) with CR and AVE per factor.

    Parameters
    ----------
    estimates : DataFrame
        lavaan-layout parameter table (``SEMResult.estimates``); the ``=~``
        rows are used.  Fixed loadings (se 0) show no SE, z or p.
    validity : DataFrame
        Indexed by factor with ``cr`` and ``ave``
        (:func:`sqresearch.measure.validity.composite_reliability`).
    """
    check_lang(lang)
    loads = estimates[estimates["op"] == "=~"]
    flagged = {}
    if "sign_problem" in validity.columns:
        flagged = {
            f: validity.loc[f, "negative_items"].split(", ")
            for f in validity.index[validity["sign_problem"]]
        }
    rows, seen = [], set()
    for r in loads.to_dict("records"):
        first = r["lhs"] not in seen
        seen.add(r["lhs"])
        fixed = not r["se"] > 0
        rows.append(
            {
                "construct": _name(r["lhs"], lang, labels) + (" †" if r["lhs"] in flagged else ""),
                "item": r["rhs"],
                "est": r["est"],
                "se": np.nan if fixed else r["se"],
                "z": np.nan if fixed else r["z"],
                "p": np.nan if fixed else r["pvalue"],
                "loading": r["std_all"],
                "cr": validity.loc[r["lhs"], "cr"] if first else np.nan,
                "ave": validity.loc[r["lhs"], "ave"] if first else np.nan,
            }
        )
    lo, cr, ave = (fmt_threshold(k, k, style=style) for k in ("loading", "cr", "ave"))
    return ThesisTable(
        pd.DataFrame(rows),
        kinds={
            "est": "b",
            "se": "se",
            "z": "z",
            "p": "p",
            "loading": "loading",
            "cr": "cr",
            "ave": "ave",
        },
        heads={"est": {"zh": "非标准化载荷", "en": "Unstd. estimate"}},
        title=_both("title_cfa"),
        notes=[
            _note(
                f"标准化载荷{lo}（{THRESHOLDS.loc['loading', 'source']}），CR{cr}，AVE{ave}"
                f"（{THRESHOLDS.loc['ave', 'source']}）；未列SE的载荷固定为1。",
                f"Standardised loadings {lo} ({THRESHOLDS.loc['loading', 'source']}), CR {cr}, "
                f"AVE {ave} ({THRESHOLDS.loc['ave', 'source']}); loadings without SE are fixed to 1.",
            ),
            *([_sign_note(flagged, ("CR与AVE", "CR and AVE"), labels)] if flagged else []),
        ],
        label="tab:cfa",
        collapse=["construct"],
        lang=lang,
        style=style,
    )


def fit_table(
    fit: Mapping | Mapping[str, Mapping],
    *,
    indices: Sequence[str] = FIT_INDICES,
    lang: str = "zh",
    style: str = "thesis",
) -> ThesisTable:
    """Fit indices with the conventional cut-offs beside them.

    Parameters
    ----------
    fit : dict, or dict of model name → dict
        lavaan-named fit measures (``SEMResult.fit``).  One model gives the
        columns value, criterion, judgement; several models one column each
        and the criterion.
    indices : list of str
        Which indices, in order; those absent from every model are skipped.
    """
    check_lang(lang)
    models = dict(fit) if all(isinstance(v, Mapping) for v in fit.values()) else {"value": fit}
    indices = [k for k in indices if any(k in m or k == "chisq_df" for m in models.values())]
    data = pd.DataFrame({"index": [label(k, lang) for k in indices]}, index=list(indices))
    verdicts = {name: fit_verdicts(m, indices) for name, m in models.items()}
    for name, v in verdicts.items():
        data[name] = v["value"].to_numpy()
    data["criterion"] = [
        fmt_threshold(k, _FIT_KINDS.get(k, "fit"), style=style) if k in THRESHOLDS.index else ""
        for k in indices
    ]
    if len(models) == 1:
        data["judgement"] = [
            "" if ok is None else label("pass" if ok else "fail", lang)
            for ok in verdicts["value"]["passes"]
        ]
    srcs = "; ".join(
        dict.fromkeys(THRESHOLDS.loc[k, "source"] for k in indices if k in THRESHOLDS.index)
    )
    return ThesisTable(
        data,
        kinds=dict.fromkeys(models, "fit"),
        heads={"value": _both("value")},
        row_kinds={k: _FIT_KINDS.get(k, "fit") for k in indices},
        title=_both("title_fit"),
        notes=[_note(f"参考标准来源：{srcs}。", f"Criteria: {srcs}.")] if srcs else [],
        label="tab:fit",
        lang=lang,
        style=style,
    )


def fornell_larcker_table(
    matrix: pd.DataFrame, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """Fornell–Larcker criterion: √AVE on the diagonal, factor correlations below it.

    Parameters
    ----------
    matrix : DataFrame
        Square, √AVE on the diagonal, correlations off it
        (:func:`sqresearch.measure.validity.fornell_larcker`).
    """
    check_lang(lang)
    lower = _lower_triangle(matrix, keep_diagonal=True)
    codes = list(matrix.columns)
    data, heads = _keyed_matrix(lower, lang, labels)
    return ThesisTable(
        data,
        kinds=dict.fromkeys(codes, "r"),
        heads=heads,
        title=_both("title_fornell_larcker"),
        notes=[
            _note(
                "对角线为AVE的平方根，其余为因子间相关系数；对角线值大于所在行列的相关系数即具有区分效度"
                f"（{THRESHOLDS.loc['ave', 'source']}）。",
                "The diagonal holds √AVE, the other cells the factor correlations; discriminant "
                "validity holds when each diagonal value exceeds the correlations in its row and "
                f"column ({THRESHOLDS.loc['ave', 'source']}).",
            )
        ],
        label="tab:fornell-larcker",
        lang=lang,
        style=style,
    )


def htmt_table(
    htmt: pd.DataFrame, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """HTMT ratios below the diagonal.

    Parameters
    ----------
    htmt : DataFrame
        Square symmetric HTMT matrix (:func:`sqresearch.measure.validity.htmt`).
    """
    check_lang(lang)
    lower = _lower_triangle(htmt, keep_diagonal=False)
    codes = list(htmt.columns)
    data, heads = _keyed_matrix(lower, lang, labels)
    strict, liberal = fmt_threshold("htmt", "htmt"), fmt_threshold("htmt_liberal", "htmt")
    src = THRESHOLDS.loc["htmt", "source"]
    return ThesisTable(
        data.drop(columns=codes[-1]).iloc[1:],
        kinds=dict.fromkeys(codes, "htmt"),
        heads=heads,
        title=_both("title_htmt"),
        notes=[
            _note(
                f"HTMT{strict}（严格）或{liberal}（宽松）表示具有区分效度（{src}）。",
                f"HTMT {strict} (strict) or {liberal} (liberal) supports discriminant "
                f"validity ({src}).",
            )
        ],
        label="tab:htmt",
        lang=lang,
        style=style,
    )


def cmb_table(
    harman,
    single_factor_test: pd.Series | None = None,
    *,
    lang: str = "zh",
    style: str = "thesis",
) -> ThesisTable:
    """Common-method bias: Harman's single-factor test (and the single-factor CFA).

    Parameters
    ----------
    harman : HarmanResult
        From :func:`sqresearch.measure.validity.harman` (``first_share`` 0–1,
        ``n_components``).
    single_factor_test : Series, optional
        From :func:`sqresearch.measure.validity.single_factor_test`
        (delta_chisq, delta_df, pvalue).
    """
    check_lang(lang)
    share = 100 * harman.first_share
    rows = [
        {
            "test": label("harman_first", lang),
            "value": share,
            "criterion": f"{fmt_threshold('harman_40', scale=100)}% / {fmt_threshold('harman_50', scale=100)}%",
            "judgement": label("pass" if passes("harman_40", harman.first_share) else "fail", lang)
            + " / "
            + label("pass" if passes("harman_50", harman.first_share) else "fail", lang),
        },
        {
            "test": {"zh": "特征根大于1的成分数", "en": "Components with eigenvalue > 1"}[lang],
            "value": harman.n_components,
            "criterion": "",
            "judgement": "",
        },
    ]
    kinds = {"__share": "percent", "__ncomp": "count"}
    index = ["__share", "__ncomp"]
    if single_factor_test is not None:
        t = single_factor_test
        sig = t["pvalue"] < threshold("alpha_level")
        rows.append(
            {
                "test": {
                    "zh": f"单因子模型与测量模型比较 Δχ²(Δdf = {t['delta_df']:.0f})",
                    "en": f"Single-factor vs measurement model Δχ²(Δdf = {t['delta_df']:.0f})",
                }[lang],
                "value": t["delta_chisq"],
                "criterion": "p < 0.05" if style == "thesis" else "p < .05",
                "judgement": label("pass" if sig else "fail", lang),
            }
        )
        index.append("__delta")
        kinds["__delta"] = "chisq"
    h40, h50 = THRESHOLDS.loc["harman_40", "source"], THRESHOLDS.loc["harman_50", "source"]
    return ThesisTable(
        pd.DataFrame(rows, index=index),
        kinds={"value": "value"},
        heads={"test": _both("test")},
        row_kinds=kinds,
        title=_both("title_cmb"),
        notes=[
            _note(
                f"未旋转主成分分析；阈值40%见{h40}，50%见{h50}。",
                f"Unrotated principal components; 40% threshold from {h40}, 50% from {h50}.",
            )
        ],
        label="tab:cmb",
        lang=lang,
        style=style,
    )


# --- correlation and regression ---------------------------------------------------


def correlation_table(
    corr, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """Means, SDs and the lower triangle of Pearson correlations with stars.

    Parameters
    ----------
    corr : CorrelationTable
        From :func:`sqresearch.model.correlation.correlation_table`:
        ``descriptives`` (mean, sd), ``matrix("r")``, ``matrix("pvalue")``
        and an optional ``diagonal`` (√AVE), printed on the diagonal;
        otherwise the diagonal shows 1.
    """
    check_lang(lang)
    codes = list(corr.descriptives.index)
    r, p = corr.matrix("r"), corr.matrix("pvalue")
    data = pd.DataFrame(
        {
            "variable": [f"{i}. {_name(c, lang, labels)}" for i, c in enumerate(codes, 1)],
            "mean": corr.descriptives["mean"].to_numpy(),
            "sd": corr.descriptives["sd"].to_numpy(),
        }
    )
    kinds = {"mean": "mean", "sd": "sd"}
    stars_of = {}
    for j, c in enumerate(codes, 1):
        col = r[c].to_numpy(dtype=object)
        for i in range(len(codes)):
            if i < j - 1:
                col[i] = np.nan
            elif i == j - 1 and corr.diagonal is None:
                col[i] = "1"
        data[str(j)] = col
        data[f"p{j}"] = p[c].to_numpy()
        kinds[str(j)] = "r"
        stars_of[str(j)] = f"p{j}"
    notes = [_stars_note(style)]
    if corr.diagonal is not None:
        notes.insert(0, _note("对角线为AVE的平方根。", "The diagonal shows √AVE."))
    return ThesisTable(
        data,
        kinds=kinds,
        stars=stars_of,
        title=_both("title_correlation"),
        notes=notes,
        label="tab:correlation",
        lang=lang,
        style=style,
    )


_STEP_ROWS = (
    ("__r2", "r2", "r2", None),
    ("__adj", "adj_r2", "r2", None),
    ("__dr2", "delta_r2", "r2", None),
    ("__f", "f", "f", "f_pvalue"),
    ("__df", "f_change", "f", "p_change"),
)


def regression_table(
    result,
    *,
    stats: Sequence[str] = ("beta", "t"),
    labels: Labels = None,
    title: Mapping[str, str] | None = None,
    lang: str = "zh",
    style: str = "thesis",
) -> ThesisTable:
    """Hierarchical regression, the models side by side, R², ΔR² and F below.

    Parameters
    ----------
    result : HierarchicalResult
        From :func:`sqresearch.model.regression.hierarchical_regression`:
        ``coefficients`` (step, term, b, se, beta, t, pvalue, vif) and
        ``steps`` (step, r2, adj_r2, delta_r2, f, f_pvalue, f_change, p_change).
    stats : list of str
        Columns per model, from b, se, beta, t, pvalue, vif; stars go on
        the first of beta / b.
    """
    check_lang(lang)
    coefs, steps = result.coefficients, result.steps
    star_stat = next((s for s in ("beta", "b") if s in stats), stats[0])
    terms = list(dict.fromkeys(coefs["term"]))
    if "b" not in stats and "se" not in stats:
        terms = [t for t in terms if t != "const"]
    data = pd.DataFrame(
        {
            "term": [
                label("constant", lang) if t == "const" else _name(t, lang, labels) for t in terms
            ]
        },
        index=terms,
    )
    kinds, star_cols, groups, cols = {}, {}, [], ["term"]
    for step in steps["step"]:
        part = coefs[coefs["step"] == step].set_index("term").reindex(terms)
        names = [f"{s}_{step}" for s in stats]
        for s, name in zip(stats, names, strict=True):
            data[name] = part[s].to_numpy()
            kinds[name] = {"pvalue": "p", "vif": "vif"}.get(s, s)
        data[f"p_{step}"] = part["pvalue"].to_numpy()
        star_cols[f"{star_stat}_{step}"] = f"p_{step}"
        groups.append(({"zh": f"模型{step}", "en": f"Model {step}"}, names))
        cols += names
    extra = pd.DataFrame(
        {"term": [label(k, lang) for _, k, _, _ in _STEP_ROWS]}, index=[i for i, *_ in _STEP_ROWS]
    )
    for step, srow in steps.set_index("step").iterrows():
        for s in stats:
            extra[f"{s}_{step}"] = np.nan
        extra[f"{star_stat}_{step}"] = [srow[k] for _, k, _, _ in _STEP_ROWS]
        extra[f"p_{step}"] = [srow[p] if p else np.nan for *_, p in _STEP_ROWS]
    extra.loc["__df", "term"] = label("delta_f", lang)
    data = pd.concat([data, extra[data.columns]])
    heading = title or {
        k: f"{v}（{label('outcome', 'zh')}：{_name(result.y, 'zh', labels)}）"
        if k == "zh"
        else f"{v} (outcome: {_name(result.y, 'en', labels)})"
        for k, v in _both("title_regression").items()
    }
    return ThesisTable(
        data,
        kinds=kinds,
        columns=cols,
        column_groups=groups,
        heads={
            "term": _both("variable"),
            **{
                f"{s}_{st}": _both(s if s != "pvalue" else "p")
                for st in steps["step"]
                for s in stats
            },
        },
        stars=star_cols,
        row_kinds={i: k for i, _, k, _ in _STEP_ROWS},
        title=heading,
        notes=[_stars_note(style)],
        label="tab:regression",
        lang=lang,
        style=style,
    )


def moderation_table(
    result, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """The three moderation models (X; X + W; X + W + X×W) side by side with ΔR², ΔF.

    ``result`` is :func:`~sqresearch.model.regression.hierarchical_regression`
    run with the blocks [X (+ controls)], [W], [X:W]; the table is
    :func:`regression_table` under the moderation title.
    """
    table = regression_table(
        result, labels=labels, lang=lang, style=style, title=_both("title_moderation")
    )
    table.label = "tab:moderation"
    return table


def simple_slopes_table(
    conditional: pd.DataFrame,
    moderator: str,
    *,
    level: float = 0.95,
    labels: Labels = None,
    lang: str = "zh",
    style: str = "thesis",
) -> ThesisTable:
    """Conditional effects of X at moderator values (simple slopes).

    Parameters
    ----------
    conditional : DataFrame
        ``ProcessResult.conditional``: w, label ("-1SD", "mean", "+1SD" or
        percentiles), effect, se, t, pvalue, ci_lower, ci_upper.
    moderator : str
        The moderator's code (for the head).
    level : float
        The confidence level the intervals were computed at
        (``ProcessResult.level``), for the column head.
    """
    check_lang(lang)
    names = {"-1SD": label("low", lang), "mean": label("mid", lang), "+1SD": label("high", lang)}
    data = pd.DataFrame(
        {
            "level": [names.get(lv, lv) for lv in conditional["label"]],
            "w": conditional["w"].to_numpy(),
            "effect": conditional["effect"].to_numpy(),
            "se": conditional["se"].to_numpy(),
            "t": conditional["t"].to_numpy(),
            "p": conditional["pvalue"].to_numpy(),
            "lo": conditional["ci_lower"].to_numpy(),
            "hi": conditional["ci_upper"].to_numpy(),
        }
    )
    return ThesisTable(
        data,
        kinds={"w": "mean", "effect": "effect", "se": "se", "t": "t", "p": "p"},
        heads={"w": _name(moderator, lang, labels), "ci": _ci_head(level)},
        ci={"ci": ("lo", "hi")},
        columns=["level", "w", "effect", "se", "t", "p", "ci"],
        title={"zh": "简单斜率分析", "en": "Simple slopes"},
        label="tab:simple-slopes",
        lang=lang,
        style=style,
    )


# --- mediation, SEM, hypotheses ---------------------------------------------------

#: Label key of each mediation type of ProcessResult.mediation_decisions().
MEDIATION_TYPE_LABELS = {
    "full": "full_mediation",
    "partial": "partial_mediation",
    "suppression": "suppression",
    "none": "no_mediation",
}


def indirect_path(x: str, mediators: list[str], y: str, *, lang: str, labels: Labels) -> str:
    """X → M1 → … → Y, or "total indirect" when ``mediators`` is empty."""
    if mediators:
        return _arrow(x, *mediators, y, lang=lang, labels=labels)
    return {"zh": "总间接效应", "en": "Total indirect"}[lang]


def mediation_table(
    result, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """Total, direct and indirect effects with bootstrap CIs and the 温忠麟 & 叶宝娟 decision.

    Parameters
    ----------
    result : ProcessResult
        PROCESS model 4 or 6 (:func:`sqresearch.model.process.process`):
        ``total``, ``direct`` (effect, se, pvalue, ci_lower, ci_upper),
        ``indirect`` (path, effect, boot_se, ci_lower, ci_upper), ``paths``
        and ``variables``.

    Notes
    -----
    The classification of each indirect effect is the result's own
    (:meth:`~sqresearch.model.process.ProcessResult.mediation_decisions`,
    温忠麟 & 叶宝娟 2014); 效应占比 is ab/c, or ``|ab/c'|`` for suppression.
    """
    check_lang(lang)
    if result.total.empty:
        raise InputError("mediation table needs PROCESS model 4 or 6", value=result.model)
    v = result.variables
    x, y = v["x"], v["y"]
    tot, dire = result.total.iloc[0], result.direct.iloc[0]
    rows = [
        {
            "kind": label("total_effect", lang),
            "path": _arrow(x, y, lang=lang, labels=labels),
            "effect": tot["effect"],
            "se": tot["se"],
            "p": tot["pvalue"],
            "lo": tot["ci_lower"],
            "hi": tot["ci_upper"],
            "share": np.nan,
            "decision": "",
        },
        {
            "kind": label("direct_effect", lang),
            "path": _arrow(x, y, lang=lang, labels=labels),
            "effect": dire["effect"],
            "se": dire["se"],
            "p": dire["pvalue"],
            "lo": dire["ci_lower"],
            "hi": dire["ci_upper"],
            "share": np.nan,
            "decision": "",
        },
    ]
    for d in result.mediation_decisions().to_dict("records"):
        rows.append(
            {
                "kind": label("indirect_effect", lang),
                "path": indirect_path(x, d["mediators"], y, lang=lang, labels=labels),
                "effect": d["effect"],
                "se": d["boot_se"],
                "p": np.nan,
                "lo": d["ci_lower"],
                "hi": d["ci_upper"],
                "share": 100 * d["ratio"],
                "decision": label(MEDIATION_TYPE_LABELS[d["type"]], lang),
            }
        )
    interval = {k: interval_name(result.level, result.ci_method, k) for k in ("zh", "en")}
    return ThesisTable(
        pd.DataFrame(rows),
        kinds={"effect": "effect", "se": "se", "p": "p", "share": "percent"},
        ci={"ci": ("lo", "hi")},
        columns=["kind", "path", "effect", "se", "p", "ci", "share", "decision"],
        heads={
            "kind": {"zh": "效应类型", "en": "Type"},
            "effect": _both("effect"),
            "share": {"zh": "效应占比(%)", "en": "Proportion (%)"},
            "ci": _ci_head(result.level),
        },
        title=_both("title_mediation"),
        notes=[
            _note(
                f"间接效应的SE来自{result.n_boot}次Bootstrap抽样，置信区间为{interval['zh']}；"
                "总效应与直接效应为t检验。中介类型依温忠麟和叶宝娟(2014)的程序判断。",
                f"SE of indirect effects from {result.n_boot} bootstrap resamples, intervals "
                f"{interval['en']}s; total and direct effects t-based. Mediation type by the "
                "procedure of Wen & Ye (2014).",
            )
        ],
        label="tab:mediation",
        lang=lang,
        style=style,
    )


def sem_paths_table(
    estimates: pd.DataFrame,
    r2: Mapping[str, float] | pd.Series | None = None,
    *,
    labels: Labels = None,
    lang: str = "zh",
    style: str = "thesis",
) -> ThesisTable:
    """Structural paths: unstandardised estimate, SE, z, p and standardised β with stars.

    Parameters
    ----------
    estimates : DataFrame
        lavaan-layout parameter table; the ``~`` rows are listed.
    r2 : mapping or Series, optional
        R² of the endogenous variables, listed in a note.
    """
    check_lang(lang)
    paths = estimates[estimates["op"] == "~"]
    data = pd.DataFrame(
        {
            "path": [
                _arrow(rhs, lhs, lang=lang, labels=labels)
                for rhs, lhs in zip(paths["rhs"], paths["lhs"], strict=True)
            ],
            "est": paths["est"].to_numpy(),
            "se": paths["se"].to_numpy(),
            "z": paths["z"].to_numpy(),
            "p": paths["pvalue"].to_numpy(),
            "beta": paths["std_all"].to_numpy(),
        }
    )
    notes = [_stars_note(style)]
    if r2 is not None:
        endo = list(dict.fromkeys(paths["lhs"]))
        parts = [
            f"{_name(e, lang, labels)} = {fmt_number(dict(r2)[e], 'r2', style=style)}"
            for e in endo
            if e in dict(r2)
        ]
        notes.insert(
            0,
            {
                "zh": "注：R²：" + "，".join(parts) + "。",
                "en": "Note. R²: " + "; ".join(parts) + ".",
            },
        )
    return ThesisTable(
        data,
        kinds={"est": "b", "se": "se", "z": "z", "p": "p", "beta": "beta"},
        heads={
            "est": {"zh": "非标准化系数", "en": "Unstd. estimate"},
            "beta": {"zh": "标准化系数β", "en": "Std. β"},
        },
        stars={"beta": "p"},
        columns=["path", "est", "se", "z", "p", "beta"],
        title=_both("title_sem"),
        notes=notes,
        label="tab:sem-paths",
        lang=lang,
        style=style,
    )


def hypotheses_table(
    summary: pd.DataFrame,
    hypotheses: Iterable | None = None,
    *,
    labels: Labels = None,
    lang: str = "zh",
    style: str = "thesis",
) -> ThesisTable:
    """Hypothesis summary: each H with its path, estimate, p or CI and supported / not.

    Parameters
    ----------
    summary : DataFrame
        :func:`sqresearch.model.hypotheses.hypothesis_summary`: id, path,
        estimate, ci_lower, ci_upper, pvalue, supported.
    hypotheses : iterable of Hypothesis, optional
        The framework's hypotheses, for their sentences (``text(lang)``) and
        arrow paths.
    """
    check_lang(lang)
    by_id = {h.id: h for h in (hypotheses or [])}
    rows = []
    for r in summary.to_dict("records"):
        h = by_id.get(r["id"])
        path = (
            _hypothesis_path(h, lang, labels)
            if h is not None
            else str(r["path"]).replace(">", " → ")
        )
        rows.append(
            {
                "id": r["id"],
                "content": h.text(lang) if h is not None else "",
                "path": path,
                "estimate": r["estimate"],
                "p": r["pvalue"],
                "lo": r["ci_lower"],
                "hi": r["ci_upper"],
                "decision": label(
                    "supported"
                    if r["supported"]
                    else "not_tested"
                    if r.get("reason") == "missing"
                    else "not_supported",
                    lang,
                ),
            }
        )
    data = pd.DataFrame(rows)
    cols = ["id", "content", "path", "estimate", "p", "ci", "decision"]
    if not by_id:
        cols.remove("content")
    return ThesisTable(
        data,
        kinds={"estimate": "effect", "p": "p"},
        stars={"estimate": "p"},
        ci={"ci": ("lo", "hi")},
        columns=cols,
        heads={"id": _both("hypothesis"), "estimate": _both("estimate")},
        widths={"content": 0.28, "path": 0.22} if by_id else {"path": 0.3},
        title=_both("title_hypotheses"),
        notes=[_stars_note(style)],
        label="tab:hypotheses",
        lang=lang,
        style=style,
    )


def _defined_rows(boot_table, ci_method: str, labels: Labels, lang: str) -> list:
    """Each ``:=`` effect of a bootstrap table with its printed kind and path.

    Names following the framework convention ``ind_X_M_Y`` / ``tot_X_Y`` are
    printed as paths; others as given, with their definition.
    """
    out = []
    for r in defined_effects(boot_table, ci_method).to_dict("records"):
        kind, *codes = str(r["lhs"]).split("_")
        if kind in ("ind", "tot") and len(codes) >= 2:
            effect = label("indirect_effect" if kind == "ind" else "total_effect", lang)
            out.append((r, (effect, _arrow(*codes, lang=lang, labels=labels))))
        else:
            out.append((r, (str(r["lhs"]), f"{r['lhs']} = {r['rhs']}")))
    return out


def sem_indirect_table(
    boot_table,
    *,
    n_boot: int | None = None,
    level: float = 0.95,
    ci_method: str = "percentile",
    labels: Labels = None,
    lang: str = "zh",
    style: str = "thesis",
) -> ThesisTable:
    """Indirect and total effects of a SEM (its ``:=`` parameters) with bootstrap CIs.

    Parameters
    ----------
    boot_table : SEMBootstrap or DataFrame
        The result of :func:`sqresearch.sem.fit.bootstrap_sem` (its level and
        number of resamples are then read from it), or its ``table``
        (lavaan layout plus ``boot_se``, ``ci_lower``, ``ci_upper``,
        ``bc_lower``, ``bc_upper``); the ``:=`` rows are shown.  Names
        following the framework convention ``ind_X_M_Y`` / ``tot_X_Y`` are
        printed as paths; others as given, with their definition.
    n_boot : int, optional
        Resamples, for the note (read from a SEMBootstrap).
    level : float
        Confidence level of the table's intervals (read from a SEMBootstrap).
    ci_method : {"percentile", "bc"}
        Which of the bootstrap intervals to show: percentile (``ci_*``) or
        bias-corrected (``bc_*``).

    Examples
    --------
    >>> b = pd.DataFrame({"lhs": ["ind_X_M_Y"], "op": [":="], "rhs": ["a*b"], "est": [0.2],
    ...                   "boot_se": [0.05], "ci_lower": [0.1], "ci_upper": [0.3]})
    >>> sem_indirect_table(b, n_boot=1000, lang="en").to_frame().values.tolist()
    [['Indirect effect', 'X → M → Y', '0.200', '0.050', '[0.100, 0.300]', 'Significant']]
    """
    check_lang(lang)
    if hasattr(boot_table, "table"):  # a SEMBootstrap knows what it computed
        n_boot, level, boot_table = boot_table.n_boot, boot_table.level, boot_table.table
    rows = [
        {
            "kind": kind,
            "path": path,
            "effect": r["est"],
            "se": r["boot_se"],
            "lo": r["ci_lower"],
            "hi": r["ci_upper"],
            "decision": label("significant" if r["significant"] else "not_significant", lang),
        }
        for r, (kind, path) in _defined_rows(boot_table, ci_method, labels, lang)
    ]
    resamples = "" if n_boot is None else f"{n_boot}"
    return ThesisTable(
        pd.DataFrame(rows),
        kinds={"effect": "effect", "se": "se"},
        ci={"ci": ("lo", "hi")},
        columns=["kind", "path", "effect", "se", "ci", "decision"],
        heads={
            "kind": {"zh": "效应类型", "en": "Type"},
            "effect": _both("effect"),
            "se": _both("boot_se"),
            "ci": _ci_head(level),
        },
        title={
            "zh": "结构方程模型的间接效应与总效应",
            "en": "Indirect and total effects in the SEM",
        },
        notes=[
            _note(
                "效应为非标准化估计值；"
                + (f"{resamples}次Bootstrap抽样，" if resamples else "")
                + f"{interval_name(level, ci_method, 'zh')}不包含0即为显著。",
                f"Unstandardised estimates; {interval_name(level, ci_method, 'en')}s from "
                f"{resamples + ' ' if resamples else ''}bootstrap resamples; an interval "
                "excluding 0 is significant.",
            )
        ],
        label="tab:sem-indirect",
        lang=lang,
        style=style,
    )


def moderated_mediation_table(
    results: Sequence, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> ThesisTable:
    """Index of moderated mediation and the conditional indirect effects (PROCESS model 7/8/14).

    Parameters
    ----------
    results : sequence of ProcessResult
        Models with a moderated indirect path (``index_mm``: mediator,
        index, boot_se, ci_lower, ci_upper; ``indirect``: path, w, label,
        effect, boot_se, ci_lower, ci_upper).  One block of rows per
        mediator of each result: the conditional indirect effects at
        −1 SD, the mean and +1 SD of the moderator, then the index.
    """
    check_lang(lang)
    level_keys = {"-1SD": "low", "mean": "mid", "+1SD": "high"}
    rows = []
    for result in results:
        if result.index_mm is None or result.index_mm.empty:
            raise InputError(
                "moderated mediation table needs PROCESS model 7, 8 or 14", value=result.model
            )
        v = result.variables
        for mm in result.index_mm.to_dict("records"):
            med = mm["mediator"]
            path = _arrow(v["x"], med, v["y"], lang=lang, labels=labels)
            moderator = _name(v["w"], lang, labels)
            conditional = result.indirect[result.indirect["path"] == med]
            for r in conditional.to_dict("records"):
                rows.append(
                    {
                        "path": path,
                        "moderator": moderator,
                        "level": label(level_keys.get(r["label"], r["label"]), lang),
                        "effect": r["effect"],
                        "se": r["boot_se"],
                        "lo": r["ci_lower"],
                        "hi": r["ci_upper"],
                    }
                )
            rows.append(
                {
                    "path": path,
                    "moderator": moderator,
                    "level": {"zh": "有调节的中介指数", "en": "Index of moderated mediation"}[lang],
                    "effect": mm["index"],
                    "se": mm["boot_se"],
                    "lo": mm["ci_lower"],
                    "hi": mm["ci_upper"],
                }
            )
    boots = sorted({r.n_boot for r in results})
    computed = {(r.level, r.ci_method) for r in results}
    if len(computed) > 1:
        raise InputError(
            "the models' intervals differ in level or method; one table needs one kind",
            value=sorted(computed),
        )
    level, method = computed.pop()
    return ThesisTable(
        pd.DataFrame(rows),
        kinds={"effect": "effect", "se": "se"},
        ci={"ci": ("lo", "hi")},
        columns=["path", "moderator", "level", "effect", "se", "ci"],
        heads={
            "path": {"zh": "中介路径", "en": "Indirect path"},
            "level": {"zh": "调节变量水平", "en": "Moderator level"},
            "effect": {"zh": "条件间接效应", "en": "Conditional indirect effect"},
            "se": _both("boot_se"),
            "ci": _ci_head(level),
        },
        title={
            "zh": "有调节的中介效应检验",
            "en": "Moderated mediation: conditional indirect effects",
        },
        notes=[
            _note(
                f"Bootstrap抽样{'、'.join(map(str, boots))}次，{interval_name(level, method, 'zh')}；"
                "有调节的中介指数的置信区间不包含0，表示间接效应随调节变量而变化(Hayes, 2015)。",
                f"{', '.join(map(str, boots))} bootstrap resamples, "
                f"{interval_name(level, method, 'en')}s; "
                "an index whose interval excludes 0 means the indirect effect depends on the "
                "moderator (Hayes, 2015).",
            )
        ],
        label="tab:moderated-mediation",
        collapse=["path", "moderator"],
        widths={"path": 0.3},
        lang=lang,
        style=style,
    )


#: The default re-estimation of :func:`robustness_table`.
CARELESS_KEPT = {"zh": "不剔除粗心作答", "en": "Careless respondents kept"}


def robustness_table(
    main: pd.DataFrame,
    robust: pd.DataFrame,
    *,
    n_main: int,
    n_robust: int,
    robust_name: Mapping[str, str] | None = None,
    labels: Labels = None,
    lang: str = "zh",
    style: str = "thesis",
) -> ThesisTable:
    """Structural paths of the main and the re-estimated model side by side (β and p).

    Parameters
    ----------
    main, robust : DataFrame
        Parameter tables in lavaan's layout (``SEMResult.estimates``); their
        ``~`` rows are matched on lhs and rhs.
    n_main, n_robust : int
        Sample sizes, printed in the column-group heads.
    robust_name : {"zh": ..., "en": ...}, optional
        What the re-estimation changed; default "careless respondents kept".
    """
    check_lang(lang)
    cols = ["lhs", "rhs", "std_all", "pvalue"]
    paths = main.loc[main["op"] == "~", cols].merge(
        robust.loc[robust["op"] == "~", cols], on=["lhs", "rhs"], suffixes=("_main", "_robust")
    )
    paths.insert(
        0,
        "path",
        [
            _arrow(x, y, lang=lang, labels=labels)
            for y, x in zip(paths["lhs"], paths["rhs"], strict=True)
        ],
    )
    return ThesisTable(
        paths.drop(columns=["lhs", "rhs"]),
        kinds={
            "std_all_main": "beta",
            "pvalue_main": "p",
            "std_all_robust": "beta",
            "pvalue_robust": "p",
        },
        heads={
            "std_all_main": "beta",
            "pvalue_main": "p",
            "std_all_robust": "beta",
            "pvalue_robust": "p",
        },
        columns=["path", "std_all_main", "pvalue_main", "std_all_robust", "pvalue_robust"],
        column_groups=[
            (
                {"zh": f"主分析(n = {n_main})", "en": f"Main analysis (n = {n_main})"},
                ["std_all_main", "pvalue_main"],
            ),
            (
                {
                    k: f"{v}(n = {n_robust})" if k == "zh" else f"{v} (n = {n_robust})"
                    for k, v in (robust_name or CARELESS_KEPT).items()
                },
                ["std_all_robust", "pvalue_robust"],
            ),
        ],
        stars={"std_all_main": "pvalue_main", "std_all_robust": "pvalue_robust"},
        title={
            "zh": "稳健性检验：结构路径的比较",
            "en": "Robustness check: structural paths compared",
        },
        notes=[_stars_note(style)],
        label="tab:robustness",
        lang=lang,
        style=style,
    )
