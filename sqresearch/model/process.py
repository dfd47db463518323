"""Mediation and moderation as Hayes' PROCESS models 1, 4, 6, 7, 8 and 14.

Each model is a small system of OLS equations (one per mediator and one for
Y) sharing their rows.  Point estimates, standard errors and t-based
intervals of the coefficients come from statsmodels fits of the analysed
data; indirect effects are products of coefficients, and their intervals come
from a case-resampling bootstrap that refits every equation in every resample
at once (:mod:`sqresearch.model.bootstrap`).

Model numbers and equations (W moderates; C are the covariates, entered in
every equation as PROCESS does):

====== ============================================ =============================
model  mediator equations                           outcome equation
====== ============================================ =============================
1      —                                            Y ~ X + W + X:W + C
4      M_i ~ X + C                                  Y ~ X + M_1..M_k + C
6      M_j ~ X + M_1..M_{j-1} + C                   Y ~ X + M_1..M_k + C
7      M_i ~ X + W + X:W + C                        Y ~ X + M_1..M_k + C
8      M_i ~ X + W + X:W + C                        Y ~ X + M_1..M_k + W + X:W + C
14     M_i ~ X + C                                  Y ~ X + M + W + M_i:W + C
====== ============================================ =============================

Models 4 and 6 add the total-effect equation Y ~ X + C.

References
----------
Hayes, A. F. (2022). *Introduction to mediation, moderation, and conditional
process analysis: A regression-based approach* (3rd ed.). Guilford.

Hayes, A. F. (2015). An index and test of linear moderated mediation.
Multivariate Behavioral Research, 50(1), 1–22.

温忠麟, 叶宝娟 (2014). 中介效应分析：方法和模型发展. 心理科学进展, 22(5), 731–745.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from sqresearch.deprecation import renamed, renamed_attribute
from sqresearch.errors import ModelError
from sqresearch.jsondoc import carries_warnings, warnings_html
from sqresearch.model import bootstrap as bs
from sqresearch.model.design import check_rank, check_variation, numeric_frame, product_name
from sqresearch.thresholds import threshold

MODELS = (1, 4, 6, 7, 8, 14)
_CONST = "const"


@dataclass(frozen=True)
class Equation:
    """One OLS equation of a PROCESS model.

    ``label`` names the equation in result tables: the outcome's name, or
    ``"total"`` for the total-effect equation of models 4 and 6.
    """

    label: str
    outcome: str
    terms: tuple[str, ...]


def model_equations(
    model: int,
    x: str,
    y: str,
    m: Sequence[str] = (),
    w: str | None = None,
    covariates: Sequence[str] = (),
) -> list[Equation]:
    """The equations of PROCESS model ``model`` (see the module docstring).

    Examples
    --------
    >>> [e.terms for e in model_equations(6, "X", "Y", ["M1", "M2"])]
    [('X',), ('X', 'M1'), ('X', 'M1', 'M2'), ('X',)]
    """
    m, c = tuple(m), tuple(covariates)
    _check_spec(model, m, w)
    xw = product_name(x, w) if w is not None else None
    if model == 1:
        return [Equation(y, y, (x, w, xw, *c))]
    if model in (4, 14):
        mediators = [Equation(mi, mi, (x, *c)) for mi in m]
    elif model == 6:
        mediators = [Equation(mi, mi, (x, *m[:j], *c)) for j, mi in enumerate(m)]
    else:  # 7, 8
        mediators = [Equation(mi, mi, (x, w, xw, *c)) for mi in m]
    if model in (4, 6, 7):
        outcome = (x, *m, *c)
    elif model == 8:
        outcome = (x, *m, w, xw, *c)
    else:  # 14
        outcome = (x, *m, w, *(product_name(mi, w) for mi in m), *c)
    equations = [*mediators, Equation(y, y, outcome)]
    if model in (4, 6):
        equations.append(Equation("total", y, (x, *c)))
    return equations


def _check_spec(model: int, m: tuple[str, ...], w: str | None) -> None:
    if model not in MODELS:
        raise ModelError(f"PROCESS model {model} is not available; choose one of {MODELS}")
    if model == 1 and m:
        raise ModelError("model 1 (moderation) takes no mediator")
    if model != 1 and not m:
        raise ModelError(f"model {model} needs at least one mediator")
    if model == 6 and not 2 <= len(m) <= 4:
        raise ModelError("model 6 (serial mediation) takes 2 to 4 mediators, as PROCESS")
    if model in (1, 7, 8, 14) and w is None:
        raise ModelError(f"model {model} needs a moderator W")
    if model in (4, 6) and w is not None:
        raise ModelError(f"model {model} has no moderator; use model 7, 8 or 14 for W")


def serial_paths(m: Sequence[str]) -> list[tuple[str, ...]]:
    """Specific indirect paths of a serial model: every ordered subset of mediators.

    Ordered by length, then by position (``M1``, ``M2``, ``M1>M2``).

    Examples
    --------
    >>> [">".join(p) for p in serial_paths(["A", "B", "C"])]
    ['A', 'B', 'C', 'A>B', 'A>C', 'B>C', 'A>B>C']
    """
    return [p for k in range(1, len(m) + 1) for p in itertools.combinations(m, k)]


def probe_values(w: pd.Series, at: str = "sd") -> pd.DataFrame:
    """Values of the moderator at which conditional effects are estimated.

    Parameters
    ----------
    w : Series
        The moderator in the analysed rows (original scale).
    at : {"sd", "percentiles"}
        ``"sd"``: mean − 1 SD, mean, mean + 1 SD (SD with n − 1), labelled
        ``-1SD``, ``mean``, ``+1SD`` (PROCESS 2).  ``"percentiles"``: the
        16th, 50th and 84th percentiles, labelled ``p16``, ``p50``, ``p84``,
        interpolated at position p(n + 1) (PROCESS 3 and later).  A
        dichotomous moderator is probed at its two values, labelled by value.

    Returns
    -------
    DataFrame with columns ``w``, ``label``.

    Examples
    --------
    >>> probe_values(pd.Series([0.0, 1.0, 1.0]))
         w label
    0  0.0     0
    1  1.0     1
    """
    values = np.unique(w.to_numpy(dtype=float))
    if len(values) == 2:
        labels = [str(int(v)) if float(v).is_integer() else str(v) for v in values]
        return pd.DataFrame({"w": values, "label": labels})
    if at == "sd":
        mean, sd = float(w.mean()), float(w.std(ddof=1))
        return pd.DataFrame({"w": [mean - sd, mean, mean + sd], "label": ["-1SD", "mean", "+1SD"]})
    if at == "percentiles":
        q = np.percentile(w.to_numpy(dtype=float), [16, 50, 84], method="weibull")
        return pd.DataFrame({"w": q, "label": ["p16", "p50", "p84"]})
    raise ValueError(f"at must be 'sd' or 'percentiles', not {at!r}")


@renamed(conf="level")
def johnson_neyman(
    b_x: float,
    b_xw: float,
    v_xx: float,
    v_xw: float,
    v_ww: float,
    df: int,
    w_range: tuple[float, float],
    level: float = 0.95,
) -> np.ndarray:
    """Johnson–Neyman points: moderator values where the effect of X is just significant.

    The conditional effect θ(w) = b_x + b_xw·w has variance
    v_xx + 2w·v_xw + w²·v_ww; the points solve θ(w)² = t²·var θ(w) with t the
    critical value on ``df`` degrees of freedom, a quadratic in w solved in
    closed form.  Only real roots inside ``w_range`` are returned (as PROCESS).

    Parameters
    ----------
    b_x, b_xw : float
        Coefficients of X and of the product X:W.
    v_xx, v_xw, v_ww : float
        Their sampling (co)variances.
    df : int
        Residual degrees of freedom.
    w_range : (float, float)
        Observed minimum and maximum of W, on the scale of the coefficients.

    Returns
    -------
    ndarray of the points, ascending (possibly empty).

    Examples
    --------
    >>> johnson_neyman(0.0, 1.0, 0.01, 0.0, 0.01, 10**9, (-10, 10)).round(4)
    array([-0.1999,  0.1999])
    """
    t2 = stats.t.ppf(1 - (1 - level) / 2, df) ** 2
    qa = b_xw**2 - t2 * v_ww
    qb = 2 * (b_x * b_xw - t2 * v_xw)
    qc = b_x**2 - t2 * v_xx
    if abs(qa) < 1e-15:
        roots = np.array([-qc / qb]) if qb != 0 else np.array([])
    else:
        disc = qb**2 - 4 * qa * qc
        if disc < 0:
            return np.array([])
        roots = (-qb + np.array([-1.0, 1.0]) * np.sqrt(disc)) / (2 * qa)
    lo, hi = w_range
    return np.sort(roots[(roots >= lo) & (roots <= hi)])


@dataclass
class ProcessResult:
    """A fitted PROCESS model: every number as a tidy DataFrame.

    Attributes
    ----------
    model : int
    variables : dict
        ``x``, ``y``, ``m`` (list), ``w``, ``covariates`` (list).
    n : int
        Rows analysed (listwise).
    paths : DataFrame
        equation, outcome, term, coef, se, t, pvalue, ci_lower, ci_upper —
        every coefficient of every equation (``const`` is the intercept).
    models : DataFrame
        equation, outcome, r2, adj_r2, mse, f, df1, df2, pvalue.
    direct : DataFrame
        The (conditional) direct effect of X: w, label, effect, se, t, pvalue,
        ci_lower, ci_upper; one row, ``w`` NaN, unless W moderates it (model 8).
    total : DataFrame
        The total effect of X (models 4 and 6), same columns; empty otherwise.
    indirect : DataFrame
        path, w, label, effect, boot_se, ci_lower, ci_upper — specific
        indirect effects named by their mediators joined with ``>``, plus
        ``total`` (models 4, 6); conditional on W (models 7, 8, 14).
    indirect_std : DataFrame
        Completely standardised indirect effects ab·SD_X/SD_Y (models 4, 6).
    contrasts : DataFrame
        path1, path2, effect (path1 − path2), boot_se, ci_lower, ci_upper.
    index_mm : DataFrame
        Index of moderated mediation per mediator (models 7, 8, 14).
    conditional : DataFrame
        Conditional effect of X on Y at the probe values of W (model 1).
    interaction : DataFrame
        R² change due to the product term with its F test (model 1).
    jn : DataFrame
        Johnson–Neyman points (model 1): w, effect, se, t, pvalue.
    boot_coefficients : dict of DataFrame
        Bootstrap draws of every coefficient, per equation (n_boot × terms).
    boot_draws : DataFrame
        Bootstrap draws of every effect (n_boot × effects), columns named
        ``kind:path`` or ``kind:path@label`` (e.g. ``indirect:M1@+1SD``).
    n_boot, seed, ci_method, level, center, cov_type
        The settings used; ``seed`` is the one actually used even when none
        was given.
    fits : dict
        The statsmodels OLS results of every equation, by equation label (on
        the analysed, possibly centred, scale); :func:`simple_slopes_grid`
        and :func:`jn_curve` read the Y equation's coefficient covariance here.
    centring : dict
        Means subtracted from the centred columns (empty unless ``center``).
    warnings : list of str
        What the estimates should be read with (a nearly constant variable,
        a warning raised while fitting), one line each; empty when none.
    """

    model: int
    variables: dict
    n: int
    paths: pd.DataFrame
    models: pd.DataFrame
    direct: pd.DataFrame
    total: pd.DataFrame
    indirect: pd.DataFrame
    indirect_std: pd.DataFrame
    contrasts: pd.DataFrame
    index_mm: pd.DataFrame
    conditional: pd.DataFrame
    interaction: pd.DataFrame
    jn: pd.DataFrame
    boot_coefficients: dict = field(repr=False)
    boot_draws: pd.DataFrame = field(repr=False)
    n_boot: int
    seed: int | None
    ci_method: str
    level: float
    center: bool
    cov_type: str
    fits: dict = field(default_factory=dict, repr=False)
    centring: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    boot = renamed_attribute("boot", "n_boot")
    conf = renamed_attribute("conf", "level")

    def mediation_decisions(self, alpha: float | None = None) -> pd.DataFrame:
        """The 温忠麟 & 叶宝娟 (2014) verdict of every indirect effect (models 4 and 6).

        One row per specific indirect path, and the total indirect effect
        when there are several mediators (with one it is the path itself):
        path, mediators (list), effect, boot_se, ci_lower, ci_upper, type
        ("full", "partial", "suppression", "none"), ratio (效应占比 as a
        share), ratio_kind, indirect_test ("a_and_b" or "bootstrap"); see
        :func:`mediation_decision`.
        """
        indirect = self.indirect
        if len(self.variables["m"]) == 1:
            indirect = indirect[indirect["path"] != "total"]
        rows = []
        for r in indirect.to_dict("records"):
            d = mediation_decision(self, r["path"], alpha)
            rows.append(
                {
                    "path": r["path"],
                    "mediators": [] if r["path"] == "total" else r["path"].split(">"),
                    **{k: r[k] for k in ("effect", "boot_se", "ci_lower", "ci_upper")},
                    "type": d.code,
                    "ratio": d.ratio,
                    "ratio_kind": d.ratio_kind,
                    "indirect_test": d.indirect_test,
                }
            )
        columns = ["path", "mediators", "effect", "boot_se", "ci_lower", "ci_upper", "type",
                   "ratio", "ratio_kind", "indirect_test"]  # fmt: skip
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of the command line (docs/reference/cli.md): ``moderate`` for
        model 1, ``mediate`` for models 4 and 6, each with the result's ``warnings``."""
        if self.model == 1:
            return self._moderation_document()
        if self.model in (4, 6):
            return self._mediation_document()
        raise ModelError(f"no JSON document for PROCESS model {self.model} (models 1, 4 and 6)")

    def _effect(self, equation: str, term: str) -> dict[str, float]:
        return {
            "effect": self.coef(equation, term),
            "se": self.coef(equation, term, "se"),
            "pvalue": self.coef(equation, term, "pvalue"),
        }

    def _mediation_document(self) -> dict[str, Any]:
        v = self.variables
        x, y, m = v["x"], v["y"], v["m"]
        direct, total = self.direct.iloc[0], self.total.iloc[0]
        doc: dict[str, Any] = {
            "model": self.model,
            "n": self.n,
            "a": {mi: self._effect(mi, x) for mi in m},
            "b": {mi: self._effect(y, mi) for mi in m},
            "direct": {k: float(direct[k]) for k in ("effect", "se", "pvalue")},
            "total": {k: float(total[k]) for k in ("effect", "se", "pvalue")},
            "indirect": {
                row["path"]: {k: row[k] for k in ("effect", "boot_se", "ci_lower", "ci_upper")}
                for row in self.indirect.to_dict("records")
            },
            "r2": {
                row["outcome"]: row["r2"]
                for row in self.models.to_dict("records")
                if row["equation"] != "total"
            },
        }
        if self.model == 6:
            doc["d"] = {
                f"{mi}>{mj}": self._effect(mj, mi) for i, mi in enumerate(m) for mj in m[i + 1 :]
            }
        doc.update(ci_method=self.ci_method, level=self.level, boot=self.n_boot, seed=self.seed)
        doc["warnings"] = list(self.warnings)
        return doc

    def _moderation_document(self) -> dict[str, Any]:
        paths = self.paths.set_index("term")
        return {
            "n": self.n,
            "coef": paths["coef"].to_dict(),
            "se": paths["se"].to_dict(),
            "pvalue": paths["pvalue"].to_dict(),
            "r2": float(self.models["r2"].iloc[0]),
            "delta_r2_interaction": float(self.interaction["delta_r2"].iloc[0]),
            "simple_slopes": [
                {
                    k: row[k]
                    for k in ("w", "label", "effect", "se", "pvalue", "ci_lower", "ci_upper")
                }
                for row in self.conditional.to_dict("records")
            ],
            "jn": [float(w) for w in self.jn["w"]],
            "center": self.center,
            "level": self.level,
            "warnings": list(self.warnings),
        }

    def coef(self, equation: str, term: str, column: str = "coef") -> float:
        """One number of the paths table, e.g. ``result.coef("M1", "X")``."""
        rows = self.paths[(self.paths["equation"] == equation) & (self.paths["term"] == term)]
        if rows.empty:
            raise KeyError(f"no term {term!r} in equation {equation!r}")
        return float(rows[column].iloc[0])

    def _repr_html_(self) -> str:
        parts = [f"<h4>PROCESS model {self.model} (n = {self.n})</h4>", warnings_html(self.warnings)]
        for name in (
            "models",
            "paths",
            "direct",
            "total",
            "indirect",
            "indirect_std",
            "contrasts",
            "index_mm",
            "conditional",
            "interaction",
            "jn",
        ):
            table = getattr(self, name)
            if not table.empty:
                parts.append(f"<p><b>{name}</b></p>" + table.to_html(index=False))
        return "\n".join(parts)


