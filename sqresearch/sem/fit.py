"""Structural equation models in lavaan syntax, estimated and reported as lavaan.

:func:`fit_sem` parses lavaan syntax (``=~ ~ ~~ ~1 :=``, labels, fixed
values), expands lavaan's defaults into a parameter table, estimates it by
Newton steps with the exact Hessian from closed-form starting values
(:mod:`sqresearch.sem.estimation`, :mod:`sqresearch.sem.start`; semopy's
SLSQP only as a fallback), and then reports what lavaan's
``parameterEstimates(fit, standardized = TRUE)``, ``fitMeasures(fit)`` and
``inspect(fit, "r2")`` report — with lavaan's conventions, not semopy's:

- standard errors from the expected information (observed under FIML),
  divided by N, not N − 1;
- χ² = N·F_ML; RMSEA with N; AIC/BIC on −2·logL, which with fixed.x
  covariates is conditional on them (joint logL minus the covariates' own)
  with their (co)variances not counted as parameters; CFI truncated to
  [0, 1]; GFI as LISREL defines it (semopy's "GFI" is the NFI), weighted as
  lavaan weighs it (fixed.x block excluded; under FIML the missing-data
  information); SRMR as lavaan's ``srmr_bentler``, with the rest of the RMR
  family;
- ``std_lv``: each factor's sign chosen so that its first loading is positive;
- results do not depend on the units of the variables: convergence and
  singularity are judged in scale-free terms, and data whose variances
  differ more than lavaan allows (it warns beyond a ratio of 1000) are
  estimated in SD units and converted back;
- missing data listwise by default (semopy would silently use pairwise
  covariances); FIML with χ² = −2(logL − logL_saturated), saturated model by EM,
  estimated here (analytic casewise gradient) from the two-stage ML start;
- ``:=`` defined parameters with delta-method standard errors (semopy's
  syntax has no ``:=``).

Multi-group models (``group=``) are one joint ML fit with a mean structure
and lavaan's ``group.equal``/``group.partial``.
"""

from __future__ import annotations

import functools
import html
import logging
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special
from threadpoolctl import ThreadpoolController

from sqresearch.errors import InputError, ModelError
from sqresearch.jsondoc import carries_warnings
from sqresearch.sem.estimation import MLProblem, newton_resamples
from sqresearch.sem.fit_indices import fit_measures, gfi_group, residual_rms
from sqresearch.sem.implied import GroupStructure
from sqresearch.sem.likelihood import (
    GroupData,
    fiml_loglik,
    loglik_complete,
    ml_discrepancy,
    pairwise_moments,
)
from sqresearch.sem.ordinal import fit_wlsmv
from sqresearch.sem.precheck import check_sem_data
from sqresearch.sem.robust import apply_robust, check_estimator
from sqresearch.sem.start import moment_start, simple_start
from sqresearch.sem.syntax import (
    ParsedModel,
    evaluate_definition,
    parameter_table,
    parse_model,
    variable_roles,
)
from sqresearch.thresholds import FIT_INDICES, fit_verdicts, passes, threshold

ESTIMATE_COLUMNS = ["lhs", "op", "rhs", "label", "est", "se", "z", "pvalue", "std_all"]


@functools.cache
def _blas_controller() -> ThreadpoolController:
    """One scan of the loaded BLAS libraries per process (a scan costs milliseconds)."""
    return ThreadpoolController()


class SEMWarning(UserWarning):
    """A fitted model has a problem (non-convergence, Heywood case, …)."""


