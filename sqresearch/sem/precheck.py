"""Data checks before a SEM or invariance fit: refuse what cannot be estimated, in plain words.

The estimator would otherwise fail deep inside (a singular sample covariance
matrix, a group too small for its covariances, an item with no answers under
FIML) or, worse, return numbers.  :func:`check_sem_data` runs first and
raises :class:`~sqresearch.errors.ModelError` /
:class:`~sqresearch.errors.InputError` naming the variable, group and count.
"""

from __future__ import annotations

import pandas as pd

from sqresearch.errors import InputError, ModelError
from sqresearch.io.values import to_numbers
from sqresearch.model.design import check_rank, check_variation
from sqresearch.sem.syntax import parse_model, variable_roles


def observed_variables(model: str) -> list[str]:
    """The observed variables a lavaan model text names, in lavaan's order.

    Examples
    --------
    >>> observed_variables("F =~ a + b + c\\nF ~ x")
    ['a', 'b', 'c', 'x']
    """
    return variable_roles(parse_model(model).statements).ov


def check_sem_data(
    model: str,
    data: pd.DataFrame,
    *,
    group: str | None = None,
    missing: str = "listwise",
    min_groups: int = 1,
) -> list[str]:
    """Refuse data a SEM cannot be estimated from; return warnings about what it can.

    Checked per group (or once without ``group``), on the rows the estimator
    keeps (complete rows for listwise; rows with any answer for FIML):

    - every observed variable is numeric (no text, true/false or infinity);
    - no variable is empty (FIML) or constant;
    - listwise: more complete rows than observed variables, and a positive
      definite sample covariance matrix (no variable an exact combination of
      others);
    - ``group``: the column exists and has at least ``min_groups`` levels.

    Returns
    -------
    list of str
        Near-constant variables (see :func:`sqresearch.model.design.check_variation`).

    Examples
    --------
    >>> d = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 4, 6, 8], "c": [1.0, 3, 2, 4]})
    >>> check_sem_data("F =~ a + b + c", d)
    Traceback (most recent call last):
    ...
    sqresearch.errors.ModelError: the sample covariance matrix: 'b' is an exact linear combination of the other observed variables (perfect collinearity); drop one of them
    """
    names = [v for v in observed_variables(model) if v in data.columns]
    frame = pd.DataFrame({c: to_numbers(data[c]) for c in names}, index=data.index)
    if group is None:
        parts = {None: frame}
    else:
        if group not in data.columns:
            raise InputError("no such grouping column in the data", column=group)
        keep = data[group].notna()
        levels = list(pd.unique(data.loc[keep, group]))
        if len(levels) < min_groups:
            raise ModelError(
                f"the grouping column {group!r} has {len(levels)} level(s) "
                f"({', '.join(map(str, levels)) or 'none'}); a comparison across groups needs at "
                f"least {min_groups}"
            )
        parts = {level: frame[keep & (data[group] == level)] for level in levels}
    notes: list[str] = []
    for level, part in parts.items():
        where = "" if level is None else f"group {level!r}: "
        if missing in ("fiml", "pairwise"):  # each variable on its own answers
            part = part.dropna(how="all")
            for column in part.columns:
                answered = part[column].dropna()
                if len(answered) < 2:
                    raise ModelError(
                        f"{where}variable {column!r} has {len(answered)} answer(s); "
                        f"{'FIML' if missing == 'fiml' else 'pairwise estimation'} needs "
                        "answers to estimate its variance (leave it out of the model)"
                    )
                check_variation(answered.to_frame(), {column: f"{where}variable"})
            continue
        complete = part.dropna()
        if len(complete) <= len(names):
            raise ModelError(
                f"{where}{len(complete)} complete rows for {len(names)} observed variables: the "
                "sample covariance matrix is singular (n must exceed the number of variables; "
                "collect more data, drop variables, or use --missing fiml)"
            )
        notes += check_variation(complete, {c: f"{where}variable" for c in complete.columns})
        centred = complete - complete.mean()
        check_rank(centred, f"{where}the sample covariance matrix", "observed variables")
    return notes
