"""Interpretation paragraphs (Chinese or English) generated from the numbers.

Each function reads the same results as the matching table in
:mod:`sqresearch.report.thesis_tables` and says, in a short paragraph, which
values meet or miss the conventional cut-offs of :mod:`sqresearch.thresholds`
(citing their sources) and which hypotheses hold.  Every verdict is
computed: a failing value produces a sentence that says it fails.

Examples
--------
>>> print(fit_text({"chisq": 85.3, "df": 24, "cfi": 0.931, "tli": 0.896, "rmsea": 0.092,
...                 "srmr": 0.065}, lang="en"))  # doctest: +NORMALIZE_WHITESPACE
The model fits only partly: χ²/df = 3.554, CFI = 0.931, TLI = 0.896, RMSEA = 0.092,
SRMR = 0.065. CFI and SRMR meet their cut-offs, while χ²/df (<3), TLI (≥0.90) and RMSEA
(<0.08) do not (Kline (2016); Carmines & McIver (1981); Tucker & Lewis (1973); Browne &
Cudeck (1993)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sqresearch.errors import InputError
from sqresearch.report.format import fmt_number, fmt_p, fmt_threshold
from sqresearch.report.labels import check_lang, label
from sqresearch.report.thesis_tables import (
    MEDIATION_TYPE_LABELS,
    _arrow,
    _defined_rows,
    _name,
    indirect_path,
    interval_name,
)
from sqresearch.thresholds import THRESHOLDS, fit_verdicts, passes, threshold

Labels = Mapping[str, str] | None

#: The fit indices judged by :func:`fit_text`, in reporting order.
CORE_FIT = ("chisq_df", "gfi", "agfi", "cfi", "tli", "nfi", "ifi", "rmsea", "srmr")

_FIT_KIND = {"chisq_df": "chisq_df", "rmsea": "rmsea"}


def _src(key: str) -> str:
    return str(THRESHOLDS.loc[key, "source"])


def _cut(key: str, kind: str = "value", style: str = "thesis") -> str:
    """The cut-off with its sign (``≥0.70``), for brackets beside a statistic."""
    return fmt_threshold(key, kind, style=style)


def _val(key: str, kind: str = "value", style: str = "thesis") -> str:
    """The bare cut-off (``0.70``), after words that already compare (低于, below)."""
    return fmt_threshold(key, kind, style=style, symbol=False)


def _sources(keys: Sequence[str], lang: str) -> str:
    """The sources of ``keys``' cut-offs, each citation once, in order."""
    cites = dict.fromkeys(c.strip() for k in keys for c in _src(k).split(";"))
    return ("；" if lang == "zh" else "; ").join(cites)


def _join(items: Sequence[str], lang: str) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if lang == "zh":
        return "、".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _p(p: float, style: str = "thesis") -> str:
    text = fmt_p(p, style=style)
    return f"p < {text[1:]}" if text.startswith("<") else f"p = {text}"


def _sig(p: float) -> bool:
    return bool(p < threshold("alpha_level"))


# --- reliability and validity -----------------------------------------------------


