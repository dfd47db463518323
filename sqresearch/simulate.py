"""Simulate survey respondents from a population model written in lavaan syntax.

A population model fixes every coefficient with a number, as for R's
``lavaan::simulateData``::

    CVA =~ 0.80*CVA1 + 0.75*CVA2 + 0.70*CVA3
    SOB =~ 0.80*SOB1 + 0.75*SOB2 + 0.70*SOB3
    SOB ~ 0.40*CVA + 0.20*NBL + 0.15*CVA:NBL
    CVA ~~ 0.30*NBL

:func:`simulate_data` draws continuous scores from it and, when asked, cuts
them into Likert categories; :func:`implied_estimates` fits an analysis model
to one very large simulated sample, which gives the values an analysis of
the Likert data should recover (cutting into categories attenuates loadings
and paths, so the population values themselves are not that target).

What the simulation does (``standardized=True``, the default)
------------------------------------------------------------
* Exogenous variables (latent or observed, with no arrow pointing at them)
  are standard normal unless ``v ~~ x*v`` gives their variance; ``a ~~ x*b``
  gives the covariance of two of them. Unspecified covariances are 0.
* Every endogenous variable (an indicator, or the outcome of ``~``) gets a
  normal residual whose variance makes its total variance exactly 1, so
  loadings and paths are in a standardised metric (lavaan's
  ``simulateData(..., standardized = TRUE)``). ``v ~~ x*v`` on an
  endogenous variable fixes its residual variance instead (lavaan then
  stops standardising altogether; here only that variable keeps its
  given value); ``a ~~ x*b`` on endogenous variables is a residual
  covariance.
* ``X:W`` in a regression is the latent (or observed) product, centred at its
  population mean ``cov(X, W)`` so that every variable keeps mean 0. Its
  variance is ``var(X) var(W) + cov(X, W)^2`` (Isserlis' theorem; exact for
  normal X and W, so the components of a product must not depend on
  another product).
* Terms without a number follow ``lavaan::simulateData`` (its
  ``R/lav_simulate_old.R``): a loading is 0.7 (1.0 with
  ``standardized=False``), a (co)variance or regression is 0 (a regression
  with a warning), a variance 1. With ``standardized=False`` residual
  variances default to 1, as in lavaan.
* Models must be recursive (no feedback loops); intercepts (``~ 1``),
  labels without values, ``:=`` and constraints are refused with
  :class:`~sqresearch.errors.ModelError`.

Likert categories
-----------------
A continuous score ``y`` with population standard deviation ``sd`` becomes
category ``k`` (1-based) when ``t[k-2] < y / sd <= t[k-1]``: thresholds are
in population-SD units, so for a normal variable category ``k`` has
probability ``Phi(t[k-1]) - Phi(t[k-2])`` whatever its variance. The default
thresholds (:func:`default_thresholds`) are equally spaced from -2.05 to
0.75 SD: a mildly negatively skewed distribution, as satisfaction and
agreement items usually show (5 points: 2.0%, 11.2%, 29.5%, 34.6%, 22.7%;
mean 3.65).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sqresearch.errors import InputError, ModelError
from sqresearch.sem.syntax import Modifier, parse_model

__all__ = [
    "PopulationModel",
    "SimulationWarning",
    "cut_likert",
    "default_thresholds",
    "implied_estimates",
    "parse_population_model",
    "simulate_data",
    "thresholds_from_proportions",
]

Seed = int | np.random.SeedSequence | np.random.Generator

#: Default loading of an indicator written without a number (lavaan::simulateData).
DEFAULT_LOADING_STD = 0.7
#: The same with ``standardized=False``.
DEFAULT_LOADING_RAW = 1.0
#: End points (in SD units) of the equally spaced default Likert thresholds.
DEFAULT_THRESHOLD_RANGE = (-2.05, 0.75)


class SimulationWarning(UserWarning):
    """A population model term that was given a default value."""


# ---------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationModel:
    """A parsed fixed-coefficient model.

    Attributes
    ----------
    loadings : dict
        ``{latent: {indicator: loading}}`` in the order written.
    regressions : dict
        ``{outcome: {predictor: coef}}``; a product term's key is a tuple
        ``(x, w)``.
    covariances : dict
        ``{(a, b): value}``, ``a`` written before ``b`` in the model;
        ``(v, v)`` is a (residual) variance.
    variables : list of str
        Every variable in order of first appearance.
    """

    loadings: dict[str, dict[str, float]]
    regressions: dict[str, dict[str | tuple[str, str], float]]
    covariances: dict[tuple[str, str], float]
    variables: list[str]

    @property
    def latent(self) -> list[str]:
        """Latent variables (left of ``=~``), in order of first appearance."""
        return [v for v in self.variables if v in self.loadings]

    @property
    def observed(self) -> list[str]:
        """Observed variables, in order of first appearance."""
        return [v for v in self.variables if v not in self.loadings]

    def parents(self, var: str) -> dict[str | tuple[str, str], float]:
        """Direct causes of ``var`` (latents it indicates, predictors) with coefficients."""
        out: dict[str | tuple[str, str], float] = {}
        for lat, inds in self.loadings.items():
            if var in inds:
                out[lat] = inds[var]
        out.update(self.regressions.get(var, {}))
        return out


def _coefficient(modifiers: tuple[Modifier, ...], text: str) -> float | None:
    """The fixed value (or ``start()`` value) of a term, None when it has no modifier."""
    if not modifiers:
        return None
    if len(modifiers) > 1:
        raise ModelError(f"{text!r}: a population model has one value per term, not c(...)")
    (mod,) = modifiers
    value = mod.value if mod.value is not None else mod.start
    if value is None:
        raise ModelError(
            f"{text!r} has a label but no value{' (NA)' if mod.free else ''}; a population "
            "model needs fixed numbers, e.g. 0.4*x"
        )
    return value


def parse_population_model(model: str, *, standardized: bool = True) -> PopulationModel:
    """Parse lavaan syntax whose coefficients are fixed numbers.

    The text is read by the package's one lavaan parser,
    :func:`sqresearch.sem.syntax.parse_model` (with product terms); this
    function gives the terms their population values.

    Parameters
    ----------
    model : str
        Statements with ``=~`` (loadings), ``~`` (regressions, products
        ``X:W`` allowed) and ``~~`` ((residual) variances and covariances).
    standardized : bool
        Only sets the default loading of a term written without a number
        (0.7 if True, 1.0 if False; lavaan::simulateData's rule).

    Returns
    -------
    PopulationModel

    Raises
    ------
    ModelError
        On intercepts, labels without values, unsupported operators, or text
        that is not a statement.

    Examples
    --------
    >>> m = parse_population_model("F =~ 0.8*x1 + 0.7*x2 + x3\\ny ~ 0.3*F")
    >>> m.loadings
    {'F': {'x1': 0.8, 'x2': 0.7, 'x3': 0.7}}
    >>> m.latent, m.observed
    (['F'], ['x1', 'x2', 'x3', 'y'])
    """
    parsed = parse_model(model, products=True, empty=True)
    if parsed.definitions:
        raise ModelError(
            f"{parsed.definitions[0].name} := {parsed.definitions[0].expression}: only =~, ~ "
            "and ~~ are supported in a population model (no :=, constraints, thresholds or "
            "formative <~)"
        )
    loadings: dict[str, dict[str, float]] = {}
    regressions: dict[str, dict[str | tuple[str, str], float]] = {}
    covariances: dict[tuple[str, str], float] = {}
    order: dict[str, int] = {}

    for s in parsed.statements:
        text = f"{s.lhs} {s.op} {s.rhs}".rstrip()
        if s.op == "~1":
            raise ModelError(
                f"{s.lhs} ~ 1: intercepts (~ 1) are not supported; variables have mean 0, "
                "shift the Likert thresholds instead"
            )
        factors = s.rhs.split(":")
        for v in (s.lhs, *factors):
            order.setdefault(v, len(order))
        key: str | tuple[str, str] = (factors[0], factors[1]) if len(factors) == 2 else s.rhs
        value = _coefficient(s.modifiers, text)
        if s.op == "=~":
            if value is None:
                value = DEFAULT_LOADING_STD if standardized else DEFAULT_LOADING_RAW
            loadings.setdefault(s.lhs, {})[s.rhs] = value
        elif s.op == "~":
            if value is None:
                warnings.warn(
                    f"regression {s.lhs} ~ {s.rhs} has no value; set to 0 "
                    "(as lavaan::simulateData does)",
                    SimulationWarning,
                    stacklevel=3,
                )
                value = 0.0
            regressions.setdefault(s.lhs, {})[key] = value
        else:
            a, b = sorted((s.lhs, s.rhs), key=order.__getitem__)
            covariances[(a, b)] = 0.0 if value is None else value
    return PopulationModel(loadings, regressions, covariances, list(order))


# ---------------------------------------------------------------------------
# the population moments
# ---------------------------------------------------------------------------


@dataclass
class _Structure:
    """Each variable as a linear form in normal sources plus centred products.

    ``linear[v]`` holds the weights of variable ``v`` on the sources (one per
    variable: the variable itself if exogenous, its residual otherwise);
    ``products[v]`` the list of ``(coef, a, b)``, meaning
    ``coef * (a'z * b'z - a'Phi b)``; ``phi`` the covariance of the sources.
    """

    order: list[str]
    index: dict[str, int]
    phi: np.ndarray
    linear: dict[str, np.ndarray]
    products: dict[str, list[tuple[float, np.ndarray, np.ndarray]]]

    def cov(self, u: str, v: str) -> float:
        """Population covariance of two variables (Isserlis for the product parts)."""
        phi = self.phi
        total = float(self.linear[u] @ phi @ self.linear[v])
        for c, a, b in self.products[u]:
            for d, e, f in self.products[v]:
                total += (
                    c
                    * d
                    * (
                        float(a @ phi @ e) * float(b @ phi @ f)
                        + float(a @ phi @ f) * float(b @ phi @ e)
                    )
                )
        return total

    def sd(self, v: str) -> float:
        return float(np.sqrt(self.cov(v, v)))


def _topological(model: PopulationModel) -> list[str]:
    """Variables ordered causes first; raises on feedback loops."""
    variables = model.variables
    parents = {v: [] for v in variables}
    for v in variables:
        for p in model.parents(v):
            parents[v].extend(p if isinstance(p, tuple) else (p,))
    done: list[str] = []
    state: dict[str, int] = {}

    def visit(v: str, path: tuple[str, ...]) -> None:
        if state.get(v) == 2:
            return
        if state.get(v) == 1:
            loop = " -> ".join((*path[path.index(v) :], v))
            raise ModelError(
                f"the model is not recursive ({loop}); feedback loops are not supported"
            )
        state[v] = 1
        for p in parents[v]:
            visit(p, (*path, v))
        state[v] = 2
        done.append(v)

    for v in variables:
        visit(v, ())
    return done


def _structure(model: PopulationModel, standardized: bool) -> _Structure:
    order = _topological(model)
    index = {v: i for i, v in enumerate(order)}
    k = len(order)
    phi = np.zeros((k, k))
    given_var = {a for (a, b) in model.covariances if a == b}
    for (a, b), value in model.covariances.items():
        phi[index[a], index[b]] = phi[index[b], index[a]] = value
    linear: dict[str, np.ndarray] = {}
    products: dict[str, list[tuple[float, np.ndarray, np.ndarray]]] = {}
    st = _Structure(order, index, phi, linear, products)
    for v in order:
        parents = model.parents(v)
        w = np.zeros(k)
        w[index[v]] = 1.0
        prods: list[tuple[float, np.ndarray, np.ndarray]] = []
        for p, coef in parents.items():
            if isinstance(p, tuple):
                x, z = p
                if products[x] or products[z]:
                    raise ModelError(
                        f"{v} ~ {x}:{z}: the components of a product must not depend on "
                        "another product"
                    )
                prods.append((coef, linear[x], linear[z]))
            else:
                w = w + coef * linear[p]
                prods.extend((coef * c, a, b) for c, a, b in products[p])
        linear[v], products[v] = w, prods
        if v in given_var:
            continue
        if not parents or not standardized:
            phi[index[v], index[v]] = 1.0
            continue
        residual = 1.0 - st.cov(v, v)  # the residual variance is still 0 here
        if residual < 0:
            raise ModelError(
                f"the paths and loadings into {v} explain {1 - residual:.3f} of its variance "
                "(more than 1); lower them or give its residual variance with ~~"
            )
        phi[index[v], index[v]] = residual
    eig = np.linalg.eigvalsh(phi)
    if eig.min() < -1e-10:
        raise ModelError(
            "the variances and covariances of the exogenous variables and residuals are not "
            f"positive semi-definite (smallest eigenvalue {eig.min():.3g}); check the ~~ values"
        )
    return st


# ---------------------------------------------------------------------------
# Likert cutting
# ---------------------------------------------------------------------------


def default_thresholds(points: int) -> np.ndarray:
    """Default Likert thresholds in SD units: ``points - 1`` cuts equally spaced on [-2.05, 0.75].

    They give a mildly negatively skewed distribution, typical of agreement
    and satisfaction items.

    Examples
    --------
    >>> default_thresholds(5).round(4).tolist()
    [-2.05, -1.1167, -0.1833, 0.75]
    >>> np.diff(stats.norm.cdf([-np.inf, *default_thresholds(5), np.inf])).round(3).tolist()
    [0.02, 0.112, 0.295, 0.346, 0.227]
    """
    if int(points) != points or points < 2:
        raise InputError("a Likert scale needs at least 2 points", value=points)
    return np.linspace(*DEFAULT_THRESHOLD_RANGE, int(points) - 1)


def thresholds_from_proportions(proportions: Sequence[float]) -> np.ndarray:
    """Thresholds (normal quantiles) that give categories with these proportions.

    Parameters
    ----------
    proportions : sequence of float
        Category proportions, lowest category first; normalised to sum to 1.

    Examples
    --------
    >>> thresholds_from_proportions([0.5, 0.5]).tolist()
    [0.0]
    >>> thresholds_from_proportions([1, 2, 1]).round(4).tolist()
    [-0.6745, 0.6745]
    """
    p = np.asarray(proportions, dtype=float)
    if p.ndim != 1 or p.size < 2 or (p <= 0).any():
        raise InputError(
            "category proportions must be at least two positive numbers", value=list(p)
        )
    return stats.norm.ppf(np.cumsum(p / p.sum())[:-1])


def cut_likert(scores: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
    """Categories 1..k of standardised scores: ``k`` when ``t[k-2] < z <= t[k-1]``.

    Examples
    --------
    >>> cut_likert(np.array([-3.0, -0.5, 0.0, 0.2, 2.0]), [-1.0, 0.0, 1.0]).tolist()
    [1, 2, 2, 3, 4]
    """
    t = np.asarray(thresholds, dtype=float)
    if t.ndim != 1 or (np.diff(t) <= 0).any():
        raise InputError("Likert thresholds must be strictly increasing", value=t.tolist())
    return np.searchsorted(t, scores, side="left").astype(np.int64) + 1


def _likert_spec(
    likert: int | Mapping[str, int] | None,
    thresholds: Sequence[float] | Mapping[str, Sequence[float]] | None,
    observed: list[str],
) -> dict[str, np.ndarray]:
    """``{variable: thresholds}`` for every variable to cut."""
    if likert is None:
        if thresholds is not None and not isinstance(thresholds, Mapping):
            raise InputError("thresholds given for every variable but likert is None")
        points = {}
    elif isinstance(likert, Mapping):
        points = dict(likert)
    else:
        points = dict.fromkeys(observed, likert)
    if isinstance(thresholds, Mapping):
        for v, t in thresholds.items():
            if not (isinstance(likert, Mapping) and v in likert):
                points[v] = len(t) + 1
    spec: dict[str, np.ndarray] = {}
    for v, k in points.items():
        if v not in observed:
            raise InputError(
                "not an observed variable of the model", column=v, hint=f"observed: {observed}"
            )
        if isinstance(thresholds, Mapping) and v in thresholds:
            t = np.asarray(thresholds[v], dtype=float)
        elif thresholds is not None and not isinstance(thresholds, Mapping):
            t = np.asarray(thresholds, dtype=float)
        else:
            t = default_thresholds(k)
        if t.size != k - 1:
            raise InputError(f"a {k}-point item needs {k - 1} thresholds, got {t.size}", column=v)
        if (np.diff(t) <= 0).any():
            raise InputError("thresholds must be strictly increasing", column=v, value=t.tolist())
        spec[v] = t
    return spec


# ---------------------------------------------------------------------------
# simulation
# ---------------------------------------------------------------------------


def simulate_data(
    model: str | PopulationModel,
    n: int,
    seed: Seed,
    *,
    likert: int | Mapping[str, int] | None = None,
    thresholds: Sequence[float] | Mapping[str, Sequence[float]] | None = None,
    standardized: bool = True,
    return_latent: bool = False,
) -> pd.DataFrame:
    """Draw ``n`` respondents from a fixed-coefficient population model.

    Parameters
    ----------
    model : str or PopulationModel
        lavaan syntax with numbers (see the module docstring for the rules).
    n : int
        Number of rows.
    seed : int, SeedSequence or Generator
        The only source of randomness; the same seed gives the same data.
    likert : int or dict, optional
        Cut observed variables into categories 1..k: an int cuts every
        observed variable, ``{"x1": 5, "x2": 7}`` only those named. None
        keeps continuous scores.
    thresholds : sequence or dict of sequences, optional
        Cut points in population-SD units (``k - 1`` increasing numbers), for
        every cut variable or per variable; default
        :func:`default_thresholds`. A variable with thresholds in the dict
        is cut into ``len + 1`` categories even if ``likert`` does not name
        it or is an int.
    standardized : bool
        Residual variances make every endogenous variable's variance 1
        (default, lavaan's ``standardized = TRUE``); with False they are 1.
    return_latent : bool
        Also return the latent scores (continuous), after the observed columns.

    Returns
    -------
    DataFrame
        Observed variables in order of first appearance in the model:
        float scores, or int64 categories for the cut ones.

    Notes
    -----
    All normal sources are drawn at once as ``Z @ chol(Phi).T`` from one
    ``numpy.random.Generator``; variables are then built causes first.

    Examples
    --------
    >>> # In R: lavaan::simulateData("F =~ 0.8*x1 + 0.7*x2 + 0.6*x3", sample.nobs = 4,
    >>> #                            standardized = TRUE)  (other random numbers)
    >>> simulate_data("F =~ 0.8*x1 + 0.7*x2 + 0.6*x3", 4, seed=1, likert=5)
       x1  x2  x3
    0   5   4   3
    1   5   4   5
    2   4   4   4
    3   3   3   4
    """
    if int(n) != n or n < 1:
        raise InputError("the number of respondents must be a positive whole number", value=n)
    parsed = (
        model
        if isinstance(model, PopulationModel)
        else parse_population_model(model, standardized=standardized)
    )
    st = _structure(parsed, standardized)
    spec = _likert_spec(likert, thresholds, parsed.observed)
    rng = np.random.default_rng(seed)
    k = len(st.order)
    live = np.flatnonzero(np.diag(st.phi) > 0)
    try:
        chol = np.linalg.cholesky(st.phi[np.ix_(live, live)])
    except np.linalg.LinAlgError as exc:
        raise ModelError(
            "the covariances of the exogenous variables and residuals are singular; "
            "check the ~~ values"
        ) from exc
    sources = np.zeros((int(n), k))
    sources[:, live] = rng.standard_normal((int(n), live.size)) @ chol.T
    values: dict[str, np.ndarray] = {}
    for v in st.order:
        y = sources[:, st.index[v]].copy()
        for p, coef in parsed.parents(v).items():
            if isinstance(p, tuple):
                x, z = p
                y += coef * (values[x] * values[z] - st.cov(x, z))
            else:
                y += coef * values[p]
        values[v] = y
    columns = list(parsed.observed) + (list(parsed.latent) if return_latent else [])
    out = {}
    for v in columns:
        out[v] = cut_likert(values[v] / st.sd(v), spec[v]) if v in spec else values[v]
    return pd.DataFrame(out, columns=columns)


def implied_estimates(
    population: str,
    analysis: str,
    *,
    seed: Seed,
    n: int = 200_000,
    likert: int | Mapping[str, int] | None = None,
    thresholds: Sequence[float] | Mapping[str, Sequence[float]] | None = None,
) -> pd.DataFrame:
    """Values an analysis of (Likert) data from ``population`` should recover.

    Simulates one very large sample and fits the ``analysis`` model (lavaan syntax with free parameters,
    ``:=`` allowed) to it by ML with :func:`sqresearch.sem.fit.fit_sem`
    (semopy, tightly converged). With ``n = 200000`` the Monte Carlo error
    of a standardised estimate is about 0.002.

    Returns
    -------
    DataFrame
        ``lhs, op, rhs, label, est, se, std_all`` in lavaan's row order
        (``parameterEstimates(fit, standardized = TRUE)``).

    Examples
    --------
    >>> est = implied_estimates("F =~ 0.8*x1 + 0.8*x2 + 0.8*x3", "F =~ x1 + x2 + x3",
    ...                         n=20_000, seed=1, likert=5)
    >>> est.loc[est.op == "=~", "std_all"].round(2).tolist()  # attenuated from 0.8
    [0.75, 0.76, 0.77]
    """
    from sqresearch.sem.fit import fit_sem

    data = simulate_data(population, n, seed, likert=likert, thresholds=thresholds)
    fit = fit_sem(analysis, data)
    if not fit.converged:
        raise ModelError("the analysis model did not converge on the large simulated sample")
    return fit.estimates[["lhs", "op", "rhs", "label", "est", "se", "std_all"]].reset_index(
        drop=True
    )
