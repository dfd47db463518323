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
        for r, row in enumerate(table.itertuples(index=False)):
            if row.group != group or row.op == ":=":
                continue
            if row.op == "=~":
                k, a, b = "A", position[row.rhs], position[row.lhs]
            elif row.op == "~":
                k, a, b = "A", position[row.lhs], position[row.rhs]
            elif row.op == "~~":
                k, a, b = "S", position[row.lhs], position[row.rhs]
            else:  # "~1"
                k, a, b = "m", position[row.lhs], 0
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
        self, values: np.ndarray, free: np.ndarray, n_free: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """dΣ/dθ and dμ/dθ for the free parameters (ids 1..n_free in ``free``).

        Returns arrays of shape (n_free, p, p) and (n_free, p).
        """
        mom = self.moments(values)
        e, c, mean_all, p = mom["E"], mom["C"], mom["mean_all"], self.p
        ep = e[:p]  # rows of (I - A)^-1 for the observed variables
        d_sigma = np.zeros((n_free, p, p))
        d_mu = np.zeros((n_free, p))
        ids = free[self.rows]
        for r in np.flatnonzero(ids > 0):
            k, i, j, t = self.kind[r], self.i[r], self.j[r], ids[r] - 1
            if k == "A":
                left = np.outer(ep[:, i], c[j, :p])
                d_sigma[t] += left + left.T
                d_mu[t] += ep[:, i] * mean_all[j]
            elif k == "S":
                d = np.outer(ep[:, i], ep[:, j])
                d_sigma[t] += d if i == j else d + d.T
            else:
                d_mu[t] += ep[:, i]
        return d_sigma, d_mu