@renamed(boot="n_boot", conf="level")
@carries_warnings
def process(
    data: pd.DataFrame,
    model: int,
    x: str,
    y: str,
    m: str | Sequence[str] | None = None,
    w: str | None = None,
    covariates: Sequence[str] | None = None,
    *,
    n_boot: int = 5000,
    seed: int | None = None,
    ci: str = "percentile",
    level: float = 0.95,
    center: bool = False,
    at: str = "sd",
    cov_type: str = "nonrobust",
) -> ProcessResult:
    """Fit PROCESS model 1, 4, 6, 7, 8 or 14 with a bootstrap of the indirect effects.

    Parameters
    ----------
    data : DataFrame
    model : {1, 4, 6, 7, 8, 14}
    x, y : str
        Columns of X and Y.
    m : str or list of str
        Mediator column(s): any number for models 4, 7, 8, 14; 2 to 4 in
        order for model 6; none for model 1.
    w : str
        The moderator (models 1, 7, 8, 14; PROCESS 2 called model 14's "V").
    covariates : list of str
        Entered in every equation.
    n_boot : int
        Resamples (PROCESS default 5000); 0 skips the bootstrap.
    seed : int, optional
        Seed of the resampling; when None a fresh one is drawn and stored in
        the result.
    ci : {"percentile", "bc"}
        Percentile (PROCESS 3+ default) or bias-corrected (PROCESS 2) intervals.
    level : float
    center : bool
        Mean-centre the variables forming products (X and W; M and W in
        model 14) before the products, as PROCESS ``center=1``.  Probe values
        and Johnson–Neyman points are still reported on W's original scale.
    at : {"sd", "percentiles"}
        Probe values of W (:func:`probe_values`).
    cov_type : {"nonrobust", "HC3"}
        Standard errors of the coefficients (PROCESS ``hc=3``).

    Returns
    -------
    ProcessResult

    Notes
    -----
    Indirect effects: model 4, a_i·b_i; model 6, a·∏d·b along each ordered
    path; models 7 and 8, (a1_i + a3_i·w)·b_i with index a3_i·b_i; model 14,
    a_i·(b_i + b3_i·w) with index a_i·b3_i (Hayes 2015).  The completely
    standardised indirect effect is ab·SD_X/SD_Y, the SDs recomputed in each
    resample.  Rows with a missing value in any analysed column are dropped.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"X": rng.normal(size=50)})
    >>> d["M"] = 0.5 * d["X"] + rng.normal(size=50)
    >>> d["Y"] = 0.4 * d["M"] + rng.normal(size=50)
    >>> r = process(d, 4, x="X", y="Y", m="M", n_boot=200, seed=1)
    >>> bool(np.isclose(r.coef("M", "X") * r.coef("Y", "M"), r.indirect["effect"][0]))
    True
    >>> # In R: lavaan::sem("M ~ a*X; Y ~ b*M + X; ab := a*b", d, se = "bootstrap")
    """
    m = [m] if isinstance(m, str) else list(m or [])
    covariates = list(covariates or [])
    equations = model_equations(model, x, y, m, w, covariates)
    if ci not in ("percentile", "bc"):
        raise ValueError(f"ci must be 'percentile' or 'bc', not {ci!r}")
    if cov_type not in ("nonrobust", "HC3"):
        raise ValueError(f"cov_type must be 'nonrobust' or 'HC3', not {cov_type!r}")
    names = [x, *m, *([w] if w else []), *covariates, y]
    if len(set(names)) != len(names):
        raise ModelError(f"a column plays two roles in the model: {names}")
    frame = numeric_frame(data, names)
    n = len(frame)
    n_params = max(len(e.terms) + 1 for e in equations)
    if n <= n_params + 1:
        raise ModelError(f"{n} complete rows are too few for {n_params} coefficients")
    roles = {x: "X", y: "Y", **{c: f"M{i}" if len(m) > 1 else "M" for i, c in enumerate(m, 1)}}
    if w:
        roles[w] = "W"
    check_variation(frame, {**{c: "covariate" for c in covariates}, **roles})
    w_orig = frame[w].copy() if w else None
    centred = _centred_columns(model, x, m, w) if center else []
    means = {c: float(frame[c].mean()) for c in centred}
    for c in centred:
        frame[c] = frame[c] - means[c]
    z = _design(frame, equations)
    for e in equations:
        check_rank(z[[_CONST, *e.terms]], f"the equation of {e.outcome}")

    fits = {e.label: _fit(z, e, cov_type) for e in equations}
    paths = pd.concat([_paths_table(e, fits[e.label], level) for e in equations], ignore_index=True)
    models = pd.DataFrame([_model_row(e, fits[e.label]) for e in equations])

    probes = probe_values(w_orig, at) if w else None
    shift = means.get(w, 0.0) if w else 0.0
    spec = _Spec(model, x, y, m, w, probes, shift)
    point = _Coef(equations, {e.label: fits[e.label].params.to_numpy()[None, :] for e in equations})
    keys, estimate = _effects(spec, point, frame[x].std(ddof=1), frame[y].std(ddof=1))

    boot_coefs: dict[str, pd.DataFrame] = {}
    seed_used = seed if seed is not None else int(np.random.SeedSequence().entropy % 2**63)
    if n_boot and keys:
        fitted = [e for e in equations if e.label != "total"]
        draws_by_eq, sd_x, sd_y = _bootstrap(z, fitted, n, n_boot, seed_used, x, y)
        boot_coefs = {
            e.label: pd.DataFrame(draws_by_eq[e.label], columns=[_CONST, *e.terms]) for e in fitted
        }
        _, draws = _effects(spec, _Coef(equations, draws_by_eq), sd_x, sd_y)
        est = np.asarray(estimate)
        if ci == "bc":
            lo, hi = bs.bc_ci(draws, est, level)
        else:
            lo, hi = bs.percentile_ci(draws, level)
        boot_se = np.nanstd(draws, axis=0, ddof=1)
        boot_draws = pd.DataFrame(draws, columns=[_draw_name(k) for k in keys])
    else:
        lo = hi = boot_se = np.full(len(keys), np.nan)
        boot_draws = pd.DataFrame(columns=[_draw_name(k) for k in keys], dtype=float)
    effects = pd.DataFrame(keys, columns=["kind", "path", "w", "label"])
    effects["effect"] = np.asarray(estimate, dtype=float).ravel() if keys else []
    effects["boot_se"], effects["ci_lower"], effects["ci_upper"] = boot_se, lo, hi

    def kind(k: str, cols: list[str]) -> pd.DataFrame:
        return effects.loc[effects["kind"] == k, cols].reset_index(drop=True)

    indirect = kind("indirect", ["path", "w", "label", "effect", "boot_se", "ci_lower", "ci_upper"])
    indirect_std = kind("indirect_std", ["path", "effect", "boot_se", "ci_lower", "ci_upper"])
    contrasts = kind("contrast", ["path", "effect", "boot_se", "ci_lower", "ci_upper"])
    if not contrasts.empty:
        pairs = contrasts.pop("path").str.split(" - ", expand=True)
        contrasts.insert(0, "path2", pairs[1])
        contrasts.insert(0, "path1", pairs[0])
    index_mm = kind("index", ["path", "effect", "boot_se", "ci_lower", "ci_upper"]).rename(
        columns={"path": "mediator", "effect": "index"}
    )

    y_fit = fits[y]
    direct_w = probes if model == 8 else None
    direct = _linear_effects(
        y_fit, x, product_name(x, w) if model == 8 else None, direct_w, shift, level
    )
    total = (
        _linear_effects(fits["total"], x, None, None, 0.0, level)
        if model in (4, 6)
        else _empty_effects()
    )
    conditional, interaction, jn = _empty_effects(), pd.DataFrame(), pd.DataFrame()
    if model == 1:
        xw = product_name(x, w)
        conditional = _linear_effects(y_fit, x, xw, probes, shift, level)
        interaction = _interaction_test(z, equations[0], xw, y_fit, cov_type)
        jn = _jn_table(y_fit, x, xw, w_orig, shift, level)
    return ProcessResult(
        model=model,
        variables={"x": x, "y": y, "m": m, "w": w, "covariates": covariates},
        n=n,
        paths=paths,
        models=models,
        direct=direct,
        total=total,
        indirect=indirect,
        indirect_std=indirect_std,
        contrasts=contrasts,
        index_mm=index_mm,
        conditional=conditional,
        interaction=interaction,
        jn=jn,
        boot_coefficients=boot_coefs,
        boot_draws=boot_draws,
        n_boot=n_boot if keys else 0,
        seed=seed_used if keys and n_boot else seed,
        ci_method=ci,
        level=level,
        center=center,
        cov_type=cov_type,
        fits=fits,
        centring=means,
    )