def reliability_text(rel, *, labels: Labels = None, lang: str = "zh", style: str = "thesis") -> str:
    """Which scales reach α ≥ .70, which items fall below the CITC cut-off or raise α if deleted.

    ``rel`` is a :class:`~sqresearch.measure.reliability.ReliabilityTable`.
    """
    check_lang(lang)
    alphas = rel.scales["alpha"]
    signs = _sign_sentence(
        {
            s: [i for i, neg in rel.items.loc[s, "negative"].items() if neg]
            for s in rel.scales.index[rel.scales["sign_problem"]]
        },
        ("α系数", "α"),
        labels,
        lang,
    )
    judged = alphas.drop(index=[s for s in alphas.index if s in signs[1]])
    good = [s for s, a in judged.items() if passes("alpha", a)]
    bad = [s for s, a in judged.items() if not passes("alpha", a)]
    fmt = {
        s: f"{_name(s, lang, labels)} (α = {fmt_number(a, 'alpha', style=style)})"
        for s, a in alphas.items()
    }
    low_citc = [
        f"{item} ({fmt_number(r['citc'], 'citc', style=style)})"
        for (_, item), r in rel.items.iterrows()
        if not passes("citc", r["citc"])
    ]
    raise_alpha = [
        item for (scale, item), r in rel.items.iterrows() if r["alpha_if_deleted"] > alphas[scale]
    ]
    cut_a, cut_c = _val("alpha", "alpha", style), _val("citc", "citc", style)
    if lang == "zh":
        out = []
        if good:
            out.append(
                f"{_join([fmt[s] for s in good], lang)}的Cronbach's α系数达到{cut_a}的标准"
                f"（{_src('alpha')}），信度良好。"
            )
        if bad:
            out.append(
                f"{_join([fmt[s] for s in bad], lang)}的α系数低于{cut_a}，未达到信度标准"
                f"（{_src('alpha')}），需检查或修订题项。"
            )
        out.append(
            f"题项{_join(low_citc, lang)}的CITC低于{cut_c}（{_src('citc')}）。"
            if low_citc
            else f"所有题项的CITC均不低于{cut_c}（{_src('citc')}）。"
        )
        if raise_alpha:
            out.append(f"删除题项{_join(raise_alpha, lang)}后α系数会上升。")
        return "".join([*out, signs[0]])
    out = []
    if good:
        out.append(
            f"Cronbach's α of {_join([fmt[s] for s in good], lang)} meets the {cut_a} "
            f"standard ({_src('alpha')}), indicating good reliability."
        )
    if bad:
        out.append(
            f"Cronbach's α of {_join([fmt[s] for s in bad], lang)} is below {cut_a} and "
            f"does not meet the reliability standard ({_src('alpha')}); its items need review."
        )
    out.append(
        f"The CITC of {_join(low_citc, lang)} is below {cut_c} ({_src('citc')})."
        if low_citc
        else f"Every item's CITC is at least {cut_c} ({_src('citc')})."
    )
    if raise_alpha:
        out.append(f"Deleting {_join(raise_alpha, lang)} would raise α.")
    return " ".join([*out, signs[0]]).strip()


def _sign_sentence(
    flagged: Mapping[str, list[str]], stats: tuple[str, str], labels: Labels, lang: str
) -> tuple[str, set]:
    """The sentence for constructs measure/ flagged with items pointing the other way, and them."""
    if not flagged:
        return "", set()
    zh = "；".join(f"{_name(c, 'zh', labels)}的题项{'、'.join(i)}" for c, i in flagged.items())
    en = "; ".join(f"{', '.join(i)} of {_name(c, 'en', labels)}" for c, i in flagged.items())
    if lang == "zh":
        return (
            f"{zh}与所属构念其余题项方向相反（负相关或负载荷），可能为未反向计分的反向题；"
            f"反向计分前其{stats[0]}不可解释。",
            set(flagged),
        )
    return (
        f"Items {en} point the other way from the rest of their construct (negative "
        f"correlation or loading), probably reverse-keyed items not yet reverse-coded; "
        f"{stats[1]} cannot be interpreted until they are.",
        set(flagged),
    )


