"""Modification indices, score tests of equality constraints, and residuals, as lavaan.

:func:`modification_indices` is lavaan's ``modindices()``: for every
parameter the model fixes (and every one it could add), the score test of
freeing it alone,

    MI = N·g²/V,   EPC = g/V,   V = I₁₁ − I₁₂ I₂₂⁻¹ I₂₁,

with g the derivative of logL/N with respect to the fixed parameter at the
estimates and I the expected information per case of the model with every
such parameter freed (I₂₂ the fitted model's). ``sepc_all`` is the EPC in
the completely standardised metric of the fitted model (lavaan's
``sepc.all``, residual covariances divided by the residual SDs).
:func:`score_tests` is ``lavTestScore()``'s univariate test for each
across-group equality constraint (which constraint to release for partial
invariance), and :func:`residuals` gives the raw and standardised residual
covariances (``lavResiduals``). :func:`modification_report` gathers the
first two as one result (``sqresearch modindices``).

Modification indices are a search over the data, not theory: a
re-specification must be defensible on substantive grounds and confirmed in
new data (MacCallum, Roznowski & Necowitz, 1992).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from sqresearch.errors import ModelError
from sqresearch.jsondoc import code
from sqresearch.sem.implied import GroupStructure
from sqresearch.sem.syntax import variable_roles

MI_COLUMNS = ["lhs", "op", "rhs", "mi", "epc", "sepc_all"]


def _require_ml(result) -> None:
    if result.estimator == "WLSMV":
        raise ModelError("modification indices are computed for ML/MLR/MLM fits, not WLSMV")


def _candidates(table: pd.DataFrame, roles, meanstructure: bool) -> list[tuple[str, str, str]]:
    """lavaan's lav_partable_full for one group: every parameter the model could have."""
    eqs_y = [v for v in dict.fromkeys(table.loc[table["op"] == "~", "lhs"])]
    eqs_x = [v for v in dict.fromkeys(table.loc[table["op"] == "~", "rhs"])]
    eqs = list(dict.fromkeys([*eqs_y, *eqs_x]))
    indicators = set(table.loc[table["op"] == "=~", "rhs"]) - set(roles.lv)
    out = [(lv, "=~", ov) for lv in roles.lv for ov in roles.ov_nox if ov not in eqs]
    other = [v for v in roles.ov if v not in indicators]
    ov = roles.ov_nox
    for j, a in enumerate(ov):
        for b in ov[j:]:
            if a not in other and b not in other:
                out.append((a, "~~", b))
    for j, a in enumerate(roles.ov_x):
        for b in roles.ov_x[j:]:
            out.append((a, "~~", b))
    for j, a in enumerate(roles.lv):
        for b in roles.lv[j:]:
            out.append((a, "~~", b))
    for y in eqs:
        for x in eqs:
            if y != x and not (y in indicators and x in roles.lv):
                out.append((y, "~", x))
    if meanstructure:
        out += [(v, "~1", "") for v in [*roles.ov, *roles.lv]]
    return out


def _key(lhs: str, op: str, rhs: str, group: int) -> tuple:
    if op == "~~":
        lhs, rhs = sorted((lhs, rhs))
    return lhs, op, rhs, group


