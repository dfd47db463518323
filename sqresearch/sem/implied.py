"""Model-implied moments of a lavaan parameter table, in RAM form.

Every variable (observed, then latent) is one entry of ``v = A v + u`` with
``Cov(u) = S`` and ``E(u) = m``; the observed block of
``C = (I - A)^-1 S (I - A)^-T`` is the implied covariance matrix Σ(θ) and
``F (I - A)^-1 m`` the implied means μ(θ). lavaan uses the LISREL matrices
(Λ, Β, Ψ, Θ); both give the same Σ(θ) and μ(θ) (McArdle & McDonald, 1984).

The moments and the derivatives of F_ML without a mean structure also take a
stack of value vectors (shape (B, rows)) and return stacked results: the
bootstrap (:func:`sqresearch.sem.estimation.newton_resamples`) takes Newton
steps for many resamples at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class GroupStructure:
    """Where each parameter-table row of one group sits in A, S and m.

    Attributes
    ----------
    observed, latent : list of str
        Variable order: observed (as in the data matrix), then latent.
    rows : ndarray of int
        Positions (in the full parameter table) of this group's rows.
    kind : ndarray of str
        "A", "S" or "m" per row.
    i, j : ndarray of int
        Matrix position per row (``A[i, j]``: effect of j on i).
    """

    observed: list[str]
    latent: list[str]
    rows: np.ndarray
    kind: np.ndarray
    i: np.ndarray
    j: np.ndarray
    # the moments of the last values asked for: a fit asks for the same ones many times
    _last: tuple = field(default=(b"", {}), init=False, repr=False, compare=False)
    _last_layout: tuple = field(default=(b"", None), init=False, repr=False, compare=False)
    _last_handles: tuple = field(default=(b"", None), init=False, repr=False, compare=False)

    @property
    def n_var(self) -> int:
        return len(self.observed) + len(self.latent)

    @property
    def p(self) -> int:
        return len(self.observed)

    @classmethod
    def from_table(
        cls, table: pd.DataFrame, group: int, observed: list[str], latent: list[str]
    ) -> GroupStructure:
        """Locate the rows of ``group`` in the RAM matrices."""
        position = {v: k for k, v in enumerate([*observed, *latent])}
        rows, kind, ii, jj = [], [], [], []
        columns = (table[c].tolist() for c in ("lhs", "op", "rhs", "group"))
        for r, (lhs, op, rhs, g) in enumerate(zip(*columns, strict=True)):
            if g != group or op == ":=":
                continue
            if op == "=~":
                k, a, b = "A", position[rhs], position[lhs]
            elif op == "~":
                k, a, b = "A", position[lhs], position[rhs]
            elif op == "~~":
                k, a, b = "S", position[lhs], position[rhs]
            else:  # "~1"
                k, a, b = "m", position[lhs], 0
            rows.append(r)
            kind.append(k)
            ii.append(a)
            jj.append(b)
        return cls(
            observed,
            latent,
            np.asarray(rows, dtype=int),
            np.asarray(kind),
            np.asarray(ii, dtype=int),
            np.asarray(jj, dtype=int),
        )

    def matrices(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A, S and m from the full vector (or a stack of vectors) of parameter-table values."""
        n, batch = self.n_var, values.shape[:-1]
        a, s, m = np.zeros((*batch, n, n)), np.zeros((*batch, n, n)), np.zeros((*batch, n))
        v = values[..., self.rows]
        for k, target in (("A", a), ("S", s)):
            sel = self.kind == k
            target[..., self.i[sel], self.j[sel]] = v[..., sel]
        sel = self.kind == "S"
        s[..., self.j[sel], self.i[sel]] = v[..., sel]
        sel = self.kind == "m"
        m[..., self.i[sel]] = v[..., sel]
        return a, s, m

    def moments(self, values: np.ndarray) -> dict[str, np.ndarray]:
        """Implied moments of all variables and of the observed ones.

        Returns a dict with ``S`` (the RAM matrix of (residual)
        (co)variances), ``E`` = (I - A)^-1, ``C`` (covariance of all
        variables), ``mean_all``, ``sigma`` and ``mu`` (observed block).
        The arrays are shared between calls with the same values: do not
        modify them.
        """
        key = (values.shape, values[..., self.rows].tobytes())
        if self._last[0] == key:
            return self._last[1]
        a, s, m = self.matrices(values)
        e = np.linalg.inv(np.eye(self.n_var) - a)
        c = e @ s @ _t(e)
        mean_all = e @ m if m.ndim == 1 else (e @ m[..., None])[..., 0]
        p = self.p
        out = {
            "S": s,
            "E": e,
            "C": c,
            "mean_all": mean_all,
            "sigma": c[..., :p, :p],
            "mu": mean_all[..., :p],
        }
        self._last = (key, out)
        return out

    def _layout(self, free: np.ndarray) -> tuple[np.ndarray, dict]:
        """This group's free parameter ids and, per kind of row, (i, j, slot, slots unique).

        Depends only on the table, so it is kept for the last ``free`` seen.
        """
        key = free.tobytes()
        if self._last_layout[0] != key:
            row_ids = free[self.rows]
            active = row_ids > 0
            ids = np.unique(row_ids[active]) - 1
            slots = np.searchsorted(ids, row_ids - 1)
            parts = {}
            for kind in ("A", "S", "m"):
                sel = active & (self.kind == kind)
                own = slots[sel]
                parts[kind] = (self.i[sel], self.j[sel], own, len(np.unique(own)) == len(own))
            self._last_layout = (key, (ids, parts))
        return self._last_layout[1]

    def derivatives(
        self, values: np.ndarray, free: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """dΣ/dθ and dμ/dθ for the free parameters that appear in this group.

        Returns the 0-based ids of those parameters and arrays of shape
        (k, p, p) and (k, p), one slice per id.
        """
        mom = self.moments(values)
        e, c, mean_all, p = mom["E"], mom["C"], mom["mean_all"], self.p
        ep = e[:p]  # rows of (I - A)^-1 for the observed variables
        ids, parts = self._layout(free)
        d_sigma = np.zeros((len(ids), p, p))
        d_mu = np.zeros((len(ids), p))
        i, j, slots, unique = parts["A"]  # effect of j on i: E[:, i] C[j, :] + transpose
        if len(slots):
            left = ep[:, i].T[:, :, None] * c[j, :p][:, None, :]
            _scatter_add(d_sigma, slots, left + left.transpose(0, 2, 1), unique)
            _scatter_add(d_mu, slots, ep[:, i].T * mean_all[j][:, None], unique)
        i, j, slots, unique = parts["S"]
        if len(slots):
            d = ep[:, i].T[:, :, None] * ep[:, j].T[:, None, :]
            off = (i != j)[:, None, None]
            _scatter_add(d_sigma, slots, d + off * d.transpose(0, 2, 1), unique)
        i, _, slots, unique = parts["m"]
        if len(slots):
            _scatter_add(d_mu, slots, ep[:, i].T, unique)
        return ids, d_sigma, d_mu

    def _handles(self, free: np.ndarray) -> _Handles:
        """The structured derivatives of this group's free rows (depend on the table only)."""
        key = free.tobytes()
        if self._last_handles[0] != key:
            ids, _ = self._layout(free)
            self._last_handles = (key, _Handles.build(self, free, ids))
        return self._last_handles[1]

    def _basis(self, values: np.ndarray) -> np.ndarray:
        """[e_0 … e_n-1, c_0 … c_n-1] (p × 2n) at ``values``."""
        mom = self.moments(values)
        p = self.p
        return np.concatenate([mom["E"][..., :p, :], _t(mom["C"][..., :, :p])], axis=-1)

    def gradient_traces(
        self,
        values: np.ndarray,
        free: np.ndarray,
        w: np.ndarray,
        inv_d: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """∂F_ML/∂θ = tr(W ∂Σ/∂θ) − 2 (∂μ/∂θ)ᵀ P d for this group's free parameters.

        ``inv_d`` is P d = Σ⁻¹(x̄ − μ) with a mean structure (then W is built
        on S + d dᵀ), else None.
        """
        h = self._handles(free)
        basis = self._basis(values)
        g = _t(basis) @ w @ basis
        rows = (h.weight * g[..., h.v, h.u]).sum(axis=-1)
        if inv_d is not None:
            rows -= 2 * self._delta_coef(values, h) * (basis.T @ inv_d)[h.delta_at]
        if rows.ndim == 1:
            return h.ids, np.bincount(h.slots, weights=rows, minlength=len(h.ids))
        if h.layout == "identity":
            return h.ids, rows
        out = np.zeros((len(rows), len(h.ids)))
        np.add.at(out, (slice(None), h.slots), rows)
        return h.ids, out

    def _delta_coef(self, values: np.ndarray, h: _Handles) -> np.ndarray:
        """∂μ/∂θ = coef · e_a per row: m̄_j for a path A_ij (a = i), 1 for a mean, 0 else."""
        mean_all = self.moments(values)["mean_all"]
        return np.where(h.path, mean_all[h.j], h.is_mean.astype(float))

    def information_traces(
        self, values: np.ndarray, free: np.ndarray, inv: np.ndarray, means: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Expected information of one case: ½ tr(PΔ_kPΔ_l) (+ δ_kᵀPδ_l with means)."""
        h = self._handles(free)
        rows = 0.5 * self._trace_rows(values, inv, inv, h)
        if means:
            coef = self._delta_coef(values, h)
            g_p = self._basis(values).T @ inv @ self._basis(values)
            rows += coef[:, None] * coef[None, :] * g_p[np.ix_(h.delta_at, h.delta_at)]
        return h.ids, h.scatter(rows)

    def _trace_rows(
        self, values: np.ndarray, m: np.ndarray, inv: np.ndarray, h: _Handles
    ) -> np.ndarray:
        """tr(PΔ_k M Δ_l) per pair of rows: (vᵀ M u')(v'ᵀ P u) summed over the handles."""
        basis = self._basis(values)
        batch = basis.shape[:-2]
        g_m = (_t(basis) @ m @ basis).reshape(*batch, -1)
        g_p = (_t(basis) @ inv @ basis).reshape(*batch, -1)
        if not batch:
            return (h.gather_w * g_m[h.gather_m] * g_p[h.gather_p]).sum(axis=0)
        # a stack: np.take and one einsum spare the large temporaries of fancy indexing
        return np.einsum(
            "hkl,bhkl,bhkl->bkl",
            h.gather_w,
            np.take(g_m, h.gather_m, axis=1),
            np.take(g_p, h.gather_p, axis=1),
        )

    def hessian_traces(
        self,
        values: np.ndarray,
        free: np.ndarray,
        inv: np.ndarray,
        w: np.ndarray,
        inv_d: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The exact Hessian of F_ML for this group's free parameters.

        With P = Σ⁻¹, d = x̄ − μ, T = S + d dᵀ (S without a mean structure),
        W = P − PTP, Δ = ∂Σ/∂θ and δ = ∂μ/∂θ:

        ∂²F/∂θ_k∂θ_l = tr(PΔ_k(P − 2W)Δ_l) + tr(W ∂²Σ/∂θ_k∂θ_l)
        + 2δ_kᵀPδ_l + 2δ_lᵀPΔ_kPd + 2δ_kᵀPΔ_lPd − 2(∂²μ/∂θ_k∂θ_l)ᵀPd.

        At S = Σ, μ = x̄ it is twice the expected information of one case.
        """
        h = self._handles(free)
        rows = self._trace_rows(values, inv - 2 * w, inv, h)
        rows += self._curvature_rows(values, w, h)
        if inv_d is not None:
            rows += self._mean_rows(values, inv, inv_d, h)
        return h.ids, h.scatter(rows)

    def _curvature_rows(self, values: np.ndarray, w: np.ndarray, h: _Handles) -> np.ndarray:
        """tr(W ∂²Σ/∂θ_k∂θ_l) per pair of rows.

        With E = (I − A)⁻¹, C = E S Eᵀ and G = W placed in the observed
        block, K = C G E and L = Eᵀ G E: for two paths A_ab, A_cd the term is
        2(E_da K_bc + E_bc K_da + C_bd L_ca); for a path A_ab and a
        (co)variance S_cd it is 2(E_bc L_da + E_bd L_ca) (one term when
        c = d); Σ is linear in S, and does not depend on the means.
        """
        mom = self.moments(values)
        e, c, p = mom["E"], mom["C"], self.p
        batch = e.shape[:-2]
        ge = _t(e[..., :p, :]) @ w  # (G E)ᵀ restricted: G is W in the observed block
        k_mat = (c[..., :, :p] @ _t(ge)).reshape(*batch, -1)
        l_mat = (ge @ e[..., :p, :]).reshape(*batch, -1)
        e, c = e.reshape(*batch, -1), c.reshape(*batch, -1)
        ix = h.curv
        rows = np.zeros((*batch, len(h.slots), len(h.slots)))
        axis = len(batch)

        def at(flat: np.ndarray, index: str) -> np.ndarray:
            return np.take(flat, ix[index], axis=axis)

        rows[(..., *ix["pa_pa"])] = 2 * (
            at(e, "ba") * at(k_mat, "ab")
            + at(e, "ab") * at(k_mat, "ba")
            + at(c, "bb") * at(l_mat, "aa")
        )
        cross = 2 * (at(e, "bc") * at(l_mat, "ad") + ix["off"] * at(e, "bd") * at(l_mat, "ac"))
        rows[(..., *ix["pa_ps"])] = cross
        rows[(..., *ix["ps_pa"])] = _t(cross)
        return rows

    def _mean_rows(
        self, values: np.ndarray, inv: np.ndarray, inv_d: np.ndarray, h: _Handles
    ) -> np.ndarray:
        """The mean-structure terms of :meth:`hessian_traces` per pair of rows.

        δ of a path A_ab is m̄_b e_a and of a mean m_c is e_c (m̄ = E m, the
        means of all variables); ∂²μ/∂A_ab∂A_cd = e_c E_da m̄_b + e_a E_bc m̄_d
        and ∂²μ/∂A_ab∂m_c = e_a E_bc.
        """
        mom = self.moments(values)
        e, mean_all = mom["E"], mom["mean_all"]
        basis = self._basis(values)
        g_p = basis.T @ inv @ basis
        r = basis.T @ inv_d  # r_k = basis_kᵀ P d
        coef = self._delta_coef(values, h)
        at = h.delta_at
        rows = 2 * coef[:, None] * coef[None, :] * g_p[np.ix_(at, at)]
        # δ_lᵀ P Δ_k P d = Σ_h (δ_lᵀ P u_h)(v_hᵀ P d)
        cross = np.zeros_like(rows)
        for k in (0, 1):
            cross += (h.weight[:, k] * r[h.v[:, k]])[:, None] * g_p[np.ix_(h.u[:, k], at)]
        cross *= coef[None, :]
        rows += 2 * (cross + cross.T)
        # −2 (∂²μ)ᵀ P d
        ix = h.curv
        a, b, m_bar = ix["a"], ix["b"], mean_all
        e_ba = e[np.ix_(b, a)]  # E_{b1 a2}
        second = (
            r[a][None, :] * e_ba.T * m_bar[b][:, None] + r[a][:, None] * e_ba * m_bar[b][None, :]
        )
        rows[ix["pa_pa"]] -= 2 * second
        if len(ix["pm"]):
            mean_cross = r[a][:, None] * e[np.ix_(b, ix["mean_at"])]
            rows[ix["pa_pm"]] -= 2 * mean_cross
            rows[ix["pm_pa"]] -= 2 * mean_cross.T
        return rows


@dataclass
class _Handles:
    """dΣ/dθ and dμ/dθ of one group's free rows in structured form.

    A path A_ij is e_i c_jᵀ + c_j e_iᵀ and a (co)variance S_ij is
    e_i e_jᵀ + e_j e_iᵀ (e_i e_iᵀ once when i = j), with e_k the k-th column
    of the observed rows of E = (I − A)⁻¹ and c_k the observed part of the
    k-th row of C; ``u``, ``v`` are positions in the basis [e_0 … e_n-1,
    c_0 … c_n-1] (two handles per row, ``weight`` 0 for an absent one).
    ``delta_at``: the e_a that dμ/dθ is a multiple of.
    """

    ids: np.ndarray
    slots: np.ndarray
    layout: object  # "identity", True (one row per id) or False
    u: np.ndarray
    v: np.ndarray
    weight: np.ndarray
    path: np.ndarray
    is_mean: np.ndarray
    j: np.ndarray
    delta_at: np.ndarray
    gather_m: np.ndarray
    gather_p: np.ndarray
    gather_w: np.ndarray
    curv: dict

    @classmethod
    def build(cls, st: GroupStructure, free: np.ndarray, ids: np.ndarray) -> _Handles:
        row_ids = free[st.rows]
        sel = row_ids > 0
        slots = np.searchsorted(ids, row_ids[sel] - 1)
        kind, i, j = st.kind[sel], st.i[sel], st.j[sel]
        path, is_mean = kind == "A", kind == "m"
        n = st.n_var
        u = np.stack([i, np.where(path, n + j, j)], axis=1)
        v = np.stack([np.where(path, n + j, j), i], axis=1)
        weight = np.stack(
            [(~is_mean).astype(float), (path | (~is_mean & (i != j))).astype(float)], axis=1
        )
        u[is_mean], v[is_mean] = 0, 0
        combos = [(h1, h2) for h1 in (0, 1) for h2 in (0, 1)]
        gather_m = np.stack([v[:, h1, None] * 2 * n + u[None, :, h2] for h1, h2 in combos])
        gather_p = np.stack([u[:, h1, None] * 2 * n + v[None, :, h2] for h1, h2 in combos])
        gather_w = np.stack([weight[:, h1, None] * weight[None, :, h2] for h1, h2 in combos])
        pa, ps, pm = np.flatnonzero(path), np.flatnonzero(kind == "S"), np.flatnonzero(is_mean)
        a, b = i[pa], j[pa]  # paths: effect of b on a
        c, d = i[ps], j[ps]  # (co)variances
        curv = {
            "a": a,
            "b": b,
            "ba": b[None, :] * n + a[:, None],  # E_{b2 a1}, K_{b2 a1}
            "ab": b[:, None] * n + a[None, :],  # K_{b1 a2}, E_{b1 a2}
            "bb": b[:, None] * n + b[None, :],
            "aa": a[:, None] * n + a[None, :],
            "bc": b[:, None] * n + c[None, :],
            "ad": a[:, None] * n + d[None, :],
            "bd": b[:, None] * n + d[None, :],
            "ac": a[:, None] * n + c[None, :],
            "off": (c != d)[None, :].astype(float),
            "pa_pa": np.ix_(pa, pa),
            "pa_ps": np.ix_(pa, ps),
            "ps_pa": np.ix_(ps, pa),
            "pm": pm,
            "mean_at": i[pm],
            "pa_pm": np.ix_(pa, pm),
            "pm_pa": np.ix_(pm, pa),
        }
        if np.array_equal(slots, np.arange(len(ids))):
            layout = "identity"  # rows in id order, one per id: no scatter needed
        else:
            layout = len(np.unique(slots)) == len(slots)
        return cls(
            ids,
            slots,
            layout,
            u,
            v,
            weight,
            path,
            is_mean,
            j,
            i,
            gather_m,
            gather_p,
            gather_w,
            curv,
        )

    def scatter(self, rows: np.ndarray) -> np.ndarray:
        """Row-by-row products summed into parameter-by-parameter ones (also stacked)."""
        if self.layout == "identity":
            return rows
        out = np.zeros((*rows.shape[:-2], len(self.ids), len(self.ids)))
        if self.layout:
            out[(..., *np.ix_(self.slots, self.slots))] = rows
        else:
            np.add.at(out, (..., self.slots[:, None], self.slots[None, :]), rows)
        return out


def _t(matrices: np.ndarray) -> np.ndarray:
    """Transpose of a matrix or of each matrix of a stack."""
    return np.swapaxes(matrices, -1, -2)


def _scatter_add(target: np.ndarray, slots: np.ndarray, values: np.ndarray, unique: bool) -> None:
    """``target[slots] += values``; np.add.at (much slower) when equality labels repeat a slot."""
    if unique:
        target[slots] += values
    else:
        np.add.at(target, slots, values)
