"""Conventional cut-offs, with their sources: the one home of every threshold.

Tables print them beside the statistics, interpretation text cites them, and
tests import them; nothing else hard-codes a cut-off.

Each row: ``key``, the statistic it applies to, the comparison ``op`` that a
*passing* value satisfies (">=", "<=", ">", "<"), ``value``, and ``source``
(citations only: text and tables print it); ``note`` holds remarks for readers.
Some statistics have two conventions (e.g. Harman 40% vs 50%); the key says
which one.

Examples
--------
>>> threshold("alpha")
0.7
>>> passes("cfi", 0.93)
True
>>> passes("rmsea", 0.092)
False
"""

from __future__ import annotations

import operator

import pandas as pd

_ROWS = [
    # key, statistic, op, value, source
    ("alpha", "Cronbach's alpha", ">=", 0.70, "Nunnally & Bernstein (1994)"),
    ("omega", "McDonald's omega", ">=", 0.70, "McDonald (1999)"),
    ("citc", "corrected item-total correlation", ">=", 0.40, "吴明隆 (2010)"),
    ("kmo", "Kaiser-Meyer-Olkin", ">=", 0.70, "Kaiser (1974)"),
    ("kmo_min", "KMO (minimum usable)", ">=", 0.60, "Kaiser (1974)"),
    ("bartlett_p", "Bartlett's test p", "<", 0.05, "Bartlett (1950)"),
    ("loading", "standardised factor loading", ">=", 0.50, "Hair et al. (2019)"),
    ("efa_loading", "EFA loading suppression", ">=", 0.40, "Hair et al. (2019)"),
    ("cumulative_variance", "cumulative variance explained", ">=", 0.60, "Hair et al. (2019)"),
    ("cr", "composite reliability", ">=", 0.70, "Fornell & Larcker (1981); Hair et al. (2019)"),
    ("ave", "average variance extracted", ">=", 0.50, "Fornell & Larcker (1981)"),
    ("htmt", "heterotrait-monotrait ratio", "<", 0.85, "Henseler, Ringle & Sarstedt (2015)"),
    ("htmt_liberal", "heterotrait-monotrait ratio (liberal)", "<", 0.90, "Henseler, Ringle & Sarstedt (2015)"),
    ("chisq_df", "chi-square / df", "<", 3.0, "Kline (2016); Carmines & McIver (1981)"),
    ("cfi", "CFI", ">=", 0.90, "Bentler (1990)"),
    ("tli", "TLI", ">=", 0.90, "Tucker & Lewis (1973)"),
    ("rmsea", "RMSEA", "<", 0.08, "Browne & Cudeck (1993)"),
    ("srmr", "SRMR", "<", 0.08, "Hu & Bentler (1999)"),
    ("gfi", "GFI", ">=", 0.90, "Jöreskog & Sörbom (1984)"),
    ("agfi", "AGFI", ">=", 0.80, "Jöreskog & Sörbom (1984); 侯杰泰等 (2004)"),
    ("nfi", "NFI", ">=", 0.90, "Bentler & Bonett (1980)"),
    ("ifi", "IFI", ">=", 0.90, "Bollen (1989)"),
    ("harman_40", "Harman first factor share (Chinese convention)", "<", 0.40, "周浩 & 龙立荣 (2004)"),
    ("harman_50", "Harman first factor share", "<", 0.50, "Podsakoff et al. (2003)"),
    ("vif", "variance inflation factor", "<", 10.0, "Hair et al. (2019)"),
    ("skew_abs", "|skewness| for approximate normality", "<", 3.0, "Kline (2016)"),
    ("kurtosis_abs", "|kurtosis| for approximate normality", "<", 10.0, "Kline (2016)"),
    ("skew_abs_strict", "|skewness| for approximate normality (strict)", "<", 2.0, "Curran, West & Finch (1996)"),
    ("kurtosis_abs_strict", "|kurtosis| for approximate normality (strict)", "<", 7.0, "Curran, West & Finch (1996)"),
    ("mardia_kurtosis_cr", "critical ratio of Mardia's multivariate kurtosis", "<", 5.0, "Bentler (2005); Byrne (2016)"),
    # Pilot-study item analysis (项目分析, sqresearch.measure.item_analysis).
    ("item_cr", "critical ratio (t) of the top vs bottom 27% groups", ">=", 3.0, "吴明隆 (2010)"),
    ("item_total_r", "item-total correlation", ">=", 0.40, "吴明隆 (2010)"),
    ("item_communality", "communality on one component per scale", ">=", 0.20, "吴明隆 (2010)"),
    ("item_loading", "loading on one component per scale", ">=", 0.45, "吴明隆 (2010)"),
    # Common-method bias: unmeasured latent method construct (Δ = with method - without).
    ("ulmc_delta_cfi", "ΔCFI after adding the method factor", "<=", 0.010, "Cheung & Rensvold (2002)"),
    ("ulmc_delta_rmsea", "ΔRMSEA after adding the method factor", ">=", -0.015, "Chen (2007)"),
    # Estimator choice (sqresearch.measure.normality) uses the strict cut-offs above:
    # beyond them ML's χ² and SEs go wrong (Curran, West & Finch, 1996).
    ("ordinal_categories", "response categories to treat items as ordinal (WLSMV)", "<=", 5, "Rhemtulla, Brosseau-Liard & Savalei (2012)"),
    ("alpha_level", "significance level", "<", 0.05, "convention"),
    ("power", "target statistical power", ">=", 0.80, "Cohen (1988)"),
    # Measurement invariance, Chen (2007) for n > 300 (Δ = constrained - previous).
    ("inv_delta_cfi", "ΔCFI for non-invariance", "<=", -0.010, "Chen (2007); Cheung & Rensvold (2002)"),
    ("inv_delta_rmsea", "ΔRMSEA for non-invariance", ">=", 0.015, "Chen (2007)"),
    ("inv_delta_srmr_metric", "ΔSRMR for metric non-invariance", ">=", 0.030, "Chen (2007)"),
    ("inv_delta_srmr_scalar", "ΔSRMR for scalar/strict non-invariance", ">=", 0.010, "Chen (2007)"),
    ("levene_p", "Levene's test p (equal variances rejected below)", "<", 0.05, "Levene (1960)"),
    ("expected_count", "minimum expected cell count for chi-square", ">=", 5.0, "Cochran (1954)"),
    ("speeder_fraction", "speeder cut: share of median completion time", "<", 1 / 3, "Greszki, Meyer & Schoen (2015)"),
    # Careless-response screening (sqresearch.clean.careless); a respondent passes when the op holds.
    ("longstring_share", "longest run of identical answers, as a share of the items", "<", 0.5, "Johnson (2005); Curran (2016)"),
    ("irv_min", "intra-individual response variability (SD across items)", ">=", 0.3, "Dunn, Heggestad, Shanock & Theilgard (2018)"),
    ("mahalanobis_p", "Mahalanobis D-squared outlier p (chi-square, df = items)", ">=", 0.001, "Tabachnick & Fidell (2013)"),
    ("variance_ratio", "largest / smallest observed variance in a SEM", "<=", 1000.0, "Rosseel (2012), lavaan"),
    # Degenerate data (sqresearch.model.design, sqresearch.clean.pipeline).
    ("nzv_freq_ratio", "near-zero variance: count of the most / second most frequent value", "<=", 19.0, "Kuhn (2008)"),
    ("nzv_unique_pct", "near-zero variance: distinct values as % of rows", ">", 10.0, "Kuhn (2008)"),
    ("exclusion_share", "share of received submissions one screening rule may exclude", "<=", 0.50, "convention"),
    # PLS-SEM (sqresearch.model.pls), Hair, Hult, Ringle & Sarstedt (2022) A primer on PLS-SEM, 3rd ed.
    ("rho_a", "Dijkstra-Henseler rho_A", ">=", 0.70, "Dijkstra & Henseler (2015)"),
    ("pls_loading", "PLS outer loading (reflective)", ">=", 0.708, "Hair et al. (2022)"),
    ("vif_pls", "VIF in PLS-SEM (collinearity)", "<", 5.0, "Hair et al. (2022)"),
    ("f2_small", "f-squared: small effect", ">=", 0.02, "Cohen (1988)"),
    ("f2_medium", "f-squared: medium effect", ">=", 0.15, "Cohen (1988)"),
    ("f2_large", "f-squared: large effect", ">=", 0.35, "Cohen (1988)"),
    ("q2_predict", "PLSpredict Q-squared", ">", 0.0, "Shmueli et al. (2019)"),
    # Report figures and text (sqresearch.report).
    ("eigenvalue", "eigenvalue for retaining a component (Kaiser criterion)", ">", 1.0, "Kaiser (1960)"),
]

