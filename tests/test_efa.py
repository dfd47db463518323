"""EFA against independent computations.

References used here:
- KMO and Bartlett: the closed-form definitions written out in the test, and
  factor_analyzer's calculate_kmo / calculate_bartlett_sphericity.
- Principal components: numpy eigendecomposition in the test; varimax by
  Kaiser's pairwise-angle algorithm as the SPSS algorithms manual states it
  (Grieder & Steiner 2022 reproduce SPSS output with it), coded here
  independently of the library (which uses the SVD algorithm).
- Promax: SPSS's target P = |A/h|^(k+1)·h/A (EFAtools' documentation of the
  SPSS 23 algorithm) applied to the pairwise varimax above.
- Oblimin: statsmodels' GPA implementation of oblimin (gamma = 0) on
  Kaiser-normalised loadings.
- PAF: a tightly iterated principal-axis loop written in the test, and
  statsmodels' Factor(method="pa"); ML: statsmodels' Factor(method="ml").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factor_analyzer.factor_analyzer import calculate_bartlett_sphericity, calculate_kmo
from scipy import stats
from semopy.examples import holzinger39
from statsmodels.multivariate.factor import Factor
from statsmodels.multivariate.factor_rotation import rotate_factors

from sqresearch.errors import InputError
from sqresearch.measure.efa import efa, kmo_bartlett, parallel_analysis
from sqresearch.thresholds import threshold

ITEMS = [f"x{i}" for i in range(1, 10)]


@pytest.fixture(scope="module")
def hs() -> pd.DataFrame:
    return holzinger39.get_data()


@pytest.fixture(scope="module")
def r(hs) -> np.ndarray:
    return np.corrcoef(hs[ITEMS].to_numpy(float), rowvar=False)


def _align(reference: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """Reorder and reflect candidate's columns to best match reference's."""
    out = np.empty_like(candidate)
    used: set[int] = set()
    for j in range(reference.shape[1]):
        scores = [
            -np.inf if k in used else abs(reference[:, j] @ candidate[:, k])
            for k in range(candidate.shape[1])
        ]
        k = int(np.argmax(scores))
        used.add(k)
        out[:, j] = candidate[:, k] * np.sign(reference[:, j] @ candidate[:, k])
    return out


def _pairwise_varimax(a: np.ndarray, eps: float = 1e-14) -> np.ndarray:
    """Kaiser (1958) pairwise varimax with Kaiser normalization (SPSS algorithms manual)."""
    h = np.sqrt((a**2).sum(axis=1, keepdims=True))
    x = a / h
    n, m = x.shape

    def crit(z):
        return ((z**2) ** 2).sum() - ((z**2).sum(axis=0) ** 2).sum() / n

    old = crit(x)
    for _ in range(10000):
        for j in range(m - 1):
            for k in range(j + 1, m):
                u = x[:, j] ** 2 - x[:, k] ** 2
                v = 2 * x[:, j] * x[:, k]
                aa, bb = u.sum(), v.sum()
                cc, dd = (u**2 - v**2).sum(), (2 * u * v).sum()
                phi = 0.25 * np.arctan2(dd - 2 * aa * bb / n, cc - (aa**2 - bb**2) / n)
                c, s = np.cos(phi), np.sin(phi)
                xj, xk = x[:, j].copy(), x[:, k].copy()
                x[:, j], x[:, k] = c * xj + s * xk, -s * xj + c * xk
        new = crit(x)
        if abs(new - old) < eps:
            break
        old = new
    return x * h


def test_kmo_bartlett_closed_form(hs, r):
    res = kmo_bartlett(hs, ITEMS)
    inv = np.linalg.inv(r)
    p = len(ITEMS)
    num = den_q = 0.0
    per_item = []
    for i in range(p):
        a = b = 0.0
        for j in range(p):
            if i != j:
                q = -inv[i, j] / np.sqrt(inv[i, i] * inv[j, j])
                a += r[i, j] ** 2
                b += q**2
        per_item.append(a / (a + b))
        num += a
        den_q += b
    assert res.kmo == pytest.approx(num / (num + den_q), abs=1e-12)
    np.testing.assert_allclose(res.kmo_items.to_numpy(), per_item, atol=1e-12)
    chisq = -(301 - 1 - (2 * p + 5) / 6) * np.log(np.linalg.det(r))
    assert res.chisq == pytest.approx(chisq, rel=1e-10)
    assert res.df == 36
    assert res.pvalue == pytest.approx(stats.chi2.sf(chisq, 36), rel=1e-8)
    # factor_analyzer agrees
    fa_items, fa_total = calculate_kmo(hs[ITEMS])
    assert res.kmo == pytest.approx(fa_total, abs=1e-10)
    np.testing.assert_allclose(res.kmo_items.to_numpy(), fa_items, atol=1e-10)
    assert res.chisq == pytest.approx(calculate_bartlett_sphericity(hs[ITEMS])[0], rel=1e-10)


def test_principal_components_varimax_independent(hs, r):
    res = efa(hs, ITEMS, n_factors=3, method="pc", rotation="varimax")
    values, vectors = np.linalg.eigh(r)
    order = np.argsort(values)[::-1]
    a = vectors[:, order[:3]] * np.sqrt(values[order[:3]])
    np.testing.assert_allclose(
        _align(a, res.unrotated.to_numpy()), a, atol=1e-10
    )  # loadings = eigenvectors × sqrt(eigenvalues)
    np.testing.assert_allclose(res.eigenvalues.to_numpy(), values[order], atol=1e-12)
    expected = _pairwise_varimax(a)
    got = res.loadings.to_numpy()
    np.testing.assert_allclose(_align(expected, got), expected, atol=1e-6)
    # SPSS presentation: positive column sums, factors by decreasing sum of squares
    assert (got.sum(axis=0) > 0).all()
    ss = (got**2).sum(axis=0)
    assert (np.diff(ss) <= 1e-12).all()
    # communalities are rotation invariant; for PC initial = 1
    np.testing.assert_allclose(res.communalities["extraction"], (a**2).sum(axis=1), atol=1e-10)
    assert (res.communalities["initial"] == 1).all()


def test_variance_table_orthogonal(hs):
    res = efa(hs, ITEMS, method="pc", rotation="varimax")
    v = res.variance
    assert res.n_factors == int((res.eigenvalues > 1).sum()) == 3
    np.testing.assert_allclose(v["extraction_ss"].iloc[:3], v["eigenvalue"].iloc[:3], atol=1e-10)
    assert v["cumulative"].iloc[-1] == pytest.approx(1.0)
    # rotation redistributes but keeps the total
    assert v["rotation_cumulative"].iloc[2] == pytest.approx(v["extraction_cumulative"].iloc[2])
    assert v["rotation_ss"].iloc[:3].sum() == pytest.approx(v["extraction_ss"].iloc[:3].sum())
    assert v["extraction_ss"].iloc[3:].isna().all()


def test_promax_spss_target(hs):
    res = efa(hs, ITEMS, n_factors=3, method="pc", rotation="promax")
    unrot = res.unrotated.to_numpy()
    a = _pairwise_varimax(unrot)
    a = a * np.sign(a.sum(axis=0))
    a = a[:, np.argsort(-(a**2).sum(axis=0))]
    h = np.sqrt((a**2).sum(axis=1, keepdims=True))
    target = np.abs(a / h) ** 5 * (h / a)  # SPSS: |A/h|^(k+1) · h/A, k = 4
    u = np.linalg.solve(a.T @ a, a.T @ target)
    u = u @ np.diag(np.sqrt(np.diag(np.linalg.inv(u.T @ u))))
    pattern = a @ u
    ui = np.linalg.inv(u)
    phi = ui @ ui.T
    got = res.loadings.to_numpy()
    np.testing.assert_allclose(_align(pattern, got), pattern, atol=1e-6)
    np.testing.assert_allclose(np.abs(res.phi.to_numpy()), np.abs(phi), atol=1e-6)
    np.testing.assert_allclose(res.structure.to_numpy(), got @ res.phi.to_numpy(), atol=1e-12)
    assert res.variance["rotation_variance"].isna().all()
    assert res.variance["rotation_ss"].iloc[:3].notna().all()
    assert not res.orthogonal


def test_oblimin_matches_statsmodels(hs):
    res = efa(hs, ITEMS, n_factors=3, method="paf", rotation="oblimin", tol=1e-10, max_iter=10000)
    a = res.unrotated.to_numpy()
    h = np.sqrt((a**2).sum(axis=1, keepdims=True))
    lam, t = rotate_factors(a / h, "oblimin", 0, "oblique", tol=1e-7, max_tries=2000)
    pattern = lam * h
    phi = t.T @ t
    got = res.loadings.to_numpy()
    np.testing.assert_allclose(_align(pattern, got), pattern, atol=1e-5)
    assert sorted(np.abs(res.phi.to_numpy()[np.triu_indices(3, 1)])) == pytest.approx(
        sorted(np.abs(phi[np.triu_indices(3, 1)])), abs=1e-5
    )


def _paf_loop(r: np.ndarray, m: int) -> np.ndarray:
    h2 = 1 - 1 / np.diag(np.linalg.inv(r))
    for _ in range(100000):
        rr = r.copy()
        np.fill_diagonal(rr, h2)
        w, v = np.linalg.eigh(rr)
        idx = np.argsort(w)[::-1][:m]
        lam = v[:, idx] * np.sqrt(np.abs(w[idx]))
        new = (lam**2).sum(axis=1)
        if np.max(np.abs(new - h2)) < 1e-13:
            return lam
        h2 = new
    raise AssertionError("no convergence")


def test_principal_axis(hs, r):
    tight = efa(hs, ITEMS, n_factors=3, method="paf", rotation="none", tol=1e-13, max_iter=100000)
    expected = _paf_loop(r, 3)
    np.testing.assert_allclose(_align(expected, tight.unrotated.to_numpy()), expected, atol=1e-8)
    np.testing.assert_allclose(tight.communalities["initial"], 1 - 1 / np.diag(np.linalg.inv(r)))
    sm = Factor(corr=r, n_factor=3, method="pa", nobs=301).fit(maxiter=100000, tol=1e-12)
    np.testing.assert_allclose(
        tight.communalities["extraction"], sm.communality, atol=1e-6
    )  # statsmodels' iterated principal axis
    # SPSS's stopping rule (0.001, 25 iterations) lands within 0.01 of the converged solution
    spss = efa(hs, ITEMS, n_factors=3, method="paf", rotation="none")
    assert spss.converged and spss.iterations <= 25
    np.testing.assert_allclose(spss.communalities["extraction"], sm.communality, atol=0.01)


def test_maximum_likelihood_matches_statsmodels(hs, r):
    res = efa(hs, ITEMS, n_factors=3, method="ml", rotation="none")
    sm = Factor(corr=r, n_factor=3, method="ml", nobs=301).fit()
    np.testing.assert_allclose(res.communalities["extraction"], sm.communality, atol=1e-3)


def test_loading_table_suppression_and_sort(hs):
    res = efa(hs, ITEMS, method="pc", rotation="varimax")
    table = res.loading_table()
    cut = threshold("efa_loading")
    values = table.drop(columns="communality")
    assert (values.abs().fillna(1) >= cut).all().all()
    assert values.notna().sum().sum() < values.size  # something was suppressed
    full = res.loadings.loc[table.index]
    primary = full.abs().to_numpy().argmax(axis=1)
    assert (np.diff(primary) >= 0).all()  # grouped by factor
    for f in range(res.n_factors):
        sizes = full.abs().to_numpy().max(axis=1)[primary == f]
        assert (np.diff(sizes) <= 0).all()  # descending within a factor
    assert set(table.index) == set(ITEMS)
    assert list(res.loading_table(0.0, sort=False).index) == ITEMS
    assert "<table" in res._repr_html_()


def test_one_factor_is_not_rotated(hs):
    res = efa(hs, ["x4", "x5", "x6"], n_factors=1, rotation="varimax")
    assert res.rotation == "none"
    pd.testing.assert_frame_equal(res.loadings, res.unrotated)


def test_parallel_analysis(hs):
    pa = parallel_analysis(hs, ITEMS, n_iter=40, seed=3)
    again = parallel_analysis(hs, ITEMS, n_iter=40, seed=3)
    pd.testing.assert_frame_equal(pa.table, again.table)
    # every random correlation matrix has trace p, so the mean eigenvalues sum to p
    assert pa.table["random_mean"].sum() == pytest.approx(len(ITEMS), abs=1e-9)
    assert (pa.table["random_p95"] >= pa.table["random_mean"]).all()
    assert pa.n_factors == 3 == int(pa.table["retain"].sum())
    fa = parallel_analysis(hs, ITEMS, n_iter=40, seed=3, kind="fa", criterion="mean")
    assert fa.table["observed"].iloc[0] < pa.table["observed"].iloc[0]
    with pytest.raises(InputError):
        parallel_analysis(hs, ITEMS, criterion="median")


def test_input_errors(hs):
    with pytest.raises(InputError, match="cannot extract"):
        efa(hs, ITEMS, n_factors=9, method="paf")
    dup = hs[ITEMS].assign(x10=hs["x1"])
    with pytest.raises(InputError, match="singular"):
        kmo_bartlett(dup)
    with pytest.raises(InputError, match="rotation"):
        efa(hs, ITEMS, rotation="quartimax")