def efa_text(efa, *, lang: str = "zh", style: str = "thesis") -> str:
    """KMO and Bartlett's test, factors extracted and cumulative variance explained.

    ``efa`` is an :class:`~sqresearch.measure.efa.EFAResult`.
    """
    check_lang(lang)
    ad = efa.adequacy
    kmo_ok, bart_ok = passes("kmo", ad.kmo), passes("bartlett_p", ad.pvalue)
    col = (
        "rotation_cumulative"
        if efa.variance["rotation_cumulative"].notna().all()
        else "extraction_cumulative"
    )
    cum = float(efa.variance[col].iloc[efa.n_factors - 1])
    cum_ok = passes("cumulative_variance", cum)
    kmo = fmt_number(ad.kmo, "kmo", style=style)
    pct = fmt_number(100 * cum, "percent")
    p = _p(ad.pvalue, style)
    chisq = fmt_number(ad.chisq, "chisq")
    cum_cut = _val("cumulative_variance")
    if lang == "zh":
        out = [
            f"KMO值为{kmo}，"
            + (f"达到{_val('kmo')}的标准" if kmo_ok else f"低于{_val('kmo')}的标准")
            + f"（{_src('kmo')}）；Bartlett球形检验χ²({ad.df}) = {chisq}，{p}，"
            + ("相关矩阵不是单位阵，" if bart_ok else "未能拒绝单位阵假设，")
            + ("适合进行因子分析。" if kmo_ok and bart_ok else "数据不太适合进行因子分析。")
        ]
        out.append(
            f"共提取{efa.n_factors}个因子，累计方差解释率为{pct}%，"
            + (
                f"超过{100 * float(cum_cut):.0f}%的标准"
                if cum_ok
                else f"未达到{100 * float(cum_cut):.0f}%的标准"
            )
            + f"（{_src('cumulative_variance')}）。"
        )
        return "".join(out)
    out = [
        f"KMO = {kmo}, which "
        + ("meets" if kmo_ok else "falls below")
        + f" the {_val('kmo')} standard ({_src('kmo')}); Bartlett's test gives χ²({ad.df}) = "
        + f"{chisq}, {p}, so the data are "
        + ("suitable" if kmo_ok and bart_ok else "not well suited")
        + " for factor analysis."
    ]
    out.append(
        f"{efa.n_factors} factors were extracted, explaining {pct}% of the variance "
        + ("cumulatively, above" if cum_ok else "cumulatively, short of")
        + f" the {100 * float(cum_cut):.0f}% standard ({_src('cumulative_variance')})."
    )
    return " ".join(out)


def cfa_text(
    estimates: pd.DataFrame,
    validity: pd.DataFrame,
    *,
    labels: Labels = None,
    lang: str = "zh",
    style: str = "thesis",
) -> str:
    """Convergent validity: loadings, CR and AVE against their cut-offs.

    ``estimates`` is a lavaan-layout table (its ``=~`` rows), ``validity`` has
    ``cr`` and ``ave`` by factor.
    """
    check_lang(lang)
    flagged = validity[validity["sign_problem"]] if "sign_problem" in validity else None
    signs = _sign_sentence(
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
        f"{_name(f, lang, labels)} (CR = {fmt_number(v, 'cr', style=style)})"
        for f, v in validity["cr"].items()
        if not passes("cr", v)
    ]
    bad_ave = [
        f"{_name(f, lang, labels)} (AVE = {fmt_number(v, 'ave', style=style)})"
        for f, v in validity["ave"].items()
        if not passes("ave", v)
    ]
    rng = (
        f"{fmt_number(lo_min, 'loading', style=style)}–{fmt_number(lo_max, 'loading', style=style)}"
    )
    cut_l, cut_cr, cut_ave = _val("loading"), _val("cr", "cr", style), _val("ave", "ave", style)
    if lang == "zh":
        out = [
            f"各题项的标准化载荷在{rng}之间，"
            + (f"均达到{cut_l}的标准" if not weak else f"其中{_join(weak, lang)}低于{cut_l}")
            + f"（{_src('loading')}）。"
        ]
        out.append(
            f"{_join(bad_cr, lang)}的组合信度低于{cut_cr}；"
            if bad_cr
            else f"各变量的组合信度(CR)均达到{cut_cr}；"
        )
        out.append(
            f"{_join(bad_ave, lang)}的平均方差抽取量低于{cut_ave}（{_src('ave')}）。"
            if bad_ave
            else f"平均方差抽取量(AVE)均达到{cut_ave}（{_src('ave')}）。"
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
            else f"{_join(weak, lang)} fall below {cut_l}"
        )
        + f" ({_src('loading')})."
    ]
    out.append(
        f"Composite reliability of {_join(bad_cr, lang)} is below {cut_cr}."
        if bad_cr
        else f"Every construct's composite reliability (CR) meets {cut_cr}."
    )
    out.append(
        f"AVE of {_join(bad_ave, lang)} is below {cut_ave} ({_src('ave')})."
        if bad_ave
        else f"Every AVE meets {cut_ave} ({_src('ave')})."
    )
    if signs[0]:
        out.append(signs[0])
    out.append(
        "Convergent validity is supported."
        if not (weak or bad_cr or bad_ave or signs[1])
        else "Convergent validity is not fully supported."
    )
    return " ".join(out)