def _scores_and_information(problem, table, free, values):
    """g = ∂(logL/N)/∂θ and the expected information per case, for the table's free ids."""
    structures = [
        GroupStructure.from_table(
            table, g, problem.structures[0].observed, problem.structures[0].latent
        )
        for g in range(len(problem.data))
    ]
    k = int(free.max())
    grad = np.zeros(k)
    info = np.zeros((k, k))
    n_total = problem.n_total
    for st, data in zip(structures, problem.data, strict=True):
        mom = st.moments(values)
        sigma = mom["sigma"]
        mu = mom["mu"] if problem.meanstructure else None
        ids, d_sigma, d_mu = st.derivatives(values, free)
        if data.patterns:  # FIML: per-pattern expected information and casewise gradient
            g_sigma, g_mu = np.zeros_like(sigma), np.zeros(len(sigma))
            part = np.zeros((len(ids), len(ids)))
            for pat in data.patterns:
                o = pat.observed
                inv = np.zeros_like(sigma)
                inv[np.ix_(o, o)] = np.linalg.inv(sigma[np.ix_(o, o)])
                d = np.zeros(len(sigma))
                d[o] = pat.mean - mu[o]
                w = np.zeros_like(sigma)
                w[np.ix_(o, o)] = pat.cov
                w += np.outer(d, d)
                g_sigma += 0.5 * pat.n * (inv @ w @ inv - inv)
                g_mu += pat.n * inv @ d
                part += pat.n * _expected(inv, d_sigma, d_mu)
            grad[ids] += (np.einsum("ij,kij->k", g_sigma, d_sigma) + d_mu @ g_mu) / n_total
            info[np.ix_(ids, ids)] += part / n_total
            continue
        inv = np.linalg.inv(sigma)
        target = data.cov
        d = np.zeros(len(sigma))
        if mu is not None:
            d = data.mean - mu
            target = target + np.outer(d, d)
        f = data.n / n_total
        g_sigma = 0.5 * inv @ (target - sigma) @ inv
        grad[ids] += f * (np.einsum("ij,kij->k", g_sigma, d_sigma) + d_mu @ (inv @ d))
        info[np.ix_(ids, ids)] += f * _expected(inv, d_sigma, d_mu if mu is not None else None)
    return grad, info


def _expected(inv, d_sigma, d_mu) -> np.ndarray:
    """½ tr(KΔᵢKΔⱼ) + δᵢ'Kδⱼ for a (possibly zero-padded) precision matrix K."""
    k, p = len(d_sigma), len(inv)
    weighted = inv @ d_sigma @ inv
    out = 0.5 * weighted.reshape(k, p * p) @ d_sigma.reshape(k, p * p).T
    if d_mu is not None:
        out += d_mu @ inv @ d_mu.T
    return out


def _standardise(result, rows: pd.DataFrame, epc: np.ndarray) -> np.ndarray:
    """lavaan's sepc.all: the EPC in the standardised metric of the fitted model (cov.std)."""
    problem = result._problem
    values = problem.values(result._theta)
    out = np.full(len(rows), np.nan)
    moments = [st.moments(values) for st in problem.structures]
    names = [*problem.structures[0].observed, *problem.structures[0].latent]
    position = {v: k for k, v in enumerate(names)}
    for r, (row, e) in enumerate(zip(rows.itertuples(index=False), epc, strict=True)):
        mom = moments[int(row.group)]
        sd = np.sqrt(np.abs(np.diag(mom["C"])))
        resid = np.diag(mom["S"])
        a = position.get(row.lhs)
        b = position.get(row.rhs)
        if row.op == "=~":
            value = abs(e) * sd[a] / sd[b]
        elif row.op == "~":
            value = abs(e) * sd[b] / sd[a]
        elif row.op == "~1":
            value = abs(e) / sd[a]
        elif a == b:  # a variance: lavaan replaces the EPC by the estimate
            value = resid[a] / sd[a] ** 2
        else:
            value = abs(e) / np.sqrt(abs(resid[a]) * abs(resid[b]))
        out[r] = np.sign(e) * value
    return out


