"""PLSpredict: out-of-sample prediction of the endogenous indicators (Shmueli et al., 2016, 2019).

The rows are split at random into k folds. For each fold the model is
estimated on the other folds (all folds' training correlation matrices are
one batch of :func:`~sqresearch.model.pls.estimate.estimate`), the held-out
indicators are standardised with the training means and SDs, exogenous
construct scores are formed with the training weights, endogenous scores are
predicted through the path coefficients from the exogenous ones only
("earliest antecedents", SmartPLS; ``technique="DA"`` uses the direct
antecedents' own scores, seminr's default), and each endogenous indicator is
predicted as loading × predicted score, on the original scale.

The benchmarks, per endogenous indicator and fold:

- ``q2_predict`` = 1 − Σ(y − ŷ_PLS)² / Σ(y − ȳ_train)²: PLS against the
  training mean (> 0: the model predicts better than the mean);
- the linear model (LM) regresses the indicator on all indicators of the
  exogenous constructs in the training folds (Shmueli et al., 2019).

With ``repeats`` > 1 the predictions are averaged over repetitions (new
folds each time) before the errors are computed, as seminr does.

References
----------
Shmueli, G., Ray, S., Velasquez Estrada, J. M., & Chatla, S. B. (2016). The
elephant in the room: Predictive performance of PLS models. *Journal of
Business Research, 69*(10), 4552–4564.

Shmueli, G., Sarstedt, M., Hair, J. F., Cheah, J.-H., Ting, H., Vaithilingam,
S., & Ringle, C. M. (2019). Predictive model assessment in PLS-SEM:
guidelines for using PLSpredict. *European Journal of Marketing, 53*(11),
2322–2347.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sqresearch.errors import InputError
from sqresearch.model.pls.estimate import correlations, estimate
from sqresearch.model.pls.fit import PLSResult


@dataclass
class PLSPredict:
    """PLSpredict results.

    Attributes
    ----------
    table : DataFrame
        One row per endogenous indicator: ``construct``, ``indicator``,
        ``q2_predict``, ``pls_rmse``, ``pls_mae``, ``lm_rmse``, ``lm_mae``,
        and the verdict ``pls_better`` (PLS RMSE below the LM's).
    predictions : DataFrame
        Out-of-sample PLS predictions of the endogenous indicators (rows as
        in the analysed data).
    folds, repeats : int
    seed : int or None
    technique : str
    """

    table: pd.DataFrame
    predictions: pd.DataFrame = field(repr=False)
    folds: int
    repeats: int
    seed: int | None
    technique: str

    def to_dict(self) -> dict[str, Any]:
        """``folds``, ``repeats``, ``seed``, ``technique`` and ``indicators`` (records of ``table``)."""
        return {
            "folds": self.folds,
            "repeats": self.repeats,
            "seed": self.seed,
            "technique": self.technique,
            "indicators": self.table.to_dict(orient="records"),
        }

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>PLSpredict</b>: {self.folds} folds × {self.repeats} repetitions "
            f"({self.technique}), seed {self.seed}</p>"
        )
        return head + self.table.to_html(index=False, float_format=lambda x: f"{x:.3f}")


def _construct_predictions(
    model, paths: np.ndarray, scores: np.ndarray, technique: str
) -> np.ndarray:
    """Predicted construct scores of the test rows from their outer-weight scores."""
    names = model.constructs
    idx = {c: k for k, c in enumerate(names)}
    if technique == "DA":
        out = scores @ paths
        exo = [idx[c] for c in names if c not in model.endogenous]
        out[:, exo] = scores[:, exo]
        return out
    out = scores.copy()
    endo = [idx[c] for c in model.endogenous]
    out[:, endo] = 0.0
    for _ in range(len(endo)):  # earliest antecedents: propagate from the exogenous scores
        out[:, endo] = out @ paths[:, endo]
    return out


def pls_predict(
    result: PLSResult,
    *,
    folds: int = 10,
    repeats: int = 10,
    seed: int | None = None,
    technique: str = "EA",
    fold_ids: np.ndarray | None = None,
) -> PLSPredict:
    """PLSpredict: Q²_predict, RMSE and MAE of PLS against the linear-model benchmark.

    Parameters
    ----------
    result : PLSResult
        A fitted model; the same scheme and PLSc setting are used in each fold.
    folds : int
        k of the k-fold cross-validation (SmartPLS: 10).
    repeats : int
        Repetitions with new random folds (SmartPLS: 10); predictions are averaged.
    seed : int, optional
        Seed of the fold assignment.
    technique : {"EA", "DA"}
        Earliest antecedents (SmartPLS) or direct antecedents (seminr's default).
    fold_ids : ndarray of int, optional
        Explicit fold of each analysed row (0 … folds − 1), one repetition;
        overrides ``folds``, ``repeats`` and ``seed``.

    Returns
    -------
    PLSPredict

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sqresearch.model.pls import fit_pls
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=200); g = 0.5 * f + rng.normal(size=200) * 0.87
    >>> df = pd.DataFrame({f"x{i}": f + rng.normal(size=200) for i in range(3)}
    ...                   | {f"y{i}": g + rng.normal(size=200) for i in range(3)})
    >>> pred = pls_predict(fit_pls("F =~ x0 + x1 + x2; G =~ y0 + y1 + y2; G ~ F", df), seed=1)
    >>> bool((pred.table["q2_predict"] > 0).all())
    True
    """
    if technique not in ("EA", "DA"):
        raise InputError(f"unknown technique {technique!r} (use 'EA' or 'DA')", column="technique")
    model, x = result.model, result.x
    n = len(x)
    if fold_ids is not None:
        assignments = [np.asarray(fold_ids, dtype=int)]
        folds = int(assignments[0].max()) + 1
        repeats, seed = 1, None
    else:
        if not 2 <= folds <= n:
            raise InputError(f"folds must be between 2 and {n}", column="folds", value=folds)
        rng = np.random.default_rng(seed)
        base = np.arange(n) * folds // n  # equal-sized folds, as seminr's cut()
        assignments = [base[rng.permutation(n)] for _ in range(repeats)]
    items = model.indicators
    endo_items = [i for c in model.endogenous for i in model.blocks[c]]
    endo_cols = np.array([items.index(i) for i in endo_items])
    exo_cols = np.array(
        [
            items.index(i)
            for c in model.constructs
            if c not in model.endogenous
            for i in model.blocks[c]
        ]
    )
    owner = np.array([model.constructs.index(c) for c in model.endogenous for _ in model.blocks[c]])

    pls_pred = np.zeros((n, len(endo_cols)))
    lm_pred = np.zeros((n, len(endo_cols)))
    q2_num = np.zeros(len(endo_cols))
    q2_den = np.zeros(len(endo_cols))
    for assignment in assignments:
        train = (assignment[None, :] != np.arange(folds)[:, None]).astype(float)
        est = estimate(model, correlations(x, train), **result.settings)
        for k in range(folds):
            test = assignment == k
            xt = x[train[k] > 0]
            mean, sd = xt.mean(axis=0), xt.std(axis=0, ddof=1)
            z = (x[test] - mean) / sd
            scores = _construct_predictions(model, est.paths[k], z @ est.weights[k], technique)
            lam = est.loadings[k][endo_cols, owner]
            pred = scores[:, owner] * lam * sd[endo_cols] + mean[endo_cols]
            pls_pred[test] += pred / len(assignments)
            q2_num += ((x[test][:, endo_cols] - pred) ** 2).sum(axis=0)
            q2_den += ((x[test][:, endo_cols] - mean[endo_cols]) ** 2).sum(axis=0)
            design = np.column_stack([np.ones(len(xt)), xt[:, exo_cols]])
            beta = np.linalg.lstsq(design, xt[:, endo_cols], rcond=None)[0]
            lm_pred[test] += (
                np.column_stack([np.ones(test.sum()), x[test][:, exo_cols]])
                @ beta
                / len(assignments)
            )
    actual = x[:, endo_cols]
    pls_err, lm_err = actual - pls_pred, actual - lm_pred
    table = pd.DataFrame(
        {
            "construct": [model.constructs[j] for j in owner],
            "indicator": endo_items,
            "q2_predict": 1 - q2_num / q2_den,
            "pls_rmse": np.sqrt((pls_err**2).mean(axis=0)),
            "pls_mae": np.abs(pls_err).mean(axis=0),
            "lm_rmse": np.sqrt((lm_err**2).mean(axis=0)),
            "lm_mae": np.abs(lm_err).mean(axis=0),
        }
    )
    table["pls_better"] = table["pls_rmse"] < table["lm_rmse"]
    return PLSPredict(
        table=table,
        predictions=pd.DataFrame(pls_pred, index=result.rows, columns=endo_items),
        folds=folds,
        repeats=len(assignments),
        seed=seed,
        technique=technique,
    )


def blindfolding(result: PLSResult, omission_distance: int = 7) -> pd.DataFrame:
    """Stone–Geisser Q² by blindfolding (cross-validated redundancy).

    For each endogenous construct, the data points of its indicators are
    numbered down the cases, indicator after indicator (case i of n,
    indicator j: j·n + i), and split into ``omission_distance`` (D) rounds by
    that number modulo D; as n is not a multiple of D, no round omits a whole
    case or a whole indicator. In each round
    the omitted points are replaced by their indicator's mean, the model is
    re-estimated (all rounds of all constructs are one batch), and each
    omitted point is predicted as loading × the construct score predicted
    from its predecessors' scores. On standardised indicators,
    Q² = 1 − Σ SSE / Σ SSO, with SSO the sum of the squared omitted values.

    Parameters
    ----------
    result : PLSResult
    omission_distance : int
        D, between 5 and 12 (Hair et al., 2017); n must not be a multiple of D.

    Returns
    -------
    DataFrame
        ``construct``, ``sso``, ``sse``, ``q2`` for each endogenous construct,
        the verdict ``predictive_relevance`` (Q² > 0) and ``omission_distance``.

    References
    ----------
    Chin, W. W. (1998). The partial least squares approach to structural
    equation modeling. In G. A. Marcoulides (Ed.), *Modern methods for
    business research* (pp. 295–336). Erlbaum.

    Hair, J. F., Hult, G. T. M., Ringle, C. M., & Sarstedt, M. (2017). *A
    primer on partial least squares structural equation modeling* (2nd ed.),
    ch. 6. Sage.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sqresearch.model.pls import fit_pls
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=200); g = 0.5 * f + rng.normal(size=200) * 0.87
    >>> df = pd.DataFrame({f"x{i}": f + rng.normal(size=200) for i in range(3)}
    ...                   | {f"y{i}": g + rng.normal(size=200) for i in range(3)})
    >>> q2 = blindfolding(fit_pls("F =~ x0 + x1 + x2; G =~ y0 + y1 + y2; G ~ F", df))
    >>> bool(q2.loc[0, "q2"] > 0)
    True
    """
    model, x = result.model, result.x
    n = len(x)
    d = int(omission_distance)
    if d < 2 or n % d == 0:
        raise InputError(
            "the omission distance must be at least 2 and not divide the number of cases",
            column="omission_distance",
            value=omission_distance,
            hint=f"n = {n}; SmartPLS's default is 7",
        )
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    items = model.indicators
    variants, masks = [], []
    for construct in model.endogenous:
        cols = np.array([items.index(i) for i in model.blocks[construct]])
        number = np.arange(n)[:, None] + n * np.arange(len(cols))[None, :]
        for r in range(d):
            mask = np.zeros_like(z, dtype=bool)
            mask[:, cols] = number % d == r
            kept = np.where(mask, np.nan, z)
            variants.append(np.where(mask, np.nanmean(kept, axis=0), z))
            masks.append(mask)
    stack = np.stack(variants)  # (rounds, n, p)
    mean = stack.mean(axis=1, keepdims=True)
    sd = stack.std(axis=1, ddof=1, keepdims=True)
    zs = (stack - mean) / sd
    corr = np.swapaxes(zs, 1, 2) @ zs / (n - 1)
    est = estimate(model, corr, **result.settings)
    scores = zs @ est.weights  # (rounds, n, c)
    predicted = scores @ est.paths  # scores of each construct from its predecessors
    rows = []
    for k, construct in enumerate(model.endogenous):
        j = model.constructs.index(construct)
        sse = sso = 0.0
        for r in range(k * d, (k + 1) * d):
            fitted = predicted[r][:, [j]] * est.loadings[r][:, j][None, :] * sd[r] + mean[r]
            sse += float(((z - fitted)[masks[r]] ** 2).sum())
            sso += float((z[masks[r]] ** 2).sum())
        rows.append({"construct": construct, "sso": sso, "sse": sse, "q2": 1 - sse / sso})
    out = pd.DataFrame(rows)
    out["predictive_relevance"] = out["q2"] > 0
    out["omission_distance"] = d
    return out
