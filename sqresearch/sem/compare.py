"""Nested-model comparison and the Bollen–Stine bootstrap, as lavaan.

:func:`compare_models` is lavaan's ``lavTestLRT()`` (``anova()``): the
models ordered by degrees of freedom, each tested against the next less
restricted one by the χ² difference — plain for ML, the Satorra–Bentler
(2001) scaled difference for MLM and MLR, Satorra's (2000) scaled-shifted
difference for WLSMV — beside AIC, BIC, CFI and RMSEA
and their changes. :func:`bollen_stine` is the model-based bootstrap
p-value of the χ² test (lavaan ``test = "bollen.stine"``), for samples too
small or too non-normal to trust the χ² distribution.
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import linalg, special
from threadpoolctl import threadpool_limits

from sqresearch.errors import ModelError
from sqresearch.sem.likelihood import GroupData, ml_discrepancy

COMPARE_COLUMNS = [
    "model", "npar", "df", "chisq", "aic", "bic", "cfi", "rmsea",
    "delta_chisq", "delta_df", "pvalue", "scaling_factor", "delta_cfi", "delta_rmsea",
]  # fmt: skip


@dataclass
class ModelComparison:
    """Nested models side by side (what :func:`compare_models` returns).

    Attributes
    ----------
    table : DataFrame
        One row per model, least restricted (fewest df) first: model,
        npar, df, chisq (the scaled χ² for MLM/MLR/WLSMV), aic, bic, cfi,
        rmsea (the robust ones for MLM/MLR, the scaled ones for WLSMV), and
        against the previous row: delta_chisq, delta_df, pvalue,
        scaling_factor (SB2001's c_d; NaN for ML and WLSMV), delta_cfi,
        delta_rmsea.
    method : str
        "standard" (ML), "satorra.bentler.2001" (MLM, MLR) or
        "satorra.2000" (WLSMV).
    estimator : str
    """

    table: pd.DataFrame
    method: str
    estimator: str

    def to_dict(self) -> dict:
        """The ``sem-compare --json`` document."""
        return {
            "estimator": self.estimator,
            "method": self.method,
            "models": self.table.to_dict(orient="records"),
        }

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>Nested models</b> ({html.escape(self.estimator)}; "
            f"χ² difference: {html.escape(self.method)})</p>"
        )
        return head + self.table.to_html(index=False, float_format=lambda x: f"{x:.3f}", na_rep="")


def _sb2001(t0, r0, c0, t1, r1, c1) -> tuple[float, float]:
    """Satorra–Bentler (2001) scaled difference of restricted model 0 and model 1."""
    if r1 == 0:
        c1 = 1.0
    m = r0 - r1
    cd = (r0 * c0 - r1 * c1) / m
    if cd < 0:
        warnings.warn(
            "the Satorra-Bentler difference scaling factor is negative: no scaled test",
            RuntimeWarning,
            stacklevel=3,
        )
        return float("nan"), float("nan")
    return (t0 - t1) / cd, cd


def _satorra2000(unrestricted, restricted) -> float:
    """lavaan's WLSMV difference test (``lavTestLRT``: method "satorra.2000", scaled.shifted).

    With Δ₁, Δ₀ the Jacobians of the sample statistics of the two models and
    A the orthogonal complement of H = Δ₁⁺Δ₀ (lavaan's ``A.method = "delta"``),
    P = Δ₁'WΔ₁ and U = WΔ₁P⁻¹A'(AP⁻¹A')⁺AP⁻¹Δ₁'W, the difference statistic is
    a(T₀ − T₁) + b with a = √(m/tr(UΓUΓ)), b = m − a·tr(UΓ), m the df
    difference and T the unscaled DWLS χ² of each model.
    """
    m1, m0 = unrestricted._wls, restricted._wls
    if m1.delta.shape[0] != m0.delta.shape[0]:
        raise ModelError("nested WLSMV models must share their thresholds and correlations")
    m = restricted.fit["df"] - unrestricted.fit["df"]
    h = np.linalg.pinv(m1.delta) @ m0.delta
    q, r = linalg.qr(h)  # columns of q beyond rank(H) span its orthogonal complement
    rank = int(np.sum(np.abs(np.diag(r)) > 1e-7 * max(np.abs(np.diag(r)).max(), 1.0)))
    a_mat = q[:, rank:].T
    wd = (m1.weights * m1.share)[:, None] * m1.delta
    p_inv = np.linalg.inv(m1.delta.T @ wd)
    apa = a_mat @ p_inv @ a_mat.T
    empty = (np.abs(apa).sum(axis=0) < 1.5e-8) & (np.abs(apa).sum(axis=1) < 1.5e-8)
    a_mat = a_mat[~empty]
    projected = p_inv @ a_mat.T @ np.linalg.pinv(a_mat @ p_inv @ a_mat.T) @ a_mat @ p_inv
    vd = m1.weights[:, None] * m1.delta
    ug = vd @ projected @ vd.T @ m1.gamma
    trace, trace2 = np.trace(ug), np.sum(ug * ug.T)
    a = np.sqrt(m / trace2)
    return float((restricted.fit["chisq"] - unrestricted.fit["chisq"]) * a + m - a * trace)


def compare_models(*results, names: list[str] | None = None) -> ModelComparison:
    """χ² difference tests of nested models, as lavaan's ``lavTestLRT()``.

    Parameters
    ----------
    *results : SEMResult
        Two or more nested models fitted to the same data with the same
        estimator, in any order.
    names : list of str, optional
        Printed model names (default "Model 1", "Model 2", ...).

    Returns
    -------
    ModelComparison

    Notes
    -----
    ML: Δχ² = χ²₀ − χ²₁ on Δdf = df₀ − df₁ (model 0 the more restricted).
    MLM/MLR: T_d = (T₀ − T₁)/c_d with c_d = (df₀c₀ − df₁c₁)/(df₀ − df₁), T
    the unscaled χ² and c the scaling factors (Satorra & Bentler, 2001);
    the scaled χ² of two models cannot simply be subtracted. WLSMV:
    lavaan's default ``method = "satorra.2000"`` with ``scaled.shifted``,
    T_d = a(T₀ − T₁) + b on Δdf, a and b from the projection of the
    restriction onto the less restricted model's weight and Γ matrices
    (Satorra, 2000; Asparouhov & Muthén, 2010). ΔCFI ≤ −.01
    is Cheung & Rensvold's (2002) rule for a meaningful loss of fit.

    References
    ----------
    Satorra, A., & Bentler, P. M. (2001). A scaled difference chi-square
    test statistic for moment structure analysis. Psychometrika, 66, 507–514.
    Satorra, A. (2000). Scaled and adjusted restricted tests in multi-sample
    analysis of moment structures. In R. D. H. Heijmans et al. (Eds.),
    Innovations in multivariate statistical analysis (pp. 233–247). Kluwer.
    Asparouhov, T., & Muthén, B. (2010). Simple second order chi-square
    correction. Mplus technical appendix.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> from sqresearch.sem.fit import fit_sem
    >>> hs = holzinger39.get_data()
    >>> three = fit_sem("visual =~ x1 + x2 + x3\\ntextual =~ x4 + x5 + x6\\n"
    ...                 "speed =~ x7 + x8 + x9", hs)
    >>> one = fit_sem("g =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9", hs)
    >>> cmp = compare_models(one, three, names=["one factor", "three factors"])
    >>> # In R: lavTestLRT(fit3, fit1): Chisq diff 226.96, Df diff 3
    >>> row = cmp.table.iloc[1]
    >>> row.model, round(float(row.delta_chisq), 2), int(row.delta_df)
    ('one factor', 226.96, 3)
    """
    if len(results) < 2:
        raise ModelError("compare_models needs at least two fitted models")
    names = list(names) if names is not None else [f"Model {k + 1}" for k in range(len(results))]
    if len(names) != len(results):
        raise ModelError(f"{len(names)} names for {len(results)} models")
    estimators = {r.estimator for r in results}
    if len(estimators) > 1:
        raise ModelError(f"the models use different estimators: {sorted(estimators)}")
    estimator = estimators.pop()
    if len({r.n for r in results}) > 1 or len({tuple(r.observed_variables) for r in results}) > 1:
        raise ModelError("nested models must be fitted to the same cases and observed variables")
    scaled = estimator in ("MLM", "MLR")
    ordinal = estimator == "WLSMV"
    robust = "_robust" if scaled else "_scaled" if ordinal else ""
    order = sorted(range(len(results)), key=lambda k: results[k].fit["df"])
    rows = []
    for pos, k in enumerate(order):
        fit = results[k].fit
        row = {
            "model": names[k],
            "npar": fit["npar"],
            "df": fit["df"],
            "chisq": fit["chisq_scaled"] if scaled or ordinal else fit["chisq"],
            "aic": fit["aic"],
            "bic": fit["bic"],
            "cfi": fit["cfi" + robust],
            "rmsea": fit["rmsea" + robust],
        }
        row |= dict.fromkeys(COMPARE_COLUMNS[8:], float("nan"))
        if pos > 0:
            prev = results[order[pos - 1]].fit
            m = fit["df"] - prev["df"]
            if m == 0:
                raise ModelError(
                    f"{names[k]!r} and {names[order[pos - 1]]!r} have the same df: not nested"
                )
            if scaled:
                t_d, cd = _sb2001(
                    fit["chisq"], fit["df"], fit["chisq_scaling_factor"],
                    prev["chisq"], prev["df"], prev["chisq_scaling_factor"],
                )  # fmt: skip
            elif ordinal:
                t_d, cd = _satorra2000(results[order[pos - 1]], results[k]), float("nan")
            else:
                t_d, cd = fit["chisq"] - prev["chisq"], float("nan")
            row |= {
                "delta_chisq": t_d,
                "delta_df": m,
                "pvalue": float(special.chdtrc(m, max(t_d, 0.0))) if np.isfinite(t_d) else np.nan,
                "scaling_factor": cd,
                "delta_cfi": row["cfi"] - prev["cfi" + robust],
                "delta_rmsea": row["rmsea"] - prev["rmsea" + robust],
            }
        rows.append(row)
    table = pd.DataFrame(rows, columns=COMPARE_COLUMNS)
    table["delta_df"] = table["delta_df"].astype("Int64")
    return ModelComparison(
        table=table,
        method="satorra.bentler.2001" if scaled else "satorra.2000" if ordinal else "standard",
        estimator=estimator,
    )


@dataclass
class BollenStine:
    """The Bollen–Stine bootstrap test of a model (what :func:`bollen_stine` returns).

    Attributes
    ----------
    chisq : float
        The model's χ².
    pvalue : float
        Share of bootstrap χ² larger than ``chisq`` (lavaan's definition).
    draws : ndarray
        χ² of each converged resample.
    n_boot, n_failed : int
    seed : int or None
    """

    chisq: float
    pvalue: float
    draws: np.ndarray = field(repr=False)
    n_boot: int
    n_failed: int
    seed: int | None

    def to_dict(self) -> dict:
        return {
            "chisq": self.chisq,
            "pvalue": self.pvalue,
            "n_boot": self.n_boot,
            "n_failed": self.n_failed,
            "seed": self.seed,
        }

    def _repr_html_(self) -> str:
        return (
            f"<p><b>Bollen–Stine bootstrap</b>: χ² = {self.chisq:.3f}, bootstrap p = "
            f"{self.pvalue:.3f} ({self.n_boot} resamples, {self.n_failed} failed, "
            f"seed {self.seed})</p>"
        )


def _sqrtm(matrix: np.ndarray) -> np.ndarray:
    values, vectors = linalg.eigh(matrix)
    return (vectors * np.sqrt(values)) @ vectors.T


def bollen_stine(
    result, n_boot: int = 1000, *, seed: int | None = None, progress: bool = False
) -> BollenStine:
    """Bollen–Stine bootstrap p-value of the model χ² (lavaan ``test = "bollen.stine"``).

    The data of each group are rotated so that the model holds exactly,
    ``X ↦ (X − x̄) S^{-1/2} Σ̂^{1/2}`` (+ μ̂ with a mean structure), then
    resampled with replacement; the model is refitted to each resample and
    the p-value is the share of resamples whose χ² exceeds the observed one.
    Resample *i* uses the *i*-th child of ``numpy.random.SeedSequence(seed)``.

    Parameters
    ----------
    result : SEMResult
        A complete-data (listwise), single-group ML fit.
    n_boot : int
        Resamples (default 1000, as lavaan).
    seed : int, optional
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    BollenStine

    References
    ----------
    Bollen, K. A., & Stine, R. A. (1992). Bootstrapping goodness-of-fit
    measures in structural equation models. Sociological Methods &
    Research, 21, 205–229.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sqresearch.sem.fit import fit_sem
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=200)
    >>> data = pd.DataFrame({f"x{k}": 0.7 * f + rng.normal(size=200) for k in range(4)})
    >>> bs = bollen_stine(fit_sem("f =~ x0 + x1 + x2 + x3", data), n_boot=50, seed=1)
    >>> 0 <= bs.pvalue <= 1, bs.n_boot
    (True, 50)
    """
    from tqdm.auto import tqdm

    problem, theta_hat = result._problem, result._theta
    if result.estimator == "WLSMV":
        raise ModelError("the Bollen-Stine bootstrap is for normal-theory (ML) fits")
    if problem.fiml:
        raise ModelError("the Bollen-Stine bootstrap needs complete data (missing='listwise')")
    if result.groups is not None:
        raise ModelError("the Bollen-Stine bootstrap is available for single-group fits")
    observed = result.observed_variables
    parts = [result._frame[observed].to_numpy()]
    rotated = []
    for (sigma, mu), x, d in zip(problem.implied(theta_hat), parts, problem.data, strict=True):
        centred = x - x.mean(axis=0)
        z = centred @ linalg.inv(_sqrtm(d.cov)) @ _sqrtm(sigma)
        rotated.append(z + mu if mu is not None else z)
    children = np.random.SeedSequence(seed).spawn(n_boot)
    draws = np.full(n_boot, np.nan)
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for b, child in enumerate(tqdm(children, desc="Bollen-Stine", disable=not progress)):
            rng = np.random.default_rng(child)
            data = [GroupData.complete(z[rng.integers(0, len(z), len(z))]) for z in rotated]
            boot = problem.with_data(data)
            theta, ok = boot.polish(theta_hat.copy())
            if not ok:
                theta, ok = boot.minimize(theta_hat.copy())
            if ok:
                draws[b] = sum(
                    d.n * ml_discrepancy(sigma, mu, d)
                    for (sigma, mu), d in zip(boot.implied(theta), data, strict=True)
                )
    good = draws[~np.isnan(draws)]
    chisq = result.fit["chisq"]
    return BollenStine(
        chisq=chisq,
        pvalue=float(np.mean(good > chisq)) if len(good) else float("nan"),
        draws=good,
        n_boot=n_boot,
        n_failed=int(n_boot - len(good)),
        seed=seed,
    )
