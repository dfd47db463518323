"""The engine's exact derivatives and warm-started resamples (issue 18 item 6).

The structured gradient and Hessian of the ML discrepancy (with and without
a mean structure, with equality constraints across groups) must equal
central differences of the objective and of the gradient; a fit from the
closed-form starting values must reach the optimum lavaan reports.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from semopy.examples import holzinger39

from sqresearch.sem.fit import bootstrap_sem, fit_sem
from sqresearch.sem.start import moment_start, simple_start

HS = holzinger39.get_data()
MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\ntextual ~ visual"


@pytest.mark.parametrize(
    "options",
    [{}, {"group": "school"}, {"group": "school", "group_equal": ["loadings", "intercepts"]}],
    ids=["single", "groups", "equal"],
)
def test_gradient_and_hessian_equal_finite_differences(options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fit_sem(MODEL, HS, **options)
    problem = res._problem
    theta = res._theta + 0.03 * np.random.default_rng(1).normal(size=len(res._theta))
    step = 1e-6
    eye = np.eye(len(theta)) * step
    numeric_grad = np.array(
        [(problem.objective(theta + e) - problem.objective(theta - e)) / (2 * step) for e in eye]
    )
    numeric_hess = np.array(
        [(problem.gradient(theta + e) - problem.gradient(theta - e)) / (2 * step) for e in eye]
    )
    np.testing.assert_allclose(problem.gradient(theta), numeric_grad, atol=1e-7)
    np.testing.assert_allclose(
        problem.hessian(theta), (numeric_hess + numeric_hess.T) / 2, atol=1e-7
    )


def test_moment_start_is_close_and_converges_to_lavaans_optimum():
    # lavaan 0.6.14: cfa(HS.model, HolzingerSwineford1939) gives chisq 85.30552 (tests/test_sem.py)
    res = fit_sem(MODEL.rsplit("\n", 1)[0], HS)
    problem = res._problem
    start, simple = moment_start(problem), simple_start(problem)
    # the closed-form start is much nearer the optimum than lavaan's simple values
    assert problem.objective(start) - problem.objective(res._theta) < 0.1 * (
        problem.objective(simple) - problem.objective(res._theta)
    )
    assert res.converged and res.fit["chisq"] == pytest.approx(85.30552, abs=1e-4)


def test_bootstrap_counts_failed_resamples():
    rng = np.random.default_rng(7)
    x = rng.normal(size=120)
    m = 0.5 * x + rng.normal(size=120)
    data = pd.DataFrame({"x": x, "m": m, "y": 0.4 * m + rng.normal(size=120)})
    boot = bootstrap_sem("m ~ a*x\ny ~ b*m + x\nab := a*b", data, n_boot=60, seed=2, progress=False)
    assert boot.n_failed == int(np.isnan(boot.draws).any(axis=1).sum()) == 0
    assert boot.draws.shape == (60, 6)


@pytest.mark.parametrize(
    "model",
    [MODEL, "visual =~ x1 + a*x2 + a*x3\ntextual =~ x4 + b*x5 + b*x6\ntextual ~ visual\nx1 ~~ x4"],
    ids=["distinct", "equal-labels"],
)
def test_stacked_derivatives_equal_one_at_a_time(model):
    res = fit_sem(model, HS)
    problem, st = res._problem, res._problem.structures[0]
    rng = np.random.default_rng(3)
    stack = np.array(
        [problem.values(res._theta + 0.02 * rng.normal(size=len(res._theta))) for _ in range(3)]
    )
    cov = problem.data[0].cov
    sigma = st.moments(stack)["sigma"]
    inv = np.linalg.inv(sigma)
    w = inv - inv @ cov @ inv
    _, grads = st.gradient_traces(stack, problem.free, w)
    _, hessians = st.hessian_traces(stack, problem.free, inv, w)
    for b, values in enumerate(stack):
        one_sigma = st.moments(values)["sigma"]
        np.testing.assert_allclose(sigma[b], one_sigma, rtol=1e-12, atol=1e-12)
        one_inv = np.linalg.inv(one_sigma)
        one_w = one_inv - one_inv @ cov @ one_inv
        np.testing.assert_allclose(
            grads[b], st.gradient_traces(values, problem.free, one_w)[1], atol=1e-10
        )
        np.testing.assert_allclose(
            hessians[b], st.hessian_traces(values, problem.free, one_inv, one_w)[1], atol=1e-10
        )


def test_stacked_newton_reaches_each_resamples_optimum():
    from sqresearch.sem.estimation import newton_resamples
    from sqresearch.sem.likelihood import GroupData

    res = fit_sem(MODEL, HS)
    problem, theta_hat = res._problem, res._theta
    x = res._frame[res.observed_variables].to_numpy()
    rng = np.random.default_rng(4)
    samples = [GroupData.complete(x[rng.integers(0, len(x), len(x))]) for _ in range(12)]
    means = np.array([s.mean for s in samples])
    covs = np.array([s.cov for s in samples])
    covs[5] = np.nan  # a sample the stacked solver cannot fit: reported, not guessed
    theta, values, ok = newton_resamples(
        problem, theta_hat, means, covs, tol=1e-6, hessian0=problem.hessian(theta_hat)
    )
    assert ok.tolist() == [b != 5 for b in range(12)]
    unit = np.sqrt(np.diag(problem.hessian(theta_hat)))  # SE-like units of every parameter
    for b in np.flatnonzero(ok):
        alone, converged = problem.with_data([samples[b]]).polish(theta_hat.copy(), tol=1e-10)
        assert converged
        assert np.max(np.abs(theta[b] - alone) * unit) < 1e-6
        np.testing.assert_array_equal(values[b], problem.with_data([samples[b]]).values(theta[b]))


def test_resamples_the_stacked_solver_leaves_are_fitted_one_by_one(monkeypatch):
    import sqresearch.sem.fit as fit_module

    data = HS[["x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9"]]
    batch = bootstrap_sem(MODEL, data, n_boot=40, seed=5, progress=False)
    solver = fit_module.newton_resamples

    def half_fails(*args, **kwargs):
        theta, values, ok = solver(*args, **kwargs)
        ok[::2] = False
        return theta, values, ok

    monkeypatch.setattr(fit_module, "newton_resamples", half_fails)
    fallback = bootstrap_sem(MODEL, data, n_boot=40, seed=5, progress=False)
    assert fallback.n_failed == batch.n_failed == 0
    np.testing.assert_allclose(
        fallback.draws, batch.draws, atol=1e-5 * batch.draws.std(axis=0).max()
    )
