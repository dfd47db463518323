"""The lavaan-compatible SEM engine.

One lavaan-syntax parser (:mod:`~sqresearch.sem.syntax`), the model-implied
moments (:mod:`~sqresearch.sem.implied`), the ML and FIML likelihoods
(:mod:`~sqresearch.sem.likelihood`), estimation (:mod:`~sqresearch.sem.estimation`),
lavaan's fit indices (:mod:`~sqresearch.sem.fit_indices`), the front door
:func:`~sqresearch.sem.fit.fit_sem` with its bootstrap, and multi-group
measurement invariance (:mod:`~sqresearch.sem.invariance`).

Everything else in the package that fits a factor model goes through
:func:`fit_sem`.
"""

from sqresearch.sem.fit import SEMResult, bootstrap_sem, fit_sem

__all__ = ["SEMResult", "bootstrap_sem", "fit_sem"]
