"""Stand-ins for analysis results shared by the report tests."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd


def reliability_result(alphas, citc=0.6, negative=()):
    """A stand-in for a ReliabilityTable; ``negative`` items point the other way."""
    idx = pd.MultiIndex.from_tuples(
        [(s, f"{s}{i}") for s in alphas for i in (1, 2, 3)], names=["scale", "item"]
    )
    flags = [item in negative for _, item in idx]
    items = pd.DataFrame({"citc": citc, "alpha_if_deleted": 0.5, "negative": flags}, index=idx)
    problem = items["negative"].groupby(level="scale").any().reindex(list(alphas))
    scales = pd.DataFrame(
        {"alpha": alphas, "sign_problem": problem.to_numpy()},
        index=pd.Index(list(alphas), name="scale"),
    )
    return SimpleNamespace(scales=scales, items=items)
