"""The participant flow: received -> excluded per reason (rule order) -> analysed."""

from __future__ import annotations

import pandas as pd

from sqresearch.clean.careless import RULE_LABELS


def excluded_by(flags: pd.DataFrame, actions: dict[str, str]) -> pd.Series:
    """The first excluding rule (in column order) that flags each respondent; None if kept.

    Examples
    --------
    >>> flags = pd.DataFrame({"attention": [True, True, False], "speeder": [False, True, True]})
    >>> excluded_by(flags, {"attention": "exclude", "speeder": "exclude"}).tolist()
    ['attention', 'attention', 'speeder']
    """
    out = pd.Series(None, index=flags.index, dtype=object, name="excluded_by")
    for rule in flags.columns:
        if actions.get(rule) != "exclude":
            continue
        newly = flags[rule].astype(bool) & out.isna()
        out[newly] = rule
    return out


def participant_flow(flags: pd.DataFrame, actions: dict[str, str]) -> pd.DataFrame:
    """Flow table: one row "received", one per excluding rule, one "analysed".

    Each respondent is counted once, at the first rule (in order) that
    excludes them, so that received = analysed + the sum of the exclusions
    (asserted).

    Returns
    -------
    DataFrame
        ``step``, ``label_zh``, ``label_en``, ``n`` (for a rule: newly
        excluded), ``remaining``.

    Examples
    --------
    >>> flags = pd.DataFrame({"attention": [True, True, False, False], "speeder": [False, True, True, False]})
    >>> participant_flow(flags, {"attention": "exclude", "speeder": "exclude"})[["step", "n", "remaining"]].values.tolist()
    [['received', 4, 4], ['attention', 2, 2], ['speeder', 1, 1], ['analysed', 1, 1]]
    """
    by = excluded_by(flags, actions)
    received = len(flags)
    rows = [("received", "回收问卷", "received", received, received)]
    remaining = received
    for rule in flags.columns:
        if actions.get(rule) != "exclude":
            continue
        n = int((by == rule).sum())
        remaining -= n
        zh, en = RULE_LABELS.get(rule, (rule, rule))
        rows.append((rule, f"剔除:{zh}", f"excluded: {en}", n, remaining))
    analysed = int(by.isna().sum())
    rows.append(("analysed", "有效问卷", "analysed", analysed, analysed))
    table = pd.DataFrame(rows, columns=["step", "label_zh", "label_en", "n", "remaining"])
    excluded = int(table["n"].iloc[1:-1].sum())
    if received != analysed + excluded:  # pragma: no cover - would be a bug above
        raise AssertionError(
            f"participant flow does not add up: {received} != {analysed} + {excluded}"
        )
    return table
