"""PLS-SEM results as thesis tables, a paragraph and a path diagram.

Reads :class:`~sqresearch.model.pls.PLSResult` (and, when given, its
:class:`~sqresearch.model.pls.PLSBootstrap` and
:class:`~sqresearch.model.pls.PLSPredict`). The tables are the ones PLS
reviewers ask for (Hair et al., 2022): indicator loadings, weights and VIF
with α, ρ_A, ρ_C and AVE; HTMT and Fornell–Larcker; structural paths with
bootstrap t, p, CI, f² and inner VIF; specific indirect effects; R² and
PLSpredict. Cut-offs and their sources come from :mod:`sqresearch.thresholds`;
the verdicts are the analysis's.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from sqresearch.model.pls import fit_pls
>>> rng = np.random.default_rng(3)
>>> f = rng.normal(size=200); g = 0.5 * f + rng.normal(size=200) * 0.87
>>> df = pd.DataFrame({f"x{i}": f + rng.normal(size=200) for i in range(3)}
...                   | {f"y{i}": g + rng.normal(size=200) for i in range(3)})
>>> res = fit_pls("F =~ x0 + x1 + x2; G =~ y0 + y1 + y2; G ~ F", df)
>>> pls_measurement_table(res, lang="en").data[["construct", "item"]].iloc[0].tolist()
['F', 'x0']
>>> pls_text(res, lang="en").startswith("The measurement model")
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sqresearch.report.common import Labels, arrow_path, cutoff_source, display_name, table_note
from sqresearch.report.diagrams import sem_path_diagram
from sqresearch.report.format import fmt_number, fmt_threshold
from sqresearch.report.labels import check_lang
from sqresearch.report.tables import ThesisTable


def _boot_rows(boot, kind: str) -> pd.DataFrame | None:
    return None if boot is None else boot.of(kind)


def pls_measurement_table(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Outer loadings, weights and VIF per indicator, with α, ρ_A, ρ_C and AVE per construct."""
    lang = check_lang(lang)
    rel = result.reliability
    rows, seen = [], set()
    for load, weight in zip(
        result.loadings.to_dict("records"), result.weights.to_dict("records"), strict=True
    ):
        c = load["construct"]
        first = c not in seen
        seen.add(c)
        rows.append(
            {
                "construct": display_name(c, lang, labels) + ("" if rel.loc[c, "mode"] == "A" else " (B)"),
                "item": load["indicator"],
                "loading": load["est"],
                "weight": weight["est"],
                "vif": load["vif"],
                **{
                    k: rel.loc[c, k] if first else np.nan
                    for k in ("alpha", "rho_a", "rho_c", "ave")
                },
            }
        )
    lo, cr, ave, vif = (
        fmt_threshold(k, "value", style=style) for k in ("pls_loading", "cr", "ave", "vif_pls")
    )
    return ThesisTable(
        pd.DataFrame(rows),
        kinds={
            "loading": "loading",
            "weight": "loading",
            "vif": "vif",
            "alpha": "alpha",
            "rho_a": "cr",
            "rho_c": "cr",
            "ave": "ave",
        },  # fmt: skip
        heads={
            "loading": {"zh": "外部载荷", "en": "Loading"},
            "weight": {"zh": "外部权重", "en": "Weight"},
            "rho_a": {"zh": "ρ_A", "en": "ρ_A"},
            "rho_c": {"zh": "ρ_C (CR)", "en": "ρ_C (CR)"},
        },
        title={
            "zh": "PLS测量模型：载荷、权重、信度与收敛效度",
            "en": "PLS measurement model: loadings, weights, reliability and convergent validity",
        },
        notes=[
            table_note(
                f"反映型指标载荷{lo}（{cutoff_source('pls_loading')}），α、ρ_A与ρ_C{cr}，AVE{ave}"
                f"（{cutoff_source('ave')}）；外部VIF{vif}（{cutoff_source('vif_pls')}）；(B)为形成型构念，以权重与VIF评价。",
                f"Reflective loadings {lo} ({cutoff_source('pls_loading')}); α, ρ_A and ρ_C {cr}; AVE {ave} "
                f"({cutoff_source('ave')}); outer VIF {vif} ({cutoff_source('vif_pls')}); (B) marks formative constructs, "
                "assessed by their weights and VIF.",
            )
        ],
        label="tab:pls_measurement",
        collapse=["construct"],
        lang=lang,
        style=style,
    )


