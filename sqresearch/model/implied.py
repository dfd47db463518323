"""Model-implied moments of a lavaan parameter table, in RAM form.

Every variable (observed, then latent) is one entry of ``v = A v + u`` with
``Cov(u) = S`` and ``E(u) = m``; the observed block of
``C = (I - A)^-1 S (I - A)^-T`` is the implied covariance matrix Σ(θ) and
``F (I - A)^-1 m`` the implied means μ(θ). lavaan uses the LISREL matrices
(Λ, Β, Ψ, Θ); both give the same Σ(θ) and μ(θ) (McArdle & McDonald, 1984).
"""

from __future__ import annotations

from dataclasses import dataclass

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

        Returns a dict with ``E`` = (I - A)^-1, ``C`` (covariance of all
        variables), ``mean_all``, ``sigma`` and ``mu`` (observed block).
        """
        a, s, m = self.matrices(values)
        e = np.linalg.inv(np.eye(self.n_var) - a)
        c = e @ s @ e.T
        mean_all = e @ m
        p = self.p
        return {"E": e, "C": c, "mean_all": mean_all, "sigma": c[:p, :p], "mu": mean_all[:p]}

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
        row_ids = free[self.rows]
        ids = np.unique(row_ids[row_ids > 0]) - 1
        d_sigma = np.zeros((len(ids), p, p))
        d_mu = np.zeros((len(ids), p))
        active = row_ids > 0
        slots = np.searchsorted(ids, row_ids - 1)
        sel = active & (self.kind == "A")  # effect of j on i: E[:, i] C[j, :] + transpose
        if sel.any():
            i, j = self.i[sel], self.j[sel]
            left = ep[:, i].T[:, :, None] * c[j, :p][:, None, :]
            np.add.at(d_sigma, slots[sel], left + left.transpose(0, 2, 1))
            np.add.at(d_mu, slots[sel], ep[:, i].T * mean_all[j][:, None])
        sel = active & (self.kind == "S")
        if sel.any():
            i, j = self.i[sel], self.j[sel]
            d = ep[:, i].T[:, :, None] * ep[:, j].T[:, None, :]
            off = (i != j)[:, None, None]
            np.add.at(d_sigma, slots[sel], d + off * d.transpose(0, 2, 1))
        sel = active & (self.kind == "m")
        if sel.any():
            np.add.at(d_mu, slots[sel], ep[:, self.i[sel]].T)
        return ids, d_sigma, d_mu
