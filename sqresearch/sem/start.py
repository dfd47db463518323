"""Starting values for ML estimation, from the sample moments (no optimiser).

lavaan starts its quasi-Newton search from "simple" values (loadings 1,
residual variances half the observed ones) or from FABIN3 loadings. Fisher
scoring converges in few steps from values close to the optimum, so the
values here go further than lavaan's, in closed form:

- loadings of each factor from a one-factor principal-axis solution of its
  observed indicators (squared multiple correlations as first communalities,
  three iterations), scaled to the factor's marker (fixed loading) or to its
  fixed variance (``std_lv``); the indicators' residual variances are their
  uniquenesses;
- the covariance of every pair of factors by least squares from the item
  covariances, S_jk ≈ λ_j λ_k φ_fg, and of a factor with an observed
  variable likewise;
- regressions as OLS on that joint covariance matrix, with the residual
  (co)variances it implies.

Anything the moments cannot give (factors measured by factors, fixed paths,
non-positive-definite results) falls back to lavaan's simple values.
Decision (issue 18): these starts replace semopy's SLSQP fit, which took
80% of a fit's time; from them Fisher scoring reaches the same optimum
(the R-reference tests agree with lavaan to 1e-6 as before).
"""

from __future__ import annotations

import numpy as np

from sqresearch.sem.implied import GroupStructure
from sqresearch.sem.likelihood import GroupData


def simple_start(problem) -> np.ndarray:
    """lavaan's simple starting values (loadings 1, residual variances s_ii/2, means x̄)."""
    values = problem.fixed_values.copy()
    free = problem.free > 0
    op = problem.table["op"].to_numpy()
    for st, data in zip(problem.structures, problem.data, strict=True):
        rows = st.rows[free[st.rows]]
        kind, i, j = _at(st, rows)
        p = st.p
        var = np.diag(data.cov)
        loading = op[rows] == "=~"
        out = np.zeros(len(rows))
        out[loading] = 1.0
        variance = (kind == "S") & (i == j)
        out[variance] = np.where(i[variance] < p, 0.5 * var[np.minimum(i[variance], p - 1)], 0.05)
        mean = (kind == "m") & (i < p)
        out[mean] = data.mean[i[mean]]
        values[rows] = out
    return problem.theta(values)


def moment_start(problem) -> np.ndarray:
    """Closed-form starting values from each group's moments (see the module notes)."""
    values = problem.fixed_values.copy()
    for st, data in zip(problem.structures, problem.data, strict=True):
        _group_start(problem, st, data, values)
    return problem.theta(values)


def _at(st: GroupStructure, rows: np.ndarray):
    where = np.searchsorted(st.rows, rows)
    return st.kind[where], st.i[where], st.j[where]


def _one_factor(cov: np.ndarray) -> np.ndarray:
    """Loadings of a one-factor principal-axis solution of ``cov`` (first positive)."""
    k = len(cov)
    var = np.diag(cov)
    if k == 1:
        return np.sqrt(0.5 * var)
    if k == 2:
        c = abs(cov[0, 1])
        ratio = np.sqrt(var / var[::-1])
        return np.sqrt(np.maximum(c * ratio, 1e-12)) * np.array([1.0, np.sign(cov[0, 1]) or 1.0])
    try:
        h = var - 1 / np.diag(np.linalg.inv(cov))
    except np.linalg.LinAlgError:
        h = 0.5 * var
    h = np.clip(h, 0.05 * var, 0.95 * var)
    for _ in range(3):
        reduced = cov - np.diag(var) + np.diag(h)
        w, v = np.linalg.eigh(reduced)
        loadings = np.sqrt(max(w[-1], 1e-12)) * v[:, -1]
        h = np.clip(loadings**2, 0.05 * var, 0.95 * var)
    return loadings if loadings[0] >= 0 else -loadings