def discriminant_text(
    fornell_larcker: pd.DataFrame | None = None,
    htmt: pd.DataFrame | None = None,
    *,
    labels: Labels = None,
    lang: str = "zh",
    style: str = "thesis",
) -> str:
    """Discriminant validity by the Fornell–Larcker criterion and/or HTMT.

    ``fornell_larcker``: square, √AVE on the diagonal; ``htmt``: square HTMT matrix.
    """
    check_lang(lang)
    out = []
    if fornell_larcker is not None:
        m = fornell_larcker.to_numpy(float)
        codes = list(fornell_larcker.columns)
        failing = []
        for i, c in enumerate(codes):
            others = np.delete(np.abs(m[i]), i)
            if others.size and m[i, i] <= others.max():
                failing.append(_name(c, lang, labels))
        if lang == "zh":
            out.append(
                "各变量AVE的平方根均大于其与其他变量的相关系数，满足Fornell-Larcker准则"
                f"（{_src('ave')}）。"
                if not failing
                else f"{_join(failing, lang)}的AVE平方根不大于其与其他变量的相关系数，"
                f"不满足Fornell-Larcker准则（{_src('ave')}）。"
            )
        else:
            out.append(
                "Each construct's √AVE exceeds its correlations with the others, meeting the "
                f"Fornell–Larcker criterion ({_src('ave')})."
                if not failing
                else f"The √AVE of {_join(failing, lang)} does not exceed its correlations with "
                f"other constructs, failing the Fornell–Larcker criterion ({_src('ave')})."
            )
    if htmt is not None:
        codes = list(htmt.columns)
        pairs = [
            (codes[i], codes[j], float(htmt.iloc[i, j]))
            for i in range(len(codes))
            for j in range(i)
        ]
        top = max(v for *_, v in pairs)
        high = [
            f"{_name(a, lang, labels)}–{_name(b, lang, labels)} ({fmt_number(v, 'htmt', style=style)})"
            for a, b, v in pairs
            if not passes("htmt", v)
        ]
        cut, lib = _val("htmt"), _val("htmt_liberal")
        very_high = any(not passes("htmt_liberal", v) for *_, v in pairs)
        if lang == "zh":
            out.append(
                f"HTMT最大值为{fmt_number(top, 'htmt', style=style)}，"
                + (
                    f"均低于{cut}（{_src('htmt')}），区分效度良好。"
                    if not high
                    else f"{_join(high, lang)}的HTMT不低于{cut}"
                    + (
                        f"，且超过宽松标准{lib}，区分效度不足。"
                        if very_high
                        else f"，但低于宽松标准{lib}。"
                    )
                    + f"（{_src('htmt')}）"
                )
            )
        else:
            out.append(
                f"The largest HTMT is {fmt_number(top, 'htmt', style=style)}; "
                + (
                    f"all ratios are below {cut} ({_src('htmt')}), supporting discriminant validity."
                    if not high
                    else f"{_join(high, lang)} reach {cut}"
                    + (
                        f" and exceed even the liberal {lib}, so "
                        "discriminant validity is not supported"
                        if very_high
                        else f" but stay below the liberal {lib}"
                    )
                    + f" ({_src('htmt')})."
                )
            )
    return ("" if lang == "zh" else " ").join(out)


