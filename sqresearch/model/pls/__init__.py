"""PLS path modelling (PLS-SEM) as SmartPLS and seminr report it.

:func:`fit_pls` estimates the model (mode A/B blocks, path/factor/centroid
weighting, PLSc), :func:`bootstrap_pls` adds bootstrap intervals,
:func:`pls_predict` runs PLSpredict and :func:`blindfolding` the
Stone–Geisser Q².
"""

from sqresearch.model.pls.bootstrap import PLSBootstrap, bootstrap_pls
from sqresearch.model.pls.fit import PLSResult, PLSWarning, fit_pls
from sqresearch.model.pls.predict import PLSPredict, blindfolding, pls_predict
from sqresearch.model.pls.spec import PLSModel, pls_model

__all__ = [
    "PLSBootstrap",
    "PLSPredict",
    "blindfolding",
    "bootstrap_pls",
    "pls_predict",
    "PLSModel",
    "PLSResult",
    "PLSWarning",
    "fit_pls",
    "pls_model",
]