def modification_indices(
    result, *, sort: bool = False, minimum: float = 0.0, op: list[str] | None = None
) -> pd.DataFrame:
    """Modification indices with EPC and standardised EPC, as lavaan's ``modindices()``.

    Parameters
    ----------
    result : SEMResult
        A model fitted by :func:`sqresearch.sem.fit.fit_sem`.
    sort : bool
        Largest MI first (lavaan ``sort. = TRUE``).
    minimum : float
        Keep rows with MI above this value (lavaan ``minimum.value``).
    op : list of str, optional
        Keep only these operators, e.g. ``["=~", "~~"]``.

    Returns
    -------
    DataFrame
        lhs, op, rhs (+ group for multi-group fits), mi, epc, sepc_all, and
        pvalue (χ² with 1 df), one row per parameter the model fixes or
        omits; rows whose MI is not defined (freeing the parameter would
        not be identified) are left out, as lavaan does.

    Notes
    -----
    Expected information, as lavaan's default. Freeing parameters because
    their MI is large capitalises on chance; only changes that theory
    supports should be made, and then confirmed on new data (MacCallum,
    Roznowski & Necowitz, 1992).

    References
    ----------
    Sörbom, D. (1989). Model modification. Psychometrika, 54, 371–384.
    MacCallum, R. C., Roznowski, M., & Necowitz, L. B. (1992). Model
    modifications in covariance structure analysis: The problem of
    capitalization on chance. Psychological Bulletin, 111, 490–504.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> from sqresearch.sem.fit import fit_sem
    >>> res = fit_sem("visual =~ x1 + x2 + x3\\ntextual =~ x4 + x5 + x6\\n"
    ...               "speed =~ x7 + x8 + x9", holzinger39.get_data())
    >>> mi = modification_indices(res, sort=True)
    >>> # In R: modindices(fit, sort. = TRUE)[1, ]  -> visual =~ x9, mi 36.411
    >>> top = mi.iloc[0]
    >>> top.lhs, top.op, top.rhs, round(float(top.mi), 3), round(float(top.epc), 3)
    ('visual', '=~', 'x9', 36.411, 0.577)
    """
    _require_ml(result)
    problem, theta = result._problem, result._theta
    table = problem.table
    exo = (table["exo"].to_numpy() == 1).any()
    roles = variable_roles(result._parsed.statements, fixed_x=bool(exo))
    values = problem.values(theta)
    present = {_key(r.lhs, r.op, r.rhs, int(r.group)) for r in table.itertuples(index=False)}
    extra = table[problem.free == 0].copy()
    added = []
    for g in range(len(problem.data)):
        for lhs, op_, rhs in _candidates(table[table["group"] == g], roles, problem.meanstructure):
            key = _key(lhs, op_, rhs, g)
            if key not in present:
                present.add(key)
                added.append({"lhs": lhs, "op": op_, "rhs": rhs, "group": g})
    extended = pd.concat([table, pd.DataFrame(added)], ignore_index=True)
    n_model = problem.n_free
    free = np.concatenate([problem.free, np.zeros(len(added), dtype=int)])
    extra_rows = np.concatenate([extra.index.to_numpy(), len(table) + np.arange(len(added))])
    free[extra_rows] = n_model + 1 + np.arange(len(extra_rows))
    ext_values = np.concatenate([values, np.zeros(len(added))])
    grad, info = _scores_and_information(problem, extended, free, ext_values)
    model = np.arange(n_model)
    more = n_model + np.arange(len(extra_rows))
    i22_inv = np.linalg.inv(info[np.ix_(model, model)])
    v = info[np.ix_(more, more)] - info[np.ix_(more, model)] @ i22_inv @ info[np.ix_(model, more)]
    v_diag = np.diag(v).copy()
    v_diag[v_diag < np.finfo(float).eps ** (1 / 3)] = np.nan
    g = grad[more]
    n = problem.n_total
    mi = n * g**2 / v_diag
    epc = g / v_diag
    rows = extended.iloc[extra_rows][["lhs", "op", "rhs", "group"]].reset_index(drop=True)
    out = rows.assign(mi=mi, epc=epc)
    out["sepc_all"] = _standardise(result, rows, epc)
    out["pvalue"] = special.chdtrc(1, np.where(np.isnan(mi), np.nan, np.maximum(mi, 0)))
    out = out[out["mi"].notna()]
    if op is not None:
        out = out[out["op"].isin(op)]
    if minimum > 0:
        out = out[out["mi"] > minimum]
    if sort:
        out = out.sort_values("mi", ascending=False, kind="stable")
    if result.groups is not None:
        out["group"] = [result.groups[g] for g in out["group"]]
    else:
        out = out.drop(columns="group")
    return out.reset_index(drop=True)


