"""CFA and SEM: loadings with CR/AVE, model fit, structural paths, defined (indirect) effects,
the robustness comparison; their tables and paragraphs.

Reads :class:`sqresearch.sem.SEMResult` (its ``estimates``, ``fit`` and bootstrap
tables) and :mod:`sqresearch.measure.validity`.

Examples
--------
>>> fit = {"chisq": 85.306, "df": 24, "chisq_df": 3.554, "cfi": 0.931, "tli": 0.896,
...        "rmsea": 0.092, "srmr": 0.065}
>>> t = fit_table(fit, lang="en")
>>> t.to_frame()[["Index", "Value", "Criterion", "Judgement"]].iloc[2:5].values.tolist()
[['χ²/df', '3.554', '<3', 'Not met'], ['CFI', '0.931', '≥0.90', 'Met'], ['TLI', '0.896', '≥0.90', 'Not met']]
>>> print(fit_text(fit, lang="en"))  # doctest: +NORMALIZE_WHITESPACE
The model fits only partly: χ²/df = 3.554, CFI = 0.931, TLI = 0.896, RMSEA = 0.092,
SRMR = 0.065. CFI and SRMR meet their cut-offs, while χ²/df (<3), TLI (≥0.90) and RMSEA
(<0.08) do not (Kline (2016); Carmines & McIver (1981); Tucker & Lewis (1973); Browne &
Cudeck (1993)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sqresearch.report.common import (
    Labels,
    arrow_path,
    ci_head,
    cite_sources,
    cutoff,
    cutoff_source,
    cutoff_value,
    display_name,
    interval_name,
    join_words,
    label_pair,
    p_phrase,
    sign_note,
    sign_sentence,
    significant,
    stars_note,
    table_note,
)
from sqresearch.report.format import fmt_number, fmt_threshold
from sqresearch.report.labels import (
    check_lang,
    label,
)
from sqresearch.report.tables import ThesisTable
from sqresearch.sem.fit import defined_effects
from sqresearch.thresholds import FIT_INDICES, THRESHOLDS, fit_verdicts, passes

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


def cfa_table(
    estimates: pd.DataFrame,
    validity: pd.DataFrame,
    *,
    labels: Labels = None,
    lang: str | None = None,
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
    lang = check_lang(lang)
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
                "construct": display_name(r["lhs"], lang, labels)
                + (" †" if r["lhs"] in flagged else ""),
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
        title=label_pair("title_cfa"),
        notes=[
            table_note(
                f"标准化载荷{lo}（{THRESHOLDS.loc['loading', 'source']}），CR{cr}，AVE{ave}"
                f"（{THRESHOLDS.loc['ave', 'source']}）；未列SE的载荷固定为1。",
                f"Standardised loadings {lo} ({THRESHOLDS.loc['loading', 'source']}), CR {cr}, "
                f"AVE {ave} ({THRESHOLDS.loc['ave', 'source']}); loadings without SE are fixed to 1.",
            ),
            *([sign_note(flagged, ("CR与AVE", "CR and AVE"), labels)] if flagged else []),
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
    lang: str | None = None,
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
    lang = check_lang(lang)
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
        heads={"value": label_pair("value")},
        row_kinds={k: _FIT_KINDS.get(k, "fit") for k in indices},
        title=label_pair("title_fit"),
        notes=[table_note(f"参考标准来源：{srcs}。", f"Criteria: {srcs}.")] if srcs else [],
        label="tab:fit",
        lang=lang,
        style=style,
    )


def sem_paths_table(
    estimates: pd.DataFrame,
    r2: Mapping[str, float] | pd.Series | None = None,
    *,
    labels: Labels = None,
    lang: str | None = None,
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
    lang = check_lang(lang)
    paths = estimates[estimates["op"] == "~"]
    data = pd.DataFrame(
        {
            "path": [
                arrow_path(rhs, lhs, lang=lang, labels=labels)
                for rhs, lhs in zip(paths["rhs"], paths["lhs"], strict=True)
            ],
            "est": paths["est"].to_numpy(),
            "se": paths["se"].to_numpy(),
            "z": paths["z"].to_numpy(),
            "p": paths["pvalue"].to_numpy(),
            "beta": paths["std_all"].to_numpy(),
        }
    )
    notes = [stars_note(style)]
    if r2 is not None:
        endo = list(dict.fromkeys(paths["lhs"]))
        parts = [
            f"{display_name(e, lang, labels)} = {fmt_number(dict(r2)[e], 'r2', style=style)}"
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
        title=label_pair("title_sem"),
        notes=notes,
        label="tab:sem-paths",
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
            out.append((r, (effect, arrow_path(*codes, lang=lang, labels=labels))))
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
    lang: str | None = None,
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
    lang = check_lang(lang)
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
            "effect": label_pair("effect"),
            "se": label_pair("boot_se"),
            "ci": ci_head(level),
        },
        title={
            "zh": "结构方程模型的间接效应与总效应",
            "en": "Indirect and total effects in the SEM",
        },
        notes=[
            table_note(
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
    lang: str | None = None,
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
    lang = check_lang(lang)
    cols = ["lhs", "rhs", "std_all", "pvalue"]
    paths = main.loc[main["op"] == "~", cols].merge(
        robust.loc[robust["op"] == "~", cols], on=["lhs", "rhs"], suffixes=("_main", "_robust")
    )
    paths.insert(
        0,
        "path",
        [
            arrow_path(x, y, lang=lang, labels=labels)
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
        notes=[stars_note(style)],
        label="tab:robustness",
        lang=lang,
        style=style,
    )


#: The fit indices judged by :func:`fit_text`, in reporting order.
CORE_FIT = ("chisq_df", "gfi", "agfi", "cfi", "tli", "nfi", "ifi", "rmsea", "srmr")


_FIT_KIND = {"chisq_df": "chisq_df", "rmsea": "rmsea"}


def cfa_text(
    estimates: pd.DataFrame,
    validity: pd.DataFrame,
    *,
    labels: Labels = None,
    lang: str | None = None,
    style: str = "thesis",
) -> str:
    """Convergent validity: loadings, CR and AVE against their cut-offs.

    ``estimates`` is a lavaan-layout table (its ``=~`` rows), ``validity`` has
    ``cr`` and ``ave`` by factor.
    """
    lang = check_lang(lang)
    flagged = validity[validity["sign_problem"]] if "sign_problem" in validity else None
    signs = sign_sentence(
        {} if flagged is None else {f: v.split(", ") for f, v in flagged["negative_items"].items()},
        ("CR与AVE", "their CR and AVE"),
        labels,
        lang,
    )
    validity = validity.drop(index=list(signs[1]))
    loads = estimates[estimates["op"] == "=~"]
    lo_min, lo_max = loads["std_all"].min(), loads["std_all"].max()
    weak = [
        f"{r} ({fmt_number(v, 'loading', style=style)})"
        for r, v in zip(loads["rhs"], loads["std_all"], strict=True)
        if not passes("loading", v)
    ]
    bad_cr = [
        f"{display_name(f, lang, labels)} (CR = {fmt_number(v, 'cr', style=style)})"
        for f, v in validity["cr"].items()
        if not passes("cr", v)
    ]
    bad_ave = [
        f"{display_name(f, lang, labels)} (AVE = {fmt_number(v, 'ave', style=style)})"
        for f, v in validity["ave"].items()
        if not passes("ave", v)
    ]
    rng = (
        f"{fmt_number(lo_min, 'loading', style=style)}–{fmt_number(lo_max, 'loading', style=style)}"
    )
    cut_l, cut_cr, cut_ave = (
        cutoff_value("loading"),
        cutoff_value("cr", "cr", style),
        cutoff_value("ave", "ave", style),
    )
    if lang == "zh":
        out = [
            f"各题项的标准化载荷在{rng}之间，"
            + (f"均达到{cut_l}的标准" if not weak else f"其中{join_words(weak, lang)}低于{cut_l}")
            + f"（{cutoff_source('loading')}）。"
        ]
        out.append(
            f"{join_words(bad_cr, lang)}的组合信度低于{cut_cr}；"
            if bad_cr
            else f"各变量的组合信度(CR)均达到{cut_cr}；"
        )
        out.append(
            f"{join_words(bad_ave, lang)}的平均方差抽取量低于{cut_ave}（{cutoff_source('ave')}）。"
            if bad_ave
            else f"平均方差抽取量(AVE)均达到{cut_ave}（{cutoff_source('ave')}）。"
        )
        out.append(signs[0])
        out.append(
            "聚合效度良好。"
            if not (weak or bad_cr or bad_ave or signs[1])
            else "聚合效度未完全达到标准。"
        )
        return "".join(out)
    out = [
        f"Standardised loadings range from {rng}; "
        + (
            f"all meet the {cut_l} standard"
            if not weak
            else f"{join_words(weak, lang)} fall below {cut_l}"
        )
        + f" ({cutoff_source('loading')})."
    ]
    out.append(
        f"Composite reliability of {join_words(bad_cr, lang)} is below {cut_cr}."
        if bad_cr
        else f"Every construct's composite reliability (CR) meets {cut_cr}."
    )
    out.append(
        f"AVE of {join_words(bad_ave, lang)} is below {cut_ave} ({cutoff_source('ave')})."
        if bad_ave
        else f"Every AVE meets {cut_ave} ({cutoff_source('ave')})."
    )
    if signs[0]:
        out.append(signs[0])
    out.append(
        "Convergent validity is supported."
        if not (weak or bad_cr or bad_ave or signs[1])
        else "Convergent validity is not fully supported."
    )
    return " ".join(out)


def fit_text(fit: Mapping, *, lang: str | None = None, style: str = "thesis") -> str:
    """Which fit indices meet their cut-offs; the cut-offs' sources are cited once each."""
    lang = check_lang(lang)
    keys = [k for k in CORE_FIT if k in fit or (k == "chisq_df" and {"chisq", "df"} <= set(fit))]
    verdicts = fit_verdicts(fit, keys)
    values = verdicts["value"].to_dict()
    good = [k for k in keys if verdicts.loc[k, "passes"] is True]
    bad = [k for k in keys if verdicts.loc[k, "passes"] is not True]
    shown = ", ".join(
        f"{label(k, lang)} = {fmt_number(values[k], _FIT_KIND.get(k, 'fit'), style=style)}"
        for k in keys
    )
    names = {k: label(k, lang) for k in keys}
    if lang == "zh":
        head = "模型拟合良好" if not bad else ("模型拟合部分达标" if good else "模型拟合欠佳")
        out = f"{head}：{shown}。"
        if good and bad:
            out += f"{join_words([names[k] for k in good], lang)}达到参考标准，"
        if bad:
            out += "而" if good else ""
            out += (
                join_words([f"{names[k]}（{cutoff(k)}）" for k in bad], lang)
                + f"未达到参考标准（{cite_sources(bad, lang)}）。"
            )
        else:
            out += f"各项指标均达到参考标准（{cite_sources(keys, lang)}）。"
        return out
    head = (
        "The model fits well"
        if not bad
        else "The model fits only partly"
        if good
        else "The model fits poorly"
    )
    out = f"{head}: {shown}."
    if bad:
        listed = join_words([f"{names[k]} ({cutoff(k)})" for k in bad], lang)
        out += (
            f" {join_words([names[k] for k in good], lang)} meet their cut-offs, while {listed} do not"
            if good
            else f" {listed} miss their cut-offs"
        ) + f" ({cite_sources(bad, lang)})."
    else:
        out += f" Every index meets its cut-off ({cite_sources(keys, lang)})."
    return out


