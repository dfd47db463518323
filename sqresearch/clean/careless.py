"""Careless-response screening: each rule a small function, each reported separately.

Rules (defaults in :mod:`sqresearch.thresholds`, settings per rule in the
codebook's ``careless:`` block, action "exclude", "flag" or "off"):

- ``screening``: the screening/consent answer is not an eligible one (or missing).
- ``duplicates``: the answer vector (demographics, items, checks) repeats an
  earlier submission's exactly; the first one is kept.
- ``attention``: an attention check is failed (a missing answer fails).
- ``speeder``: completion time below ``fraction`` × the median of the
  eligible submissions (``speeder_fraction``, default 1/3; Greszki, Meyer &
  Schoen, 2015).
- ``longstring``: the longest run of identical consecutive answers over the
  items in questionnaire order reaches ``share`` × the number of items
  (``longstring_share``, default .5; Johnson, 2005), or ``max_run`` if given.
  A run *exactly at* the cut is borderline: it is reported as a flag and
  excludes only when a second indicator agrees (IRV below its minimum, a
  speeder, a Mahalanobis outlier or a failed attention check), because no
  single screen should remove an otherwise ordinary respondent (Curran,
  2016; Meade & Craig, 2012); longer runs exclude on their own.
- ``irv``: intra-individual response variability -- the SD (n − 1) of a
  respondent's item answers -- below ``min`` (``irv_min``, default .3;
  Dunn et al., 2018).
- ``mahalanobis``: D² of the complete item vector with p < ``p``
  (``mahalanobis_p``, default .001; Tabachnick & Fidell, 2013), χ² with as
  many df as items.

Every rule after ``screening`` is computed on the eligible submissions (all
of them, whatever other rules say); the participant flow
(:mod:`sqresearch.clean.flow`) counts each excluded respondent once, at the
first excluding rule in order.  :attr:`Screening.excluding` holds what
excludes (the flags, less the unconfirmed borderline longstrings), and
:attr:`Screening.rules` cites each rule's source.

References
----------
Curran, P. G. (2016). Methods for the detection of carelessly invalid
responses in survey data. *Journal of Experimental Social Psychology, 66*,
4–19.

Meade, A. W., & Craig, S. B. (2012). Identifying careless responses in
survey data. Psychological Methods, 17(3), 437–455.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sqresearch.errors import InputError
from sqresearch.thresholds import THRESHOLDS, threshold


def speeders(duration: pd.Series, fraction: float | None = None) -> pd.DataFrame:
    """Flag completion times below ``fraction`` × the median.

    Returns
    -------
    DataFrame
        ``duration``, ``ratio`` (duration / median), ``flag``; the median and
        cut are in ``.attrs``.

    Examples
    --------
    >>> speeders(pd.Series([300, 310, 320, 60]))["flag"].tolist()
    [False, False, False, True]
    """
    fraction = threshold("speeder_fraction") if fraction is None else float(fraction)
    duration = pd.to_numeric(duration, errors="coerce").astype(float)
    median = float(duration.median())
    if not np.isfinite(median) or median <= 0:
        raise InputError("cannot screen speeders: no positive completion times", column="DURATION")
    out = pd.DataFrame(
        {
            "duration": duration,
            "ratio": duration / median,
            "flag": (duration < fraction * median).to_numpy(),
        }
    )
    out.attrs.update(median=median, cut=fraction * median, fraction=fraction)
    return out


def longstring(items: pd.DataFrame) -> pd.Series:
    """Longest run of identical consecutive answers per respondent (missing breaks a run).

    Matches ``careless::longstring`` in R.

    Examples
    --------
    >>> longstring(pd.DataFrame([[1, 1, 1, 2], [3, 4, 4, None]])).tolist()
    [3, 2]
    """
    values = items.to_numpy(dtype=float)
    best = np.zeros(len(values), dtype=int)
    run = np.zeros(len(values), dtype=int)
    previous = np.full(len(values), np.nan)
    for j in range(values.shape[1]):
        current = values[:, j]
        same = current == previous  # NaN never equals
        run = np.where(np.isnan(current), 0, np.where(same, run + 1, 1))
        best = np.maximum(best, run)
        previous = current
    return pd.Series(best, index=items.index, name="longstring")


def irv(items: pd.DataFrame) -> pd.Series:
    """Intra-individual response variability: SD (n − 1) across a respondent's answered items.

    Matches ``careless::irv`` in R (Dunn et al., 2018).

    Examples
    --------
    >>> irv(pd.DataFrame([[1, 2, 3], [4, 4, 4]])).tolist()
    [1.0, 0.0]
    """
    return items.astype(float).std(axis=1, ddof=1).rename("irv")


def mahalanobis(items: pd.DataFrame, p: float | None = None) -> pd.DataFrame:
    """Mahalanobis D² of each complete answer vector from the sample centroid.

    D² = (x − x̄)ᵀ S⁻¹ (x − x̄) with the sample covariance S (n − 1), as R's
    ``mahalanobis(x, colMeans(x), cov(x))``; p from χ² with df = number of
    items.  Rows with a missing item get NaN and are not flagged.

    Returns
    -------
    DataFrame
        ``d2``, ``p``, ``flag`` (p < cut).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = pd.DataFrame(rng.normal(size=(200, 3)))
    >>> x.iloc[0] = [6, -6, 6]
    >>> bool(mahalanobis(x)["flag"].iloc[0])
    True
    """
    cut = threshold("mahalanobis_p") if p is None else float(p)
    values = items.to_numpy(dtype=float)
    complete = ~np.isnan(values).any(axis=1)
    d2 = np.full(len(values), np.nan)
    x = values[complete]
    if len(x) <= x.shape[1]:
        raise InputError(
            f"Mahalanobis screening needs more complete respondents ({len(x)}) than items ({x.shape[1]})",
            hint="turn the rule off in the codebook (careless: mahalanobis: {action: off})",
        )
    centred = x - x.mean(axis=0)
    cov = np.cov(x, rowvar=False)
    try:
        solved = np.linalg.solve(cov, centred.T).T
    except np.linalg.LinAlgError:
        raise InputError(
            "Mahalanobis screening: item covariance matrix is singular",
            hint="an item may be a copy of another; turn the rule off",
        ) from None
    d2[complete] = np.einsum("ij,ij->i", centred, solved)
    pvalue = stats.chi2.sf(d2, df=values.shape[1])
    return pd.DataFrame(
        {"d2": d2, "p": pvalue, "flag": np.nan_to_num(pvalue, nan=1.0) < cut}, index=items.index
    )


def duplicates(answers: pd.DataFrame) -> pd.Series:
    """True for a submission whose answers repeat an earlier one exactly (missing = missing).

    Examples
    --------
    >>> duplicates(pd.DataFrame({"a": [1, 2, 1], "b": [3, None, 3]})).tolist()
    [False, False, True]
    """
    return (
        answers.astype(object)
        .where(answers.notna(), "<NA>")
        .duplicated(keep="first")
        .rename("duplicate")
    )


def attention_failed(coded: pd.DataFrame, expected: dict[str, int]) -> pd.Series:
    """True where any attention check differs from its expected answer (missing fails).

    Examples
    --------
    >>> attention_failed(pd.DataFrame({"ATT1": [4, 2, None]}), {"ATT1": 4}).tolist()
    [False, True, True]
    """
    failed = pd.Series(False, index=coded.index)
    for code, answer in expected.items():
        failed |= ~(coded[code] == answer).fillna(False).astype(bool)
    return failed.rename("attention")


@dataclass
class Screening:
    """Outcome of the careless-response rules.

    Attributes
    ----------
    flags : DataFrame
        One boolean column per rule that ran (rows: submissions).
    excluding : DataFrame
        The flags that exclude when the rule's action is "exclude": the
        flags, except a longstring exactly at the cut that no second
        indicator confirms (flagged, kept).
    statistics : DataFrame
        The per-respondent statistics behind the flags (duration ratio,
        longstring, irv, d2, p).
    rules : DataFrame
        Per rule: action, setting, cut, n_flagged, n_excluding (flagged and
        excluding when the action is "exclude"), note (why a rule did not
        run, or how it decides), source (the rule's citation), label_zh,
        label_en.
    """

    flags: pd.DataFrame
    statistics: pd.DataFrame
    rules: pd.DataFrame
    excluding: pd.DataFrame

    def _repr_html_(self) -> str:
        return self.rules._repr_html_()


#: Where each rule comes from (rules with a cut-off cite the thresholds table).
RULE_SOURCES = {
    "screening": "the study's screening question",
    "duplicates": "Curran (2016)",
    "attention": "Meade & Craig (2012)",
    "speeder": THRESHOLDS.loc["speeder_fraction", "source"],
    "longstring": THRESHOLDS.loc["longstring_share", "source"]
    + "; a run exactly at the cut excludes only with a second indicator (Curran, 2016; Meade & Craig, 2012)",
    "irv": THRESHOLDS.loc["irv_min", "source"],
    "mahalanobis": THRESHOLDS.loc["mahalanobis_p", "source"],
}
#: Indicators that can confirm a borderline longstring.
SECOND_INDICATORS = ("irv", "speeder", "mahalanobis", "attention")

RULE_LABELS = {
    "screening": ("未通过甄别/未同意参与", "not eligible or no consent"),
    "duplicates": ("重复提交", "duplicate submission"),
    "attention": ("注意力检测题未通过", "failed attention check"),
    "speeder": ("作答时间过短", "completion time too short"),
    "longstring": ("连续相同作答(直线作答)", "straight-lining (longstring)"),
    "irv": ("作答变异过低", "low response variability (IRV)"),
    "mahalanobis": ("多元离群值(马氏距离)", "multivariate outlier (Mahalanobis D²)"),
}


def screen(
    coded: pd.DataFrame,
    items: list[str],
    rules: dict[str, dict[str, Any]],
    *,
    attention: dict[str, int] | None = None,
    answer_columns: list[str] | None = None,
) -> Screening:
    """Run every rule whose action is not "off".

    Parameters
    ----------
    coded : DataFrame
        Recoded data (:func:`sqresearch.clean.recode.apply_codebook`):
        ``SCREEN``, ``DURATION``, items, attention checks.
    items : list of str
        Item codes in questionnaire order (for longstring, IRV, D²).
    rules : dict
        Rule -> settings (``action`` and the rule's parameter).
    attention : dict, optional
        Attention-check code -> expected answer.
    answer_columns : list of str, optional
        Columns compared for duplicates (default: every column but ID and DURATION).

    Returns
    -------
    Screening
    """
    flags, stats_cols, rows = {}, {}, []
    k = len(items)
    # Rules after screening judge eligible submissions only (the screened-out
    # skipped the questionnaire): medians, duplicates and D² are computed among them.
    eligible = (coded["SCREEN"] == 1) if "SCREEN" in coded else pd.Series(True, index=coded.index)
    base = coded[eligible.to_numpy()]
    for rule, settings in rules.items():
        action = settings.get("action", "exclude")
        if action == "off":
            rows.append(
                dict(rule=rule, action=action, setting=None, cut=None, n_flagged=None, note="off")
            )
            continue
        setting = cut = None
        if rule == "screening":
            if "SCREEN" not in coded:
                continue
            flag = ~eligible
        elif rule == "duplicates":
            cols = answer_columns or [c for c in coded.columns if c not in ("ID", "DURATION")]
            flag = duplicates(base[cols])
        elif rule == "attention":
            if not attention:
                continue
            flag = attention_failed(base, attention)
        elif rule == "speeder":
            if "DURATION" not in coded:
                continue
            setting = settings.get("fraction", threshold("speeder_fraction"))
            result = speeders(base["DURATION"], setting)
            flag, cut = result["flag"], result.attrs["cut"]
            stats_cols["duration_ratio"] = result["ratio"]
        elif rule == "longstring":
            runs = longstring(base[items])
            setting = settings.get("share", threshold("longstring_share"))
            cut = int(settings["max_run"]) if settings.get("max_run") else int(np.ceil(setting * k))
            flag = runs >= cut
            stats_cols["longstring"] = runs
        elif rule == "irv":
            values = irv(base[items])
            setting = cut = settings.get("min", threshold("irv_min"))
            flag = (values < cut).fillna(False)
            stats_cols["irv"] = values
        elif rule == "mahalanobis":
            setting = cut = settings.get("p", threshold("mahalanobis_p"))
            try:
                result = mahalanobis(base[items], cut)
            except InputError as exc:  # too few complete cases, or a singular covariance
                rows.append(
                    dict(
                        rule=rule,
                        action=action,
                        setting=setting,
                        cut=cut,
                        n_flagged=None,
                        note=exc.message,
                    )
                )
                continue
            flag = result["flag"]
            stats_cols["d2"], stats_cols["d2_p"] = result["d2"], result["p"]
        else:  # pragma: no cover - Codebook rejects unknown rules
            raise InputError(f"unknown rule {rule!r}")
        flags[rule] = (
            pd.Series(flag, dtype=bool).reindex(coded.index, fill_value=False)
            if rule != "screening"
            else flag.astype(bool)
        )
        rows.append(
            dict(
                rule=rule,
                action=action,
                setting=setting,
                cut=cut,
                n_flagged=int(flags[rule].sum()),
                note=None,
            )
        )
    excluding = {rule: flag.copy() for rule, flag in flags.items()}
    if "longstring" in flags:
        runs = stats_cols["longstring"].reindex(coded.index)
        cut = next(r["cut"] for r in rows if r["rule"] == "longstring")
        second = pd.Series(False, index=coded.index)
        for rule in SECOND_INDICATORS:
            if rule in flags:
                second |= flags[rule]
        borderline = flags["longstring"] & (runs == cut) & ~second
        excluding["longstring"] = flags["longstring"] & ~borderline
        stats_cols["longstring_borderline"] = borderline[eligible.to_numpy()]
    for row in rows:
        rule = row["rule"]
        row["n_excluding"] = int(excluding[rule].sum()) if rule in excluding else None
    table = pd.DataFrame(
        rows, columns=["rule", "action", "setting", "cut", "n_flagged", "n_excluding", "note"]
    )
    table["source"] = table["rule"].map(RULE_SOURCES)
    table["label_zh"] = table["rule"].map(lambda r: RULE_LABELS[r][0])
    table["label_en"] = table["rule"].map(lambda r: RULE_LABELS[r][1])
    statistics = pd.DataFrame(
        {k: v.reindex(coded.index) for k, v in stats_cols.items()}, index=coded.index
    )
    return Screening(
        pd.DataFrame(flags, index=coded.index),
        statistics,
        table,
        pd.DataFrame(excluding, index=coded.index),
    )