# Remarks for readers of this table (English only; never printed in tables or text).
_NOTES = {
    "citc": "Churchill (1979) uses .30.",
    "cfi": "Hu & Bentler (1999) advise .95.",
    "tli": "Hu & Bentler (1999) advise .95.",
    "rmsea": "Hu & Bentler (1999) advise .06.",
    "vif": "5 is a stricter rule.",
    "irv_min": "The cut is ours; Dunn et al. (2018) give no fixed value.",
    "item_cr": "Critical ratio: Kelley (1939) extreme groups of 27%; SPSSAU prints the same test.",
    "mardia_kurtosis_cr": "AMOS prints this ratio; some authors use 1.96.",
    "ulmc_delta_cfi": "Borrowed from nested-model comparisons (invariance): a method factor "
    "that improves CFI by no more than .01 adds little.",
    "ulmc_delta_rmsea": "Borrowed from Chen (2007); RMSEA falls when the method factor helps.",
    "nzv_freq_ratio": "caret::nearZeroVar's freqCut 95/5; a variable is near-constant when both nzv rules fail.",
    "exclusion_share": "A rule excluding more than this share usually means a codebook slip (wrong expected answer).",
    "vif_pls": "Hair et al. (2022) call VIF >= 5 critical and advise VIF < 3 where possible.",
    "pls_loading": "0.708 squared is 0.50: the construct explains half of the indicator's variance.",
}

