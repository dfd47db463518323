"""Monte Carlo power analysis for SEM and mediation (as simsem or pwrSEM in R).

For each sample size, ``n_rep`` data sets are simulated from a population
model (lavaan syntax with fixed values, :func:`sqresearch.simulate.simulate_data`),
the analysis model is fitted to each, and per parameter we report

- ``power``: share of converged replications with p < alpha (or, for
  bootstrap indirect effects, with a CI that excludes 0);
- ``bias``: mean estimate minus the true value *on the analysed scale*;
- ``coverage``: share of 95% CIs that contain the true value;
- ``convergence``: share of replications whose fit converged;

plus the smallest sample size that reaches the target power.

The true values on the analysed scale come, by default, from fitting the
analysis model to one very large simulated sample: marker-variable
identification, Likert cutting and defined parameters all change the scale,
so population coefficients are not what an analysis of the data recovers
(see ``shared/NOTES.md``, "Simulated truth").

Execution: the replications are cut into chunks run through joblib on local
cores, or on a Dask distributed cluster when ``scheduler`` names one (joblib's
``dask`` backend). Replication *i* always draws from the *i*-th child of
``numpy.random.SeedSequence(seed)`` and BLAS is limited to one thread inside
workers, so the results are identical whatever the backend and the number of
workers. Finished chunks are written to ``cache_dir`` as they arrive, and a
rerun with the same settings resumes from them.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from sqresearch.errors import InputError

ROW_COLUMNS = ["param", "est", "se", "pvalue", "ci_lower", "ci_upper"]
LARGE_SAMPLE = 100_000


class Analysis(Protocol):
    """What :func:`power_analysis` fits to each simulated data set.

    ``__call__(data, rng)`` returns a DataFrame with columns ``param``, ``est``,
    ``se``, ``pvalue``, ``ci_lower``, ``ci_upper`` (NaN where not defined) and a
    bool attribute-free column ``converged`` is added by the caller from
    exceptions; ``key()`` is a text that identifies the analysis for the cache.
    """

    def __call__(self, data: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame: ...

    def key(self) -> str: ...


@dataclass(frozen=True)
class SEMAnalysis:
    """Fit a lavaan-syntax model with :func:`sqresearch.sem.fit.fit_sem`.

    Parameters
    ----------
    model : str
        Analysis model (free parameters, labels and ``:=`` allowed).
    params : sequence of str, optional
        Parameters to track, written ``"lhs op rhs"`` (``"SOB ~ CVA"``) or as a
        label / defined-parameter name (``"ind1"``). Default: every ``~`` and
        ``:=`` row.
    """

    model: str
    params: tuple[str, ...] | None = None

    def key(self) -> str:
        return json.dumps(["sem", self.model, self.params])

    def __call__(self, data: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        from sqresearch.sem.fit import fit_sem

        result = fit_sem(self.model, data)
        table = result.estimates
        names = np.where(
            table["op"] == ":=", table["lhs"], table["lhs"] + " " + table["op"] + " " + table["rhs"]
        )
        table = table.assign(param=names)
        if self.params is None:
            table = table[table["op"].isin(["~", ":="])]
        else:
            wanted = set(self.params)
            table = table[table["param"].isin(wanted) | table["label"].isin(wanted)]
        z = 1.959963984540054  # Wald 95% CI, as lavaan's parameterEstimates
        out = table.assign(ci_lower=table["est"] - z * table["se"], ci_upper=table["est"] + z * table["se"])
        out = out[ROW_COLUMNS].reset_index(drop=True)
        out.attrs["converged"] = bool(result.converged)
        return out


@dataclass(frozen=True)
class OLSAnalysis:
    """Regress ``y`` on ``x`` (a list) with OLS; tracks every slope ``"y ~ x"``.

    The simplest analysis, used to validate the machinery against analytic power.
    """

    y: str
    x: tuple[str, ...]

    def key(self) -> str:
        return json.dumps(["ols", self.y, list(self.x)])

    def __call__(self, data: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        frame = data[[*self.x, self.y]].dropna().to_numpy(float)
        z = np.column_stack([np.ones(len(frame)), frame])  # const, x..., y
        k = len(self.x)
        coef, se, dof = _ols(z.T @ z, list(range(k + 1)), k + 1, len(frame))
        names = [f"{self.y} ~ {name}" for name in self.x]
        return pd.DataFrame(_t_rows(names, coef[1:], se[1:], dof), columns=ROW_COLUMNS)


def _ols(cross: np.ndarray, x_cols: list[int], outcome: int, n: int) -> tuple[np.ndarray, np.ndarray, int]:
    """OLS coefficients, standard errors and residual df from the cross-products ``Z'Z``."""
    xtx_inv = np.linalg.inv(cross[np.ix_(x_cols, x_cols)])
    coef = xtx_inv @ cross[x_cols, outcome]
    dof = n - len(x_cols)
    rss = cross[outcome, outcome] - coef @ cross[x_cols, outcome]
    return coef, np.sqrt(np.diag(xtx_inv) * rss / dof), dof


