"""Measurement invariance across groups and between-group path comparisons.

The sequence configural → metric → scalar → strict is a series of joint
multi-group fits (:func:`sqresearch.sem.fit.fit_sem` with lavaan's
``group.equal``), compared step by step as ``semTools::measEq.syntax`` /
``lavTestLRT`` users report them: Δχ², Δdf and p, ΔCFI, ΔRMSEA, ΔSRMR, and a
verdict from Chen's (2007) cut-offs kept in :mod:`sqresearch.thresholds`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from sqresearch.errors import ModelError
from sqresearch.jsondoc import carries_warnings, warnings_html
from sqresearch.sem.fit import SEMResult, fit_sem
from sqresearch.sem.precheck import check_sem_data
from sqresearch.sem.syntax import _equal_type, _normalise_partial, parse_model, variable_roles
from sqresearch.thresholds import threshold

STEPS = {
    "configural": [],
    "metric": ["loadings"],
    "scalar": ["loadings", "intercepts"],
    "strict": ["loadings", "intercepts", "residuals"],
}

RULES = ("chen", "cheung_rensvold")

# the statistics of a step in the JSON document, in order
_STEP_KEYS = [
    "chisq",
    "df",
    "pvalue",
    "cfi",
    "tli",
    "rmsea",
    "srmr",
    "delta_chisq",
    "delta_df",
    "delta_pvalue",
    "delta_cfi",
    "delta_rmsea",
]


@dataclass
class InvarianceResult:
    """The invariance sequence.

    Attributes
    ----------
    steps : DataFrame
        One row per step (configural, metric, scalar, strict): chisq, df,
        pvalue, cfi, tli, rmsea, srmr, delta_chisq, delta_df, delta_pvalue,
        delta_cfi, delta_rmsea, delta_srmr, verdict ("holds" / "fails";
        None for configural), and ``flagged``: True when the verdict rests
        on a fit with warnings (this step's or the previous one's, e.g. a
        Heywood case), so it must be read with them.
    fits : dict of SEMResult
        The fitted model of each step.
    groups : list
        Levels in order of first appearance (the first is the reference).
    group_sizes : dict
    latent_means : DataFrame or None
        From the scalar model when scalar invariance holds: group, factor,
        est, se, pvalue (mean differences from the reference group).
    rule : str
    warnings : list of str
        Every warning raised while fitting the steps (near-constant
        variables, Heywood cases, ...), one line each.
    """

    steps: pd.DataFrame
    fits: dict[str, SEMResult]
    groups: list
    group_sizes: dict
    latent_means: pd.DataFrame | None
    rule: str
    warnings: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """The ``sqresearch invariance --json`` document (docs/reference/cli.md, "invariance").

        Each step carries its fit's ``warnings`` and ``flagged`` (its verdict
        rests on a fit with warnings); ``warnings`` holds those of every step.
        """
        from sqresearch.jsondoc import code

        steps = []
        for name, row in self.steps.iterrows():
            step = {
                "name": name,
                **{k: row[k] for k in _STEP_KEYS},
                "verdict": row["verdict"],
                "flagged": bool(row["flagged"]),
                "warnings": list(self.fits[name].warnings),
            }
            step["df"] = int(step["df"])
            if step["delta_df"] == step["delta_df"]:  # not NaN
                step["delta_df"] = int(step["delta_df"])
            steps.append(step)
        doc: dict = {
            "groups": [{"level": code(g), "n": n} for g, n in self.group_sizes.items()],
            "steps": steps,
            "warnings": list(self.warnings),
        }
        if self.latent_means is not None:
            means: dict[str, dict] = {}
            for row in self.latent_means.itertuples(index=False):
                means.setdefault(str(code(row.group)), {})[row.factor] = {
                    "est": row.est,
                    "se": row.se,
                    "pvalue": row.pvalue,
                }
            doc["latent_means"] = means
        return doc

    def _repr_html_(self) -> str:
        sizes = ", ".join(f"{html.escape(str(g))} (n = {n})" for g, n in self.group_sizes.items())
        table = self.steps.to_html(float_format=lambda x: f"{x:.3f}", na_rep="")
        means = ""
        if self.latent_means is not None:
            means = "<p>Latent means (reference: first group)</p>" + self.latent_means.to_html(
                index=False, float_format=lambda x: f"{x:.3f}"
            )
        notes = warnings_html(self.warnings)
        return f"<p><b>Measurement invariance</b> ({self.rule}); groups: {sizes}</p>{notes}{table}{means}"


def invariance_verdict(
    step: str, delta_cfi: float, delta_rmsea: float, delta_srmr: float, rule: str = "chen"
) -> str:
    """ "holds" or "fails" for one constrained step (Δ = constrained − previous).

    Chen (2007), n > 300: non-invariance when ΔCFI ≤ −.010 together with
    ΔRMSEA ≥ .015 or ΔSRMR ≥ .030 (metric) / ≥ .010 (scalar, strict).
    Cheung & Rensvold (2002): non-invariance when ΔCFI ≤ −.010.

    Examples
    --------
    >>> invariance_verdict("metric", -0.0025, -0.0041, 0.0038)
    'holds'
    >>> invariance_verdict("scalar", -0.0384, 0.0146, 0.0107)
    'fails'
    """
    if rule not in RULES:
        raise ModelError(f"unknown invariance rule {rule!r} (use one of {RULES})")
    cfi_drop = delta_cfi <= threshold("inv_delta_cfi")
    if rule == "cheung_rensvold":
        return "fails" if cfi_drop else "holds"
    srmr_key = "inv_delta_srmr_metric" if step == "metric" else "inv_delta_srmr_scalar"
    worse = delta_rmsea >= threshold("inv_delta_rmsea") or delta_srmr >= threshold(srmr_key)
    return "fails" if cfi_drop and worse else "holds"


@carries_warnings
def measurement_invariance(
    model: str,
    data: pd.DataFrame,
    group: str,
    *,
    steps: tuple[str, ...] = ("configural", "metric", "scalar", "strict"),
    group_partial: list[str] | None = None,
    missing: str = "listwise",
    rule: str = "chen",
) -> InvarianceResult:
    """Fit the invariance sequence and compare each step with the previous one.

    Parameters
    ----------
    model : str
        Measurement model in lavaan syntax.
    data : DataFrame
    group : str
        Grouping column; groups in order of first appearance, as lavaan.
    steps : tuple of str
        Any ordered subset of configural, metric, scalar, strict.
    group_partial : list of str, optional
        Parameters freed in every constrained step (partial invariance).
    missing : {"listwise", "fiml"}
    rule : {"chen", "cheung_rensvold"}

    Returns
    -------
    InvarianceResult

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> inv = measurement_invariance("visual =~ x1 + x2 + x3\\ntextual =~ x4 + x5 + x6\\n"
    ...                              "speed =~ x7 + x8 + x9", hs, "school")
    >>> # In R: semTools::measurementInvariance(model = HS.model, data = ..., group = "school")
    >>> inv.steps["chisq"].round(2).tolist(), inv.steps["verdict"].tolist()
    ([115.85, 124.04, 164.1, 181.51], [None, 'holds', 'fails', 'holds'])
    """
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        raise ModelError(f"unknown invariance step {unknown[0]!r} (use {', '.join(STEPS)})")
    check_sem_data(model, data, group=group, missing=missing, min_groups=2)
    fits: dict[str, SEMResult] = {}
    for name in steps:  # each step starts from the previous step's estimates
        fits[name] = fit_sem(
            model,
            data,
            group=group,
            group_equal=STEPS[name] or None,
            group_partial=group_partial if STEPS[name] else None,
            missing=missing,
            start=fits[list(fits)[-1]] if fits else None,
        )
    rows = []
    previous = None
    for name, res in fits.items():
        f = res.fit
        row = {k: f[k] for k in ("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr")}
        if previous is None:
            row |= dict.fromkeys(
                [
                    "delta_chisq",
                    "delta_df",
                    "delta_pvalue",
                    "delta_cfi",
                    "delta_rmsea",
                    "delta_srmr",
                ],
                np.nan,
            )
            row["verdict"] = None
        else:
            p = previous.fit
            d_chisq, d_df = f["chisq"] - p["chisq"], f["df"] - p["df"]
            row |= {
                "delta_chisq": d_chisq,
                "delta_df": d_df,
                "delta_pvalue": float(stats.chi2.sf(d_chisq, d_df)) if d_df > 0 else np.nan,
                "delta_cfi": f["cfi"] - p["cfi"],
                "delta_rmsea": f["rmsea"] - p["rmsea"],
                "delta_srmr": f["srmr"] - p["srmr"],
            }
            row["verdict"] = invariance_verdict(
                name, row["delta_cfi"], row["delta_rmsea"], row["delta_srmr"], rule
            )
        rows.append(row)
        previous = res
    verdicts = [row.pop("verdict") for row in rows]
    table = pd.DataFrame(rows, index=pd.Index(list(fits), name="step"))
    table["verdict"] = pd.Series(verdicts, index=table.index, dtype=object)
    names = list(fits)
    table["flagged"] = [
        bool(fits[name].warnings or (i > 0 and fits[names[i - 1]].warnings))
        for i, name in enumerate(names)
    ]
    first = next(iter(fits.values()))
    latent_means = None
    if (
        "scalar" in fits
        and table.loc["scalar", "verdict"] == "holds"
        and ("metric" not in fits or table.loc["metric", "verdict"] == "holds")
    ):
        latent_means = _latent_means(fits["scalar"])
    return InvarianceResult(
        steps=table,
        fits=fits,
        groups=first.groups,
        group_sizes=first.group_sizes,
        latent_means=latent_means,
        rule=rule,
    )


def _latent_means(res: SEMResult) -> pd.DataFrame:
    est = res.estimates
    rows = est[
        (est["op"] == "~1")
        & est["lhs"].isin(res.latent_variables)
        & (est["group"] != res.groups[0])
    ]
    out = rows[["group", "lhs", "est", "se", "pvalue"]].rename(columns={"lhs": "factor"})
    return out.reset_index(drop=True)


def compare_path(
    model: str,
    data: pd.DataFrame,
    group: str,
    path: str,
    *,
    group_equal: list[str] | None = None,
    group_partial: list[str] | None = None,
    missing: str = "listwise",
) -> pd.Series:
    """Does one parameter differ between two groups? AMOS's critical ratio and Δχ².

    Parameters
    ----------
    model, data, group : as :func:`measurement_invariance`.
    path : str
        The parameter, in lavaan syntax: ``"dem65 ~ dem60"``, ``"f =~ x2"``.
    group_equal, group_partial : list of str, optional
        Constraints of the baseline model (e.g. ``["loadings"]`` to compare
        structural paths under metric invariance).
    missing : {"listwise", "fiml"}

    Returns
    -------
    Series
        est_<group> for each group, diff (second − first), se_diff,
        critical_ratio (z = diff / se_diff, AMOS "critical ratios for
        differences between parameters"), pvalue, and the Δχ² test of
        constraining the parameter equal: delta_chisq, delta_df, delta_pvalue.

    Notes
    -----
    se_diff = √(se₁² + se₂² − 2·cov₁₂), with the covariance from the joint
    fit's information matrix (zero unless the groups share parameters).

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> out = compare_path("visual =~ x1 + x2 + x3\\ntextual =~ x4 + x5 + x6\\n"
    ...                    "speed =~ x7 + x8 + x9", hs, "school", "visual =~ x2")
    >>> round(float(out["critical_ratio"]), 3), round(float(out["delta_chisq"]), 3), int(out["delta_df"])
    (1.737, 2.401, 1)
    """
    base = fit_sem(
        model,
        data,
        group=group,
        group_equal=group_equal,
        group_partial=group_partial,
        missing=missing,
    )
    if len(base.groups) != 2:
        raise ModelError(f"compare_path compares two groups; {group!r} has {len(base.groups)}")
    parsed = parse_model(path)
    if len(parsed.statements) != 1:
        raise ModelError(f"{path!r} is not one parameter")
    target = parsed.statements[0]
    table = base._problem.table
    rows = np.flatnonzero(
        (table["lhs"] == target.lhs).to_numpy()
        & (table["op"] == target.op).to_numpy()
        & (table["rhs"] == target.rhs).to_numpy()
    )
    if len(rows) != 2 or (table["free"].to_numpy()[rows] == 0).any():
        raise ModelError(f"{path!r} is not a free parameter of the model in both groups")
    ids = table["free"].to_numpy()[rows] - 1
    est = base._problem.values(base._theta)[rows]
    acov = base.acov
    var_diff = acov[ids[0], ids[0]] + acov[ids[1], ids[1]] - 2 * acov[ids[0], ids[1]]
    diff = est[1] - est[0]
    se_diff = float(np.sqrt(var_diff)) if var_diff > 0 else np.nan
    ratio = diff / se_diff

    # the constrained model: the base model plus this one parameter equal across groups
    roles = variable_roles(base._parsed.statements)
    kind = _equal_type(target.lhs, target.op, target.rhs, roles)
    key = _normalise_partial(path)
    partial = [p for p in (group_partial or []) if _normalise_partial(p) != key]
    if kind not in (group_equal or []):
        others = table[(table["group"] == 0) & (table["free"] > 0)]
        partial += [
            f"{r.lhs} {r.op} {r.rhs}"
            for r in others.itertuples()
            if _equal_type(r.lhs, r.op, r.rhs, roles) == kind
            and _normalise_partial(f"{r.lhs} {r.op} {r.rhs}") != key
        ]
    constrained = fit_sem(
        model,
        data,
        group=group,
        group_equal=sorted(set(group_equal or []) | {kind}),
        group_partial=partial or None,
        missing=missing,
    )
    d_chisq = constrained.fit["chisq"] - base.fit["chisq"]
    d_df = constrained.fit["df"] - base.fit["df"]
    out = {f"est_{g}": e for g, e in zip(base.groups, est, strict=True)}
    out |= {
        "diff": diff,
        "se_diff": se_diff,
        "critical_ratio": ratio,
        "pvalue": float(2 * stats.norm.sf(abs(ratio))),
        "delta_chisq": d_chisq,
        "delta_df": d_df,
        "delta_pvalue": float(stats.chi2.sf(d_chisq, d_df)),
    }
    return pd.Series(out, name=path)