def sem_paths_text(
    estimates: pd.DataFrame, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> str:
    """Which structural paths are significant (with β and p) and which are not."""
    lang = check_lang(lang)
    paths = estimates[estimates["op"] == "~"]
    sig, ns = [], []
    for r in paths.to_dict("records"):
        text = (
            f"{arrow_path(r['rhs'], r['lhs'], lang=lang, labels=labels)} "
            f"(β = {fmt_number(r['std_all'], 'beta', style=style)}, {p_phrase(r['pvalue'], style)})"
        )
        (sig if significant(r["pvalue"]) else ns).append(text)
    if lang == "zh":
        out = f"路径{join_words(sig, lang)}显著。" if sig else "没有显著的结构路径。"
        out += f"路径{join_words(ns, lang)}不显著。" if ns else "所有结构路径均显著。"
        return out
    out = (
        f"The paths {join_words(sig, lang)} are significant."
        if sig
        else "No structural path is significant."
    )
    out += (
        f" The paths {join_words(ns, lang)} are not significant."
        if ns
        else " Every structural path is significant."
    )
    return out


def sem_indirect_text(
    boot_table,
    *,
    n_boot: int | None = None,
    level: float = 0.95,
    ci_method: str = "percentile",
    labels: Labels = None,
    lang: str | None = None,
    style: str = "thesis",
) -> str:
    """Which SEM indirect (and total) effects have bootstrap CIs that exclude 0.

    ``boot_table`` is ``bootstrap_sem(...)`` (or its ``table`` with ``n_boot``
    and ``level`` given); the other arguments as in
    :func:`sqresearch.report.sem.sem_indirect_table`.
    """
    lang = check_lang(lang)
    if hasattr(boot_table, "table"):  # a SEMBootstrap knows what it computed
        n_boot, level, boot_table = boot_table.n_boot, boot_table.level, boot_table.table
    interval = interval_name(level, ci_method, lang)
    out = []
    for r, (kind, path) in _defined_rows(boot_table, ci_method, labels, lang):
        lo, hi = r["ci_lower"], r["ci_upper"]
        ci = f"[{fmt_number(lo, 'ci', style=style)}, {fmt_number(hi, 'ci', style=style)}]"
        eff = fmt_number(r["est"], "effect", style=style)
        if lang == "zh":
            out.append(
                f"{path}的{kind}为{eff}，{interval}{ci}"
                + ("不包含0，效应显著。" if r["significant"] else "包含0，效应不显著。")
            )
        else:
            out.append(
                f"The {kind.lower()} {path} is {eff}, {interval} {ci}, which "
                + (
                    "excludes 0: it is significant."
                    if r["significant"]
                    else "includes 0: it is not significant."
                )
            )
    head = (
        (f"采用{n_boot}次Bootstrap抽样检验结构方程模型的间接效应。" if n_boot else "")
        if lang == "zh"
        else (
            f"Indirect effects in the SEM were tested with {n_boot} bootstrap resamples. "
            if n_boot
            else ""
        )
    )
    return head + ("" if lang == "zh" else " ").join(out)


def robustness_changes(
    main: pd.DataFrame, robust: pd.DataFrame, *, labels: Labels = None, lang: str | None = None
) -> list[str]:
    """Structural paths (printed names) whose significance differs between two estimations."""
    lang = check_lang(lang)
    cols = ["lhs", "rhs", "pvalue"]
    both = main.loc[main["op"] == "~", cols].merge(
        robust.loc[robust["op"] == "~", cols], on=["lhs", "rhs"], suffixes=("_main", "_robust")
    )
    return [
        arrow_path(r["rhs"], r["lhs"], lang=lang, labels=labels)
        for r in both.to_dict("records")
        if significant(r["pvalue_main"]) != significant(r["pvalue_robust"])
    ]
