"""FIML: the batched casewise likelihood, the EM saturated model and the fast estimation path.

References: a direct casewise computation (scipy.stats.multivariate_normal
on each row's observed entries, central differences for the gradient), and
the estimates of the previous implementation (semopy's ``ModelMeans`` FIML
fit polished by Newton steps, commit de4448b), which the fast path (two-stage
start, fixed-metric scoring, Newton check) must reproduce.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from semopy.examples import political_democracy

from sqresearch.sem.fit import fit_sem
from sqresearch.sem.likelihood import GroupData, fiml_gradient, fiml_loglik

PD_MODEL = """
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + y2 + y3 + y4
    dem65 =~ y5 + y6 + y7 + y8
    dem60 ~ a*ind60
    dem65 ~ ind60 + b*dem60
    y1 ~~ y5
    y2 ~~ y4 + y6
    y3 ~~ y7
    y4 ~~ y8
    y6 ~~ y8
    ab := a*b
"""

# fit_sem(PD_MODEL, data, missing="fiml") with the previous implementation (semopy
# ModelMeans FIML + Newton polish, commit de4448b); data below, rows in table order
PREVIOUS_EST = [
    1.0000000000, 2.1983897105, 1.9071795103, 1.0000000000, 1.2751165207, 1.0511036002,
    1.2630692335, 1.0000000000, 1.2749822861, 1.2927218165, 1.2929110707, 1.4866714075,
    0.4533313827, 0.8351771889, 0.2757274999, 1.2618294593, 2.1372970196, 1.1683585753,
    0.5103953752, 1.1211670228, 0.0930391812, 0.0592772706, 0.4129803731, 1.6352150379,
    7.4285843960, 5.4580052111, 3.2508837465, 2.4147287547, 4.6069583901, 3.5500355719,
    3.3239074466, 0.4366952650, 3.9553937078, 0.2047261322, 5.0600092559, 4.7956465301,
    3.5271814919, 5.4137990289, 4.2780828841, 6.5414643406, 4.4770942565, 5.1190571850,
    2.9550451417, 6.1824159227, 4.0311379545, 0.0000000000, 0.0000000000, 0.0000000000,
    1.2416340470,
]  # fmt: skip
PREVIOUS_SE = [
    0.0000000000, 0.1442655900, 0.1623807934, 0.0000000000, 0.1860538299, 0.1562154611,
    0.1534379759, 0.0000000000, 0.1857188379, 0.1726052955, 0.1785806121, 0.4027633905,
    0.2381822670, 0.1118052176, 0.3684147502, 0.7095242799, 0.7422027465, 0.6771108202,
    0.4875916573, 0.5722441533, 0.0211087919, 0.0678774654, 0.0865659630, 0.4576242319,
    1.3870241593, 1.0525410638, 0.7802440474, 0.5164186016, 0.8833468610, 0.7620164103,
    0.7367414672, 0.0867005071, 0.9336489840, 0.2280574104, 0.0845481647, 0.1711345307,
    0.1653988921, 0.2992542124, 0.4560628916, 0.3879601127, 0.3863829628, 0.3008152147,
    0.3927734190, 0.3811034477, 0.3735182678, 0.0000000000, 0.0000000000, 0.0000000000,
    0.3666116414,
]  # fmt: skip
PREVIOUS_FIT = {  # the same fit's fitMeasures
    "chisq": 42.78387968957122,
    "loglik": -1476.4318506262073,
    "baseline_chisq": 683.9441231831142,
    "srmr": 0.04346172295948591,
    "rmsea": 0.05445445345230303,
    "cfi": 0.9876238931207805,
}


def _pd_missing():
    data = political_democracy.get_data()
    rng = np.random.default_rng(7)
    cols = list(data.columns)
    data[cols] = data[cols].mask(rng.random((len(data), len(cols))) < 0.06)
    return data


def test_fast_fiml_matches_previous_estimates_chisq_and_se():
    res = fit_sem(PD_MODEL, _pd_missing(), missing="fiml")
    assert res.converged and res.n == 75
    np.testing.assert_allclose(res.estimates.est, PREVIOUS_EST, atol=1e-6)
    np.testing.assert_allclose(res.estimates.se, PREVIOUS_SE, atol=1e-6)
    for key, value in PREVIOUS_FIT.items():
        assert res.fit[key] == pytest.approx(value, abs=1e-6), key


def _casewise_loglik(x, sigma, mu):
    total = 0.0
    for row in x:
        o = ~np.isnan(row)
        if not o.any():  # rows with nothing observed do not count (as in lavaan)
            continue
        total += stats.multivariate_normal(mu[o], sigma[np.ix_(o, o)]).logpdf(row[o])
    return total


def _incomplete_sample(seed=3, n=60, p=5):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(p, p))
    x = rng.multivariate_normal(np.arange(p, dtype=float), a @ a.T + np.eye(p), size=n)
    x[rng.random((n, p)) < 0.2] = np.nan
    x[0, 1:] = np.nan  # a pattern with one observed variable
    return x


def test_batched_fiml_loglik_and_gradient_equal_casewise_computation():
    x = _incomplete_sample()
    data = GroupData.incomplete(x)
    p = x.shape[1]
    rng = np.random.default_rng(4)
    b = rng.normal(size=(p, p))
    sigma = b @ b.T / p + np.eye(p)
    mu = rng.normal(size=p)
    assert fiml_loglik(sigma, mu, data.batches) == pytest.approx(
        _casewise_loglik(x, sigma, mu), abs=1e-9
    )
    # θ = (unique elements of Σ, μ): dΣ/dθ are the symmetric unit matrices, dμ/dθ = I
    pairs = [(i, j) for i in range(p) for j in range(i + 1)]
    d_sigma = np.zeros((len(pairs) + p, p, p))
    for k, (i, j) in enumerate(pairs):
        d_sigma[k, i, j] = d_sigma[k, j, i] = 1.0
    d_mu = np.vstack([np.zeros((len(pairs), p)), np.eye(p)])
    grad = fiml_gradient(sigma, mu, data.batches, d_sigma, d_mu)
    h = 1e-6
    numeric = [
        (
            _casewise_loglik(x, sigma + h * d_sigma[k], mu + h * d_mu[k])
            - _casewise_loglik(x, sigma - h * d_sigma[k], mu - h * d_mu[k])
        )
        / (2 * h)
        for k in range(len(d_sigma))
    ]
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-5)


def test_em_saturated_moments_maximise_the_casewise_likelihood():
    x = _incomplete_sample(seed=5)
    data = GroupData.incomplete(x)
    p = x.shape[1]
    d_sigma = np.zeros((p * p + p, p, p))
    for k in range(p * p):
        i, j = divmod(k, p)
        d_sigma[k, i, j] = 1.0
    d_mu = np.vstack([np.zeros((p * p, p)), np.eye(p)])
    # the score vanishes at the EM estimates ...
    grad = fiml_gradient(data.cov, data.mean, data.batches, d_sigma, d_mu)
    assert np.max(np.abs(grad)) < 1e-7
    # ... which are a maximum: any small symmetric move lowers the log-likelihood
    best = _casewise_loglik(x, data.cov, data.mean)
    rng = np.random.default_rng(6)
    for _ in range(5):
        e = rng.normal(size=(p, p)) * 1e-3
        assert _casewise_loglik(x, data.cov + e + e.T, data.mean + rng.normal(size=p) * 1e-3) < best
