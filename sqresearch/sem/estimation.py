"""Maximum likelihood over a lavaan parameter table, for one or several groups.

:class:`MLProblem` joins the parameter table (:mod:`sqresearch.sem.syntax`),
the RAM structure of each group (:mod:`sqresearch.sem.implied`) and the data
moments (:mod:`sqresearch.sem.likelihood`). It evaluates lavaan's fit
function F = Σ_g (N_g/N)·F_ML,g (or −logL/N under FIML), its gradient and the
information matrices and, for complete data, the exact Hessian, and finds
the estimates by Newton steps (:meth:`MLProblem.polish`) from closed-form
starting values (:mod:`sqresearch.sem.start`). Derivatives come in
structured form (:meth:`GroupStructure.gradient_traces` and friends): every
∂Σ/∂θ is one or two outer products, so no k × p × p array is formed.
FIML starts from the complete-data ML fit to the EM moments
(:meth:`MLProblem.on_moments`) and is finished by :meth:`MLProblem.refine`
and Newton steps: semopy's own FIML is two orders of magnitude slower.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, optimize

from sqresearch.sem.implied import GroupStructure, _t
from sqresearch.sem.likelihood import (
    GroupData,
    expected_information,
    fiml_gradient,
    fiml_loglik,
    loglik_complete,
)


@dataclass
class MLProblem:
    """A parameter table with its groups' structures and data.

    Attributes
    ----------
    table : DataFrame
        Parameter table (``free`` ids 1..K, ``ustart`` fixed values).
    structures : list of GroupStructure
    data : list of GroupData
    meanstructure : bool
    fiml : bool
        Casewise likelihood over missing-data patterns.
    """

    table: pd.DataFrame
    structures: list[GroupStructure]
    data: list[GroupData]
    meanstructure: bool
    fiml: bool = False

    def __post_init__(self) -> None:
        self.free = self.table["free"].to_numpy(dtype=int)
        self.n_free = int(self.free.max()) if len(self.free) else 0
        self.fixed_values = self.table["ustart"].to_numpy(dtype=float).copy()
        self.n_total = sum(d.n for d in self.data)
        # first table row of each free parameter, to read θ back from values
        ids, first = np.unique(self.free, return_index=True)
        self.first_row = first[ids > 0]

    def with_data(self, data: list[GroupData]) -> MLProblem:
        """The same model on other data of the same variables (e.g. a bootstrap resample).

        Exogenous fixed.x (co)variances and means take the new data's values,
        as :func:`sqresearch.sem.fit.fit_sem` sets them; nothing is re-parsed.
        """
        new = copy.copy(self)
        for name in ("_cache_key", "_grad_key", "_info_key", "_weights_key"):
            new.__dict__.pop(name, None)
        new.data = data
        new.n_total = sum(d.n for d in data)
        rows, groups, i, j = self._exo_layout()
        if len(rows):
            new.fixed_values = self.fixed_values.copy()
            for g, d in enumerate(data):
                at = groups == g
                cov = d.cov[i[at], np.maximum(j[at], 0)]
                new.fixed_values[rows[at]] = np.where(j[at] >= 0, cov, d.mean[i[at]])
        return new

    def _exo_layout(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The fixed.x rows of the table: their positions, groups and (i, j) in the data's
        covariance matrix (j = -1 for a mean); kept once computed."""
        if not hasattr(self, "_exo"):
            table = self.table
            rows = np.flatnonzero(table["exo"].to_numpy() == 1)
            position = [{v: k for k, v in enumerate(st.observed)} for st in self.structures]
            groups = table["group"].to_numpy()[rows].astype(int)
            lhs, op, rhs = (table[c].to_numpy()[rows] for c in ("lhs", "op", "rhs"))
            i = np.array([position[g][v] for g, v in zip(groups, lhs, strict=True)], dtype=int)
            j = np.array(
                [
                    position[g][v] if o == "~~" else -1
                    for g, o, v in zip(groups, op, rhs, strict=True)
                ],
                dtype=int,
            )
            self._exo = (rows, groups, i, j)
        return self._exo

    def values(self, theta: np.ndarray) -> np.ndarray:
        """Full vector of table values from the free parameters θ."""
        values = self.fixed_values.copy()
        mask = self.free > 0
        values[mask] = theta[self.free[mask] - 1]
        return values

    def theta(self, values: np.ndarray) -> np.ndarray:
        """Free parameters θ from a full vector of table values."""
        return values[self.first_row]

    def implied(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """(Σ_g, μ_g) per group; μ is None without a mean structure."""
        values = self.values(theta)
        out = []
        for st in self.structures:
            mom = st.moments(values)
            out.append((mom["sigma"], mom["mu"] if self.meanstructure else None))
        return out

    def objective(self, theta: np.ndarray) -> float:
        """lavaan's F: Σ (N_g/N) F_ML,g, or −logL/N under FIML."""
        total = 0.0
        if not self.fiml:  # F_ML from the Cholesky factor and inverse the gradient uses
            for (sigma, inv, _, logdet, inv_d), data in zip(
                self._weights(theta), self.data, strict=True
            ):
                if logdet is None:
                    return np.inf
                value = logdet + np.vdot(data.cov, inv) - data.logdet - len(inv)
                if inv_d is not None:  # + dᵀPd = (Pd)ᵀ Σ (Pd)
                    value += inv_d @ sigma @ inv_d
                total += data.n * value
            return total / self.n_total
        for (sigma, mu), data in zip(self.implied(theta), self.data, strict=True):
            value = -fiml_loglik(sigma, mu, data.batches)
            if not np.isfinite(value):
                return np.inf
            total += value
        return total / self.n_total

    def _terms(self, theta: np.ndarray) -> list[tuple]:
        """Per group: Σ, μ, ids of its free parameters, dΣ/dθ, dμ/dθ (cached for the last θ)."""
        key = theta.tobytes()
        if getattr(self, "_cache_key", None) != key:
            values = self.values(theta)
            terms = []
            for st in self.structures:
                mom = st.moments(values)
                ids, d_sigma, d_mu = st.derivatives(values, self.free)
                mu = mom["mu"] if self.meanstructure else None
                terms.append((mom["sigma"], mu, ids, d_sigma, d_mu))
            self._cache_key, self._cache = key, terms
        return self._cache

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        """Gradient of :meth:`objective` (remembered for the last θ)."""
        key = theta.tobytes()
        if getattr(self, "_grad_key", None) == key:
            return self._grad.copy()
        grad = np.zeros(self.n_free)
        if not self.fiml:
            values = self.values(theta)
            for st, (_, _, w, _, inv_d), data in zip(
                self.structures, self._weights(theta), self.data, strict=True
            ):
                ids, part = st.gradient_traces(values, self.free, w, inv_d)
                grad[ids] += data.n * part
        else:
            for (sigma, mu, ids, d_sigma, d_mu), data in zip(
                self._terms(theta), self.data, strict=True
            ):
                grad[ids] -= fiml_gradient(sigma, mu, data.batches, d_sigma, d_mu)
        self._grad_key, self._grad = key, grad / self.n_total
        return self._grad.copy()

    def expected_information(self, theta: np.ndarray) -> np.ndarray:
        """Expected information of the whole sample (Σ_g N_g I_g)."""
        info = np.zeros((self.n_free, self.n_free))
        if not self.fiml:
            values = self.values(theta)
            for st, (_, inv, _, _, _), data in zip(
                self.structures, self._weights(theta), self.data, strict=True
            ):
                ids, part = st.information_traces(values, self.free, inv, self.meanstructure)
                info[np.ix_(ids, ids)] += data.n * part
            return info
        for (sigma, mu, ids, d_sigma, d_mu), data in zip(
            self._terms(theta), self.data, strict=True
        ):
            info[np.ix_(ids, ids)] += data.n * expected_information(
                sigma, d_sigma, d_mu if mu is not None else None
            )
        return info

    def hessian(self, theta: np.ndarray) -> np.ndarray | None:
        """The exact Hessian of F for complete data (None under FIML).

        Per group as :meth:`~sqresearch.sem.implied.GroupStructure.hessian_traces`
        gives it, weighted by N_g/N.
        """
        if self.fiml:
            return None
        values = self.values(theta)
        hess = np.zeros((self.n_free, self.n_free))
        for st, (_, inv, w, _, inv_d), data in zip(
            self.structures, self._weights(theta), self.data, strict=True
        ):
            ids, part = st.hessian_traces(values, self.free, inv, w, inv_d)
            if len(ids) == self.n_free:  # every parameter, in order
                hess += data.n * part
            else:
                hess[np.ix_(ids, ids)] += data.n * part
        hess /= self.n_total
        return 0.5 * (hess + hess.T)

    def _weights(self, theta: np.ndarray) -> list[tuple]:
        """Per group (complete data) at the last θ: Σ, P = Σ⁻¹, W = P − PTP with
        T = S + d dᵀ (d = x̄ − μ; T = S without a mean structure), log|Σ| (None
        when Σ is not positive definite) and Pd (None without a mean structure)."""
        key = theta.tobytes()
        if getattr(self, "_weights_key", None) != key:
            values = self.values(theta)
            out = []
            for st, data in zip(self.structures, self.data, strict=True):
                mom = st.moments(values)
                sigma = mom["sigma"]
                try:
                    logdet = float(2 * np.log(np.linalg.cholesky(sigma).diagonal()).sum())
                except np.linalg.LinAlgError:
                    logdet = None  # F is +inf there: a step to it is halved
                try:
                    inv = np.linalg.inv(sigma)
                except np.linalg.LinAlgError:
                    inv = np.full_like(sigma, np.nan)
                target, inv_d = data.cov, None
                if self.meanstructure:
                    d = data.mean - mom["mu"]
                    target, inv_d = target + np.outer(d, d), inv @ d
                out.append((sigma, inv, inv - inv @ target @ inv, logdet, inv_d))
            self._weights_key, self._weights_cache = key, out
        return self._weights_cache

    def observed_information(self, theta: np.ndarray) -> np.ndarray:
        """−Hessian of logL, by central differences of the analytic gradient.

        Each step is 1e-5 of the parameter or of its natural unit (the
        complete-data standard deviation per case, 1/√(I_kk/N)), whichever is
        larger, so that it suits a variable in any unit.
        """
        k = self.n_free
        hess = np.zeros((k, k))
        precision = _unit(self.expected_information(theta) / self.n_total)
        unit = np.where(precision > 0, 1 / np.where(precision > 0, precision, 1.0), 1.0)
        for i in range(k):
            step = 1e-5 * max(unit[i], abs(theta[i]))
            up, down = theta.copy(), theta.copy()
            up[i] += step
            down[i] -= step
            hess[i] = (self.gradient(up) - self.gradient(down)) / (2 * step)
        # the gradient is of −logL/N, so its Jacobian times N is −∂²logL
        return 0.5 * (hess + hess.T) * self.n_total

    def information(self, theta: np.ndarray) -> np.ndarray:
        """lavaan's default: observed information under FIML, expected otherwise."""
        key = theta.tobytes()
        if getattr(self, "_info_key", None) != key:
            info = (
                self.observed_information(theta) if self.fiml else self.expected_information(theta)
            )
            self._info_key, self._info = key, info
        return self._info

    def polish(
        self,
        theta: np.ndarray,
        *,
        max_iter: int = 100,
        tol: float = 1e-7,
        reuse: float = 1e-3,
        information: bool = True,
    ) -> tuple[np.ndarray, bool]:
        """Newton steps on F, with step halving.

        Complete data without a mean structure: the exact Hessian
        (:meth:`hessian`; the expected information where the Hessian is not
        positive definite, far from the optimum). With a mean structure: the
        expected information updated by BFGS with each change of the
        gradient — plain Fisher scoring converges only linearly when the
        model misfits (about 30 steps on HolzingerSwineford1939), the
        corrected metric superlinearly. Under FIML the observed information,
        which is the exact Hessian.

        ``tol``: steps below it (in standard-error units) end the search, the
        last one taken; ``reuse``: after a move below it the Hessian is kept.
        Returns the polished θ and whether the gradient vanished; with
        ``information=False`` (a bootstrap resample, which needs no standard
        errors) that is judged in the units of the first step's information.
        """
        current = self.objective(theta)
        grad = self.gradient(theta)
        # the Hessian of F: 2·I/N for F_ML (F = Σ N_g F_ML,g / N), I/N for −logL/N
        weight = 1.0 if self.fiml else 2.0
        exact = not self.fiml
        hess = _Factor.of(self.hessian(theta)) if exact else None
        metric = None if hess is not None else self.information(theta) / self.n_total * weight
        # steps are measured in standard-error-like units, so that the rules do not
        # depend on the variables' units
        unit = hess.unit if hess is not None else _unit(metric)
        fresh, moved_by = True, 0.0  # fresh: the metric is not a BFGS update
        # near the optimum the last Hessian serves as well (convergence stays superlinear):
        # a move below `reuse` keeps it (a step then errs by about reuse · step)
        for _ in range(max_iter):
            if exact and moved_by > reuse:
                hess = _Factor.of(self.hessian(theta))
            if hess is None and metric is None:
                metric = self.information(theta) / self.n_total * weight
            try:
                step = hess.solve(-grad) if hess is not None else _scaled_solve(metric, -grad)
            except np.linalg.LinAlgError:
                return theta, False
            if not np.all(np.isfinite(step)):
                break
            if np.max(np.abs(step) * unit) < tol:
                if fresh:  # already there, as the information or the Hessian itself says
                    theta = theta + step  # the last, tiny step: exact for a saturated model
                    break
            else:
                moved = self._halving_step(theta, step, current)
                if moved is not None:
                    new_theta, current = moved
                    moved_by = np.max(np.abs(new_theta - theta) * unit)
                    new_grad = self.gradient(new_theta)
                    if self.fiml:
                        metric = self.information(new_theta) / self.n_total
                        unit = _unit(metric)
                    elif not exact:
                        s, y = new_theta - theta, new_grad - grad
                        sy = s @ y
                        if sy > 1e-14 * np.sqrt((s @ s) * (y @ y)):
                            ms = metric @ s
                            metric = metric - np.outer(ms, ms) / (s @ ms) + np.outer(y, y) / sy
                            fresh = False
                    theta, grad = new_theta, new_grad
                    continue
                if fresh:
                    break
            # a BFGS metric that stalls or claims convergence: check with the information
            metric = self.information(theta) / self.n_total * weight
            unit, fresh = _unit(metric), True
        return theta, self.converged(theta, unit=None if information else unit)

    def _halving_step(
        self, theta: np.ndarray, step: np.ndarray, current: float
    ) -> tuple[np.ndarray, float] | None:
        """θ + s·step for the largest s in 1, 1/2, 1/4, … (> 1e-6) that does not raise F."""
        scale = 1.0
        while scale > 1e-6:
            trial = theta + scale * step
            value = self.objective(trial)
            if value <= current + 1e-14:
                return trial, value
            scale /= 2
        return None

    def on_moments(self) -> MLProblem:
        """The complete-data ML problem on this problem's moments (FIML: the EM estimates).

        Its estimates are the two-stage ML ones, close to FIML's; its
        expected information is a cheap metric for :meth:`refine`.
        """
        moments = [GroupData(d.n, d.mean, d.cov) for d in self.data]
        return MLProblem(self.table, self.structures, moments, self.meanstructure)

    def refine(
        self, theta: np.ndarray, metric: np.ndarray, *, max_iter: int = 200, tol: float = 1e-10
    ) -> np.ndarray:
        """Minimise :meth:`objective` by steps −M⁻¹∇F with a fixed metric M, with step halving.

        With M the expected information per case of :meth:`on_moments` at
        its estimates, the iteration converges like EM but is much faster:
        the rate is the (small) fraction of information lost to missing data.
        """
        factor = linalg.cho_factor(metric)
        current = self.objective(theta)
        for _ in range(max_iter):
            grad = self.gradient(theta)
            step = -linalg.cho_solve(factor, grad)
            if np.max(np.abs(step)) < tol:
                break
            moved = self._halving_step(theta, step, current)
            if moved is None:
                break
            theta, current = moved
        return theta

    def converged(
        self, theta: np.ndarray, tol: float = 1e-5, *, unit: np.ndarray | None = None
    ) -> bool:
        """Whether the gradient of F is numerically zero, in units that do not depend on scale.

        Each ∂F/∂θ_k is divided by √(I_kk/N), the information of θ_k per
        case: rescaling a variable by c multiplies both by the same power of
        c, so the rule gives the same answer for a variable in any unit.
        """
        grad = self.gradient(theta)
        if not np.all(np.isfinite(grad)):
            return False
        if unit is None:
            try:
                unit = _unit(self.information(theta) / self.n_total)
            except (np.linalg.LinAlgError, ValueError):
                return False
        else:
            unit = unit / np.sqrt(1.0 if self.fiml else 2.0)  # a metric's unit: of 2·I/N
        return bool(np.all(np.isfinite(unit)) and np.max(np.abs(grad) / unit) < tol)

    def minimize(self, theta0: np.ndarray) -> tuple[np.ndarray, bool]:
        """Quasi-Newton (BFGS) from θ0, then :meth:`polish`."""
        result = optimize.minimize(
            lambda t: self._finite(self.objective(t)),
            theta0,
            jac=self.gradient,
            method="BFGS",
            options={"gtol": 1e-8, "maxiter": 5000},
        )
        return self.polish(result.x)

    @staticmethod
    def _finite(value: float) -> float:
        return value if np.isfinite(value) else 1e10

    def loglik(self, theta: np.ndarray) -> float:
        """Log-likelihood of the model (complete data: μ = x̄ without a mean structure)."""
        total = 0.0
        for (sigma, mu), data in zip(self.implied(theta), self.data, strict=True):
            if self.fiml:
                total += fiml_loglik(sigma, mu, data.batches)
            else:
                total += loglik_complete(sigma, mu, data)
        return total


def _unit(info: np.ndarray) -> np.ndarray:
    """√ of the diagonal of an information matrix: the scale of each parameter's precision."""
    return np.sqrt(np.abs(np.diag(info)))


class _Factor:
    """The Cholesky factor of a positive definite matrix in unit-diagonal form, for solves."""

    def __init__(self, chol: np.ndarray, unit: np.ndarray) -> None:
        self.chol, self.unit = chol, unit

    @classmethod
    def of(cls, matrix: np.ndarray) -> _Factor | None:
        """The factor, or None when ``matrix`` is not positive definite."""
        unit = _unit(matrix)
        unit = np.where(unit > 0, unit, 1.0)
        try:
            return cls(linalg.cho_factor(matrix / np.outer(unit, unit), check_finite=False), unit)
        except (linalg.LinAlgError, ValueError):
            return None

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        return linalg.cho_solve(self.chol, rhs / self.unit, check_finite=False) / self.unit


def _scaled_solve(info: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """``info⁻¹ rhs``, solved on the unit-diagonal form of ``info``.

    Parameters in very different units (a variable ×1000) give an
    information matrix whose entries span many orders of magnitude; scaling
    rows and columns by 1/√I_kk first keeps the solve accurate.
    """
    unit = _unit(info)
    unit = np.where(unit > 0, unit, 1.0)
    return np.linalg.solve(info / np.outer(unit, unit), rhs / unit) / unit


def newton_resamples(
    problem: MLProblem,
    theta0: np.ndarray,
    means: np.ndarray,
    covs: np.ndarray,
    *,
    tol: float = 1e-5,
    reuse: float = 1e-2,
    max_iter: int = 30,
    hessian0: np.ndarray | None = None,
    stack: int = 10,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ML estimates of one single-group model on many complete samples at once.

    The bootstrap's solver: Newton steps with the exact Hessian from
    ``theta0`` (the full-sample estimates) for every sample (``means``
    (B, p), ``covs`` (B, p, p), divisor N) together, the moments and
    derivatives of all samples computed as stacks
    (:class:`~sqresearch.sem.implied.GroupStructure` takes stacked values), so
    the cost per sample is a few stacked matrix products instead of many
    small calls. The rules are :meth:`MLProblem.polish`'s: a step is halved
    until F_ML does not rise, the Hessian is kept after a move below
    ``reuse`` (standard-error units), and a step below ``tol`` is the last
    one, taken; a sample whose Σ or Hessian is not positive definite, or
    that has not converged after ``max_iter`` steps, is returned as not
    converged (the caller fits it on its own). ``hessian0`` (the
    full-sample Hessian at ``theta0``, when positive definite) serves every
    sample's first step, which saves one Hessian per sample. Samples are
    taken ``stack`` at a time: larger stacks save no more Python overhead
    but their temporaries (a few MB) cost page faults (measured: 0.3 ms of
    system time per sample in stacks of 50, 0.02 ms in stacks of 10).

    Returns
    -------
    theta : ndarray (B, K)
    values : ndarray (B, rows)
        The full parameter-table values (fixed.x values from each sample).
    converged : ndarray of bool (B,)
    """
    if len(problem.structures) != 1 or problem.meanstructure or problem.fiml:
        raise ValueError("newton_resamples fits single-group complete data without means")
    if len(covs) > stack:
        parts = [
            newton_resamples(
                problem,
                theta0,
                means[at : at + stack],
                covs[at : at + stack],
                tol=tol,
                reuse=reuse,
                max_iter=max_iter,
                hessian0=hessian0,
                stack=stack,
            )
            for at in range(0, len(covs), stack)
        ]
        return tuple(np.concatenate(arrays) for arrays in zip(*parts, strict=True))
    st = problem.structures[0]
    size, k = len(covs), problem.n_free
    free = problem.free
    mask = free > 0
    where = free[mask] - 1
    fixed = np.tile(problem.fixed_values, (size, 1))
    rows, _, i, j = problem._exo_layout()
    if len(rows):
        fixed[:, rows] = np.where(j >= 0, covs[:, i, np.maximum(j, 0)], means[:, i])
    theta = np.tile(theta0, (size, 1))

    def evaluate(at: np.ndarray, th: np.ndarray) -> tuple:
        """Values, Σ⁻¹, W = P − PSP and F_ML (+ a constant; inf where Σ is not PD)."""
        values = fixed[at].copy()
        values[:, mask] = th[:, where]
        sigma = st.moments(values)["sigma"]
        cov = covs[at]
        logdet = np.full(len(at), np.inf)
        pd_at = np.flatnonzero(_positive_definite(sigma))
        chol = np.linalg.cholesky(sigma[pd_at])
        logdet[pd_at] = 2 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
        inv = np.full_like(sigma, np.nan)
        inv[pd_at] = np.linalg.inv(sigma[pd_at])
        objective = logdet + np.einsum("bij,bij->b", cov, inv)
        return values, inv, inv - inv @ cov @ inv, objective

    values, inv, w, current = evaluate(np.arange(size), theta)
    active = np.isfinite(current)
    converged = np.zeros(size, dtype=bool)
    metric = np.zeros((size, k, k))  # the inverse of the unit-scaled Hessian
    unit = np.ones((size, k))
    moved = np.full(size, np.inf)
    if hessian0 is not None and _positive_definite(hessian0[None])[0]:
        scale = np.sqrt(np.abs(np.diag(hessian0)))
        scale = np.where(scale > 0, scale, 1.0)
        metric[:] = np.linalg.inv(hessian0 / np.outer(scale, scale))
        unit[:] = scale
        moved[:] = 0.0
    for _ in range(max_iter):
        at = np.flatnonzero(active)
        if not len(at):
            break
        _, grad = st.gradient_traces(values[at], free, w[at])
        fresh = at[moved[at] > reuse]
        if len(fresh):
            _, hess = st.hessian_traces(values[fresh], free, inv[fresh], w[fresh])
            hess = 0.5 * (hess + _t(hess))
            scale = np.sqrt(np.abs(np.diagonal(hess, axis1=1, axis2=2)))
            scale = np.where(scale > 0, scale, 1.0)
            scaled = hess / (scale[:, :, None] * scale[:, None, :])
            good = _positive_definite(scaled)
            active[fresh[~good]] = False
            fresh, scaled, scale = fresh[good], scaled[good], scale[good]
            metric[fresh] = np.linalg.inv(scaled)
            unit[fresh] = scale
            keep = active[at]
            at, grad = at[keep], grad[keep]
        step = -(metric[at] @ (grad / unit[at])[:, :, None])[:, :, 0] / unit[at]
        small = np.max(np.abs(step) * unit[at], axis=1) < tol
        finite = np.all(np.isfinite(step), axis=1)
        last = at[small & finite]
        theta[last] += step[small & finite]
        converged[last] = True
        active[last] = False
        active[at[~finite]] = False
        go = ~small & finite
        at, step = at[go], step[go]
        factor = 1.0
        while len(at) and factor > 1e-6:
            trial = theta[at] + factor * step
            new_values, new_inv, new_w, value = evaluate(at, trial)
            better = value <= current[at] + 1e-14
            taken = at[better]
            moved[taken] = np.max(np.abs(trial[better] - theta[taken]) * unit[taken], axis=1)
            theta[taken], values[taken], current[taken] = (
                trial[better],
                new_values[better],
                value[better],
            )
            inv[taken], w[taken] = new_inv[better], new_w[better]
            at, step = at[~better], step[~better]
            factor /= 2
        active[at] = False  # no step lowers F
    values = fixed.copy()
    values[:, mask] = theta[:, where]
    return theta, values, converged


def _positive_definite(stack: np.ndarray) -> np.ndarray:
    """Which matrices of a stack are positive definite (one Cholesky of the stack if all are)."""
    finite = np.all(np.isfinite(stack), axis=(1, 2))
    if finite.all():
        try:
            np.linalg.cholesky(stack)
            return finite
        except np.linalg.LinAlgError:
            pass
    out = np.zeros(len(stack), dtype=bool)
    for b in np.flatnonzero(finite):
        try:
            np.linalg.cholesky(stack[b])
            out[b] = True
        except np.linalg.LinAlgError:
            pass
    return out