def _t_rows(names, est, se, dof) -> list[tuple]:
    """Rows (param, est, se, two-sided t p-value, 95% t interval) for ``ROW_COLUMNS``."""
    from scipy import stats

    est, se = np.asarray(est, float), np.asarray(se, float)
    dof = np.broadcast_to(dof, est.shape)
    crit = stats.t.ppf(0.975, dof)
    pvalue = 2 * stats.t.sf(np.abs(est / se), dof)
    return list(zip(names, est, se, pvalue, est - crit * se, est + crit * se, strict=True))


@dataclass(frozen=True)
class MediationAnalysis:
    """PROCESS model 4 (parallel mediators) with a percentile bootstrap.

    Tracks the ``a`` and ``b`` paths (OLS p-values), the direct effect, and
    each specific indirect effect (significant when its bootstrap CI excludes 0).
    """

    x: str
    m: tuple[str, ...]
    y: str
    covariates: tuple[str, ...] = ()
    n_boot: int = 2000

    def point_only(self) -> MediationAnalysis:
        """The same analysis without the bootstrap (for the large-sample truth)."""
        return replace(self, n_boot=0)

    def key(self) -> str:
        return json.dumps(["mediation", self.x, list(self.m), self.y, list(self.covariates), self.n_boot])

    def __call__(self, data: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        # The same numbers as sqresearch.model.process.process(model=4) with the
        # same seed (tests/test_power.py checks it), without building its tables:
        # a power run repeats this thousands of times.
        from sqresearch.model import bootstrap as bs

        k, n_cov = len(self.m), len(self.covariates)
        frame = data[[self.x, *self.m, *self.covariates, self.y]].dropna().to_numpy(float)
        n = len(frame)
        z = np.column_stack([np.ones(n), frame])  # const, X, M1..Mk, covariates, Y
        covs = list(range(2 + k, 2 + k + n_cov))
        y_col = z.shape[1] - 1
        cross = z.T @ z
        m_eq = [0, 1, *covs]
        y_eq = [0, 1, *range(2, 2 + k), *covs]
        names, est, se, dof = [], [], [], []
        a = np.empty(k)
        for i, mediator in enumerate(self.m):
            coef, err, df = _ols(cross, m_eq, 2 + i, n)
            a[i] = coef[1]
            names.append(f"a {mediator}")
            est.append(coef[1])
            se.append(err[1])
            dof.append(df)
        coef, err, df = _ols(cross, y_eq, y_col, n)
        b = coef[2 : 2 + k]
        names += [f"b {mediator}" for mediator in self.m] + ["direct"]
        est += [*b, coef[1]]
        se += [*err[2 : 2 + k], err[1]]
        dof += [df] * (k + 1)
        rows = _t_rows(names, est, se, np.asarray(dof))
        point = a * b
        if self.n_boot:
            boot_cross = bs.bootstrap_cross_products(z, self.n_boot, int(rng.integers(2**63)))
            a_b = np.column_stack([bs.batched_ols(boot_cross, m_eq, 2 + i)[:, 1] for i in range(k)])
            b_b = bs.batched_ols(boot_cross, y_eq, y_col)[:, 2 : 2 + k]
            draws = a_b * b_b
            draws = np.column_stack([draws, draws.sum(axis=1)])
            lower, upper = bs.percentile_ci(draws)
            boot_se = np.nanstd(draws, axis=0, ddof=1)
        else:
            lower = upper = boot_se = np.full(k + 1, np.nan)
        for i, name in enumerate([*self.m, "total"]):
            effect = point[i] if i < k else point.sum()
            rows.append((f"indirect {name}", effect, boot_se[i], np.nan, lower[i], upper[i]))
        return pd.DataFrame(rows, columns=ROW_COLUMNS)


@dataclass
class PowerResult:
    """Monte Carlo power results.

    Attributes
    ----------
    replications : DataFrame
        One row per sample size, replication and parameter: ``n``, ``rep``,
        ``param``, ``est``, ``se``, ``pvalue``, ``ci_lower``, ``ci_upper``,
        ``converged``.
    summary : DataFrame
        Per ``n`` and ``param``: ``truth``, ``power``, ``power_mcse`` (its Monte
        Carlo standard error), ``mean_est``, ``bias``, ``coverage``,
        ``convergence``, ``n_rep``.
    truth : Series
        True value of each parameter on the analysed scale.
    alpha, target : float
    settings : dict
        What identifies the run (population, analysis, seed, n_rep, ...).
    sample_sizes : list of int
        As given.
    """

    replications: pd.DataFrame
    summary: pd.DataFrame
    truth: pd.Series
    alpha: float
    target: float
    settings: dict = field(default_factory=dict)
    sample_sizes: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """The ``sqresearch power --json`` document.

        ``settings`` (sample_sizes, n_rep, seed, alpha, target), ``summary``
        (one object per sample size and parameter), ``minimum_n`` (per
        parameter; null when no size reaches the target), ``truth``.
        """
        minimum = self.minimum_n().set_index("param")["min_n"]
        return {
            "settings": {
                "sample_sizes": list(self.sample_sizes),
                "n_rep": self.settings.get("n_rep"),
                "seed": self.settings.get("seed"),
                "alpha": self.alpha,
                "target": self.target,
            },
            "summary": self.summary.to_dict(orient="records"),
            "minimum_n": {p: (None if v != v else int(v)) for p, v in minimum.items()},
            "truth": self.truth.to_dict(),
        }

    def minimum_n(self) -> pd.DataFrame:
        """Smallest sample size whose power reaches ``target``, per parameter (NaN if none)."""
        rows = []
        for param, block in self.summary.groupby("param", sort=False):
            reached = block.loc[block["power"] >= self.target, "n"]
            rows.append({"param": param, "min_n": float(reached.min()) if len(reached) else math.nan})
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        return (
            f"<p><b>Monte Carlo power</b> (alpha = {self.alpha}, target = {self.target})</p>"
            + self.summary.to_html(index=False, float_format=lambda v: f"{v:.3f}")
        )


def _significant(frame: pd.DataFrame, alpha: float) -> pd.Series:
    """p < alpha where a p-value exists, else a CI that excludes 0."""
    by_p = frame["pvalue"] < alpha
    by_ci = (frame["ci_lower"] > 0) | (frame["ci_upper"] < 0)
    return by_p.where(frame["pvalue"].notna(), by_ci)


def summarise(
    replications: pd.DataFrame, truth: pd.Series, alpha: float = 0.05, n_rep: int | None = None
) -> pd.DataFrame:
    """Power, bias, coverage and convergence per sample size and parameter.

    ``n_rep`` is the number of replications attempted per sample size: a
    replication whose fit failed outright left no rows, and counts as not
    converged. Without it, the rows present are taken as all attempts.

    Examples
    --------
    >>> reps = pd.DataFrame({"n": [50, 50], "rep": [0, 1], "param": ["b", "b"],
    ...     "est": [0.2, 0.4], "se": [0.1, 0.1], "pvalue": [0.04, 0.2],
    ...     "ci_lower": [0.0, 0.2], "ci_upper": [0.4, 0.6], "converged": [True, True]})
    >>> summarise(reps, pd.Series({"b": 0.3}))[["n", "param", "power", "coverage"]]
        n param  power  coverage
    0  50     b    0.5       1.0
    """
    frame = replications.copy()
    frame["significant"] = _significant(frame, alpha)
    frame["truth"] = frame["param"].map(truth).astype(float)
    frame["covers"] = (frame["ci_lower"] <= frame["truth"]) & (frame["truth"] <= frame["ci_upper"])
    rows = []
    for (n, param), block in frame.groupby(["n", "param"], sort=False):
        ok = block[block["converged"]]
        power = float(ok["significant"].mean()) if len(ok) else math.nan
        true_value = float(block["truth"].iloc[0])
        rows.append(
            {
                "n": int(n),
                "param": param,
                "truth": true_value,
                "power": power,
                "power_mcse": math.sqrt(power * (1 - power) / len(ok)) if len(ok) else math.nan,
                "mean_est": float(ok["est"].mean()) if len(ok) else math.nan,
                "bias": float(ok["est"].mean() - true_value) if len(ok) else math.nan,
                "coverage": float(ok["covers"].mean()) if len(ok) and not math.isnan(true_value) else math.nan,
                "convergence": float(block["converged"].sum() / (n_rep or len(block))),
                "n_rep": int(n_rep or len(block)),
            }
        )
    return pd.DataFrame(rows).sort_values(["param", "n"], kind="stable").reset_index(drop=True)


def _one_replication(
    population, analysis: Analysis, n: int, child: np.random.SeedSequence, likert
) -> pd.DataFrame | None:
    from sqresearch.simulate import simulate_data

    data_seed, analysis_seed = child.spawn(2)
    data = simulate_data(population, n, seed=np.random.default_rng(data_seed), likert=likert)
    try:
        rows = analysis(data, np.random.default_rng(analysis_seed))
        converged = bool(rows.attrs.get("converged", True))
    except Exception:  # noqa: BLE001 - a replication that cannot be fitted leaves no rows;
        return None  # summarise counts it as not converged
    return rows.assign(converged=converged)


def _run_chunk(population, analysis, n, start, children, likert) -> tuple[int, int, pd.DataFrame]:
    """Replications ``start .. start+len(children)-1`` at sample size ``n``, BLAS on one thread."""
    from threadpoolctl import threadpool_limits

    from sqresearch.simulate import parse_population_model

    if isinstance(population, str):  # parsed once per chunk, not once per replication
        population = parse_population_model(population)
    frames = []
    with threadpool_limits(limits=1):
        for offset, child in enumerate(children):
            rows = _one_replication(population, analysis, n, child, likert)
            if rows is not None:
                frames.append(rows.assign(n=n, rep=start + offset))
    columns = ["n", "rep", "param", *ROW_COLUMNS[1:], "converged"]
    return n, start, pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _cache_folder(cache_dir: Path, settings: dict) -> Path:
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
    folder = Path(cache_dir) / digest
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.json").write_text(json.dumps(settings, indent=2, ensure_ascii=False), encoding="utf-8")
    return folder


def large_sample_truth(
    population: str, analysis: Analysis, seed: int, likert=None, n: int = LARGE_SAMPLE
) -> pd.Series:
    """True values on the analysed scale: the analysis fitted to one very large sample."""
    from sqresearch.simulate import simulate_data

    sequence = np.random.SeedSequence([seed, 0xA11CE])
    data_seed, analysis_seed = sequence.spawn(2)
    data = simulate_data(population, n, seed=np.random.default_rng(data_seed), likert=likert)
    point_only = getattr(analysis, "point_only", None)  # no bootstrap on 100 000 rows
    rows = (point_only() if point_only else analysis)(data, np.random.default_rng(analysis_seed))
    return pd.Series(rows["est"].to_numpy(float), index=rows["param"].to_numpy(), name="truth")


def power_analysis(
    population: str,
    analysis: Analysis,
    sample_sizes: Sequence[int],
    n_rep: int = 1000,
    *,
    seed: int = 0,
    alpha: float = 0.05,
    target: float = 0.80,
    likert=None,
    truth: dict | pd.Series | None = None,
    n_jobs: int = -1,
    scheduler: str | None = None,
    chunk_size: int = 25,
    cache_dir: str | Path | None = None,
    progress: bool = True,
    progress_callback: Callable[[int, int], None] | None = None,
) -> PowerResult:
    """Monte Carlo power of every tracked parameter at each sample size.

    Parameters
    ----------
    population : str
        Population model in lavaan syntax with fixed values.
    analysis : SEMAnalysis, MediationAnalysis or OLSAnalysis
        What is fitted to each simulated data set.
    sample_sizes : sequence of int
    n_rep : int
        Replications per sample size.
    seed : int
        Root of the ``SeedSequence``; replication *i* uses child *i*.
    alpha, target : float
        Significance level and target power.
    likert : int or dict, optional
        Cut indicators into Likert categories (passed to ``simulate_data``).
    truth : mapping, optional
        True values on the analysed scale; default :func:`large_sample_truth`.
    n_jobs : int
        joblib workers (``-1``: all cores); ignored with ``scheduler``.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``"tcp://host:8786"``).
    chunk_size : int
        Replications per task.
    cache_dir : path, optional
        Folder where finished chunks are stored; a rerun resumes from them.
    progress : bool
        Show a tqdm progress bar (notebook-aware).

    Returns
    -------
    PowerResult

    Notes
    -----
    Power is the share of converged replications with p < alpha; for
    parameters without a p-value (bootstrap indirect effects) it is the share
    whose CI excludes 0. Its Monte Carlo standard error is
    :math:`\\sqrt{\\hat p(1-\\hat p)/R}`.

    References
    ----------
    Muthén, L. K., & Muthén, B. O. (2002). How to use a Monte Carlo study to
    decide on sample size and determine power. Structural Equation Modeling,
    9(4), 599–620.

    Examples
    --------
    >>> population = "y ~ 0.3*x"
    >>> result = power_analysis(population, OLSAnalysis("y", ("x",)), [40, 80],
    ...                         n_rep=20, seed=1, n_jobs=1, progress=False)
    >>> result.summary[["n", "param", "n_rep"]]
        n  param  n_rep
    0  40  y ~ x     20
    1  80  y ~ x     20
    """
    import joblib
    from tqdm.auto import tqdm

    sizes = [int(n) for n in sample_sizes]
    if not sizes or min(sizes) < 3:
        raise InputError("sample sizes must be whole numbers of at least 3", column="sample_sizes", value=sizes)
    if n_rep < 1:
        raise InputError("n_rep must be at least 1", column="n_rep", value=n_rep)
    children = np.random.SeedSequence(seed).spawn(len(sizes) * n_rep)
    tasks = []
    for i, n in enumerate(sizes):
        for start in range(0, n_rep, chunk_size):
            stop = min(start + chunk_size, n_rep)
            tasks.append((n, start, children[i * n_rep + start : i * n_rep + stop]))
    settings = {
        "population": population, "analysis": analysis.key(), "seed": seed,
        "n_rep": n_rep, "chunk_size": chunk_size, "likert": likert,
    }
    folder = _cache_folder(Path(cache_dir), settings) if cache_dir is not None else None

    def chunk_path(n: int, start: int) -> Path:
        return folder / f"n{n}_rep{start}.csv"

    done: dict[tuple[int, int], pd.DataFrame] = {}
    pending = []
    for n, start, kids in tasks:
        if folder is not None and chunk_path(n, start).is_file():
            done[(n, start)] = pd.read_csv(chunk_path(n, start))
        else:
            pending.append((n, start, kids))

    bar = tqdm(total=len(tasks), initial=len(done), desc="power", unit="chunk", disable=not progress)

    def run_all() -> None:
        parallel = joblib.Parallel(n_jobs=n_jobs if scheduler is None else -1, return_as="generator_unordered")
        jobs = (joblib.delayed(_run_chunk)(population, analysis, n, start, kids, likert) for n, start, kids in pending)
        for n, start, frame in parallel(jobs):
            if folder is not None:
                frame.to_csv(chunk_path(n, start), index=False)
            done[(n, start)] = frame
            bar.update(1)
            if progress_callback is not None:
                progress_callback(len(done), len(tasks))

    try:
        if scheduler is None:
            run_all()
        else:
            with _dask_client(scheduler), joblib.parallel_config(backend="dask"):
                run_all()
    finally:
        bar.close()

    replications = pd.concat([done[(n, start)] for n, start, _ in tasks], ignore_index=True)
    replications = replications[["n", "rep", "param", *ROW_COLUMNS[1:], "converged"]].astype({"converged": bool})
    if truth is None:
        truth = large_sample_truth(population, analysis, seed, likert=likert)
    truth = pd.Series(truth, dtype=float)
    summary = summarise(replications, truth, alpha=alpha, n_rep=n_rep)
    return PowerResult(replications, summary, truth, alpha, target, settings, sizes)


#: Seconds to wait for a Dask scheduler before giving up (Dask's default is 30).
SCHEDULER_TIMEOUT = 5


def _dask_client(scheduler: str):
    """A Dask client of ``scheduler``; an address that does not answer fails within seconds."""
    import socket
    from urllib.parse import urlsplit

    from dask.distributed import Client

    try:
        address = urlsplit(scheduler if "://" in scheduler else f"tcp://{scheduler}")
        if address.scheme == "tcp" and address.hostname and address.port:
            socket.create_connection((address.hostname, address.port), SCHEDULER_TIMEOUT).close()
        return Client(scheduler, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            f"cannot reach the Dask scheduler within {SCHEDULER_TIMEOUT} s ({type(exc).__name__})",
            value=scheduler,
            hint="check the address (tcp://host:8786) and that the scheduler runs, or leave out "
            "--scheduler to use the local cores",
        ) from None


def population_from_framework(
    framework,
    *,
    loading: float = 0.7,
    effect: float = 0.3,
    direct: float = 0.1,
    correlation: float = 0.3,
    effects: dict[str, float] | None = None,
) -> str:
    """A population model for power planning from a framework's SEM and assumed effect sizes.

    Every indicator of the SEM's constructs loads ``loading``; every
    hypothesised path (labels ``a``, ``b``, ``d``, ``p``) is ``effect``, every
    direct path of a mediation hypothesis (``c``) is ``direct``, exogenous
    constructs correlate ``correlation``; ``effects`` overrides single paths
    written ``"Y ~ X"``. Values are standardised (see
    :func:`sqresearch.simulate.simulate_data`). Pair it with
    ``SEMAnalysis(framework.model_syntax())``.

    Examples
    --------
    >>> from sqresearch.constructs import get_framework
    >>> text = population_from_framework(get_framework(), effects={"SOB ~ CVA": 0.2})
    >>> [line for line in text.splitlines() if line.startswith("SOB ~")]
    ['SOB ~ 0.2*CVA + 0.3*IRI + 0.3*CEX']
    """
    import re

    effects = dict(effects or {})
    blocks = framework.blocks()
    lines = ["# 1. latent variables"]
    for code in (c for c in framework.sem_constructs() if c in blocks):  # single items: observed
        lines.append(f"{code} =~ " + " + ".join(f"{loading:g}*{item}" for item in blocks[code]))
    lines += ["", "# 2. regressions"]
    endogenous = set()
    for line in framework.structural_syntax().splitlines():
        if ":=" in line or "~" not in line:
            continue
        lhs, rhs = (part.strip() for part in line.split("~", 1))
        endogenous.add(lhs)
        terms = []
        for term in rhs.split("+"):
            label, _, name = term.strip().rpartition("*")
            default = direct if re.match(r"c\d*$", label) else effect
            terms.append(f"{effects.pop(f'{lhs} ~ {name}', default):g}*{name}")
        lines.append(f"{lhs} ~ " + " + ".join(terms))
    if effects:
        raise InputError("these paths are not in the framework's SEM", value=sorted(effects))
    exogenous = [code for code in framework.sem_constructs() if code not in endogenous]
    lines += ["", "# 3. covariances"]
    lines += [f"{a} ~~ {correlation:g}*{b}" for i, a in enumerate(exogenous) for b in exogenous[i + 1 :]]
    return "\n".join(lines) + "\n"


def analytic_regression_power(beta: float, n: int, alpha: float = 0.05, r2_other: float = 0.0) -> float:
    """Power of the t test of one standardised slope in OLS (noncentral t).

    For ``y = beta*x + e`` with unit-variance ``x`` and ``y``, the slope's
    t statistic has noncentrality ``beta*sqrt(n)/sqrt(1 - beta**2 - r2_other)``
    (Cohen, 1988, f² = R²/(1 − R²); λ = f²·N as G*Power's fixed-model
    linear regression).

    Examples
    --------
    >>> round(analytic_regression_power(0.3, 85), 3)
    0.817
    """
    from scipy import stats

    dof = n - 2
    noncentrality = beta * math.sqrt(n) / math.sqrt(1 - beta**2 - r2_other)
    crit = stats.t.ppf(1 - alpha / 2, dof)
    return float(stats.nct.sf(crit, dof, noncentrality) + stats.nct.cdf(-crit, dof, noncentrality))