THRESHOLDS = pd.DataFrame(_ROWS, columns=["key", "statistic", "op", "value", "source"]).set_index("key")
THRESHOLDS["note"] = pd.Series(_NOTES)

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


def passes(key: str, value: float) -> bool:
    """Whether ``value`` meets the conventional cut-off ``key``."""
    row = THRESHOLDS.loc[key]
    return bool(_OPS[row["op"]](value, row["value"]))


def threshold(key: str) -> float:
    """The cut-off value of ``key`` (a row of :data:`THRESHOLDS`, which also gives its source).

    Examples
    --------
    >>> threshold("ave"), THRESHOLDS.loc["ave", "source"]
    (0.5, 'Fornell & Larcker (1981)')
    """
    return float(THRESHOLDS.loc[key, "value"])


#: Fit indices a thesis reports, in the order Chinese theses list them (lavaan's names).
FIT_INDICES = ("chisq", "df", "chisq_df", "gfi", "agfi", "cfi", "tli", "nfi", "ifi", "rmsea", "srmr")


def fit_verdicts(fit, indices=FIT_INDICES) -> pd.DataFrame:
    """Each fit index against its cut-off: the verdicts tables and text render.

    Parameters
    ----------
    fit : mapping
        lavaan-named fit measures (``SEMResult.fit``); ``chisq_df`` is
        χ²/df when the mapping has no such key.
    indices : sequence of str
        Which indices, in order.

    Returns
    -------
    DataFrame
        Index ``index`` (lavaan's name); ``value`` (NaN when absent), ``op``
        and ``cutoff`` (None / NaN for an index without a cut-off, e.g. χ²),
        ``passes`` (True / False; None without a cut-off or a value) and
        ``source``.

    Examples
    --------
    >>> v = fit_verdicts({"chisq": 85.3, "df": 24, "cfi": 0.931, "rmsea": 0.092},
    ...                  ["chisq", "chisq_df", "cfi", "rmsea"])
    >>> v["passes"].tolist()
    [None, False, True, False]
    >>> v.loc["cfi", "op"], float(v.loc["cfi", "cutoff"]), v.loc["cfi", "source"]
    ('>=', 0.9, 'Bentler (1990)')
    """
    rows = []
    for key in indices:
        if key == "chisq_df" and "chisq_df" not in fit:
            value = float(fit["chisq"]) / float(fit["df"])
        else:
            value = float(fit.get(key, float("nan")))
        if key in THRESHOLDS.index:
            row = THRESHOLDS.loc[key]
            verdict = None if value != value else passes(key, value)  # NaN: no verdict
            rows.append((key, value, row["op"], float(row["value"]), verdict, row["source"]))
        else:
            rows.append((key, value, None, float("nan"), None, None))
    columns = ["index", "value", "op", "cutoff", "passes", "source"]
    return pd.DataFrame(rows, columns=columns).set_index("index").astype({"passes": object})
