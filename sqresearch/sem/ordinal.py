"""Ordered items: thresholds, polychoric correlations and WLSMV, as lavaan 0.6.

:func:`polychoric` estimates lavaan's sample statistics for ordered items
(and, beside them, continuous ones: means, variances, polyserial and Pearson
correlations):
thresholds from the univariate margins (τ = Φ⁻¹ of the cumulative
proportions) and each polychoric correlation by two-step ML (Olsson, 1979),
thresholds held at their univariate values; with them the asymptotic
covariance matrix Γ of (τ, ρ) from the casewise scores (Muthén, 1984;
lavaan's ``muthen1984``).

:func:`fit_wlsmv` fits a measurement model (ordered indicators of latent
variables; the delta parametrisation, residual variances 1 − R²) by
diagonally weighted least squares on (τ, ρ) with W = diag(Γ)⁻¹, robust
standard errors ``E⁻¹Δ'WΓWΔE⁻¹/N`` (E = Δ'WΔ), and lavaan's mean- and
variance-adjusted ("scaled-shifted") χ²: T* = aT + b with a = √(df/tr(UΓUΓ)),
b = df − a·tr(UΓ), U = W − WΔE⁻¹Δ'W (Asparouhov & Muthén, 2010). The scaled
CFI, TLI and RMSEA use T* of the model and of the independence model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, special
from scipy.linalg import block_diag

from sqresearch.errors import InputError, ModelError
from sqresearch.sem.estimation import MLProblem
from sqresearch.sem.fit_indices import fit_measures
from sqresearch.sem.implied import GroupStructure
from sqresearch.sem.likelihood import GroupData
from sqresearch.sem.syntax import parameter_table, parse_model, variable_roles

_BIG = 1e10  # stands for ±∞ among thresholds
# group.equal types that leave lavaan's scale factors fixed (the covariance structure only)
_WLSMV_EQUAL = ("loadings", "lv.variances", "lv.covariances", "regressions")


def _phi(x):
    return np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi)


def bvn_cdf(h: np.ndarray, k: np.ndarray, rho: float) -> np.ndarray:
    """Φ₂(h, k; ρ), the standard bivariate normal CDF, by Owen's T function.

    Examples
    --------
    >>> round(float(bvn_cdf(np.array(0.0), np.array(0.0), 0.5)), 12)  # 1/4 + asin(ρ)/(2π)
    0.333333333333
    """
    h, k, rho = np.broadcast_arrays(
        np.asarray(h, float), np.asarray(k, float), np.asarray(rho, float)
    )
    out = np.empty(h.shape)
    big_h, big_k = h >= _BIG, k >= _BIG
    small = (h <= -_BIG) | (k <= -_BIG)
    out[small] = 0.0
    only_k = big_h & ~small
    out[only_k] = special.ndtr(k[only_k])
    only_h = big_k & ~big_h & ~small
    out[only_h] = special.ndtr(h[only_h])
    rest = ~(small | big_h | big_k)
    # Owen (1956): Φ₂ = ½Φ(h) + ½Φ(k) − T(h, a_h) − T(k, a_k) − β; the formula is
    # continuous at h = 0 or k = 0 from the positive side, so zeros are moved there
    hh = np.where(h[rest] == 0, 1e-100, h[rest])
    kk = np.where(k[rest] == 0, 1e-100, k[rest])
    r = rho[rest]
    s = np.sqrt(1 - r * r)
    t_h = special.owens_t(hh, (kk - r * hh) / (hh * s))
    t_k = special.owens_t(kk, (hh - r * kk) / (kk * s))
    beta = np.where(hh * kk < 0, 0.5, 0.0)
    out[rest] = 0.5 * (special.ndtr(hh) + special.ndtr(kk)) - t_h - t_k - beta
    return out


def _cell_probabilities(t1: np.ndarray, t2: np.ndarray, rho) -> np.ndarray:
    """π_ab of K × L tables given padded thresholds (−∞ ... +∞); leading axes stack tables."""
    rho = np.asarray(rho, float)[..., None, None]
    grid = bvn_cdf(t1[..., :, None], t2[..., None, :], rho)
    return _differences(grid)


def _differences(grid: np.ndarray) -> np.ndarray:
    return grid[..., 1:, 1:] - grid[..., :-1, 1:] - grid[..., 1:, :-1] + grid[..., :-1, :-1]


def _bvn_density(h, k, rho):
    s2 = 1 - rho * rho
    h = np.clip(h, -40, 40)
    k = np.clip(k, -40, 40)
    return np.exp(-(h * h - 2 * rho * h * k + k * k) / (2 * s2)) / (2 * np.pi * np.sqrt(s2))


def _dpi_drho(t1, t2, rho):
    rho = np.asarray(rho, float)[..., None, None]
    return _differences(_bvn_density(t1[..., :, None], t2[..., None, :], rho))


def _polychoric_all(tables: np.ndarray, t1: np.ndarray, t2: np.ndarray, start: np.ndarray):
    """Two-step ML polychorics of stacked tables at once, by Fisher scoring then Newton.

    ``tables`` (P, K, L) hold counts; ``t1`` (P, K + 1) and ``t2`` (P, L + 1) the padded
    thresholds (cells beyond an item's categories have zero probability and count).
    """
    rho = np.clip(start, -0.95, 0.95)
    n = tables.sum(axis=(1, 2))
    active = np.arange(len(rho))  # pairs still moving: converged ones are left alone
    last = np.full(len(rho), np.inf)
    for it in range(100):
        tab, a1, a2, r = tables[active], t1[active], t2[active], rho[active]
        pi = np.maximum(_cell_probabilities(a1, a2, r), 1e-300)
        d_pi = _dpi_drho(a1, a2, r)
        score = np.sum(np.where(tab > 0, tab * d_pi / pi, 0.0), axis=(1, 2))
        if it < 8:  # Fisher scoring first: robust far from the optimum
            curvature = -n[active] * np.sum(np.where(pi > 1e-280, d_pi * d_pi / pi, 0.0), axis=(1, 2))
        else:  # then Newton on the analytic score (numerical second derivative)
            h = 1e-6
            up = _score_all(tab, a1, a2, r + h)
            down = _score_all(tab, a1, a2, r - h)
            curvature = (up - down) / (2 * h)
            curvature = np.where(curvature < 0, curvature, -n[active])
        step = -score / curvature
        rho[active] = np.clip(r + step, -0.999, 0.999)
        size = np.abs(step)
        # done: a step below 1e-13, or a tiny Newton step no smaller than the last (rounding)
        done = (size < 1e-13) | ((it >= 9) & (size >= last[active]) & (size < 1e-9))
        last[active] = size
        active = active[~done]
        if not len(active):
            break
    return rho


def _score_all(tables, t1, t2, rho):
    pi = np.maximum(_cell_probabilities(t1, t2, rho), 1e-300)
    return np.sum(np.where(tables > 0, tables * _dpi_drho(t1, t2, rho) / pi, 0.0), axis=(1, 2))


@dataclass
class PolychoricResult:
    """Thresholds, polychoric correlations and their asymptotic covariance.

    Attributes
    ----------
    thresholds : dict of ndarray
        Per ordered item, its thresholds in order.
    cor : DataFrame
        Correlation matrix: polychoric between ordered items, polyserial
        between an ordered and a continuous item, Pearson between continuous
        ones.
    gamma : ndarray
        N·ACOV of :attr:`moments`: lavaan's NACOV.
    n : int
    categories : dict of list
        The observed response categories of each ordered item, ascending.
    means, variances : dict of float
        Per continuous item, its mean and (ML) variance; empty if every item
        is ordered.
    """

    thresholds: dict
    cor: pd.DataFrame
    gamma: np.ndarray
    n: int
    categories: dict
    means: dict = field(default_factory=dict)
    variances: dict = field(default_factory=dict)

    @property
    def cov(self) -> pd.DataFrame:
        """:attr:`cor` scaled by the standard deviations (1 for ordered items)."""
        sd = np.sqrt([self.variances.get(v, 1.0) for v in self.cor.index])
        return self.cor * np.outer(sd, sd)

    @property
    def moments(self) -> np.ndarray:
        """lavaan's WLS statistics: item by item the thresholds (−mean of a continuous
        item), then the variances of the continuous items, then the covariances
        below the diagonal, column by column (correlations if every item is ordered)."""
        items = list(self.cor.index)
        slots = [self.thresholds[v] if v in self.thresholds else [-self.means[v]] for v in items]
        return np.concatenate(
            [np.concatenate(slots), [self.variances[v] for v in items if v in self.variances],
             _lower(self.cov.to_numpy())]
        )  # fmt: skip


def polychoric(
    data: pd.DataFrame,
    items: list[str] | None = None,
    *,
    missing: str = "listwise",
    continuous: list[str] | None = None,
) -> PolychoricResult:
    """Thresholds and polychoric correlations of ordered items, with lavaan's NACOV.

    Parameters
    ----------
    data : DataFrame
        Item responses (numbers; each distinct value a category, ascending).
    items : list of str, optional
        Default: every column.
    missing : {"listwise", "pairwise"}
        Drop the rows missing any item (lavaan's default), or use every
        available response (lavaan ``missing = "pairwise"``): thresholds from
        each item's responses, each correlation from the pair's complete
        cases, NACOV from casewise scores that are 0 where a response is
        missing; rows missing every item are dropped.
    continuous : list of str, optional
        Items among ``items`` that are continuous, not ordered (lavaan's
        ``ordered = c(...)`` naming the others): their mean and variance join
        the statistics, their correlations with ordered items are two-step
        polyserial (Olsson, Drasgow & Dorans, 1982), among themselves Pearson.
        Listwise only.

    Returns
    -------
    PolychoricResult

    References
    ----------
    Olsson, U. (1979). Maximum likelihood estimation of the polychoric
    correlation coefficient. Psychometrika, 44, 443–460.
    Olsson, U., Drasgow, F., & Dorans, N. J. (1982). The polyserial
    correlation coefficient. Psychometrika, 47, 337–347.
    Muthén, B. (1984). A general structural equation model with dichotomous,
    ordered categorical, and continuous latent variable indicators.
    Psychometrika, 49, 115–132.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> z = rng.multivariate_normal([0, 0], [[1, .5], [.5, 1]], size=2000)
    >>> d = pd.DataFrame(np.digitize(z, [-0.5, 0.4, 1.2]), columns=["a", "b"])
    >>> res = polychoric(d)
    >>> abs(float(res.cor.loc["a", "b"]) - 0.5) < 0.05
    True
    >>> d["c"] = z[:, 0]  # continuous: the polyserial correlation of b and c
    >>> abs(float(polychoric(d, continuous=["c"]).cor.loc["b", "c"]) - 0.5) < 0.05
    True
    """
    items = list(data.columns) if items is None else list(items)
    absent = [c for c in items if c not in data.columns]
    if absent:
        raise InputError("the item is not a column of the data", column=absent[0])
    if missing not in ("listwise", "pairwise"):
        raise InputError(f"missing must be 'listwise' or 'pairwise', not {missing!r}")
    numeric = [items.index(c) for c in continuous or []]
    if numeric and missing != "listwise":
        raise InputError("continuous items need missing='listwise' here (not pairwise)")
    frame = data[items].apply(pd.to_numeric, errors="coerce")
    frame = frame.dropna() if missing == "listwise" else frame.dropna(how="all")
    n, p = frame.shape
    is_num = np.isin(np.arange(p), numeric)
    codes, thresholds, categories, padded, means, variances = [], {}, {}, [], {}, {}
    for v, item in enumerate(items):
        values = frame[item].to_numpy()
        if is_num[v]:
            means[item], variances[item] = values.mean(), values.var()
            codes.append(values)
            padded.append(None)
            continue
        seen = ~np.isnan(values)
        levels = np.unique(values[seen])
        if len(levels) < 2:
            raise InputError("an ordered item needs at least two categories", column=item)
        code = np.where(seen, np.searchsorted(levels, values), -1)  # -1: missing
        counts = np.bincount(code[seen], minlength=len(levels))
        tau = special.ndtri(np.cumsum(counts)[:-1] / seen.sum())
        codes.append(code)
        thresholds[item] = tau
        categories[item] = levels.tolist()
        padded.append(np.concatenate([[-_BIG], tau, [_BIG]]))

    # step 1: univariate scores, casewise (thresholds; mean and variance of continuous items)
    th_start = np.cumsum([0] + [1 if is_num[v] else len(padded[v]) - 2 for v in range(p)])
    n_th, n_num = th_start[-1], len(numeric)
    var_col = {v: n_th + k for k, v in enumerate(np.flatnonzero(is_num))}
    sc_th = np.zeros((n, n_th + n_num))
    rows = np.arange(n)
    for v in range(p):
        if is_num[v]:
            dev = codes[v] - means[items[v]]
            s2 = variances[items[v]]
            sc_th[:, th_start[v]] = dev / s2
            sc_th[:, var_col[v]] = -1 / (2 * s2) + dev * dev / (2 * s2 * s2)
            continue
        t, code = padded[v], codes[v]
        prob = special.ndtr(t[1:]) - special.ndtr(t[:-1])
        upper, lower = code, code - 1  # threshold indices bounding each case's category
        dens = _phi(np.clip(t, -40, 40))
        ok = (upper < len(t) - 2) & (code >= 0)
        sc_th[rows[ok], th_start[v] + upper[ok]] += dens[code[ok] + 1] / prob[code[ok]]
        ok = lower >= 0
        sc_th[rows[ok], th_start[v] + lower[ok]] -= dens[code[ok]] / prob[code[ok]]

    # step 2: correlations, then their scores
    pairs = [(i, j) for j in range(p - 1) for i in range(j + 1, p)]  # lavaan's order
    pstar = len(pairs)
    rhos = np.zeros(pstar)
    sc_cor = np.zeros((n, pstar))
    a21 = np.zeros((pstar, n_th + n_num))
    both_ordered = np.array([not (is_num[i] or is_num[j]) for i, j in pairs], dtype=bool)
    if both_ordered.any():
        rhos[both_ordered], sc_cor[:, both_ordered], a21[both_ordered] = _polychoric_step2(
            [pairs[k] for k in np.flatnonzero(both_ordered)], codes, padded, th_start, a21.shape[1]
        )
    h21 = np.zeros((pstar, n_th + n_num))
    h22 = np.ones(pstar)
    for k in np.flatnonzero(~both_ordered):
        i, j = pairs[k]
        if is_num[i] and is_num[j]:  # Pearson (lavaan's two-step bivariate regression)
            rhos[k], scores = _pearson_scores(
                codes[i], codes[j], means[items[i]], means[items[j]],
                variances[items[i]], variances[items[j]],
            )  # fmt: skip
            sc_cor[:, k] = scores[0]
            for col, score in zip(
                (th_start[i], th_start[j], var_col[i], var_col[j]), scores[1:], strict=True
            ):
                a21[k, col] = sc_cor[:, k] @ score
            si, sj = np.sqrt(variances[items[i]]), np.sqrt(variances[items[j]])
            h21[k, var_col[i]] = sj * rhos[k] / (2 * si)
            h21[k, var_col[j]] = si * rhos[k] / (2 * sj)
            h22[k] = si * sj
            continue
        y, o = (i, j) if is_num[i] else (j, i)  # the continuous and the ordered item
        rhos[k], scores = _polyserial(
            codes[y], means[items[y]], variances[items[y]], codes[o], padded[o]
        )
        sc_cor[:, k] = scores[0]
        a21[k, th_start[y]] = sc_cor[:, k] @ scores[1]
        a21[k, var_col[y]] = sc_cor[:, k] @ scores[2]
        a21[k, th_start[o] : th_start[o + 1]] = sc_cor[:, k] @ scores[3]
        sy = np.sqrt(variances[items[y]])
        h21[k, var_col[y]] = rhos[k] / (2 * sy)
        h22[k] = sy
    cor = np.eye(p)
    for k, (i, j) in enumerate(pairs):
        cor[i, j] = cor[j, i] = rhos[k]
    inner = np.hstack([sc_th, sc_cor])
    inner = inner.T @ inner
    size = n_th + n_num
    a11 = np.zeros((size, size))
    for v in range(p):
        block = list(range(th_start[v], th_start[v + 1])) + ([var_col[v]] if is_num[v] else [])
        a11[np.ix_(block, block)] = inner[np.ix_(block, block)]
    a22 = np.sum(sc_cor * sc_cor, axis=0)
    a11_inv = np.linalg.inv(a11)
    b_inv = np.zeros((size + pstar, size + pstar))
    b_inv[:size, :size] = a11_inv
    b_inv[size:, :size] = -(a21 / a22[:, None]) @ a11_inv
    b_inv[size:, size:] = np.diag(1 / a22)
    gamma = n * (b_inv @ inner @ b_inv.T)
    if n_num:  # correlations to covariances, means to −means (lavaan's th slot)
        h = np.eye(size + pstar)
        h[size:, :size] = h21
        h[size:, size:] = np.diag(h22)
        gamma = h @ gamma @ h.T
        flip = np.ones(size + pstar)
        flip[th_start[numeric]] = -1
        gamma *= np.outer(flip, flip)
    return PolychoricResult(
        thresholds=thresholds,
        cor=pd.DataFrame(cor, index=items, columns=items),
        gamma=gamma,
        n=n,
        categories=categories,
        means=means,
        variances=variances,
    )


def _polychoric_step2(pairs, codes, padded, th_start, n_uni):
    """Polychorics of pairs of ordered items (all at once), their casewise scores (n × pairs)
    and the cross products of those with the bivariate threshold scores (dx.th.y1/y2;
    pairs × ``n_uni`` univariate statistics)."""
    pstar = len(pairs)
    rhos = np.zeros(pstar)
    sc_cor = np.zeros((len(codes[0]), pstar))
    a21 = np.zeros((pstar, n_uni))
    width = max(len(padded[v]) for pair in pairs for v in pair)
    stacked = {
        v: np.concatenate([padded[v], np.full(width - len(padded[v]), _BIG)])
        for pair in pairs for v in pair
    }  # fmt: skip
    tables = np.zeros((pstar, width - 1, width - 1))
    cells = (width - 1) ** 2
    both = [(codes[i] >= 0) & (codes[j] >= 0) for i, j in pairs]
    for k, (i, j) in enumerate(pairs):
        tables[k] = np.bincount(
            codes[i][both[k]] * (width - 1) + codes[j][both[k]], minlength=cells
        ).reshape(width - 1, width - 1)
    first = np.array([stacked[i] for i, _ in pairs])
    second = np.array([stacked[j] for _, j in pairs])
    square = np.array([len(padded[i]) == 3 and len(padded[j]) == 3 for i, j in pairs])
    coded = pd.DataFrame({v: codes[v] for v in stacked}, dtype=float)
    coded[coded < 0] = np.nan  # Pearson r of the codes over each pair's cases: the start
    full = coded.corr()
    start = np.nan_to_num(np.array([full.loc[i, j] for i, j in pairs]))
    general = ~square
    if general.any():
        rhos[general] = _polychoric_all(
            tables[general], first[general], second[general], start[general]
        )
    for k in np.flatnonzero(square):  # 2 × 2 tables: lavaan's zero-cell rules
        i, j = pairs[k]
        rhos[k] = _polychoric_pair(tables[k][:2, :2], padded[i], padded[j])
    pi_all = _cell_probabilities(first, second, rhos)
    dpi_all = _dpi_drho(first, second, rhos)
    for k, (i, j) in enumerate(pairs):
        rho = rhos[k]
        t1, t2 = padded[i], padded[j]
        freq = tables[k][: len(t1) - 1, : len(t2) - 1]
        pi = pi_all[k, : len(t1) - 1, : len(t2) - 1]
        cell_rho = dpi_all[k, : len(t1) - 1, : len(t2) - 1] / pi
        sc_cor[both[k], k] = cell_rho[codes[i][both[k]], codes[j][both[k]]]
        s = np.sqrt(1 - rho * rho)
        for ta, tb, start_a, transpose in (
            (t1, t2, th_start[i], False),
            (t2, t1, th_start[j], True),
        ):
            dens = _phi(np.clip(ta, -40, 40))[:, None]
            cond = special.ndtr((tb[None, :] - rho * ta[:, None]) / s)
            band = dens * (cond[:, 1:] - cond[:, :-1])
            weight = (freq * cell_rho / pi).T if transpose else freq * cell_rho / pi
            # τ_c bounds category c from above (+) and category c + 1 from below (−)
            a21[k, start_a : start_a + len(ta) - 2] = np.sum(
                weight[:-1] * band[1:-1] - weight[1:] * band[1:-1], axis=1
            )
    return rhos, sc_cor, a21


def _pearson_scores(y1, y2, m1, m2, v1, v2):
    """Pearson r of two continuous items and lavaan's casewise scores of the bivariate
    normal (lav_bvreg_cor_scores): ρ, then μ₁, μ₂, σ₁², σ₂²."""
    c1, c2 = y1 - m1, y2 - m2
    s1, s2 = np.sqrt(v1), np.sqrt(v2)
    rho = float(np.mean(c1 * c2) / (s1 * s2))
    r = 1 - rho * rho
    cross = c1 * c2 / (s1 * s2)
    z = c1 * c1 / v1 - 2 * rho * cross + c2 * c2 / v2
    return rho, (
        rho / r + cross / r - z * rho / (r * r),
        (c1 / v1 - rho * c2 / (s1 * s2)) / r,
        (c2 / v2 - rho * c1 / (s1 * s2)) / r,
        -(0.5 / v1 - (c1 * c1 / (v1 * v1) - rho * c1 * c2 / (v1 * s1 * s2)) / (2 * r)),
        -(0.5 / v2 - (c2 * c2 / (v2 * v2) - rho * c1 * c2 / (v2 * s1 * s2)) / (2 * r)),
    )


def _polyserial(y, mean, var, code, tau):
    """Two-step ML polyserial correlation of a continuous item ``y`` with an ordered one
    (codes 0..K−1, padded thresholds ``tau``) and lavaan's casewise scores
    (lav_bvmix_cor_scores): ρ, then μ, σ² of ``y`` and the thresholds (n × (K − 1))."""
    sd = np.sqrt(var)
    z = (y - mean) / sd
    upper, lower = tau[code + 1], tau[code]

    def parts(rho):
        r = np.sqrt(1 - rho * rho)
        hi, lo = (upper - rho * z) / r, (lower - rho * z) / r
        prob = np.maximum(special.ndtr(hi) - special.ndtr(lo), np.finfo(float).eps)
        return r, hi, lo, prob

    def score(rho):
        r, hi, lo, prob = parts(rho)
        d_hi = _phi(np.clip(hi, -40, 40)) * (upper * rho - z)  # φ = 0 at ±∞
        d_lo = _phi(np.clip(lo, -40, 40)) * (lower * rho - z)
        return (d_hi - d_lo) / (prob * r**3)

    def negloglik(rho):
        return -float(np.sum(np.log(parts(rho)[3])))

    found = optimize.minimize_scalar(  # lavaan's bounds: (−0.995, 0.995)
        negloglik, bounds=(-0.995, 0.995), method="bounded", options={"xatol": 1e-12}
    )
    rho = float(found.x)
    for _ in range(20):  # Newton polish on the analytic score
        h = 1e-6
        d1 = float(np.sum(score(rho)))
        d2 = (np.sum(score(rho + h)) - np.sum(score(rho - h))) / (2 * h)
        if d2 >= 0:
            break
        new = float(np.clip(rho - d1 / d2, -0.995, 0.995))
        if abs(new - rho) < 1e-14:
            break
        rho = new
    r, hi, lo, prob = parts(rho)
    d_hi, d_lo = _phi(np.clip(hi, -40, 40)), _phi(np.clip(lo, -40, 40))
    n_tau = len(tau) - 2
    th = np.zeros((len(y), n_tau))
    rows = np.arange(len(y))
    ok = code < n_tau
    th[rows[ok], code[ok]] += d_hi[ok] / (r * prob[ok])
    ok = code > 0
    th[rows[ok], code[ok] - 1] -= d_lo[ok] / (r * prob[ok])
    return rho, (
        score(rho),
        (z + (rho / r) * (d_hi - d_lo) / prob) / sd,
        ((z * z - 1) + (rho * z / r) * (d_hi - d_lo) / prob) / (2 * var),
        th,
    )


@dataclass
class WLSMoments:
    """What a WLSMV fit keeps for difference tests (lavaan's ``Delta``, ``WLS.V``, ``Gamma``).

    Attributes
    ----------
    delta : ndarray
        ∂(sample statistics)/∂(free parameters) at the estimates: rows the
        thresholds then the correlations of each group, stacked; columns the
        free parameters (thresholds first).
    weights : ndarray
        The diagonal of the DWLS weight matrix, row by row of ``delta``.
    gamma : ndarray
        Block-diagonal N·ACOV of the sample statistics, each group's block
        multiplied by its share of the cases n_g/N.
    share : ndarray
        n_g/N of the group of each row.
    """

    delta: np.ndarray
    weights: np.ndarray
    gamma: np.ndarray
    share: np.ndarray


def _polychoric_pair(table: np.ndarray, t1: np.ndarray, t2: np.ndarray) -> float:
    """Two-step ML polychoric correlation of one contingency table (lavaan's zero.add rules)."""
    freq = table.copy()
    if freq.shape == (2, 2):
        zeros = np.flatnonzero(freq.ravel() == 0)
        if len(zeros) == 2:
            return 1.0 if freq[0, 0] > 0 else -1.0
        if len(zeros) == 1:  # lavaan adds ½ keeping the margins
            sign = 1 if zeros[0] in (0, 3) else -1
            freq += sign * 0.5 * np.array([[1, -1], [-1, 1]])
        if freq[0, 0] * freq[1, 1] == freq[0, 1] * freq[1, 0]:
            return 0.0

    def negloglik(rho: float) -> float:
        pi = _cell_probabilities(t1, t2, rho)
        return -float(np.sum(freq * np.log(np.maximum(pi, 1e-300))))

    res = optimize.minimize_scalar(
        negloglik, bounds=(-0.999, 0.999), method="bounded", options={"xatol": 1e-12}
    )
    rho = float(res.x)
    # Newton polish on the analytic score (the bounded search stops at ~1e-9)
    for _ in range(5):
        step = 1e-6
        d1 = _score(freq, t1, t2, rho)
        d2 = (_score(freq, t1, t2, rho + step) - _score(freq, t1, t2, rho - step)) / (2 * step)
        if d2 >= 0:
            break
        new = float(np.clip(rho - d1 / d2, -0.999, 0.999))
        if abs(new - rho) < 1e-14:
            break
        rho = new
    return rho


def _score(freq, t1, t2, rho) -> float:
    pi = _cell_probabilities(t1, t2, rho)
    return float(np.sum(freq * _dpi_drho(t1, t2, rho) / pi))


def _ordered_items(ordered, observed: list[str]) -> list[str]:
    if ordered is True:
        return list(observed)
    items = [ordered] if isinstance(ordered, str) else list(ordered or [])
    if not items:
        raise ModelError("estimator='WLSMV' needs ordered items: ordered=True or a list of items")
    unknown = [v for v in items if v not in observed]
    if unknown:
        raise ModelError(f"ordered item {unknown[0]!r} is not a variable of the model")
    return items


def _renumber(free: np.ndarray) -> np.ndarray:
    """Free ids 1..K in order of first appearance, 0 kept (shared ids stay shared)."""
    out = np.zeros_like(free)
    mapping: dict[int, int] = {}
    for r, k in enumerate(free):
        if k > 0:
            out[r] = mapping.setdefault(int(k), len(mapping) + 1)
    return out


def _lower(matrix: np.ndarray) -> np.ndarray:
    """Below-diagonal entries, column by column (lavaan's vech without the diagonal)."""
    j, i = np.triu_indices(matrix.shape[-1], 1)
    return matrix[..., i, j]


def fit_wlsmv(
    model: str,
    data: pd.DataFrame,
    *,
    ordered,
    std_lv: bool = False,
    missing: str = "listwise",
    group: str | None = None,
    group_equal: list[str] | None = None,
    group_partial: list[str] | None = None,
):
    """Fit ordered indicators by WLSMV (DWLS + robust SEs + scaled-shifted χ²), as lavaan.

    Called by :func:`sqresearch.sem.fit.fit_sem` with ``estimator="WLSMV"``.
    Supported: measurement models and structural relations among latent
    variables, no regressions on or of observed variables; the indicators
    not named in ``ordered`` are continuous (one group, listwise only): their
    intercepts and residual variances are free, their means and variances
    join the statistics and their correlations with ordered items are
    polyserial (lavaan's ``ordered = c(...)``); incomplete rows dropped (``missing="listwise"``, lavaan's
    default) or pairwise polychorics (``missing="pairwise"``); several
    groups (``group``) with thresholds free in every group and the scale
    factors fixed at 1, as lavaan's configural model, and ``group_equal``
    among "loadings", "lv.variances", "lv.covariances", "regressions"
    (equal thresholds or intercepts need lavaan's free scale factors in the
    later groups: refused).

    Notes
    -----
    Group g contributes (N_g − 1)·F_g to the DWLS objective and the χ²;
    Γ, the weights and the information are combined over groups with
    f_g = N_g/N as lavaan's ``lav_test_satorra_bentler``.

    Returns
    -------
    SEMResult
        ``estimates`` gains threshold rows (op ``|``, rhs ``t1``, ``t2``,
        ...); residual variances of the items are 1 − R² (fixed, delta
        parametrisation); ``fit`` has lavaan's χ² and scaled-shifted
        measures (loglik, AIC, BIC, GFI, AGFI are not defined: NaN);
        ``sample_cov`` is the polychoric matrix (by group; with continuous
        indicators the covariances: polyserial and Pearson correlations
        scaled by their standard deviations); continuous indicators have
        intercept rows (op ``~1``).
    """
    from sqresearch.sem.fit import SEMResult, _r2_and_checks, _std_all, _two_sided_p

    parsed = parse_model(model)
    roles = variable_roles(parsed.statements, fixed_x=False)
    observed, latent = roles.ov, roles.lv
    continuous = [v for v in observed if v not in _ordered_items(ordered, observed)]
    if continuous and (group is not None or missing != "listwise"):
        raise ModelError(
            "WLSMV with continuous indicators (" + ", ".join(continuous) + " are not ordered) "
            "is supported here for one group and missing='listwise' only"
        )
    if any(s.op == "~" and (s.lhs in observed or s.rhs in observed) for s in parsed.statements):
        raise ModelError("WLSMV here fits latent-variable models: no regressions of observed items")
    if parsed.definitions:
        raise ModelError("defined parameters (:=) are not supported with WLSMV")
    refused = [e for e in group_equal or [] if e not in _WLSMV_EQUAL]
    if refused:
        raise ModelError(
            f"group_equal={refused[0]!r} with WLSMV is not supported here (it needs lavaan's "
            "free scale factors in the later groups): use "
            + ", ".join(repr(e) for e in _WLSMV_EQUAL)
        )
    absent = [c for c in observed if c not in data.columns]
    if absent:
        raise InputError(
            "the model names a variable that is not a column of the data", column=absent[0]
        )
    groups, parts = None, [data]
    if group is not None:
        if group not in data.columns:
            raise InputError("the group column is not in the data", column=group)
        labels = data[group]
        groups = list(pd.unique(labels.dropna()))
        parts = [data[(labels == g).to_numpy()] for g in groups]
    stats = []
    for g, part in zip(groups or [None], parts, strict=True):
        try:
            stats.append(polychoric(part, observed, missing=missing, continuous=continuous))
        except InputError as exc:
            if g is None:
                raise
            raise InputError(f"{exc.args[0]} (group {g!r})", column=exc.column) from None
    p, n_groups = len(observed), len(parts)
    sizes = np.array([s.n for s in stats])
    n = int(sizes.sum())
    share = sizes / n
    cors = [s.cov.to_numpy() for s in stats]  # the correlations if every item is ordered

    # delta parametrisation: the items' residual variances are not parameters
    table = parameter_table(
        parsed, groups=groups, std_lv=std_lv, fixed_x=False,
        group_equal=group_equal, group_partial=group_partial,
    )  # fmt: skip
    structures = [GroupStructure.from_table(table, g, observed, latent) for g in range(n_groups)]
    residual = (
        (table["op"] == "~~") & (table["lhs"] == table["rhs"])
        & table["lhs"].isin([v for v in observed if v not in continuous])
    ).to_numpy()  # fmt: skip
    table.loc[residual, "free"] = 0
    table.loc[residual, "ustart"] = 0.0
    table["free"] = _renumber(table["free"].to_numpy())
    problem = MLProblem(
        table,
        structures,
        [GroupData(s.n, np.zeros(p), c) for s, c in zip(stats, cors, strict=True)],
        meanstructure=False,
    )
    start = np.zeros(len(table))
    for g, cor in enumerate(cors):
        rows = (table["group"] == g).to_numpy()
        start[rows] = _start_from_correlations(table[rows], cor, observed)
    num = np.array([observed.index(v) for v in continuous], dtype=int)

    def moments(sigma):  # the model's side of the statistics after the th slot
        return np.concatenate([sigma[..., num, num], _lower(sigma)], axis=-1)

    theta = problem.theta(start)

    # th slot: the thresholds, −mean of a continuous item (its intercept ν: ∂/∂ν = −1)
    th_signs = [
        np.concatenate([np.ones(len(s.thresholds[v])) if v in s.thresholds else [-1.0]
                        for v in observed])
        for s in stats
    ]  # fmt: skip
    th_counts = [len(sign) for sign in th_signs]
    n_th = sum(th_counts)
    weights = [1 / np.diag(s.gamma) for s in stats]
    r = [s.moments[k:] for s, k in zip(stats, th_counts, strict=True)]
    # each correlation's weight in the objective: (N_g − 1)·w (lavaan's χ² is Σ (N_g − 1)·F_g)
    w_obj = np.concatenate(
        [(s.n - 1) * w[k:] for s, w, k in zip(stats, weights, th_counts, strict=True)]
    )

    def residual_and_jacobian(th):
        values = problem.values(th)
        res, jac = [], []
        for st, r_g in zip(structures, r, strict=True):
            sigma = st.moments(values)["sigma"]
            ids, d_sigma, _ = st.derivatives(values, problem.free)
            j_g = np.zeros((len(r_g), problem.n_free))
            j_g[:, ids] = moments(d_sigma).T
            res.append(r_g - moments(sigma))
            jac.append(j_g)
        return np.concatenate(res), np.vstack(jac)

    def objective(th):
        res, _ = residual_and_jacobian(th)
        return float(np.sum(w_obj * res * res))

    converged = False
    current = objective(theta)
    damping = 1e-3
    for _ in range(500):  # Gauss–Newton with Levenberg–Marquardt damping
        res, jac = residual_and_jacobian(theta)
        normal = jac.T @ (w_obj[:, None] * jac)
        gradient = jac.T @ (w_obj * res)
        while True:
            step = np.linalg.solve(normal + damping * np.diag(np.diag(normal)), gradient)
            value = objective(theta + step)
            if value <= current or damping > 1e10:
                break
            damping *= 10
        if value > current:
            break
        theta, current = theta + step, value
        damping = max(damping / 10, 1e-12)
        if np.max(np.abs(step)) < 1e-10:
            converged = True
            break
    res, jac = residual_and_jacobian(theta)

    # Δ of (τ, ρ) of every group, stacked: thresholds are free in each group
    k_model = problem.n_free
    blocks, col, rho_row = [], 0, 0
    for k, r_g, sign in zip(th_counts, r, th_signs, strict=True):
        d_g = np.zeros((k + len(r_g), n_th + k_model))
        d_g[:k, col : col + k] = np.diag(sign)
        d_g[k:, n_th:] = jac[rho_row : rho_row + len(r_g)]
        blocks.append(d_g)
        col, rho_row = col + k, rho_row + len(r_g)
    delta = np.vstack(blocks)
    w_all = np.concatenate(weights)
    row_share = np.concatenate([np.full(len(w), f) for w, f in zip(weights, share, strict=True)])
    gamma = block_diag(*[f * s.gamma for f, s in zip(share, stats, strict=True)])
    # robust SEs and the scaled-shifted test (lavaan's "original" UΓ with f_g weights)
    wd = (row_share * w_all)[:, None] * delta
    info = delta.T @ wd
    info_inv = np.linalg.inv(info)
    gamma_f = block_diag(*[s.gamma / f for f, s in zip(share, stats, strict=True)])
    # lavaan's WLS family divides by N − G here (its χ² is Σ (N_g − 1)·F_DWLS)
    acov = info_inv @ (wd.T @ gamma_f @ wd) @ info_inv / (n - n_groups)
    chisq = current
    df = sum(len(r_g) for r_g in r) - k_model
    u = np.diag(row_share * w_all) - wd @ info_inv @ wd.T
    ug = u @ gamma_f
    scaled = _scaled_shifted(chisq, df, np.trace(ug), np.sum(ug * ug.T))
    base_chisq, base_trace, base_trace2 = 0.0, 0.0, 0.0
    for s, w, k, r_g in zip(stats, weights, th_counts, r, strict=True):
        # the independence model fits the thresholds, means and variances exactly
        k += len(num)
        base_chisq += (s.n - 1) * float(np.sum(w[k:] * r_g[len(num) :] ** 2))
        ug_b = w[k:, None] * s.gamma[k:, k:]
        base_trace += np.trace(ug_b)
        base_trace2 += np.sum(ug_b * ug_b.T)
    base_df = sum(len(r_g) - len(num) for r_g in r)
    base_scaled = _scaled_shifted(base_chisq, base_df, base_trace, base_trace2)

    # the items' residual variances: 1 − (common variance), so that var(y*) = 1
    values = problem.values(theta)
    groups_of = table["group"].to_numpy()
    for g, st in enumerate(structures):
        common = np.diag(st.moments(values)["sigma"])
        for row in np.flatnonzero(residual & (groups_of == g)):
            values[row] = 1 - common[observed.index(table.iloc[row]["lhs"])]
    problem.fixed_values[residual] = values[residual]
    srmr = 0.0  # lavaan's srmr on the correlations (polychoric, polyserial, Pearson)
    for f, s, st in zip(share, stats, structures, strict=True):
        sigma = st.moments(values)["sigma"]
        sd = np.sqrt(np.diag(sigma))
        res_g = _lower(s.cor.to_numpy() - sigma / np.outer(sd, sd))
        srmr += f * float(np.sqrt(np.sum(res_g**2) / (p * (p + 1) / 2)))
    fit = fit_measures(
        chisq=chisq,
        df=df,
        baseline_chisq=base_chisq,
        baseline_df=base_df,
        n=n - n_groups,  # lavaan's RMSEA for the WLS family uses N − 1 per group as well
        n_groups=n_groups,
        npar=k_model + n_th,
        loglik=float("nan"),
        unrestricted_loglik=float("nan"),
        residuals={"srmr_bentler": srmr},  # lavaan's srmr on the polychoric correlations
        gfi=float("nan"),
        n_moments=sum(len(s.moments) for s in stats),
    )
    fit |= _scaled_measures(fit, scaled, base_scaled, n_groups)
    fit["n"] = n

    # the estimates table: thresholds after the user's statements of each group, as lavaan
    se_free = np.sqrt(np.maximum(np.diag(acov), 0))
    free = problem.free
    se = np.where(free > 0, se_free[n_th + np.maximum(free, 1) - 1], 0.0)
    std = _std_all(problem, values)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(free > 0, values / se, np.nan)
    columns = {c: table[c].to_numpy() for c in ("lhs", "op", "rhs")}
    if groups is not None:
        columns["group"] = [groups[g] for g in groups_of]
    est = pd.DataFrame(
        columns
        | {"label": table["label"].to_numpy(), "est": values, "se": se, "z": z}
        | {"pvalue": _two_sided_p(z), "std_all": std}
    )
    pieces, first = [], 0
    user = table["user"].to_numpy() == 1
    for g, s in enumerate(stats):
        rows = np.flatnonzero(groups_of == g)
        cut = int(rows[user[rows]].max()) + 1
        th_sign = th_signs[g]
        ordered_th = th_sign > 0
        slot = s.moments[: len(th_sign)] * th_sign  # thresholds, means
        slot_se = se_free[first : first + len(th_sign)]
        slot_z = slot / slot_se
        sd = np.sqrt(np.diag(structures[g].moments(values)["sigma"]))
        th_rows, mean_rows = (
            pd.DataFrame(
                {
                    "lhs": [v for v in observed for _ in s.thresholds.get(v, [0])],
                    "op": op,
                    "rhs": [f"t{k + 1}" if op == "|" else "" for v in observed
                            for k in range(len(s.thresholds.get(v, [0])))],
                }
                | ({"group": groups[g]} if groups is not None else {})
                | {"label": "", "est": slot, "se": slot_se, "z": slot_z}
                | {"pvalue": _two_sided_p(slot_z), "std_all": slot / sd_slot}
            )[keep]
            for op, keep, sd_slot in (
                ("|", ordered_th, 1.0),
                ("~1", ~ordered_th, np.repeat(sd, [len(s.thresholds.get(v, [0])) for v in observed])),
            )
        )  # fmt: skip
        pieces += [est.iloc[rows[0] : cut], th_rows, est.iloc[cut : rows[-1] + 1], mean_rows]
        first += len(th_sign)
    estimates = pd.concat(pieces, ignore_index=True)
    r2, notes = _r2_and_checks(problem, values, std, roles, [], groups)
    if not converged:
        notes.insert(0, "The estimation did not converge: estimates may be unreliable.")
    names = pd.Index(observed)

    def by_group(matrices):
        frames = [pd.DataFrame(m, index=names, columns=names) for m in matrices]
        return frames[0] if groups is None else dict(zip(groups, frames, strict=True))

    return SEMResult(
        estimates=estimates,
        fit=fit,
        r2=r2,
        n=n,
        converged=converged,
        warnings=notes,
        latent_variables=list(latent),
        observed_variables=list(observed),
        implied_cov=by_group([st.moments(values)["sigma"] for st in structures]),
        sample_cov=by_group(cors),
        missing=missing,
        groups=groups,
        group_sizes=dict(zip(groups, sizes.tolist(), strict=True)) if groups else None,
        estimator="WLSMV",
        acov=acov,
        _problem=problem,
        _theta=theta,
        _parsed=parsed,
        _frame=data[observed],
        _wls=WLSMoments(delta=delta, weights=w_all, gamma=gamma, share=row_share),
    )


def _start_from_correlations(
    table: pd.DataFrame, cor: np.ndarray, observed: list[str]
) -> np.ndarray:
    """Table values to start DWLS: each factor's loadings from the first principal axis of
    its items' correlations (marker scaled to its fixed value), factor (co)variances implied;
    everything else 0."""
    values = table["ustart"].to_numpy(dtype=float).copy()
    values[np.isnan(values)] = 0.0
    position = {v: k for k, v in enumerate(observed)}
    loads = table["op"].to_numpy() == "=~"
    unit: dict[str, float] = {}
    raw: dict[str, dict[str, float]] = {}
    for factor in dict.fromkeys(table.loc[loads, "lhs"]):
        rows = np.flatnonzero(loads & (table["lhs"].to_numpy() == factor))
        items = [table.iloc[r]["rhs"] for r in rows]
        if not all(i in position for i in items):
            continue  # a higher-order factor: left at 0
        idx = [position[i] for i in items]
        block = cor[np.ix_(idx, idx)]
        eigval, eigvec = np.linalg.eigh(block)
        vec = eigvec[:, -1] * np.sqrt(max(eigval[-1] - 1 + 1 / max(len(idx), 2), 0.1))
        fixed = [k for k, r in enumerate(rows) if table.iloc[r]["free"] == 0]
        if fixed:
            k = fixed[0]
            vec *= np.sign(vec[k]) or 1.0
            scale = vec[k] / table.iloc[rows[k]]["ustart"]
        else:
            vec *= np.sign(vec[0]) or 1.0
            scale = 1.0
        for k, r in enumerate(rows):
            if table.iloc[r]["free"] > 0:
                values[r] = vec[k] / scale
        unit[factor] = scale
        raw[factor] = dict(zip(items, vec, strict=True))
    for r, row in enumerate(table.itertuples(index=False)):
        if row.op != "~~" or row.free == 0 or row.lhs not in unit or row.rhs not in unit:
            continue
        if row.lhs == row.rhs:
            values[r] = unit[row.lhs] ** 2
        else:
            a, b = raw[row.lhs], raw[row.rhs]
            ratios = [cor[position[i], position[j]] / (a[i] * b[j]) for i in a for j in b]
            corr = float(np.clip(np.median(ratios), -0.9, 0.9))
            values[r] = corr * unit[row.lhs] * unit[row.rhs]
    return values


def _scaled_shifted(chisq: float, df: int, trace: float, trace2: float) -> dict:
    """lavaan's scaled-shifted statistic: T* = aT + b, a = √(df/tr(UΓ)²), b = df − a·tr(UΓ)."""
    a = np.sqrt(df / trace2)
    shift = df - a * trace
    return {"stat": a * chisq + shift, "scaling_factor": 1 / a, "shift": shift}


def _scaled_measures(fit: dict, model: dict, base: dict, n_groups: int = 1) -> dict:
    """The ``*_scaled`` fit measures of WLSMV (scaled-shifted χ² of model and baseline)."""
    from sqresearch.sem.fit_indices import rmsea, rmsea_interval, rmsea_pvalue
    from sqresearch.sem.robust import _cfi, _chi2_sf, _tli

    df, df_b, n = fit["df"], fit["baseline_df"], fit["n"]
    x2, x2_b = model["stat"], base["stat"]
    lower, upper = rmsea_interval(x2, df, n, n_groups)
    return {
        "chisq_scaled": x2,
        "df_scaled": df,
        "pvalue_scaled": _chi2_sf(x2, df) if df > 0 else float("nan"),
        "chisq_scaling_factor": model["scaling_factor"],
        "chisq_shift_parameter": model["shift"],
        "baseline_chisq_scaled": x2_b,
        "baseline_df_scaled": df_b,
        "baseline_pvalue_scaled": _chi2_sf(x2_b, df_b),
        "baseline_chisq_scaling_factor": base["scaling_factor"],
        "cfi_scaled": min(max(_cfi(x2, df, x2_b, df_b), 0.0), 1.0),
        "tli_scaled": _tli(x2, df, x2_b, df_b),
        "rmsea_scaled": rmsea(x2, df, n, n_groups),
        "rmsea_ci_lower_scaled": lower,
        "rmsea_ci_upper_scaled": upper,
        "rmsea_pvalue_scaled": rmsea_pvalue(x2, df, n, n_groups),
    }


def ordinal_alpha(data: pd.DataFrame, items: list[str]) -> float:
    """Ordinal α: standardised α on the polychoric correlation matrix.

    ``α = k·r̄/(1 + (k − 1)·r̄)`` with r̄ the mean polychoric correlation of
    the k items (Zumbo, Gadermann & Zeisser, 2007): the reliability of the
    latent responses behind Likert items, for the reliability table beside
    Cronbach's α.

    References
    ----------
    Zumbo, B. D., Gadermann, A. M., & Zeisser, C. (2007). Ordinal versions of
    coefficients alpha and theta for Likert rating scales. Journal of Modern
    Applied Statistical Methods, 6, 21–29.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(2)
    >>> f = rng.normal(size=500)
    >>> d = pd.DataFrame({f"q{k}": np.digitize(0.8 * f + 0.6 * rng.normal(size=500), [-1, 0, 1])
    ...                   for k in range(4)})
    >>> 0.85 < ordinal_alpha(d, list(d.columns)) < 0.95
    True
    """
    if len(items) < 2:
        raise InputError("ordinal alpha needs at least two items")
    cor = polychoric(data, list(items)).cor.to_numpy()
    k = len(items)
    mean_r = (cor.sum() - k) / (k * (k - 1))
    return float(k * mean_r / (1 + (k - 1) * mean_r))