def cmb_text(
    harman, single_factor_test: pd.Series | None = None, *, lang: str = "zh", style: str = "thesis"
) -> str:
    """Harman's single-factor test against 40% and 50%, and the single-factor CFA comparison."""
    check_lang(lang)
    share = fmt_number(100 * harman.first_share, "percent")
    ok40, ok50 = passes("harman_40", harman.first_share), passes("harman_50", harman.first_share)
    if lang == "zh":
        verdict = (
            "低于40%（{a}）和50%（{b}）的标准，不存在严重的共同方法偏差。"
            if ok40
            else "超过40%（{a}）但低于50%（{b}），存在一定的共同方法偏差风险。"
            if ok50
            else "超过50%（{b}），存在严重的共同方法偏差。"
        )
        out = (
            f"Harman单因子检验中，特征根大于1的成分共{harman.n_components}个，第一个成分解释了"
            f"{share}%的方差，" + verdict.format(a=_src("harman_40"), b=_src("harman_50"))
        )
    else:
        verdict = (
            "below both the 40% ({a}) and 50% ({b}) thresholds, so common method bias is "
            "not a serious concern."
            if ok40
            else "above 40% ({a}) but below 50% ({b}), a moderate risk of common method bias."
            if ok50
            else "above 50% ({b}), indicating serious common method bias."
        )
        out = (
            f"In Harman's single-factor test {harman.n_components} components have eigenvalues "
            f"above 1 and the first explains {share}% of the variance, "
            + verdict.format(a=_src("harman_40"), b=_src("harman_50"))
        )
    if single_factor_test is not None:
        t = single_factor_test
        stat = f"Δχ²({t['delta_df']:.0f}) = {fmt_number(t['delta_chisq'], 'chisq')}, {_p(t['pvalue'], style)}"
        if lang == "zh":
            out += (
                f"单因子模型的拟合显著差于测量模型（{stat}），进一步说明共同方法偏差不严重。"
                if _sig(t["pvalue"])
                else f"单因子模型与测量模型的拟合差异不显著（{stat}），提示可能存在共同方法偏差。"
            )
        else:
            out += (
                f" The single-factor model fits significantly worse than the measurement model "
                f"({stat}), further evidence against a dominant method factor."
                if _sig(t["pvalue"])
                else f" The single-factor model does not fit significantly "
                f"worse than the measurement model ({stat}), suggesting common method bias."
            )
    return out


def fit_text(fit: Mapping, *, lang: str = "zh", style: str = "thesis") -> str:
    """Which fit indices meet their cut-offs; the cut-offs' sources are cited once each."""
    check_lang(lang)
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
            out += f"{_join([names[k] for k in good], lang)}达到参考标准，"
        if bad:
            out += "而" if good else ""
            out += (
                _join([f"{names[k]}（{_cut(k)}）" for k in bad], lang)
                + f"未达到参考标准（{_sources(bad, lang)}）。"
            )
        else:
            out += f"各项指标均达到参考标准（{_sources(keys, lang)}）。"
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
        listed = _join([f"{names[k]} ({_cut(k)})" for k in bad], lang)
        out += (
            f" {_join([names[k] for k in good], lang)} meet their cut-offs, while {listed} do not"
            if good
            else f" {listed} miss their cut-offs"
        ) + f" ({_sources(bad, lang)})."
    else:
        out += f" Every index meets its cut-off ({_sources(keys, lang)})."
    return out


# --- correlation, regression, mediation, moderation, SEM ---------------------------


