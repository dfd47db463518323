"""Which estimator the items call for: ML, MLR (non-normal) or WLSMV (few ordered categories).

:func:`estimator_recommendation` checks each item's skewness and excess
kurtosis (as :func:`sqresearch.measure.descriptives.item_descriptives`
computes them) against the cut-offs of Curran, West & Finch (1996) in
:mod:`sqresearch.thresholds`, and counts response categories. It returns the
recommendation and the reason as data; :mod:`sqresearch.report.modification`
writes the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from sqresearch.errors import InputError
from sqresearch.measure.descriptives import item_descriptives
from sqresearch.thresholds import passes, threshold


@dataclass
class EstimatorRecommendation:
    """The estimator the item distributions call for.

    Attributes
    ----------
    estimator : {"ML", "MLR", "WLSMV"}
    reason : {"normal", "nonnormal", "ordinal"}
        "ordinal": the study treats the items as ordinal and none has more
        than ``ordinal_categories`` categories; "nonnormal": some item's
        |skewness| or |kurtosis| reaches ``ml_skew_abs`` / ``ml_kurtosis_abs``;
        "normal": neither.
    items : DataFrame
        Per item: n, categories, skewness, kurtosis, nonnormal (bool).
    nonnormal : list of str
        Items past a cut-off.
    max_abs_skewness, max_abs_kurtosis : float
    """

    estimator: str
    reason: str
    items: pd.DataFrame
    nonnormal: list[str]
    max_abs_skewness: float
    max_abs_kurtosis: float

    def to_dict(self) -> dict:
        return {
            "estimator": self.estimator,
            "reason": self.reason,
            "nonnormal": list(self.nonnormal),
            "max_abs_skewness": self.max_abs_skewness,
            "max_abs_kurtosis": self.max_abs_kurtosis,
            "max_categories": int(self.items["categories"].max()),
        }

    def _repr_html_(self) -> str:
        return (
            f"<p><b>Estimator</b>: {self.estimator} ({self.reason}); "
            f"max |skewness| {self.max_abs_skewness:.3f}, max |kurtosis| "
            f"{self.max_abs_kurtosis:.3f}</p>"
            + self.items.to_html(float_format=lambda x: f"{x:.3f}")
        )


def estimator_recommendation(
    data: pd.DataFrame, items: Sequence[str], *, ordinal: bool = False
) -> EstimatorRecommendation:
    """Recommend ML, MLR or WLSMV from the items' distributions.

    Parameters
    ----------
    data : DataFrame
    items : sequence of str
        The items of the measurement model.
    ordinal : bool
        The study chose to treat the items as ordinal (study.yaml); WLSMV
        is then recommended when no item has more than 5 categories.

    Returns
    -------
    EstimatorRecommendation

    Notes
    -----
    Curran, West & Finch (1996) found ML's χ² and standard errors biased
    from |skewness| ≈ 2 and |kurtosis| ≈ 7; MLR corrects both (Yuan &
    Bentler, 2000). With 5 or fewer categories, ordinal estimation (WLSMV)
    recovers loadings better than ML on the raw codes (Rhemtulla,
    Brosseau-Liard & Savalei, 2012).

    References
    ----------
    Curran, P. J., West, S. G., & Finch, J. F. (1996). The robustness of
    test statistics to nonnormality and specification error in confirmatory
    factor analysis. Psychological Methods, 1, 16–29.
    Rhemtulla, M., Brosseau-Liard, P. É., & Savalei, V. (2012). When can
    categorical variables be treated as continuous? Psychological Methods,
    17, 354–373.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q1": [1, 1, 1, 1, 1, 1, 1, 1, 2, 5], "q2": [1, 2, 3, 4, 5, 4, 3, 2, 3, 3]})
    >>> rec = estimator_recommendation(df, ["q1", "q2"])
    >>> rec.estimator, rec.reason, rec.nonnormal
    ('MLR', 'nonnormal', ['q1'])
    >>> estimator_recommendation(df, ["q1", "q2"], ordinal=True).estimator
    'WLSMV'
    """
    missing = [c for c in items if c not in data.columns]
    if missing:
        raise InputError("the item is not a column of the data", column=missing[0])
    table = item_descriptives(data, list(items))
    table.insert(1, "categories", [int(data[c].nunique()) for c in items])
    table = table[["n", "categories", "skewness", "kurtosis"]]
    table["nonnormal"] = [
        not (passes("ml_skew_abs", abs(s)) and passes("ml_kurtosis_abs", abs(k)))
        for s, k in zip(table["skewness"], table["kurtosis"], strict=True)
    ]
    flagged = [str(i) for i in table.index[table["nonnormal"]]]
    if ordinal and table["categories"].max() <= threshold("ordinal_categories"):
        estimator, reason = "WLSMV", "ordinal"
    elif flagged:
        estimator, reason = "MLR", "nonnormal"
    else:
        estimator, reason = "ML", "normal"
    return EstimatorRecommendation(
        estimator=estimator,
        reason=reason,
        items=table,
        nonnormal=flagged,
        max_abs_skewness=float(table["skewness"].abs().max()),
        max_abs_kurtosis=float(table["kurtosis"].abs().max()),
    )