def pls_htmt_table(
    result, boot=None, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """HTMT matrix (lower triangle); with a bootstrap, the upper bounds of the intervals in a note."""
    lang = check_lang(lang)
    names = result.model.constructs
    h = result.htmt.to_numpy()
    data = pd.DataFrame(
        {"construct": [display_name(c, lang, labels) for c in names]}
        | {
            c: [h[i, j] if j < i else np.nan for i in range(len(names))]
            for j, c in enumerate(names[:-1])
        }
    )
    cut = fmt_threshold("htmt", "value", style=style)
    notes = [table_note(f"HTMT{cut}（{cutoff_source('htmt')}）。", f"HTMT {cut} ({cutoff_source('htmt')}).")]
    rows = _boot_rows(boot, "htmt")
    if rows is not None:
        worst = rows.loc[rows["ci_upper"].idxmax()]
        notes.append(
            {
                "zh": f"Bootstrap（{boot.n_boot}次）{boot.level:.0%}置信区间上限最大为"
                f"{fmt_number(worst['ci_upper'], 'htmt')}（{display_name(worst['from'], lang, labels)}—"
                f"{display_name(worst['to'], lang, labels)}），{'均小于1' if rows['ci_upper'].max() < 1 else '存在不小于1的上限'}。",
                "en": f"The largest upper bound of the {boot.level:.0%} bootstrap intervals ({boot.n_boot} "
                f"resamples) is {fmt_number(worst['ci_upper'], 'htmt')} ({display_name(worst['from'], lang, labels)}–"
                f"{display_name(worst['to'], lang, labels)}); {'all are below 1' if rows['ci_upper'].max() < 1 else 'some reach 1'}.",
            }
        )
    return ThesisTable(
        data,
        kinds=dict.fromkeys(names[:-1], "htmt"),
        heads={c: display_name(c, lang, labels) for c in names[:-1]},
        title={"zh": "区分效度检验(HTMT)", "en": "Discriminant validity: HTMT"},
        notes=notes,
        label="tab:pls_htmt",
        lang=lang,
        style=style,
    )


def pls_fornell_larcker_table(
    result, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Construct correlations with √AVE on the diagonal (Fornell & Larcker, 1981)."""
    lang = check_lang(lang)
    names = result.model.constructs
    fl = result.fornell_larcker.to_numpy()
    data = pd.DataFrame(
        {"construct": [display_name(c, lang, labels) for c in names]}
        | {c: fl[:, j] for j, c in enumerate(names)}
    )
    return ThesisTable(
        data,
        kinds=dict.fromkeys(names, "r"),
        heads={c: display_name(c, lang, labels) for c in names},
        title={
            "zh": "区分效度检验(Fornell-Larcker准则)",
            "en": "Discriminant validity: Fornell–Larcker criterion",
        },
        notes=[
            table_note(
                "对角线为AVE的平方根，其下为构念间相关系数。",
                "The diagonal holds √AVE; below it, the construct correlations.",
            )
        ],  # fmt: skip
        label="tab:pls_fornell_larcker",
        lang=lang,
        style=style,
    )


def _effect_rows(table: pd.DataFrame, boot_rows: pd.DataFrame | None) -> pd.DataFrame:
    if boot_rows is None:
        return table
    cols = ["t", "pvalue", "ci_lower", "ci_upper", "significant"]
    return table.reset_index(drop=True).join(boot_rows[cols])


def pls_paths_table(
    result, boot=None, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Structural paths: β, bootstrap t, p and percentile CI, f², inner VIF, decision."""
    lang = check_lang(lang)
    data = _effect_rows(result.paths, _boot_rows(boot, "path"))
    data = data.rename(columns={"from": "source"})
    data["path"] = [
        arrow_path(s, t, lang=lang, labels=labels)
        for s, t in zip(data["source"], data["to"], strict=True)
    ]
    columns = ["path", "est"]
    if boot is not None:
        data["decision"] = [{"zh": "显著", "en": "Significant"}[lang] if s else {"zh": "不显著", "en": "Not significant"}[lang]
                            for s in data["significant"]]  # fmt: skip
        columns += ["t", "pvalue", "ci"]
    columns += ["f2", "vif"] + (["decision"] if boot is not None else [])
    small, medium, large = (
        fmt_threshold(f"f2_{s}", "value", style=style, symbol=False)
        for s in ("small", "medium", "large")
    )
    notes = [
        table_note(
            f"f²为{small}、{medium}、{large}分别表示小、中、大效应（{cutoff_source('f2_small')}）；"
            f"内部VIF{fmt_threshold('vif_pls', 'value', style=style)}（{cutoff_source('vif_pls')}）。",
            f"f² of {small}, {medium} and {large}: small, medium and large effects ({cutoff_source('f2_small')}); "
            f"inner VIF {fmt_threshold('vif_pls', 'value', style=style)} ({cutoff_source('vif_pls')}).",
        )
    ]
    if boot is not None:
        notes.append({"zh": f"t、p与{boot.level:.0%}百分位置信区间来自{boot.n_boot}次Bootstrap抽样。",
                      "en": f"t, p and {boot.level:.0%} percentile intervals from {boot.n_boot} bootstrap resamples."})  # fmt: skip
    return ThesisTable(
        data,
        kinds={"est": "beta", "t": "t", "pvalue": "p", "f2": "effect", "vif": "vif"},
        heads={"est": "beta", "pvalue": "p", "f2": {"zh": "f²", "en": "f²"}},
        columns=columns,
        ci={"ci": ("ci_lower", "ci_upper")} if boot is not None else {},
        title={"zh": "PLS结构模型路径系数", "en": "PLS structural model: path coefficients"},
        notes=notes,
        label="tab:pls_paths",
        lang=lang,
        style=style,
    )


def pls_indirect_table(
    result, boot=None, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> ThesisTable:
    """Specific indirect effects (products of paths), with bootstrap t, p and CI."""
    lang = check_lang(lang)
    data = _effect_rows(result.indirect, _boot_rows(boot, "indirect"))
    data["path"] = [
        arrow_path(a, *(m.split(">") if m else []), b, lang=lang, labels=labels)
        for a, m, b in zip(data["from"], data["through"], data["to"], strict=True)
    ]
    columns = ["path", "est"] + (["t", "pvalue", "ci"] if boot is not None else [])
    return ThesisTable(
        data,
        kinds={"est": "effect", "t": "t", "pvalue": "p"},
        heads={"est": "indirect_effect", "pvalue": "p"},
        columns=columns,
        ci={"ci": ("ci_lower", "ci_upper")} if boot is not None else {},
        title={"zh": "特定间接效应", "en": "Specific indirect effects"},
        notes=[
            table_note(
                "间接效应为路径系数之积；置信区间不含0即显著。",
                "An indirect effect is the product of its paths; it is significant when its interval excludes 0.",
            )
        ],  # fmt: skip
        label="tab:pls_indirect",
        lang=lang,
        style=style,
    )


def pls_predict_table(
    result,
    predict=None,
    blindfold: pd.DataFrame | None = None,
    *,
    labels: Labels = None,
    lang: str | None = None,
    style: str = "thesis",
) -> ThesisTable:
    """R² and adjusted R² per endogenous construct; with :func:`~sqresearch.model.pls.blindfolding`
    its Q², with PLSpredict Q²_predict and RMSE against the linear-model benchmark."""
    lang = check_lang(lang)
    data = result.r2.rename(columns={"r2_adj": "adj_r2"})
    data["construct"] = [display_name(c, lang, labels) for c in result.r2["construct"]]
    columns = ["construct", "r2", "adj_r2"]
    notes = []
    if blindfold is not None:
        data["q2"] = (
            blindfold.set_index("construct").loc[list(result.r2["construct"]), "q2"].to_numpy()
        )
        columns.append("q2")
        notes.append(
            table_note(
                f"Q²为遗漏距离{blindfold['omission_distance'].iloc[0]}的Blindfolding交叉验证冗余度，"
                "Q²>0表示模型具有预测相关性。",
                "Q² from blindfolding (cross-validated redundancy, omission distance "
                f"{blindfold['omission_distance'].iloc[0]}); Q² > 0 indicates predictive relevance.",
            )
        )
    if predict is not None:
        per = predict.table.groupby("construct", sort=False).agg(
            q2_predict=("q2_predict", "mean"), pls_rmse=("pls_rmse", "mean"), lm_rmse=("lm_rmse", "mean"),
            better=("pls_better", "sum"), items=("pls_better", "size"))  # fmt: skip
        data = data.join(per, on=result.r2["construct"]).reset_index(drop=True)
        data["pls_vs_lm"] = [
            f"{int(b)}/{int(k)}" for b, k in zip(data["better"], data["items"], strict=True)
        ]
        columns += ["q2_predict", "pls_rmse", "lm_rmse", "pls_vs_lm"]
        notes.append(table_note(
            f"PLSpredict：{predict.folds}折交叉验证重复{predict.repeats}次；Q²_predict、RMSE为各指标平均值，"
            f"Q²_predict{fmt_threshold('q2_predict', 'value', style=style)}表示预测优于训练样本均值（{cutoff_source('q2_predict')}）；"
            "最后一列为RMSE低于线性模型基准的指标数。",
            f"PLSpredict: {predict.folds}-fold cross-validation, {predict.repeats} repetitions; Q²_predict "
            f"and RMSE averaged over indicators; Q²_predict {fmt_threshold('q2_predict', 'value', style=style)} "
            f"means better than the training mean ({cutoff_source('q2_predict')}); the last column counts indicators "
            "whose RMSE is below the linear-model benchmark's.",
        ))  # fmt: skip
    return ThesisTable(
        data,
        kinds={
            "r2": "r2",
            "adj_r2": "r2",
            "q2": "r2",
            "q2_predict": "r2",
            "pls_rmse": "fit",
            "lm_rmse": "fit",
        },
        heads={
            "q2": {"zh": "Q²", "en": "Q²"},
            "q2_predict": {"zh": "Q²_predict", "en": "Q²_predict"},
            "pls_rmse": {"zh": "RMSE (PLS)", "en": "RMSE (PLS)"},
            "lm_rmse": {"zh": "RMSE (LM)", "en": "RMSE (LM)"},
            "pls_vs_lm": {"zh": "PLS优于LM", "en": "PLS < LM"},
        },  # fmt: skip
        columns=columns,
        title={"zh": "解释力与预测力", "en": "Explanatory and predictive power"},
        notes=notes,
        label="tab:pls_r2",
        lang=lang,
        style=style,
    )


def pls_text(
    result, boot=None, *, labels: Labels = None, lang: str | None = None, style: str = "thesis"
) -> str:
    """A paragraph on the measurement and structural model, from the analysis's verdicts."""
    lang = check_lang(lang)
    rel = result.reliability
    reflective = rel[rel["mode"] == "A"]
    weak = [display_name(c, lang, labels) for c, ok in reflective["convergent"].items() if not ok]
    pairs = result.htmt_pairs()
    high = pairs[~pairs["discriminant"]]
    cr, ave, htmt = (fmt_threshold(k, "value", style=style) for k in ("cr", "ave", "htmt"))
    rng = (fmt_number(reflective["rho_c"].min(), "cr"), fmt_number(reflective["rho_c"].max(), "cr"))
    if lang == "zh":
        out = (f"测量模型中，反映型构念的组合信度ρ_C介于{rng[0]}与{rng[1]}之间（标准{cr}），"
               + (f"{'、'.join(weak)}的ρ_C或AVE未达标准（AVE{ave}）；" if weak else f"AVE均{ave}，收敛效度良好；")
               + (f"{len(high)}对构念的HTMT未低于{htmt[1:]}。" if len(high) else f"HTMT均{htmt}，区分效度良好（{cutoff_source('htmt')}）。"))  # fmt: skip
    else:
        out = (f"The measurement model's reflective constructs have composite reliability ρ_C between {rng[0]} "
               f"and {rng[1]} (criterion {cr}); "
               + (f"{', '.join(weak)} miss the ρ_C or AVE criterion (AVE {ave}); " if weak else f"every AVE is {ave}, supporting convergent validity; ")
               + (f"{len(high)} pair(s) of constructs have HTMT of {htmt[1:]} or more." if len(high)
                  else f"every HTMT is {htmt}, supporting discriminant validity ({cutoff_source('htmt')})."))  # fmt: skip
    r2 = ("、" if lang == "zh" else ", ").join(
        f"{display_name(r.construct, lang, labels)} {fmt_number(r.r2, 'r2')}"
        for r in result.r2.itertuples()
    )
    if boot is None:
        return out + (f"结构模型的R²为：{r2}。" if lang == "zh" else f" R² values: {r2}.")
    paths = _effect_rows(result.paths, boot.of("path"))
    sig = [arrow_path(r["from"], r["to"], lang=lang, labels=labels) + f" (β = {fmt_number(r['est'], 'beta')})"
           for r in paths.to_dict("records") if r["significant"]]  # fmt: skip
    ns = [
        arrow_path(r["from"], r["to"], lang=lang, labels=labels)
        for r in paths.to_dict("records")
        if not r["significant"]
    ]
    if lang == "zh":
        out += f"结构模型的R²为：{r2}。基于{boot.n_boot}次Bootstrap抽样，"
        out += (f"路径{'、'.join(sig)}显著" if sig else "没有显著的路径") + (
            "；" + f"路径{'、'.join(ns)}不显著。" if ns else "。"
        )
    else:
        out += f" R² values: {r2}. With {boot.n_boot} bootstrap resamples, "
        out += (
            f"the paths {', '.join(sig)} are significant" if sig else "no path is significant"
        ) + (f"; {', '.join(ns)} {'is' if len(ns) == 1 else 'are'} not." if ns else ".")
    return out


def pls_path_diagram(
    result, boot=None, *, labels: Labels = None, engine: str = "auto", lang: str | None = None
) -> Figure:
    """The structural model with path coefficients (stars from the bootstrap p, when given) and R²."""
    lang = check_lang(lang)
    paths = result.paths
    pvalues = list(boot.of("path")["pvalue"]) if boot is not None else [None] * len(paths)
    multi = [
        c for c in result.model.constructs if len(result.model.blocks[c]) > 1
    ]  # drawn as ellipses
    table = pd.DataFrame(
        {
            "lhs": [*paths["to"], *multi],
            "op": ["~"] * len(paths) + ["=~"] * len(multi),
            "rhs": [*paths["from"], *[""] * len(multi)],
            "std_all": [*paths["est"], *[np.nan] * len(multi)],
            "pvalue": [*pvalues, *[None] * len(multi)],
        }
    )
    r2 = dict(zip(result.r2["construct"], result.r2["r2"], strict=True))
    return sem_path_diagram(table, r2, labels=labels, engine=engine, lang=lang)