def correlation_text(
    corr, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> str:
    """How many correlations are significant, their range, and the non-significant pairs.

    ``corr`` is a :class:`~sqresearch.model.correlation.CorrelationTable`.
    """
    check_lang(lang)
    pairs = corr.pairs
    sig = pairs[pairs["pvalue"] < threshold("alpha_level")]
    ns = [
        f"{_name(a, lang, labels)}–{_name(b, lang, labels)}"
        for a, b, p in zip(pairs["var1"], pairs["var2"], pairs["pvalue"], strict=True)
        if not _sig(p)
    ]
    rng = (
        f"{fmt_number(sig['r'].min(), 'r', style=style)}–{fmt_number(sig['r'].max(), 'r', style=style)}"
        if len(sig)
        else ""
    )
    if lang == "zh":
        out = (
            f"{len(pairs)}对变量中有{len(sig)}对显著相关"
            + (f"（r = {rng}）" if len(sig) else "")
            + "。"
        )
        if ns:
            out += f"{_join(ns, lang)}之间的相关不显著。"
        else:
            out += "所有变量两两之间均显著相关，为后续回归分析提供了初步支持。"
        return out
    out = (
        f"{len(sig)} of {len(pairs)} correlations are significant"
        + (f" (r = {rng})" if len(sig) else "")
        + "."
    )
    out += (
        f" The correlations {_join(ns, lang)} are not significant."
        if ns
        else " Every pair is significantly correlated, preliminary support for the regressions."
    )
    return out


def _effect(term: str, beta: float, p: float, lang: str, labels: Labels, style: str) -> str:
    return (
        f"{_name(term, lang, labels)} (β = {fmt_number(beta, 'beta', style=style)}, {_p(p, style)})"
    )


def regression_text(
    result, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> str:
    """Significant and non-significant predictors of the last step, and its ΔR² test.

    ``result`` is a :class:`~sqresearch.model.regression.HierarchicalResult`.
    """
    check_lang(lang)
    last = result.steps.iloc[-1]
    coefs = result.coefficients[
        (result.coefficients["step"] == last["step"]) & (result.coefficients["term"] != "const")
    ]
    added = coefs[coefs["block"] == last["block"]] if "block" in coefs else coefs
    pos = [
        _effect(t, b, p, lang, labels, style)
        for t, b, p in zip(added["term"], added["beta"], added["pvalue"], strict=True)
        if _sig(p) and b > 0
    ]
    neg = [
        _effect(t, b, p, lang, labels, style)
        for t, b, p in zip(added["term"], added["beta"], added["pvalue"], strict=True)
        if _sig(p) and b < 0
    ]
    ns = [
        _effect(t, b, p, lang, labels, style)
        for t, b, p in zip(added["term"], added["beta"], added["pvalue"], strict=True)
        if not _sig(p)
    ]
    dr2 = fmt_number(last["delta_r2"], "r2", style=style)
    fch = f"ΔF = {fmt_number(last['f_change'], 'f')}, {_p(last['p_change'], style)}"
    y = _name(result.y, lang, labels)
    maxvif = coefs["vif"].max()
    vif_ok = bool(np.isnan(maxvif) or passes("vif", maxvif))
    if lang == "zh":
        out = f"在模型{int(last['step'])}中，"
        if pos:
            out += f"{_join(pos, lang)}对{y}有显著正向影响；"
        if neg:
            out += f"{_join(neg, lang)}对{y}有显著负向影响；"
        if ns:
            out += f"{_join(ns, lang)}对{y}的影响不显著；"
        out += f"新增变量使R²增加{dr2}（{fch}），" + (
            "增量显著。" if _sig(last["p_change"]) else "增量不显著。"
        )
        out += (
            f"最大VIF为{fmt_number(maxvif, 'vif')}，"
            + (
                f"低于{_val('vif')}，不存在严重多重共线性（{_src('vif')}）。"
                if vif_ok
                else f"达到或超过{_val('vif')}，存在多重共线性（{_src('vif')}）。"
            )
            if not np.isnan(maxvif)
            else ""
        )
        return out
    out = f"In model {int(last['step'])}, "
    parts = []
    if pos:
        parts.append(f"{_join(pos, lang)} significantly and positively predict {y}")
    if neg:
        parts.append(f"{_join(neg, lang)} significantly and negatively predict {y}")
    if ns:
        parts.append(f"{_join(ns, lang)} have no significant effect on {y}")
    out += (
        "; ".join(parts)
        + f". The added block raises R² by {dr2} ({fch}), a "
        + ("significant" if _sig(last["p_change"]) else "non-significant")
        + " increase."
    )
    if not np.isnan(maxvif):
        out += f" The largest VIF is {fmt_number(maxvif, 'vif')}, " + (
            f"below {_val('vif')}, so multicollinearity is not a concern ({_src('vif')})."
            if vif_ok
            else f"at or above {_val('vif')}, indicating multicollinearity ({_src('vif')})."
        )
    return out


def mediation_text(
    result, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> str:
    """Each indirect effect with its bootstrap CI and the 温忠麟 & 叶宝娟 (2014) verdict.

    ``result`` is a PROCESS model 4 or 6 :class:`~sqresearch.model.process.ProcessResult`.
    """
    check_lang(lang)
    if result.total.empty:
        raise InputError("mediation text needs PROCESS model 4 or 6", value=result.model)
    interval = interval_name(result.level, result.ci_method, lang)
    x, y = result.variables["x"], result.variables["y"]
    out = []
    for r in result.mediation_decisions().to_dict("records"):
        path = indirect_path(x, r["mediators"], y, lang=lang, labels=labels)
        decision = label(MEDIATION_TYPE_LABELS[r["type"]], lang)
        lo, hi = r["ci_lower"], r["ci_upper"]
        ci = f"[{fmt_number(lo, 'ci', style=style)}, {fmt_number(hi, 'ci', style=style)}]"
        eff = fmt_number(r["effect"], "effect", style=style)
        excludes = not (lo <= 0 <= hi)
        share = "" if np.isnan(r["ratio"]) else fmt_number(100 * r["ratio"], "percent")
        if lang == "zh":
            s = f"{path}的间接效应为{eff}，{interval}{ci}"
            s += "不包含0，间接效应显著" if excludes else "包含0，间接效应不显著"
            s += f"，结论为{decision}" + (f"（效应占比{share}%）" if share else "") + "。"
        else:
            s = (
                f"The indirect effect {path} is {eff}, {interval} {ci}, which "
                + (
                    "excludes 0: the indirect effect is significant"
                    if excludes
                    else "includes 0: the indirect effect is not significant"
                )
                + f"; by Wen & Ye (2014) this is {decision.lower()}"
                + (f" (proportion {share}%)" if share else "")
                + "."
            )
        out.append(s)
    return ("" if lang == "zh" else " ").join(out)


def moderation_text(
    result, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> str:
    """The interaction term's test and the simple slopes (PROCESS model 1).

    ``result`` is a model-1 :class:`~sqresearch.model.process.ProcessResult`
    (``paths``, ``interaction``, ``conditional``, ``jn``).
    """
    check_lang(lang)
    v = result.variables
    x, w, y = (_name(v[k], lang, labels) for k in ("x", "w", "y"))
    term = result.interaction["term"].iloc[0]
    b = result.coef(v["y"], term)
    p = result.coef(v["y"], term, "pvalue")
    dr2 = fmt_number(result.interaction["delta_r2"].iloc[0], "r2", style=style)
    stat = f"b = {fmt_number(b, 'b', style=style)}, {_p(p, style)}, ΔR² = {dr2}"
    slopes = []
    for r in result.conditional.to_dict("records"):
        lvl = {
            "-1SD": label("low", lang),
            "mean": label("mid", lang),
            "+1SD": label("high", lang),
        }.get(r["label"], r["label"])
        sig = not (r["ci_lower"] <= 0 <= r["ci_upper"])
        eff = fmt_number(r["effect"], "effect", style=style)
        if lang == "zh":
            slopes.append(f"{lvl}时效应为{eff}（" + ("显著" if sig else "不显著") + "）")
        else:
            slopes.append(f"{lvl}: {eff} (" + ("significant" if sig else "not significant") + ")")
    if lang == "zh":
        out = (
            f"交互项{x}×{w}对{y}的影响"
            + ("显著" if _sig(p) else "不显著")
            + f"（{stat}），"
            + (f"{w}调节了{x}对{y}的影响。" if _sig(p) else f"{w}的调节作用不成立。")
        )
        out += (
            f"简单斜率分析（以{interval_name(result.level, 't', 'zh')}是否包含0判断）："
            + "；".join(slopes)
            + "。"
        )
        return out
    out = (
        f"The interaction {x} × {w} on {y} is "
        + ("significant" if _sig(p) else "not significant")
        + f" ({stat}); "
        + (
            f"{w} moderates the effect of {x} on {y}."
            if _sig(p)
            else f"there is no evidence that {w} moderates the effect of {x}."
        )
    )
    out += (
        f" Simple slopes (judged by whether the {interval_name(result.level, 't', 'en')} "
        "excludes 0): " + "; ".join(slopes) + "."
    )
    return out


def sem_paths_text(
    estimates: pd.DataFrame, *, labels: Labels = None, lang: str = "zh", style: str = "thesis"
) -> str:
    """Which structural paths are significant (with β and p) and which are not."""
    check_lang(lang)
    paths = estimates[estimates["op"] == "~"]
    sig, ns = [], []
    for r in paths.to_dict("records"):
        text = (
            f"{_arrow(r['rhs'], r['lhs'], lang=lang, labels=labels)} "
            f"(β = {fmt_number(r['std_all'], 'beta', style=style)}, {_p(r['pvalue'], style)})"
        )
        (sig if _sig(r["pvalue"]) else ns).append(text)
    if lang == "zh":
        out = f"路径{_join(sig, lang)}显著。" if sig else "没有显著的结构路径。"
        out += f"路径{_join(ns, lang)}不显著。" if ns else "所有结构路径均显著。"
        return out
    out = (
        f"The paths {_join(sig, lang)} are significant."
        if sig
        else "No structural path is significant."
    )
    out += (
        f" The paths {_join(ns, lang)} are not significant."
        if ns
        else " Every structural path is significant."
    )
    return out


def hypotheses_text(summary: pd.DataFrame, *, lang: str = "zh") -> str:
    """Which hypotheses are supported and which are not.

    ``summary`` is :func:`sqresearch.model.hypotheses.hypothesis_summary`'s output.
    """
    check_lang(lang)
    yes = list(summary.loc[summary["supported"].astype(bool), "id"])
    no = list(summary.loc[~summary["supported"].astype(bool), "id"])
    if lang == "zh":
        out = f"共检验{len(summary)}个假设，"
        out += f"{_join(yes, lang)}得到支持" if yes else "没有假设得到支持"
        out += f"，{_join(no, lang)}未得到支持。" if no else "，全部假设均得到支持。"
        return out
    out = f"Of {len(summary)} hypotheses, "
    out += (
        f"{_join(yes, lang)} {'is' if len(yes) == 1 else 'are'} supported"
        if yes
        else "none is supported"
    )
    out += (
        f" and {_join(no, lang)} {'is' if len(no) == 1 else 'are'} not."
        if no
        else "; all hypotheses hold."
    )
    return out


def sem_indirect_text(
    boot_table,
    *,
    n_boot: int | None = None,
    level: float = 0.95,
    ci_method: str = "percentile",
    labels: Labels = None,
    lang: str = "zh",
    style: str = "thesis",
) -> str:
    """Which SEM indirect (and total) effects have bootstrap CIs that exclude 0.

    ``boot_table`` is ``bootstrap_sem(...)`` (or its ``table`` with ``n_boot``
    and ``level`` given); the other arguments as in
    :func:`sqresearch.report.thesis_tables.sem_indirect_table`.
    """
    check_lang(lang)
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
    main: pd.DataFrame, robust: pd.DataFrame, *, labels: Labels = None, lang: str = "zh"
) -> list[str]:
    """Structural paths (printed names) whose significance differs between two estimations."""
    cols = ["lhs", "rhs", "pvalue"]
    both = main.loc[main["op"] == "~", cols].merge(
        robust.loc[robust["op"] == "~", cols], on=["lhs", "rhs"], suffixes=("_main", "_robust")
    )
    return [
        _arrow(r["rhs"], r["lhs"], lang=lang, labels=labels)
        for r in both.to_dict("records")
        if _sig(r["pvalue_main"]) != _sig(r["pvalue_robust"])
    ]


def discussion_text(
    summary: pd.DataFrame,
    main: pd.DataFrame | None = None,
    robust: pd.DataFrame | None = None,
    *,
    n_robust: int | None = None,
    labels: Labels = None,
    lang: str = "zh",
) -> str:
    """Discussion: which hypotheses hold and whether the robustness check agrees.

    Parameters
    ----------
    summary : DataFrame
        :func:`sqresearch.model.hypotheses.hypothesis_summary`'s output.
    main, robust : DataFrame, optional
        Parameter tables (lavaan layout) of the main SEM and of the
        re-estimation with careless respondents kept; a path whose
        significance (p < .05) differs is named.
    n_robust : int, optional
        Sample size of the re-estimation.
    """
    check_lang(lang)
    out = hypotheses_text(summary, lang=lang)
    if main is None or robust is None:
        return out
    changed = robustness_changes(main, robust, labels=labels, lang=lang)
    n = (
        f"（n = {n_robust}）"
        if lang == "zh" and n_robust
        else f" (n = {n_robust})"
        if n_robust
        else ""
    )
    alpha = _val("alpha_level")
    if lang == "zh":
        out += f"不剔除粗心作答者{n}重新估计后，" + (
            f"所有结构路径的显著性结论（以p < {alpha}判断）均未改变，结果稳健。"
            if not changed
            else f"{_join(changed, lang)}的显著性结论（以p < {alpha}判断）发生改变，"
            "对这些路径的解释需要谨慎。"
        )
        return out
    out += f" Re-estimated with the careless respondents kept{n}, " + (
        f"no structural path changes its significance (p < {alpha}): the results are robust."
        if not changed
        else f"{_join(changed, lang)} change{'s its' if len(changed) == 1 else ' their'} significance "
        f"(p < {alpha}); {'this path' if len(changed) == 1 else 'these paths'} should be read "
        "with care."
    )
    return out