def _draw_name(key: tuple) -> str:
    kind, path, _, label = key
    return f"{kind}:{path}@{label}" if label else f"{kind}:{path}"


# --- building and fitting ----------------------------------------------------


def _centred_columns(model: int, x: str, m: list[str], w: str | None) -> list[str]:
    if model in (1, 7, 8):
        return [x, w]
    if model == 14:
        return [*m, w]
    return []


def _design(frame: pd.DataFrame, equations: list[Equation]) -> pd.DataFrame:
    """Every column the equations use: constant, variables, products."""
    z = pd.DataFrame({_CONST: np.ones(len(frame))}, index=frame.index)
    for column in frame.columns:
        z[column] = frame[column]
    for e in equations:
        for term in e.terms:
            if term not in z.columns:
                z[term] = _product(frame, term)
    return z


def _product(frame: pd.DataFrame, term: str) -> pd.Series:
    # Product names are "A:B" with A and B columns of frame; column names may contain ":".
    for split in range(1, term.count(":") + 1):
        left, right = term.split(":", split)[:split], term.split(":", split)[split:]
        a, b = ":".join(left), ":".join(right)
        if a in frame.columns and b in frame.columns:
            return frame[a] * frame[b]
    raise ModelError(f"cannot form the product term {term!r}")


def _fit(z: pd.DataFrame, e: Equation, cov_type: str):
    exog = z[[_CONST, *e.terms]]
    model = sm.OLS(z[e.outcome], exog)
    if cov_type == "HC3":
        return model.fit(cov_type="HC3", use_t=True)
    return model.fit()