def _group_start(problem, st: GroupStructure, data: GroupData, values: np.ndarray) -> None:
    table = problem.table
    op = table["op"].to_numpy()
    free = problem.free
    rows = st.rows
    kind, i, j = st.kind, st.i, st.j
    p, n_var = st.p, st.n_var
    s = data.cov
    fixed = problem.fixed_values
    is_free = free[rows] > 0
    fallback = problem.fixed_values.copy()
    fallback[problem.first_row] = simple_start(problem)
    # the simple values first; what the moments give overwrites them
    values[rows[is_free]] = fallback[rows[is_free]]
    # for equality-constrained rows take the value of the id's first row
    values[rows[is_free]] = fallback[problem.first_row[free[rows[is_free]] - 1]]

    loading = op[rows] == "=~"
    c = np.full((n_var, n_var), np.nan)
    c[:p, :p] = s
    lam: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # factor -> (indicator positions, loadings)
    unique = np.full(p, np.nan)
    for f in range(p, n_var):
        sel = loading & (j == f)
        ind, fr = i[sel], is_free[sel]
        if not len(ind) or (ind >= p).any():
            continue  # no indicators, or a higher-order factor: simple values
        values_f = fixed[rows[sel]]
        raw = _one_factor(s[np.ix_(ind, ind)])
        marker = np.flatnonzero(~fr & (values_f != 0))
        var_rows = (kind == "S") & (i == f) & (j == f)
        if len(marker):
            m = marker[0]
            if abs(raw[m]) < 1e-3 * np.sqrt(s[ind[m], ind[m]]):
                continue
            scale = values_f[m] / raw[m]
            phi = 1 / scale**2
        elif var_rows.any() and not is_free[var_rows][0]:
            phi = fixed[rows[var_rows][0]]
            if not phi > 0:
                continue
            scale = 1 / np.sqrt(phi)
        else:
            continue
        lam_f = np.where(fr, raw * scale, values_f)
        values[rows[sel][fr]] = lam_f[fr]
        lam[f] = (ind, lam_f)
        c[f, f] = phi
        first = np.isnan(unique[ind])
        unique[ind[first]] = s[ind[first], ind[first]] - raw[first] ** 2
    for f, (ind, lam_f) in lam.items():
        # factor with observed variables: S_jx ≈ λ_j c_fx
        weight = lam_f / (lam_f @ lam_f)
        c[f, :p] = c[:p, f] = weight @ s[ind]
        for g, (ind_g, lam_g) in lam.items():
            if g < f:
                value = (weight @ s[np.ix_(ind, ind_g)] @ lam_g) / (lam_g @ lam_g)
                c[f, g] = c[g, f] = value
    for f, (ind, lam_f) in lam.items():
        c[ind, f] = c[f, ind] = lam_f * c[f, f]

    # regressions on the joint covariance matrix
    regression = (kind == "A") & ~loading
    residual: dict[int, float] = {}
    beta: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for y in np.unique(i[regression]):
        sel = regression & (i == y)
        x = j[sel]
        if not is_free[sel].all():
            continue
        block = c[np.ix_(x, x)]
        cross = c[x, y]
        if not (np.isfinite(block).all() and np.isfinite(cross).all() and np.isfinite(c[y, y])):
            continue
        try:
            b = np.linalg.solve(block, cross)
        except np.linalg.LinAlgError:
            continue
        values[rows[sel]] = b
        beta[y] = (x, b)
        residual[y] = max(c[y, y] - b @ cross, 0.1 * c[y, y])

    # (residual) variances and covariances
    indicators = {int(k) for ind, _ in lam.values() for k in ind}
    # variances: residual of a regression, else uniqueness (indicators) or variance
    own = np.full(n_var, np.nan)
    own[:p] = unique
    own[p:] = np.diag(c)[p:]
    own[list(residual)] = list(residual.values())
    diagonal = (kind == "S") & is_free & (i == j)
    value = own[i[diagonal]]
    known = np.isfinite(value)
    values[rows[diagonal][known]] = value[known]
    for r in np.flatnonzero((kind == "S") & is_free & (i != j)):
        a, b = i[r], j[r]
        if (a >= p or b >= p) and np.isfinite(c[a, b]):
            # factors (or a factor and a covariate): their covariance, residualised if regressed
            value = c[a, b]
            if a in beta:
                xa, ba = beta[a]
                value -= ba @ c[xa, b]
            if b in beta:
                xb, bb = beta[b]
                value -= bb @ c[xb, a]
            if a in beta and b in beta:
                value += ba @ c[np.ix_(xa, xb)] @ bb
            values[rows[r]] = value
        elif a < p and b < p and a not in indicators and b not in indicators:
            values[rows[r]] = s[a, b] if a not in beta and b not in beta else 0.0
        else:
            values[rows[r]] = 0.0  # residual covariances of indicators start at 0, as lavaan
    # means: observed intercepts at the sample means (latent means 0)
    mean = (kind == "m") & is_free
    values[rows[mean]] = np.where(i[mean] < p, data.mean[np.minimum(i[mean], p - 1)], 0.0)

    # equality constraints: every row of an id takes its first row's value
    ids = free[rows[is_free]]
    values[rows[is_free]] = values[problem.first_row[ids - 1]]
    if not _positive_definite(st, values):
        values[rows[is_free]] = fallback[problem.first_row[ids - 1]]


def _positive_definite(st: GroupStructure, values: np.ndarray) -> bool:
    try:
        sigma = st.moments(values)["sigma"]
        np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        return False
    return bool(np.isfinite(sigma).all())
