"""Hypothesis summary: supported or not, decided from the estimates and the expected sign.

Every estimate is keyed by a path string, the same for every source:

=================== =================== ============================
hypothesis kind     key                 example
=================== =================== ============================
path/regression     ``Y~X``             ``LOY~CVA``
indirect            ``X>M>Y``           ``CVA>SOB>LOY`` (serial ``X>M1>M2>Y``)
parallel indirect   ``X>*>Y``           ``CVA>*>LOY`` (total indirect)
moderation          ``Y~X:W``           ``LOY~CVA:ENG``
moderated mediation ``X>M>Y|W``         ``CVA>SOB>LOY|NBL`` (index)
difference          ``C@BY``            ``SOB@GENDER``
=================== =================== ============================

:func:`estimates_from_sem`, :func:`estimates_from_process`,
:func:`estimates_from_regression` and :func:`estimates_from_comparisons` turn
results into such a table; :func:`hypothesis_summary` looks each hypothesis up
and decides.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from sqresearch.model.design import product_name
from sqresearch.thresholds import threshold

ESTIMATE_COLUMNS = ["path", "estimate", "ci_lower", "ci_upper", "pvalue"]
REASONS = ("supported", "not_significant", "wrong_sign", "missing")
"""Reason codes: significant with the expected sign; not significant (CI
includes 0 or p ≥ α); significant with the opposite sign; no estimate."""


def hypothesis_path(h) -> str:
    """The estimate key of a hypothesis (see the module docstring).

    Examples
    --------
    >>> from types import SimpleNamespace as H
    >>> hypothesis_path(H(kind="indirect", lhs="LOY", rhs="CVA", m="SOB", w=None))
    'CVA>SOB>LOY'
    >>> hypothesis_path(H(kind="difference", lhs="SOB", rhs="GENDER", m=None, w=None, by="GENDER"))
    'SOB@GENDER'
    """
    mediators = () if h.m is None else (h.m,) if isinstance(h.m, str) else tuple(h.m)
    if h.kind == "indirect":
        if len(mediators) > 1 and not getattr(h, "serial", False):
            return f"{h.rhs}>*>{h.lhs}"
        return ">".join((h.rhs, *mediators, h.lhs))
    if h.kind == "moderated_mediation":
        return f"{h.rhs}>{mediators[0]}>{h.lhs}|{h.w}"
    if h.kind == "moderation":
        return f"{h.lhs}~{product_name(h.rhs, h.w)}"
    if h.kind == "difference":
        return f"{h.lhs}@{h.by}"
    return f"{h.lhs}~{h.rhs}"


def decide(
    sign: int, estimate: float, ci_lower: float, ci_upper: float, pvalue: float, alpha: float
) -> tuple[bool, str, str]:
    """Supported?, reason code and basis ("ci" or "p") for one estimate.

    With an interval, the hypothesis is supported when the interval excludes
    0 on the expected side; otherwise when p < α and the estimate has the
    expected sign. ``sign`` 0 expects no direction (a group difference): p < α
    is enough.

    Examples
    --------
    >>> decide(+1, 0.3, 0.1, 0.5, np.nan, 0.05)
    (True, 'supported', 'ci')
    >>> decide(-1, 0.3, np.nan, np.nan, 0.001, 0.05)
    (False, 'wrong_sign', 'p')
    """
    if not np.isnan(ci_lower) and not np.isnan(ci_upper):
        if ci_lower <= 0 <= ci_upper:
            return False, "not_significant", "ci"
        side = 1 if ci_lower > 0 else -1
        return (side == sign), ("supported" if side == sign else "wrong_sign"), "ci"
    if np.isnan(pvalue) or np.isnan(estimate):
        return False, "missing", ""
    if pvalue >= alpha:
        return False, "not_significant", "p"
    ok = sign == 0 or np.sign(estimate) == sign
    return bool(ok), ("supported" if ok else "wrong_sign"), "p"


def hypothesis_summary(
    hypotheses: Iterable, estimates: pd.DataFrame, *, alpha: float | None = None
) -> pd.DataFrame:
    """One row per hypothesis: its path, estimate, CI or p, and whether it is supported.

    Parameters
    ----------
    hypotheses : iterable of Hypothesis
        E.g. ``get_framework(name).hypotheses`` (fields id, kind, lhs, rhs,
        m, w, sign).
    estimates : DataFrame
        Columns path, estimate and ci_lower/ci_upper and/or pvalue (missing
        columns count as NaN); the first row of a path is used.
    alpha : float, optional
        Default ``thresholds.threshold("alpha_level")``; intervals are taken
        as given (95% for α = .05).

    Returns
    -------
    DataFrame
        id, kind, path, expected_sign, estimate, ci_lower, ci_upper, pvalue,
        supported (bool), reason (:data:`REASONS`), basis ("ci", "p" or "").

    Examples
    --------
    >>> from types import SimpleNamespace as H
    >>> hs = [H(id="H1", kind="path", lhs="LOY", rhs="CVA", m=None, w=None, sign=1)]
    >>> est = pd.DataFrame({"path": ["LOY~CVA"], "estimate": [0.4], "pvalue": [0.001]})
    >>> hypothesis_summary(hs, est)[["id", "supported", "reason"]]
       id  supported     reason
    0  H1       True  supported
    """
    alpha = threshold("alpha_level") if alpha is None else alpha
    table = estimates.reindex(columns=ESTIMATE_COLUMNS).drop_duplicates("path").set_index("path")
    rows = []
    for h in hypotheses:
        path = hypothesis_path(h)
        if path in table.index:
            est, lo, hi, p = (float(table.loc[path, c]) for c in ESTIMATE_COLUMNS[1:])
        else:
            est = lo = hi = p = np.nan
        supported, reason, basis = decide(h.sign, est, lo, hi, p, alpha)
        rows.append(
            {
                "id": h.id,
                "kind": h.kind,
                "path": path,
                "expected_sign": int(h.sign),
                "estimate": est,
                "ci_lower": lo,
                "ci_upper": hi,
                "pvalue": p,
                "supported": supported,
                "reason": reason,
                "basis": basis,
            }
        )
    return pd.DataFrame(rows)


def estimates_from_sem(estimates: pd.DataFrame) -> pd.DataFrame:
    """Estimate table from ``SEMResult.estimates`` (lavaan layout).

    Regressions ``lhs ~ rhs`` become ``"lhs~rhs"``; defined parameters named
    ``ind_X_M_Y`` become ``"X>M>Y"``.  Interval columns ``ci_lower`` and
    ``ci_upper`` (e.g. from a bootstrap) are used when present.
    """
    est = estimates.reindex(columns=["lhs", "op", "rhs", "est", "pvalue", "ci_lower", "ci_upper"])
    rows = []
    for r in est.itertuples(index=False):
        if r.op == "~":
            path = f"{r.lhs}~{r.rhs}"
        elif r.op == ":=" and str(r.lhs).startswith("ind_"):
            path = ">".join(str(r.lhs)[4:].split("_"))
        elif r.op == ":=" and str(r.lhs).startswith("tind_"):
            x, y = str(r.lhs)[5:].split("_")
            path = f"{x}>*>{y}"
        else:
            continue
        rows.append(
            {
                "path": path,
                "estimate": r.est,
                "ci_lower": r.ci_lower,
                "ci_upper": r.ci_upper,
                "pvalue": r.pvalue,
            }
        )
    return pd.DataFrame(rows, columns=ESTIMATE_COLUMNS).astype(
        {c: float for c in ESTIMATE_COLUMNS[1:]}
    )


def estimates_from_process(result) -> pd.DataFrame:
    """Estimate table from a :class:`~sqresearch.model.process.ProcessResult`.

    Every coefficient gives ``"outcome~term"`` with its p and t-based CI
    (the total-effect equation is left out; its X coefficient is c);
    unconditional specific indirect effects give ``"X>M>Y"`` (serial:
    ``"X>M1>M2>Y"``) with the bootstrap CI and no p.
    """
    paths = result.paths[(result.paths["equation"] != "total") & (result.paths["term"] != "const")]
    table = pd.DataFrame(
        {
            "path": paths["outcome"] + "~" + paths["term"],
            "estimate": paths["coef"],
            "ci_lower": paths["ci_lower"],
            "ci_upper": paths["ci_upper"],
            "pvalue": paths["pvalue"],
        }
    )
    x, y = result.variables["x"], result.variables["y"]
    ind = result.indirect[(result.indirect["path"] != "total") & result.indirect["w"].isna()]
    indirect = pd.DataFrame(
        {
            "path": [f"{x}>{p}>{y}" for p in ind["path"]],
            "estimate": ind["effect"].to_numpy(),
            "ci_lower": ind["ci_lower"].to_numpy(),
            "ci_upper": ind["ci_upper"].to_numpy(),
            "pvalue": np.nan,
        }
    )
    w = result.variables.get("w")
    index = pd.DataFrame(
        {
            "path": [f"{x}>{m}>{y}|{w}" for m in result.index_mm.get("mediator", [])],
            "estimate": result.index_mm.get("index", pd.Series(dtype=float)).to_numpy(),
            "ci_lower": result.index_mm.get("ci_lower", pd.Series(dtype=float)).to_numpy(),
            "ci_upper": result.index_mm.get("ci_upper", pd.Series(dtype=float)).to_numpy(),
            "pvalue": np.nan,
        }
    )
    return pd.concat([t for t in (table, indirect, index) if not t.empty], ignore_index=True)


def estimates_from_comparisons(comparisons: dict) -> pd.DataFrame:
    """Estimate table from group comparisons (``compare_all``): ``"C@BY"`` with the main test's p.

    The estimate is the test statistic (t or F); a difference hypothesis
    expects no direction, so only p counts.
    """
    rows = [
        {"path": f"{r.var}@{by}", "estimate": r.statistic, "ci_lower": np.nan,
         "ci_upper": np.nan, "pvalue": r.pvalue}
        for by, results in comparisons.items()
        for r in results
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=ESTIMATE_COLUMNS).astype(
        {c: float for c in ESTIMATE_COLUMNS[1:]}
    )


def estimates_from_regression(result, step: int | None = None) -> pd.DataFrame:
    """Estimate table from a hierarchical regression: ``"y~term"`` at one step (default: last)."""
    step = int(result.steps["step"].max()) if step is None else step
    c = result.coefficients
    c = c[(c["step"] == step) & (c["term"] != "const")]
    return pd.DataFrame(
        {
            "path": result.y + "~" + c["term"],
            "estimate": c["b"],
            "ci_lower": c["ci_lower"],
            "ci_upper": c["ci_upper"],
            "pvalue": c["pvalue"],
        }
    ).reset_index(drop=True)


def estimates_from_pls(boot) -> pd.DataFrame:
    """Estimate table from a PLS bootstrap (:func:`~sqresearch.model.pls.bootstrap_pls`).

    Paths give ``"to~from"``, specific indirect effects ``"X>M>Y"`` (through
    several mediators ``"X>M1>M2>Y"``) and total indirect effects
    ``"X>*>Y"``, each with the bootstrap p and percentile interval, as
    SmartPLS reports them.
    """
    rows = []
    for r in boot.table.to_dict("records"):
        if r["kind"] == "path":
            path = f"{r['to']}~{r['from']}"
        elif r["kind"] == "indirect":
            path = ">".join([r["from"], *str(r["through"]).split(">"), r["to"]])
        elif r["kind"] == "total_indirect":
            path = f"{r['from']}>*>{r['to']}"
        else:
            continue
        rows.append({"path": path, "estimate": r["est"], "ci_lower": r["ci_lower"],
                     "ci_upper": r["ci_upper"], "pvalue": r["pvalue"]})  # fmt: skip
    return pd.DataFrame(rows, columns=ESTIMATE_COLUMNS).astype(
        {c: float for c in ESTIMATE_COLUMNS[1:]}
    )
