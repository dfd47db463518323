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