def score_tests(result) -> pd.DataFrame:
    """Univariate score tests of the across-group equality constraints (``lavTestScore``).

    Each constraint says that a parameter of a later group equals the
    first group's; its test is the modification index of freeing that one
    parameter with every other constraint kept, on 1 df. The constraint with
    the largest χ² is the usual candidate to release for partial invariance
    (``group_partial``), if theory allows it.

    Parameters
    ----------
    result : SEMResult
        A multi-group fit with ``group_equal`` constraints (or shared labels).

    Returns
    -------
    DataFrame
        lhs, op, rhs, group (the later group), x2, df, pvalue, one row per
        constraint, in parameter-table order.

    References
    ----------
    Bentler, P. M., & Chou, C.-P. (1992). Some new covariance structure
    model improvement statistics. Sociological Methods & Research, 21, 259–282.
    """
    _require_ml(result)
    problem, theta = result._problem, result._theta
    table = problem.table
    free = problem.free
    values = problem.values(theta)
    first: dict[int, int] = {}
    constrained = []
    for r, k in enumerate(free):
        if k == 0:
            continue
        if k in first:
            constrained.append(r)
        else:
            first[k] = r
    if not constrained:
        raise ModelError("the model has no equality constraints to test")
    rows = []
    k = problem.n_free
    for r in constrained:
        released = free.copy()
        released[r] = k + 1
        grad, info = _scores_and_information(problem, table, released, values)
        # θ_r = θ_shared + δ: the score test of δ = 0 in the (θ, δ) parametrisation
        jac = np.eye(k + 1)
        jac[k, free[r] - 1] = 1.0
        grad, info = jac.T @ grad, jac.T @ info @ jac
        model = np.arange(k)
        v = info[k, k] - info[k, model] @ np.linalg.solve(
            info[np.ix_(model, model)], info[model, k]
        )
        x2 = problem.n_total * grad[k] ** 2 / v
        row = table.iloc[r]
        rows.append(
            {
                "lhs": row.lhs,
                "op": row.op,
                "rhs": row.rhs,
                "group": result.groups[int(row.group)] if result.groups else int(row.group),
                "x2": float(x2),
                "df": 1,
                "pvalue": float(special.chdtrc(1, x2)),
            }
        )
    return pd.DataFrame(rows)


def residuals(result) -> dict:
    """Residual covariances and standardised residuals, as lavaan's ``lavResiduals()``.

    Parameters
    ----------
    result : SEMResult
        A complete-data single- or multi-group ML fit.

    Returns
    -------
    dict
        ``cov``: S − Σ̂; ``cor``: (S − Σ̂)/√(s_ii s_jj) (lavaan's
        "cor.bentler", the residuals SRMR averages); ``z``: standardised
        residuals (S − Σ̂)/SE, the SE from the normal-theory covariance of
        the residuals, QΓQ'/N with Γ at S and Q = I − ΔE⁻¹Δ'A₁(Σ̂). DataFrames, or dicts of them by
        group. ``|z|`` > 1.96 marks a covariance the model reproduces poorly.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> from sqresearch.sem.fit import fit_sem
    >>> res = fit_sem("visual =~ x1 + x2 + x3\\ntextual =~ x4 + x5 + x6\\n"
    ...               "speed =~ x7 + x8 + x9", holzinger39.get_data())
    >>> # In R: lavResiduals(fit)$cov.z["x8", "x7"]
    >>> round(float(residuals(res)["z"].loc["x8", "x7"]), 3)
    4.823
    """
    from sqresearch.sem.robust import _delta, _nt_weight, _Vech

    problem, theta = result._problem, result._theta
    if problem.fiml:
        raise ModelError("standardised residuals are available for complete data only")
    names = problem.structures[0].observed
    p = len(names)
    vech = _Vech.of(p)
    info = problem.expected_information(theta) / problem.n_total
    info_inv = np.linalg.inv(info)
    out: dict[str, list] = {"cov": [], "cor": [], "z": []}
    for g, ((sigma, _), data) in enumerate(zip(problem.implied(theta), problem.data, strict=True)):
        f = data.n / problem.n_total
        delta = _delta(problem, theta, g, vech, False)
        # lavaan's lav_residuals_acov: Q Γ Q'/N, Γ at S, Q = I − f·ΔE⁻¹Δ'·A₁(Σ̂)
        gamma = np.linalg.inv(_nt_weight(data.cov, vech, False))
        q = np.eye(len(gamma)) - f * delta @ info_inv @ delta.T @ _nt_weight(sigma, vech, False)
        acov = q @ gamma @ q.T / data.n
        var = np.diag(acov)
        se = np.where(var > np.sqrt(np.finfo(float).eps), np.sqrt(np.abs(var)), 1.0)
        resid = data.cov - sigma
        z = np.zeros((p, p))
        z[vech.i, vech.j] = resid[vech.i, vech.j] / se
        z[vech.j, vech.i] = z[vech.i, vech.j]
        sd = np.sqrt(np.diag(data.cov))
        for key, matrix in (("cov", resid), ("cor", resid / np.outer(sd, sd)), ("z", z)):
            out[key].append(pd.DataFrame(matrix, index=names, columns=names))
    if result.groups is None:
        return {key: frames[0] for key, frames in out.items()}
    return {key: dict(zip(result.groups, frames, strict=True)) for key, frames in out.items()}


