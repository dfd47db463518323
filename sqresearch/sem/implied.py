"""Model-implied moments of a lavaan parameter table, in RAM form.

Every variable (observed, then latent) is one entry of ``v = A v + u`` with
``Cov(u) = S`` and ``E(u) = m``; the observed block of
``C = (I - A)^-1 S (I - A)^-T`` is the implied covariance matrix Σ(θ) and
``F (I - A)^-1 m`` the implied means μ(θ). lavaan uses the LISREL matrices
(Λ, Β, Ψ, Θ); both give the same Σ(θ) and μ(θ) (McArdle & McDonald, 1984).
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
        """A, S and m from the full vector of parameter-table values."""
        n = self.n_var
        a, s, m = np.zeros((n, n)), np.zeros((n, n)), np.zeros(n)
        v = values[self.rows]
        for k, target in (("A", a), ("S", s)):
            sel = self.kind == k
            target[self.i[sel], self.j[sel]] = v[sel]
        sel = self.kind == "S"
        s[self.j[sel], self.i[sel]] = v[sel]
        sel = self.kind == "m"
        m[self.i[sel]] = v[sel]
        return a, s, m

    def moments(self, values: np.ndarray) -> dict[str, np.ndarray]:
        """Implied moments of all variables and of the observed ones.

        Returns a dict with ``S`` (the RAM matrix of (residual)
        (co)variances), ``E`` = (I - A)^-1, ``C`` (covariance of all
        variables), ``mean_all``, ``sigma`` and ``mu`` (observed block).
        The arrays are shared between calls with the same values: do not
        modify them.
        """
        key = values[self.rows].tobytes()
        if self._last[0] == key:
            return self._last[1]
        a, s, m = self.matrices(values)
        e = np.linalg.inv(np.eye(self.n_var) - a)
        c = e @ s @ e.T
        mean_all = e @ m
        p = self.p
        out = {"S": s, "E": e, "C": c, "mean_all": mean_all, "sigma": c[:p, :p], "mu": mean_all[:p]}
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

    def _handles(self, free: np.ndarray) -> tuple:
        """dΣ/dθ of each free covariance-structure row as a sum of outer products u vᵀ.

        A path A_ij is e_i c_jᵀ + c_j e_iᵀ and a (co)variance S_ij is
        e_i e_jᵀ + e_j e_iᵀ (e_i e_iᵀ once when i = j), with e_k the k-th
        column of the observed rows of E = (I − A)⁻¹ and c_k the observed
        part of the k-th row of C; u and v are positions in the basis
        [e_0 … e_n-1, c_0 … c_n-1]. Returned with flat gather indices for
        :meth:`trace_products` and :meth:`curvature`; depends on the table only.
        """
        key = free.tobytes()
        if self._last_handles[0] != key:
            ids, _ = self._layout(free)
            row_ids = free[self.rows]
            sel = (row_ids > 0) & (self.kind != "m")
            slots = np.searchsorted(ids, row_ids[sel] - 1)
            i, j, path = self.i[sel], self.j[sel], self.kind[sel] == "A"
            n = self.n_var
            u = np.stack([i, np.where(path, n + j, j)], axis=1)
            v = np.stack([np.where(path, n + j, j), i], axis=1)
            weight = np.stack([np.ones(len(i)), (path | (i != j)).astype(float)], axis=1)
            combos = [(h1, h2) for h1 in (0, 1) for h2 in (0, 1)]
            gather_m = np.stack([v[:, h1, None] * 2 * n + u[None, :, h2] for h1, h2 in combos])
            gather_p = np.stack([u[:, h1, None] * 2 * n + v[None, :, h2] for h1, h2 in combos])
            gather_w = np.stack([weight[:, h1, None] * weight[None, :, h2] for h1, h2 in combos])
            # curvature: paths (a = i, b = j) against paths and against (co)variances (c, d)
            a, b = i[path], j[path]
            c, d = i[~path], j[~path]
            curv = {
                "ba": b[None, :] * n + a[:, None],  # E_{b2 a1}, K_{b2 a1}
                "ab": b[:, None] * n + a[None, :],  # K_{b1 a2}, E_{b1 a2}
                "bb": b[:, None] * n + b[None, :],
                "aa": a[:, None] * n + a[None, :],
                "bc": b[:, None] * n + c[None, :],
                "ad": a[:, None] * n + d[None, :],
                "bd": b[:, None] * n + d[None, :],
                "ac": a[:, None] * n + c[None, :],
                "off": (c != d)[None, :].astype(float),
            }
            unique = len(np.unique(slots)) == len(slots)
            pa, ps = np.flatnonzero(path), np.flatnonzero(~path)
            curv["pa_pa"], curv["pa_ps"], curv["ps_pa"] = (
                np.ix_(pa, pa),
                np.ix_(pa, ps),
                np.ix_(ps, pa),
            )
            # rows in id order, one row per id: no scatter needed
            unique = "identity" if np.array_equal(slots, np.arange(len(ids))) else unique
            self._last_handles = (
                key,
                (ids, slots, u, v, weight, unique, gather_m, gather_p, gather_w, path, curv),
            )
        return self._last_handles[1]

    def _basis(self, values: np.ndarray) -> np.ndarray:
        """[e_0 … e_n-1, c_0 … c_n-1] (p × 2n) at ``values``."""
        mom = self.moments(values)
        p = self.p
        return np.hstack([mom["E"][:p], mom["C"][:, :p].T])

    @staticmethod
    def _scatter(rows: np.ndarray, ids: np.ndarray, slots: np.ndarray, unique) -> np.ndarray:
        """Row-by-row products summed into parameter-by-parameter ones."""
        if unique == "identity":
            return rows
        out = np.zeros((len(ids), len(ids)))
        if unique:
            out[np.ix_(slots, slots)] = rows
        else:
            np.add.at(out, (slots[:, None], slots[None, :]), rows)
        return out

    def gradient_traces(
        self, values: np.ndarray, free: np.ndarray, w: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """tr(W ∂Σ/∂θ_k) for this group's free parameters (no mean structure)."""
        ids, slots, u, v, weight, *_ = self._handles(free)
        basis = self._basis(values)
        g = basis.T @ w @ basis
        rows = (weight * g[v, u]).sum(axis=1)
        return ids, np.bincount(slots, weights=rows, minlength=len(ids))

    def trace_products(
        self, values: np.ndarray, free: np.ndarray, m: np.ndarray, inv: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """tr(P ∂Σ/∂θ_k M ∂Σ/∂θ_l) for this group's free parameters, P = ``inv``.

        With ∂Σ/∂θ = Σ_h u_h v_hᵀ: tr(P u vᵀ M u' v'ᵀ) = (vᵀ M u')(v'ᵀ P u), so
        two small Gram matrices of the basis give every pair without
        forming the k × p × p array of derivatives.
        """
        ids, slots, *_, unique, _, _, _, _, _ = self._handles(free)
        return ids, self._scatter(self._trace_rows(values, m, inv, free), ids, slots, unique)

    def _trace_rows(
        self, values: np.ndarray, m: np.ndarray, inv: np.ndarray, free: np.ndarray
    ) -> np.ndarray:
        *_, gather_m, gather_p, gather_w, _, _ = self._handles(free)
        basis = self._basis(values)
        g_m, g_p = (basis.T @ m @ basis).ravel(), (basis.T @ inv @ basis).ravel()
        return (gather_w * g_m[gather_m] * g_p[gather_p]).sum(axis=0)

    def hessian_traces(
        self, values: np.ndarray, free: np.ndarray, inv: np.ndarray, w: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """∂²F_ML/∂θ_k∂θ_l = tr(PΔ_k(2Q − P)Δ_l) + tr(W ∂²Σ/∂θ_k∂θ_l) (P = Σ⁻¹, W = P − Q).

        At S = Σ the first term is twice the expected information of one case.
        """
        ids, slots, *_, unique, _, _, _, _, _ = self._handles(free)
        rows = self._trace_rows(values, inv - 2 * w, inv, free)
        rows += self._curvature_rows(values, free, w)
        return ids, self._scatter(rows, ids, slots, unique)

    def curvature(
        self, values: np.ndarray, free: np.ndarray, w: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """tr(W ∂²Σ/∂θ_k∂θ_l) for this group's free parameters (no mean structure).

        With E = (I − A)⁻¹, C = E S Eᵀ and G = W placed in the observed
        block, K = C G E and L = Eᵀ G E: for two paths A_ab, A_cd the term is
        2(E_da K_bc + E_bc K_da + C_bd L_ca); for a path A_ab and a
        (co)variance S_cd it is 2(E_bc L_da + E_bd L_ca) (one term when
        c = d); Σ is linear in S, so (co)variance pairs give 0. Used for the
        exact Hessian of F_ML (Newton steps).
        """
        ids, slots, *_, unique, _, _, _, _, _ = self._handles(free)
        return ids, self._scatter(self._curvature_rows(values, free, w), ids, slots, unique)

    def _curvature_rows(self, values: np.ndarray, free: np.ndarray, w: np.ndarray) -> np.ndarray:
        _, slots, *_, ix = self._handles(free)
        mom = self.moments(values)
        e, c, p = mom["E"], mom["C"], self.p
        ge = e[:p].T @ w  # (G E)ᵀ restricted: G is W in the observed block
        k_mat, l_mat = (c[:, :p] @ ge.T).ravel(), (ge @ e[:p]).ravel()
        e, c = e.ravel(), c.ravel()
        rows = np.zeros((len(slots), len(slots)))
        rows[ix["pa_pa"]] = 2 * (
            e[ix["ba"]] * k_mat[ix["ab"]]
            + e[ix["ab"]] * k_mat[ix["ba"]]
            + c[ix["bb"]] * l_mat[ix["aa"]]
        )
        cross = 2 * (e[ix["bc"]] * l_mat[ix["ad"]] + ix["off"] * e[ix["bd"]] * l_mat[ix["ac"]])
        rows[ix["pa_ps"]] = cross
        rows[ix["ps_pa"]] = cross.T
        return rows


def _scatter_add(target: np.ndarray, slots: np.ndarray, values: np.ndarray, unique: bool) -> None:
    """``target[slots] += values``; np.add.at (much slower) when equality labels repeat a slot."""
    if unique:
        target[slots] += values
    else:
        np.add.at(target, slots, values)
