"""Hierarchical (blockwise) OLS regression, as SPSS's Linear Regression with blocks.

Blocks enter in order (typically controls → predictors → interactions); each
step reports unstandardised B, SE, standardised β, t, p and VIF for every
term, and R², adjusted R², ΔR² and the F-change test of the block.

References
----------
Cohen, J., Cohen, P., West, S. G., & Aiken, L. S. (2003). *Applied multiple
regression/correlation analysis for the behavioral sciences* (3rd ed.).
Erlbaum. (F-change test, eq. 5.5.1.)
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from sqresearch.deprecation import renamed
from sqresearch.errors import ModelError
from sqresearch.model.design import (
    check_rank,
    check_variation,
    dummy_code,
    numeric_frame,
    product_name,
    require_columns,
)


@dataclass
class HierarchicalResult:
    """A hierarchical regression: one statsmodels fit per step.

    Attributes
    ----------
    y : str
    n : int
        Rows analysed (listwise over every variable of every block).
    steps : DataFrame
        step, block, k (predictors), r2, adj_r2, delta_r2, f_change, df1,
        df2, p_change, f, f_pvalue — one row per step.
    coefficients : DataFrame
        step, term, block, b, se, beta, t, pvalue, ci_lower, ci_upper, vif —
        one row per term per step (``const`` first, with β and VIF NaN).
    fits : list
        The statsmodels results of each step.
    cov_type : str
    """

    y: str
    n: int
    steps: pd.DataFrame
    coefficients: pd.DataFrame
    fits: list
    cov_type: str

    def to_dict(self) -> dict[str, Any]:
        """The results document the build saves: ``n``, ``steps`` and ``coefficients``
        (one object per step, and per term per step)."""
        return {
            "n": self.n,
            "steps": self.steps.to_dict("records"),
            "coefficients": self.coefficients.to_dict("records"),
        }

    def _repr_html_(self) -> str:
        return (
            f"<h4>Hierarchical regression of {self.y} (n = {self.n})</h4>"
            + self.steps.to_html(index=False)
            + self.coefficients.to_html(index=False)
        )


@renamed(conf="level")
def hierarchical_regression(
    data: pd.DataFrame,
    y: str,
    blocks: Sequence[Sequence[str]] | Mapping[str, Sequence[str]],
    *,
    categorical: Mapping[str, Hashable | None] | None = None,
    center: bool = False,
    cov_type: str = "nonrobust",
    level: float = 0.95,
) -> HierarchicalResult:
    """Fit OLS models that add one block of terms at a time.

    Parameters
    ----------
    data : DataFrame
    y : str
        The outcome column.
    blocks : list of lists, or dict of block name → list
        Terms of each block: column names, or products ``"X:W"`` of two
        columns.  Unnamed blocks are called ``"block 1"``, ``"block 2"`` ….
    categorical : dict, optional
        Columns to dummy-code, each mapped to its reference level (None: the
        lowest).  A categorical column's dummies ``"col[level]"`` enter in its
        block.
    center : bool
        Mean-centre the numeric components of product terms before forming
        the products (all steps use the centred columns).
    cov_type : {"nonrobust", "HC3"}
        With HC3, SEs, t and p are heteroskedasticity-consistent and the
        F-change is the Wald test of the block's terms under HC3 (as PROCESS
        with ``hc=3``); ΔR² is the same either way.
    level : float
        Level of the coefficients' intervals.

    Returns
    -------
    HierarchicalResult

    Notes
    -----
    F-change of step j over step j−1:
    F = ((R²_j − R²_{j−1}) / k) / ((1 − R²_j) / (n − p_j − 1)), on (k,
    n − p_j − 1) df, k the terms added and p_j the predictors of step j
    (Cohen et al. 2003).  β is SPSS's standardised coefficient,
    B·SD(term)/SD(y), the same as OLS of z-scored y on z-scored terms.  VIF of
    a term is 1/(1 − R²) of that term regressed on the step's other terms.
    Rows with a missing value in any variable of any block are dropped first,
    so every step uses the same rows.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame(rng.normal(size=(40, 3)), columns=["age", "x", "w"])
    >>> d["y"] = d["x"] + rng.normal(size=40)
    >>> r = hierarchical_regression(d, "y", [["age"], ["x", "w"], ["x:w"]])
    >>> r.steps["k"].tolist()
    [1, 3, 4]
    >>> # In R, each step against the one before (anova of two models at a time):
    >>> # anova(lm(y ~ age, d), lm(y ~ age + x + w, d)); anova(lm(y ~ age + x + w, d),
    >>> # lm(y ~ age + x * w, d)). Not anova(m1, m2, m3): that divides every step by
    >>> # the last model's residual variance, which is not SPSS's F-change.
    """
    if cov_type not in ("nonrobust", "HC3"):
        raise ValueError(f"cov_type must be 'nonrobust' or 'HC3', not {cov_type!r}")
    named = (
        dict(blocks)
        if isinstance(blocks, Mapping)
        else {f"block {i + 1}": list(b) for i, b in enumerate(blocks)}
    )
    if not named or any(not terms for terms in named.values()):
        raise ModelError("every block needs at least one term")
    categorical = dict(categorical or {})
    terms = [t for block in named.values() for t in block]
    components = [c for t in terms for c in _components(t, data)]
    numeric = [c for c in dict.fromkeys([y, *components]) if c not in categorical]
    require_columns(data, [y, *components])
    frame = numeric_frame(data, numeric, missing="pairwise")
    for column in categorical:
        frame[column] = data[column]
    frame = frame.dropna()
    n = len(frame)

    design = pd.DataFrame({"const": np.ones(n)}, index=frame.index)
    block_of: dict[str, str] = {}
    means = {c: frame[c].mean() for c in numeric} if center else {}
    for name, block in named.items():
        for term in block:
            for column, values in _term_columns(term, frame, categorical, means, data).items():
                if column in design.columns:
                    raise ModelError(f"term {column!r} appears twice")
                design[column] = values
                block_of[column] = name
    if n <= design.shape[1]:
        raise ModelError(f"{n} complete rows are too few for {design.shape[1]} coefficients")
    check_variation(frame[numeric], {y: "Y"})
    check_rank(design, f"the regression of {y}")

    sd_y = frame[y].std(ddof=1)
    steps, coefs, fits = [], [], []
    used = ["const"]
    previous = None
    for j, name in enumerate(named, start=1):
        added = [c for c, b in block_of.items() if b == name]
        used = used + added
        model = sm.OLS(frame[y], design[used])
        fit = model.fit(cov_type="HC3", use_t=True) if cov_type == "HC3" else model.fit()
        fits.append(fit)
        steps.append(_step_row(j, name, fit, previous, added, cov_type, n))
        coefs.append(_coef_table(j, fit, design[used], block_of, sd_y, level))
        previous = fit
    return HierarchicalResult(
        y=y,
        n=n,
        steps=pd.DataFrame(steps),
        coefficients=pd.concat(coefs, ignore_index=True),
        fits=fits,
        cov_type=cov_type,
    )


def _components(term: str, data: pd.DataFrame) -> list[str]:
    """Columns of a term: itself, or the two factors of ``"A:B"``."""
    if term in data.columns or ":" not in term:
        return [term]
    for i in range(1, term.count(":") + 1):
        parts = term.split(":")
        a, b = ":".join(parts[:i]), ":".join(parts[i:])
        if a in data.columns and b in data.columns:
            return [a, b]
    return [term]  # reported as a missing column


def _term_columns(term, frame, categorical, means, data) -> dict[str, pd.Series]:
    parts = _components(term, data)
    if len(parts) == 1:
        if term in categorical:
            return dict(dummy_code(frame[term], categorical[term]).items())
        return {term: frame[term]}
    if any(p in categorical for p in parts):
        raise ModelError(f"product term {term!r}: dummy-coded columns cannot form products here")
    a, b = (frame[p] - means.get(p, 0.0) for p in parts)
    return {product_name(*parts): a * b}


def _step_row(j, name, fit, previous, added, cov_type, n) -> dict:
    k = int(fit.df_model)
    r2 = fit.rsquared
    r2_prev = previous.rsquared if previous is not None else 0.0
    df1, df2 = len(added), fit.df_resid
    if cov_type == "HC3":
        restriction = np.zeros((df1, len(fit.params)))
        for i, column in enumerate(added):
            restriction[i, list(fit.params.index).index(column)] = 1.0
        test = fit.f_test(restriction)
        f_change, p_change = float(np.squeeze(test.fvalue)), float(test.pvalue)
    else:
        f_change = ((r2 - r2_prev) / df1) / ((1 - r2) / df2)
        p_change = float(stats.f.sf(f_change, df1, df2))
    return {
        "step": j,
        "block": name,
        "k": k,
        "n": n,
        "r2": r2,
        "adj_r2": fit.rsquared_adj,
        "delta_r2": r2 - r2_prev,
        "f_change": f_change,
        "df1": df1,
        "df2": df2,
        "p_change": p_change,
        "f": float(np.squeeze(fit.fvalue)),
        "f_pvalue": float(np.squeeze(fit.f_pvalue)),
    }


def _coef_table(j, fit, exog, block_of, sd_y, level) -> pd.DataFrame:
    ci = np.asarray(fit.conf_int(alpha=1 - level))
    sd = exog.std(ddof=1)
    beta = fit.params * sd / sd_y
    beta["const"] = np.nan
    return pd.DataFrame(
        {
            "step": j,
            "term": list(exog.columns),
            "block": [block_of.get(c, "") for c in exog.columns],
            "b": fit.params.to_numpy(),
            "se": fit.bse.to_numpy(),
            "beta": beta.to_numpy(),
            "t": fit.tvalues.to_numpy(),
            "pvalue": fit.pvalues.to_numpy(),
            "ci_lower": ci[:, 0],
            "ci_upper": ci[:, 1],
            "vif": vif(exog.drop(columns="const")).reindex(exog.columns).to_numpy(),
        }
    )


def vif(predictors: pd.DataFrame) -> pd.Series:
    """Variance inflation factors of the columns (a constant is implied).

    VIF_j = 1/(1 − R²_j), R²_j of column j regressed on the others with an
    intercept: the diagonal of the inverse correlation matrix.  A single
    predictor has VIF 1; perfectly collinear columns have VIF inf.

    Examples
    --------
    >>> d = pd.DataFrame({"a": [1.0, 2, 3, 4, 5], "b": [2.0, 1, 4, 3, 6]})
    >>> vif(d).round(4).tolist()
    [3.0833, 3.0833]
    """
    corr = np.atleast_2d(np.corrcoef(predictors.to_numpy(dtype=float), rowvar=False))
    try:
        values = np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        values = np.full(predictors.shape[1], np.inf)
    return pd.Series(values, index=predictors.columns, name="vif")