def _paths_table(e: Equation, fit, level: float) -> pd.DataFrame:
    ci = np.asarray(fit.conf_int(alpha=1 - level))
    return pd.DataFrame(
        {
            "equation": e.label,
            "outcome": e.outcome,
            "term": [_CONST, *e.terms],
            "coef": fit.params.to_numpy(),
            "se": fit.bse.to_numpy(),
            "t": fit.tvalues.to_numpy(),
            "pvalue": fit.pvalues.to_numpy(),
            "ci_lower": ci[:, 0],
            "ci_upper": ci[:, 1],
        }
    )


def _model_row(e: Equation, fit) -> dict:
    f = np.asarray(fit.fvalue).item()
    return {
        "equation": e.label,
        "outcome": e.outcome,
        "r2": fit.rsquared,
        "adj_r2": fit.rsquared_adj,
        "mse": fit.mse_resid,
        "f": f,
        "df1": fit.df_model,
        "df2": fit.df_resid,
        "pvalue": np.asarray(fit.f_pvalue).item(),
    }


def _bootstrap(
    z: pd.DataFrame, equations: list[Equation], n: int, n_boot: int, seed: int, x: str, y: str
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Coefficient draws of every equation, and the SDs of X and Y in each resample."""
    cols = {c: i for i, c in enumerate(z.columns)}
    cross = bs.bootstrap_cross_products(z.to_numpy(), n_boot, seed)
    draws = {
        e.label: bs.batched_ols(cross, [cols[_CONST], *(cols[t] for t in e.terms)], cols[e.outcome])
        for e in equations
    }

    def sd(column: str) -> np.ndarray:
        # Row multiplicities sum to n: the sum is cross[const, c], the sum of squares cross[c, c].
        total, squares = cross[:, cols[_CONST], cols[column]], cross[:, cols[column], cols[column]]
        return np.sqrt((squares - total**2 / n) / (n - 1))

    return draws, sd(x), sd(y)


def _linear_effects(
    fit, x: str, xw: str | None, probes, shift: float, level: float
) -> pd.DataFrame:
    """Effect of X, or conditional effects b_x + b_xw·w at the probe values (t-based)."""
    b, v = fit.params, fit.cov_params()
    if xw is None:
        w = np.array([np.nan])
        labels = [""]
        effect = np.array([b[x]])
        var = np.array([v.loc[x, x]])
    else:
        w = probes["w"].to_numpy(dtype=float)
        labels = list(probes["label"])
        wd = w - shift
        effect = b[x] + b[xw] * wd
        var = v.loc[x, x] + 2 * wd * v.loc[x, xw] + wd**2 * v.loc[xw, xw]
    se = np.sqrt(var)
    t = effect / se
    df = fit.df_resid
    crit = stats.t.ppf(1 - (1 - level) / 2, df)
    return pd.DataFrame(
        {
            "w": w,
            "label": labels,
            "effect": effect,
            "se": se,
            "t": t,
            "pvalue": 2 * stats.t.sf(np.abs(t), df),
            "ci_lower": effect - crit * se,
            "ci_upper": effect + crit * se,
        }
    )


def _empty_effects() -> pd.DataFrame:
    columns = ["w", "label", "effect", "se", "t", "pvalue", "ci_lower", "ci_upper"]
    return pd.DataFrame({c: pd.Series(dtype=object if c == "label" else float) for c in columns})


def _interaction_test(z: pd.DataFrame, e: Equation, xw: str, fit, cov_type: str) -> pd.DataFrame:
    """R² change when the product enters, with its 1-df F test (F = t², robust if HC3)."""
    reduced = Equation(e.label, e.outcome, tuple(t for t in e.terms if t != xw))
    delta = fit.rsquared - _fit(z, reduced, "nonrobust").rsquared
    return pd.DataFrame(
        {
            "term": [xw],
            "delta_r2": [delta],
            "f": [fit.tvalues[xw] ** 2],
            "df1": [1.0],
            "df2": [fit.df_resid],
            "pvalue": [fit.pvalues[xw]],
        }
    )


def _jn_table(fit, x: str, xw: str, w: pd.Series, shift: float, level: float) -> pd.DataFrame:
    b, v = fit.params, fit.cov_params()
    points = johnson_neyman(
        b[x],
        b[xw],
        v.loc[x, x],
        v.loc[x, xw],
        v.loc[xw, xw],
        fit.df_resid,
        (float(w.min()) - shift, float(w.max()) - shift),
        level,
    )
    probes = pd.DataFrame({"w": points + shift, "label": ["JN"] * len(points)})
    table = _linear_effects(fit, x, xw, probes, shift, level)
    return table[["w", "effect", "se", "t", "pvalue"]]


# --- effects -------------------------------------------------------------------


@dataclass
class _Spec:
    model: int
    x: str
    y: str
    m: list[str]
    w: str | None
    probes: pd.DataFrame | None
    shift: float  # mean subtracted from W when centred


class _Coef:
    """Coefficient lookup: ``coef(equation, term)`` is an array over resamples."""

    def __init__(self, equations: list[Equation], arrays: dict[str, np.ndarray]) -> None:
        self._index = {e.label: {t: j + 1 for j, t in enumerate(e.terms)} for e in equations}
        self._arrays = arrays

    def __call__(self, equation: str, term: str) -> np.ndarray:
        return self._arrays[equation][:, self._index[equation][term]]


def _effects(spec: _Spec, coef: _Coef, sd_x, sd_y) -> tuple[list[tuple], np.ndarray]:
    """Keys (kind, path, w, label) and values (resamples × effects) of every effect."""
    keys: list[tuple] = []
    cols: list[np.ndarray] = []

    def add(kind: str, path: str, value: np.ndarray, w: float = np.nan, label: str = "") -> None:
        keys.append((kind, path, w, label))
        cols.append(np.asarray(value, dtype=float))

    x, y, m = spec.x, spec.y, spec.m
    if spec.model in (4, 6):
        paths = serial_paths(m) if spec.model == 6 else [(mi,) for mi in m]
        specific = {}
        for path in paths:
            value = coef(path[0], x) * coef(y, path[-1])
            for before, after in itertools.pairwise(path):
                value = value * coef(after, before)
            specific[">".join(path)] = value
        specific["total"] = sum(v for k, v in specific.items())
        for name, value in specific.items():
            add("indirect", name, value)
        for name, value in specific.items():
            add("indirect_std", name, value * sd_x / sd_y)
        names = [k for k in specific if k != "total"]
        for a, b in itertools.combinations(names, 2):
            add("contrast", f"{a} - {b}", specific[a] - specific[b])
    elif spec.model in (7, 8, 14):
        w = spec.w
        for mi in m:
            if spec.model == 14:
                a, b, b3 = coef(mi, x), coef(y, mi), coef(y, product_name(mi, w))
                for wv, lab in zip(spec.probes["w"], spec.probes["label"], strict=True):
                    add("indirect", mi, a * (b + b3 * (wv - spec.shift)), wv, lab)
                add("index", mi, a * b3)
            else:
                a1, a3, b = coef(mi, x), coef(mi, product_name(x, w)), coef(y, mi)
                for wv, lab in zip(spec.probes["w"], spec.probes["label"], strict=True):
                    add("indirect", mi, (a1 + a3 * (wv - spec.shift)) * b, wv, lab)
                add("index", mi, a3 * b)
    values = np.column_stack(cols) if cols else np.empty((1, 0))
    return keys, values


# --- 温忠麟 & 叶宝娟 (2014) ------------------------------------------------------

MEDIATION_CODES = ("full", "partial", "suppression", "none")


@dataclass(frozen=True)
class MediationDecision:
    """Outcome of the 温忠麟 & 叶宝娟 (2014) procedure for one indirect effect.

    Attributes
    ----------
    code : {"full", "partial", "suppression", "none"}
        完全中介, 部分中介, 遮掩效应, or no indirect effect.
    ratio : float
        效应占比: ab/c for full and partial mediation, ``|ab/c'|`` for
        suppression, NaN when there is no indirect effect.
    ratio_kind : str
        ``"ab/c"``, ``"|ab/c'|"`` or ``""``: which ratio ``ratio`` is.
    total_significant : bool
        Step 1: c significant (argue from mediation) or not (from suppression).
    indirect_significant : bool
    indirect_test : {"a_and_b", "bootstrap"}
        Step 2 (a and b both significant) or step 3 (bootstrap CI of ab).
    direct_significant : bool or None
        Step 4 (c'); None when the procedure stopped at step 3.
    """

    code: str
    ratio: float
    ratio_kind: str
    total_significant: bool
    indirect_significant: bool
    indirect_test: str
    direct_significant: bool | None


def wen_ye_decision(
    *,
    c: float,
    c_p: float,
    ab: float,
    ab_ci: tuple[float, float],
    c_prime: float,
    c_prime_p: float,
    a_p: float | None = None,
    b_p: float | None = None,
    alpha: float | None = None,
) -> MediationDecision:
    """Classify an indirect effect by the procedure of 温忠麟 & 叶宝娟 (2014).

    Parameters
    ----------
    c, c_p : float
        Total effect of X on Y and its p value.
    ab, ab_ci : float, (float, float)
        The indirect effect and its bootstrap interval.
    c_prime, c_prime_p : float
        Direct effect c' and its p value.
    a_p, b_p : float, optional
        p values of a and b; omit them for a total or serial indirect effect,
        which is then judged by its bootstrap interval alone.
    alpha : float, optional
        Significance level; default ``thresholds.threshold("alpha_level")``.

    Returns
    -------
    MediationDecision

    Notes
    -----
    (1) Test c: significant → argue for mediation, otherwise for suppression;
    go on either way.  (2) a and b both significant → the indirect effect is
    significant, go to (4).  (3) Otherwise test ab by its bootstrap interval:
    excluding 0 → significant, go to (4); else stop, no indirect effect.
    (4) c' not significant → full mediation (only the indirect effect).
    (5) c' significant: same sign as ab → partial mediation, ratio ab/c;
    opposite signs → suppression, ratio ``|ab/c'|``.

    References
    ----------
    温忠麟, 叶宝娟 (2014). 中介效应分析：方法和模型发展. 心理科学进展, 22(5), 731–745.

    Examples
    --------
    >>> d = wen_ye_decision(c=0.5, c_p=0.001, ab=0.2, ab_ci=(0.1, 0.3), c_prime=0.3,
    ...                     c_prime_p=0.01, a_p=0.001, b_p=0.002)
    >>> d.code, round(d.ratio, 3)
    ('partial', 0.4)
    """
    alpha = threshold("alpha_level") if alpha is None else alpha
    total_sig = c_p < alpha
    if a_p is not None and b_p is not None and a_p < alpha and b_p < alpha:
        test, indirect_sig = "a_and_b", True
    else:
        if np.isnan(ab_ci[0]) or np.isnan(ab_ci[1]):
            raise ModelError("a or b is not significant: the decision needs the bootstrap CI of ab")
        test, indirect_sig = "bootstrap", not (ab_ci[0] <= 0 <= ab_ci[1])
    if not indirect_sig:
        return MediationDecision("none", np.nan, "", total_sig, False, test, None)
    direct_sig = c_prime_p < alpha
    ratio_c = ab / c if c != 0 else np.nan
    if not direct_sig:
        return MediationDecision("full", ratio_c, "ab/c", total_sig, True, test, False)
    if np.sign(ab) == np.sign(c_prime):
        return MediationDecision("partial", ratio_c, "ab/c", total_sig, True, test, True)
    return MediationDecision(
        "suppression", abs(ab / c_prime), "|ab/c'|", total_sig, True, test, True
    )


def mediation_decision(
    result: ProcessResult, path: str = "total", alpha: float | None = None
) -> MediationDecision:
    """:func:`wen_ye_decision` for one indirect effect of a model 4 or 6 result.

    Parameters
    ----------
    result : ProcessResult
        Of model 4 or 6, bootstrapped.
    path : str
        A row of ``result.indirect`` (``"M1"``, ``"M1>M2"``, ``"total"``).
        a and b are tested for a single-mediator path; longer paths and the
        total are judged by their bootstrap interval.
    """
    if result.model not in (4, 6):
        raise ModelError("the 温忠麟 & 叶宝娟 (2014) procedure applies to models 4 and 6")
    rows = result.indirect[result.indirect["path"] == path]
    if rows.empty:
        raise KeyError(f"no indirect path {path!r}; paths are {list(result.indirect['path'])}")
    row = rows.iloc[0]
    x, y = result.variables["x"], result.variables["y"]
    a_p = b_p = None
    if path != "total" and ">" not in path:
        a_p, b_p = result.coef(path, x, "pvalue"), result.coef(y, path, "pvalue")
    return wen_ye_decision(
        c=float(result.total["effect"].iloc[0]),
        c_p=float(result.total["pvalue"].iloc[0]),
        ab=float(row["effect"]),
        ab_ci=(float(row["ci_lower"]), float(row["ci_upper"])),
        c_prime=float(result.direct["effect"].iloc[0]),
        c_prime_p=float(result.direct["pvalue"].iloc[0]),
        a_p=a_p,
        b_p=b_p,
        alpha=alpha,
    )


# --- model 1 over a grid: simple slopes and the Johnson–Neyman curve ----------


def _model1_fit(result: ProcessResult):
    """The Y equation's fit of a model 1 result, with the names and shifts of X and W."""
    if result.model != 1:
        raise ModelError(
            f"simple slopes and the JN curve need a PROCESS model 1 result, not model {result.model}"
        )
    x, y, w = result.variables["x"], result.variables["y"], result.variables["w"]
    if y not in result.fits:
        raise ModelError("this ProcessResult holds no fitted equations; refit it with process()")
    return result.fits[y], x, w, result.centring.get(x, 0.0), result.centring.get(w, 0.0)


def simple_slopes_grid(result: ProcessResult, n_points: int = 50) -> pd.DataFrame:
    """Predicted Y across the observed range of X at each probe value of W (model 1).

    Parameters
    ----------
    result : ProcessResult
        A fitted PROCESS model 1.
    n_points : int
        Evenly spaced values of X from its observed minimum to maximum.

    Returns
    -------
    DataFrame
        One row per probe value and X value, in the order of
        ``result.conditional``: ``label`` (probe label, e.g. ``-1SD``), ``w``,
        ``x`` (original scales), ``fit`` (predicted Y), ``se``, ``ci_lower``,
        ``ci_upper`` — what :func:`sqresearch.report.process.simple_slopes_plot`
        draws.

    Notes
    -----
    Ŷ = b0 + b1·x + b2·w + b3·x·w + Σ c_k·mean(C_k), covariates held at their
    means in the analysed rows (x and w shifted by their means when the model
    was centred).  For the design row d of a point, se = √(dᵀVd) with V the
    Y equation's coefficient covariance (HC3 when fitted so), and the
    interval is Ŷ ± t(1 − α/2; df_resid)·se: the confidence interval of the
    mean response, as statsmodels' ``get_prediction`` and R's
    ``predict(fit, interval = "confidence")``.  The slope of each line is the
    conditional effect in ``result.conditional``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"X": rng.normal(size=60), "W": rng.normal(size=60)})
    >>> d["Y"] = 0.3 * d.X + 0.2 * d.W + 0.4 * d.X * d.W + rng.normal(size=60)
    >>> r = process(d, 1, x="X", y="Y", w="W")
    >>> grid = simple_slopes_grid(r, n_points=2)
    >>> list(grid.columns)
    ['label', 'w', 'x', 'fit', 'se', 'ci_lower', 'ci_upper']
    >>> list(grid["label"])
    ['-1SD', '-1SD', 'mean', 'mean', '+1SD', '+1SD']
    >>> # In R: predict(lm(Y ~ X * W, d), newdata, interval = "confidence")
    """
    if n_points < 2:
        raise ValueError(f"n_points must be at least 2, not {n_points}")
    fit, x, w, shift_x, shift_w = _model1_fit(result)
    exog = fit.model.data.orig_exog
    xs = np.linspace(exog[x].min(), exog[x].max(), n_points) + shift_x
    means = exog.mean()
    crit = stats.t.ppf(1 - (1 - result.level) / 2, fit.df_resid)
    b, v = fit.params, fit.cov_params()
    parts = []
    for wv, lab in zip(result.conditional["w"], result.conditional["label"], strict=True):
        design = pd.DataFrame(np.tile(means.to_numpy(), (n_points, 1)), columns=exog.columns)
        design[_CONST] = 1.0
        design[x] = xs - shift_x
        design[w] = wv - shift_w
        design[product_name(x, w)] = design[x] * design[w]
        d = design[b.index].to_numpy()
        predicted = d @ b.to_numpy()
        se = np.sqrt(np.einsum("ij,jk,ik->i", d, v.to_numpy(), d))
        parts.append(
            pd.DataFrame(
                {
                    "label": lab,
                    "w": wv,
                    "x": xs,
                    "fit": predicted,
                    "se": se,
                    "ci_lower": predicted - crit * se,
                    "ci_upper": predicted + crit * se,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def jn_curve(
    result: ProcessResult, n_points: int = 200, *, w: Sequence[float] | None = None
) -> pd.DataFrame:
    """The conditional effect of X on Y across the moderator, with its interval (model 1).

    Parameters
    ----------
    result : ProcessResult
        A fitted PROCESS model 1.
    n_points : int
        Evenly spaced values of W from its observed minimum to maximum; the
        Johnson–Neyman points (``result.jn``) are added to them, so that the
        region of significance starts and ends exactly there.
    w : sequence of float, optional
        Evaluate at these moderator values (original scale) instead.

    Returns
    -------
    DataFrame
        ``w`` (ascending), ``effect``, ``se``, ``t``, ``pvalue``, ``ci_lower``,
        ``ci_upper`` — what :func:`sqresearch.report.process.johnson_neyman_plot`
        draws (with ``result.jn["w"]`` as its points).

    Notes
    -----
    θ(w) = b1 + b3·w with se √(v11 + 2w·v13 + w²·v33) and the t interval on
    the Y equation's residual df, computed as ``result.conditional`` is; at
    the Johnson–Neyman points one bound of the interval is 0 (PROCESS
    ``jn=1`` prints the same table over 20 values of W).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"X": rng.normal(size=60), "W": rng.normal(size=60)})
    >>> d["Y"] = 0.3 * d.X + 0.2 * d.W + 0.4 * d.X * d.W + rng.normal(size=60)
    >>> r = process(d, 1, x="X", y="Y", w="W")
    >>> curve = jn_curve(r, w=r.conditional["w"])
    >>> bool(np.allclose(curve["effect"], r.conditional["effect"]))
    True
    >>> # In R: interactions::johnson_neyman(lm(Y ~ X * W, d), pred = X, modx = W)
    """
    fit, x, w_name, _, shift_w = _model1_fit(result)
    if w is None:
        if n_points < 2:
            raise ValueError(f"n_points must be at least 2, not {n_points}")
        observed = fit.model.data.orig_exog[w_name]
        grid = np.linspace(observed.min(), observed.max(), n_points) + shift_w
        values = np.unique(np.concatenate([grid, result.jn["w"].to_numpy(dtype=float)]))
    else:
        values = np.sort(np.asarray(w, dtype=float))
    probes = pd.DataFrame({"w": values, "label": ""})
    table = _linear_effects(fit, x, product_name(x, w_name), probes, shift_w, result.level)
    return table.drop(columns="label")