@dataclass(frozen=True, repr=False)
class ModificationReport:
    """Modification indices of a fit, and the score tests of its equality constraints.

    Attributes
    ----------
    n : int
    estimator : str
    modindices : DataFrame
        :func:`modification_indices`, largest MI first: lhs, op, rhs
        (group), mi, epc, sepc_all.
    score_tests : DataFrame or None
        :func:`score_tests` of a multi-group fit with equality constraints.
    """

    n: int
    estimator: str
    modindices: pd.DataFrame
    score_tests: pd.DataFrame | None = None

    def to_dict(self) -> dict:
        """The ``sqresearch modindices --json`` document: ``n``, ``estimator``,
        ``modindices`` (and ``score_tests``), group levels as written in the data."""
        mi = self.modindices
        columns = MI_COLUMNS[:3] + (["group"] if "group" in mi.columns else []) + MI_COLUMNS[3:]
        rows = mi[columns].to_dict(orient="records")
        for row in rows:
            if "group" in row:
                row["group"] = code(row["group"])
        doc: dict = {"n": self.n, "estimator": self.estimator, "modindices": rows}
        if self.score_tests is not None:
            tests = self.score_tests.assign(group=[code(g) for g in self.score_tests["group"]])
            doc["score_tests"] = tests.to_dict(orient="records")
        return doc

    def __repr__(self) -> str:
        return f"ModificationReport(n={self.n}, {len(self.modindices)} modification indices)"

    def _repr_html_(self) -> str:
        fmt = "{:.3f}".format
        tests = "" if self.score_tests is None else self.score_tests.to_html(index=False, float_format=fmt)
        return (
            f"<p><b>Modification indices</b> (n = {self.n}, {self.estimator})</p>"
            + self.modindices.to_html(index=False, float_format=fmt)
            + tests
        )


def modification_report(
    result, *, minimum: float = 0.0, top: int | None = None
) -> ModificationReport:
    """Modification indices largest first, and the score tests when groups share constraints.

    Parameters
    ----------
    result : SEMResult
    minimum : float
        Keep MIs above this value (lavaan ``minimum.value``).
    top : int, optional
        Keep the ``top`` largest.

    Returns
    -------
    ModificationReport
        ``score_tests`` for a multi-group fit with equality constraints
        (``group_equal`` or labels shared across groups; :func:`score_tests`), else None.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> from sqresearch.sem.fit import fit_sem
    >>> fit = fit_sem("visual =~ x1 + x2 + x3\\ntextual =~ x4 + x5 + x6\\n"
    ...               "speed =~ x7 + x8 + x9", holzinger39.get_data())
    >>> report = modification_report(fit, top=1)
    >>> # In R: modindices(fit, sort. = TRUE)[1, ]  # visual =~ x9, mi 36.411
    >>> report.modindices[["lhs", "op", "rhs"]].values.tolist(), round(float(report.modindices["mi"].iloc[0]), 3)
    ([['visual', '=~', 'x9']], 36.411)
    """
    mi = modification_indices(result, sort=True, minimum=minimum)
    if top is not None:
        mi = mi.head(top)
    free = result._problem.free if result._problem is not None else np.zeros(0)
    shared = free[free > 0]
    constrained = result.groups is not None and len(set(shared.tolist())) < len(shared)
    return ModificationReport(
        n=result.n,
        estimator=result.estimator,
        modindices=mi,
        score_tests=score_tests(result) if constrained else None,
    )