@dataclass
class SEMResult:
    """A fitted SEM, reported as lavaan reports it.

    Attributes
    ----------
    estimates : DataFrame
        ``parameterEstimates(fit, standardized = TRUE)``: lhs, op, rhs, label,
        est, se, z, pvalue, std_all (+ group for multi-group fits); fixed
        parameters have se 0 and z, pvalue NaN; ``:=`` rows last.
    fit : dict
        ``fitMeasures(fit)`` under lavaan's names, "." written "_" (chisq, df,
        pvalue, cfi, tli, rmsea, rmsea_ci_lower, rmsea_ci_upper, rmsea_pvalue,
        srmr, rmr, rmr_nomean, srmr_bentler, srmr_bentler_nomean, crmr,
        crmr_nomean, srmr_mplus, srmr_mplus_nomean, gfi, agfi, pgfi, nfi, ifi,
        chisq_df, loglik (lavaan's logl), unrestricted_loglik, aic, bic, bic2,
        baseline_chisq, baseline_df, npar, n).
    r2 : Series
        R² of every endogenous variable lavaan reports (indicators included);
        a MultiIndex (group, variable) for multi-group fits.
    n : int
        Cases analysed (total over groups).
    converged : bool
    warnings : list of str
    latent_variables, observed_variables : list of str
    implied_cov, sample_cov : DataFrame, or dict of DataFrame by group
    groups : list or None
        Group levels in order of first appearance; ``group_sizes`` their n.
    """

    estimates: pd.DataFrame
    fit: dict
    r2: pd.Series
    n: int
    converged: bool
    warnings: list[str]
    latent_variables: list[str]
    observed_variables: list[str]
    implied_cov: pd.DataFrame | dict
    sample_cov: pd.DataFrame | dict
    missing: str = "listwise"
    groups: list | None = None
    group_sizes: dict | None = None
    estimator: str = "ML"
    acov: np.ndarray | None = field(default=None, repr=False)
    _problem: MLProblem | None = field(default=None, repr=False)
    _theta: np.ndarray | None = field(default=None, repr=False)
    _parsed: ParsedModel | None = field(default=None, repr=False)
    _frame: pd.DataFrame | None = field(default=None, repr=False)
    _data: pd.DataFrame | None = field(default=None, repr=False)  # as given, for HTMT
    _group: str | None = field(default=None, repr=False)
    _wls: object | None = field(default=None, repr=False)  # WLSMV: ordinal.WLSMoments

    def fit_verdicts(self, indices: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Each fit index against its cut-off (:func:`sqresearch.thresholds.fit_verdicts`).

        Examples
        --------
        >>> from semopy.examples import holzinger39
        >>> res = fit_sem("visual =~ x1 + x2 + x3\\ntextual =~ x4 + x5 + x6\\n"
        ...               "speed =~ x7 + x8 + x9", holzinger39.get_data())
        >>> res.fit_verdicts()["passes"][["cfi", "rmsea", "srmr"]].tolist()
        [True, False, True]
        """
        return fit_verdicts(self.fit, FIT_INDICES if indices is None else indices)

    def to_dict(self) -> dict:
        """The ``sqresearch sem --json`` document (README, "sem").

        n, estimator, converged, fit, estimates (lavaan's parameter table;
        ``group`` per row in multi-group fits), r2, validity (CR and AVE per
        factor, HTMT pairs; per group in multi-group fits), warnings, and
        groups (level and n) in multi-group fits.
        """
        from sqresearch.jsondoc import code

        estimates = self.estimates.copy()
        data = self._data if self._data is not None else self._frame
        if self.groups is None:
            r2 = self.r2.to_dict()
            validity = _validity(estimates, data)
        else:
            estimates["group"] = [code(g) if g != "" else None for g in estimates["group"]]
            r2 = {str(code(g)): self.r2.loc[g].to_dict() for g in self.groups}
            validity = {
                str(code(g)): _validity(
                    self.estimates[self.estimates["group"] == g].drop(columns="group"),
                    data[data[self._group] == g],
                )
                for g in self.groups
            }
        doc = {
            "n": self.n,
            "estimator": self.estimator,
            "converged": self.converged,
            "fit": self.fit,
            "estimates": estimates.to_dict(orient="records"),
            "r2": r2,
            "validity": validity,
            "warnings": list(self.warnings),
        }
        if self.groups:
            doc["groups"] = [{"level": code(g), "n": n} for g, n in self.group_sizes.items()]
        return doc

    def _repr_html_(self) -> str:
        f = self.fit
        head = (
            f"<p><b>SEM</b> ({'FIML' if self.missing == 'fiml' else 'ML'}), n = {self.n}"
            + (f", groups: {html.escape(', '.join(map(str, self.groups)))}" if self.groups else "")
            + f"; converged: {self.converged}</p>"
            f"<p>χ²({f['df']}) = {f['chisq']:.3f}, p = {f['pvalue']:.3f}; CFI = {f['cfi']:.3f}, "
            f"TLI = {f['tli']:.3f}, RMSEA = {f['rmsea']:.3f} "
            f"[{f['rmsea_ci_lower']:.3f}, {f['rmsea_ci_upper']:.3f}], SRMR = {f['srmr']:.3f}</p>"
        )
        notes = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings)
        table = self.estimates.to_html(index=False, float_format=lambda x: f"{x:.3f}", na_rep="")
        return head + (f"<ul>{notes}</ul>" if notes else "") + table


def _validity(estimates: pd.DataFrame, data: pd.DataFrame) -> dict:
    """CR and AVE per factor and the HTMT pairs of a fitted model, for :meth:`SEMResult.to_dict`."""
    # measure/ builds on this engine; its validity measures are imported when asked for
    from sqresearch.measure.validity import (
        blocks_from_estimates,
        composite_reliability,
        htmt_pairs,
    )

    measurement = estimates[estimates["op"] != ":="]
    if not (measurement["op"] == "=~").any():
        return {"htmt": []}
    table = composite_reliability(measurement)
    out: dict = {factor: {"cr": row["cr"], "ave": row["ave"]} for factor, row in table.iterrows()}
    blocks = blocks_from_estimates(measurement)
    observed_blocks = {f: items for f, items in blocks.items() if not set(items) & set(blocks)}
    pairs = htmt_pairs(data, observed_blocks) if len(observed_blocks) > 1 else pd.DataFrame()
    out["htmt"] = pairs.values.tolist()
    return out


def _numeric_columns(data: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InputError(
            "the model names a variable that is not a column of the data",
            column=missing[0],
            hint=f"columns available: {', '.join(map(str, data.columns[:20]))}",
        )
    subset = data[columns]
    if all(t.kind in "fiu" for t in subset.dtypes):  # numbers (nullable Int64/Float64 too)
        return subset.astype(float)
    out = {}
    for col in columns:
        values = pd.to_numeric(data[col], errors="coerce")
        bad = values.isna() & data[col].notna()
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                "not a number",
                column=col,
                row=pos + 1,
                value=data[col].iloc[pos],
                hint="recode text answers to numbers before fitting",
            )
        out[col] = values.astype(float)
    return pd.DataFrame(out, index=data.index)


def _semopy_description(table: pd.DataFrame, alias: dict[str, str]) -> str:
    """The covariance structure of the table as explicit semopy syntax (one label per free id).

    semopy would otherwise add its own defaults (no residual covariances of
    dependent variables, unlike lavaan's ``auto.cov.y``); fixed.x covariates
    are left out so that semopy fixes them at their sample moments as lavaan
    does, and so are ``~1`` rows (semopy fits the covariances only).
    """
    lines = []
    for row in table.itertuples(index=False):
        if row.exo or row.op == "~1":
            continue
        mod = f"p{row.free}" if row.free else repr(float(row.ustart))
        lines.append(f"{alias[row.lhs]} {row.op} {mod}*{alias[row.rhs]}")
    return "\n".join(lines)


def _semopy_estimates(problem: MLProblem, start: np.ndarray) -> np.ndarray | None:
    """θ estimated by semopy's SLSQP on the (EM) covariance matrix, or None when it cannot.

    The fallback for a single-group model whose Newton steps from
    :func:`~sqresearch.sem.start.moment_start` do not converge (e.g. an
    inadmissible method-factor model): semopy's own starting values and
    optimiser find lavaan's optimum there. semopy is imported here only: its
    import (sympy, statsmodels) costs seconds, and ordinary fits never need
    it. Mean parameters stay at ``start``.
    """
    import semopy

    structure = problem.structures[0]
    observed, latent = structure.observed, structure.latent
    alias = {v: f"v{k}" for k, v in enumerate(observed)} | {
        v: f"f{k}" for k, v in enumerate(latent)
    }
    description = _semopy_description(problem.table, alias)
    names = [alias[v] for v in observed]
    source = {
        "cov": pd.DataFrame(problem.data[0].cov, index=names, columns=names),
        "n_samples": problem.data[0].n,
    }
    logger = logging.getLogger("semopy")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        model = semopy.Model(description, cov_diag=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(**source, solver="SLSQP", options={"ftol": 1e-12, "maxiter": 10000})
    except Exception:  # noqa: BLE001 - semopy raises bare Exceptions on odd tables
        return None
    finally:
        logger.setLevel(level)
    active = [name for name, p in model.parameters.items() if p.active]
    covariance = problem.table["op"].to_numpy() != "~1"
    ids = np.unique(problem.free[covariance & (problem.free > 0)])
    if set(active) != {f"p{k}" for k in ids}:  # semopy added or dropped parameters
        return None
    position = {name: i for i, name in enumerate(active)}
    theta = start.copy()
    theta[ids - 1] = [model.param_vals[position[f"p{k}"]] for k in ids]
    return theta


def _previous_start(problem: MLProblem, previous: SEMResult, start: np.ndarray) -> np.ndarray:
    """Starting values from a previous fit's estimates, matched by lhs, op, rhs (and group)."""
    est = previous.estimates
    levels = previous.groups or [""]
    position = {g: k for k, g in enumerate(levels)}
    groups = est["group"].tolist() if "group" in est.columns else [""] * len(est)
    by_key = {
        (lhs, op, rhs, position.get(g, 0)): value
        for lhs, op, rhs, g, value in zip(
            est["lhs"].tolist(),
            est["op"].tolist(),
            est["rhs"].tolist(),
            groups,
            est["est"].tolist(),
            strict=True,
        )
        if op != ":="
    }
    table = problem.table
    rows = problem.first_row
    columns = [table[c].to_numpy()[rows].tolist() for c in ("lhs", "op", "rhs", "group")]
    out = start.copy()
    for k, key in enumerate(zip(*columns, strict=True)):
        value = by_key.get((key[0], key[1], key[2], int(key[3])))
        if value is not None and np.isfinite(value):
            out[k] = value
    return out


def _fill_exogenous(table: pd.DataFrame, data: list[GroupData], observed: list[str]) -> None:
    """fixed.x: exogenous covariates' (co)variances and means are their sample values."""
    idx = {v: i for i, v in enumerate(observed)}
    rows = np.flatnonzero(table["exo"].to_numpy() == 1)
    if not len(rows):
        return
    lhs, op, rhs, group = (table[c].to_numpy()[rows] for c in ("lhs", "op", "rhs", "group"))
    ustart = table["ustart"].to_numpy(dtype=float).copy()
    for r, left, o, right, g in zip(rows, lhs, op, rhs, group, strict=True):
        d = data[int(g)]
        ustart[r] = d.cov[idx[left], idx[right]] if o == "~~" else d.mean[idx[left]]
    table["ustart"] = ustart


def _std_all(problem: MLProblem, values: np.ndarray) -> np.ndarray:
    """lavaan's std.all for every table row (lav_standardize_all)."""
    table = problem.table
    out = np.full(len(table), np.nan)
    for st in problem.structures:
        mom = st.moments(values)
        var = np.diag(mom["C"])
        s = mom["S"]
        sd = np.sqrt(np.where(var > 0, var, np.nan))
        i, j, est = st.i, st.j, values[st.rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            std = est / sd[i]  # means and intercepts
            a = st.kind == "A"  # effect of j on i (loading or regression)
            std[a] = est[a] * sd[j[a]] / sd[i[a]]
            var_row = (st.kind == "S") & (i == j)
            std[var_row] = est[var_row] / var[i[var_row]]
            cov_row = (st.kind == "S") & (i != j)  # over the residual (co)variance parameters
            ic, jc = i[cov_row], j[cov_row]
            std[cov_row] = est[cov_row] / np.sqrt(np.abs(s[ic, ic]) * np.abs(s[jc, jc]))
        out[st.rows] = std
    return out


def _two_sided_p(z: np.ndarray) -> np.ndarray:
    """2·P(Z > |z|), as ``2 * stats.norm.sf(abs(z))`` (the ufunc it calls, without the overhead)."""
    return 2 * special.ndtr(-np.abs(z))


def _label_values(table: pd.DataFrame, values: np.ndarray) -> dict[str, float]:
    """Each label's value (of its first row); a column of values for a stack (B, rows)."""
    labels = table["label"].to_numpy()
    out: dict[str, float] = {}
    for r, label in enumerate(labels):
        if label and label not in out:
            out[label] = float(values[r]) if values.ndim == 1 else values[:, r]
    return out


def _defined(parsed: ParsedModel, labels: dict[str, float]) -> list[float]:
    """Defined parameters, in order; a later definition may use an earlier one."""
    scope = dict(labels)
    out = []
    for d in parsed.definitions:
        value = evaluate_definition(d.expression, scope)
        scope[d.name] = value
        out.append(value)
    return out


def _defined_jacobian(problem: MLProblem, parsed: ParsedModel, theta: np.ndarray) -> np.ndarray:
    """∂(defined)/∂θ by central differences (the delta method's gradient)."""
    jac = np.zeros((len(parsed.definitions), problem.n_free))
    labels = _label_values(problem.table, problem.values(theta))
    # a label takes the value of its first row: θ_k moves the labels whose first row is k
    owner: dict[str, int] = {}
    for label, free in zip(problem.table["label"], problem.free, strict=True):
        if label and label not in owner:
            owner[label] = int(free) - 1
    for k in sorted(set(owner.values()) - {-1}):
        step = 1e-6 * max(1.0, abs(theta[k]))
        names = [label for label, owned in owner.items() if owned == k]
        f_up = _defined(parsed, labels | {name: float(theta[k] + step) for name in names})
        f_down = _defined(parsed, labels | {name: float(theta[k] - step) for name in names})
        jac[:, k] = (np.array(f_up) - np.array(f_down)) / (2 * step)
    return jac


def _check_definitions(parsed: ParsedModel, table: pd.DataFrame) -> None:
    labels = set(table["label"]) - {""}
    scope = dict.fromkeys(labels, 1.0)
    for d in parsed.definitions:
        if d.name in labels:
            raise ModelError(f"the defined parameter {d.name!r} has the name of a label")
        scope[d.name] = evaluate_definition(d.expression, scope)


@carries_warnings
def fit_sem(
    model: str,
    data: pd.DataFrame,
    *,
    missing: str = "listwise",
    group: str | None = None,
    group_equal: list[str] | None = None,
    group_partial: list[str] | None = None,
    std_lv: bool = False,
    fixed_x: bool = True,
    start: SEMResult | None = None,
    estimator: str = "ML",
    ordered: list[str] | bool | None = None,
    check: bool = False,
) -> SEMResult:
    """Fit a model in lavaan syntax by maximum likelihood, reported as lavaan.

    Parameters
    ----------
    model : str
        lavaan syntax: ``=~ ~ ~~ ~1 :=``, labels (``a*x``), fixed values
        (``1*x``), ``NA*x``, per-group modifiers ``c(a, b)*x``.
    data : DataFrame
        Raw data; columns named as in the model.
    missing : {"listwise", "fiml", "pairwise"}
        Listwise deletion within the model's variables (lavaan's default),
        or full-information ML (lavaan ``missing = "ml"``): rows with every
        variable missing are dropped, and rows missing an exogenous
        covariate (fixed.x), as lavaan does. "pairwise" is for WLSMV only
        (pairwise polychorics, lavaan ``missing = "pairwise"``).
    group : str, optional
        Column defining groups: one joint multi-group fit with a mean
        structure, groups in order of first appearance.
    group_equal : list of str, optional
        lavaan's ``group.equal``: "loadings", "intercepts", "means",
        "residuals", "residual.covariances", "lv.variances",
        "lv.covariances", "regressions".
    group_partial : list of str, optional
        Parameters exempt from ``group_equal``, e.g. ``["x3 ~1", "visual =~ x2"]``.
    std_lv : bool
        Scale latent variables by fixing their variances to 1; as lavaan, each
        factor is then oriented so that its first loading is positive.
    fixed_x : bool
        Treat exogenous observed covariates as fixed at their sample moments
        (lavaan's default): logL, AIC and BIC are then conditional on them.
        With False their variances, covariances (and means) are free
        parameters, as lavaan's ``fixed.x = FALSE``.
    start : SEMResult, optional
        A previous fit whose estimates (matched by lhs, op, rhs and group)
        start the optimisation, as lavaan's ``start = fit`` (e.g. the
        configural model for the metric one).
    estimator : {"ML", "MLR", "MLM", "WLSMV"}
        ML with robust standard errors and a scaled test, as lavaan's
        ``estimator =``: "MLR" (Huber–White SEs, Yuan–Bentler χ²; complete
        data or FIML) or "MLM" (Satorra–Bentler; complete data). The fit
        gains lavaan's ``*_scaled`` and ``*_robust`` measures; see
        :mod:`sqresearch.sem.robust`. "WLSMV" with ``ordered`` items:
        polychoric correlations, DWLS, robust SEs and lavaan's
        scaled-shifted χ² (:mod:`sqresearch.sem.ordinal`).
    ordered : list of str or True, optional
        Items to treat as ordered categorical (True: all), for WLSMV.
    check : bool
        First refuse data a SEM cannot be estimated from, with a message
        naming the column, and warn about nearly constant variables
        (:func:`~sqresearch.sem.precheck.check_sem_data`), as ``sqresearch
        sem`` does.  Off by default: on a small model it costs a large share
        of the fit itself (HS1939: about 20 ms beside 35 ms), which power
        loops would repeat.

    Returns
    -------
    SEMResult
        Its ``warnings`` hold every warning raised while fitting (nearly
        constant variables, Heywood cases, ...), one line each.

    Notes
    -----
    Estimates agree with lavaan 0.6 to about 1e-6; fit measures use
    lavaan's definitions (see :mod:`sqresearch.sem.fit_indices`).

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> res = fit_sem("visual =~ x1 + x2 + x3\\ntextual =~ x4 + x5 + x6\\n"
    ...               "speed =~ x7 + x8 + x9", hs)
    >>> # In R: fitMeasures(cfa(HS.model, data = HolzingerSwineford1939))
    >>> round(res.fit["chisq"], 3), res.fit["df"], round(res.fit["rmsea"], 3)
    (85.306, 24, 0.092)
    """
    estimator = check_estimator(estimator, missing, ordered)
    if check:
        check_sem_data(model, data, group=group, missing=missing)
    if estimator == "WLSMV":
        with _blas_controller().limit(limits=1, user_api="blas"):
            result = fit_wlsmv(
                model, data, ordered=ordered, std_lv=std_lv, missing=missing,
                group=group, group_equal=group_equal, group_partial=group_partial,
            )  # fmt: skip
        result._data, result._group = data, group
        return result
    # the matrices of a survey model are small (p < 100): one BLAS thread is faster
    # than several, and much faster when other processes load the cores
    with _blas_controller().limit(limits=1, user_api="blas"):
        result = _fit_sem(
            model,
            data,
            missing=missing,
            group=group,
            group_equal=group_equal,
            group_partial=group_partial,
            std_lv=std_lv,
            fixed_x=fixed_x,
            start=start,
            estimator=estimator,
        )
    result._data, result._group = data, group
    return result


def _fit_sem(
    model, data, *, missing, group, group_equal, group_partial, std_lv, fixed_x, start, estimator
):
    parsed = parse_model(model)
    roles = variable_roles(parsed.statements, fixed_x=fixed_x)
    observed, latent = roles.ov, roles.lv
    fiml = missing == "fiml"
    if group is not None and group not in data.columns:
        raise InputError("the group column is not in the data", column=group)

    frame = _numeric_columns(data, observed)
    if group is not None:
        keep = data[group].notna()
        frame, labels = frame[keep], data.loc[keep, group]
    if fiml:
        keep = frame.notna().any(axis=1) & frame[roles.ov_x].notna().all(axis=1)
    else:
        keep = frame.notna().all(axis=1)
    if not keep.all():
        frame = frame[keep]
    groups = list(pd.unique(labels[keep])) if group is not None else None
    parts = [frame[(labels[keep] == g).to_numpy()] for g in groups] if groups else [frame]
    for g, part in zip(groups or [None], parts, strict=True):
        where = f" in group {g!r}" if g is not None else ""
        if len(part) < 2:
            raise InputError(f"fewer than 2 usable rows{where}", column=group, value=g)
        x = part.to_numpy()
        flat = np.fmax.reduce(x, axis=0) == np.fmin.reduce(x, axis=0)  # NaN ignored
        if flat.any():
            raise InputError(
                f"the variable has no variance{where}", column=part.columns[np.argmax(flat)]
            )

    group_data = [
        GroupData.incomplete(p.to_numpy()) if fiml else GroupData.complete(p.to_numpy())
        for p in parts
    ]
    # the mean structure: FIML and multi-group fits have one, as in lavaan
    meanstructure = fiml or groups is not None
    table = parameter_table(
        parsed,
        groups=groups,
        meanstructure=meanstructure,
        std_lv=std_lv,
        fixed_x=fixed_x,
        group_equal=group_equal,
        group_partial=group_partial,
    )
    _fill_exogenous(table, group_data, observed)
    _check_definitions(parsed, table)
    structures = [
        GroupStructure.from_table(table, g, observed, latent) for g in range(len(group_data))
    ]
    problem = MLProblem(table, structures, group_data, meanstructure, fiml=fiml)

    units = _units(group_data)
    result = _rescaled_estimates(problem, units) if units is not None else None
    theta, converged = result if result is not None else _estimate(problem, start=start)
    if std_lv:
        theta = _first_loading_positive(problem, theta)
    result = _result(problem, parsed, theta, converged, roles, missing, groups, frame)
    if estimator != "ML":
        result = apply_robust(result, [p.to_numpy() for p in parts], estimator)
    return result


def _estimate(problem: MLProblem, *, start: SEMResult | None = None) -> tuple[np.ndarray, bool]:
    """ML (or FIML) estimates of ``problem``'s free parameters and whether they converged."""
    # FIML starts from the complete-data ML fit to the EM moments (two-stage ML)
    ml = problem.on_moments() if problem.fiml else problem
    # Fisher scoring from closed-form starting values (sem/start.py); semopy's SLSQP
    # fit, used here before, took 80% of the time and gave the same optimum
    theta0 = moment_start(ml)
    if start is not None:
        theta0 = _previous_start(ml, start, theta0)
    theta, converged = ml.polish(theta0)
    if converged:
        return _fiml_estimates(problem, ml, theta) if problem.fiml else (theta, converged)
    # hard cases (e.g. an inadmissible method-factor model): lavaan's simple values,
    # then semopy's own start and SLSQP, then BFGS
    theta0 = simple_start(ml)
    if start is not None:
        theta0 = _previous_start(ml, start, theta0)
    theta, converged = ml.polish(theta0)
    marked = problem.table[(problem.table["op"] == "=~") & (problem.free == 0)]["lhs"]
    latent = problem.structures[0].latent
    if not converged and len(problem.structures) == 1 and set(marked) >= set(latent):
        # semopy's starting values loop forever for a factor without a fixed loading
        theta_s = _semopy_estimates(ml, theta0)
        if theta_s is not None:
            theta, converged = ml.polish(theta_s)
    if not converged:
        theta, converged = ml.minimize(theta0)
    if problem.fiml:
        theta, converged = _fiml_estimates(problem, ml, theta)
    return theta, converged


def _units(data: list[GroupData]) -> np.ndarray | None:
    """Each observed variable's SD (pooled over groups) when variances differ beyond lavaan's limit.

    lavaan warns when the largest observed variance is more than 1000 times
    the smallest (``thresholds.variance_ratio``); such data are then
    estimated in SD units (:func:`_rescaled_estimates`).
    """
    var = np.array([np.diag(d.cov) for d in data])
    if passes("variance_ratio", float(var.max() / var.min())):
        return None
    return np.sqrt(var.mean(axis=0))


def _rescaled_estimates(problem: MLProblem, units: np.ndarray) -> tuple[np.ndarray, bool] | None:
    """Estimates found on the data divided by ``units``, then polished in the original units.

    ML is equivariant under rescaling of the observed variables: dividing
    variable i by c_i and each factor by the unit of its marker indicator
    (1 when its variance is fixed) maps every parameter to itself times a
    product of units. Steps and convergence checks of the optimiser are then
    made on numbers of similar size. Returns None when fixed values or
    equality constraints do not allow the mapping (e.g. one label on
    indicators in different units); the model is then estimated as it is.
    """
    table = problem.table
    st0 = problem.structures[0]
    observed, latent = st0.observed, st0.latent
    scale = np.concatenate([units, np.ones(len(latent))])
    position = {v: k for k, v in enumerate([*observed, *latent])}
    # a factor takes the unit of its fixed-loading indicator (higher-order factors: of the factor)
    markers = table[(table["op"] == "=~") & (table["free"] == 0) & (table["ustart"] != 0)]
    for _ in range(len(latent)):
        for row in markers.itertuples(index=False):
            scale[position[row.lhs]] = scale[position[row.rhs]]
    factor = np.ones(len(table))
    for st in problem.structures:
        factor[st.rows] = np.where(
            st.kind == "m",
            scale[st.i],
            scale[st.i] * np.where(st.kind == "A", 1 / scale[st.j], scale[st.j]),
        )
    exo = table["exo"].to_numpy() == 1
    fixed = (problem.free == 0) & ~exo & (problem.fixed_values != 0)
    if not np.allclose(factor[fixed], 1.0):
        return None
    free = problem.free > 0
    for k in np.unique(problem.free[free]):
        if np.ptp(factor[problem.free == k]) > 1e-12 * factor[problem.free == k].max():
            return None
    data = [d.rescaled(units) for d in problem.data]
    scaled_table = table.copy()
    _fill_exogenous(scaled_table, data, observed)
    scaled = MLProblem(
        scaled_table,
        [GroupStructure.from_table(scaled_table, g, observed, latent) for g in range(len(data))],
        data,
        problem.meanstructure,
        fiml=problem.fiml,
    )
    theta_s, _ = _estimate(scaled)
    return problem.polish(problem.theta(scaled.values(theta_s) * factor))


def _first_loading_positive(problem: MLProblem, theta: np.ndarray) -> np.ndarray:
    """lavaan's sign convention under std.lv: flip each factor whose first loading is negative.

    Flipping factor f multiplies every parameter involving f once (its
    loadings, paths into and out of it, its covariances, its mean) by −1;
    Σ(θ), μ(θ) and the fit are unchanged. A flip that equality
    constraints forbid (one id on rows of both signs) is not made.
    """
    values = problem.values(theta)
    table = problem.table
    factor = np.ones(len(values))
    for st in problem.structures:
        sign = np.ones(st.n_var)
        loadings = st.rows[(st.kind == "A") & (table["op"].to_numpy()[st.rows] == "=~")]
        seen: set[str] = set()
        for r in loadings:
            lhs = table.at[r, "lhs"]
            if lhs not in seen:
                seen.add(lhs)
                if values[r] < 0:
                    sign[st.p + st.latent.index(lhs)] = -1.0
        if (sign > 0).all():
            continue
        factor[st.rows] = np.where(st.kind == "m", sign[st.i], sign[st.i] * sign[st.j])
    if (factor > 0).all():
        return theta
    flipped = values * factor
    candidate = problem.theta(flipped)
    return candidate if np.allclose(problem.values(candidate), flipped) else theta


def _fiml_estimates(
    problem: MLProblem, ml: MLProblem, theta: np.ndarray
) -> tuple[np.ndarray, bool]:
    """FIML estimates from the two-stage ones: fixed-metric scoring, then Newton steps.

    The metric is the complete-data expected information at the two-stage
    estimates; the final Newton step (observed information, needed for the
    standard errors anyway) confirms convergence. BFGS if that fails.
    """
    try:
        theta = problem.refine(theta, ml.expected_information(theta) / problem.n_total)
    except np.linalg.LinAlgError:
        pass
    theta_out, converged = problem.polish(theta)
    if not converged:
        theta_out, converged = problem.minimize(theta)
    return theta_out, converged


def _result(problem, parsed, theta, converged, roles, missing, groups, frame) -> SEMResult:
    table = problem.table
    values = problem.values(theta)
    notes: list[str] = []
    info = problem.information(theta)
    n_moments_one = _n_moments(len(roles.ov), len(roles.ov_x), problem.meanstructure)
    df = n_moments_one * len(problem.data) - problem.n_free
    try:
        # judged on the unit-diagonal form: the units of the variables do not matter
        unit = np.sqrt(np.abs(np.diag(info)))
        unit = np.where(unit > 0, unit, 1.0)
        scaled = info / np.outer(unit, unit)
        acov = np.linalg.inv(scaled) / np.outer(unit, unit)
        eig = np.linalg.eigvalsh(scaled)
        singular = eig.min() <= 1e-10 * max(eig.max(), 1.0)
    except np.linalg.LinAlgError:
        acov, singular = np.full_like(info, np.nan), True
    if singular:
        acov = np.full_like(info, np.nan)
        notes.append(
            "The information matrix is singular: the model may not be identified; "
            "standard errors are not available."
        )
    if df < 0:
        notes.append(
            f"The model has more free parameters than data moments (df = {df}): it is not identified."
        )
    if not converged:
        notes.append("The estimation did not converge: estimates may be unreliable.")
    variances = pd.Series(np.max([np.diag(d.cov) for d in problem.data], axis=0), index=roles.ov)
    if not passes("variance_ratio", float(variances.max() / variances.min())):
        notes.append(
            f"Some observed variances are more than {threshold('variance_ratio'):g} times "
            f"larger than others ({variances.idxmax()}: {variances.max():.4g}; "
            f"{variances.idxmin()}: {variances.min():.4g}), as lavaan warns; "
            "consider rescaling the variables (e.g. income in thousands)."
        )

    se_free = np.sqrt(np.where(np.diag(acov) >= 0, np.diag(acov), np.nan))
    free = problem.free
    se = np.where(free > 0, se_free[np.maximum(free, 1) - 1], 0.0)
    est = values
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(free > 0, est / se, np.nan)
    std = _std_all(problem, values)
    columns = {c: table[c].to_numpy() for c in ("lhs", "op", "rhs")}
    if groups is not None:
        columns["group"] = [groups[g] for g in table["group"]]
    estimates = pd.DataFrame(
        columns
        | {"label": table["label"].to_numpy(), "est": est, "se": se, "z": z}
        | {"pvalue": _two_sided_p(z), "std_all": std}
    )

    if parsed.definitions:
        labels = _label_values(table, values)
        std_labels = _label_values(table, std)
        def_est = np.array(_defined(parsed, labels))
        jac = _defined_jacobian(problem, parsed, theta)
        def_se = np.sqrt(np.einsum("ij,jk,ik->i", jac, acov, jac))
        def_std = _defined(parsed, std_labels)
        rows = pd.DataFrame(
            {
                "lhs": [d.name for d in parsed.definitions],
                "op": ":=",
                "rhs": [d.expression for d in parsed.definitions],
                "label": [d.name for d in parsed.definitions],
                "est": def_est,
                "se": def_se,
                "z": def_est / def_se,
                "pvalue": _two_sided_p(def_est / def_se),
                "std_all": def_std,
            }
        )
        if groups is not None:
            rows.insert(3, "group", "")
        estimates = pd.concat([estimates, rows], ignore_index=True)

    covariates = variable_roles(parsed.statements).ov_x  # exogenous, fixed or not
    fit = _fit(problem, theta, roles, covariates, df)
    r2, notes_more = _r2_and_checks(problem, values, std, roles, covariates, groups)
    notes += notes_more
    for note in notes:
        warnings.warn(note, SEMWarning, stacklevel=3)

    observed = roles.ov
    variables = pd.Index(observed)  # one index for every matrix (building it is the costly part)

    def frame_of(matrix):
        return pd.DataFrame(matrix, index=variables, columns=variables)

    implied = [frame_of(sigma) for sigma, _ in problem.implied(theta)]
    sample = [frame_of(d.cov) for d in problem.data]
    if groups is None:
        implied_cov, sample_cov = implied[0], sample[0]
    else:
        implied_cov = dict(zip(groups, implied, strict=True))
        sample_cov = dict(zip(groups, sample, strict=True))
    return SEMResult(
        estimates=estimates,
        fit=fit,
        r2=r2,
        n=problem.n_total,
        converged=converged,
        warnings=notes,
        latent_variables=list(roles.lv),
        observed_variables=list(observed),
        implied_cov=implied_cov,
        sample_cov=sample_cov,
        missing=missing,
        groups=groups,
        group_sizes=dict(zip(groups, [d.n for d in problem.data], strict=True)) if groups else None,
        acov=acov,
        _problem=problem,
        _theta=theta,
        _parsed=parsed,
        _frame=frame,
    )


def _n_moments(p: int, nx: int, means: bool) -> int:
    """Sample moments one group contributes (fixed.x moments excluded, as lavaan)."""
    count = p * (p + 1) // 2 - nx * (nx + 1) // 2
    return count + (p - nx if means else 0)


def _fit(problem: MLProblem, theta: np.ndarray, roles, covariates: list[str], df: int) -> dict:
    """lavaan's fit measures; ``covariates`` are the exogenous observed ones, fixed or not."""
    x_idx = [roles.ov.index(v) for v in roles.ov_x]
    # the independence model keeps the covariates' block whatever fixed.x says
    xb_idx = [roles.ov.index(v) for v in covariates]
    chisq = baseline = 0.0
    gfi = 0.0
    residuals: dict[str, float] = {}
    loglik = problem.loglik(theta)
    unrestricted = 0.0
    for (sigma, mu), data in zip(problem.implied(theta), problem.data, strict=True):
        # independence model: variances (and means) free, fixed.x block at its sample values
        sigma_b = np.diag(np.diag(data.cov))
        sigma_b[np.ix_(xb_idx, xb_idx)] = data.cov[np.ix_(xb_idx, xb_idx)]
        if data.patterns:
            sat = fiml_loglik(data.cov, data.mean, data.batches)
            chisq += -2 * (fiml_loglik(sigma, mu, data.batches) - sat)
            mean_b, var_b = _available_case_moments(data)
            sigma_b[np.diag_indices_from(sigma_b)] = var_b
            sigma_b[np.ix_(xb_idx, xb_idx)] = data.cov[np.ix_(xb_idx, xb_idx)]
            mean_b[xb_idx] = data.mean[xb_idx]
            baseline += -2 * (fiml_loglik(sigma_b, mean_b, data.batches) - sat)
        else:
            sat = loglik_complete(data.cov, None, data)
            chisq += data.n * ml_discrepancy(sigma, mu, data)
            baseline += data.n * ml_discrepancy(sigma_b, None, data)
        unrestricted += sat
        if x_idx:  # fixed.x: lavaan's logL is conditional on the covariates
            block = np.ix_(x_idx, x_idx)
            x_data = GroupData(data.n, data.mean[x_idx], data.cov[block])
            x_loglik = loglik_complete(x_data.cov, None, x_data)
            loglik -= x_loglik
            unrestricted -= x_loglik
        weight = data.n / problem.n_total
        mean = data.mean if mu is not None else None
        for key, value in residual_rms(data.cov, mean, sigma, mu).items():
            residuals[key] = residuals.get(key, 0.0) + weight * value
        if data.batches:  # lavaan's GFI compares its pairwise sample statistics with Σ̂, μ̂
            mean_s, cov_s = pairwise_moments(data.batches)
        else:
            mean_s, cov_s = mean, data.cov
        gfi += weight * gfi_group(cov_s, mean_s, sigma, mu, x_idx=x_idx, batches=data.batches)
    p, nx, n_groups = len(roles.ov), len(covariates), len(problem.data)
    baseline_df = n_groups * (p * (p + 1) // 2 - nx * (nx + 1) // 2 - (p - nx))
    return fit_measures(
        chisq=float(chisq),
        df=int(df),
        baseline_chisq=float(baseline),
        baseline_df=int(baseline_df),
        n=problem.n_total,
        n_groups=n_groups,
        npar=problem.n_free,
        loglik=loglik,
        unrestricted_loglik=float(unrestricted),
        residuals=residuals,
        gfi=float(gfi),
        n_moments=p * (p + 1) // 2 + (p if problem.meanstructure else 0),
    )


def _available_case_moments(data: GroupData) -> tuple[np.ndarray, np.ndarray]:
    """Per-variable ML means and variances over the cases observing it (FIML baseline)."""
    p = len(data.mean)
    total, count, squares = np.zeros(p), np.zeros(p), np.zeros(p)
    for pat in data.patterns:
        total[pat.observed] += pat.n * pat.mean
        count[pat.observed] += pat.n
        squares[pat.observed] += pat.n * (np.diag(pat.cov) + pat.mean**2)
    mean = total / count
    return mean, squares / count - mean**2


def _r2_and_checks(
    problem: MLProblem, values, std, roles, covariates, groups
) -> tuple[pd.Series, list[str]]:
    """R² (lavaan's inspect(fit, "r2")) and plain-words warnings about the solution."""
    table = problem.table
    notes: list[str] = []
    r2_parts = {}
    names = [v for v in [*roles.ov_nox, *roles.lv_nox] if v not in covariates]
    for g, st in enumerate(problem.structures):
        where = f" in group {groups[g]!r}" if groups else ""
        mom = st.moments(values)
        s = mom["S"]
        position = {v: k for k, v in enumerate([*st.observed, *st.latent])}
        var = np.diag(mom["C"])
        r2_parts[g] = pd.Series(
            [1 - s[position[v], position[v]] / var[position[v]] for v in names],
            index=names,
            dtype=float,
        )
        for v in [*st.observed, *st.latent]:
            k = position[v]
            if s[k, k] < 0:
                notes.append(
                    f"Heywood case{where}: the (residual) variance of {v} is negative "
                    f"({s[k, k]:.3f}); the model may be misspecified or the sample too small."
                )
        if np.linalg.eigvalsh(mom["sigma"]).min() <= 0:
            notes.append(f"The model-implied covariance matrix{where} is not positive definite.")
        sd = np.sqrt(np.diag(problem.data[g].cov))
        if np.linalg.eigvalsh(problem.data[g].cov / np.outer(sd, sd)).min() <= 1e-10:
            notes.append(
                f"The sample covariance matrix{where} is not positive definite "
                "(a variable may be a linear combination of others)."
            )
        n_obs = st.p
        lat = mom["C"][n_obs:, n_obs:]
        if len(lat) and np.linalg.eigvalsh(lat).min() <= 0:
            notes.append(
                f"The covariance matrix of the latent variables{where} is not positive definite "
                "(a correlation between factors is 1 or more)."
            )
    rows = (table["op"].to_numpy() == "=~") & (np.abs(std) > 1)
    for r in np.flatnonzero(rows):
        row = table.iloc[r]
        where = f" in group {groups[int(row.group)]!r}" if groups else ""
        notes.append(
            f"Heywood case{where}: the standardised loading of {row.rhs} on {row.lhs} "
            f"is {std[r]:.3f}, beyond ±1."
        )
    if groups is None:
        r2 = r2_parts[0]
    else:
        r2 = pd.concat({groups[g]: s for g, s in r2_parts.items()}, names=["group", "variable"])
    r2.name = "r2"
    return r2, notes


@dataclass
class SEMBootstrap:
    """Bootstrap distribution of a SEM's free and defined parameters.

    Attributes
    ----------
    table : DataFrame
        lhs, op, rhs, label, est, boot_se, ci_lower, ci_upper (percentile),
        bc_lower, bc_upper (bias-corrected) for every free and ``:=`` row.
    draws : ndarray
        One row per resample, one column per row of ``table`` (NaN when a
        resample did not converge).
    n_boot, n_failed : int
    seed : int or None
    level : float
    """

    table: pd.DataFrame
    draws: np.ndarray = field(repr=False)
    n_boot: int
    n_failed: int
    seed: int | None
    level: float

    def defined_effects(self, ci_method: str = "percentile") -> pd.DataFrame:
        """The ``:=`` parameters with their interval and verdict (:func:`defined_effects`)."""
        return defined_effects(self.table, ci_method)

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>SEM bootstrap</b>: {self.n_boot} resamples ({self.n_failed} failed), "
            f"seed {self.seed}, {self.level:.0%} percentile and bias-corrected CIs</p>"
        )
        return head + self.table.to_html(index=False, float_format=lambda x: f"{x:.3f}")


def defined_effects(table: pd.DataFrame, ci_method: str = "percentile") -> pd.DataFrame:
    """The ``:=`` rows of a bootstrap table with the chosen interval and whether it excludes 0.

    Parameters
    ----------
    table : DataFrame
        :attr:`SEMBootstrap.table` (lavaan layout plus boot_se, ci_lower,
        ci_upper, bc_lower, bc_upper).
    ci_method : {"percentile", "bc"}

    Returns
    -------
    DataFrame
        lhs, rhs, est, boot_se, ci_lower, ci_upper (of ``ci_method``),
        significant (the interval excludes 0).

    Examples
    --------
    >>> t = pd.DataFrame({"lhs": ["ab"], "op": [":="], "rhs": ["a*b"], "est": [0.2],
    ...                   "boot_se": [0.05], "ci_lower": [0.1], "ci_upper": [0.3]})
    >>> defined_effects(t)["significant"].tolist()
    [True]
    """
    columns = {"percentile": ("ci_lower", "ci_upper"), "bc": ("bc_lower", "bc_upper")}
    if ci_method not in columns:
        raise InputError(f"unknown bootstrap interval {ci_method!r}", hint="percentile or bc")
    lower, upper = columns[ci_method]
    defined = table[table["op"] == ":="]
    if defined.empty:
        raise InputError(
            "no defined parameters (op ':=') in the bootstrap table",
            hint="define indirect effects in the model, e.g. ind := a*b",
        )
    out = pd.DataFrame(
        {
            "lhs": defined["lhs"].to_numpy(),
            "rhs": defined["rhs"].to_numpy(),
            "est": defined["est"].to_numpy(),
            "boot_se": defined["boot_se"].to_numpy(),
            "ci_lower": defined[lower].to_numpy(),
            "ci_upper": defined[upper].to_numpy(),
        }
    )
    out["significant"] = ~((out["ci_lower"] <= 0) & (0 <= out["ci_upper"]))
    return out


def _bootstrap_chunk(
    problem: MLProblem,
    x: np.ndarray,
    theta_hat: np.ndarray,
    parsed: ParsedModel,
    seeds: list[np.random.SeedSequence],
) -> np.ndarray:
    """Refit the model on one resample per seed (Newton steps from the full-sample estimates).

    A resample enters only through its moments: weighted sums of the rows'
    cross-products with the resample's counts as weights (no copied data).
    All resamples of the chunk take their Newton steps together
    (:func:`~sqresearch.sem.estimation.newton_resamples`); one that does not
    converge there is fitted on its own as before (Newton, then BFGS).
    """
    n, p = x.shape
    centre = x.mean(axis=0)
    xc = x - centre
    products = (xc[:, :, None] * xc[:, None, :]).reshape(n, p * p)
    counts = np.array(
        [np.bincount(np.random.default_rng(s).integers(0, n, n), minlength=n) for s in seeds]
    )
    weights = counts / n
    shift = weights @ xc
    covs = (weights @ products).reshape(-1, p, p) - shift[:, :, None] * shift[:, None, :]
    means = shift + centre
    with _blas_controller().limit(limits=1, user_api="blas"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # the first step of every resample uses the full-sample Hessian at θ̂
        _, values, ok = newton_resamples(
            problem, theta_hat, means, covs, tol=1e-6, hessian0=problem.hessian(theta_hat)
        )
        for b in np.flatnonzero(~ok):
            resample = problem.with_data([GroupData(n, means[b], covs[b])])
            theta, ok[b] = resample.polish(
                theta_hat.copy(), tol=1e-5, reuse=1e-2, information=False
            )
            if not ok[b]:
                theta, ok[b] = resample.minimize(theta_hat.copy())
            values[b] = resample.values(theta)
    n_free_rows = int((problem.free > 0).sum())
    out = np.full((len(seeds), n_free_rows + len(parsed.definitions)), np.nan)
    out[ok, :n_free_rows] = values[ok][:, problem.free > 0]
    if parsed.definitions and ok.any():
        # the expressions are arithmetic: evaluated once on columns of label values
        defined = _defined(parsed, _label_values(problem.table, values[ok]))
        out[ok, n_free_rows:] = np.column_stack([np.broadcast_to(d, ok.sum()) for d in defined])
    return out


def bootstrap_sem(
    model: str,
    data: pd.DataFrame,
    n_boot: int = 1000,
    *,
    seed: int | None = None,
    n_jobs: int = 1,
    progress: bool = True,
    level: float = 0.95,
    **fit_kwargs,
) -> SEMBootstrap:
    """Nonparametric bootstrap of a SEM: CIs of every free and ``:=`` parameter.

    Each resample draws n rows with replacement from the listwise-complete
    data and refits by ML: Newton steps with the exact Hessian from the
    full-sample estimates, the first with the full-sample Hessian, for the
    resamples of a chunk together
    (:func:`~sqresearch.sem.estimation.newton_resamples`), to 1e-6 standard
    errors; a resample that does not converge there is fitted on its own
    (Newton, then BFGS) and, failing that, counted in ``n_failed`` with NaN
    draws. Resample *i* uses the *i*-th child of
    ``numpy.random.SeedSequence(seed)``, the chunks do not depend on
    ``n_jobs`` and BLAS runs on one thread per worker, so the draws are
    identical for any ``n_jobs``.

    Parameters
    ----------
    model : str
        lavaan syntax, typically with ``:=`` indirect effects.
    data : DataFrame
    n_boot : int
        Number of resamples (lavaan/Hayes advise 1000 or more; default 1000).
    seed : int, optional
    n_jobs : int
        joblib workers (-1: all cores).
    progress : bool
        Show a tqdm progress bar.
    level : float
        Confidence level.
    **fit_kwargs
        Passed to :func:`fit_sem` (single-group, listwise only).

    Returns
    -------
    SEMBootstrap

    Notes
    -----
    Percentile interval: the α/2 and 1 − α/2 quantiles of the draws.
    Bias-corrected: quantiles Φ(2z₀ ± z_{α/2}) with z₀ = Φ⁻¹(share of draws
    below the estimate) (Efron & Tibshirani, 1993, §14.3), as
    ``parameterEstimates(boot.ci.type = "bca.simple")``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=200); m = 0.5 * x + rng.normal(size=200)
    >>> y = 0.4 * m + rng.normal(size=200)
    >>> boot = bootstrap_sem("m ~ a*x; y ~ b*m + x; ab := a*b",
    ...                      pd.DataFrame({"x": x, "m": m, "y": y}),
    ...                      n_boot=50, seed=1, progress=False)
    >>> row = boot.table.set_index("lhs").loc["ab"]
    >>> bool(row.ci_lower < row.est < row.ci_upper)
    True
    """
    from joblib import Parallel, delayed
    from tqdm.auto import tqdm

    if fit_kwargs.get("group") is not None or fit_kwargs.get("missing", "listwise") != "listwise":
        raise ModelError("bootstrap_sem resamples single-group, listwise-complete data only")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SEMWarning)
        fitted = fit_sem(model, data, **fit_kwargs)
    problem, parsed = fitted._problem, fitted._parsed
    x = fitted._frame[fitted.observed_variables].to_numpy()
    children = np.random.SeedSequence(seed).spawn(n_boot)
    n_chunks = max(1, min(n_boot, 20))  # few tasks: joblib overhead, yet a moving progress bar
    chunks = [list(c) for c in np.array_split(np.array(children, dtype=object), n_chunks) if len(c)]
    tasks = (
        delayed(_bootstrap_chunk)(problem, x, fitted._theta, parsed, chunk) for chunk in chunks
    )
    results = Parallel(n_jobs=n_jobs, return_as="generator")(tasks)
    bar = tqdm(total=n_boot, desc="bootstrap", disable=not progress)
    parts = []
    for part in results:
        parts.append(part)
        bar.update(len(part))
    bar.close()
    draws = np.vstack(parts)

    est_rows = fitted.estimates[
        np.concatenate([problem.free > 0, np.ones(len(parsed.definitions), dtype=bool)])
    ]
    table = est_rows[["lhs", "op", "rhs", "label", "est"]].reset_index(drop=True)
    alpha = 1 - level
    ok = ~np.isnan(draws).any(axis=1)
    good = draws[ok]
    table["boot_se"] = good.std(axis=0, ddof=1)
    table["ci_lower"] = np.quantile(good, alpha / 2, axis=0)
    table["ci_upper"] = np.quantile(good, 1 - alpha / 2, axis=0)
    # Φ⁻¹ and Φ as scipy.special's ndtri and ndtr (scipy.stats.norm calls them)
    z0 = special.ndtri(np.clip((good < table["est"].to_numpy()).mean(axis=0), 1e-12, 1 - 1e-12))
    z = special.ndtri(1 - alpha / 2)
    lo, hi = special.ndtr(2 * z0 - z), special.ndtr(2 * z0 + z)
    table["bc_lower"] = [np.quantile(good[:, k], lo[k]) for k in range(good.shape[1])]
    table["bc_upper"] = [np.quantile(good[:, k], hi[k]) for k in range(good.shape[1])]
    return SEMBootstrap(
        table=table, draws=draws, n_boot=n_boot, n_failed=int((~ok).sum()), seed=seed, level=level
    )
